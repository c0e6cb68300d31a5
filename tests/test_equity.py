"""Tests of qyanalysis.measures.equity: 差异系数, the equity measure frame, school tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import qyanalysis as qy
from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.dataset import Dataset
from qyanalysis.errors import UsageError
from qyanalysis.measures import equity

NAN = float("nan")
PRIMARY_OK = {"teachers_above_required_qualification": 4.2, "backbone_teachers": 1.0,
              "pe_arts_teachers": 0.9, "teaching_area_m2": 450.0, "sports_area_m2": 750.0,
              "equipment_value_yuan": 200_000.0, "multimedia_rooms": 2.3}  # per 100 pupils
JUNIOR_OK = {"teachers_above_required_qualification": 5.3, "backbone_teachers": 1.0,
             "pe_arts_teachers": 0.9, "teaching_area_m2": 580.0, "sports_area_m2": 1020.0,
             "equipment_value_yuan": 250_000.0, "multimedia_rooms": 2.4}  # per 100 pupils
NUMERIC = ("students", "students_primary", "students_junior", "students_senior", "classes",
           *PRIMARY_OK)


def scaled(resources: dict, factor: float) -> dict:
    return {k: v * factor for k, v in resources.items()}


def dataset(rows: list[dict]) -> Dataset:
    base = {"school_name": "学校", "county_code": "441802", "year": 2022, "ownership": "public",
            "location": "urban", "is_teaching_point": False}
    frame = pd.DataFrame([{**base, "school_id": f"s{i}", **row} for i, row in enumerate(rows)])
    for column in NUMERIC:
        frame[column] = frame[column].astype("float64") if column in frame else NAN
    for column in ("school_id", "school_name", "county_code", "level", "ownership", "location"):
        frame[column] = frame[column].astype("str")
    frame["year"] = frame["year"].astype("int64")
    frame["is_teaching_point"] = frame["is_teaching_point"].astype("boolean")
    return Dataset(schools=frame, indicators=pd.DataFrame())


def test_weighted_and_unweighted_coefficients_differ_hand_computed():
    values, pupils = [1.0, 2.0, 6.0], [100.0, 100.0, 200.0]
    # weighted: X̄ = (100 + 200 + 1200) / 400 = 3.75; deviations −2.75, −1.75, 2.25
    #   S² = 0.25·7.5625 + 0.25·3.0625 + 0.5·5.0625 = 5.1875; CV = sqrt(5.1875)/3.75 = 0.607362
    assert equity.difference_coefficient(values, pupils) == pytest.approx(math.sqrt(5.1875) / 3.75, rel=1e-12)
    assert equity.difference_coefficient(values, pupils) == pytest.approx(0.607362, abs=1e-6)
    # unweighted: X̄ = 3; deviations −2, −1, 3; S² = 14/3; CV = sqrt(14/3)/3 = 0.720082
    assert equity.difference_coefficient_unweighted(values) == pytest.approx(math.sqrt(14 / 3) / 3, rel=1e-12)
    assert qy.equity.difference_coefficient is equity.difference_coefficient


def test_difference_coefficient_excludes_missing_pairs():
    # the NaN value and the NaN enrollment drop their schools: same schools as above
    values = pd.Series([1.0, NAN, 2.0, 6.0, 5.0])
    pupils = pd.Series([100.0, 50.0, 100.0, 200.0, NAN])
    assert equity.difference_coefficient(values, pupils) == pytest.approx(math.sqrt(5.1875) / 3.75)
    assert equity.difference_coefficient_unweighted(values, pupils) == pytest.approx(math.sqrt(14 / 3) / 3)


def test_difference_coefficient_degenerate_inputs():
    assert equity.difference_coefficient([2.0, 2.0], [10.0, 30.0]) == 0.0
    assert math.isnan(equity.difference_coefficient([1.0, 2.0], [0.0, 0.0]))  # no enrollment
    assert math.isnan(equity.difference_coefficient([0.0, 0.0], [10.0, 20.0]))  # X̄ = 0
    assert math.isnan(equity.difference_coefficient([], []))
    assert math.isnan(equity.difference_coefficient([NAN], [10.0]))
    with pytest.raises(ValueError):
        equity.difference_coefficient([1.0, 2.0], [10.0])
    with pytest.raises(ValueError):
        equity.difference_coefficient([1.0, 2.0], [10.0, -1.0])


def _county_dataset() -> Dataset:
    return dataset([
        # 441802, 2022. p1: all 7 primary standards met exactly; 100/2 = 50 pupils a class (> 45)
        {"level": "primary", "students": 100, "classes": 2, **PRIMARY_OK},
        # p2: 3 × the standards, but teaching area at 84 % (3.78 m² a pupil) → fails the school rule
        {"level": "primary", "students": 300, "classes": 7,
         **scaled(PRIMARY_OK, 3), "teaching_area_m2": 300 * 3.78},
        # j1: multimedia rooms missing → cannot be judged; 200/4 = 50 a class (junior limit 50: within)
        {"level": "junior", "students": 200, "classes": 4, **scaled(JUNIOR_OK, 2), "multimedia_rooms": NAN},
        # out of scope: a teaching point of 30 pupils (1 class of 30) and a special school
        {"level": "primary", "students": 30, "classes": 1, "is_teaching_point": True},
        {"level": "special", "students": 80, "classes": 1},
        # 441803, 2022: no class counts; nine-year school of 2600 (> 2500); complete secondary of
        # 3000 whose junior section (1500) is within 2000
        {"county_code": "441803", "level": "nine_year", "students": 2600, "students_primary": 1600,
         "students_junior": 1000},
        {"county_code": "441803", "level": "complete_secondary", "students": 3000,
         "students_junior": 1500, "students_senior": 1500},
        # 441802, 2023: a single junior school
        {"year": 2023, "level": "junior", "students": 100, "classes": 2, **JUNIOR_OK},
    ])


def _value(frame: pd.DataFrame, county: str, year: int, indicator: str) -> pd.Series:
    row = frame.loc[(frame["county_code"] == county) & (frame["year"] == year)
                    & (frame["indicator"] == indicator)]
    assert len(row) == 1, f"{county} {year} {indicator}: {len(row)} rows"
    return row.iloc[0]


def test_measures_frame_format():
    frame = equity.measures(_county_dataset())
    assert tuple(frame.columns) == equity.MEASURE_COLUMNS
    assert frame["year"].dtype == "int64" and frame["value"].dtype == "float64"
    assert (frame["period"] == "").all()
    assert set(frame["indicator"]).issubset(CATALOGUE)
    assert frame["value"].notna().all()
    assert not frame.duplicated(["county_code", "year", "period", "indicator"]).any()


def test_measures_balance_cv_hand_computed():
    frame = equity.measures(_county_dataset())
    # primary teaching area per pupil X = 4.5 (100 pupils), 3.78 (300 pupils):
    #   X̄ = (450 + 1134) / 400 = 3.96; S² = 0.25·0.54² + 0.75·0.18² = 0.0729 + 0.0243 = 0.0972
    #   CV = sqrt(0.0972) / 3.96 = 0.078730
    row = _value(frame, "441802", 2022, "balance_cv_teaching_area_per_student_primary")
    assert row["value"] == pytest.approx(math.sqrt(0.0972) / 3.96, rel=1e-12)
    assert math.isnan(row["numerator"]) and row["note"] == ""
    # backbone teachers: 1.0 per 100 in both primary schools → CV 0
    assert _value(frame, "441802", 2022, "balance_cv_backbone_teachers_per_100_primary")["value"] == 0.0
    # one junior school in 2023: CV 0, flagged
    single = _value(frame, "441802", 2023, "balance_cv_sports_area_per_student_junior")
    assert (single["value"], single["note"]) == (0.0, "single_school")
    # junior multimedia rooms missing in 2022 → no value (absent, not zero)
    assert frame.loc[(frame["year"] == 2022) & (frame["county_code"] == "441802")
                     & (frame["indicator"] == "balance_cv_multimedia_rooms_per_100_junior")].empty


def test_measures_passing_share_counts_judged_schools_only():
    row = _value(equity.measures(_county_dataset()), "441802", 2022, "balance_schools_passing_share")
    # p1 passes, p2 fails, j1 cannot be judged: 1 / 2
    assert (row["value"], row["numerator"], row["denominator"]) == (0.5, 1.0, 2.0)
    # … on 2 of the 3 parts: incomplete, so the scorecard says no_data with "2 of 3 schools"
    assert (row["units_reporting"], row["units_expected"], row["note"]) == (2.0, 3.0, "")


def test_measures_class_and_school_size_counts():
    frame = equity.measures(_county_dataset())
    # p1 (50 > 45) over; p2 (42.9) and j1 (50 <= 50) within; the teaching point is out of scope
    assert _value(frame, "441802", 2022, "schools_over_class_size_count")["value"] == 1.0
    assert _value(frame, "441802", 2022, "schools_over_size_count")["value"] == 0.0
    # 441803 has no class counts at all → no class-size value; the 2600-pupil nine-year school is over
    assert frame.loc[(frame["county_code"] == "441803")
                     & (frame["indicator"] == "schools_over_class_size_count")].empty
    assert _value(frame, "441803", 2022, "schools_over_size_count")["value"] == 1.0


def test_school_size_table_limits_inclusive_and_combined_rules():
    table = equity.school_size_table(dataset([
        {"level": "primary", "students": 450, "classes": 10},       # 45.0: within (<= 45)
        {"level": "primary", "students": 2001, "classes": 44},      # 45.5: over; 2001 > 2000: over
        {"level": "nine_year", "students": 500, "classes": 10},     # 50.0: within the larger limit 50
        {"level": "nine_year", "students": 2500, "classes": 49},    # 51.0: over; 2500: within
        {"level": "complete_secondary", "students": 2600, "students_junior": 2000,
         "students_senior": 600, "classes": 0},                     # no class size; junior 2000: within
        {"level": "kindergarten", "students": 300, "classes": 10},  # not judged at all
    ]).schools)
    assert table["is_over_class_size"].tolist() == [False, True, False, True, pd.NA]
    assert table["is_over_size"].tolist() == [False, True, False, False, False]
    assert table["school_size"].iloc[4] == 2000


def test_measures_basic_balance_when_all_inputs_present():
    extra = {"computers": 10.0, "library_books": 2000.0, "teachers": 5.0, "teachers_senior_title": 3.0}
    ds = dataset([{"level": "primary", "students": 100, **PRIMARY_OK, **extra},
                  {"level": "primary", "students": 100, **scaled(PRIMARY_OK, 3), **scaled(extra, 3)}])
    # every one of the 8 indicators is at 1 : 3 per pupil → each CV = 1/2 (X̄ = 2, S = 1); mean 0.5
    row = _value(equity.measures(ds), "441802", 2022, "basic_balance_cv_primary")
    assert row["value"] == pytest.approx(0.5)
    assert "basic_balance_cv_primary" not in set(equity.measures(_county_dataset())["indicator"])


def test_measures_empty_and_out_of_scope_datasets():
    empty = equity.measures(dataset([{"level": "kindergarten", "students": 100}]))
    assert empty.empty and tuple(empty.columns) == equity.MEASURE_COLUMNS
    assert empty["year"].dtype == "int64"


def test_school_balance_table_lists_failing_schools_first():
    table = equity.school_balance_table(_county_dataset(), "清城", 2022)
    assert table["school_id"].tolist() == ["s1", "s2", "s0"]  # fails, not judged, passes
    assert table["passes"].tolist() == [False, pd.NA, True]
    assert table.loc[0, "teaching_area_per_student"] == pytest.approx(3.78)
    assert table.loc[0, "teaching_area_per_student_meets"] == False  # noqa: E712
    assert table.loc[0, "indicators_met_count"] == 6
    assert table.loc[1, "multimedia_rooms_per_100_meets"] is pd.NA
    with pytest.raises(UsageError):
        equity.school_balance_table(_county_dataset(), "nowhere", 2022)


def test_measures_vectorised_over_many_counties_matches_per_county():
    rng = np.random.default_rng(3)
    rows = []
    for county in ("441802", "441803", "441821"):
        for _ in range(6):
            rows.append({"county_code": county, "level": str(rng.choice(["primary", "junior", "nine_year"])),
                         "students": float(rng.integers(200, 900)), **scaled(PRIMARY_OK, rng.uniform(1, 6))})
    for row in rows:
        if row["level"] == "nine_year":
            row["students_primary"] = row["students"] * 0.6
            row["students_junior"] = row["students"] * 0.4
    whole = equity.measures(dataset(rows)).set_index(["county_code", "indicator"])["value"]
    for county in ("441802", "441803", "441821"):
        alone = equity.measures(dataset([r for r in rows if r["county_code"] == county]))
        alone = alone.set_index(["county_code", "indicator"])["value"]
        pd.testing.assert_series_equal(whole.loc[[county]], alone, check_exact=False, rtol=1e-12)


def test_difference_coefficient_accepts_nullable_series():
    values = pd.Series([1.0, 2.0, None, 6.0], dtype="Float64")
    pupils = pd.Series([100, 100, 7, 200], dtype="Int64")
    assert equity.difference_coefficient(values, pupils) == pytest.approx(math.sqrt(5.1875) / 3.75)


def test_school_size_is_the_compulsory_enrollment_of_a_combined_school():
    table = equity.school_size_table(dataset([
        # twelve-year: 1800 compulsory (1200 + 600) + 900 senior = 2700 pupils; 1800 <= 2500: within
        {"level": "twelve_year", "students": 2700, "students_primary": 1200, "students_junior": 600,
         "students_senior": 900},
        # twelve-year: 2600 compulsory (1600 + 1000) + 100 senior; 2600 > 2500: over
        {"level": "twelve_year", "students": 2700, "students_primary": 1600, "students_junior": 1000,
         "students_senior": 100},
        # nine-year of exactly 2500: within (不超过 = <=)
        {"level": "nine_year", "students": 2500, "students_primary": 1500, "students_junior": 1000},
    ]).schools)
    assert table["school_size"].tolist() == pytest.approx([1800.0, 2600.0, 2500.0])
    assert table["is_over_size"].tolist() == [False, True, False]


def test_classes_over_limit_gives_the_exact_class_size_check():
    ds = dataset([
        # average 40 (within 45) but 2 classes above 45: over on the exact check
        {"level": "primary", "students": 400, "classes": 10, "classes_over_limit": 2},
        # average 46 (over 45) but no class above the limit reported: within on the exact check
        {"level": "primary", "students": 460, "classes": 10, "classes_over_limit": 0},
        # no exact count: judged on its average 46 > 45, over
        {"level": "primary", "students": 460, "classes": 10, "classes_over_limit": NAN},
    ])
    table = equity.school_size_table(ds.schools)
    assert table["class_size_basis"].tolist() == ["every_class", "every_class", "average"]
    assert table["is_over_class_size"].tolist() == [True, False, True]
    row = _value(equity.measures(ds), "441802", 2022, "schools_over_class_size_count")
    assert row["value"] == pytest.approx(2.0)
    assert row["note"] == equity.CLASS_SIZE_AVERAGE_NOTE  # one school judged on its average


def test_class_size_note_says_average_only_when_some_school_was_judged_on_its_average():
    exact = dataset([{"level": "primary", "students": 400, "classes": 10, "classes_over_limit": 0},
                     {"level": "junior", "students": 100, "classes": NAN, "classes_over_limit": NAN}])
    row = _value(equity.measures(exact), "441802", 2022, "schools_over_class_size_count")
    assert row["value"] == pytest.approx(0.0) and row["note"] == ""
    assert (row["units_reporting"], row["units_expected"]) == (1.0, 2.0)
    averages = dataset([{"level": "primary", "students": 400, "classes": 10},
                        {"level": "junior", "students": 100}])
    row = _value(equity.measures(averages), "441802", 2022, "schools_over_class_size_count")
    assert row["note"] == "class_size_average" and (row["units_reporting"], row["units_expected"]) == (1.0, 2.0)


def test_school_balance_table_without_the_resource_columns_judges_no_school():
    ds = dataset([{"level": "primary", "students": 100}, {"level": "junior", "students": 200}])
    table = equity.school_balance_table(ds, "441802", 2022)
    assert len(table) == 2 and table["passes"].isna().all()
