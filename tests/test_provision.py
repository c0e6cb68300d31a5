"""Provision measures (plan items 6, 7, 8, 10, 34, 35) on tiny hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qyanalysis.dataset import Dataset
from qyanalysis.measures import provision
from qyanalysis.measures.rates import MEASURE_COLUMNS

A, B, CITY = "441802", "441803", "441800"


def schools_frame(rows: list[dict]) -> pd.DataFrame:
    """A school census with the loader's dtypes; unspecified optional columns are absent."""
    frame = pd.DataFrame(rows)
    frame["school_id"] = [f"s{i}" for i in range(len(frame))]
    frame["school_name"] = frame["school_id"]
    frame["year"] = frame.get("year", pd.Series(2022, index=frame.index)).astype("int64")
    for col in ("students", "migrant_students", "disabled_students"):
        if col in frame:
            frame[col] = frame[col].astype("float64")
    if "has_resource_room" in frame:
        frame["has_resource_room"] = frame["has_resource_room"].astype("boolean")
    return frame


def indicators_frame(rows: list[tuple]) -> pd.DataFrame:
    """Indicators rows given as (county_code, year, period, indicator, value)."""
    frame = pd.DataFrame(rows, columns=["county_code", "year", "period", "indicator", "value"])
    return frame.astype({"year": "int64", "value": "float64"}).assign(source="test")


def value_of(frame: pd.DataFrame, indicator: str, county: str = A, year: int = 2022,
             period: str = "") -> pd.Series:
    rows = frame[(frame["indicator"] == indicator) & (frame["county_code"] == county)
                 & (frame["year"] == year) & (frame["period"] == period)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


KINDERGARTENS = [
    {"county_code": A, "level": "kindergarten", "ownership": "public", "students": 100},
    {"county_code": A, "level": "kindergarten", "ownership": "private_inclusive", "students": 60},
    {"county_code": A, "level": "kindergarten", "ownership": "private", "students": 40},
    {"county_code": A, "level": "primary", "ownership": "public", "students": 900},  # not a kindergarten
    {"county_code": B, "level": "kindergarten", "ownership": "private", "students": 30},
]


def test_preschool_5080_shares():
    out = provision.preschool_shares(schools_frame(KINDERGARTENS))
    public = value_of(out, "preschool_public_share")
    # 100 public ÷ (100 + 60 + 40) = 0.5
    assert public["value"] == pytest.approx(0.5)
    assert (public["numerator"], public["denominator"]) == (100.0, 200.0)
    # Wilson, x = 100, n = 200, z = 1.959964: centre 0.5, half = 1.923027 · sqrt(0.25/200 + 3.841459/160000)
    # = 1.923027 · 0.0356933 = 0.068639 → (0.431361, 0.568639)
    assert public["ci_low"] == pytest.approx(0.431361, abs=1e-6)
    assert public["ci_high"] == pytest.approx(0.568639, abs=1e-6)
    # (100 + 60) ÷ 200 = 0.8
    assert value_of(out, "preschool_inclusive_share")["value"] == pytest.approx(0.8)
    # County B: only a private kindergarten: 0 ÷ 30 = 0 — a real zero, not missing.
    assert value_of(out, "preschool_public_share", county=B)["value"] == 0.0


def test_preschool_share_leaves_out_a_kindergarten_without_enrollment():
    rows = KINDERGARTENS[:3] + [{"county_code": A, "level": "kindergarten", "ownership": "private",
                                 "students": np.nan}]
    out = provision.preschool_shares(schools_frame(rows))
    # The school without enrollment is pooled neither in the numerator nor the denominator: 100 ÷ 200.
    assert value_of(out, "preschool_public_share")["value"] == pytest.approx(0.5)


def test_preschool_share_is_absent_without_kindergartens():
    rows = [{"county_code": A, "level": "primary", "ownership": "public", "students": 10}]
    assert provision.preschool_shares(schools_frame(rows)).empty


def test_migrant_public_share_counts_compulsory_schools_only():
    columns = ["county_code", "level", "ownership", "students", "migrant_students"]
    rows = [dict(zip(columns, values)) for values in [
        (A, "primary", "public", 500, 90),
        (A, "nine_year", "public", 800, 80),
        (A, "junior", "private", 300, 30),
        (A, "senior", "private", 900, 500),
        (B, "primary", "public", 100, 0),
    ]]
    out = provision.migrant_public_share(schools_frame(rows))
    row = value_of(out, "migrant_public_share")
    # (90 + 80) ÷ (90 + 80 + 30) = 170 / 200 = 0.85 — the senior school is not compulsory.
    assert row["value"] == pytest.approx(0.85)
    assert (row["numerator"], row["denominator"]) == (170.0, 200.0)
    empty = value_of(out, "migrant_public_share", county=B)
    assert np.isnan(empty["value"]) and empty["note"].startswith("not_applicable")


def test_migrant_public_share_is_absent_without_the_column():
    rows = [{"county_code": A, "level": "primary", "ownership": "public", "students": 500}]
    out = provision.migrant_public_share(schools_frame(rows))
    assert out.empty and list(out.columns) == list(MEASURE_COLUMNS)


def test_resource_room_coverage_counts_schools_with_five_or_more_disabled_pupils():
    rows = [
        {"county_code": A, "level": "primary", "ownership": "public", "students": 400,
         "disabled_students": 5, "has_resource_room": True},  # exactly 5: 以上 is inclusive
        {"county_code": A, "level": "junior", "ownership": "public", "students": 400,
         "disabled_students": 9, "has_resource_room": False},
        {"county_code": A, "level": "primary", "ownership": "public", "students": 400,
         "disabled_students": 6, "has_resource_room": None},  # unknown → not counted as "no"
        {"county_code": A, "level": "primary", "ownership": "public", "students": 400,
         "disabled_students": 4, "has_resource_room": False},  # under 5: not in scope
        {"county_code": A, "level": "special", "ownership": "public", "students": 80,
         "disabled_students": 80, "has_resource_room": False},  # special school: not ordinary
        {"county_code": B, "level": "primary", "ownership": "public", "students": 100,
         "disabled_students": 2, "has_resource_room": False},
    ]
    out = provision.resource_room_coverage(schools_frame(rows))
    row = value_of(out, "resource_room_coverage")
    # 1 with a room ÷ 2 eligible schools of known status = 0.5
    assert row["value"] == pytest.approx(0.5)
    assert (row["numerator"], row["denominator"]) == (1.0, 2.0)
    # the school of unknown status makes the row incomplete: one ordinary school of county A is missing
    assert row["note"] == "" and row["units_expected"] - row["units_reporting"] == 1.0
    none = value_of(out, "resource_room_coverage", county=B)
    assert np.isnan(none["value"])
    assert none["note"] == "not_applicable: no school with 5+ disabled pupils"


def test_resource_room_coverage_is_absent_when_disabled_counts_are_unknown():
    rows = [{"county_code": A, "level": "primary", "ownership": "public", "students": 100,
             "disabled_students": np.nan, "has_resource_room": False}]
    assert provision.resource_room_coverage(schools_frame(rows)).empty


def test_purchased_seats_change_against_the_previous_year():
    ind = indicators_frame([
        (A, 2021, "", "purchased_seats", 200),
        (A, 2022, "", "purchased_seats", 188),
        (A, 2022, "2022-06", "purchased_seats", 150),  # a monthly figure is not an annual total
        (B, 2022, "", "purchased_seats", 50),  # no 2021 → no change
    ])
    out = provision.purchased_seats_change(ind)
    row = value_of(out, "purchased_seats_change")
    # (188 − 200) ÷ 200 = −0.06 → meets "减少5%以上" (<= −0.05)
    assert row["value"] == pytest.approx(-0.06)
    assert (row["numerator"], row["denominator"]) == (-12.0, 200.0)
    assert len(out) == 1


def test_purchased_seats_change_from_zero():
    ind = indicators_frame([(A, 2021, "", "purchased_seats", 0), (A, 2022, "", "purchased_seats", 0),
                            (B, 2021, "", "purchased_seats", 0), (B, 2022, "", "purchased_seats", 10)])
    out = provision.purchased_seats_change(ind)
    assert value_of(out, "purchased_seats_change")["note"].startswith("not_applicable")
    assert (out["county_code"] == B).sum() == 0  # 0 → 10 has no relative change


def test_disabled_enrollment_rate():
    ind = indicators_frame([
        (A, 2022, "", "disabled_children_enrolled", 190),
        (A, 2022, "", "disabled_children_school_age", 200),
        (B, 2022, "", "disabled_children_enrolled", 12),  # no denominator → absent
    ])
    out = provision.disabled_enrollment_rate(ind)
    row = value_of(out, "disabled_enrollment_rate")
    assert row["value"] == pytest.approx(0.95)  # 190 ÷ 200, meets ">= 95%"
    assert row["ci_low"] < 0.95 < row["ci_high"]
    assert set(out["county_code"]) == {A}


def test_disabled_enrollment_rate_above_one_is_kept_with_a_note():
    ind = indicators_frame([(A, 2022, "", "disabled_children_enrolled", 21),
                            (A, 2022, "", "disabled_children_school_age", 20)])
    row = value_of(provision.disabled_enrollment_rate(ind), "disabled_enrollment_rate")
    assert row["value"] == pytest.approx(1.05)  # 21 ÷ 20
    assert row["note"] == "numerator_exceeds_denominator" and np.isnan(row["ci_low"])


def test_per_student_funding_ratio_uses_the_county_or_else_the_city_standard():
    ind = indicators_frame([
        (A, 2022, "", "per_student_funding_yuan", 1150),
        (A, 2022, "", "per_student_funding_standard_yuan", 1000),
        (B, 2022, "", "per_student_funding_yuan", 900),
        (CITY, 2022, "", "per_student_funding_standard_yuan", 1200),
    ])
    out = provision.per_student_funding_ratio(ind, city_code=CITY)
    assert value_of(out, "per_student_funding_ratio")["value"] == pytest.approx(1.15)  # 1150 ÷ 1000
    assert value_of(out, "per_student_funding_ratio", county=B)["value"] == pytest.approx(0.75)  # 900 ÷ 1200
    assert provision.per_student_funding_ratio(ind, city_code=None)["county_code"].tolist() == [A]


def test_key_tasks_completed_by_county_and_city_sum():
    tasks = pd.DataFrame({
        "task_id": ["t1", "t2", "t3", "t4", "t5"],
        "item": [34.0] * 5,
        "county_code": [A, A, A, B, CITY],
        "year": np.array([2022] * 5, dtype="int64"),
        "title_zh": list("abcde"),
        "is_key_task": pd.array([True, True, None, True, True], dtype="boolean"),
        "status": ["completed", "in_progress", "completed", "delayed", "completed"],
    })
    out = provision.key_tasks_completed(tasks, city_code=CITY)
    assert value_of(out, "key_tasks_completed")["value"] == 1.0  # t1 (t3 is not known to be key)
    assert value_of(out, "key_tasks_completed", county=B)["value"] == 0.0  # a real zero
    city = value_of(out, "key_tasks_completed", county=CITY)
    assert city["value"] == 2.0 and city["note"] == "city_sum"  # t1 + t5
    assert provision.key_tasks_completed(None).empty


def test_new_public_seats_keep_their_periods():
    ind = indicators_frame([
        (CITY, 2022, "2022-03", "new_public_seats_compulsory", 5000),
        (CITY, 2022, "2022-06", "new_public_seats_compulsory", 11000),
        (A, 2022, "", "new_public_seats_preschool", 300),
        (A, 2022, "", "purchased_seats", 10),
    ])
    out = provision.new_public_seats(ind)
    assert value_of(out, "new_public_seats_compulsory", county=CITY, period="2022-06")["value"] == 11000.0
    assert len(out) == 3


def test_measures_returns_the_measure_frame_sorted():
    ds = Dataset(schools=schools_frame(KINDERGARTENS), indicators=indicators_frame([
        (A, 2021, "", "purchased_seats", 100), (A, 2022, "", "purchased_seats", 90)]))
    out = provision.measures(ds)
    assert list(out.columns) == list(MEASURE_COLUMNS)
    assert out["year"].dtype == "int64" and out["value"].dtype == "float64" and out["note"].dtype == "str"
    keys = out[["county_code", "year", "period", "indicator"]]
    assert keys.equals(keys.sort_values(list(keys.columns), ignore_index=True))
    assert set(out["indicator"]) == {"preschool_public_share", "preschool_inclusive_share",
                                     "purchased_seats_change"}


def test_enrollment_table():
    columns = ["county_code", "level", "ownership", "location", "students"]
    rows = [dict(zip(columns, values)) for values in [
        (A, "kindergarten", "public", "urban", 100),
        (A, "kindergarten", "public", "urban", 50),
        (A, "primary", "public", "rural", 300),
        (A, "primary", "public", "rural", np.nan),
    ]]
    ds = Dataset(schools=schools_frame(rows), indicators=indicators_frame([]))
    out = provision.enrollment_table(ds)
    kg = out[out["level"] == "kindergarten"].iloc[0]
    assert (kg["schools_count"], kg["students_count"]) == (2.0, 150.0)  # 100 + 50
    primary = out[out["level"] == "primary"].iloc[0]
    assert primary["schools_count"] == 2.0 and np.isnan(primary["students_count"])  # never a partial sum


def test_seat_table_is_wide_by_period():
    ind = indicators_frame([(A, 2022, "2022-06", "new_public_seats_senior", 400),
                            (A, 2022, "", "purchased_seats", 80)])
    out = provision.seat_table(Dataset(schools=schools_frame(KINDERGARTENS), indicators=ind))
    expected = ["county_code", "year", "period", *provision.SEAT_INDICATORS, "purchased_seats"]
    assert list(out.columns) == expected
    assert out.set_index("period").loc["2022-06", "new_public_seats_senior"] == 400.0


def test_resource_room_coverage_is_a_share_of_schools_without_an_interval():
    rows = [{"county_code": A, "level": "primary", "ownership": "public", "students": 400,
             "disabled_students": 6, "has_resource_room": flag} for flag in (True, True, False)]
    row = value_of(provision.resource_room_coverage(schools_frame(rows)), "resource_room_coverage")
    assert row["value"] == pytest.approx(2 / 3)  # 2 of 3 schools
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])


def test_enrollment_by_ownership_sums_counties_and_never_a_partial_total():
    from qyanalysis.dataset import Dataset
    from qyanalysis.measures.provision import enrollment_by_ownership

    schools = pd.DataFrame({
        "school_id": ["k1", "k2", "k3", "k4"], "county_code": ["441802", "441803", "441803", "441803"],
        "year": 2022, "level": "kindergarten", "ownership": ["public", "public", "private", "private"],
        "location": ["urban", "rural", "urban", "rural"], "students": [120.0, 80.0, 40.0, float("nan")]})
    data = Dataset(schools=schools, indicators=pd.DataFrame(columns=["county_code", "year", "period", "indicator",
                                                                      "value", "source"]))
    city = enrollment_by_ownership(data, 2022, "kindergarten").set_index("ownership")
    assert city.loc["public", "students_count"] == pytest.approx(200.0)  # 120 + 80
    assert city.loc["public", "schools_count"] == pytest.approx(2.0)
    assert pd.isna(city.loc["private", "students_count"])  # k4's enrollment is missing
    county = enrollment_by_ownership(data, 2022, "kindergarten", "441802").set_index("ownership")
    assert list(county.index) == ["public"] and county.loc["public", "students_count"] == pytest.approx(120.0)


def test_private_share_table_pools_private_pupils_and_keeps_incomplete_groups_missing():
    nan = float("nan")
    enrollment = pd.DataFrame({
        "year": [2022] * 5, "level": ["primary", "primary", "primary", "junior", "junior"],
        "ownership": ["public", "private", "private_inclusive", "public", "private"],
        "schools_count": [3.0, 1.0, 1.0, 2.0, 1.0], "students_count": [900.0, 60.0, 40.0, 500.0, nan]})
    table = provision.private_share_table(enrollment, ["level"]).set_index("level")
    # primary: (60 + 40) ÷ (900 + 60 + 40) = 100 / 1000 = 0.10; 2 of 5 schools private.
    assert table.loc["primary", "private_share"] == pytest.approx(0.10)
    assert table.loc["primary", ["schools", "private_schools"]].tolist() == [5.0, 2.0]
    # junior: one school's enrollment is missing, so no pupil total and no share (never a partial sum).
    assert np.isnan(table.loc["junior", "pupils"]) and np.isnan(table.loc["junior", "private_share"])


def test_wholly_compulsory_levels_are_compulsory_levels_of_the_contract():
    from qyanalysis.contract.columns import COMPULSORY_LEVELS

    # Combined schools with a senior part (complete_secondary, twelve_year) are compulsory levels of the
    # contract, but not every pupil of theirs is in compulsory education.
    assert set(provision.WHOLLY_COMPULSORY_LEVELS) < set(COMPULSORY_LEVELS)
    assert not {"complete_secondary", "twelve_year"} & set(provision.WHOLLY_COMPULSORY_LEVELS)


def test_funding_against_standard_uses_the_own_standard_else_the_one_the_ratio_implies():
    nan = float("nan")
    funding = pd.DataFrame({"per_student_funding_yuan": [1116.0, 1200.0, nan],
                            "per_student_funding_standard_yuan": [1150.0, nan, 1150.0],
                            "per_student_funding_ratio": [0.970435, 1.2, nan]})
    out = provision.funding_against_standard(funding)
    # Own standard 1,150: 1,116 − 1,150 = −34. No own standard: 1,200 ÷ 1.2 = 1,000, gap +200.
    assert out["standard_yuan"].tolist()[:2] == pytest.approx([1150.0, 1000.0])
    assert out["gap_yuan"].tolist()[:2] == pytest.approx([-34.0, 200.0])
    assert np.isnan(out["gap_yuan"].iloc[2])  # no amount: no gap


def test_against_floor_is_inclusive_and_leaves_missing_values_missing():
    values = pd.Series([5820.0, 6000.0, float("nan")])
    out = provision.against_floor(values, 6000.0)
    # 5,820 − 6,000 = −180 (short); exactly 6,000 meets a 不低于 floor; no value → no verdict.
    assert out["gap_yuan"].tolist()[:2] == [-180.0, 0.0]
    assert out["meets"].tolist()[:2] == [False, True] and out["meets"].isna().tolist()[2]
