"""Tests of qyanalysis.measures.balance: split of combined schools, scope, school rule, CVs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from qyanalysis.measures import balance
from qyanalysis.measures.equity import difference_coefficient
from qyanalysis.verdicts.targets import load_targets

NAN = float("nan")

# Resources of a school meeting all 7 primary standards at 100 pupils:
# 4.2, 1.0, 0.9 teachers, 2.3 rooms per 100; 4.5 m², 7.5 m², 2000 元 per pupil.
PRIMARY_OK = {"teachers_above_required_qualification": 4.2, "backbone_teachers": 1.0,
              "pe_arts_teachers": 0.9, "teaching_area_m2": 450.0, "sports_area_m2": 750.0,
              "equipment_value_yuan": 200_000.0, "multimedia_rooms": 2.3}


def schools(rows: list[dict]) -> pd.DataFrame:
    """A schools table with the declared column names; unspecified numbers are NaN."""
    base = {"school_name": "学校", "county_code": "441802", "year": 2022, "ownership": "public",
            "location": "urban"}
    frame = pd.DataFrame([{**base, "school_id": f"s{i}", **row} for i, row in enumerate(rows)])
    numeric = ["students", "students_primary", "students_junior", "students_senior", "classes",
               *balance.RESOURCE_COLUMNS]
    for column in numeric:
        frame[column] = frame[column].astype("float64") if column in frame else NAN
    for column in ("school_id", "school_name", "county_code", "level", "ownership", "location"):
        frame[column] = frame[column].astype("str")
    frame["year"] = frame["year"].astype("int64")
    if "is_teaching_point" in frame:
        frame["is_teaching_point"] = frame["is_teaching_point"].astype("boolean")
    return frame


def test_nine_year_split_hand_computed():
    parts = balance.split_combined_schools(schools([
        {"level": "nine_year", "students": 500, "students_primary": 300, "students_junior": 200,
         "teaching_area_m2": 5200.0},
    ])).set_index("level")
    # primary share = A/(A + 1.1B) = 300/(300 + 220) = 0.576923…; junior 220/520 = 0.423076…
    assert parts.loc["primary", "resource_share"] == pytest.approx(300 / 520)
    assert parts.loc["junior", "resource_share"] == pytest.approx(220 / 520)
    # 5200 m² × 300/520 = 3000 m² (10 m² a pupil); × 220/520 = 2200 m² (11 m² = 1.1 × 10)
    assert parts.loc["primary", "teaching_area_m2"] == pytest.approx(3000.0)
    assert parts.loc["junior", "teaching_area_m2"] == pytest.approx(2200.0)
    assert parts.loc["primary", "students"] == 300 and parts.loc["junior", "students"] == 200
    assert (parts["school_level"] == "nine_year").all()


def test_complete_secondary_and_twelve_year_split():
    parts = balance.split_combined_schools(schools([
        {"level": "complete_secondary", "students": 300, "students_junior": 200, "students_senior": 100,
         "equipment_value_yuan": 3200.0},
        {"level": "twelve_year", "students": 300, "students_primary": 100, "students_junior": 100,
         "students_senior": 100, "equipment_value_yuan": 3420.0},
    ]))
    complete = parts.loc[parts["school_level"] == "complete_secondary"]
    # junior : senior = 1 : 1.2 → junior share 200/(200 + 120) = 0.625; 3200 × 0.625 = 2000; no senior row
    assert list(complete["level"]) == ["junior"]
    assert complete["equipment_value_yuan"].iloc[0] == pytest.approx(2000.0)
    twelve = parts.loc[parts["school_level"] == "twelve_year"].set_index("level")
    # weights 100 : 110 : 132, sum 342; 3420 → primary 1000, junior 1100 (senior 1320 not returned)
    assert twelve.loc["primary", "equipment_value_yuan"] == pytest.approx(1000.0)
    assert twelve.loc["junior", "equipment_value_yuan"] == pytest.approx(1100.0)


def test_split_infers_one_missing_level_and_keeps_unknown_parts():
    parts = balance.split_combined_schools(schools([
        # junior inferred as 500 − 300 = 200
        {"level": "nine_year", "students": 500, "students_primary": 300, "teaching_area_m2": 5200.0},
        # both levels unknown: parts kept, enrollment and resources NaN
        {"level": "nine_year", "students": 500, "teaching_area_m2": 5200.0},
    ]))
    first = parts.loc[parts["school_id"] == "s0"].set_index("level")
    assert first.loc["junior", "students"] == 200
    assert first.loc["junior", "teaching_area_m2"] == pytest.approx(2200.0)
    second = parts.loc[parts["school_id"] == "s1"]
    assert len(second) == 2 and second["students"].isna().all() and second["teaching_area_m2"].isna().all()


def test_split_single_level_and_non_compulsory_schools():
    parts = balance.split_combined_schools(schools([
        {"level": "primary", "students": 100, "students_primary": 999, **PRIMARY_OK},
        {"level": "junior", "students": 0},
        {"level": "kindergarten", "students": 100},
        {"level": "senior", "students": 100},
        {"level": "special", "students": 100},
        {"level": "vocational", "students": 100},
        {"level": "nine_year", "students": 300, "students_primary": 300, "students_junior": 0},
    ]))
    # the primary school keeps all its resources and its own `students`; the empty junior school
    # and the nine-year school's empty junior part give no row
    assert list(parts["school_id"]) == ["s0", "s6"]
    assert parts["students"].tolist() == [100, 300]
    assert parts["teaching_area_m2"].iloc[0] == 450.0
    assert parts["computers"].isna().all()  # optional column absent → NaN, not 0


def test_scope_excludes_special_schools_and_small_teaching_points():
    frame = schools([
        {"level": "primary", "students": 49, "is_teaching_point": True},   # out: point under 50
        {"level": "primary", "students": 50, "is_teaching_point": True},   # in: 50 is not "fewer than 50"
        {"level": "primary", "students": 30, "is_teaching_point": False},  # in: a school, not a point
        {"level": "primary", "students": 30, "is_teaching_point": None},   # in: unknown = not a point
        {"level": "special", "students": 200, "is_teaching_point": False},  # out: special education
        {"level": "kindergarten", "students": 200, "is_teaching_point": False},  # out: not compulsory
    ])
    assert balance.in_balance_scope(frame).tolist() == [False, True, True, True, False, False]
    assert balance.balance_parts(frame)["school_id"].tolist() == ["s1", "s2", "s3"]


def test_teaching_points_are_inferred_from_the_name_when_the_flag_is_not_given():
    rows = [
        {"level": "primary", "students": 30, "school_name": "清城第001教学点"},  # out: named point < 50
        {"level": "primary", "students": 60, "school_name": "清城第002教学点"},  # in: a point of 60
        {"level": "primary", "students": 30, "school_name": "清城第003小学"},    # in: not a point
    ]
    without_column = schools(rows)
    assert "is_teaching_point" not in without_column
    assert balance.in_balance_scope(without_column).tolist() == [False, True, True]
    # with the column: an empty cell is decided by the name, a given flag wins over the name
    flagged = schools([{**rows[0], "is_teaching_point": None}, {**rows[1], "is_teaching_point": None},
                       {**rows[2], "is_teaching_point": True}, {**rows[0], "is_teaching_point": False}])
    assert balance.in_balance_scope(flagged).tolist() == [False, True, False, True]


def test_compulsory_enrollment_and_resource_share_of_combined_schools():
    frame = schools([
        {"level": "twelve_year", "students": 2700, "students_primary": 1200, "students_junior": 600,
         "students_senior": 900},
        {"level": "complete_secondary", "students": 1000, "students_junior": 400, "students_senior": 600},
        {"level": "nine_year", "students": 500},
        {"level": "kindergarten", "students": 90},
    ])
    assert balance.compulsory_enrollment(frame).tolist()[:3] == [1800.0, 400.0, 500.0]
    assert math.isnan(balance.compulsory_enrollment(frame).iloc[3])
    share = balance.compulsory_resource_share(frame)
    # twelve-year: (1200 + 1.1·600) / (1200 + 660 + 1.32·900) = 1860 / 3048 = 0.610236
    assert share.iloc[0] == pytest.approx(1860 / 3048) and share.iloc[0] == pytest.approx(0.610236, abs=1e-6)
    # complete secondary: 400 / (400 + 1.2·600) = 400 / 1120 = 0.357143
    assert share.iloc[1] == pytest.approx(400 / 1120)
    assert share.iloc[2:].tolist() == [1.0, 0.0]


def test_per_student_indicators_hand_computed():
    parts = balance.split_combined_schools(schools([
        {"level": "primary", "students": 500, "teachers_above_required_qualification": 21,
         "equipment_value_yuan": 1_000_000},
        {"level": "primary", "students": 0, "teachers_above_required_qualification": 1},
    ]))
    values = balance.per_student_indicators(parts, balance.BALANCE_SOURCES)
    assert values["qualified_teachers_per_100"].iloc[0] == 4.2  # 100 × 21 / 500
    assert values["equipment_value_per_student"].iloc[0] == 2000.0  # 1 000 000 / 500
    assert len(values) == 1  # a school with no pupils gives no part


def _verdict_frame(rows: list[dict], level: str = "primary") -> pd.DataFrame:
    standards = {code: spec.primary if level == "primary" else spec.junior
                 for code, spec in balance.BALANCE_INDICATORS.items()}
    values = pd.DataFrame([{**standards, **row} for row in rows])
    return balance.school_verdicts(values, pd.Series([level] * len(rows)))


def test_school_rule_six_of_seven_and_85_percent():
    verdicts = _verdict_frame([
        {},                                                    # all 7 exactly at standard → pass
        {"qualified_teachers_per_100": 0.85 * 4.2},            # 6 met, 7th at 85 % (3.57) → pass
        {"qualified_teachers_per_100": 0.84 * 4.2},            # 6 met, 7th at 84 % → fail
        {"qualified_teachers_per_100": 4.0, "backbone_teachers_per_100": 0.99},  # 5 met → fail
        {"sports_area_per_student": NAN},                      # missing → cannot be judged
    ])
    assert verdicts["passes"].tolist() == [True, True, False, False, pd.NA]
    assert verdicts["indicators_met_count"].tolist()[:4] == [7, 6, 6, 5]
    assert math.isnan(verdicts["indicators_met_count"].iloc[4])
    assert verdicts["qualified_teachers_per_100_meets"].tolist()[:3] == [True, False, False]
    assert verdicts["sports_area_per_student_meets"].iloc[4] is pd.NA


def test_school_rule_uses_junior_standards():
    # 5.3 qualified teachers per 100 pupils is the junior standard; 4.5 m² teaching area is below
    # junior's 5.8 (4.5/5.8 = 77.6 % < 85 %) → fail
    verdicts = _verdict_frame([{}, {"teaching_area_per_student": 4.5}], level="junior")
    assert verdicts["passes"].tolist() == [True, False]


def test_grouped_cv_matches_scalar_difference_coefficient():
    rng = np.random.default_rng(7)
    values = pd.DataFrame({"x": rng.gamma(2.0, 3.0, 60), "y": rng.gamma(5.0, 1.0, 60)})
    values.loc[[3, 17, 40], "x"] = NAN
    weights = pd.Series(rng.integers(50, 900, 60).astype(float))
    weights[[5, 41]] = NAN
    codes = np.repeat(np.arange(4), 15)
    cv, n = balance.grouped_difference_coefficient(values, weights, codes, 4)
    for g in range(4):
        rows = codes == g
        for column in ("x", "y"):
            expected = difference_coefficient(values.loc[rows, column], weights[rows])
            assert cv.loc[g, column] == pytest.approx(expected, rel=1e-12)
    assert n.loc[0, "x"] == 13  # rows 3 (value) and 5 (weight) dropped in group 0


def _two_school_county(level: str, low: dict, high: dict, students=(100, 100)) -> pd.DataFrame:
    return schools([{"level": level, "students": students[0], **low},
                    {"level": level, "students": students[1], **high}])


# The national limits of 教督〔2017〕6号 / 〔2012〕3号, as the registry holds them (checked below); the library
# keeps no copy: callers pass the scorecard's thresholds (after county overrides).
CV_LIMITS = {"primary": 0.50, "junior": 0.45}
BASIC_CV_LIMITS = {"primary": 0.65, "junior": 0.55}


def test_the_national_limits_used_here_are_the_registry_thresholds():
    registry = load_targets().set_index("target_id")["threshold"]
    for code in balance.BALANCE_SOURCES:
        for level, limit in CV_LIMITS.items():
            assert registry[f"t08_balance_cv_{code}_{level}"] == pytest.approx(limit)
    for level, limit in BASIC_CV_LIMITS.items():
        assert registry[f"t08_basic_balance_cv_{level}"] == pytest.approx(limit)


def test_balance_cvs_without_limits_give_no_verdict():
    frame = _two_school_county("primary", {"teaching_area_m2": 50.0}, {"teaching_area_m2": 150.0})
    assert "within_limit" not in balance.balance_cvs(balance.balance_parts(frame))


def test_balance_cvs_limits_are_inclusive():
    # X = 0.5 and 1.5 per pupil, equal enrollment: X̄ = 1, S = sqrt(0.5·0.25 + 0.5·0.25) = 0.5, CV = 0.5
    low = {"teaching_area_m2": 50.0}
    high = {"teaching_area_m2": 150.0}
    frame = pd.concat([_two_school_county("primary", low, high),
                       _two_school_county("junior", low, high)], ignore_index=True)
    frame["school_id"] = [f"s{i}" for i in range(4)]
    cvs = balance.balance_cvs(balance.balance_parts(frame), CV_LIMITS)
    area = cvs.loc[cvs["code"] == "teaching_area_per_student"].set_index("level")
    assert area.loc["primary", "cv"] == pytest.approx(0.5)
    assert area.loc["primary", "within_limit"]            # 0.50 <= 0.50
    assert not area.loc["junior", "within_limit"]         # 0.50 > 0.45
    assert area.loc["primary", "schools_count"] == 2
    assert cvs.loc[cvs["code"] == "sports_area_per_student", "within_limit"].isna().all()
    # An override of the primary limit to 0.30 (a county's 责任书) turns the same CV into a failure.
    tighter = balance.balance_cvs(balance.balance_parts(frame), {**CV_LIMITS, "primary": 0.30})
    area = tighter.loc[tighter["code"] == "teaching_area_per_student"].set_index("level")
    assert area.loc["primary", "limit"] == 0.30 and not area.loc["primary", "within_limit"]  # 0.50 > 0.30


def test_county_verdict_needs_all_fourteen():
    ok = {**PRIMARY_OK}
    frame = pd.concat([_two_school_county("primary", ok, ok), _two_school_county("junior", ok, ok)],
                      ignore_index=True)
    frame["school_id"] = [f"s{i}" for i in range(4)]
    verdict = balance.county_balance_verdict(balance.balance_parts(frame), CV_LIMITS)
    assert verdict["cvs_judged_count"].iloc[0] == 14 and verdict["all_within_limits"].iloc[0]
    frame.loc[0, "backbone_teachers"] = 10.0  # primary backbone CV far above 0.50
    verdict = balance.county_balance_verdict(balance.balance_parts(frame), CV_LIMITS)
    assert verdict["all_within_limits"].iloc[0] == False  # noqa: E712
    assert verdict["cvs_within_limit_count"].iloc[0] == 13
    frame.loc[0, "backbone_teachers"] = 1.0
    frame["multimedia_rooms"] = NAN  # two CVs missing, no other over the limit → cannot say
    verdict = balance.county_balance_verdict(balance.balance_parts(frame), CV_LIMITS)
    assert verdict["all_within_limits"].iloc[0] is pd.NA and verdict["cvs_judged_count"].iloc[0] == 12


def test_basic_balance_comprehensive_cv_hand_computed():
    # Two primary schools of 100 pupils. Four indicators at 1 : 3 per pupil (X̄ = 2, S = 1, CV = 0.5),
    # four equal (CV = 0): comprehensive CV = (4 × 0.5 + 4 × 0) / 8 = 0.25.
    low = {"teaching_area_m2": 100.0, "sports_area_m2": 100.0, "equipment_value_yuan": 100.0,
           "computers": 10.0, "library_books": 2000.0, "teachers": 5.0,
           "teachers_above_required_qualification": 4.0, "teachers_senior_title": 3.0}
    high = {**low, "teaching_area_m2": 300.0, "sports_area_m2": 300.0, "equipment_value_yuan": 300.0,
            "computers": 30.0}
    result = balance.basic_balance_cvs(balance.balance_parts(_two_school_county("primary", low, high)),
                                       BASIC_CV_LIMITS)
    assert result["level"].tolist() == ["primary"]
    assert result["cv"].iloc[0] == pytest.approx(0.25)
    assert result["limit"].iloc[0] == 0.65 and result["within_limit"].iloc[0]  # 0.25 <= 0.65
    without_books = _two_school_county("primary", {**low, "library_books": NAN},
                                       {**high, "library_books": NAN})
    assert balance.basic_balance_cvs(balance.balance_parts(without_books)).empty
