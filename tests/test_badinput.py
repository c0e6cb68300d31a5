"""Bad input never gives a report or a traceback: every case of the corpus (``tests/badinput/corpus.py``)
goes through ``qyanalysis validate`` (and the first case of each table and format through ``qyanalysis
run``, which loads with the same loader), which must exit 2, name the file, row and column of the
problem, write nothing and leave the input folder as it was."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from badinput.corpus import (
    CASES,
    CORPUS_SIZE,
    FORMATS,
    base_tables,
    build,
    expected_prefix,
    folder_digest,
    part_rule_case_name,
    write_base,
)

from qyanalysis.cli import main
from qyanalysis.contract.columns import TABLES
from qyanalysis.io import load_dataset
from qyanalysis.io.checks import PART_RULES
from test_runner_fakes import no_kernels_ahead

REPO = Path(__file__).resolve().parents[1]
PROBLEM_LINE = re.compile(r"^[^:\n]+:(\d*):[^:\n]*: \S")
CLOSING_LINE = re.compile(r"^\d+ problem\(s\); nothing was written\.$")


@pytest.fixture(autouse=True)
def _no_kernels_ahead(monkeypatch):
    no_kernels_ahead(monkeypatch)


@pytest.fixture(scope="module")
def base():
    """The small valid dataset the cases are built from (text frames)."""
    return base_tables()


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_refused(case, folder: Path, code: int, out: str, err: str) -> None:
    """Exit 2; the case's problem as FILE:ROW:COLUMN with its message; only problem lines; no traceback."""
    assert "Traceback" not in out + err
    assert code == 2, err
    prefix = expected_prefix(case, folder)
    lines = err.splitlines()
    found = any(line.startswith(prefix) and case.fragment in line for line in lines)
    assert found, (prefix, case.fragment, err)
    assert CLOSING_LINE.match(lines[-1]), lines[-1]
    warnings = [line for line in lines[:-1] if line.startswith("warning: ")]
    for line in lines[:-1]:
        assert line in warnings or PROBLEM_LINE.match(line), line


def test_corpus_size_and_coverage():
    assert CORPUS_SIZE == len(CASES) >= 40
    assert len({c.name for c in CASES}) == CORPUS_SIZE
    # schools, indicators, teachers, tasks, targets_override, counties
    assert {c.table for c in CASES} >= set(TABLES)
    assert {c.fmt for c in CASES} == set(FORMATS)
    assert {c.fmt for c in CASES if c.file.endswith("]")} == {"xlsx_zh", "xlsx_en"}
    names = {c.name for c in CASES}
    assert {part_rule_case_name(rule) for rule in PART_RULES["schools"]} <= names


def test_the_base_dataset_is_valid(base, tmp_path, capsys):
    folder = write_base(tmp_path / "base", base)
    code, out, err = run_cli(["validate", str(folder)], capsys)
    assert code == 0, err
    dataset = load_dataset(folder)
    assert set(dataset.schools["county_code"]) == {"441802"}
    assert dataset.years == [2021, 2022]
    assert dataset.teachers is not None and dataset.tasks is not None and dataset.targets_override is not None


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_is_refused_by_validate(case, base, tmp_path, capsys):
    folder = build(case, tmp_path / case.name, base)
    before = folder_digest(folder)
    code, out, err = run_cli(["validate", str(folder)], capsys)
    assert_refused(case, folder, code, out, err)
    assert folder_digest(folder) == before


# ``run`` loads its data with the loader ``validate`` uses (qyanalysis.opening.load_dataset): its refusal is
# proven on the first case of each table and of each format, not again on all of them.
RUN_CASES = list({id(case): case for case in [
    *(next(c for c in CASES if c.table == table) for table in sorted({c.table for c in CASES})),
    *(next(c for c in CASES if c.fmt == fmt) for fmt in FORMATS)]}.values())


@pytest.mark.parametrize("case", RUN_CASES, ids=lambda c: c.name)
def test_bad_input_is_refused_by_run(case, base, tmp_path, capsys):
    folder = build(case, tmp_path / case.name, base)
    before = folder_digest(folder)
    reports = tmp_path / "reports"
    code, out, err = run_cli(["run", "--data", str(folder), "--out", str(reports), "--jobs", "1", "--quiet",
                              "--notebooks-dir", str(REPO / "notebooks")], capsys)
    assert_refused(case, folder, code, out, err)
    assert not reports.exists() or not any(reports.iterdir())
    assert folder_digest(folder) == before


SUBPROCESS_CASES = [next(c for c in CASES if c.fmt == fmt) for fmt in FORMATS]


@pytest.mark.slow
@pytest.mark.parametrize("case", SUBPROCESS_CASES, ids=lambda c: c.name)
def test_bad_input_in_a_fresh_process(case, base, tmp_path):
    # The installed entry point as a user runs it: exit 2, the problem line, no traceback.
    folder = build(case, tmp_path / case.name, base)
    done = subprocess.run([sys.executable, "-m", "qyanalysis", "validate", str(folder)], capture_output=True,
                          text=True, cwd=REPO, timeout=120)
    assert_refused(case, folder, done.returncode, done.stdout, done.stderr)


# --- real-world mess that must LOAD, with the right values -----------------------------------------
# (CSV title rows, CSV blank rows, 小计/总计, full-width digits in CSV, "85%" in CSV and BOMs with Chinese
# headers are covered in test_io_readers.py; these add the workbook, Parquet and header variants.)

ZH = {c.name: c.label_zh for c in TABLES["schools"].columns}
SCHOOL_ROWS = [["S001", "清城一小", "清城", 2022, "primary", "public", 800],
               ["S002", "清城二中", "清城区", 2022, "junior", "public", 1200]]
INDICATOR_SHEET = [["county", "year", "period", "indicator", "value"],
                   ["清城", 2022, None, "compulsory_dropout_rate", 0.002]]


def write_sheets(path: Path, sheets: dict[str, list[list[object]]],
                 merges: dict[str, list[str]] | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


def test_workbook_with_title_row_merged_group_headers_total_and_blank_rows_loads(tmp_path):
    # A statistical sheet as bureaus send it: a title over the table, a merged group header 学生情况
    # over two columns, a blank row in the middle, a 合计 row and blank rows at the end.
    sheet = [["2022年清城区学校基本情况统计表"] + [None] * 7,
             [ZH["school_id"], ZH["school_name"], ZH["county"], ZH["year"], ZH["level"], ZH["ownership"],
              "学生情况", None],
             [None] * 6 + [ZH["students"], ZH["migrant_students"]],
             ["S001", "清城一小", "清城", 2022, "primary", "public", 800, 120],
             [None] * 8,
             ["S002", "清城二中", "清城区", 2022, "junior", "public", 1200, 300],
             ["合计", None, None, None, None, None, 2000, 420],
             [None] * 8, [None] * 8]
    merges = {"学校": ["A1:H1", *(f"{c}2:{c}3" for c in "ABCDEF"), "G2:H2"]}
    book = write_sheets(tmp_path / "统计.xlsx", {"学校": sheet, "指标": INDICATOR_SHEET}, merges)
    dataset = load_dataset(book)
    schools = dataset.schools
    assert schools["school_id"].tolist() == ["S001", "S002"]
    assert schools["students"].tolist() == [800.0, 1200.0]
    assert schools["migrant_students"].tolist() == [120.0, 300.0]
    assert [(w.row, w.message) for w in dataset.warnings] == [(7, "total row (合计/总计/小计) dropped")]


def test_workbook_text_cells_with_full_width_digits_thousands_and_percent_load(tmp_path):
    rows = [[ZH[n] for n in ("school_id", "school_name", "county", "year", "level", "ownership", "students")],
            ["S001", "清城一小", "\u3000清城\u3000", "２０２２", "primary", "public", "１，２３４"],
            ["S002", "清城二中", "清城", 2022, "junior", "public", "12,345"]]
    indicators = [INDICATOR_SHEET[0], ["清城", 2022, None, "fitness_good_rate", "85%"],
                  ["清城", 2022, None, "myopia_rate", 0.525]]  # an Excel percentage cell holds 0.525
    dataset = load_dataset(write_sheets(tmp_path / "b.xlsx", {"学校": rows, "指标": indicators}))
    assert dataset.schools["students"].tolist() == [1234.0, 12345.0]
    assert dataset.schools["year"].tolist() == [2022, 2022]
    assert dataset.indicators["value"].tolist() == pytest.approx([0.85, 0.525])


def test_chinese_headers_with_stray_spaces_load(tmp_path):
    from io_helpers import make_folder

    header = [" 学校标识码", "学 校 名 称", "县（市、区） ", "\u3000年度", "学段类型 ", "办学 性质", "在校生数 （人）"]
    text = ",".join(header) + "\n" + "\n".join(",".join(map(str, r)) for r in SCHOOL_ROWS) + "\n"
    schools = load_dataset(make_folder(tmp_path, schools=text.encode("utf-8-sig"))).schools
    assert schools["school_name"].tolist() == ["清城一小", "清城二中"]
    assert schools["students"].tolist() == [800.0, 1200.0]


def test_bom_with_a_title_row_and_trailing_blank_lines_in_gb18030_and_utf8(tmp_path):
    from io_helpers import make_folder

    body = ("清城区学校情况\n" + ",".join(["school_id", "school_name", "county", "year", "level", "ownership",
                                          "students"]) + "\n"
            + "\n".join(",".join(map(str, r)) for r in SCHOOL_ROWS) + "\n\n,,,,,,\n\n")
    for encoding in ("utf-8-sig", "gb18030"):
        folder = make_folder(tmp_path / encoding, schools=body.encode(encoding))
        schools = load_dataset(folder).schools
        assert schools["school_id"].tolist() == ["S001", "S002"], encoding
        assert schools["students"].tolist() == [800.0, 1200.0], encoding


def test_parquet_text_columns_with_mess_load(tmp_path):
    import pandas as pd
    from io_helpers import make_folder

    folder = make_folder(tmp_path, schools=None, indicators=None)
    pd.DataFrame({
        "学校标识码": ["S001", "S002", "", "合计"], "学校名称": ["一小", "二中", "", ""],
        "县区": ["\u3000清城 ", "ＱＩＮＧＣＨＥＮＧ DISTRICT", "", ""], "年度": [2022, 2022, None, None],
        "学段类型": ["primary", "Junior", "", ""], "办学性质": ["public", "PUBLIC", "", ""],
        "在校生数": ["１２３", "1,234", "", "1357"],
    }).to_parquet(folder / "schools.parquet")
    pd.DataFrame({"county": ["清城", "清城"], "year": [2022, 2022], "period": [None, "2022年6月"],
                  "indicator": ["fitness_good_rate", "myopia_rate"], "value": ["85%", "５２．５％"]}
                 ).to_parquet(folder / "indicators.parquet")
    dataset = load_dataset(folder)
    assert dataset.schools["students"].tolist() == [123.0, 1234.0]
    assert dataset.schools["county_code"].tolist() == ["441802", "441802"]
    assert dataset.schools["level"].tolist() == ["primary", "junior"]
    assert dataset.indicators["value"].tolist() == pytest.approx([0.85, 0.525])
    assert dataset.indicators["period"].tolist() == ["", "2022-06"]
