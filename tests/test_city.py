"""The counties side by side (qyanalysis.measures.city) on hand-made frames."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd

from qyanalysis.measures.city import binding_cv, county_context_table, cv_matrix, cv_verdict

NAN = math.nan
SPORTS_P = "balance_cv_sports_area_per_student_primary"
SPORTS_J = "balance_cv_sports_area_per_student_junior"
MEDIA_P = "balance_cv_multimedia_rooms_per_100_primary"


def test_county_context_sums_pupils_and_teachers_and_keeps_missing():
    schools = pd.DataFrame({"county_code": ["1", "1", "2", "2", "1"], "year": [2022, 2022, 2022, 2022, 2021],
                            "students": [300.0, 200.0, NAN, NAN, 999.0], "teachers": [20.0, 15.0, 4.0, NAN, 9.0]})
    dataset = dataclasses.make_dataclass("D", ["schools"])(schools)
    table = county_context_table(dataset, 2022).set_index("county_code")
    # County 1: 2 schools, 300 + 200 = 500 pupils, 20 + 15 = 35 teachers (2021 left out);
    # county 2: no pupil figure at all → NaN (never 0), teachers 4 (one school reported).
    assert table.loc["1"].tolist() == [2.0, 500.0, 35.0]
    assert math.isnan(table.loc["2", "students_count"]) and table.loc["2", "teachers_count"] == 4.0


def test_binding_cv_is_the_largest_value_relative_to_its_limit():
    rows = pd.DataFrame({"indicator": [SPORTS_P, SPORTS_J, MEDIA_P, "fitness_good_rate"],
                         "value": [0.40, 0.40, NAN, 0.99], "threshold": [0.50, 0.45, 0.50, 0.50]})
    codes = [SPORTS_P, SPORTS_J, MEDIA_P]
    # 0.40 / 0.50 = 0.80 (primary) < 0.40 / 0.45 = 0.889 (junior): the junior one binds; non-CV rows ignored.
    assert binding_cv(rows, codes) == SPORTS_J
    assert binding_cv(rows, [SPORTS_P, MEDIA_P]) == SPORTS_P
    assert binding_cv(rows.iloc[2:], codes) is None
    # A county override of the primary limit to 0.30: 0.40 / 0.30 = 1.33 > 0.889, the primary one binds.
    assert binding_cv(rows.assign(threshold=[0.30, 0.45, 0.50, 0.50]), codes) == SPORTS_P


def test_cv_matrix_fills_every_code_and_county_and_marks_missing_cells():
    rows = pd.DataFrame({"county_code": ["2", "1", "1"], "indicator": [SPORTS_P, SPORTS_P, MEDIA_P],
                         "value": [0.61, 0.20, 0.30], "status": ["not_met", "met", "met"],
                         "threshold": [0.50, 0.30, 0.45]})
    grid = cv_matrix(rows, [SPORTS_P, MEDIA_P])
    assert grid[["indicator", "county_code"]].to_numpy().tolist() == [
        [SPORTS_P, "1"], [SPORTS_P, "2"], [MEDIA_P, "1"], [MEDIA_P, "2"]]
    assert grid.iloc[1][["value", "status", "threshold"]].tolist() == [0.61, "not_met", 0.50]
    missing = grid.iloc[3]
    assert math.isnan(missing["value"]) and missing["status"] == "no_data" and math.isnan(missing["threshold"])


def test_cv_verdict_needs_all_and_fails_on_any():
    assert cv_verdict(pd.Series(["met"] * 14), 14) == "met"
    assert cv_verdict(pd.Series(["met"] * 13 + ["not_met"]), 14) == "not_met"
    assert cv_verdict(pd.Series(["met"] * 13 + ["no_data"]), 14) == "no_data"
    assert cv_verdict(pd.Series(["met"] * 12 + ["no_data", "not_met"]), 14) == "not_met"
    assert cv_verdict(pd.Series([], dtype=str), 14) == "no_data"


def test_binding_cv_ignores_a_zero_limit():
    rows = pd.DataFrame({"indicator": [SPORTS_P, SPORTS_J], "value": [0.2, 0.1], "threshold": [0.0, 0.5]})
    # The primary one has no usable limit (0.2 ÷ 0): the junior one binds at 0.1 ÷ 0.5 = 0.2.
    assert binding_cv(rows, [SPORTS_P, SPORTS_J]) == SPORTS_J
