"""Readers: encodings, Excel workbooks, Parquet, Chinese headers and the mess of real statistical sheets."""

from __future__ import annotations

import json
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from io_helpers import (
    INDICATORS_CSV,
    INDICATORS_HEADER,
    INDICATORS_ROWS,
    SCHOOLS_CSV,
    SCHOOLS_HEADER,
    SCHOOLS_ROWS,
    csv_text,
    lines,
    make_folder,
    only,
    problems,
)

from qyanalysis.contract.columns import SCHOOLS, TABLES
from qyanalysis.io import load_dataset
from qyanalysis.opening import load_demo
from qyanalysis.io.headers import find_header_row, header_lookup, match_header
from qyanalysis.io.text import fold

ZH_HEADER = [SCHOOLS.column(n).label_zh for n in SCHOOLS_HEADER]  # 学校标识码, 学校名称, 县(市、区), …


def write_book(path, sheets: dict[str, list[list[object]]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# --- CSV encodings -------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings_with_chinese_headers(tmp_path, encoding):
    schools = csv_text(ZH_HEADER, SCHOOLS_ROWS)
    dataset = load_dataset(make_folder(tmp_path, encoding=encoding, schools=schools))
    assert dataset.schools["school_name"].tolist() == [r[1] for r in SCHOOLS_ROWS]
    assert dataset.schools["county_code"].tolist() == ["441802", "441881", "441882"]


def test_gb18030_detected_after_a_long_ascii_start(tmp_path):
    # The first 64 KiB are plain ASCII (valid UTF-8); the Chinese name only comes later.
    rows = [[f"S{i:05d}", "school", "441802", "2022", "primary", "public", "1"] for i in range(3000)]
    rows.append(["S99999", "连州中学", "连州", "2022", "junior", "public", "2"])
    folder = make_folder(tmp_path, encoding="gb18030", schools=csv_text(SCHOOLS_HEADER, rows))
    assert load_dataset(folder).schools["school_name"].iloc[-1] == "连州中学"


def test_undecodable_csv_is_reported(tmp_path):
    folder = make_folder(tmp_path, schools=b"school_id\n\xff\xfe\xfa\n")
    issue = only(problems(folder))
    assert issue.file == "schools.csv" and "neither UTF-8 nor GB18030" in issue.message


def test_tab_separated(tmp_path):
    text = "\n".join("\t".join(r) for r in [SCHOOLS_HEADER, *SCHOOLS_ROWS]) + "\n"
    assert len(load_dataset(make_folder(tmp_path, schools=text)).schools) == 3


def test_chinese_file_names(tmp_path):
    folder = make_folder(tmp_path, schools=None, indicators=None)
    (folder / "学校.csv").write_text(SCHOOLS_CSV, encoding="utf-8")
    (folder / "指标.csv").write_text(INDICATORS_CSV, encoding="utf-8")
    assert len(load_dataset(folder).schools) == 3


def test_unknown_file_is_ignored_with_a_warning(tmp_path):
    folder = make_folder(tmp_path, notes="a,b\n1,2\n")
    assert [str(w) for w in load_dataset(folder).warnings] == [
        "notes.csv::: file ignored: its name is not a table of the contract"]


def test_same_table_twice_is_an_error(tmp_path):
    folder = make_folder(tmp_path)
    pd.DataFrame({"school_id": ["S1"]}).to_parquet(folder / "schools.parquet")
    assert any("table schools is also given by" in line for line in lines(folder))


# --- headers -------------------------------------------------------------------------------------

def test_headers_by_alias_full_width_and_unit(tmp_path):
    header = ["学校代码", "学校名称", "县区", "ＹＥＡＲ", " Level ", "办学性质", "在校生数（人）"]
    dataset = load_dataset(make_folder(tmp_path, schools=csv_text(header, SCHOOLS_ROWS)))
    assert dataset.schools["students"].tolist() == [800.0, 600.0, 1200.0]


def test_no_two_columns_of_a_table_share_a_spelling():
    for table in TABLES.values():
        spellings = [fold(s) for c in table.columns for s in dict.fromkeys((c.name, c.label_zh, *c.aliases))]
        assert len(spellings) == len(set(spellings)), table.name
        assert len(header_lookup(table.name)) == len(spellings)


def test_match_header():
    assert match_header(SCHOOLS, "在校生数(人)") == "students"
    assert match_header(SCHOOLS, "学 校 名 称") == "school_name"
    assert match_header(SCHOOLS, "校长") is None


def test_header_row_found_below_a_title_and_a_group_row():
    rows = [["2022年学校基本情况统计表", "", ""], ["基本信息", "", "学生"], ["学校标识码", "学校名称", "在校生数"]]
    assert find_header_row(SCHOOLS, rows).index == 2


def test_duplicate_column_is_an_error(tmp_path):
    text = csv_text(SCHOOLS_HEADER + ["在校生数"], [r + ["1"] for r in SCHOOLS_ROWS])
    issue = only(problems(make_folder(tmp_path, schools=text)))
    assert (issue.row, issue.column) == (1, "在校生数") and "given twice" in issue.message


# --- mess of real sheets -------------------------------------------------------------------------

def test_title_row_blank_rows_and_total_row_in_csv(tmp_path):
    text = ("清远市2022年学校基本情况\n"  # row 1: a title of another width (slow path)
            + ",".join(SCHOOLS_HEADER) + "\n"  # row 2: the header
            + ",".join(SCHOOLS_ROWS[0]) + "\n"  # row 3
            + "\n,,,,,,\n"  # rows 4–5: blank
            + ",".join(SCHOOLS_ROWS[1][:6]) + ",-5\n"  # row 6: an error, to check numbering
            + "合计,,,,,,1400\n")  # row 7: total
    found = problems(make_folder(tmp_path, schools=text))
    assert [str(i) for i in found] == [
        "schools.csv:6:students: negative value -5; expected a whole number >= 0 (persons)"]


def test_title_row_of_the_same_width_keeps_the_fast_path(tmp_path):
    text = "学校情况表,,,,,,\n" + SCHOOLS_CSV + "S004,新,清城,2022,primary,public,x\n"
    first = lines(make_folder(tmp_path, schools=text))[0]
    assert first.startswith("schools.csv:6:students: 'x' is not a number")


def test_two_row_header_in_csv(tmp_path):
    text = ("学校标识码,学校名称,县区,年度,学段类型,办学性质,学生情况,\n"  # group label 学生情况 over two columns
            ",,,,,,在校生数,随迁子女在校生数\n"
            "S001,一小,清城,2022,primary,public,500,600\n")
    issue = only(problems(make_folder(tmp_path, schools=text)))
    assert (issue.row, issue.column) == (3, "随迁子女在校生数")
    assert issue.message.startswith("随迁子女在校生数 = 600 is more than 在校生数 = 500")


def test_column_with_data_but_no_header_is_ignored_with_a_warning(tmp_path):
    text = csv_text(SCHOOLS_HEADER + [""], [r + ["x"] for r in SCHOOLS_ROWS])
    warnings = load_dataset(make_folder(tmp_path, schools=text)).warnings
    assert [str(w) for w in warnings] == ["schools.csv:1:: column 8 has data but no header; ignored"]


def test_total_rows_dropped_with_warnings(tmp_path):
    text = SCHOOLS_CSV + "小计,,,,,,2600\n" + "  总计：,,,,,,2600\n"
    dataset = load_dataset(make_folder(tmp_path, schools=text))
    assert len(dataset.schools) == 3
    assert [(w.row, w.message) for w in dataset.warnings] == [(5, "total row (合计/总计/小计) dropped"),
                                                             (6, "total row (合计/总计/小计) dropped")]


def test_full_width_digits_spaces_and_thousands(tmp_path):
    rows = [["S001", "清城一小", "清城", "２０２２", "primary", "public", "１，２３４"],
            ["S002", "清城二小", "\u3000清城\u3000", "2022 ", "primary", "public", '" 1,234,567 "']]
    dataset = load_dataset(make_folder(tmp_path, schools=csv_text(SCHOOLS_HEADER, rows)))
    assert dataset.schools["students"].tolist() == [1234.0, 1234567.0]
    assert dataset.schools["year"].tolist() == [2022, 2022]


def test_malformed_thousands_is_not_a_number(tmp_path):
    text = csv_text(SCHOOLS_HEADER, [["S001", "一小", "清城", "2022", "primary", "public", '"1,23"']])
    assert lines(make_folder(tmp_path, schools=text)) == [
        "schools.csv:2:students: '1,23' is not a number; expected a whole number >= 0 (persons)"]


def test_empty_and_dash_cells_are_missing_not_zero(tmp_path):
    text = csv_text(SCHOOLS_HEADER + ["teachers", "dropouts"],
                    [r + v for r, v in zip(SCHOOLS_ROWS, [["", "-"], ["40", "—"], ["N/A", "0"]])])
    schools = load_dataset(make_folder(tmp_path, schools=text)).schools
    assert schools["teachers"].isna().tolist() == [True, False, True]
    assert schools["dropouts"].isna().tolist() == [True, True, False]
    assert schools["dropouts"].iloc[2] == 0


@pytest.mark.parametrize(("written", "expected"), [
    ("true", True), ("FALSE", False), ("1", True), ("0", False), ("是", True), ("否", False),
    ("Yes", True), ("no", False), ("", None),
])
def test_booleans(tmp_path, written, expected):
    text = csv_text(SCHOOLS_HEADER + ["has_resource_room"], [r + [written] for r in SCHOOLS_ROWS])
    value = load_dataset(make_folder(tmp_path, schools=text)).schools["has_resource_room"].iloc[0]
    assert (value is pd.NA) if expected is None else (bool(value) is expected)


def test_percent_strings_and_periods_in_indicators(tmp_path):
    text = csv_text(INDICATORS_HEADER, [
        ["清城", "2022", "2022年6月", "fitness_good_rate", "８５％"],
        ["清城", "2022", "2022q2", "myopia_rate", "52.5%"],
        ["清城", "2022", "2022-3", "migrant_public_share", "0.9"],
    ])
    indicators = load_dataset(make_folder(tmp_path, indicators=text)).indicators
    assert indicators["period"].tolist() == ["2022-06", "2022-Q2", "2022-03"]
    assert indicators["value"].tolist() == pytest.approx([0.85, 0.525, 0.9])


# --- Excel ---------------------------------------------------------------------------------------

def test_workbook_with_chinese_sheet_names_and_headers(tmp_path):
    book = write_book(tmp_path / "教育统计.xlsx", {
        "学校": [ZH_HEADER, *([r[0], r[1], r[2], int(r[3]), r[4], r[5], int(r[6])] for r in SCHOOLS_ROWS)],
        "指标": [INDICATORS_HEADER, *INDICATORS_ROWS],
        "说明": [["任意说明"]],
    })
    dataset = load_dataset(book)
    assert dataset.schools["students"].tolist() == [800.0, 600.0, 1200.0]
    assert dataset.warnings == []
    folder = tmp_path / "folder"
    folder.mkdir()
    book.rename(folder / book.name)
    assert len(load_dataset(folder).schools) == 3


def test_workbook_errors_name_the_sheet(tmp_path):
    rows = [["标题:2022年清远市学校情况"], [], ZH_HEADER,
            ["S001", "一小", "清城", 2022, "primary", "public", -4]]
    book = write_book(tmp_path / "book.xlsx",
                      {"schools": rows, "indicators": [INDICATORS_HEADER, *INDICATORS_ROWS]})
    assert [str(i) for i in problems(book)] == [
        "book.xlsx[schools]:4:在校生数: negative value -4; expected a whole number >= 0 (persons)"]


def test_workbook_with_merged_group_headers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "学校"
    sheet.append(["学校标识码", "学校名称", "县区", "年度", "学段类型", "办学性质", "学生情况", None])
    sheet.append([None, None, None, None, None, None, "在校生数", "随迁子女在校生数"])
    sheet.append(["S001", "一小", "清城", 2022, "primary", "public", 500, 600])
    for column in "ABCDEF":
        sheet.merge_cells(f"{column}1:{column}2")
    sheet.merge_cells("G1:H1")
    book.create_sheet("指标").append(INDICATORS_HEADER)
    for row in INDICATORS_ROWS:
        book["指标"].append(row)
    book.save(tmp_path / "merged.xlsx")
    issue = only(problems(tmp_path / "merged.xlsx"))
    # Header on row 2 (the merged cells above fill it);
    # 600 migrant pupils in a school of 500 is caught on row 3.
    assert (issue.file, issue.row, issue.column) == ("merged.xlsx[学校]", 3, "随迁子女在校生数")


def test_excel_dates_in_period_and_numbers_as_floats(tmp_path):
    import datetime as dt

    book = write_book(tmp_path / "b.xlsx", {
        "schools": [SCHOOLS_HEADER, ["1144180201", "一小", 441802.0, 2022.0, "primary", "public", 800.0]],
        "indicators": [INDICATORS_HEADER, ["清城", 2022, dt.datetime(2022, 3, 1), "myopia_rate", 0.5]],
    })
    dataset = load_dataset(book)
    assert dataset.schools["school_id"].tolist() == ["1144180201"]
    assert dataset.schools["county_code"].tolist() == ["441802"]
    assert dataset.indicators["period"].tolist() == ["2022-03"]


def test_two_workbooks_in_a_folder_is_an_error(tmp_path):
    folder = make_folder(tmp_path)
    write_book(folder / "a.xlsx", {"x": [["a"]]})
    write_book(folder / "b.xlsx", {"y": [["b"]]})
    assert any("expected at most one .xlsx per folder" in line for line in lines(folder))


def test_old_xls_is_refused_with_advice(tmp_path):
    folder = make_folder(tmp_path)
    (folder / "schools_old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "schools_old.xls::: old binary Excel file; expected it saved as .xlsx" in lines(folder)


def test_corrupt_workbook_is_reported(tmp_path):
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    issue = problems(tmp_path / "broken.xlsx")[0]
    assert issue.file == "broken.xlsx" and "cannot read the workbook" in issue.message


# --- Parquet -------------------------------------------------------------------------------------

def test_parquet_loads_typed_columns(tmp_path):
    folder = make_folder(tmp_path, schools=None)
    pd.DataFrame({
        "school_id": [1144180201, 1144180202], "school_name": ["一小", "二小"], "county": ["清城", "清新"],
        "year": [2022, 2022], "level": ["primary", "junior"], "ownership": ["public", "private"],
        "students": [800, 600], "teachers": [40.0, np.nan], "has_resource_room": [True, False],
    }).to_parquet(folder / "schools.parquet")
    schools = load_dataset(folder).schools
    assert schools["school_id"].tolist() == ["1144180201", "1144180202"]
    assert schools["has_resource_room"].tolist() == [True, False]
    assert schools["students"].tolist() == [800.0, 600.0]
    assert schools["teachers"].iloc[0] == 40 and math.isnan(schools["teachers"].iloc[1])


def test_parquet_errors_use_row_numbers_from_2(tmp_path):
    folder = make_folder(tmp_path, schools=None)
    frame = pd.DataFrame([r[:6] + [int(r[6])] for r in SCHOOLS_ROWS], columns=SCHOOLS_HEADER)
    frame.loc[1, "students"] = -1
    frame.to_parquet(folder / "schools.parquet")
    assert lines(folder) == [
        "schools.parquet:3:students: negative value -1; expected a whole number >= 0 (persons)"]


# --- Dataset fields ------------------------------------------------------------------------------

def test_dataset_dtypes(tmp_path):
    dataset = load_dataset(make_folder(tmp_path))
    schools = dataset.schools
    declared = [("county_code" if c.name == "county" else c.name) for c in SCHOOLS.columns]
    assert list(schools.columns) == declared
    assert schools["year"].dtype == np.int64
    assert schools["students"].dtype == np.float64 and schools["teachers"].isna().all()
    assert str(schools["has_resource_room"].dtype) == "boolean"
    assert list(dataset.indicators.columns) == [
        "county_code", "year", "period", "indicator", "value", "source"]
    assert dataset.indicators["period"].tolist() == ["", "2022-06"]
    assert dataset.teachers is None and dataset.tasks is None and dataset.targets_override is None


def test_data_hash_is_stable_and_content_sensitive(tmp_path):
    first = load_dataset(make_folder(tmp_path / "a"))
    again = load_dataset(make_folder(tmp_path / "b"))
    changed = load_dataset(make_folder(tmp_path / "c", schools=SCHOOLS_CSV.replace("800", "801")))
    assert len(first.data_hash) == 64
    assert first.data_hash == again.data_hash != changed.data_hash
    assert first.source == tmp_path / "a" / "data"


def test_is_demo_from_metadata(tmp_path):
    folder = make_folder(tmp_path)
    assert load_dataset(folder).is_demo is False
    (folder / "metadata.json").write_text(json.dumps({"synthetic": True}), encoding="utf-8")
    assert load_dataset(folder).is_demo is True
    (folder / "metadata.json").write_text(json.dumps({"synthetic": False}), encoding="utf-8")
    assert load_dataset(folder).is_demo is False


def test_load_demo_reads_the_demo_folder(tmp_path, monkeypatch):
    folder = make_folder(tmp_path)
    (folder / "metadata.json").write_text('{"synthetic": true}', encoding="utf-8")
    monkeypatch.setattr("qyanalysis.paths.demo_data_dir", lambda: folder)
    dataset = load_demo()
    assert dataset.is_demo and dataset.source == folder


def test_missing_folder_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_dataset(tmp_path / "nowhere")


# --- property test: random valid frames round-trip through CSV -----------------------------------

LEVELS = ["primary", "junior", "kindergarten", "senior"]
COUNTY_SPELLINGS = ["441802", "清城区", "清城", "Qingcheng District", "英德市", "Lianzhou City", "连南"]
NAME_CHARACTERS = "清远英德连州阳山佛冈第一二三中心小学校 abcXYZ（）()·"
frames = st.lists(
    st.tuples(st.sampled_from(COUNTY_SPELLINGS), st.integers(2000, 2100), st.sampled_from(LEVELS),
              st.sampled_from(["public", "private", "private_inclusive"]),
              st.integers(0, 10**6), st.one_of(st.none(), st.booleans()),
              st.text(NAME_CHARACTERS, min_size=1, max_size=8).filter(str.strip)),
    min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(frames, st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_random_valid_frames_round_trip_through_csv(tmp_path_factory, rows, encoding):
    frame = pd.DataFrame({
        "school_id": [f"S{i:03d}" for i in range(len(rows))],
        "school_name": [r[6] for r in rows],
        "county": [r[0] for r in rows], "year": [r[1] for r in rows], "level": [r[2] for r in rows],
        "ownership": [r[3] for r in rows], "students": [r[4] for r in rows],
        "has_resource_room": pd.array([r[5] for r in rows], dtype="boolean"),
    })
    folder = make_folder(tmp_path_factory.mktemp("round"), schools=None)
    frame.to_csv(folder / "schools.csv", index=False, encoding=encoding)
    schools = load_dataset(folder).schools
    codes = {"441802": "441802", "清城区": "441802", "清城": "441802", "Qingcheng District": "441802",
             "英德市": "441881", "Lianzhou City": "441882", "连南": "441826"}
    assert schools["school_name"].tolist() == [n.strip() for n in frame["school_name"]]
    assert schools["county_code"].tolist() == [codes[c] for c in frame["county"]]
    assert schools["year"].tolist() == frame["year"].tolist()
    assert schools["level"].tolist() == frame["level"].tolist()
    assert schools["students"].tolist() == frame["students"].astype(float).tolist()
    assert schools["has_resource_room"].isna().tolist() == frame["has_resource_room"].isna().tolist()
    rooms = frame["has_resource_room"].fillna(False).tolist()
    assert schools["has_resource_room"].fillna(False).tolist() == rooms


# --- property test: any messy grid gives a Dataset or a DataValidationError, never a crash -------

MESSY_CELLS = st.one_of(
    st.sampled_from(["", " ", "合计", "-", "85%", "1,234", "１２", "是", "清城", "2022", "2022.5", "primary",
                     "public", "S001", "13912345678", "NaN", "inf", '"', ",", "\n", "学校名称", "students"]),
    st.text(max_size=6),
)


HEADERS = st.lists(st.sampled_from([*SCHOOLS_HEADER, "备注", "姓名", "", "学校标识码", "合计"]), max_size=9)


@settings(max_examples=80, deadline=None)
@given(HEADERS, st.lists(st.lists(MESSY_CELLS, max_size=9), max_size=8), st.sampled_from(["utf-8", "gb18030"]))
def test_messy_grids_never_crash(tmp_path_factory, header, grid, encoding):
    import csv
    import io as text_io

    from qyanalysis.errors import DataValidationError

    buffer = text_io.StringIO()
    csv.writer(buffer).writerows([header, *grid])
    folder = make_folder(tmp_path_factory.mktemp("messy"), schools=None)
    (folder / "schools.csv").write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    try:
        load_dataset(folder)
    except DataValidationError as exc:
        assert exc.errors
        assert all(i.file == "schools.csv" and (i.row is None or i.row >= 1) for i in exc.errors)


def test_header_over_two_rows_wider_than_its_last_row_is_a_data_problem(tmp_path):
    # Found by the property test: ['', '学校名称'] above ['students'] is read as one two-column header
    # whose last row has one cell; the body must be read at the header's width, not crash.
    from qyanalysis.errors import DataValidationError

    folder = make_folder(tmp_path, schools=None)
    (folder / "schools.csv").write_text("备注\r\n,学校名称\r\nstudents\r\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder)
    assert all(i.file == "schools.csv" for i in caught.value.errors)


def test_short_gb18030_text_that_is_also_valid_utf8_is_read_as_gb18030(tmp_path):
    # "学" is D1 A7 in GB18030, which is also valid UTF-8 ("ѧ", U+0467): found by the property test.
    assert "学".encode("gb18030").decode("utf-8") == "ѧ"
    rows = [["S1", "学", "441802", "2022", "primary", "public", "10"]]
    folder = make_folder(tmp_path, encoding="gb18030", schools=csv_text(SCHOOLS_HEADER, rows))
    assert load_dataset(folder).schools["school_name"].tolist() == ["学"]


def test_utf8_with_accented_latin_names_stays_utf8(tmp_path):
    rows = [["S1", "École Zoë", "441802", "2022", "primary", "public", "10"]]
    folder = make_folder(tmp_path, encoding="utf-8", schools=csv_text(SCHOOLS_HEADER, rows))
    assert load_dataset(folder).schools["school_name"].tolist() == ["École Zoë"]
