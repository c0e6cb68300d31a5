"""The scorecard on the bundled demo data: complete, and matching a hand check of two counties.

The hand check reads ``data/demo/schools.csv`` and ``indicators.csv`` with the
standard library's csv module — not with the package — and recomputes a few
targets of Liannan (441826) and Qingcheng (441802) from their official
definitions (pooled rates; the 优质均衡 school rule of 教督〔2017〕6号), then
compares values and statuses with ``qy.scorecard``.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

import qyanalysis as qy

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
CONTRACT_INDICATORS = """new_public_seats_preschool new_public_seats_compulsory new_public_seats_senior
preschool_public_share preschool_inclusive_share purchased_seats_change compulsory_dropout_rate
migrant_public_share disabled_enrollment_rate resource_room_coverage fitness_good_rate myopia_rate_change
arts_base_schools labor_feature_schools labor_demo_schools education_groups_applied evaluation_pilots
famous_studios backbone_trained temporary_teacher_excess_cut support_teachers_received support_teachers_sent
teacher_salary_ratio per_student_funding_ratio key_tasks_completed""".split()
COMPULSORY = {"primary", "junior", "nine_year"}  # whole schools in compulsory education
# 优质均衡 (教督〔2017〕6号): resource column, per-100 multiplier, primary and junior standard.
BALANCE = [("teachers_above_required_qualification", 100, 4.2, 5.3), ("backbone_teachers", 100, 1.0, 1.0),
           ("pe_arts_teachers", 100, 0.9, 0.9), ("teaching_area_m2", 1, 4.5, 5.8),
           ("sports_area_m2", 1, 7.5, 10.2), ("equipment_value_yuan", 1, 2000, 2500),
           ("multimedia_rooms", 100, 2.3, 2.4)]
# Per-pupil weights (primary, junior, senior) splitting a combined school's resources.
SPLIT = {"primary": (1, 0, 0), "junior": (0, 1, 0), "nine_year": (1, 1.1, 0),
         "complete_secondary": (0, 1, 1.2), "twelve_year": (1, 1.1, 1.32)}


@pytest.fixture(scope="module")
def dataset():
    return qy.load_dataset(DEMO)


@pytest.fixture(scope="module")
def rows():
    with open(DEMO / "schools.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _num(text: str) -> float:
    return float(text) if text else 0.0


def _hand(rows, county: str, year: int) -> dict[str, float]:
    """Pooled rates from the raw census rows of one county-year, by the official definitions."""
    sums = defaultdict(float)
    for r in rows:
        if r["county"] != county or int(r["year"]) != year:
            continue
        students = _num(r["students"])
        if r["level"] == "kindergarten":
            sums["kg_all"] += students
            sums["kg_public"] += students if r["ownership"] == "public" else 0
            sums["kg_inclusive"] += students if r["ownership"] in ("public", "private_inclusive") else 0
        if r["dropouts"] and r["level"] in COMPULSORY:
            sums["dropouts"] += _num(r["dropouts"])
            sums["compulsory"] += students
        elif r["dropouts"] and r["level"] in ("complete_secondary", "twelve_year"):
            # The compulsory part of a combined school; its dropouts apportioned pro rata to enrollment.
            part = _num(r["students_junior"]) + (_num(r["students_primary"]) if r["level"] == "twelve_year" else 0)
            sums["dropouts"] += _num(r["dropouts"]) * part / students
            sums["compulsory"] += part
        if r["fitness_tested"]:
            sums["tested"] += _num(r["fitness_tested"])
            sums["good"] += _num(r["fitness_excellent"]) + _num(r["fitness_good"])
    return {
        "preschool_public_share": sums["kg_public"] / sums["kg_all"],            # 公办园在园幼儿占比
        "preschool_inclusive_share": sums["kg_inclusive"] / sums["kg_all"],      # 普惠性覆盖率
        "compulsory_dropout_rate": sums["dropouts"] / sums["compulsory"],         # 辍学率
        "fitness_good_rate": sums["good"] / sums["tested"],                      # 优良率
    }


def _hand_passing_share(rows, county: str, year: int) -> float:
    """Share of school × level parts meeting the 6-of-7 rule (at least 6 indicators at their standard,
    the remaining one at 85 % of it or more), combined schools split by weighted enrollment, teaching
    points under 50 pupils left out."""
    passing = judged = 0
    for r in rows:
        if r["county"] != county or int(r["year"]) != year or r["level"] not in SPLIT:
            continue
        if r["is_teaching_point"] == "true" and _num(r["students"]) < 50:
            continue
        weights = SPLIT[r["level"]]
        single = sum(w > 0 for w in weights) == 1
        enroll = [_num(r["students"]) if single and w else _num(r[f"students_{lv}"]) if w else 0.0
                 for w, lv in zip(weights, ("primary", "junior", "senior"))]
        weighted = sum(w * e for w, e in zip(weights, enroll))
        for k in (0, 1):  # the primary and junior parts
            if not weights[k] or not enroll[k]:
                continue
            share = weights[k] * enroll[k] / weighted
            met = near = 0
            for column, per, *standard in BALANCE:
                value = per * _num(r[column]) * share / enroll[k]
                met += value >= standard[k] * (1 - 1e-9)
                near += value >= 0.85 * standard[k] * (1 - 1e-9)
            judged += 1
            passing += met == 7 or (met == 6 and near == 7)
    return passing / judged


def _status(value: float, comparator: str, threshold: float) -> str:
    ok = value >= threshold if comparator == ">=" else value <= threshold
    return "met" if ok else "not_met"


def test_every_contract_indicator_is_scored_for_every_county_and_the_city(dataset):
    card = qy.scorecard(dataset, None, 2022)
    codes = set(dataset.counties.codes) | {dataset.counties.city_code}
    assert set(card["county_code"]) == codes
    assert set(CONTRACT_INDICATORS) <= set(card["indicator"])
    for code in dataset.counties.codes:
        county = card[card["county_code"] == code]
        balance = county[county["indicator"].str.startswith("balance_cv_")]
        assert len(balance) == 14, code
    assert set(card["status"]) <= {"met", "not_met", "on_track", "at_risk", "no_data", "not_applicable"}


def test_the_demo_data_gives_a_mix_of_statuses(dataset):
    statuses = set(qy.scorecard(dataset, None, 2022)["status"])
    assert {"met", "not_met", "on_track", "at_risk", "not_applicable"} <= statuses


@pytest.mark.parametrize("county", ["441826", "441802"])
def test_scorecard_matches_a_hand_check(dataset, rows, county):
    expected = _hand(rows, county, 2022)
    card = qy.scorecard(dataset, county, 2022).set_index("indicator")
    for indicator, value in expected.items():
        row = card.loc[indicator]
        assert row["value"] == pytest.approx(value, rel=1e-12), indicator
        assert row["status"] == _status(value, row["comparator"], row["threshold"]), indicator


def test_hand_check_sees_the_designed_contrasts(rows):
    # Qingcheng (urban) misses the public-kindergarten 50 % line; Liannan misses the 0.5 % dropout line.
    assert _hand(rows, "441802", 2022)["preschool_public_share"] < 0.50
    assert _hand(rows, "441826", 2022)["compulsory_dropout_rate"] > 0.005


def test_teacher_pay_ratio_matches_the_inputs(dataset):
    with open(DEMO / "indicators.csv", encoding="utf-8") as handle:
        inputs = {(r["county"], r["year"], r["indicator"]): float({"是": "1", "否": "0"}.get(r["value"], r["value"])) for r in csv.DictReader(handle)
                  if r["period"] == ""}
    for county in ("441826", "441802"):
        ratio = inputs[(county, "2022", "teacher_avg_pay_yuan")] / inputs[(county, "2022", "civil_servant_avg_pay_yuan")]
        row = qy.scorecard(dataset, county, 2022).set_index("indicator").loc["teacher_salary_ratio"]
        assert row["value"] == pytest.approx(ratio, rel=1e-12)
        assert row["status"] == ("met" if ratio >= 1.0 else "not_met")


@pytest.mark.parametrize("county", ["441826", "441802"])
def test_passing_share_matches_a_hand_check_of_the_school_rule(dataset, rows, county):
    value = qy.scorecard(dataset, county, 2022).set_index("indicator").loc["balance_schools_passing_share", "value"]
    assert value == pytest.approx(_hand_passing_share(rows, county, 2022), rel=1e-12)


def test_the_balance_pages_tell_different_stories(dataset, rows):
    # Most of Qingcheng's schools pass the school rule, a minority of the mountain counties'.
    assert _hand_passing_share(rows, "441802", 2022) > 0.6
    assert _hand_passing_share(rows, "441826", 2022) < 0.4
    assert _hand_passing_share(rows, "441825", 2022) < 0.4
    card = qy.scorecard(dataset, None, 2022)
    cvs = card[card["indicator"].str.startswith("balance_cv_")]
    gap = cvs["value"] - cvs["threshold"]
    just_outside = cvs[(gap > 0) & (gap <= 0.05)]
    just_inside = cvs[(gap <= 0) & (gap >= -0.05)]
    assert set(just_outside["status"]) == {"not_met"} and len(just_outside) >= 2
    assert set(just_inside["status"]) == {"met"} and just_inside["county_code"].nunique() >= 2
    assert (gap <= 0.05).all()


def test_in_year_counts_are_read_at_the_snapshot(dataset):
    with open(DEMO / "indicators.csv", encoding="utf-8") as handle:
        trained = {r["period"]: float(r["value"]) for r in csv.DictReader(handle)
                   if r["county"] == "441826" and r["year"] == "2022" and r["indicator"] == "backbone_trained"}
    assert sorted(trained) == ["2022-Q1", "2022-Q2", "2022-Q3"]  # no year-end value inside the snapshot
    row = qy.scorecard(dataset, "441826", 2022).set_index("indicator").loc["backbone_trained"]
    assert row["value"] == pytest.approx(trained["2022-Q3"]) and row["period"] == "2022-Q3"
    assert row["status"] in ("on_track", "at_risk")


def test_class_size_row_says_the_check_is_on_averages_and_no_interval_on_a_share_of_schools(dataset):
    card = qy.scorecard(dataset, "441802", 2022).set_index("indicator")
    # the demo census gives only classes and pupils: the class-size row says it is an average
    assert card.loc["schools_over_class_size_count", "note"].startswith("class_size_average")
    # resource-room coverage is a share of schools: no interval; the dropout rate (pupils) has one
    assert card.loc[["resource_room_coverage"], ["ci_low", "ci_high"]].isna().all().all()
    assert card.loc[["compulsory_dropout_rate"], ["ci_low", "ci_high"]].notna().all().all()


def test_every_units_rows_sliced_from_one_scoring_equal_its_own_scorecard(dataset):
    """Pages and the runner score every unit once and slice (attainment.unit_rows): the same rows, unit by unit."""
    import pandas as pd

    from qyanalysis.verdicts.attainment import unit_rows

    city = dataset.counties.city_code
    every = qy.scorecard(dataset, None, 2022)
    assert set(every["level"]) == {"county", "city"}
    for unit in [*dataset.counties.codes, city]:
        pd.testing.assert_frame_equal(unit_rows(every, unit, city), qy.scorecard(dataset, unit, 2022))
