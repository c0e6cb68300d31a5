"""Staffing measures: pupil–teacher ratios, establishment, qualification, temporary teachers, pay."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qyanalysis import settings
from qyanalysis.contract import indicators as catalogue
from qyanalysis.dataset import Dataset
from qyanalysis.measures import staffing
from qyanalysis.measures.rates import MEASURE_COLUMNS, wilson_interval

NAN = np.nan
TEXT = ("school_id", "school_name", "county_code", "year", "level", "ownership", "location")


def _schools(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("int64")
    for col in frame.columns:
        if col not in TEXT:
            frame[col] = frame[col].astype("float64")
    return frame


def _indicators(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["county_code", "year", "period", "indicator", "value"])
    return frame.astype({"year": "int64", "value": "float64"}).assign(source="")


def _school(sid, county, year, level, students, location="urban", ownership="public", **counts) -> dict:
    return {"school_id": sid, "school_name": sid, "county_code": county, "year": year, "level": level,
            "ownership": ownership, "location": location, "students": students, **counts}


def _census() -> pd.DataFrame:
    return _schools([
        _school("P1", "441802", 2022, "primary", 360, "urban", teachers=20, teachers_above_required_qualification=19,
                backbone_teachers=4, pe_arts_teachers=3, temporary_teachers=2, staff=24),
        _school("J1", "441802", 2022, "junior", 270, "rural", teachers=20, teachers_above_required_qualification=18,
                backbone_teachers=2, pe_arts_teachers=2, temporary_teachers=3, staff=22),
        _school("N1", "441802", 2022, "nine_year", 400, "rural", students_primary=300, students_junior=100,
                teachers=30, teachers_above_required_qualification=27, backbone_teachers=2, pe_arts_teachers=4,
                temporary_teachers=5, staff=34),
        _school("S1", "441802", 2022, "senior", 500, "town", teachers=40, backbone_teachers=5, pe_arts_teachers=5,
                staff=36),
        _school("X1", "441802", 2022, "primary", 200, "urban", "private", teachers=10, temporary_teachers=10),
        _school("K1", "441802", 2022, "kindergarten", 100, "urban", teachers=8, backbone_teachers=1),
        # item 27, hand-computed: 950 established + 100 temporary in 2021, 960 + 85 in 2022
        _school("Q1", "441821", 2021, "primary", 18000, "rural", teachers=950, temporary_teachers=100),
        _school("Q1", "441821", 2022, "primary", 18000, "rural", teachers=960, temporary_teachers=85),
        # item 27, below the line: 1000 + 50 in 2021
        _school("R1", "441823", 2021, "junior", 13000, "town", teachers=1000, temporary_teachers=50),
        _school("R1", "441823", 2022, "junior", 13000, "town", teachers=1000, temporary_teachers=52),
    ])


@pytest.fixture()
def dataset() -> Dataset:
    indicators = _indicators([
        ("441802", 2022, "", "teacher_avg_pay_yuan", 120000),
        ("441802", 2022, "", "civil_servant_avg_pay_yuan", 110000),
        ("441821", 2022, "", "teacher_avg_pay_yuan", 100000),
        ("441800", 2022, "", "support_teachers_received", 140),
        ("441800", 2022, "", "support_teachers_sent", 130),
    ])
    return Dataset(schools=_census(), indicators=indicators)


def _row(frame, county, indicator, year=2022):
    hit = frame[(frame["county_code"] == county) & (frame["indicator"] == indicator) & (frame["year"] == year)]
    assert len(hit) == 1, (county, indicator, year)
    return hit.iloc[0]


def test_split_by_stage_apportions_combined_schools_by_enrollment():
    split = staffing.split_by_stage(_census(), ["teachers", "staff"])
    nine = split[split["school_id"] == "N1"].set_index("stage")
    # primary share 300 / (300 + 100) = 0.75: teachers 30 × 0.75 = 22.5, staff 34 × 0.75 = 25.5
    assert nine.loc["primary", ["students", "teachers", "staff"]].tolist() == [300.0, 22.5, 25.5]
    assert nine.loc["junior", ["students", "teachers", "staff"]].tolist() == [100.0, 7.5, 8.5]
    assert "K1" not in set(split["school_id"])  # kindergartens have no stage


def test_combined_school_without_level_enrollment_is_left_out():
    schools = _schools([_school("N2", "441802", 2022, "nine_year", 400, teachers=30)])
    assert staffing.split_by_stage(schools, ["teachers"]).empty


def test_pupil_teacher_ratio_by_stage(dataset):
    out = staffing.measures(dataset)
    primary = _row(out, "441802", "pupil_teacher_ratio_primary")
    # (360 + 300 + 200) pupils / (20 + 22.5 + 10) full-time teachers = 860 / 52.5 = 16.380952
    assert (primary["numerator"], primary["denominator"]) == (860.0, 52.5)
    assert primary["value"] == pytest.approx(16.380952, abs=1e-6)
    junior = _row(out, "441802", "pupil_teacher_ratio_junior")
    # (270 + 100) / (20 + 7.5) = 370 / 27.5 = 13.454545
    assert junior["value"] == pytest.approx(13.454545, abs=1e-6)
    assert _row(out, "441802", "pupil_teacher_ratio_senior")["value"] == 12.5  # 500 / 40


def test_pupil_teacher_table_carries_the_guangdong_reference(dataset):
    table = staffing.pupil_teacher_table(dataset, ["county_code", "year", "location"])
    rural = table[(table["county_code"] == "441802") & (table["location"] == "rural")].set_index("stage")
    # rural primary: N1's 300 pupils / 22.5 teachers = 13.333333; reference 18.22 (Guangdong 2021)
    assert rural.loc["primary", "value"] == pytest.approx(13.333333, abs=1e-6)
    assert rural.loc["primary", "reference_guangdong_2021"] == 18.22
    # 13.333333 − 18.22 = −4.886667 pupils per teacher below the reference
    assert rural.loc["primary", "difference_from_reference"] == pytest.approx(-4.886667, abs=1e-6)
    assert rural.loc["junior", "reference_guangdong_2021"] == 13.62
    senior = table[(table["county_code"] == "441802") & (table["stage"] == "senior")]
    assert senior["reference_guangdong_2021"].isna().all()  # no confirmed figure
    assert senior["difference_from_reference"].isna().all()  # and so no difference


def test_establishment_check_uses_staff_and_the_norms(dataset):
    out = staffing.measures(dataset)
    # primary: X1 reports no staff, so (360 + 300) / (24 + 25.5) = 660 / 49.5 = 13.333333
    assert _row(out, "441802", "students_per_staff_primary")["value"] == pytest.approx(13.333333, abs=1e-6)
    table = staffing.establishment_table(dataset, ["county_code", "year"])
    table = table[table["county_code"] == "441802"].set_index("stage")
    # junior (270 + 100) / (22 + 8.5) = 12.131148 <= 13.5; senior 500 / 36 = 13.888889 > 12.5
    assert table.loc["junior", "value"] == pytest.approx(12.131148, abs=1e-6)
    assert table.loc["junior", "norm"] == 13.5 and bool(table.loc["junior", "within_norm"])
    assert table.loc["senior", "norm"] == 12.5 and not bool(table.loc["senior", "within_norm"])
    assert table.loc["primary", "norm"] == 19.0


def test_no_staff_column_means_no_establishment_check(dataset):
    bare = Dataset(schools=_census().drop(columns="staff"), indicators=dataset.indicators)
    out = staffing.measures(bare)
    assert not out["indicator"].str.startswith("students_per_staff").any()
    assert out["indicator"].str.startswith("pupil_teacher_ratio").any()  # teachers are not substituted
    assert staffing.establishment_table(bare).empty


def test_qualification_shares(dataset):
    out = staffing.measures(dataset)
    primary = _row(out, "441802", "qualified_teacher_share_primary")
    # X1 lacks the count: (19 + 27 × 0.75) / (20 + 22.5) = 39.25 / 42.5 = 0.923529
    assert primary["value"] == pytest.approx(0.923529, abs=1e-6)
    assert primary["ci_low"] == pytest.approx(wilson_interval(39.25, 42.5)[0])
    # junior: (18 + 6.75) / (20 + 7.5) = 24.75 / 27.5 = 0.9
    assert _row(out, "441802", "qualified_teacher_share_junior")["value"] == pytest.approx(0.9)
    table = staffing.qualification_table(dataset, ["county_code", "year"])
    assert set(table["stage"]) == {"primary", "junior"}
    assert table.loc[table["stage"] == "junior", "reference_guangdong_2021"].iloc[0] == 0.9374


def test_backbone_and_pe_arts_teachers_per_100_pupils(dataset):
    out = staffing.measures(dataset)
    # primary and secondary schools with the count (K1 kindergarten and X1 without it are out):
    # backbone (4 + 2 + 2 + 5) / (360 + 270 + 400 + 500) × 100 = 13 / 1530 × 100 = 0.849673
    assert _row(out, "441802", "backbone_teachers_per_100_pupils")["value"] == pytest.approx(0.849673, abs=1e-6)
    # PE and arts (3 + 2 + 4 + 5) / 1530 × 100 = 0.915033
    assert _row(out, "441802", "pe_arts_teachers_per_100_pupils")["value"] == pytest.approx(0.915033, abs=1e-6)
    rural = staffing.per_100_pupils_table(dataset, "pe_arts_teachers", ["county_code", "year", "location"])
    rural = rural[(rural["county_code"] == "441802") & (rural["location"] == "rural")].iloc[0]
    assert rural["value"] == pytest.approx(100 * 6 / 670)  # (2 + 4) / (270 + 400)


def test_temporary_ratio_covers_public_primary_and_secondary_schools(dataset):
    row = _row(staffing.measures(dataset), "441802", "temporary_teacher_ratio")
    # public P1, J1, N1 report both counts (S1 lacks temporary, X1 is private):
    # T = 2 + 3 + 5 = 10, E = 20 + 20 + 30 = 70, default D = E + T = 80 → 0.125
    assert (row["numerator"], row["denominator"], row["value"]) == (10.0, 80.0, 0.125)
    # an administrative share (posts the bureau filled with temporary staff): no interval
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    out = staffing.measures(dataset)
    assert _row(out, "441802", "temporary_teachers_count")["value"] == 10.0
    assert _row(out, "441802", "established_teachers_count")["value"] == 70.0


def test_item_27_rule_with_the_default_denominator(dataset):
    out = staffing.measures(dataset)
    ratio = _row(out, "441821", "temporary_teacher_ratio", 2021)
    # 100 / (950 + 100) = 100 / 1050 = 0.095238 > 0.05
    assert ratio["value"] == pytest.approx(0.095238, abs=1e-6)
    # excess = 100 − 0.05 × 1050 = 47.5; required = 0.20 × 47.5 = 9.5
    steps = staffing.item27_steps(staffing.temporary_teacher_counts(dataset.schools), 2022, 0.20)
    steps = steps.set_index("county_code")
    assert steps.loc["441821", "excess"] == pytest.approx(47.5)
    assert steps.loc["441821", "required_cut"] == pytest.approx(9.5)
    # actual cut = 100 − 85 = 15 >= 9.5
    assert steps.loc["441821", "actual_cut"] == 15.0
    cut = _row(out, "441821", "temporary_teacher_excess_cut")
    assert cut["value"] == 15.0 and cut["note"] == ""


def test_item_27_rule_with_the_established_denominator(dataset):
    with settings.override(TEMPORARY_RATIO_DENOMINATOR="established"):
        out = staffing.measures(dataset)
    ratio = _row(out, "441821", "temporary_teacher_ratio", 2021)
    # 100 / 950 = 0.105263; excess = 100 − 0.05 × 950 = 52.5; required = 0.20 × 52.5 = 10.5
    assert ratio["value"] == pytest.approx(0.105263, abs=1e-6)
    assert ratio["denominator"] == 950.0
    assert np.isnan(ratio["ci_low"]) and np.isnan(ratio["ci_high"])  # an administrative share: no interval
    with settings.override(TEMPORARY_RATIO_DENOMINATOR="established"):
        steps = staffing.item27_steps(staffing.temporary_teacher_counts(dataset.schools), 2022, 0.20)
    assert steps.set_index("county_code").loc["441821", "required_cut"] == pytest.approx(10.5)
    assert _row(out, "441821", "temporary_teacher_excess_cut")["value"] == 15.0


def test_item_27_rule_does_not_apply_at_or_below_five_percent(dataset):
    out = staffing.measures(dataset)
    # 50 / 1050 = 0.047619 <= 0.05
    row = _row(out, "441823", "temporary_teacher_excess_cut")
    assert np.isnan(row["value"]) and row["note"] == "not_applicable: ratio <= 5%"
    # with D = E: 50 / 1000 = 0.05 exactly — "超过5%" is strictly above, so still not applicable
    with settings.override(TEMPORARY_RATIO_DENOMINATOR="established"):
        row = _row(staffing.measures(dataset), "441823", "temporary_teacher_excess_cut")
    assert np.isnan(row["value"]) and row["note"].startswith("not_applicable")
    # 441802 has no 2021 census: no cut rows at all
    assert out[(out["county_code"] == "441802") & out["indicator"].str.contains("cut")].empty


def test_unknown_temporary_denominator_is_refused(dataset):
    counts = staffing.temporary_teacher_counts(dataset.schools)
    with pytest.raises(ValueError, match="TEMPORARY_RATIO_DENOMINATOR"):
        staffing.temporary_teacher_ratio(counts, "teachers")


def test_compulsory_temporary_teachers_count_public_compulsory_schools_only():
    schools = _schools([
        _school("P1", "441802", 2022, "primary", 300, teachers=18, temporary_teachers=2),
        _school("T1", "441802", 2022, "twelve_year", 900, teachers=60, temporary_teachers=5),
        _school("S1", "441802", 2022, "senior", 1000, teachers=70, temporary_teachers=30),   # not compulsory
        _school("X1", "441802", 2022, "junior", 500, ownership="private", teachers=30, temporary_teachers=9),
        _school("P2", "441803", 2022, "primary", 100, teachers=0, temporary_teachers=0),
    ])
    out = staffing.compulsory_temporary_teachers(schools).set_index("county_code")
    # 441802: the primary and the twelve-year school (counted whole): T = 2 + 5 = 7, E = 18 + 60 = 78,
    # share = 7 / (78 + 7) = 7 / 85 = 0.082353, whatever item 27's denominator
    with settings.override(TEMPORARY_RATIO_DENOMINATOR="established"):
        again = staffing.compulsory_temporary_teachers(schools).set_index("county_code")
    for frame in (out, again):
        assert frame.loc["441802", ["established", "temporary", "teachers"]].tolist() == [78.0, 7.0, 85.0]
        assert frame.loc["441802", "share"] == pytest.approx(0.082353, abs=1e-6)
    assert np.isnan(out.loc["441803", "share"])  # no teachers: no share
    empty = staffing.compulsory_temporary_teachers(schools.drop(columns="temporary_teachers"))
    assert empty.empty


def test_salary_ratio_and_support_pass_through(dataset):
    out = staffing.measures(dataset)
    salary = _row(out, "441802", "teacher_salary_ratio")
    # 120000 / 110000 = 1.090909
    assert salary["value"] == pytest.approx(1.090909, abs=1e-6)
    assert np.isnan(salary["numerator"])
    # 441821 gave only the teacher pay: no ratio
    assert out[(out["county_code"] == "441821") & (out["indicator"] == "teacher_salary_ratio")].empty
    assert _row(out, "441800", "support_teachers_received")["value"] == 140.0
    assert _row(out, "441800", "support_teachers_sent")["value"] == 130.0


def test_measure_frame_shape_and_catalogue_codes(dataset):
    out = staffing.measures(dataset)
    assert tuple(out.columns) == MEASURE_COLUMNS
    assert set(out["indicator"]) <= set(catalogue.CATALOGUE)
    assert not out.duplicated(["county_code", "year", "period", "indicator"]).any()


def test_minimal_census_gives_no_staffing_measures():
    schools = _schools([_school("P1", "441802", 2022, "primary", 360)])
    out = staffing.measures(Dataset(schools=schools, indicators=_indicators([])))
    assert len(out) == 0 and tuple(out.columns) == MEASURE_COLUMNS


def test_pay_comparison_is_teacher_minus_civil_servant_pay():
    pay = pd.DataFrame({"teacher_avg_pay_yuan": [109600.0, 116000.0, np.nan],
                        "civil_servant_avg_pay_yuan": [111500.0, 116000.0, 100000.0]})
    # 109,600 − 111,500 = −1,900 yuan; equal pay: 0; a missing figure gives no gap.
    gap = staffing.pay_comparison(pay)["gap_yuan"]
    assert gap.tolist()[:2] == [-1900.0, 0.0] and np.isnan(gap.iloc[2])
