"""The Excel template and the data dictionary, both generated from the declarations."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from io_helpers import INDICATORS_HEADER, INDICATORS_ROWS, SCHOOLS_ROWS

from qyanalysis.cli import main
from qyanalysis.contract.columns import TABLES
from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.io import load_dataset
from qyanalysis.io.templates import (
    CODES_SHEET,
    GUIDE_HEADERS,
    GUIDE_INTRO,
    GUIDE_SHEET,
    data_dictionary_markdown,
    write_template,
)

DICTIONARY = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"


def test_template_has_one_chinese_sheet_per_table_with_chinese_headers(tmp_path):
    book = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    assert book.sheetnames == [GUIDE_SHEET, *(t.label_zh for t in TABLES.values()), CODES_SHEET]
    for table in TABLES.values():
        assert [c.value for c in book[table.label_zh][1]] == [c.label_zh for c in table.columns]


def test_guide_sheet_explains_every_column(tmp_path):
    sheet = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))[GUIDE_SHEET]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header_at = len(GUIDE_INTRO) + 1  # intro lines, one blank row, then the header (0-based index)
    assert tuple(rows[header_at]) == GUIDE_HEADERS
    body = rows[header_at + 1:]
    assert len(body) == sum(len(t.columns) for t in TABLES.values())
    level = next(r for r in body if r[:2] == ["学校", "level"])
    assert level[2:6] == ["学段类型", "分类", None, "是"]
    assert level[6].startswith("kindergarten, primary, junior")
    area = next(r for r in body if r[1] == "teaching_area_m2")
    assert area[4] == "m2" and area[5] == "否"


def test_indicator_codes_sheet_lists_the_catalogue(tmp_path):
    sheet = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))[CODES_SHEET]
    codes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert codes == list(CATALOGUE)


def test_filled_template_loads(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    for row in SCHOOLS_ROWS:  # school_id, name, county, year, level, ownership, then students (7th column)
        book["学校"].append([*row[:6], None, None, int(row[6])])
    assert [c.value for c in book["学校"][1]][8] == "在校生数"
    indicators = {name: i for i, name in enumerate(c.name for c in TABLES["indicators"].columns)}
    for row in INDICATORS_ROWS:
        cells = [None] * len(indicators)
        for name, value in zip(INDICATORS_HEADER, row):
            cells[indicators[name]] = value
        book["指标"].append(cells)
    book.save(path)
    dataset = load_dataset(path)
    assert dataset.schools["students"].tolist() == [800.0, 600.0, 1200.0]
    assert dataset.indicators["indicator"].tolist() == [
        "compulsory_dropout_rate", "new_public_seats_compulsory"]
    assert sorted(str(w) for w in dataset.warnings) == [
        "t.xlsx[任务]::: no data rows; table ignored",
        "t.xlsx[县区]::: no data rows; the built-in Qingyuan registry is used",
        "t.xlsx[教师]::: no data rows; table ignored",
        "t.xlsx[满意度调查]::: no data rows; table ignored",
        "t.xlsx[目标调整]::: no data rows; table ignored",
    ]


def test_empty_template_reports_only_the_missing_school_rows(tmp_path, capsys):
    path = write_template(tmp_path)  # a folder gets qyanalysis-template.xlsx
    assert path.name == "qyanalysis-template.xlsx"
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        "qyanalysis-template.xlsx[学校]::: no data rows; expected one row per school and year")


def test_cli_template_command(tmp_path, capsys):
    assert main(["template", str(tmp_path / "out.xlsx")]) == 0
    assert (tmp_path / "out.xlsx").is_file() and "wrote" in capsys.readouterr().out


def test_committed_data_dictionary_is_up_to_date():
    assert DICTIONARY.read_text(encoding="utf-8") == data_dictionary_markdown(), (
        "regenerate: python -c 'from qyanalysis.io.templates import data_dictionary_markdown as d; "
        "open(\"docs/data-dictionary.md\", \"w\").write(d())'")


def test_data_dictionary_documents_every_column_and_indicator():
    text = data_dictionary_markdown()
    for table in TABLES.values():
        assert f"### `{table.name}` — {table.label_zh}" in text
        for column in table.columns:
            assert f"| `{column.name}` | {column.label_zh} |" in text
    for code in CATALOGUE:
        assert f"| `{code}` |" in text
    assert "Why hand-written checks rather than pandera" in text
