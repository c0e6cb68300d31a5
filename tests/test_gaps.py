"""Tests of qyanalysis.measures.gaps and floors: school-rule additions, 差异系数 floors, costs, county plan."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import qyanalysis as qy
from qyanalysis.verdicts.targets import load_targets
from qyanalysis import settings
from qyanalysis.dataset import Dataset
from qyanalysis.errors import UsageError
from qyanalysis.measures import floors, gaps
from qyanalysis.measures.equity import difference_coefficient

NAN = float("nan")
# Resources exactly at the primary / junior standards for 100 pupils (教督〔2017〕6号):
# 4.2 / 5.3 qualified, 1.0 backbone, 0.9 PE-arts teachers, 2.3 / 2.4 rooms per 100;
# 4.5 / 5.8 m² teaching rooms, 7.5 / 10.2 m² sports, 2000 / 2500 元 equipment per pupil.
PRIMARY_OK = {"teachers_above_required_qualification": 4.2, "backbone_teachers": 1.0,
              "pe_arts_teachers": 0.9, "teaching_area_m2": 450.0, "sports_area_m2": 750.0,
              "equipment_value_yuan": 200_000.0, "multimedia_rooms": 2.3}
NUMERIC = ("students", "students_primary", "students_junior", "students_senior", "classes", *PRIMARY_OK)
CODES = list(gaps.INDICATOR_CODES)


def scaled(resources: dict, factor: float) -> dict:
    return {k: v * factor for k, v in resources.items()}


def dataset(rows: list[dict], overrides: pd.DataFrame | None = None) -> Dataset:
    base = {"school_name": "学校", "county_code": "441802", "year": 2022, "ownership": "public",
            "location": "urban", "is_teaching_point": False}
    frame = pd.DataFrame([{**base, "school_id": f"s{i}", **row} for i, row in enumerate(rows)])
    for column in NUMERIC:
        frame[column] = frame[column].astype("float64") if column in frame else NAN
    for column in ("school_id", "school_name", "county_code", "level", "ownership", "location"):
        frame[column] = frame[column].astype("str")
    frame["year"] = frame["year"].astype("int64")
    frame["is_teaching_point"] = frame["is_teaching_point"].astype("boolean")
    return Dataset(schools=frame, indicators=pd.DataFrame(), targets_override=overrides)


def rows_of(frame: pd.DataFrame, school_id: str = "s0", level: str = "primary") -> pd.DataFrame:
    part = frame.loc[(frame["school_id"] == school_id) & (frame["level"] == level)]
    return part.set_index(part["indicator"].astype(str))


# --- school rule ---------------------------------------------------------------------------


def test_acceptance_400_pupils_failing_only_teaching_rooms_needs_330_m2():
    # 3.0 m² a pupil against 4.5: to 85 %, 0.85·4.5·400 − 3.0·400 = 1530 − 1200 = 330 m²; nothing else.
    resources = {**scaled(PRIMARY_OK, 4), "teaching_area_m2": 1200.0}
    ds = dataset([{"level": "primary", "students": 400, **resources}])
    table = qy.equity.school_gaps(ds, "441802", 2022)
    part = rows_of(table)
    assert len(table) == 7
    assert part.loc["teaching_area_per_student", "add"] == pytest.approx(330.0)
    assert part.loc["teaching_area_per_student", "add_unit"] == "m2"
    assert part.loc["teaching_area_per_student", "cost_yuan"] == pytest.approx(
        330.0 * settings.GAP_COST_TEACHING_AREA_YUAN_PER_M2)
    assert part.drop(index="teaching_area_per_student")["add"].tolist() == [0.0] * 6
    assert part["relaxed"].tolist() == [c == "teaching_area_per_student" for c in part.index]
    assert part.loc["teaching_area_per_student", "value"] == pytest.approx(3.0)
    assert part.loc["teaching_area_per_student", "standard"] == pytest.approx(4.5)
    assert not part["passes_school_rule"].any() and part["meets"].sum() == 6


def test_two_failing_indicators_take_the_cheaper_choice():
    # 100 pupils; sports 6.0 m² (7.5; 85 % = 6.375) and 1 room per 100 (2.3; 85 % = 1.955).
    # Relax sports: 37.5 m² × 300 + ceil(2.3 − 1) = 2 rooms × 30 000 = 71 250 元.
    # Relax rooms:  150 m² × 300 + ceil(1.955 − 1) = 1 room × 30 000 = 75 000 元 → sports relaxed.
    resources = {**PRIMARY_OK, "sports_area_m2": 600.0, "multimedia_rooms": 1.0}
    ds = dataset([{"level": "primary", "students": 100, **resources}])
    with settings.override(GAP_COST_SPORTS_AREA_YUAN_PER_M2=300.0, GAP_COST_MULTIMEDIA_ROOM_YUAN=30_000.0):
        part = rows_of(qy.equity.school_gaps(ds, None, 2022))
    assert part.loc["sports_area_per_student", "add"] == pytest.approx(37.5)
    assert part.loc["multimedia_rooms_per_100", "add"] == 2.0
    assert part["cost_yuan"].sum() == pytest.approx(71_250.0)
    assert bool(part.loc["sports_area_per_student", "relaxed"])
    # Rooms at 100 000 元: relax sports 11 250 + 200 000; relax rooms 45 000 + 100 000 = 145 000 → rooms.
    with settings.override(GAP_COST_SPORTS_AREA_YUAN_PER_M2=300.0, GAP_COST_MULTIMEDIA_ROOM_YUAN=100_000.0):
        part = rows_of(qy.equity.school_gaps(ds, None, 2022))
    assert part.loc["sports_area_per_student", "add"] == pytest.approx(150.0)
    assert part.loc["multimedia_rooms_per_100", "add"] == 1.0
    assert part["cost_yuan"].sum() == pytest.approx(145_000.0)
    assert bool(part.loc["multimedia_rooms_per_100", "relaxed"])


def test_whole_persons_and_rooms_are_rounded_up():
    # 500 pupils, 10 qualified teachers (2.0 per 100; need 21, 85 % = 17.85) and 5 rooms (1.0; need
    # 11.5, 85 % = 9.775). Relax teachers: ceil(7.85) = 8 × 117 500 + ceil(6.5) = 7 × 30 000 = 1 150 000;
    # relax rooms: 11 × 117 500 + ceil(4.775) = 5 × 30 000 = 1 442 500 → teachers relaxed.
    resources = {**scaled(PRIMARY_OK, 5), "teachers_above_required_qualification": 10.0,
                 "multimedia_rooms": 5.0}
    ds = dataset([{"level": "primary", "students": 500, **resources}])
    with settings.override(GAP_COST_QUALIFIED_TEACHER_YUAN_PER_YEAR=117_500.0,
                           GAP_COST_MULTIMEDIA_ROOM_YUAN=30_000.0):
        part = rows_of(qy.equity.school_gaps(ds, None, 2022))
    assert part.loc["qualified_teachers_per_100", "add"] == 8.0
    assert part.loc["qualified_teachers_per_100", "add_unit"] == "persons"
    assert part.loc["multimedia_rooms_per_100", "add"] == 7.0
    assert part.loc["multimedia_rooms_per_100", "add_unit"] == "rooms"
    assert part["cost_yuan"].sum() == pytest.approx(1_150_000.0)
    assert (part.loc[part["cost_basis"] == "per_year"].index == CODES[:3]).all()


def test_whole_units_at_an_exact_standard_are_not_rounded_past_it():
    # 4.2 per 100 × 500 pupils = 21 teachers (21.000000000000004 in floating point): 21, not 22.
    resources = np.array([[0.0, 5.0, 4.5, 2250.0, 3750.0, 1e6, 0.0]])
    standards = np.array([[4.2, 1.0, 0.9, 4.5, 7.5, 2000.0, 2.3]])
    costs = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1e9])  # rooms so dear that they are relaxed
    additions, relaxed = gaps.least_cost_additions(resources, np.array([500.0]), standards, costs)
    assert additions[0, 0] == 21.0
    assert relaxed[0] == 6 and additions[0, 6] == 10.0  # ceil(0.85 · 11.5 = 9.775)


def test_combined_school_split_into_primary_and_junior_parts():
    # Nine-year school, 300 primary + 200 junior pupils: shares 300/520 and 220/520 (1 : 1.1).
    # Teaching rooms 2080 m² → primary 1200 m² (4.0 a pupil: ≥ 85 % of 4.5, relaxed, nothing to add),
    # junior 880 m² (4.4 < 0.85 · 5.8 = 4.93). The addition goes to the whole school and is re-split:
    # the junior part gets 220/520 of it, so the school needs 0.85 · 5.8 · 200 · 520/220 − 2080
    # = 2330.545 − 2080 = 250.545 m² (the junior part then has 986 m² = 4.93 a pupil).
    school = {"level": "nine_year", "students": 500, "students_primary": 300, "students_junior": 200,
              "teachers_above_required_qualification": 30.0, "backbone_teachers": 10.0,
              "pe_arts_teachers": 5.0,
              "teaching_area_m2": 2080.0, "sports_area_m2": 6000.0, "equipment_value_yuan": 1_300_000.0,
              "multimedia_rooms": 13.0}
    table = qy.equity.school_gaps(dataset([school]), "清城区", 2022)
    assert len(table) == 14 and set(table["level"]) == {"primary", "junior"}
    assert (table["school_level"] == "nine_year").all()
    primary, junior = rows_of(table, level="primary"), rows_of(table, level="junior")
    assert primary["add"].sum() == 0.0 and primary["passes_school_rule"].all()
    assert bool(primary.loc["teaching_area_per_student", "relaxed"])
    assert junior.loc["teaching_area_per_student", "value"] == pytest.approx(4.4)
    assert junior.loc["teaching_area_per_student", "add"] == pytest.approx(0.85 * 5.8 * 200 * 520 / 220 - 2080)
    assert junior.drop(index="teaching_area_per_student")["add"].sum() == 0.0
    assert not junior["passes_school_rule"].any()


# Nine-year school 4418030182 of the demo (清新, 2022): 767 primary and 736 junior pupils.
SCHOOL_4418030182 = {"level": "nine_year", "students": 1503, "students_primary": 767, "students_junior": 736,
                     "teachers_above_required_qualification": 89.0, "backbone_teachers": 26.0,
                     "pe_arts_teachers": 19.0, "teaching_area_m2": 11088.8, "sports_area_m2": 20593.2,
                     "equipment_value_yuan": 3_382_256.0, "multimedia_rooms": 33.0}


def test_combined_school_addition_is_solved_on_the_whole_school_4418030182():
    # Junior share q = 1.1·736 / (767 + 1.1·736) = 809.6/1576.6 = 0.51351 (教督〔2017〕6号 split).
    # Junior: rooms 33·q = 16.946 → 2.302 per 100 < 2.4; equipment 3 382 256·q/736 = 2359.8 < 2500
    # (≥ 85 %: relaxed, as raising it to 2500 would cost 200 945 元 against 60 000 for two rooms).
    # Rooms for the whole school: 2.4·736/(100·q) = 34.398 → 34.398 − 33 → 2 rooms. One room
    # (the old per-part answer, ceil(2.4·7.36 − 16.946) = 1) leaves the junior part 34·q/7.36 = 2.372.
    # Primary: 33·(767/1576.6)/7.67 = 2.093 per 100 ≥ 0.85·2.3 = 1.955, relaxed; nothing to add.
    with settings.override(GAP_COST_MULTIMEDIA_ROOM_YUAN=30_000.0):
        table = qy.equity.school_gaps(dataset([SCHOOL_4418030182]), None, 2022)
    junior, primary = rows_of(table, level="junior"), rows_of(table, level="primary")
    q = 1.1 * 736 / (767 + 1.1 * 736)
    assert junior.loc["multimedia_rooms_per_100", "value"] == pytest.approx(100 * 33 * q / 736)
    assert junior.loc["multimedia_rooms_per_100", "add"] == 2.0
    assert junior["cost_yuan"].sum() == pytest.approx(60_000.0)
    assert bool(junior.loc["equipment_value_per_student", "relaxed"])
    assert bool(primary.loc["multimedia_rooms_per_100", "relaxed"])
    assert primary["add"].sum() == 0.0
    # after the assessment's own re-split, 35 rooms pass the junior part and 34 do not
    for rooms, passes in ((35.0, True), (34.0, False)):
        schools = dataset([{**SCHOOL_4418030182, "multimedia_rooms": rooms}]).schools
        parts = qy.measures.balance.split_combined_schools(schools)
        values = qy.measures.balance.per_student_indicators(parts, qy.measures.balance.BALANCE_SOURCES)
        verdicts = qy.measures.balance.school_verdicts(values, parts["level"])
        assert verdicts["passes"].tolist() == [True, passes]  # primary, junior
    assert 100 * 34 * q / 736 == pytest.approx(2.372, abs=5e-4)


def test_least_cost_additions_share_one_pool_per_school():
    # Two parts of one school, 100 pupils each, each given q = 0.5 of the pool; every indicator met
    # but rooms: 5 rooms each (pool 10) = 5 per 100 against 6 (part 0) and 12 (part 1).
    # Pool needs: part 0 6·100/(100·0.5) = 12 (85 %: 10.2), part 1 24 (85 %: 20.4).
    # Part 1 relaxes rooms: max(20.4, part 0's ≤ 12) − 10 = 10.4 → 11 rooms, set by part 1, listed there.
    # (Per part, as before: part 1 alone would ask ceil(0.85·12 − 5) = 6, which re-split gives it 3.)
    resources = np.array([[5.0, 5.0, 5.0, 500.0, 500.0, 500.0, 5.0]] * 2)
    standards = np.array([[1.0] * 6 + [6.0], [1.0] * 6 + [12.0]])
    additions, relaxed = gaps.least_cost_additions(resources, np.array([100.0, 100.0]), standards, np.ones(7),
                                                   shares=np.array([0.5, 0.5]), schools=np.array([7, 7]))
    assert relaxed[1] == 6
    assert additions[:, 6].tolist() == [0.0, 11.0]
    assert additions[:, :6].sum() == 0.0
    # the re-split: part 1 gets 0.5·(10 + 11) = 10.5 rooms = 10.5 per 100 ≥ 0.85·12 = 10.2
    assert 0.5 * (10 + 11) >= 0.85 * 12 > 0.5 * (10 + 10)


def test_no_combined_school_part_fails_after_the_plan_on_the_demo():
    # Apply the plan to each whole school, re-split as the assessment does, judge every part again.
    ds = qy.load_demo()
    plan = qy.equity.county_plan(ds, None, 2022)
    added = plan.schools.groupby(["school_id", "indicator"], observed=True)["plan_add"].sum().unstack()
    schools = ds.schools.loc[ds.schools["year"] == 2022].copy()
    for code in CODES:
        column = gaps.GAP_RESOURCES[code].column
        schools[column] = schools[column] + schools["school_id"].map(added[code]).fillna(0.0)
    balance = qy.measures.balance
    parts = balance.balance_parts(schools)
    verdicts = balance.school_verdicts(balance.per_student_indicators(parts, balance.BALANCE_SOURCES),
                                       parts["level"])
    with_addition = parts["school_id"].isin(added.index[(added > 0).any(axis=1)])
    combined = parts["school_level"].isin(["nine_year", "twelve_year", "complete_secondary"])
    assert (with_addition & combined).sum() >= 30
    failing = with_addition & ~verdicts["passes"].fillna(True).astype(bool)
    assert failing.sum() == 0, parts.loc[failing, ["school_id", "level"]]


def test_missing_input_gives_no_data_not_zero():
    resources = {**PRIMARY_OK, "sports_area_m2": NAN}
    ds = dataset([{"level": "primary", "students": 100, **resources}])
    part = rows_of(qy.equity.school_gaps(ds, None, 2022))
    assert part["add"].isna().all() and part["cost_yuan"].isna().all()
    assert part["passes_school_rule"].isna().all()
    assert pd.isna(part.loc["sports_area_per_student", "meets"])
    assert bool(part.loc["teaching_area_per_student", "meets"])


def test_unit_costs_are_overridable_settings_with_their_sources():
    resources = {**scaled(PRIMARY_OK, 4), "teaching_area_m2": 1200.0}
    ds = dataset([{"level": "primary", "students": 400, **resources}])
    with settings.override(GAP_COST_TEACHING_AREA_YUAN_PER_M2=1_000.0):
        part = rows_of(qy.equity.school_gaps(ds, None, 2022))
        table = gaps.unit_cost_table().set_index("indicator")
    assert part.loc["teaching_area_per_student", "cost_yuan"] == pytest.approx(330_000.0)
    assert table.loc["teaching_area_per_student", "source"] == "settings override"
    shipped = gaps.unit_cost_table().set_index("indicator")
    assert shipped.loc["teaching_area_per_student", "source"] == "assumption"
    assert "广东省统计局" in shipped.loc["qualified_teachers_per_100", "source"]
    assert shipped.loc["equipment_value_per_student", "cost_yuan"] == 1.0


# --- 差异系数 floors -----------------------------------------------------------------------


def test_cv_floor_hand_computed():
    # 1 and 3, 100 pupils each: X̄ = 2, S = 1, CV = 0.5. Floor f: (3 − f)/(3 + f) = 0.2 → f = 2;
    # one school raised by 1 for 100 pupils: 100.
    result = qy.equity.cv_floor([1.0, 3.0], [100, 100], 0.2)
    assert result.floor == pytest.approx(2.0, rel=1e-12)
    assert result.cv_before == pytest.approx(0.5)
    assert result.cv_after == pytest.approx(0.2)
    assert result.cv_after <= 0.2 + 1e-12
    assert (result.schools_raised, result.schools_count) == (1, 2)
    assert result.resources_needed == pytest.approx(100.0)


def test_cv_floor_no_raise_when_within_the_limit():
    result = qy.equity.cv_floor([1.0, 3.0], [100, 100], 0.5)  # exactly 0.5: inclusive, within
    assert result.floor is None and result.schools_raised == 0 and result.resources_needed == 0.0
    assert result.cv_after == pytest.approx(result.cv_before)
    empty = qy.equity.cv_floor([NAN, 2.0], [100, NAN], 0.5)
    assert empty.floor is None and np.isnan(empty.cv_before) and np.isnan(empty.resources_needed)


def _brute_force_floor(x: np.ndarray, p: np.ndarray, limit: float) -> float:
    """Smallest f with CV(max(x, f)) ≤ limit by grid search (two nested grids of 4001 points)."""
    lo, hi = float(x.min()), float(x.max())
    for _ in range(3):
        grid = np.linspace(lo, hi, 4001)
        y = np.maximum(x[None, :], grid[:, None])
        mean = (y * p).sum(axis=1) / p.sum()
        cv = np.sqrt((p * (y - mean[:, None]) ** 2).sum(axis=1) / p.sum()) / mean
        first = int(np.argmax(cv <= limit))
        lo, hi = grid[max(first - 1, 0)], grid[first]
    return hi


@pytest.mark.parametrize("seed", range(6))
def test_cv_floor_agrees_with_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 60))
    x = rng.gamma(1.5, 3.0, n).round(3)
    x[: n // 4] = x[0]  # ties
    p = rng.integers(20, 2500, n).astype(float)
    limit = 0.5 * difference_coefficient(x, p)
    result = qy.equity.cv_floor(x, p, limit)
    assert result.floor == pytest.approx(_brute_force_floor(x, p, limit), abs=1e-6)
    assert difference_coefficient(np.maximum(x, result.floor), p) <= limit * (1 + 1e-9)
    assert difference_coefficient(np.maximum(x, result.floor - 1e-6), p) > limit
    assert result.resources_needed == pytest.approx(float((p * np.maximum(0, result.floor - x)).sum()))


def test_cv_floors_vectorised_matches_one_group_at_a_time():
    rng = np.random.default_rng(7)
    groups = [rng.gamma(2.0, 2.0, m) for m in (5, 1, 12, 8)]
    weights = [rng.integers(30, 900, g.size).astype(float) for g in groups]
    limits = np.array([0.2, 0.3, 0.45, 5.0])  # group 1 has one school (CV 0), group 3 is within
    codes = np.concatenate([np.full(g.size, i) for i, g in enumerate(groups)])
    frame = floors.cv_floors(np.concatenate(groups), np.concatenate(weights), limits, codes)
    for i, (x, p) in enumerate(zip(groups, weights)):
        one = qy.equity.cv_floor(x, p, limits[i])
        row = frame.iloc[i]
        assert (np.isnan(row["floor"]) and one.floor is None) or row["floor"] == pytest.approx(one.floor)
        assert row["resources_needed"] == pytest.approx(one.resources_needed)
        assert row["cv_before"] == pytest.approx(difference_coefficient(x, p))
    assert np.isnan(frame["floor"].iloc[[1, 3]]).all()


def test_cv_floor_table_groups_a_long_frame():
    frame = pd.DataFrame({"county_code": ["a", "a", "b", "b"], "value": [1.0, 3.0, 1.0, 3.0],
                          "students": [100.0, 100.0, 100.0, 100.0], "limit": [0.2, 0.2, 0.6, 0.6]})
    table = qy.equity.cv_floor_table(frame, ["county_code"]).set_index("county_code")
    assert table.loc["a", "floor"] == pytest.approx(2.0) and table.loc["a", "resources_needed"] == 100.0
    assert np.isnan(table.loc["b", "floor"]) and table.loc["b", "limit"] == 0.6


def test_school_gaps_refuses_an_unknown_county():
    with pytest.raises(UsageError):
        qy.equity.school_gaps(dataset([{"level": "primary", "students": 100, **PRIMARY_OK}]), "火星县", 2022)


def test_cv_floor_refuses_bad_input():
    with pytest.raises(ValueError):
        qy.equity.cv_floor([1.0, -2.0], [10, 10], 0.5)
    with pytest.raises(ValueError):
        qy.equity.cv_floor([1.0, 2.0], [10], 0.5)


# --- county plan ---------------------------------------------------------------------------


def _dispersed_county(overrides: pd.DataFrame | None = None) -> Dataset:
    # Two primary schools of 300 pupils, both passing the school rule; teaching rooms 4.5 and
    # 20 m² a pupil: X̄ = 12.25, S = 7.75, CV = 0.633 > 0.50.
    generous = scaled(PRIMARY_OK, 3 * 1.5)
    return dataset([{"level": "primary", "students": 300, **generous, "teaching_area_m2": 1350.0},
                    {"level": "primary", "students": 300, **generous, "teaching_area_m2": 6000.0}], overrides)


def test_county_plan_levels_up_to_the_cv_floor_hand_computed():
    # (20 − f)/(20 + f) ≤ 0.5 → f = 20/3; school s0 gets 300 · (20/3 − 4.5) = 650 m².
    plan = qy.equity.county_plan(_dispersed_county(), "441802", 2022)
    row = plan.indicators.set_index(["level", "indicator"]).loc[("primary", "teaching_area_per_student")]
    assert row["cv_before"] == pytest.approx(7.75 / 12.25)
    assert row["limit"] == pytest.approx(0.50)
    assert row["floor"] == pytest.approx(20 / 3)
    assert row["schools_raised"] == 1 and row["school_rule_add"] == 0.0
    assert row["floor_add"] == pytest.approx(650.0)
    assert row["cv_after"] == pytest.approx(0.5)
    assert row["plan_cost_yuan"] == pytest.approx(650.0 * settings.GAP_COST_TEACHING_AREA_YUAN_PER_M2)
    school = rows_of(plan.schools).loc["teaching_area_per_student"]
    assert school["add"] == 0.0 and school["floor_add"] == pytest.approx(650.0)
    county = plan.by_county.iloc[0]
    assert county["plan_cost_yuan"] == pytest.approx(row["plan_cost_yuan"])
    assert county["floor_cost_yuan"] == pytest.approx(county["one_off_cost_yuan"])
    assert (county["cvs_over_limit"], county["parts_failing"], county["parts_not_judged"]) == (1, 0, 0)
    resource = plan.by_resource.set_index("indicator").loc["teaching_area_per_student"]
    assert resource["plan_add"] == pytest.approx(650.0)


def test_county_plan_reads_cv_limits_from_the_registry_after_overrides():
    override = pd.DataFrame({"target_id": ["t08_balance_cv_teaching_area_per_student_primary"],
                             "county_code": ["441802"], "threshold": [0.7]})
    plan = qy.equity.county_plan(_dispersed_county(override), None, 2022)
    row = plan.indicators.set_index(["level", "indicator"]).loc[("primary", "teaching_area_per_student")]
    assert row["limit"] == pytest.approx(0.7)
    assert np.isnan(row["floor"]) and row["plan_cost_yuan"] == 0.0


def test_county_plan_takes_the_larger_of_school_rule_and_floor_needs():
    # s0 fails the school rule on teaching rooms only (3.0 a pupil): +0.85·4.5·300 − 900 = 247.5 m²
    # → 3.825 m². s1 has 20 m² a pupil. After the school rule (3.825, 20) the CV is still over 0.50,
    # floor 20/3: s0 gets 300·(20/3 − 3.825) = 852.5 m² more, 1100 m² in all = 300·(20/3 − 3.0).
    generous = scaled(PRIMARY_OK, 3 * 1.5)
    ds = dataset([{"level": "primary", "students": 300, **generous, "teaching_area_m2": 900.0},
                  {"level": "primary", "students": 300, **generous, "teaching_area_m2": 6000.0}])
    plan = qy.equity.county_plan(ds, None, 2022)
    school = rows_of(plan.schools).loc["teaching_area_per_student"]
    assert school["add"] == pytest.approx(247.5)
    assert school["floor_add"] == pytest.approx(852.5)
    assert school["plan_add"] == pytest.approx(1100.0)
    row = plan.indicators.set_index(["level", "indicator"]).loc[("primary", "teaching_area_per_student")]
    assert row["cv_after_school_rule"] == pytest.approx((20 - 3.825) / (20 + 3.825) / 1.0, rel=1e-9)
    assert row["plan_add"] == pytest.approx(1100.0)
    # the floor alone, on the values as they are (3.0, 20): the same f = 20/3, 300·(20/3 − 3.0) = 1100 m²
    assert row["floor_alone"] == pytest.approx(20 / 3) and row["floor_alone_add"] == pytest.approx(1100.0)
    assert row["schools_raised_alone"] == 1
    assert plan.by_county.iloc[0]["parts_failing"] == 1


def test_county_plan_floor_of_a_combined_part_is_added_to_the_whole_school():
    # Primary parts: s0 a primary school, 300 pupils, 20 m² a pupil; s1 a nine-year school, 300 primary +
    # 200 junior, 2340 m² → primary share 300/520: 1350 m² = 4.5 a pupil (meets), junior 990 m² = 4.95
    # (≥ 0.85·5.8 = 4.93, relaxed): no school-rule addition. Primary CV of (4.5, 20) = 0.633 > 0.50,
    # floor 20/3 (as in _dispersed_county): the part needs 300·(20/3 − 4.5) = 650 m², which reaches it
    # only as 300/520 of an addition to the school: 650·520/300 = 1126.67 m² (the junior part gets 476.67).
    generous = scaled(PRIMARY_OK, 3 * 1.5)
    nine_year = {"level": "nine_year", "students": 500, "students_primary": 300, "students_junior": 200,
                 "teachers_above_required_qualification": 60.0, "backbone_teachers": 20.0, "pe_arts_teachers": 20.0,
                 "teaching_area_m2": 2340.0, "sports_area_m2": 20_000.0, "equipment_value_yuan": 5_000_000.0,
                 "multimedia_rooms": 30.0}
    ds = dataset([{"level": "primary", "students": 300, **generous, "teaching_area_m2": 6000.0}, nine_year])
    plan = qy.equity.county_plan(ds, None, 2022)
    primary = rows_of(plan.schools, "s1", "primary").loc["teaching_area_per_student"]
    junior = rows_of(plan.schools, "s1", "junior").loc["teaching_area_per_student"]
    assert primary["add"] == 0.0 and junior["add"] == 0.0
    assert primary["floor_add"] == pytest.approx(650 * 520 / 300)
    assert junior["floor_add"] == 0.0
    row = plan.indicators.set_index(["level", "indicator"]).loc[("primary", "teaching_area_per_student")]
    assert row["floor"] == pytest.approx(20 / 3)
    assert row["cv_after"] == pytest.approx(0.5)  # the primary part after the re-split: 1350 + 650 = 2000 m²


def test_county_plan_without_compulsory_schools_is_empty():
    plan = qy.equity.county_plan(dataset([{"level": "kindergarten", "students": 100, **PRIMARY_OK}]), None, 2022)
    assert plan.schools.empty and plan.indicators.empty and plan.by_county.empty
    assert len(plan.unit_costs) == 7


def test_county_plan_rounds_floor_persons_up():
    # PE-arts teachers per 100: 0.9 and 3.0 at 300 pupils each (2.7 and 9 persons): CV = 2.1/3.9 = 0.538.
    # Floor: (3 − f)/(3 + f) = 0.5 → f = 1; 300 · (1 − 0.9)/100 = 0.3 person → 1 person.
    generous = scaled(PRIMARY_OK, 3 * 1.5)
    ds = dataset([{"level": "primary", "students": 300, **generous, "pe_arts_teachers": 2.7},
                  {"level": "primary", "students": 300, **generous, "pe_arts_teachers": 9.0}])
    plan = qy.equity.county_plan(ds, None, 2022)
    row = plan.indicators.set_index(["level", "indicator"]).loc[("primary", "pe_arts_teachers_per_100")]
    assert row["floor"] == pytest.approx(1.0)
    assert row["floor_add"] == 1.0 and row["add_unit"] == "persons"
    # after rounding: 3.7 persons → 1.2333 per 100 against 3.0: CV = 0.8833/2.1167 = 0.417
    assert row["cv_after"] == pytest.approx((3.0 - 3.7 / 3) / (3.0 + 3.7 / 3))


def test_gap_functions_cover_every_county_of_the_demo():
    ds = qy.load_demo()
    table = qy.equity.school_gaps(ds)
    assert set(table["county_code"]) == set(ds.counties.codes)
    assert (table["add"].dropna() >= 0).all()
    assert (table.loc[table["passes_school_rule"].fillna(False).astype(bool), "add"] == 0).all()
    plan = qy.equity.county_plan(ds, "city", 2022)
    assert len(plan.by_county) == len(ds.counties.codes)
    schools = ds.schools.loc[ds.schools["year"] == 2022]
    measured = qy.equity.balance_cvs(qy.measures.balance.balance_parts(schools))
    merged = plan.indicators.merge(measured.rename(columns={"code": "indicator"}),
                                   on=["county_code", "level", "indicator"])
    assert len(merged) == len(plan.indicators)
    assert merged["cv_before"].to_numpy() == pytest.approx(merged["cv"].to_numpy(), nan_ok=True)
    registry = load_targets().set_index("target_id")["threshold"]
    limits = ("t08_balance_cv_" + merged["indicator"] + "_" + merged["level"]).map(registry)
    assert (merged["limit"].to_numpy() == limits.to_numpy()).all()  # the limits are the registry's thresholds
    assert plan.by_county["plan_cost_yuan"].sum() == pytest.approx(plan.schools["plan_cost_yuan"].sum())
    within = plan.indicators["cv_after"].dropna() <= plan.indicators.loc[plan.indicators["cv_after"].notna(),
                                                                         "limit"] + 1e-9
    assert within.all()


def test_resource_totals_sum_counties_per_resource_in_catalogue_order():
    # Two counties: 3 + 2 = 5 teachers (587 500 元 at 117 500 元); 100 m² in one county only.
    by_resource = pd.DataFrame({
        "county_code": ["441802", "441802", "441803", "441803"], "year": 2022,
        "indicator": ["teaching_area_per_student", "qualified_teachers_per_100", "qualified_teachers_per_100",
                      "teaching_area_per_student"],
        "add_unit": ["m2", "persons", "persons", "m2"], "cost_basis": ["one_off", "per_year", "per_year", "one_off"],
        "plan_add": [100.0, 3.0, 2.0, 0.0], "plan_cost_yuan": [300_000.0, 352_500.0, 235_000.0, 0.0]})
    totals = gaps.resource_totals(by_resource).set_index("indicator")
    assert list(totals.index) == ["qualified_teachers_per_100", "teaching_area_per_student"]
    assert totals.loc["qualified_teachers_per_100", "plan_add"] == pytest.approx(5.0)
    assert totals.loc["qualified_teachers_per_100", "plan_cost_yuan"] == pytest.approx(587_500.0)
    assert (totals.loc["qualified_teachers_per_100", "counties"], totals.loc["teaching_area_per_student", "counties"]) \
        == (2, 1)
    assert totals.loc["teaching_area_per_student", "plan_cost_yuan"] == pytest.approx(300_000.0)


def test_whole_ceiling_never_gives_negative_zero():
    out = gaps._whole_ceil(np.array([-1e-10, 2.0000000001, 0.4]), np.array([True, True, False]))
    assert list(out) == [0.0, 2.0, 0.4] and not np.signbit(out[0])
