"""End to end: ``qyanalysis run`` on the demo data gives the docs/design.md output layout with clean, offline,
complete pages — in Chinese and in English (the session's runs: tests/run_helpers.py)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import nbformat
import pytest

from run_helpers import COUNTY

from qyanalysis.contract.plan import CITY_NOTEBOOK, CITY_NOTEBOOKS, COUNTY_NOTEBOOKS, ITEMS
from qyanalysis.runner.languages import tree_pages

pytestmark = pytest.mark.slow
EXTERNAL = re.compile(r"""(src|href)\s*=\s*["']?\s*(https?:)?//|@import|url\(\s*["']?(https?:)?//""", re.I)
SCORECARD_COLUMNS = ["target_id", "item", "indicator", "county_code", "year", "value", "comparator",
                     "threshold", "status"]


def _pages(folder: Path) -> list[Path]:
    """The Chinese pages under ``folder`` (the English tree, ``OUT/YEAR/en``, is not among them)."""
    return sorted(tree_pages(folder, "zh"))


def test_layout_follows_the_contract(zh_run):
    assert (zh_run / "index.html").is_file()
    manifest = json.loads((zh_run / "run.json").read_text(encoding="utf-8"))
    assert {e["status"] for e in manifest["notebooks"].values()} == {"ok"}
    county = zh_run / COUNTY
    assert (county / "index.html").is_file()
    for stem in COUNTY_NOTEBOOKS:
        assert (county / f"{stem}.html").is_file() and (county / f"{stem}.ipynb").is_file(), stem
    assert (zh_run / "city" / f"{CITY_NOTEBOOK}.html").is_file()
    for folder in (county, zh_run / "city"):
        with open(folder / "scorecard.csv", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert header[:len(SCORECARD_COLUMNS)] == SCORECARD_COLUMNS


def test_executed_notebooks_have_no_error_and_no_warning(zh_run):
    for path in sorted(zh_run.rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert output.output_type != "error", (path.name, output.get("evalue"))
                assert not (output.output_type == "stream" and output.name == "stderr"), (path.name, output.text)


def test_pages_are_clean_offline_and_labelled_as_demonstration_data(zh_run):
    for page in _pages(zh_run):
        text = page.read_text(encoding="utf-8")
        assert text.rstrip().endswith("</html>"), page
        for forbidden in ("Traceback", "missing from font", "open_page(", "import qyanalysis", "<Figure size"):
            assert forbidden not in text, (page, forbidden)
        assert not EXTERNAL.search(text), (page, EXTERNAL.search(text))
        assert "合成演示数据" in text, page  # the banner, on every page


def test_every_page_links_to_the_methods_page_of_the_run(zh_run):
    methods = zh_run / "methods.html"
    assert "方法说明" in methods.read_text(encoding="utf-8")
    footer = re.compile(r'<footer class="qy-footer">.*?<a href="([^"]+)"', re.S)
    pages = [p for p in _pages(zh_run) if p != methods]
    assert len(pages) >= 12  # the city index, the city page, a county index and its 8 section pages
    for page in pages:
        link = footer.search(page.read_text(encoding="utf-8"))
        assert link and (page.parent / link.group(1)).resolve() == methods.resolve(), page


def test_every_plan_item_is_findable_in_the_county_pages(zh_run):
    text = "\n".join(p.read_text(encoding="utf-8") for p in _pages(zh_run / COUNTY))
    for item in ITEMS:
        assert f'id="item-{item}"' in text and f"第 {item} 项" in text, item


def test_section_pages_show_figures_and_the_county_name(zh_run):
    for stem in COUNTY_NOTEBOOKS:
        text = (zh_run / COUNTY / f"{stem}.html").read_text(encoding="utf-8")
        assert "连南瑶族自治县" in text, stem
        assert "data:image/png;base64," in text, stem


def test_every_page_with_targets_opens_with_what_to_act_on_before_any_table(zh_run):
    """The answer first: the list of targets not met or at risk (or the sentence that there are none)
    comes before the page's first table, on the overview, every section page with targets and the city."""
    answer = re.compile(r"先处理：未达标或存在风险的目标 \d+ 项|本页没有未达标或存在风险的目标")
    pages = [zh_run / COUNTY / f"{stem}.html" for stem in COUNTY_NOTEBOOKS if stem != "08_balance_readiness"]
    checked = 0
    for page in [*pages, zh_run / "city" / f"{CITY_NOTEBOOK}.html"]:
        text = page.read_text(encoding="utf-8")
        if "本部分没有量化目标" in text:
            continue
        found = answer.search(text)
        assert found, page
        table = text.find("<table")
        assert table == -1 or found.start() < table, page
        checked += 1
    assert checked >= 7


def test_the_readiness_page_opens_with_the_verdict_and_the_costliest_gaps(zh_run):
    from qyanalysis.present.labels import t
    from qyanalysis.report.tables.balance_readiness import COSTLIEST

    for page in (zh_run / COUNTY / "08_balance_readiness.html", zh_run / "city" / "08_balance_readiness.html"):
        text = page.read_text(encoding="utf-8")
        city = page.parent.name == "city"
        verdict = t("readiness.verdict_city" if city else "readiness.verdict", "zh")
        assessment = t("readiness.matrix" if city else "readiness.table", "zh")
        order = [text.find(title) for title in (verdict, t("readiness.costliest", "zh", n=COSTLIEST), assessment)]
        assert -1 not in order and order == sorted(order), (page, order)
        assert text.find("<table") > order[0], page


def test_every_page_s_navigation_links_resolve_and_chain_the_pages_in_order(zh_run):
    nav = re.compile(r'<nav class="qy-page-nav".*?</nav>', re.S)
    for folder, stems in ((zh_run / COUNTY, COUNTY_NOTEBOOKS), (zh_run / "city", CITY_NOTEBOOKS)):
        for at, stem in enumerate(stems):
            page = folder / f"{stem}.html"
            bar = nav.search(page.read_text(encoding="utf-8"))
            assert bar, page
            links = dict(re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', bar.group(0)))
            for href in links:
                assert (folder / href).resolve().is_file(), (page, href)
            assert {"index.html", "../index.html", "../methods.html"} <= set(links), page
            assert ("../city/city_comparison.html" in links) == (folder.name != "city"), page
            previous = re.search(r'<a href="([^"]+)" rel="prev">', bar.group(0))
            following = re.search(r'<a href="([^"]+)" rel="next">', bar.group(0))
            want = (f"{stems[at - 1]}.html" if at > 0 else None,
                    f"{stems[at + 1]}.html" if at < len(stems) - 1 else None)
            assert tuple(m.group(1) if m else None for m in (previous, following)) == want, page


def test_a_section_page_of_several_items_lists_them_before_the_first(zh_run):
    from qyanalysis.contract.plan import SECTIONS

    for section in SECTIONS:
        text = (zh_run / COUNTY / f"{section.notebook}.html").read_text(encoding="utf-8")
        contents = re.search(r'<nav class="qy-contents".*?</nav>', text, re.S)
        if len(section.items) < 2:
            assert contents is None, section.notebook
            continue
        assert contents and contents.end() < text.index('<h2 id="item-'), section.notebook
        links = re.findall(r'href="#(item-\d+)"', contents.group(0))
        assert links == [f"item-{item}" for item in section.items], section.notebook
        assert all(f'id="{link}"' in text for link in links), section.notebook


def test_every_image_has_a_meaningful_alt_text(zh_run):
    """Each chart says what it is (its title), written by the template: no image without alt, none empty,
    no nbconvert placeholder, none falling back to the page's title."""
    image = re.compile(r"<img\b[^>]*>")
    alt = re.compile(r'\salt="([^"]*)"')
    title = re.compile(r"<title>([^<]*)</title>")
    seen = 0
    for page in _pages(zh_run):
        text = page.read_text(encoding="utf-8")
        page_title = title.search(text).group(1)
        for tag in image.findall(text):
            found = alt.search(tag)
            assert found and found.group(1).strip(), (page, tag[:80], tag[-120:])
            assert "No description has been provided" not in found.group(1), page
            assert found.group(1) != page_title, (page, found.group(1))
            seen += 1
    assert seen >= 20


def test_english_pages_beside_the_chinese_ones_linking_each_other(zh_run, en_run):
    """The session's run in both languages (``--lang zh --lang en``): the English tree in ``OUT/YEAR/en``, in
    English; every page of each tree (sections, indexes, methods) links the same page in the other
    language, and every link of every page resolves."""
    from nav_helpers import broken_links, counterpart, language_pairs

    page = (en_run / COUNTY / "05_teachers.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "Liannan Yao Autonomous County" in page and "Item 27" in page
    assert "synthetic demonstration data" in page
    assert "第 27 项" not in page
    assert "第 27 项" in (zh_run / COUNTY / "05_teachers.html").read_text(encoding="utf-8")
    assert broken_links(zh_run) == {}
    pairs = language_pairs(zh_run)
    # every page of the county and the city, their indexes, the list of units and the methods page, twice
    assert len(pairs) == 2 * (len(COUNTY_NOTEBOOKS) + len(CITY_NOTEBOOKS) + 4)
    assert {page: target for page, target in pairs.items() if target != counterpart(page)} == {}
