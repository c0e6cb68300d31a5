"""Teacher-roster measures: certificates, rotation, age structure, subject supply."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qyanalysis.dataset import Dataset
from qyanalysis.measures import staffing, teachers
from qyanalysis.measures.rates import MEASURE_COLUMNS, wilson_interval

T, F, NA = True, False, pd.NA


def _schools() -> pd.DataFrame:
    return pd.DataFrame({
        "school_id": ["P1", "K1"], "school_name": ["P1", "K1"], "county_code": ["441802", "441802"],
        "year": pd.Series([2022, 2022], dtype="int64"), "level": ["primary", "kindergarten"],
        "ownership": ["public", "public"], "location": ["rural", "urban"],
        "students": [200.0, 90.0],
    })


def _roster() -> pd.DataFrame:
    rows = [
        # id, school, birth, subject, certificate, eligible, rotated, backbone
        ("t1", "P1", 1970, "pe", T, T, T, T),
        ("t2", "P1", 1990, "music", F, T, F, F),
        ("t3", "P1", NA, "chinese", NA, T, T, F),
        ("t4", "K1", 1980, "preschool", T, F, F, NA),
        ("t5", "K1", 1995, "preschool", T, NA, NA, NA),
    ]
    frame = pd.DataFrame(rows, columns=["teacher_id", "school_id", "birth_year", "subject",
                                        "has_teaching_certificate", "is_rotation_eligible", "rotated",
                                        "is_backbone"])
    frame["county_code"] = "441802"
    frame["year"] = pd.Series(2022, index=frame.index, dtype="int64")
    frame["birth_year"] = frame["birth_year"].astype("Int64")
    frame["is_established"] = True
    for col in ("has_teaching_certificate", "is_rotation_eligible", "rotated", "is_backbone", "is_established"):
        frame[col] = frame[col].astype("boolean")
    return frame


def _indicators() -> pd.DataFrame:
    return pd.DataFrame({"county_code": pd.Series(dtype="str"), "year": pd.Series(dtype="int64"),
                         "period": pd.Series(dtype="str"), "indicator": pd.Series(dtype="str"),
                         "value": pd.Series(dtype="float64"), "source": pd.Series(dtype="str")})


@pytest.fixture()
def dataset() -> Dataset:
    return Dataset(schools=_schools(), indicators=_indicators(), teachers=_roster())


def _value(frame, indicator):
    hit = frame[frame["indicator"] == indicator]
    assert len(hit) == 1, indicator
    return hit.iloc[0]


def test_roster_joins_the_school_of_the_same_year(dataset):
    frame = teachers.roster(dataset)
    assert frame.set_index("teacher_id").loc["t4", "level"] == "kindergarten"
    # age = 2022 − 1970 = 52; no birth year → no age
    ages = frame.set_index("teacher_id")["age_years"]
    assert ages["t1"] == 52.0 and np.isnan(ages["t3"])


def test_certificate_shares(dataset):
    out = teachers.measures(dataset)
    share = _value(out, "teacher_certificate_share")
    # compulsory-school teachers only (P1): t1 T, t2 F (t3 unknown, not a "no"): 1 / 2 = 0.5;
    # the kindergarten's t4 and t5 (both certified) change nothing
    assert (share["numerator"], share["denominator"]) == pytest.approx((1.0, 2.0))
    assert share["value"] == pytest.approx(0.5)
    assert share["ci_low"] == pytest.approx(wilson_interval(1, 2)[0])
    kindergarten = _value(out, "kindergarten_teacher_certified_share")
    # teachers of K1 (a kindergarten in the census): t4 T, t5 T → 2 / 2 = 1.0, upper bound exactly 1
    assert (kindergarten["value"], kindergarten["ci_high"]) == (1.0, 1.0)


def test_certificate_share_takes_the_compulsory_part_of_a_twelve_year_school():
    schools = pd.DataFrame({
        "school_id": ["P1", "Z1", "S1"], "school_name": ["P1", "Z1", "S1"], "county_code": "441802",
        "year": pd.Series([2022] * 3, dtype="int64"), "level": ["primary", "twelve_year", "senior"],
        "ownership": "public", "location": "urban", "students": [200.0, 2700.0, 800.0],
        "students_primary": [np.nan, 1200.0, np.nan], "students_junior": [np.nan, 600.0, np.nan],
        "students_senior": [np.nan, 900.0, np.nan],
    })
    # P1: 4 teachers, 3 certified; Z1: 10 teachers, 5 certified; S1 (senior): 6 teachers, none certified
    rows = [("P1", k < 3) for k in range(4)] + [("Z1", k < 5) for k in range(10)] + [("S1", False)] * 6
    roster = pd.DataFrame({"teacher_id": [f"t{k}" for k in range(len(rows))],
                           "school_id": [r[0] for r in rows], "county_code": "441802",
                           "year": pd.Series(2022, index=range(len(rows)), dtype="int64"),
                           "has_teaching_certificate": pd.array([r[1] for r in rows], dtype="boolean"),
                           "is_established": pd.array([True] * len(rows), dtype="boolean")})
    share = _value(teachers.measures(Dataset(schools=schools, indicators=_indicators(), teachers=roster)),
                   "teacher_certificate_share")
    # Z1's compulsory share (优质均衡 weights 1 : 1.1 : 1.32): (1200 + 660) / (1200 + 660 + 1188) = 1860/3048
    w = 1860 / 3048  # 0.610236
    assert share["denominator"] == pytest.approx(4 + 10 * w)   # 10.102362
    assert share["numerator"] == pytest.approx(3 + 5 * w)      # 6.051181
    assert share["value"] == pytest.approx((3 + 5 * w) / (4 + 10 * w), abs=1e-12)  # 0.598987
    assert share["value"] == pytest.approx(0.598987, abs=1e-6)


def test_certificate_share_counts_established_full_time_teachers_only():
    # 专任教师持证上岗率 (教督〔2017〕6号): P1 has 10 established teachers (9 certified), 2 temporary
    # ones (临聘, neither certified) and 1 whose establishment is not given (certified): 9 ÷ 10 = 0.9.
    # Counting everyone would give (9 + 0 + 1) ÷ 13 = 0.769.
    established = [True] * 10 + [False] * 2 + [NA]
    certified = [True] * 9 + [False] + [False] * 2 + [True]
    roster = pd.DataFrame({"teacher_id": [f"t{k}" for k in range(13)], "school_id": "P1", "county_code": "441802",
                           "year": pd.Series(2022, index=range(13), dtype="int64"),
                           "is_established": pd.array(established, dtype="boolean"),
                           "has_teaching_certificate": pd.array(certified, dtype="boolean")})
    out = teachers.measures(Dataset(schools=_schools(), indicators=_indicators(), teachers=roster))
    share = _value(out, "teacher_certificate_share")
    assert (share["numerator"], share["denominator"]) == pytest.approx((9.0, 10.0))
    assert share["value"] == pytest.approx(0.9)
    assert share["ci_low"] == pytest.approx(wilson_interval(9, 10)[0])
    # without the establishment column the share cannot be restricted: absent (no data), not everyone
    bare = Dataset(schools=_schools(), indicators=_indicators(), teachers=roster.drop(columns="is_established"))
    assert "teacher_certificate_share" not in set(teachers.measures(bare)["indicator"])


def test_certificate_share_of_lianshan_on_the_demo_is_established_teachers_only():
    # 连山 (441825), 2022 (its compulsory schools are primary, junior and nine-year: weight 1 each):
    # counted by hand from the roster, 1,060 of 1,069 established teachers hold a certificate;
    # with the temporary teachers it would be 1,088 of 1,102.
    import qyanalysis as qy

    demo = qy.load_demo()
    roster = demo.teachers.merge(demo.schools[["school_id", "year", "level"]], on=["school_id", "year"])
    mine = roster[(roster["county_code"] == "441825") & (roster["year"] == 2022)]
    assert set(mine["level"]) & {"twelve_year", "complete_secondary"} == set()  # no split weights here
    out = teachers.measures(demo)
    row = out.loc[(out["indicator"] == "teacher_certificate_share") & (out["county_code"] == "441825")
                  & (out["year"] == 2022)].iloc[0]
    assert (row["numerator"], row["denominator"]) == pytest.approx((1060.0, 1069.0))
    assert row["value"] == pytest.approx(1060 / 1069)


def test_rotation_rate_and_backbone_share_of_rotated(dataset):
    out = teachers.measures(dataset)
    rate = _value(out, "teacher_rotation_rate")
    # both flags known: t1 (eligible, rotated), t2 (eligible), t3 (eligible, rotated), t4 (neither)
    # rotated 2 ÷ eligible 3 = 0.666667 (target >= 10 %)
    assert (rate["numerator"], rate["denominator"]) == (2.0, 3.0)
    assert rate["value"] == pytest.approx(2 / 3)
    backbone = _value(out, "backbone_share_of_rotated")
    # rotated t1 (backbone) and t3 (not): 1 / 2 = 0.5 (target >= 20 %)
    assert (backbone["numerator"], backbone["denominator"], backbone["value"]) == (1.0, 2.0, 0.5)


def test_age_structure(dataset):
    out = teachers.measures(dataset)
    older = _value(out, "older_teacher_share")
    # ages 52, 32, 42, 27 (t3 unknown): one aged 50+ → 1 / 4 = 0.25
    assert (older["numerator"], older["denominator"], older["value"]) == (1.0, 4.0, 0.25)
    table = teachers.age_table(dataset, ["county_code", "year", "location"]).set_index("location")
    # rural P1: 52 and 32 → share 0.5, mean 42; urban K1: 42 and 27 → share 0, mean 34.5
    assert table.loc["rural", ["value", "mean_age_years", "teachers_count"]].tolist() == [0.5, 42.0, 2.0]
    assert table.loc["urban", ["value", "mean_age_years"]].tolist() == [0.0, 34.5]
    whole = teachers.age_table(dataset, ["county_code", "year"]).iloc[0]
    assert whole["mean_age_years"] == 38.25  # (52 + 32 + 42 + 27) / 4


def test_subject_supply_per_100_pupils(dataset):
    table = teachers.subject_supply_table(dataset).set_index("subject")
    # P1 (200 pupils) is the only primary/secondary school: PE 1 → 0.5, music 1 → 0.5, fine arts none → 0
    assert table.loc["pe", "value"] == 0.5
    assert table.loc["music", "value"] == 0.5
    assert table.loc["fine_arts", ["numerator", "denominator", "value"]].tolist() == [0.0, 200.0, 0.0]
    assert (table["location"] == "rural").all()


def test_no_roster_means_no_roster_measures(dataset):
    bare = Dataset(schools=dataset.schools, indicators=dataset.indicators)
    assert teachers.roster(bare) is None
    out = teachers.measures(bare)
    assert len(out) == 0 and tuple(out.columns) == MEASURE_COLUMNS
    assert teachers.age_table(bare).empty and teachers.subject_supply_table(bare).empty


def test_missing_flag_columns_give_absent_measures(dataset):
    partial = Dataset(schools=dataset.schools, indicators=dataset.indicators,
                      teachers=_roster().drop(columns=["rotated", "birth_year"]))
    out = teachers.measures(partial)
    assert set(out["indicator"]) == {"teacher_certificate_share", "kindergarten_teacher_certified_share"}


def test_staffing_measures_include_the_roster(dataset):
    out = staffing.measures(dataset)
    assert "teacher_rotation_rate" in set(out["indicator"])


def test_older_share_gap_is_rural_minus_urban_with_newcombe_interval():
    table = pd.DataFrame({"location": ["rural", "urban", "town"], "numerator": [30.0, 10.0, 5.0],
                          "denominator": [100.0, 100.0, 50.0], "value": [0.3, 0.1, 0.1],
                          "mean_age_years": [48.0, 38.0, 40.0]})
    gap = teachers.older_share_gap(table)
    # Wilson 95 %: 30/100 → (0.21895, 0.39585); 10/100 → (0.05523, 0.17437).
    # low  = 0.2 − sqrt((0.3 − 0.21895)² + (0.17437 − 0.1)²) = 0.2 − 0.10999 = 0.09000
    # high = 0.2 + sqrt((0.39585 − 0.3)² + (0.1 − 0.05523)²) = 0.2 + 0.10579 = 0.30579
    assert gap["difference"] == pytest.approx(0.2)
    assert gap["low"] == pytest.approx(0.09000, abs=1e-4) and gap["high"] == pytest.approx(0.30579, abs=1e-4)
    assert (gap["rural_age"], gap["urban_age"]) == (48.0, 38.0)
    assert teachers.older_share_gap(table[table["location"] != "urban"]) is None


def test_subject_table_puts_the_subjects_side_by_side_and_adds_them_per_100_pupils():
    supply = pd.DataFrame({
        "location": ["rural"] * 3 + ["urban"] * 3,
        "subject": ["pe", "music", "fine_arts"] * 2,
        "numerator": [5.0, 2.0, 0.0, 8.0, 4.0, 4.0],
        "denominator": [1000.0] * 3 + [800.0] * 3,
        "value": [0.5, 0.2, 0.0, 1.0, 0.5, 0.5]})
    table = teachers.subject_table(supply).set_index("location")
    # rural: 5 PE, 2 music, 0 fine-arts teachers for 1,000 pupils: 0.5 + 0.2 + 0.0 = 0.7 per 100 pupils
    # (= 100 × 7 / 1,000); urban: 100 × 16 / 800 = 2.0.
    assert table.loc["rural", ["pupils", "pe_teachers", "music_teachers", "fine_arts_teachers"]].tolist() == \
        [1000.0, 5.0, 2.0, 0.0]
    assert table.loc["rural", "combined_per100"] == pytest.approx(0.7)
    assert table.loc["urban", "combined_per100"] == pytest.approx(2.0)
    assert teachers.subject_table(supply.iloc[0:0]).empty
