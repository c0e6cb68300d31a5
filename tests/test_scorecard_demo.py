"""The scorecard on the bundled demo data: complete, and matching a hand check of two counties.

The hand check reads ``data/demo/schools.csv`` and ``indicators.csv`` with the
standard library's csv module — not with the package — and recomputes a few
targets of Liannan (441826) and Qingcheng (441802) from the definitions in
STANDARDS.md §4, then compares values and statuses with ``qy.scorecard``.
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
            # The compulsory part of a combined school; its dropouts apportioned pro rata to enrolment.
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
