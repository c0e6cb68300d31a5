"""Tests of qyanalysis.measures.inequality: Theil T and its decomposition, Gini, location gaps, and the
between/within-county inequality of resources."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from qyanalysis.dataset import Dataset
from qyanalysis.measures import inequality

# Four schools in two counties (resource Y, pupils P):
#   g1: A (10, 10), B (30, 10)   g2: C (20, 10), D (20, 30)
UNITS = pd.DataFrame({"y": [10.0, 30.0, 20.0, 20.0], "p": [10.0, 10.0, 10.0, 30.0],
                      "county": ["g1", "g1", "g2", "g2"]})


def test_theil_two_units_hand_computed():
    # Y = 40, P = 20: shares s = 0.25, 0.75; π = 0.5, 0.5
    # T = 0.25·ln(0.5) + 0.75·ln(1.5) = −0.173287 + 0.304099 = 0.130812
    t = inequality.theil_index([10.0, 30.0], [10.0, 10.0])
    assert t == pytest.approx(0.25 * math.log(0.5) + 0.75 * math.log(1.5), rel=1e-12)
    assert t == pytest.approx(0.130812, abs=1e-6)


def test_theil_equal_and_degenerate_cases():
    assert inequality.theil_index([5.0, 10.0], [1.0, 2.0]) == pytest.approx(0.0, abs=1e-15)
    assert inequality.theil_index([0.0, 10.0], [5.0, 5.0]) == pytest.approx(math.log(2))  # 1·ln(1/0.5)
    assert math.isnan(inequality.theil_index([0.0, 0.0], [5.0, 5.0]))
    assert inequality.theil_index([1.0, 2.0, np.nan], [1.0, 2.0, 7.0]) == pytest.approx(0.0, abs=1e-15)
    with pytest.raises(ValueError):
        inequality.theil_index([-1.0, 2.0], [1.0, 1.0])


def test_theil_decomposition_hand_computed():
    result = inequality.theil_decomposition(UNITS, "y", "p", "county")
    # Between, on county totals g1 (40, 20), g2 (40, 40): s = 0.5, 0.5; π = 1/3, 2/3
    #   0.5·ln(1.5) + 0.5·ln(0.75) = 0.5·ln(1.125) = 0.0588915
    assert result["between"] == pytest.approx(0.5 * math.log(1.125), rel=1e-12)
    # T_g1 = 0.25·ln(0.5) + 0.75·ln(1.5) = 0.1308120
    # T_g2 = 0.5·ln(2) + 0.5·ln(2/3) = 0.5·ln(4/3) = 0.1438410
    by_group = result["by_group"]
    assert by_group.loc["g1", "theil"] == pytest.approx(0.25 * math.log(0.5) + 0.75 * math.log(1.5))
    assert by_group.loc["g2", "theil"] == pytest.approx(0.5 * math.log(4 / 3))
    # within = 0.5·0.1308120 + 0.5·0.1438410 = 0.1373265
    assert result["within"] == pytest.approx(0.1373265, abs=1e-7)
    # Total over the four units: s = .125, .375, .25, .25; π = 1/6, 1/6, 1/6, 1/2
    #   .125·ln(.75) + .375·ln(2.25) + .25·ln(1.5) + .25·ln(.5) = 0.196218
    assert result["total"] == pytest.approx(0.196218, abs=1e-6)
    assert result["total"] == pytest.approx(result["between"] + result["within"], abs=1e-12)
    assert by_group["resource_share"].tolist() == [0.5, 0.5]
    assert by_group["population_share"].tolist() == pytest.approx([1 / 3, 2 / 3])


def test_theil_identity_holds_on_random_data():
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"y": rng.gamma(2.0, 1000.0, 300), "p": rng.integers(20, 2000, 300).astype(float),
                          "g": rng.choice(list("abcdefg"), 300)})
    result = inequality.theil_decomposition(frame, "y", "p", "g")
    assert abs(result["total"] - result["between"] - result["within"]) < 1e-12
    assert result["total"] == pytest.approx(inequality.theil_index(frame["y"], frame["p"]), rel=1e-14)


def test_gini_equal_weights_hand_computed():
    # per pupil 1 and 3, 10 pupils each: W = 0, .5, 1; Q = 0, .25, 1
    # Σ = .5·(.25 + 0) + .5·(1 + .25) = .75 → G = .25 (= mean |xi − xj| / 2μ = 1/4)
    assert inequality.gini_student_weighted([30.0, 10.0], [10.0, 10.0]) == pytest.approx(0.25, rel=1e-12)


def test_gini_student_weighting_hand_computed():
    # (Y, P) = (10, 10) → 1 per pupil, (60, 20) → 3 per pupil: W = 0, 1/3, 1; Q = 0, 1/7, 1
    # Σ = (1/3)(1/7) + (2/3)(1 + 1/7) = 1/21 + 16/21 = 17/21 → G = 4/21 = 0.190476
    assert inequality.gini_student_weighted([60.0, 10.0], [20.0, 10.0]) == pytest.approx(4 / 21, rel=1e-12)
    assert inequality.gini_student_weighted([5.0, 10.0], [1.0, 2.0]) == pytest.approx(0.0, abs=1e-15)
    assert math.isnan(inequality.gini_student_weighted([0.0, 0.0], [1.0, 2.0]))


def _dataset() -> Dataset:
    frame = pd.DataFrame({
        "school_id": ["u1", "u2", "r1", "t1", "k1", "x1"],
        "school_name": ["U1", "U2", "R1", "T1", "K1", "X1"],
        "county_code": ["441802", "441802", "441802", "441802", "441802", "441803"],
        "year": [2022] * 6,
        "level": ["primary", "primary", "primary", "junior", "kindergarten", "primary"],
        "ownership": ["public"] * 6,
        "location": ["urban", "urban", "rural", "town", "rural", "rural"],
        "students": [100.0, 300.0, 50.0, 200.0, 80.0, 100.0],
        "equipment_value_yuan": [300_000.0, 500_000.0, 50_000.0, 200_000.0, 1e6, 100_000.0],
        "multimedia_rooms": [2.0, 6.0, 1.0, np.nan, 9.0, 2.0],
    })
    for column in ("school_id", "school_name", "county_code", "level", "ownership", "location"):
        frame[column] = frame[column].astype("str")
    return Dataset(schools=frame, indicators=pd.DataFrame())


def test_location_gaps_pooled_values_and_ratio_to_urban():
    gaps = inequality.location_gaps(_dataset(), 2022, ["equipment_value_yuan", "multimedia_rooms_per_100"])
    equipment = gaps.loc[gaps["indicator"] == "equipment_value_yuan"].set_index(["county_code", "location"])
    # urban pooled: (300 000 + 500 000) / (100 + 300) = 2000 元; rural 50 000 / 50 = 1000 → ratio 0.5
    # (the kindergarten is outside compulsory education)
    assert equipment.loc[("441802", "urban"), "value"] == pytest.approx(2000.0)
    assert equipment.loc[("441802", "rural"), "value"] == pytest.approx(1000.0)
    assert equipment.loc[("441802", "rural"), "ratio_to_urban"] == pytest.approx(0.5)
    assert equipment.loc[("441802", "town"), "ratio_to_urban"] == pytest.approx(0.5)  # 200 000 / 200 = 1000
    assert math.isnan(equipment.loc[("441803", "rural"), "ratio_to_urban"])  # no urban school
    rooms = gaps.loc[gaps["indicator"] == "multimedia_rooms_per_100"].set_index(["county_code", "location"])
    # urban: 100 × 8 / 400 = 2.0 per 100; the town junior school has no room count → no town row
    assert rooms.loc[("441802", "urban"), "value"] == pytest.approx(2.0)
    assert ("441802", "town") not in rooms.index
    assert gaps.loc[gaps["indicator"] == "equipment_value_yuan", "location"].tolist()[:3] == [
        "urban", "town", "rural"]


def test_location_gaps_level_filter_and_unknown_column():
    gaps = inequality.location_gaps(_dataset(), 2022, ["equipment_value_yuan"], level="junior")
    assert gaps[["location", "value"]].values.tolist() == [["town", 1000.0]]
    with pytest.raises(KeyError):
        inequality.location_gaps(_dataset(), 2022, ["no_such_column"])


def test_resource_inequality_decomposes_theil_between_and_within_counties():
    schools = pd.DataFrame({
        "school_id": ["s1", "s2", "s3", "k1"], "school_name": ["一", "二", "三", "幼"],
        "county_code": ["A", "A", "B", "B"], "year": 2022,
        "level": ["primary", "primary", "primary", "kindergarten"],
        "students": [10.0, 10.0, 20.0, 50.0], "equipment_value_yuan": [100.0, 300.0, 200.0, 9999.0],
    })
    table = inequality.resource_inequality(schools, ("equipment_value_per_student",)).set_index("level")
    primary = table.loc["primary"]
    # Y = 600, P = 40; shares s = 1/6, 1/2, 1/3, π = 1/4, 1/4, 1/2 (the kindergarten is out of scope).
    # T = 1/6·ln(2/3) + 1/2·ln 2 + 1/3·ln(2/3) = 1/2·ln(4/3) = 0.143841
    assert primary["theil_total"] == pytest.approx(0.5 * math.log(4 / 3))
    # County totals A (400, 20), B (200, 20): T_between = 2/3·ln(4/3) + 1/3·ln(2/3) = 0.056633
    between = 2 / 3 * math.log(4 / 3) + 1 / 3 * math.log(2 / 3)
    assert primary["theil_between"] == pytest.approx(between)
    # Within A: 1/4·ln(1/2) + 3/4·ln(3/2) = 0.130812, times A's share 2/3 = 0.087208 = T − T_between
    assert primary["theil_within"] == pytest.approx(2 / 3 * (0.25 * math.log(0.5) + 0.75 * math.log(1.5)))
    assert primary["between_share"] == pytest.approx(between / (0.5 * math.log(4 / 3)))  # 0.39372
    # Per pupil 10, 30, 10 → sorted 10 (P 10), 10 (P 20), 30 (P 10): W = .25, .75, 1; Q = 1/6, 1/2, 1;
    # G = 1 − [.25·(1/6) + .5·(1/6 + 1/2) + .25·(1/2 + 1)] = 1 − .75 = 0.25
    assert primary["gini"] == pytest.approx(0.25)
    assert primary["parts_count"] == 3
    junior = table.loc["junior"]
    assert junior["parts_count"] == 0 and math.isnan(junior["theil_total"]) and math.isnan(junior["gini"])


def test_pooled_locations_weight_each_county_by_its_students():
    from qyanalysis.measures.inequality import pool_locations

    gaps = pd.DataFrame({"county_code": ["a", "b", "a", "b"], "location": ["urban", "urban", "rural", "rural"],
                         "indicator": "teaching_area_per_student", "value": [4.0, 6.0, 3.0, float("nan")],
                         "students_count": [100.0, 300.0, 50.0, 0.0]})
    out = pool_locations(gaps).set_index("location")
    # urban: (4 × 100 + 6 × 300) ÷ 400 = 2200 ÷ 400 = 5.5; rural: county b has no students, a's 3.0 alone
    assert out.loc["urban", "value"] == pytest.approx(5.5)
    assert out.loc["urban", "students_count"] == pytest.approx(400.0)
    assert out.loc["rural", "value"] == pytest.approx(3.0)
