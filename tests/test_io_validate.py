"""Validation: every bad input gives an error naming its exact file, row and column."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from io_helpers import (
    INDICATORS_CSV,
    INDICATORS_HEADER,
    INDICATORS_ROWS,
    SCHOOLS_HEADER,
    SCHOOLS_ROWS,
    csv_text,
    lines,
    make_folder,
    only,
    problems,
    schools_with,
)

from qyanalysis.cli import main
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.opening import load_dataset  # what qy.load_dataset does: io with the registry's target ids
from qyanalysis.io.problems import MAX_ROWS_PER_PROBLEM

REPO = Path(__file__).resolve().parents[1]


NEW_SCHOOL = ["S004", "阳山县第一小学", "阳山县", "2022", "primary", "public", "300"]


def with_new_school(**changes: str) -> str:
    """The base schools plus a fourth school (spreadsheet row 5), with some cells changed."""
    row = dict(zip(SCHOOLS_HEADER, NEW_SCHOOL)) | changes
    return csv_text(SCHOOLS_HEADER, SCHOOLS_ROWS + [list(row.values())])


# --- tables and columns -----------------------------------------------------------------------

def test_valid_base_folder_loads(tmp_path):
    dataset = load_dataset(make_folder(tmp_path))
    assert dataset.schools["county_code"].tolist() == ["441802", "441881", "441882"]
    assert dataset.indicators["county_code"].tolist() == ["441802", "441800"]


def test_missing_required_table_schools(tmp_path):
    issue = only(problems(make_folder(tmp_path, schools=None)))
    assert (issue.file, issue.row, issue.column) == ("schools.csv", None, None)
    assert "required table schools (学校) is missing" in issue.message


def test_missing_required_table_indicators(tmp_path):
    issue = only(problems(make_folder(tmp_path, indicators=None)))
    assert issue.file == "indicators.csv" and "required table indicators" in issue.message


def test_missing_required_column_names_the_header_row(tmp_path):
    text = csv_text(SCHOOLS_HEADER[:-1], [r[:-1] for r in SCHOOLS_ROWS])
    issue = only(problems(make_folder(tmp_path, schools=text)))
    assert (issue.file, issue.row, issue.column) == ("schools.csv", 1, None)
    assert issue.message.startswith("missing required column students (在校生数)")


def test_empty_file(tmp_path):
    issue = only(problems(make_folder(tmp_path, schools="")))
    assert str(issue) == "schools.csv::: the file is empty; expected a header row and data rows"


def test_header_without_rows_in_schools(tmp_path):
    issue = only(problems(make_folder(tmp_path, schools=",".join(SCHOOLS_HEADER) + "\n")))
    assert (issue.file, issue.row) == ("schools.csv", None) and "no data rows" in issue.message


def test_header_only_optional_table_is_ignored_with_a_warning(tmp_path):
    dataset = load_dataset(make_folder(tmp_path, teachers="teacher_id,school_id,county,year\n"))
    assert dataset.teachers is None
    assert any(w.file == "teachers.csv" and "no data rows" in w.message for w in dataset.warnings)


def test_empty_required_cell(tmp_path):
    issue = only(problems(make_folder(tmp_path, schools=with_new_school(school_id=""))))
    assert (issue.row, issue.column) == (5, "school_id")
    assert "empty cell in required column" in issue.message


# --- counties ----------------------------------------------------------------------------------

def test_unknown_county(tmp_path):
    issue = only(problems(make_folder(tmp_path, schools=with_new_school(county="Atlantis"))))
    assert (issue.file, issue.row, issue.column) == ("schools.csv", 5, "county")
    assert issue.message.startswith("unknown county 'Atlantis'; expected a county code")
    assert "441802 清城区" in issue.message


def test_city_code_refused_for_a_school_but_accepted_for_an_indicator(tmp_path):
    issue = only(problems(make_folder(tmp_path, schools=with_new_school(county="清远市"))))
    assert (issue.row, issue.column) == (5, "county")
    assert "is the city (441800), not a county" in issue.message


def test_folder_counties_table_replaces_the_registry(tmp_path):
    counties = "county_code,name_zh,name_en,short_zh\n990101,甲县,Jia County,甲\n990102,乙县,Yi County,乙\n"
    schools = csv_text(SCHOOLS_HEADER, [["X1", "甲县一小", "甲", "2022", "primary", "public", "10"],
                                        ["X2", "乙县一小", "Yi County", "2022", "primary", "public", "20"]])
    indicators = csv_text(INDICATORS_HEADER, [["990101", "2022", "", "compulsory_dropout_rate", "0"]])
    dataset = load_dataset(make_folder(tmp_path, schools=schools, indicators=indicators, counties=counties))
    assert dataset.schools["county_code"].tolist() == ["990101", "990102"]
    assert dataset.counties.codes == ["990101", "990102"]


def test_builtin_county_unknown_under_a_folder_registry(tmp_path):
    counties = "county_code,name_zh,name_en\n990101,甲县,Jia County\n"
    indicators = csv_text(INDICATORS_HEADER, [["990101", "2022", "", "compulsory_dropout_rate", "0"]])
    found = problems(make_folder(tmp_path, indicators=indicators, counties=counties))
    assert [(i.file, i.row, i.column) for i in found] == [("schools.csv", r, "county") for r in (2, 3, 4)]


def test_bad_county_code_in_counties_table(tmp_path):
    counties = "county_code,name_zh,name_en\n99010,甲县,Jia County\n"
    found = problems(make_folder(tmp_path, counties=counties))
    assert str(found[0]).startswith("counties.csv:2:county_code: '99010' is not a county code")


# --- cells --------------------------------------------------------------------------------------

def test_unknown_category_value_lists_the_allowed_values(tmp_path):
    issue = only(problems(make_folder(tmp_path, schools=with_new_school(level="college"))))
    assert (issue.row, issue.column) == (5, "level")
    assert issue.message == ("unknown value 'college'; expected one of: kindergarten, primary, junior, "
                             "nine_year, "
                             "senior, complete_secondary, twelve_year, special, vocational")


def test_category_spelling_is_folded(tmp_path):
    dataset = load_dataset(make_folder(tmp_path, schools=with_new_school(ownership="Private Inclusive")))
    assert dataset.schools["ownership"].iloc[3] == "private_inclusive"


def test_text_in_a_number_column(tmp_path):
    issue = only(problems(make_folder(tmp_path, schools=with_new_school(students="about 300"))))
    assert str(issue) == ("schools.csv:5:students: 'about 300' is not a number; "
                          "expected a whole number >= 0 (persons)")


def test_negative_count(tmp_path):
    issue = only(problems(make_folder(tmp_path, schools=with_new_school(students="-3"))))
    assert str(issue) == "schools.csv:5:students: negative value -3; expected a whole number >= 0 (persons)"


def test_non_whole_count(tmp_path):
    issue = only(problems(make_folder(tmp_path, schools=with_new_school(students="300.5"))))
    assert str(issue) == ("schools.csv:5:students: 300.5 is not a whole number; "
                          "expected a whole number >= 0 (persons)")


def test_percentage_in_a_count_column(tmp_path):
    issue = only(problems(make_folder(tmp_path, schools=with_new_school(students="85%"))))
    assert (issue.row, issue.column) == (5, "students") and "is a percentage" in issue.message


def test_negative_amount(tmp_path):
    text = schools_with(["teaching_area_m2"], [["4000"], ["-1"], ["5000"]])
    issue = only(problems(make_folder(tmp_path, schools=text)))
    assert (issue.row, issue.column) == (3, "teaching_area_m2")
    assert issue.message == "negative value -1; expected a number >= 0 (m2)"


def test_fractional_year(tmp_path):
    issue = only(problems(make_folder(tmp_path, schools=with_new_school(year="2022.5"))))
    assert str(issue) == ("schools.csv:5:year: 2022.5 is not a whole year; "
                          "expected a whole calendar year between 2000 and 2100")


@pytest.mark.parametrize("year", ["1999", "2101"])
def test_implausible_year(tmp_path, year):
    issue = only(problems(make_folder(tmp_path, schools=with_new_school(year=year))))
    assert (issue.row, issue.column) == (5, "year")
    assert issue.message.startswith(f"implausible year {year};")


@pytest.mark.parametrize("boundary", ["2000", "2100"])
def test_year_bounds_are_inclusive(tmp_path, boundary):
    dataset = load_dataset(make_folder(tmp_path, schools=with_new_school(year=boundary)))
    assert dataset.schools["year"].iloc[3] == int(boundary)


TEACHERS_HEADER = ["teacher_id", "school_id", "county", "year", "birth_year"]


@pytest.mark.parametrize(("birth", "ok", "age"), [
    ("2006", True, 16), ("1942", True, 80),  # 2022 − 2006 = 16 and 2022 − 1942 = 80: inclusive bounds
    ("2007", False, 15), ("1941", False, 81),
])
def test_birth_year_gives_a_plausible_age(tmp_path, birth, ok, age):
    teachers = csv_text(TEACHERS_HEADER, [["T01", "S001", "清城", "2022", "1980"],
                                          ["T02", "S001", "清城", "2022", birth]])
    folder = make_folder(tmp_path, teachers=teachers)
    if ok:
        assert load_dataset(folder).teachers["birth_year"].tolist() == [1980, int(birth)]
        return
    issue = only(problems(folder))
    assert str(issue) == (f"teachers.csv:3:birth_year: birth year {birth} makes the teacher {age} years old "
                          "in 2022; "
                          "expected an age from 16 to 80")


def test_bad_boolean(tmp_path):
    text = schools_with(["has_resource_room"], [["是"], ["maybe"], ["0"]])
    issue = only(problems(make_folder(tmp_path, schools=text)))
    assert str(issue) == ("schools.csv:3:has_resource_room: 'maybe' is not a yes/no value; "
                          "expected true/false, 1/0, 是/否 or yes/no")


def test_duplicate_key_names_the_first_row(tmp_path):
    text = csv_text(SCHOOLS_HEADER, SCHOOLS_ROWS + [["S002", "重复", "英德", "2022", "junior", "public", "1"]])
    issue = only(problems(make_folder(tmp_path, schools=text)))
    assert str(issue) == ("schools.csv:5:school_id: duplicate key (school_id=S002, year=2022), "
                          "first given at "
                          "row 3; expected one row per school × year")


def test_duplicate_indicator_key_uses_the_county_code(tmp_path):
    # 清城区 and 441802 are the same county: the second row repeats the first one's key.
    text = INDICATORS_CSV + "441802,2022,,compulsory_dropout_rate,0.003\n"
    issue = only(problems(make_folder(tmp_path, indicators=text)))
    assert (issue.file, issue.row, issue.column) == ("indicators.csv", 4, "county")
    assert "first given at row 2" in issue.message


# --- parts larger than their whole -------------------------------------------------------------

PART_CASES = [
    # (extra columns, values of school S002 (row 3), reported column, message start)
    (["fitness_tested", "fitness_excellent", "fitness_good"], ["100", "40", "70"], "fitness_excellent",
     "fitness_excellent + fitness_good = 110 is more than fitness_tested = 100"),
    (["myopia_screened", "myopia_cases"], ["500", "501"], "myopia_cases",
     "myopia_cases = 501 is more than myopia_screened = 500"),
    (["migrant_students"], ["601"], "migrant_students", "migrant_students = 601 is more than students = 600"),
    (["disabled_students"], ["700"], "disabled_students",
     "disabled_students = 700 is more than students = 600"),
    (["dropouts"], ["601"], "dropouts", "dropouts = 601 is more than students = 600"),
    (["teachers", "teachers_above_required_qualification"], ["40", "41"],
     "teachers_above_required_qualification",
     "teachers_above_required_qualification = 41 is more than teachers = 40"),
    (["teachers", "backbone_teachers"], ["40", "45"], "backbone_teachers",
     "backbone_teachers = 45 is more than teachers = 40"),
    (["teachers", "pe_arts_teachers"], ["40", "50"], "pe_arts_teachers",
     "pe_arts_teachers = 50 is more than teachers = 40"),
]


@pytest.mark.parametrize(("columns", "values", "column", "message"), PART_CASES)
def test_part_larger_than_whole(tmp_path, columns, values, column, message):
    fine = ["0"] * len(columns)
    text = schools_with(columns, [fine, values, fine])
    issue = only(problems(make_folder(tmp_path, schools=text)))
    assert (issue.file, issue.row, issue.column) == ("schools.csv", 3, column)
    assert issue.message.startswith(message)


def test_part_equal_to_whole_is_fine(tmp_path):
    text = schools_with(["migrant_students"], [["800"], ["600"], ["0"]])
    schools = load_dataset(make_folder(tmp_path, schools=text)).schools
    assert schools["migrant_students"].tolist() == [800, 600, 0]


@pytest.mark.parametrize(("level", "columns", "values", "total"), [
    ("nine_year", ["students_primary", "students_junior"], ["700", "400"], "1100"),
    ("complete_secondary", ["students_junior", "students_senior"], ["700", "400"], "1100"),
    ("twelve_year", ["students_primary", "students_junior", "students_senior"], ["700", "300", "100"],
     "1100"),
])
def test_combined_school_levels_must_add_up(tmp_path, level, columns, values, total):
    header = SCHOOLS_HEADER + columns
    good = ["S010", "合校", "清新", "2022", level, "public", total, *values]
    bad = ["S011", "合校二", "清新", "2022", level, "public", "1200", *values]  # 1100 ≠ 1200
    folder = make_folder(tmp_path, schools=csv_text(header, [good, bad]))
    issue = only(problems(folder))
    assert (issue.row, issue.column) == (3, columns[0])
    expression = " + ".join(columns)
    assert issue.message == (f"{expression} = 1100 differs from students = 1200 for a {level} school; "
                             f"expected {expression} = students")


def test_level_sums_not_applied_to_other_levels(tmp_path):
    text = schools_with(["students_primary", "students_junior"], [["800", ""], ["", "10"], ["700", "400"]])
    found = problems(make_folder(tmp_path, schools=text))
    # Only S003 (nine_year, row 4) is checked: 700 + 400 = 1100 ≠ 1200.
    assert [(i.row, i.column) for i in found] == [(4, "students_primary")]


# --- indicators ---------------------------------------------------------------------------------

def indicators_plus(*row: str) -> str:
    return csv_text(INDICATORS_HEADER, INDICATORS_ROWS + [list(row)])


def test_unknown_indicator_code_suggests_the_nearest(tmp_path):
    text = indicators_plus("清城", "2022", "", "myopia_rat", "0.5")
    issue = only(problems(make_folder(tmp_path, indicators=text)))
    assert (issue.file, issue.row, issue.column) == ("indicators.csv", 4, "indicator")
    assert issue.message.startswith("unknown indicator code 'myopia_rat'")
    assert "did you mean myopia_rate?" in issue.message


@pytest.mark.parametrize("period", ["2022-13", "22-06", "2022-Q5", "June", "2022.1"])
def test_bad_period(tmp_path, period):
    folder = make_folder(tmp_path, indicators=indicators_plus("清城", "2022", period, "myopia_rate", "0.5"))
    issue = only(problems(folder))
    assert (issue.row, issue.column) == (4, "period")
    assert issue.message.startswith(f"bad period '{period}'; expected empty (annual), YYYY-MM")


def test_rate_given_as_a_bare_percentage(tmp_path):
    text = indicators_plus("清城", "2022", "", "myopia_rate", "85")
    issue = only(problems(make_folder(tmp_path, indicators=text)))
    assert str(issue) == "indicators.csv:4:value: 85 looks like a percentage; give 0.85 or '85%'"


def test_percentage_string_in_a_rate_is_a_fraction(tmp_path):
    text = indicators_plus("清城", "2022", "", "myopia_rate", "85%")
    dataset = load_dataset(make_folder(tmp_path, indicators=text))
    assert dataset.indicators["value"].iloc[2] == pytest.approx(0.85)


def test_rate_above_one_hundred_percent(tmp_path):
    folder = make_folder(tmp_path, indicators=indicators_plus("清城", "2022", "", "myopia_rate", "120%"))
    issue = only(problems(folder))
    assert (issue.row, issue.column) == (4, "value") and "is outside 0–1" in issue.message


def test_negative_count_indicator(tmp_path):
    folder = make_folder(tmp_path, indicators=indicators_plus("441800", "2022", "", "famous_studios", "-4"))
    assert lines(folder) == ["indicators.csv:4:value: negative value -4 for famous_studios (count); "
                             "expected a number >= 0"]


def test_percentage_for_a_count_indicator(tmp_path):
    folder = make_folder(tmp_path, indicators=indicators_plus("441800", "2022", "", "famous_studios", "50%"))
    issue = only(problems(folder))
    assert (issue.row, issue.column) == (4, "value") and "is a percentage but famous_studios" in issue.message


def test_a_yes_no_indicator_is_one_or_zero(tmp_path):
    folder = make_folder(tmp_path, indicators=indicators_plus("清城", "2022", "", "parent_school_zone", "0.5"))
    assert lines(folder) == ["indicators.csv:4:value: 0.5 is not a yes/no answer for parent_school_zone; "
                             "expected 是/否, yes/no or 1/0"]
    text = indicators_plus("清城", "2022", "", "parent_school_zone", "1")
    assert load_dataset(make_folder(tmp_path / "ok", indicators=text)).indicators["value"].iloc[2] == 1.0


def test_points_change_above_one_looks_like_points(tmp_path):
    folder = make_folder(tmp_path, indicators=indicators_plus("清城", "2022", "", "myopia_rate_change", "-3"))
    assert lines(folder) == ["indicators.csv:4:value: -3 looks like a number of percentage points; "
                             "give -0.03 or '-3%'"]


def test_points_change_as_fraction_or_percent_loads(tmp_path):
    text = indicators_plus("清城", "2022", "", "myopia_rate_change", "-0.5%")
    dataset = load_dataset(make_folder(tmp_path, indicators=text))
    assert dataset.indicators["value"].iloc[2] == pytest.approx(-0.005)


# --- personal data ------------------------------------------------------------------------------

@pytest.mark.parametrize("header", ["校长姓名", "身份证号", "联系电话", "Teacher_Name", "家庭住址"])
def test_personal_data_header_is_refused(tmp_path, header):
    text = schools_with([header], [["x"], ["y"], ["z"]])
    issue = only(problems(make_folder(tmp_path, schools=text)))
    assert (issue.file, issue.row, issue.column) == ("schools.csv", 1, header)
    assert issue.message.startswith("column looks like personal data (header contains")


def test_id_card_numbers_in_an_unknown_column_are_refused(tmp_path):
    text = schools_with(["备注"], [["无"], ["44180219800101123X"], [""]])
    issue = only(problems(make_folder(tmp_path, schools=text)))
    assert (issue.row, issue.column) == (3, "备注")
    assert "ID-card numbers" in issue.message and "44180219800101123X" not in issue.message


def test_mobile_numbers_in_a_text_column_are_refused(tmp_path):
    text = csv_text(SCHOOLS_HEADER, SCHOOLS_ROWS[:2] + [["S003", "联系13912345678", "连州", "2022", "junior",
                                                          "public", "5"]])
    issue = only(problems(make_folder(tmp_path, schools=text)))
    assert (issue.row, issue.column) == (4, "school_name") and "mobile phone numbers" in issue.message


@pytest.mark.parametrize(("teacher_id", "what"),
                         [("441802198001011234", "ID-card"), ("13800138000", "mobile")])
def test_teacher_id_must_be_pseudonymous(tmp_path, teacher_id, what):
    teachers = csv_text(TEACHERS_HEADER[:4], [["T01", "S001", "清城", "2022"],
                                              [teacher_id, "S001", "清城", "2022"]])
    issue = only(problems(make_folder(tmp_path, teachers=teachers)))
    assert (issue.file, issue.row, issue.column) == ("teachers.csv", 3, "teacher_id")
    assert what in issue.message and teacher_id not in issue.message


def test_school_ids_of_ten_digits_are_not_personal(tmp_path):
    text = csv_text(SCHOOLS_HEADER, [["1144180201", "清城一小", "清城", "2022", "primary", "public", "5"]])
    assert load_dataset(make_folder(tmp_path, schools=text)).schools["school_id"].tolist() == ["1144180201"]


# --- tasks and targets_override -----------------------------------------------------------------

TASKS_HEADER = ["task_id", "item", "county", "year", "title_zh", "status", "due"]


def test_tasks_validated_like_the_others(tmp_path):
    tasks = csv_text(TASKS_HEADER, [
        ["K1", "6", "清城", "2022", "新增学位", "completed", "2022-12"],
        ["K2", "40", "清城", "2022", "不存在的条目", "done", "2022-13"],
    ])
    found = lines(make_folder(tmp_path, tasks=tasks))
    assert len(found) == 3
    assert found[0].startswith("tasks.csv:3:due: bad period '2022-13'")
    assert found[1] == ("tasks.csv:3:status: unknown value 'done'; expected one of: not_started, "
                        "in_progress, "
                        "completed, delayed, cancelled")
    assert found[2] == "tasks.csv:3:item: plan item 40 does not exist; expected a whole number from 1 to 37"


TARGETS_HEADER = ["target_id", "county", "threshold", "comparator"]


def test_targets_override_comparator_and_target_id(tmp_path, monkeypatch):
    fake = types.ModuleType("qyanalysis.verdicts.targets")
    fake.load_targets = lambda: __import__("pandas").DataFrame({"target_id": ["T06_seats", "T08_dropout"]})
    monkeypatch.setitem(sys.modules, "qyanalysis.verdicts.targets", fake)
    overrides = csv_text(TARGETS_HEADER, [["T06_seats", "清城", "500", "≥"],
                                          ["T99_nothing", "英德", "1", "about"]])
    found = lines(make_folder(tmp_path, targets_override=overrides))
    assert found == [
        "targets_override.csv:3:comparator: unknown value 'about'; expected one of: >=, <=, >, <, ==",
        "targets_override.csv:3:target_id: unknown target id 'T99_nothing'; expected a target_id of the "
        "registry (see `qyanalysis targets`)",
    ]


def test_targets_override_loads_when_the_registry_module_is_missing(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "qyanalysis.verdicts.targets", None)  # import raises ImportError
    overrides = csv_text(TARGETS_HEADER, [["T06_seats", "清城", "500", "≥"]])
    dataset = load_dataset(make_folder(tmp_path, targets_override=overrides))
    assert dataset.targets_override["comparator"].tolist() == [">="]


# --- one pass, every problem ----------------------------------------------------------------------

def test_every_problem_of_every_file_in_one_pass(tmp_path):
    schools = csv_text(SCHOOLS_HEADER, [
        ["S001", "甲", "Atlantis", "2022", "primary", "public", "10"],
        ["S002", "乙", "清城", "1999", "college", "public", "-1"],
    ])
    indicators = indicators_plus("清城", "2022", "", "myopia_rate", "85")
    found = {(i.file, i.row, i.column) for i in problems(make_folder(tmp_path, schools=schools,
                                                                     indicators=indicators))}
    assert found == {("schools.csv", 2, "county"), ("schools.csv", 3, "year"), ("schools.csv", 3, "level"),
                     ("schools.csv", 3, "students"), ("indicators.csv", 4, "value")}


def test_a_problem_on_many_rows_is_listed_then_counted(tmp_path):
    rows = [[f"S{i:04d}", "校", "清城", "2022", "primary", "public", "-1"]
            for i in range(MAX_ROWS_PER_PROBLEM + 20)]
    found = problems(make_folder(tmp_path, schools=csv_text(SCHOOLS_HEADER, rows)))
    assert len(found) == MAX_ROWS_PER_PROBLEM + 1
    assert found[0].row == 2 and found[MAX_ROWS_PER_PROBLEM - 1].row == MAX_ROWS_PER_PROBLEM + 1
    assert found[-1].row is None and found[-1].message.startswith("… and 20 more rows")


def test_warnings_do_not_stop_loading(tmp_path):
    text = schools_with(["notes"], [["a"], ["b"], ["c"]]) + "合计,,,,,,2600,\n"
    dataset = load_dataset(make_folder(tmp_path, schools=text))
    assert len(dataset.schools) == 3
    assert [str(w) for w in dataset.warnings] == ["schools.csv:1:notes: unknown column ignored",
                                                  "schools.csv:5:: total row (合计/总计/小计) dropped"]


# --- the command line -----------------------------------------------------------------------------

def bad_folder(tmp_path: Path) -> Path:
    return make_folder(tmp_path, schools=with_new_school(county="Atlantis", students="-3"))


def test_cli_validate_bad_folder_exits_2_with_one_line_per_problem(tmp_path, capsys):
    assert main(["validate", str(bad_folder(tmp_path))]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("schools.csv:5:county: unknown county 'Atlantis'")
    assert err[1] == "schools.csv:5:students: negative value -3; expected a whole number >= 0 (persons)"
    assert err[2] == "2 problem(s); nothing was written."
    assert "Traceback" not in "\n".join(err)


def test_cli_validate_good_folder_exits_0(tmp_path, capsys):
    assert main(["validate", str(make_folder(tmp_path))]) == 0
    assert "valid — 3 school rows, 2 indicator rows" in capsys.readouterr().out


def test_validate_notices_teaching_points_inferred_from_their_names(tmp_path, capsys):
    rows = [["P1", "清城第001教学点", "清城区", "2022", "primary", "public", "30"],
            ["P1", "清城第001教学点", "清城区", "2021", "primary", "public", "32"],  # same school: counted once
            ["P2", "清城第002教学点", "清城区", "2022", "primary", "public", "45"]]
    folder = make_folder(tmp_path, schools=csv_text(SCHOOLS_HEADER, SCHOOLS_ROWS + rows))
    assert main(["validate", str(folder)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == ["warning: schools.csv::: is_teaching_point not given; 2 schools whose name contains "
                   "教学点 treated as teaching points"]


def test_no_teaching_point_notice_when_the_flag_is_given(tmp_path):
    text = schools_with(["is_teaching_point"], [["否"], ["否"], ["否"]],
                        rows=[["P1", "清城第001教学点", "清城区", "2022", "primary", "public", "30", "是"]])
    assert load_dataset(make_folder(tmp_path, schools=text)).warnings == []


def test_cli_validate_missing_folder_exits_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "no such data folder" in capsys.readouterr().err


def test_cli_validate_subprocess(tmp_path):
    done = subprocess.run([sys.executable, "-m", "qyanalysis", "validate", str(bad_folder(tmp_path))],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.splitlines()[:2] == [
        line for line in done.stderr.splitlines() if line.startswith("schools.csv:5:")]


# --- county normalisation (property tests) --------------------------------------------------------

REGISTRY = CountyRegistry.builtin()
NAMES = [(row.county_code, name) for row in REGISTRY.table.itertuples()
         for name in (row.county_code, row.name_zh, row.name_en, row.short_zh)]


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NAMES), st.sampled_from([str.upper, str.lower, str.title, full_width, lambda t: t]),
       st.lists(st.sampled_from([" ", "\u3000", "\t"]), max_size=3), st.integers(0, 40))
def test_any_spelling_of_a_registry_name_maps_to_its_code(entry, transform, spaces, position):
    code, name = entry
    spelled = transform(name)
    cut = position % (len(spelled) + 1)
    spelled = spaces[0] * 2 + spelled[:cut] + "".join(spaces) + spelled[cut:] if spaces else spelled
    assert REGISTRY.normalise(spelled) == code


FOLDED = {"".join(n.lower().split()) for _, n in NAMES}


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_strings_outside_the_registry_map_to_none(text):
    import unicodedata

    folded = "".join(unicodedata.normalize("NFKC", text).strip().lower().split())
    if folded in FOLDED:
        return
    assert REGISTRY.normalise(text) is None


def test_quarters_and_months_of_one_indicator_and_year_are_refused_where_they_mix(tmp_path):
    rows = INDICATORS_ROWS + [["441800", "2022", "2022-07", "new_public_seats_compulsory", "14000"],
                              ["441800", "2022", "2022-Q3", "new_public_seats_compulsory", "15000"],
                              ["441800", "2021", "2021-Q3", "new_public_seats_compulsory", "9000"]]
    folder = make_folder(tmp_path, indicators=csv_text(INDICATORS_HEADER, rows))
    issue = only(problems(folder))
    # the quarterly row (rarer in the 2022 series) is named; 2021 is quarterly only and fine
    assert (issue.file, issue.row, issue.column) == ("indicators.csv", 5, "period")
    assert "mixes quarters and months" in issue.message and "YYYY-MM" in issue.message
