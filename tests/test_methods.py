"""The methods document (docs/methods.md, OUT/YEAR/methods.html) and the footer links to it."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from qyanalysis import disclosure, settings
from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.present import methods as methods_page
from qyanalysis.report import methods
from qyanalysis.present.html import (
    CountyEntry,
    PageLink,
    make_provenance,
    notebook_to_html,
    render_city_index,
    render_county_index,
)
from qyanalysis.present.methods_definitions import DEFINITIONS, Definition, definition
from qyanalysis.targets import REGISTRY_CSV

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "methods.md"
PROVENANCE = make_provenance("f" * 64, {"year": 2022}, generated_at="2022-10-01T00:00Z", version="9.9")


def registry_rows() -> list[dict[str, str]]:
    with REGISTRY_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def table_row(text: str, target_id: str) -> list[str]:
    """The cells of the targets table row of ``target_id`` in the Markdown ``text``."""
    rows = [line for line in text.splitlines() if line.startswith(f"| `{target_id}` ")]
    assert len(rows) == 1, (target_id, rows)
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", rows[0])[1:-1]]


def test_the_committed_document_is_what_the_generator_writes():
    assert DOCS.read_text(encoding="utf-8") == methods.methods_markdown("en"), (
        "docs/methods.md is out of date with the catalogue, registry or prose: run `make docs`")


def test_every_catalogue_code_has_one_definition_and_an_entry():
    assert set(DEFINITIONS) <= set(CATALOGUE)
    text = methods.methods_markdown("en")
    for code in CATALOGUE:
        assert definition(code).formula and definition(code).source, code
        assert definition(code).interval in methods_page.INTERVAL_TEXT, code
        assert text.count(f"### `{code}` — ") == 1, code
    entry = methods.indicator_markdown("compulsory_dropout_rate", "en")
    assert entry.startswith("### `compulsory_dropout_rate` — ") and entry in text
    assert "**Target** `t08_compulsory_dropout_rate`" in entry


def test_every_unit_a_catalogue_entry_may_have_is_worded_labelled_and_formatted():
    from qyanalysis.contract.indicators import UNITS
    from qyanalysis.present.labels import unit_label
    from qyanalysis.present.numbers import format_value

    assert set(methods_page.UNIT_TEXT) == set(UNITS)  # a new indicator of any unit needs no new wording
    for unit in UNITS:
        for lang in methods_page.LANGS:
            assert unit_label(unit, lang) and isinstance(format_value(1.0, unit, lang), str), unit


def test_a_definition_comes_from_the_file_where_it_has_the_code_else_from_the_catalogue_entry():
    from qyanalysis.contract import indicators

    assert definition("myopia_rate") is DEFINITIONS["myopia_rate"]
    entry = indicators.Indicator("toy_rate", 13, "rate", "computed", "示例率", "Toy rate", interval=True,
                                 formula="a ÷ b.", counted="Pupils.", source="示例")
    indicators.register(entry)
    try:
        assert definition("toy_rate") == Definition("a ÷ b.", "Pupils.", "示例", "wilson")
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(DEFINITIONS, "toy_rate", Definition("File wording.", "", "file"))
            assert definition("toy_rate").formula == "File wording."  # the file wins
            assert "File wording." in methods.methods_markdown("en")
    finally:
        indicators.unregister("toy_rate")
    with pytest.raises(KeyError):
        definition("toy_rate")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_registry_target_appears_with_its_comparator_and_threshold(lang):
    text = methods.methods_markdown(lang)
    rows = registry_rows()
    assert len(rows) >= 50
    for row in rows:
        cells = table_row(text, row["target_id"])
        assert cells[2] == f"`{row['indicator']}`"
        assert cells[3] == row["scope"]
        assert cells[4] == f"`{row['comparator']}`"
        assert float(cells[5]) == pytest.approx(float(row["threshold"]), abs=1e-12)
        assert cells[7] == row["rule"]
        # and under its indicator's entry
        assert f"**{'目标' if lang == 'zh' else 'Target'}** `{row['target_id']}`: `{row['comparator']}` " in text


@pytest.mark.parametrize(("comparator", "threshold", "unit", "expected"), [
    ("<=", 0.005, "rate", "≤ 0.5 %"),
    (">=", 0.85, "share", "≥ 85 %"),
    ("<=", -0.05, "change", "≤ -5 %"),
    ("<=", -0.005, "pp", "≤ -0.5 %"),
    (">=", 20500.0, "count", "≥ 20,500"),
    (">", 2.0, "count", "> 2"),
    ("<=", 0.45, "ratio", "≤ 0.45"),
    (">=", 6000.0, "yuan", "≥ 6,000"),
])
def test_threshold_reading_by_hand(comparator, threshold, unit, expected):
    assert methods_page.threshold_reading(comparator, threshold, unit) == expected


def test_both_languages_cover_the_same_rules_and_fill_every_value():
    headings = {lang: re.findall(r"^## ", methods.rules_markdown(lang), flags=re.M)
                for lang in methods_page.LANGS}
    assert len(headings["zh"]) == len(headings["en"]) >= 10
    for lang in methods_page.LANGS:
        text = methods.methods_markdown(lang)
        assert "{{" not in text and "}}" not in text
        # the item-27 worked example and the on-track probability are stated
        assert "47.5" in text and "9.5" in text and "10.5" in text
        assert "ON_TRACK_PROBABILITY" in text and "p_meet" in text


def test_values_come_from_their_settings():
    with settings.override(TEMPORARY_RATIO_DENOMINATOR="established"):
        assert "`established`" in methods.rules_markdown("en")
    saved = disclosure.SUPPRESSION_THRESHOLD
    try:
        disclosure.SUPPRESSION_THRESHOLD = 7
        text = methods.rules_markdown("en")
        assert "a count of 1 to 6 persons is shown as “<7”" in text
    finally:
        disclosure.SUPPRESSION_THRESHOLD = saved


def test_markdown_is_rendered_with_raw_html_escaped():
    html = methods_page.markdown_to_html(
        "# T\n\n<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| <img onerror=x> | 2 |\n")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "<table>" in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_methods_page_is_offline_complete_and_carries_the_demo_notice(lang):
    banner = "演示 <数据>"
    page = methods.methods_html(lang, PROVENANCE, banner)
    HTMLParser().feed(page)
    assert page.rstrip().endswith("</html>")
    assert "&lt;数据&gt;" in page and "<数据>" not in page
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)
    assert "<script" not in page
    assert f'<h1>{methods_page.TITLE[lang]}' in page
    assert "t08_compulsory_dropout_rate" in page and "差异系数" in page
    assert 'href="../methods.html"' not in page  # the page does not link to itself
    assert "url(assets/" in page or "assets/" in page  # the subset font beside the page (OUT/YEAR/assets)
    assert "演示" not in methods.methods_html(lang, PROVENANCE, None).split("<main")[0]


def test_every_page_footer_links_to_the_methods_page():
    county = render_county_index(county_name="清城区", year=2022, lang="zh", status_counts={"met": 1},
                                 pages=[PageLink("总览", "00_overview.html")], provenance=PROVENANCE)
    city = render_city_index(city_name="清远市", year=2022, lang="en",
                             counties=[CountyEntry("441802", "Qingcheng", "441802/index.html", {"met": 1})],
                             city_href=None, failures=[], provenance=PROVENANCE)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    report = notebook_to_html(notebook, title="t", lang="en", provenance=PROVENANCE)
    footer = re.compile(r'<footer class="qy-footer">.*?<a href="([^"]+)">([^<]+)</a>.*?</footer>', re.S)
    assert footer.search(county).groups() == ("../methods.html", "方法说明(指标定义、判定规则、数据来源)")
    assert footer.search(report).groups() == ("../methods.html", "Methods (definitions, rules, sources)")
    assert footer.search(city).group(1) == "methods.html"


@pytest.mark.slow
def test_a_run_writes_the_methods_page_that_every_page_links_to(tmp_path, monkeypatch):
    from qyanalysis.runner import RunOptions, run_batch
    from test_runner_fakes import TEST_NOTEBOOKS, fake_load_dataset, fake_scorecard, light_kernels, make_data

    light_kernels(monkeypatch)

    data, out = make_data(tmp_path / "data"), tmp_path / "out"
    opts = RunOptions(data=data, out=out, notebooks_dir=TEST_NOTEBOOKS, jobs=1, quiet=True, timeout=60.0,
                      counties=["441802", "city"], notebooks=["00_overview", "city_comparison"], lang="en")
    assert run_batch(opts, load_dataset=fake_load_dataset, scorecard=fake_scorecard).exit_code == 0
    year_dir = out / "2022"
    page = (year_dir / "methods.html").read_text(encoding="utf-8")
    assert "<h1>Methods" in page and "t08_compulsory_dropout_rate" in page
    pages = [p for p in year_dir.rglob("*.html") if p.name != "methods.html"]
    assert len(pages) >= 5  # city index, two county indexes, two section pages
    for html in pages:
        links = re.findall(r'<footer class="qy-footer">.*?<a href="([^"]+)"', html.read_text(encoding="utf-8"), re.S)
        assert links and (html.parent / links[0]).resolve() == (year_dir / "methods.html").resolve(), html
    stamp = (year_dir / "methods.html").stat().st_mtime_ns
    again = run_batch(opts, load_dataset=fake_load_dataset, scorecard=fake_scorecard)
    assert again.executed == [] and (year_dir / "methods.html").stat().st_mtime_ns == stamp
    (year_dir / "methods.html").unlink()
    run_batch(opts, load_dataset=fake_load_dataset, scorecard=fake_scorecard)
    assert (year_dir / "methods.html").read_text(encoding="utf-8") == page


def test_headings_get_anchors_from_their_code_names_once():
    html = methods_page.markdown_to_html("## Rules (`readiness`)\n\n### `school_layout_planned` — x\n\n"
                                         "### `school_layout_planned` again\n\n## No code\n")
    assert '<h2 id="readiness">' in html and html.count('id="school_layout_planned"') == 1
    assert "<h2>No code</h2>" in html


def test_every_assessment_indicator_and_the_readiness_rules_have_an_anchor():
    from qyanalysis.targets.assessment import load_assessment

    html = methods_page.markdown_to_html(methods.methods_markdown("zh"))
    for code in ["readiness", *load_assessment()["indicator"]]:
        assert f'id="{code}"' in html, code


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_methods_page_opens_with_a_contents_list_whose_links_resolve(lang):
    from qyanalysis.report.methods import methods_body_html

    body = methods_body_html(lang)
    nav = re.search(r'<nav class="qy-contents"[^>]*>(.*?)</nav>', body, re.S)
    assert nav and body.index("<nav") < body.index("<h2 id=")  # under the title, before the first part
    links = re.findall(r'<a href="#([^"]+)">', nav.group(1))
    ids = set(re.findall(r'<h2 id="([^"]+)"', body))
    assert len(links) == len(ids) >= 15 and set(links) == ids
    assert "readiness" in links and "targets_override" in links  # named anchors kept, others numbered
