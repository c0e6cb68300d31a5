"""The methods document (docs/methods.md, OUT/YEAR/methods.html) and the footer links to it."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
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
from qyanalysis.verdicts.targets import REGISTRY_CSV

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "methods.md"
DEVELOPERS = ROOT / "docs" / "methods-developers.md"
PROVENANCE = make_provenance("f" * 64, {"year": 2022}, generated_at="2022-10-01T00:00Z", version="9.9")


def registry_rows() -> list[dict[str, str]]:
    with REGISTRY_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def table_row(text: str, target_id: str, first: bool = False) -> list[str]:
    """The cells of the table row of ``target_id`` in the Markdown ``text`` (its code the last cell, or the
    first with ``first``)."""
    rows = [line for line in text.splitlines()
            if (line.startswith(f"| `{target_id}` |") if first else line.endswith(f"| `{target_id}` |"))]
    assert len(rows) == 1, (target_id, rows)
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", rows[0])[1:-1]]


def test_the_committed_documents_are_what_the_generator_writes():
    assert DOCS.read_text(encoding="utf-8") == methods.methods_markdown("en"), (
        "docs/methods.md is out of date with the catalogue, registry or prose: run `make docs`")
    assert DEVELOPERS.read_text(encoding="utf-8") == methods.developers_markdown(), (
        "docs/methods-developers.md is out of date with the settings, registry or prose: run `make docs`")


def test_every_catalogue_code_has_one_definition_in_both_languages_and_an_entry():
    texts = {lang: methods.methods_markdown(lang) for lang in methods_page.LANGS}
    for code, entry in CATALOGUE.items():
        for field in ("formula", "counted", "source", "formula_zh", "counted_zh"):
            assert getattr(entry, field).strip(), (code, field)
        assert entry.interval_method in methods_page.INTERVAL_TEXT, code
        assert texts["en"].count(f"- **Code**: `{code}`\n") == 1, code
        assert texts["zh"].count(f"- **代码**: `{code}`\n") == 1, code
        assert entry.formula_zh in texts["zh"] and entry.formula in texts["en"], code
    entry = methods.indicator_markdown("compulsory_dropout_rate", "en")
    assert entry.startswith("### Compulsory-education dropout rate\n") and entry in texts["en"]
    target = ("- **Target**: City-wide compulsory-education dropout rate at most 0.5 % — city-wide target, "
              "≤ 0.5 %")
    assert target in entry


def test_every_unit_a_catalogue_entry_may_have_is_worded_labelled_and_formatted():
    from qyanalysis.contract.indicators import UNITS
    from qyanalysis.present.labels import unit_label
    from qyanalysis.present.numbers import format_value

    assert set(methods_page.UNIT_TEXT) == set(UNITS)  # a new indicator of any unit needs no new wording
    for unit in UNITS:
        for lang in methods_page.LANGS:
            assert unit_label(unit, lang) and isinstance(format_value(1.0, unit, lang), str), unit


def test_a_definition_and_its_interval_come_from_the_catalogue_entry_alone():
    from qyanalysis.contract import indicators

    entry = indicators.Indicator("toy_rate", 13, "rate", "computed", "示例率", "Toy rate", interval=True,
                                 formula="a ÷ b.", counted="Pupils.", source="示例")
    indicators.register(entry)
    try:
        text = methods.indicator_markdown("toy_rate", "en")
        for line in ("a ÷ b.", "Pupils.", "示例", "Wilson 95 % interval"):
            assert line in text
        with pytest.MonkeyPatch.context() as patch:  # a changed entry changes the page: no other home
            patch.setitem(indicators.CATALOGUE, "toy_rate", replace(entry, formula="c ÷ d.", interval=False))
            text = methods.indicator_markdown("toy_rate", "en")
            assert "c ÷ d." in text and "a ÷ b." not in text and "**Interval**: none" in text
    finally:
        indicators.unregister("toy_rate")
    with pytest.raises(KeyError):
        methods.indicator_markdown("toy_rate", "en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_registry_target_appears_with_its_requirement_in_words(lang):
    from qyanalysis.present.labels import indicator_label, t

    facts = methods.facts()  # gathered once: 56 entries
    text = methods_page.methods_markdown(lang, facts)
    rows = registry_rows()
    assert len(rows) >= 50
    for row in rows:
        unit = "share" if row["rule"] == "item27" else row["unit"]  # a share of the excess
        reading = methods_page.threshold_reading(row["comparator"], float(row["threshold"]), unit)
        cells = table_row(text, row["target_id"])
        assert cells[0] == row["item"] and cells[1] == row[f"label_{lang}"]
        assert cells[2] == indicator_label(row["indicator"], lang)
        assert cells[3] == t(f"scope.{row['scope']}", lang)
        assert cells[4] == reading and cells[5] == t(f"rule.{row['rule']}", lang)
        # and under its indicator's entry
        entry = methods_page.indicator_markdown(row["indicator"], lang, facts)
        assert f"**{'目标' if lang == 'zh' else 'Target'}**: {row[f'label_{lang}']} — " in entry
        comma = "," if lang == "zh" else ", "
        assert f"{comma}{reading}{comma}" in entry


def test_the_developers_document_gives_every_target_as_the_registry_writes_it():
    text = methods.developers_markdown()
    for row in registry_rows():
        cells = table_row(text, row["target_id"], first=True)
        assert cells[1:4] == [f"`{row['indicator']}`", f"`{row['scope']}`", f"`{row['comparator']}`"]
        assert float(cells[4]) == pytest.approx(float(row["threshold"]), abs=1e-12)
        assert cells[5] == f"`{row['rule']}`"


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
        assert f"{settings.ON_TRACK_PROBABILITY:.0%}".replace("%", " %") in text
    developers = methods.developers_markdown()
    assert "{{" not in developers and "p_meet" in developers
    assert f"| `ON_TRACK_PROBABILITY` | {settings.ON_TRACK_PROBABILITY:g} |" in developers


def test_values_come_from_their_settings():
    with settings.override(TEMPORARY_RATIO_DENOMINATOR="established", ON_TRACK_PROBABILITY=0.9,
                           SURVEY_POOLING="equal_groups"):
        text = methods.rules_markdown("en")
        assert "these reports use D = E;" in text and "at least 90 %" in text
        assert "every group weighs the same, the mean of the groups' rates (the other way" in text
        assert "本报告采用 D = E;" in methods.rules_markdown("zh")
        assert "| `TEMPORARY_RATIO_DENOMINATOR` | `established` |" in methods.developers_markdown()
    assert "these reports use D = E + T;" in methods.rules_markdown("en")
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
    assert "t08_compulsory_dropout_rate" in page
    assert ("差异系数" if lang == "zh" else "coefficient of variation") in page
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
    year_dir = out / "2022" / "en"  # English pages beside the Chinese ones
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


def test_headings_get_anchors_from_their_marks_once():
    html = methods_page.markdown_to_html("## Rules {#readiness}\n\n### Layout {#school_layout_planned}\n\n"
                                         "### Again {#school_layout_planned}\n\n## No mark\n")
    assert '<h2 id="readiness">Rules</h2>' in html and html.count('id="school_layout_planned"') == 1
    assert "<h3>Again</h3>" in html and "<h2>No mark</h2>" in html and "{#" not in html


def test_every_indicator_the_assessment_and_the_readiness_rules_have_an_anchor_and_the_docs_no_mark():
    from qyanalysis.verdicts.targets.assessment import load_assessment

    for lang in methods_page.LANGS:
        html = methods.methods_body_html(lang)
        for code in ["readiness", "targets_override", *load_assessment()["indicator"], *CATALOGUE]:
            assert f'id="{code}"' in html, code
        assert "{#" not in html and "{#" not in methods.methods_markdown(lang)


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


class _Text(HTMLParser):
    """The visible text of a page's ``<main>``: code spans apart, everything else (formula blocks too)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = {"main": 0, "pre": 0, "code": 0, "style": 0, "script": 0}
        self.text: list[str] = []
        self.codes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.depth:
            self.depth[tag] += 1
            if tag == "code" and not self.depth["pre"]:
                self.codes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.depth:
            self.depth[tag] -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth["main"] or self.depth["style"] or self.depth["script"]:
            return
        if self.depth["code"] and not self.depth["pre"]:
            self.codes[-1] += data
        else:
            self.text.append(data)


# What a developer writes and a reader should not meet: a path or file of the package, a dotted module
# or function name, an UPPER_CASE setting, a snake_case code, a float in exponent notation.
_DEVELOPER_DETAILS = {
    "path": re.compile(r"(?<![A-Za-z0-9_])(?:qyanalysis|docs|data|tests|notebooks|templates)/|"
                       r"(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]+\.(?:py|md|csv|json|txt|toml|ipynb|parquet)"
                       r"(?![A-Za-z0-9])"),
    "dotted name": re.compile(r"(?<![A-Za-z0-9_.])[a-z_][a-z0-9_]+(?:\.[a-z_][a-z0-9_]*)+"),
    "setting": re.compile(r"(?<![A-Za-z0-9_])[A-Z][A-Z0-9]+_[A-Z0-9_*]+"),  # not C_12, P_i
    "snake_case code": re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])"),
    "exponent": re.compile(r"\d(?:\.\d+)?e[-+]?\d"),
}
_SUBSCRIPT = re.compile(r"[a-z]_[a-z0-9]{1,2}")  # c_i, m_n, c_0: formulas, not codes


def reader_names() -> set[str]:
    """What a reader may meet in a code span: the names a bureau types (see the test below)."""
    from qyanalysis.contract.columns import TABLES
    from qyanalysis.verdicts.targets import load_targets

    names = {table.name for table in TABLES.values()}
    names |= {column.name for table in TABLES.values() for column in table.columns}
    return names | set(CATALOGUE) | set(load_targets()["target_id"]) | {"scorecard.csv"}


def developer_details(page: str) -> list[str]:
    """Every developer detail of ``page``'s ``<main>`` (see the test below), as "kind: text"."""
    parser = _Text()
    parser.feed(page)
    found = []
    for kind, pattern in _DEVELOPER_DETAILS.items():
        for match in pattern.finditer(" ".join(parser.text)):
            if not (kind == "snake_case code" and _SUBSCRIPT.fullmatch(match.group(0))):
                found.append(f"{kind}: {match.group(0)}")
    allowed = reader_names()
    for code in parser.codes:
        if code not in allowed and not code.startswith(("qyanalysis ", "--")):
            found.append(f"code span: {code}")
    return found


def test_the_scan_finds_each_kind_of_developer_detail():
    page = ("<main><p>See qyanalysis/verdicts/forecast.py and plan.zh.txt; qyanalysis.present.shown sets it; "
            "MIN_COVERAGE_SHARE, GAP_COST_*; scope_note = city_target is not_met; 1e-09 × max(1, θ); "
            "c_i and m_n are formulas.</p><p><code>met</code> <code>&gt;=</code> "
            "<code>targets_override</code> <code>compulsory_dropout_rate</code> "
            "<code>qyanalysis run --as-of 2022-06</code></p></main>"
            "<footer>year=2022; as_of=2022-09</footer>")
    assert developer_details(page) == [
        "path: qyanalysis/", "path: forecast.py", "path: plan.zh.txt", "dotted name: forecast.py",
        "dotted name: plan.zh.txt", "dotted name: qyanalysis.present.shown",
        "setting: MIN_COVERAGE_SHARE", "setting: GAP_COST_*", "snake_case code: scope_note",
        "snake_case code: city_target", "snake_case code: not_met", "exponent: 1e-0", "code span: met",
        "code span: >="]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_methods_page_names_no_developer_detail(lang):
    """The methods page is for its readers: no file path or file of the package, no dotted module or
    function name, no UPPER_CASE setting, no snake_case code and no exponent notation (the comparison
    tolerance) in the visible text of its ``<main>`` — those are in docs/methods-developers.md. Status
    codes are shown as the words the pages use (未达标 / not met).

    The rule for code spans: a name in a code span (``<code>``) must be one a reader types — the name of
    a table or column of the data contract a bureau supplies (``targets_override``, ``applies``), an
    indicator code or target code as the bureau writes it in those tables (and as ``scorecard.csv``
    gives it), the file name ``scorecard.csv`` a reader downloads, or a command line (``qyanalysis …``,
    ``--as-of``). Outside code spans not even these may appear. The page's shared banner, navigation
    and footer (run parameters as the run was called) are not the methods text and are not scanned.
    """
    page = methods.methods_html(lang, PROVENANCE, "demo")
    assert developer_details(page) == []
