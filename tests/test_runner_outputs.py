"""What a run leaves for its readers (issue 19, "Reports that guide their reader"), on one English run of a
county and the city under umask 022 (the session's English run: tests/run_helpers.py):

* files readable by others (``rw-r--r--``, folders ``rwxr-xr-x``), not mkstemp's ``rw-------``;
* each unit's index offers its downloads — the workbook, the PDF once printed, ``scorecard.csv`` and the
  whole school gap list ``school_gaps.csv`` (also a sheet of the workbook) — and every link resolves;
* a print button on every page, hidden in print;
* English pages in English: no Chinese character outside the names, official titles and numbers that
  tests/english_helpers.py allows (the methods page too; its scan in process: tests/test_methods_english.py).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import stat
import sys
from pathlib import Path

import pandas as pd
import pytest
from english_helpers import FORM_TERMS, OFFICIAL_TITLES, allowed_names, chinese_leftovers
from openpyxl import load_workbook
from run_helpers import COUNTY
from run_helpers import YEAR

from qyanalysis.present.suppression import SECONDARY_MARK, small_count_label
from qyanalysis.runner.outputs import GAP_LIST_NAME, pdf_name, refresh_county_index

pytestmark = pytest.mark.slow
HEADER_ROW = 3  # the workbooks' header row (qyanalysis.present.workbook)


def _pages(year_dir: Path) -> list[Path]:
    return sorted(year_dir.rglob("*.html"))


def _downloads(index: Path) -> list[str]:
    text = index.read_text(encoding="utf-8")
    block = re.search(r'<ul class="qy-nav qy-downloads">(.*?)</ul>', text, re.S)
    return re.findall(r'<a href="([^"]+)"', block.group(1)) if block else []


def _gap_csv(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / GAP_LIST_NAME, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _plan_rows(demo, code: str | None) -> pd.DataFrame:
    from qyanalysis.equity import county_plan

    rows = county_plan(demo, code, YEAR).schools
    return rows[rows["plan_add"] > 0]


# ---- permissions ----------------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_outputs_are_readable_by_others_under_umask_022(en_run):
    modes = {p.relative_to(en_run): stat.S_IMODE(p.stat().st_mode) for p in [en_run, *en_run.rglob("*")]}
    assert {p: m for p, m in modes.items() if (en_run / p).is_dir() and m != 0o755} == {}
    assert {p: m for p, m in modes.items() if (en_run / p).is_file() and m != 0o644} == {}
    assert {Path("run.json"), Path(COUNTY, "scorecard.xlsx"), Path(COUNTY, "00_overview.html"),
            Path("city", "scorecards.xlsx"), Path(COUNTY, GAP_LIST_NAME)} <= set(modes)


# ---- downloads -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("unit", "workbook"), [(COUNTY, "scorecard.xlsx"), ("city", "scorecards.xlsx")])
def test_each_index_offers_its_downloads_and_they_exist(en_run, unit, workbook):
    index = en_run / unit / "index.html"
    assert _downloads(index) == [workbook, "scorecard.csv", GAP_LIST_NAME]  # no PDF before printing
    for href in _downloads(index):
        assert (index.parent / href).is_file(), href


def test_the_list_of_reports_offers_the_city_files(en_run):
    links = _downloads(en_run / "index.html")
    assert links == ["city/scorecards.xlsx", "city/scorecard.csv", f"city/{GAP_LIST_NAME}"]
    assert all((en_run / href).is_file() for href in links)


def test_every_link_of_every_page_resolves(en_run):
    for page in _pages(en_run):
        for href in re.findall(r'<a [^>]*href="([^"#]+)', page.read_text(encoding="utf-8")):
            if not re.match(r"[a-z]+:", href):
                assert (page.parent / html.unescape(href)).exists(), (page.name, href)


def test_the_pdf_is_offered_once_printed(zh_run, en_run, tmp_path):
    shutil.copytree(zh_run, tmp_path / str(YEAR))  # both trees: an index links its other-language page
    year_dir = tmp_path / str(YEAR) / "en"
    manifest = json.loads((year_dir / "run.json").read_text(encoding="utf-8"))
    for unit in (COUNTY, "city"):
        assert refresh_county_index(year_dir, unit, manifest, YEAR) is False  # nothing new: untouched
        (year_dir / unit / pdf_name(unit, YEAR, "en")).write_bytes(b"%PDF-1.7\n")
        assert refresh_county_index(year_dir, unit, manifest, YEAR) is True
        links = _downloads(year_dir / unit / "index.html")
        assert links[1] == pdf_name(unit, YEAR, "en") == f"{unit}-{YEAR}-en.pdf" and len(links) == 4
        # the rest of the page is as the run wrote it
        before = (en_run / unit / "index.html").read_text(encoding="utf-8")
        after = (year_dir / unit / "index.html").read_text(encoding="utf-8")
        assert re.sub(r"<li><a href=\"[^\"]+\.pdf\">.*?</li>\n?", "", after) == before


class _Printer:
    """Stands in for headless Chromium (qyanalysis.runner.chromium.Chromium): "prints" a fixed PDF."""

    def __init__(self):
        self.printed = 0

    def print_pdf(self, path: Path) -> bytes:
        assert path.is_file()
        self.printed += 1
        return b"%PDF-1.7\n%%EOF\n"

    def close(self) -> None:
        pass


def test_qyanalysis_pdf_adds_the_link_and_the_pdf_stays_up_to_date(en_run, tmp_path):
    from qyanalysis.runner.pdf import print_reports

    year_dir, printer = tmp_path / str(YEAR) / "en", _Printer()
    shutil.copytree(en_run, year_dir)
    results = list(print_reports(tmp_path, year=YEAR, counties=[COUNTY], browser=printer))
    assert [(r.status, r.lang) for r in results] == [("written", "en")] and printer.printed == 1
    assert results[0].path == year_dir / COUNTY / pdf_name(COUNTY, YEAR, "en")
    assert _downloads(year_dir / COUNTY / "index.html")[1] == pdf_name(COUNTY, YEAR, "en")
    assert pdf_name("city", YEAR, "en") not in _downloads(year_dir / "city" / "index.html")  # not printed
    # the index changed by its link alone: the PDF is still newer than every page it was made from
    again = list(print_reports(tmp_path, year=YEAR, counties=[COUNTY], browser=printer))
    assert [r.status for r in again] == ["up_to_date"] and printer.printed == 1


@pytest.mark.parametrize(("unit", "shown"), [(COUNTY, 0), ("city", 40)])
def test_the_gap_list_holds_every_row_of_the_plan(en_run, demo, unit, shown):
    from qyanalysis.measures.gaps import school_gaps

    code = None if unit == "city" else unit
    table = _gap_csv(en_run / unit)
    plan = _plan_rows(demo, code)
    assert len(table) == len(plan) > shown  # the city's page shows the 40 costliest
    key = ["County code", "School ID"]
    assert sorted(map(tuple, table[key].to_numpy())) == sorted(
        zip(plan["county_code"].astype(str), plan["school_id"].astype(str), strict=True))
    # every addition the school rule asks (school_gaps) is a row: its school part and indicator are listed
    gaps = school_gaps(demo, code, YEAR)
    needed = gaps[gaps["add"] > 0]
    assert set(needed["school_id"].astype(str)) <= set(table["School ID"])
    assert len(needed) <= len(table)
    # disclosure control as on the page: no pupil count of 1–4 is shown
    pupils = table["Pupils"]
    shown = pd.to_numeric(pupils.str.replace(",", ""), errors="coerce")
    assert not shown.between(1, 4).any()
    assert set(pupils[shown.isna()]) <= {small_count_label(), SECONDARY_MARK, "—", ""}
    costs = pd.to_numeric(table["Cost (yuan)"], errors="coerce")
    assert costs.notna().sum() > 0 and (costs.dropna() > 0).all()


def test_the_page_names_the_whole_list(en_run):
    city = (en_run / "city" / "08_balance_readiness.html").read_text(encoding="utf-8")
    assert "costliest are shown. The whole list is under Downloads on the index page: school_gaps.csv" in city


@pytest.mark.parametrize(("unit", "workbook"), [(COUNTY, "scorecard.xlsx"), ("city", "scorecards.xlsx")])
def test_the_workbooks_carry_the_gap_list(en_run, unit, workbook):
    book = load_workbook(en_run / unit / workbook, read_only=True)
    assert "School gaps" in book.sheetnames and book.sheetnames[-1] == "About"
    sheet = pd.read_excel(en_run / unit / workbook, sheet_name="School gaps", header=HEADER_ROW - 1, dtype=str)
    table = _gap_csv(en_run / unit)
    assert list(sheet.columns) == list(table.columns)
    assert list(sheet["School ID"]) == list(table["School ID"])
    numbers = pd.to_numeric(sheet["Cost (yuan)"], errors="coerce").dropna()
    assert numbers.equals(pd.to_numeric(table["Cost (yuan)"], errors="coerce").dropna())


# ---- printing ------------------------------------------------------------------------------------------


def test_every_page_has_a_print_button_hidden_in_print(en_run):
    for page in _pages(en_run):
        text = page.read_text(encoding="utf-8")
        buttons = re.findall(r"<button\b([^>]*)>([^<]*)</button>", text)
        assert len(buttons) == 1 and buttons[0][1] == "Print this page", page
        attributes = set(re.findall(r'\w+="[^"]*"', buttons[0][0]))
        assert attributes == {'type="button"', 'class="qy-print-button"', 'onclick="window.print()"'}, page
        printed = text[text.index("@media print"):]
        assert ".qy-print-button { display: none; }" in printed, page


# ---- English pages in English ---------------------------------------------------------------------------


def test_the_scan_finds_chinese_and_spares_what_is_allowed():
    allowed = ["清城区", *FORM_TERMS, *OFFICIAL_TITLES]
    assert chinese_leftovers("<p>Qingcheng (清城区), staff (教职工), 教督〔2017〕6号</p>", allowed) == []
    assert chinese_leftovers("<p>the 优质均衡 school rule</p>", allowed) == ["the 优质均衡 school ru"]
    assert chinese_leftovers('<img alt="x" src="data:image/png;base64,5Lit">≥ 2,000 元', allowed) == ["≥ 2,000 元"]
    assert chinese_leftovers("<style>/* 中文 */</style><p>教督〔2017〕6号</p>", []) == []


def test_english_pages_are_in_english(en_run, demo):
    allowed = allowed_names(demo)
    pages = _pages(en_run)
    # the city index, the city's two pages and index, the county's index and 9 pages, the methods page
    assert len(pages) >= 14 and any(p.name == "methods.html" for p in pages)
    # the methods page may give a census form's term or the plan's title as "English (中文)"
    found = {str(p.relative_to(en_run)): chinese_leftovers(p.read_text(encoding="utf-8"), allowed,
                                                           originals=p.name == "methods.html") for p in pages}
    assert {page: passages[:5] for page, passages in found.items() if passages} == {}
