"""Tests of the synthetic demonstration dataset (qyanalysis.demo)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qyanalysis.cli import main
from qyanalysis.contract.columns import (
    COUNTIES, LOCATIONS, OWNERSHIPS, QUALIFICATIONS, SCHOOL_LEVELS, SCHOOLS, TASK_STATUSES, TEACHERS,
)
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.demo import generate_demo_data
from qyanalysis.demo.calibration import PUBLISHED_2022, city_totals_by_stage, near_limit_cvs, passing_shares
from qyanalysis.demo import inputs as demo_inputs
from qyanalysis.demo.inputs import allocate, cumulative_by_quarter
from qyanalysis.demo.snapshot import AS_OF, AS_OF_MONTH, AT_SNAPSHOT, IN_YEAR_FLOWS, QUARTERLY_FLOWS
from qyanalysis.demo.panel import NOT_GENERATED, Effects
from qyanalysis.demo.teachers import _rank_within

QINGCHENG, QINGXIN, FOGANG, YANGSHAN = "441802", "441803", "441821", "441823"
LIANSHAN, LIANNAN, YINGDE, LIANZHOU = "441825", "441826", "441881", "441882"
SECONDARY_LEVELS = ("primary", "junior", "nine_year", "senior", "complete_secondary", "twelve_year")
# Every declared schools column but those a census (and so the demo) usually lacks.
GENERATED = [c.name for c in SCHOOLS.columns if c.name not in NOT_GENERATED]
COUNT_COLUMNS = [c.name for c in SCHOOLS.columns if c.kind == "count" and c.name in GENERATED]
MB = 1024 * 1024


def _read(folder: Path) -> dict[str, pd.DataFrame]:
    ids = {"county": str, "school_id": str}
    indicators = pd.read_csv(folder / "indicators.csv", dtype={"county": str, "period": str})
    indicators["period"] = indicators["period"].fillna("")
    # yes/no (flag) indicators are written 是/否, as a bureau would
    indicators["value"] = indicators["value"].replace({"是": "1", "否": "0"}).astype(float)
    return {
        "schools": pd.read_csv(folder / "schools.csv", dtype=ids),
        "indicators": indicators,
        "tasks": pd.read_csv(folder / "tasks.csv", dtype={"county": str, "task_id": str}),
        "targets_override": pd.read_csv(folder / "targets_override.csv", dtype={"county": str}),
        "teachers": pd.read_parquet(folder / "teachers.parquet"),
        "survey": pd.read_csv(folder / "survey.csv", dtype={"county": str}),
    }


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    return generate_demo_data(tmp_path_factory.mktemp("demo") / "out")


@pytest.fixture(scope="module")
def demo(demo_dir) -> dict[str, pd.DataFrame]:
    return _read(demo_dir)


@pytest.fixture(scope="module")
def latest(demo) -> pd.DataFrame:
    return demo["schools"].query("year == 2022")


def _share(numerator: pd.Series, denominator: pd.Series, by: pd.Series) -> pd.Series:
    return numerator.groupby(by).sum() / denominator.groupby(by).sum()


# --- helpers -----------------------------------------------------------------------------------------


def test_allocate_uses_largest_remainder_and_sums_exactly():
    # 10 over (1, 1, 1): 3.33 each → floors 3, 3, 3, one left to the first of the tied remainders
    assert allocate(10, np.array([1, 1, 1])).tolist() == [4, 3, 3]
    # 7 over (2, 1): 4.67 and 2.33 → floors 4, 2; remainder .67 beats .33
    assert allocate(7, np.array([2, 1])).tolist() == [5, 2]


def test_rank_within_groups():
    # group 0 keys (0.5, 0.1) → ranks (1, 0); group 1 keys (0.3, 0.9, 0.2) → ranks (1, 2, 0)
    ranks = _rank_within(np.array([0, 0, 1, 1, 1]), np.array([0.5, 0.1, 0.3, 0.9, 0.2]))
    assert ranks.tolist() == [1, 0, 1, 2, 0]


def test_dither_is_floor_of_value_plus_a_lasting_uniform():
    effects = Effects(np.random.default_rng(0), 2, np.array([0, 0, 1, 1]))
    u = np.random.default_rng(0).uniform(0.0, 1.0, 2)  # the same draw the Effects makes
    counts = effects.dither(np.array([2.3, 2.3, 0.6, 0.6]))
    # floor(2.3 + u0) and floor(0.6 + u1), the same in both years of a school
    assert counts.tolist() == [int(2.3 + u[0])] * 2 + [int(0.6 + u[1])] * 2


# --- determinism and files ---------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(demo_dir, tmp_path):
    again = generate_demo_data(tmp_path / "again")
    names = sorted(p.name for p in demo_dir.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        assert (demo_dir / name).read_bytes() == (again / name).read_bytes(), name


def test_another_seed_gives_other_data(demo_dir, tmp_path):
    other = generate_demo_data(tmp_path / "other", seed=7)
    assert (other / "schools.csv").read_bytes() != (demo_dir / "schools.csv").read_bytes()


def test_metadata_and_readme_say_it_is_synthetic(demo_dir):
    record = json.loads((demo_dir / "metadata.json").read_text(encoding="utf-8"))
    assert record["synthetic"] is True
    assert record["notice_zh"] == "本数据为合成演示数据,并非官方统计数据。"
    assert record["notice_en"] == "Synthetic demonstration data, not official statistics."
    assert (record["generator"], record["seed"], record["counties"]) == ("qyanalysis.demo", 2022, 8)
    readme = (demo_dir / "README.md").read_text(encoding="utf-8")
    assert record["notice_zh"] in readme and record["notice_en"] in readme
    assert not (demo_dir / "counties.csv").exists()


def test_readme_states_the_snapshot_and_the_measured_calibration(demo_dir, demo):
    readme = (demo_dir / "README.md").read_text(encoding="utf-8")
    assert "## Snapshot: as of 2022-09" in readme
    shares = passing_shares(demo["schools"], 2022)
    for code, row in shares.iterrows():
        # e.g. "| 清城 (441802) | 79 | 67 | 85 % |": the table is the measured one
        assert f"({code}) | {int(row['parts'])} | {int(row['passing'])} | {100 * row['passing_share']:.0f} % |" \
            in readme, code
    for row in near_limit_cvs(demo["schools"], 2022).itertuples():
        assert f"{row.cv:.3f} against {row.limit:.2f}" in readme


def test_files_are_small(demo_dir):
    sizes = {p.name: p.stat().st_size for p in demo_dir.iterdir()}
    assert max(sizes.values()) < 5 * MB, sizes
    assert sum(sizes.values()) < 10 * MB


# --- contract invariants ------------------------------------------------------------------------------


def test_schools_have_every_contract_column_in_order(demo):
    assert list(demo["schools"].columns) == GENERATED
    assert NOT_GENERATED == ("classes_over_limit",)  # the demo's class-size check runs on averages
    assert list(demo["teachers"].columns) == [c.name for c in TEACHERS.columns]


def test_categories_are_allowed_and_all_present(demo):
    schools = demo["schools"]
    assert set(schools["level"]) == set(SCHOOL_LEVELS)
    assert set(schools["ownership"]) == set(OWNERSHIPS)
    assert set(schools["location"]) <= set(LOCATIONS)
    assert set(schools["county"]) == set(CountyRegistry.builtin().codes)
    assert set(demo["teachers"]["qualification"]) <= set(QUALIFICATIONS)
    assert set(demo["tasks"]["status"]) <= set(TASK_STATUSES)


def test_keys_are_unique(demo):
    assert not demo["schools"].duplicated(["school_id", "year"]).any()
    assert not demo["indicators"].duplicated(["county", "year", "period", "indicator"]).any()
    assert not demo["teachers"].duplicated(["teacher_id", "year"]).any()
    assert not demo["tasks"].duplicated(["task_id", "county"]).any()
    assert not demo["targets_override"].duplicated(["target_id", "county"]).any()


def test_counts_are_non_negative_whole_numbers(demo):
    counts = demo["schools"][COUNT_COLUMNS]
    assert (counts.fillna(0) >= 0).all().all()
    assert (counts.fillna(0) % 1 == 0).all().all()


def test_parts_never_exceed_wholes(demo):
    s = demo["schools"]
    tested = s["fitness_tested"].notna()
    good_or_better = s.loc[tested, "fitness_excellent"] + s.loc[tested, "fitness_good"]
    assert (good_or_better <= s.loc[tested, "fitness_tested"]).all()
    assert (s["myopia_cases"].dropna() <= s.loc[s["myopia_cases"].notna(), "myopia_screened"]).all()
    for part in ("migrant_students", "disabled_students", "dropouts", "fitness_tested", "myopia_screened"):
        known = s[part].notna()
        assert (s.loc[known, part] <= s.loc[known, "students"]).all(), part
    for part in ("teachers_above_required_qualification", "backbone_teachers", "pe_arts_teachers",
                 "teachers_senior_title"):
        known = s[part].notna()
        assert (s.loc[known, part] <= s.loc[known, "teachers"]).all(), part


def test_combined_schools_parts_add_up_and_others_leave_them_empty(demo):
    s = demo["schools"]
    parts = s[["students_primary", "students_junior", "students_senior"]]
    expected = {"nine_year": (True, True, False), "complete_secondary": (False, True, True),
                "twelve_year": (True, True, True)}
    for level, present in expected.items():
        rows = s["level"] == level
        assert (parts[rows].notna().to_numpy() == np.array(present)).all(), level
        assert (parts[rows].fillna(0).sum(axis=1) == s.loc[rows, "students"]).all(), level
    assert parts[~s["level"].isin(list(expected))].isna().all().all()


def test_columns_are_empty_only_where_not_collected(demo):
    s = demo["schools"]
    secondary = s["level"].isin(SECONDARY_LEVELS)
    assert s.loc[secondary, "fitness_tested"].notna().all()
    assert s.loc[~secondary, ["fitness_tested", "myopia_screened"]].isna().all().all()
    compulsory = s["level"].isin(("primary", "junior", "nine_year", "complete_secondary", "twelve_year"))
    assert s.loc[compulsory, "migrant_students"].notna().all()
    assert s.loc[~compulsory, "migrant_students"].isna().all()
    kindergarten = s["level"] == "kindergarten"
    assert s.loc[kindergarten, ["dropouts", "temporary_teachers"]].isna().all().all()
    assert s.loc[~kindergarten, ["dropouts", "temporary_teachers"]].notna().all().all()
    assert (s.loc[s["ownership"] != "public", "temporary_teachers"].fillna(0) == 0).all()


def test_schools_are_stable_across_years(demo):
    s = demo["schools"]
    assert (s.groupby("school_id")["year"].apply(tuple) == (2019, 2020, 2021, 2022)).all()
    traits = s.groupby("school_id")[["school_name", "level", "ownership", "location"]]
    assert (traits.nunique() == 1).all().all()
    big = s[s.groupby("school_id")["students"].transform("min") >= 100]
    change = big.groupby("school_id")["students"].pct_change().dropna()
    assert change.abs().max() < 0.25


# --- calibration -------------------------------------------------------------------------------------


def test_city_totals_by_stage_count_combined_schools_as_the_statistics_do():
    # A nine-year school is a junior school, a complete secondary and a twelve-year school senior ones;
    # a teaching point is no school but its pupils are primary pupils; parts count in their stages.
    rows = [("primary", False, 500, None, None, None), ("primary", True, 30, None, None, None),
            ("junior", False, 800, None, None, None), ("nine_year", False, 900, 600, 300, None),
            ("senior", False, 2000, None, None, None), ("complete_secondary", False, 1500, None, 700, 800),
            ("twelve_year", False, 1200, 500, 400, 300), ("kindergarten", False, 200, None, None, None),
            ("vocational", False, 3000, None, None, None), ("special", False, 100, None, None, None)]
    schools = pd.DataFrame(rows, columns=["level", "is_teaching_point", "students", "students_primary",
                                          "students_junior", "students_senior"]).assign(year=2022)
    stale = schools.assign(year=2021, students=1)
    totals = city_totals_by_stage(pd.concat([schools, stale]), 2022)
    assert totals.index.tolist() == ["primary", "junior", "senior", "kindergarten"]
    assert totals["schools"].tolist() == [1, 2, 3, 1]
    assert totals["pupils"].tolist() == [500 + 30 + 600 + 500, 800 + 300 + 700 + 400, 2000 + 800 + 300, 200]


def test_city_totals_of_2022_are_within_ten_percent_of_the_published_ones(demo):
    # 清远市2023—2025年学位建设规划(征求意见稿): primary 354 / 422,369, junior 159 / 179,987,
    # regular senior 34 / 76,891, kindergartens 835 / 169,466 at the start of 2022–23.
    assert PUBLISHED_2022 == {"primary": (354, 422_369), "junior": (159, 179_987), "senior": (34, 76_891),
                              "kindergarten": (835, 169_466)}
    totals = city_totals_by_stage(demo["schools"], 2022)
    published = pd.DataFrame(PUBLISHED_2022, index=["schools", "pupils"]).T
    ratio = totals / published
    assert ((ratio - 1).abs() <= 0.10).all().all(), ratio


def test_city_totals_change_slowly_before_2022(demo):
    # Earlier years are the same schools with their pupils growing or shrinking a little each year.
    years = {year: city_totals_by_stage(demo["schools"], year) for year in (2019, 2020, 2021, 2022)}
    for year in (2019, 2020, 2021):
        assert (years[year]["schools"] == years[2022]["schools"]).all()
        change = years[year + 1]["pupils"] / years[year]["pupils"] - 1
        assert change.abs().max() < 0.05, (year, change)


def test_readme_quotes_the_published_totals_and_their_source(demo_dir, demo):
    readme = (demo_dir / "README.md").read_text(encoding="utf-8")
    assert "清远市2023—2025年学位建设规划(征求意见稿)" in readme and "清远日报" in readme
    totals = city_totals_by_stage(demo["schools"], 2022)
    for stage, (schools, pupils) in PUBLISHED_2022.items():
        assert f"| {stage} | {totals.loc[stage, 'schools']:,} (" in readme
        assert f"| {totals.loc[stage, 'pupils']:,} (" in readme and f"| {pupils:,} |" in readme


def test_enrollment_follows_census_population(latest):
    # Primary pupils (single-level schools + primary parts of combined ones) are 6–11 % of residents.
    registry = CountyRegistry.builtin().counties.set_index("county_code")
    primary = latest["students_primary"].fillna(latest["students"].where(latest["level"] == "primary", 0))
    share = primary.groupby(latest["county"]).sum() / registry["population_2020_census"]
    assert share.between(0.06, 0.11).all(), share


def test_city_staffing_is_close_to_guangdong_2021(latest):
    # Guangdong 2021: primary 18.22 pupils per teacher, junior 13.62; 99.19 % 大专+, 93.74 % 本科+.
    primary = latest[latest["level"] == "primary"]
    junior = latest[latest["level"] == "junior"]
    assert 16 <= primary["students"].sum() / primary["teachers"].sum() <= 20
    assert 12 <= junior["students"].sum() / junior["teachers"].sum() <= 15.5
    assert 0.97 <= primary["teachers_above_required_qualification"].sum() / primary["teachers"].sum() <= 1.0
    assert 0.88 <= junior["teachers_above_required_qualification"].sum() / junior["teachers"].sum() <= 0.97


def test_fitness_good_rate_around_half(latest):
    tested = latest[latest["fitness_tested"].notna()]
    good_or_better = tested["fitness_excellent"] + tested["fitness_good"]
    good = _share(good_or_better, tested["fitness_tested"], tested["county"])
    assert good.between(0.40, 0.65).all(), good
    city = (tested["fitness_excellent"] + tested["fitness_good"]).sum() / tested["fitness_tested"].sum()
    assert 0.45 <= city <= 0.60


# --- designed contrasts and target misses ------------------------------------------------------------


def test_qingcheng_has_most_migrants_largest_schools_and_big_classes(latest):
    compulsory = latest[latest["migrant_students"].notna()]
    migrant = _share(compulsory["migrant_students"], compulsory["students"], compulsory["county"])
    assert migrant.idxmax() == QINGCHENG
    primary = latest[(latest["level"] == "primary") & ~latest["is_teaching_point"]]
    size = primary.groupby("county")["students"].mean()
    assert size.idxmax() == QINGCHENG
    assert set(size.nsmallest(2).index) == {LIANSHAN, LIANNAN}
    qingcheng = primary[primary["county"] == QINGCHENG]
    assert (qingcheng["students"] / qingcheng["classes"] > 45).sum() >= 5


def test_mountain_counties_have_teaching_points_under_50(latest):
    points = latest[latest["is_teaching_point"]]
    small = points[points["students"] < 50].groupby("county").size()
    assert small.get(LIANNAN, 0) >= 3 and small.get(LIANSHAN, 0) >= 3
    assert (points["level"] == "primary").all() and (points["location"] == "rural").all()


def test_designed_misses_dropout_kindergarten_and_temporary_teachers(latest):
    compulsory = latest[latest["migrant_students"].notna()]
    dropout = _share(compulsory["dropouts"], compulsory["students"], compulsory["county"])
    assert dropout[dropout > 0.005].index.tolist() == [LIANNAN]
    kindergarten = latest[latest["level"] == "kindergarten"]
    public = _share(kindergarten["students"].where(kindergarten["ownership"] == "public", 0),
                    kindergarten["students"], kindergarten["county"])
    assert public[public < 0.5].index.tolist() == [QINGCHENG]
    staffed = latest[latest["level"].isin(SECONDARY_LEVELS) & (latest["ownership"] == "public")]
    temporary = _share(staffed["temporary_teachers"], staffed["temporary_teachers"] + staffed["teachers"],
                       staffed["county"])
    assert sorted(temporary[temporary > 0.05].index) == [QINGCHENG, YINGDE]


def test_item_27_applies_in_2022_only_in_qingcheng_and_yingde(demo):
    # The 2022 rule reads the 2021 ratio (temporary ÷ established + temporary, public primary and secondary).
    last_year = demo["schools"].query("year == 2021")
    staffed = last_year[last_year["level"].isin(SECONDARY_LEVELS) & (last_year["ownership"] == "public")]
    temporary = _share(staffed["temporary_teachers"], staffed["temporary_teachers"] + staffed["teachers"],
                       staffed["county"])
    assert sorted(temporary[temporary > 0.05].index) == [QINGCHENG, YINGDE]


def test_the_unfilled_posts_veto_follows_the_census_temporary_teachers(demo):
    # 有编不补 veto (V6): 是 where public compulsory schools' temporary teachers are above 5 % of teachers
    # and their share does not fall over 2019–2022 (Yingde); Qingcheng has the most, falling: 否.
    from qyanalysis.measures.staffing import compulsory_temporary_teachers

    census = compulsory_temporary_teachers(demo["schools"].rename(columns={"county": "county_code"}))
    share = census.pivot(index="county_code", columns="year", values="share")
    long_term = (share > 0.05).all(axis=1) & (share[2022] >= share[2019])
    assert long_term[long_term].index.tolist() == [YINGDE]
    assert share[2022].idxmax() == QINGCHENG and share.loc[QINGCHENG, 2022] < share.loc[QINGCHENG, 2019]
    rows = demo["indicators"].query("indicator == 'veto_unfilled_posts_or_temporary_teachers'")
    answers = rows.pivot(index="county", columns="year", values="value")
    assert set(answers.columns) == {2019, 2020, 2021, 2022}
    for year in answers.columns:
        assert answers[answers[year] == 1].index.tolist() == [YINGDE], year


def test_share_of_schools_passing_the_school_rule_differs_between_counties(demo):
    # 优质均衡 6-of-7 rule on the school × level parts: most in urban Qingcheng, a majority in the
    # middle counties, a minority in Yangshan and the two mountain autonomous counties.
    share = passing_shares(demo["schools"], 2022)["passing_share"]
    assert share[QINGCHENG] > 0.75 and share.idxmax() == QINGCHENG
    assert (share[[QINGXIN, FOGANG, YINGDE, LIANZHOU]] > 0.5).all(), share
    assert (share[[LIANNAN, LIANSHAN]] < 0.4).all() and share[YANGSHAN] < 0.4, share
    assert share.max() - share.min() > 0.5


def test_some_cvs_sit_just_inside_and_others_just_outside_their_limits(demo):
    near = near_limit_cvs(demo["schools"], 2022)
    inside = near[(near["gap"] <= 0) & (near["gap"] >= -0.05)]
    outside = near[(near["gap"] > 0) & (near["gap"] <= 0.05)]
    assert inside["county_code"].nunique() >= 2 and outside["county_code"].nunique() >= 2
    assert (near["gap"] <= 0.05).all(), near  # nothing far above a limit: "just outside" only
    over = near.loc[near["gap"] > 0, ["county_code", "level", "code"]].itertuples(index=False)
    assert set(over) == {(LIANSHAN, "primary", "backbone_teachers_per_100"),
                         (YINGDE, "primary", "backbone_teachers_per_100")}


def test_passing_shares_and_near_limit_cvs_on_a_hand_made_census():
    # Two primary schools of 100 pupils in county A; school 1 meets all 7 standards, school 2 meets
    # 5 (equipment 1600 < 2000 and multimedia 2 < 2.3 per 100), so it fails: share 1/2.
    def school(sid, equipment, rooms, area=5.0):
        return {"school_id": sid, "school_name": sid, "county": "A", "year": 2022, "level": "primary",
                "ownership": "public", "location": "urban", "is_teaching_point": False, "students": 100,
                "teachers_above_required_qualification": 5, "backbone_teachers": 1, "pe_arts_teachers": 1,
                "teaching_area_m2": 100 * area, "sports_area_m2": 800.0, "equipment_value_yuan": equipment,
                "multimedia_rooms": rooms, "computers": 10, "library_books": 2500, "teachers": 6,
                "teachers_senior_title": 2}
    schools = pd.DataFrame([school("s1", 200_000, 3), school("s2", 160_000, 2, area=15.0)])
    shares = passing_shares(schools, 2022)
    assert shares.loc["A", ["parts", "judged", "passing"]].tolist() == [2, 2, 1]
    assert shares.loc["A", "passing_share"] == pytest.approx(0.5)
    # Teaching area per pupil 5 and 15, equal weights: mean 10, S = 5, CV = 0.5 — exactly at the
    # primary limit (gap 0); the equipment CV (2000, 1600) = 200 / 1800 = 0.111 is far inside.
    near = near_limit_cvs(schools, 2022)
    assert near["code"].tolist() == ["teaching_area_per_student"]
    assert near["cv"].iloc[0] == pytest.approx(0.5) and near["gap"].iloc[0] == pytest.approx(0.0, abs=1e-12)


def test_myopia_falls_in_most_counties_and_rises_in_one(demo):
    s = demo["schools"][demo["schools"]["myopia_screened"].notna()]
    by_year = s.groupby(["county", "year"])
    rate = by_year["myopia_cases"].sum() / by_year["myopia_screened"].sum()
    change = rate.xs(2022, level="year") - rate.xs(2021, level="year")
    assert change[change > 0].index.tolist() == [QINGXIN]
    assert (change < 0).sum() == 7


def test_some_schools_have_five_disabled_pupils_mostly_with_resource_rooms(latest):
    hubs = latest[(latest["disabled_students"] >= 5) & (latest["level"] != "special")]
    assert len(hubs) >= 20
    assert 0.7 <= hubs["has_resource_room"].mean() < 1.0


# --- indicators, tasks, quotas -----------------------------------------------------------------------


def test_every_input_indicator_is_supplied(demo):
    inputs = {code for code, entry in CATALOGUE.items() if entry.origin == "input"}
    assert set(demo["indicators"]["indicator"]) == inputs
    assert (demo["indicators"]["source"] == "synthetic demo").all()
    fractions = demo["indicators"]["indicator"].map(lambda c: CATALOGUE[c].is_fraction)
    assert demo["indicators"].loc[fractions, "value"].between(0, 1).all()
    assert (demo["indicators"]["county"] != "441800").all()  # city counts are split over counties


def test_seats_are_monthly_cumulative_in_2022_and_annual_before(demo):
    seats = demo["indicators"][demo["indicators"]["indicator"].str.startswith("new_public_seats_")]
    this_year = seats[seats["year"] == 2022]
    assert set(this_year["period"]) == {f"2022-{m:02d}" for m in range(1, 10)}
    assert (seats.loc[seats["year"] < 2022, "period"] == "").all()
    ordered = this_year.sort_values(["indicator", "county", "period"])
    steps = ordered.groupby(["indicator", "county"])["value"].diff().dropna()
    assert (steps >= 0).all()


def _period_end_month(period: str) -> int:
    """12 for an annual period, the month of YYYY-MM, 3n for YYYY-Qn."""
    if period == "":
        return 12
    return 3 * int(period[6:]) if "Q" in period else int(period[5:])


def test_the_snapshot_month_is_september_2022_everywhere(demo_dir, demo):
    in_year = demo["indicators"].query("period != ''")
    latest = max(in_year["period"], key=_period_end_month)
    assert _period_end_month(latest) == AS_OF_MONTH == 9 and AS_OF == "2022-09"
    assert (in_year["year"] == 2022).all()
    assert json.loads((demo_dir / "metadata.json").read_text(encoding="utf-8"))["as_of"] == "2022-09"


def test_cumulative_counts_of_2022_stop_at_the_snapshot_without_a_year_end_value(demo):
    # The in-year flows are counts; in 2022 they have no annual (year-end) row, no period after
    # September, one kind of period each (never YYYY-MM with YYYY-Qn), and never fall.
    assert all(CATALOGUE[code].unit == "count" for code in IN_YEAR_FLOWS)
    rows = demo["indicators"]
    this_year = rows[(rows["year"] == 2022) & rows["indicator"].isin(IN_YEAR_FLOWS)]
    assert set(this_year["indicator"]) == set(IN_YEAR_FLOWS)
    assert (this_year["period"] != "").all()
    assert this_year["period"].map(_period_end_month).max() == 9
    kinds = this_year.groupby("indicator")["period"].agg(lambda p: set(p.str.contains("Q")))
    assert (kinds.map(len) == 1).all(), kinds
    assert set(this_year.loc[this_year["indicator"].isin(QUARTERLY_FLOWS), "period"]) == {
        "2022-Q1", "2022-Q2", "2022-Q3"}
    ordered = this_year.assign(end=this_year["period"].map(_period_end_month)).sort_values("end")
    assert (ordered.groupby(["indicator", "county"])["value"].diff().dropna() >= 0).all()
    earlier = rows[(rows["year"] < 2022) & rows["indicator"].isin(IN_YEAR_FLOWS)]
    assert (earlier["period"] == "").all() and set(earlier["indicator"]) == set(IN_YEAR_FLOWS)


def test_every_2022_count_is_a_flow_a_stock_at_the_snapshot_or_a_school_year_figure(demo):
    rows = demo["indicators"].query("year == 2022")
    counts = rows[rows["indicator"].map(lambda c: CATALOGUE[c].unit == "count")]
    annual = set(counts.loc[counts["period"] == "", "indicator"])
    assert annual == {"junior_cohort_entrants", "junior_cohort_completers", "disabled_children_enrolled",
                      "disabled_children_school_age", "purchased_seats"}  # the autumn census and term
    stocks = rows[rows["indicator"].isin(AT_SNAPSHOT)]
    assert set(stocks["indicator"]) == set(AT_SNAPSHOT) and (stocks["period"] == "2022-09").all()


def test_a_year_end_value_of_an_in_year_flow_is_refused(tmp_path, monkeypatch):
    # Were the placements written as 2022 annual totals, the generator stops instead of writing them.
    monkeypatch.setattr(demo_inputs, "QUARTERLY_FLOWS", ())
    monkeypatch.setattr(demo_inputs, "_at_snapshot", lambda year: "")
    with pytest.raises(RuntimeError, match="support_teachers_received"):
        generate_demo_data(tmp_path / "bad", n_counties=3)


def test_cumulative_by_quarter_counts_events_up_to_each_quarter():
    totals = np.array([0, 1, 40, 500])
    cumulative = cumulative_by_quarter(totals, np.random.default_rng(3))
    assert cumulative.shape == (4, 3)
    assert (np.diff(cumulative, axis=1) >= 0).all() and (cumulative[:, -1] <= totals).all()
    assert cumulative[0].tolist() == [0, 0, 0]
    # The seasonal weights put 9.7 of 12.3 weight units in January–September: 79 % of 500 expected
    # (binomial sd 9; the bound is four of them).
    assert cumulative[3, -1] == pytest.approx(500 * 9.7 / 12.3, abs=36)


def test_city_is_on_track_for_compulsory_seats_and_at_risk_for_preschool(demo):
    # A straight-line projection of September's cumulative figure to December: value · 12 / 9.
    september = demo["indicators"].query("period == '2022-09'").groupby("indicator")["value"].sum()
    assert september["new_public_seats_compulsory"] * 12 / 9 >= 20500
    assert september["new_public_seats_preschool"] * 12 / 9 < 2000


def test_purchased_seats_fall_except_in_one_county(demo):
    seats = demo["indicators"].query("indicator == 'purchased_seats'").pivot(index="county", columns="year",
                                                                                values="value")
    change = seats.pct_change(axis=1).drop(columns=2019)
    assert (change < 0).all().all() and (change >= -0.09).all().all()
    assert change[change[2022] > -0.05].index.tolist() == [LIANNAN]


def test_one_county_pays_teachers_below_civil_servants(demo):
    annual = demo["indicators"].query("year == 2022 and period == ''")
    pay = annual.pivot(index="county", columns="indicator", values="value")
    ratio = pay["teacher_avg_pay_yuan"] / pay["civil_servant_avg_pay_yuan"]
    assert (ratio < 1).sum() == 1


def test_quotas_add_up_to_the_city_targets(demo):
    quotas = demo["targets_override"]
    totals = quotas.groupby("target_id")["threshold"].sum().to_dict()
    assert totals == {"t06_new_public_seats_compulsory": 20500, "t06_new_public_seats_preschool": 2000,
                      "t06_new_public_seats_senior": 2000}
    assert (quotas["source"] == "synthetic demo: responsibility letter quota").all()
    assert (quotas["comparator"] == ">=").all()


def test_tasks_have_sixty_key_tasks_spread_over_the_city(demo):
    tasks = demo["tasks"]
    key = tasks[tasks["is_key_task"]]
    assert len(key) == 60 and key["task_id"].is_unique
    assert key["county"].nunique() >= 8 and "441800" in set(key["county"])
    assert tasks["due"].str.fullmatch(r"2022-(0[1-9]|1[0-2])").all()
    assert tasks["status"].isin(("completed", "in_progress")).mean() > 0.7
    assert (tasks["status"] == "delayed").any()


def test_task_progress_agrees_with_a_september_snapshot(demo):
    # Due by 2022-09: completed or overdue (delayed / still in progress), never not started.
    # Due October–December: not yet due (in progress, not started, or completed early), never delayed.
    tasks = demo["tasks"]
    due = tasks["due"] <= "2022-09"
    assert not (due & (tasks["status"] == "not_started")).any()
    assert not (~due & (tasks["status"] == "delayed")).any()
    for frame in (tasks, tasks[tasks["is_key_task"]]):
        is_due = frame["due"] <= "2022-09"
        completed = frame["status"] == "completed"
        assert (is_due & completed).sum() >= 10          # completed
        assert (is_due & ~completed).sum() >= 3          # overdue
        assert (~is_due & ~completed).sum() >= 10        # not yet due
        assert (is_due & completed).sum() > (is_due & ~completed).sum()


# --- teacher roster ----------------------------------------------------------------------------------


def test_roster_matches_the_school_counts(demo):
    roster, schools = demo["teachers"], demo["schools"].set_index(["school_id", "year"])
    established = roster[roster["is_established"]]
    keys = ["school_id", "year"]
    found = pd.DataFrame({
        "teachers": established.groupby(keys).size(),
        "temporary_teachers": roster[~roster["is_established"]].groupby(keys).size(),
        "backbone_teachers": established.groupby(keys)["is_backbone"].sum(),
        "pe_arts_teachers": established[established["subject"].isin(("pe", "music", "fine_arts"))]
        .groupby(keys).size(),
    })
    expected = schools.loc[schools.index.get_level_values("year") >= 2021, list(found.columns)].fillna(0)
    assert (found.reindex(expected.index).fillna(0) == expected).all().all()
    assert not roster.loc[~roster["is_established"], "is_backbone"].any()
    assert roster["teacher_id"].str.fullmatch(r"T\d{7}").all()


def test_roster_rotation_and_ageing(demo, latest):
    roster = demo["teachers"]
    eligible = roster[(roster["year"] == 2022) & roster["is_rotation_eligible"]]
    rate = eligible.groupby("county")["rotated"].mean()
    assert rate.between(0.08, 0.14).all(), rate
    backbone = eligible[eligible["rotated"]].groupby("county")["is_backbone"].mean()
    assert backbone.between(0.15, 0.30).all() and backbone.max() - backbone.min() > 0.05
    location = latest.set_index("school_id")["location"]
    age = (roster["year"] - roster["birth_year"]).groupby(roster["school_id"].map(location)).mean()
    assert age["rural"] > age["urban"] + 5


# --- synthetic regions -------------------------------------------------------------------------------


def test_cli_makes_a_synthetic_region_with_its_own_counties_table(tmp_path, capsys):
    assert main(["demo-data", str(tmp_path / "region"), "--counties", "30", "--seed", "5"]) == 0
    folder = tmp_path / "region"
    counties = pd.read_csv(folder / "counties.csv", dtype={"county_code": str})
    assert list(counties.columns) == [c.name for c in COUNTIES.columns]
    assert len(counties) == 31 and (counties["kind"] == "city").sum() == 1
    assert counties["county_code"].str.fullmatch(r"9\d{5}").all() and counties["county_code"].is_unique
    city = counties["kind"] == "city"
    population = counties["population_2020_census"]
    assert population[city].item() == population[~city].sum()
    registry = CountyRegistry.from_frame(counties)
    assert registry.normalise("示范县0001") == "900001" and registry.city_code == "900000"
    schools = pd.read_csv(folder / "schools.csv", dtype={"county": str})
    assert set(schools["county"]) == set(registry.codes)
    assert json.loads((folder / "metadata.json").read_text(encoding="utf-8"))["counties"] == 30
    assert (folder / "teachers.parquet").exists()


def test_bad_county_count_is_refused(tmp_path):
    with pytest.raises(ValueError, match="n_counties"):
        generate_demo_data(tmp_path / "none", n_counties=0)


def test_above_the_roster_cap_no_teacher_roster_is_generated(tmp_path, monkeypatch):
    # The cap lowered to reach the national-scale code path at a few counties; 2,846 counties within
    # 120 s (about 10 s on the 2-core development machine) are checked by benchmarks/national_region.py.
    import qyanalysis.demo

    monkeypatch.setattr(qyanalysis.demo, "ROSTER_MAX_COUNTIES", 2)
    folder = generate_demo_data(tmp_path / "big", n_counties=3)
    record = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert record["counties"] == 3 and record["teachers_roster"] is False
    assert not (folder / "teachers.parquet").exists()


# --- integration with the loader (written in parallel) ----------------------------------------------


def _load_dataset():
    io_module = pytest.importorskip("qyanalysis.io")
    if not hasattr(io_module, "load_dataset"):
        pytest.skip("qyanalysis.io.load_dataset does not exist yet")
    return io_module.load_dataset


def test_demo_loads_with_load_dataset(demo_dir, demo):
    dataset = _load_dataset()(demo_dir)
    assert len(dataset.schools) == len(demo["schools"])
    assert dataset.teachers is not None and len(dataset.teachers) == len(demo["teachers"])


def test_synthetic_region_loads_with_load_dataset(tmp_path):
    load_dataset = _load_dataset()
    folder = generate_demo_data(tmp_path / "region", n_counties=12)
    dataset = load_dataset(folder)
    assert len(dataset.counties.codes) == 12


def test_the_demo_dates_inputs_by_the_catalogues_flows_and_stocks():
    from qyanalysis.contract.indicators import CUMULATIVE_FLOWS

    # every series the demo reports month by month or quarter by quarter is a cumulative flow of the catalogue
    assert set(IN_YEAR_FLOWS) <= CUMULATIVE_FLOWS
    # a flow reported once at the snapshot (e.g. studios selected so far) is cumulative to that month
    assert CUMULATIVE_FLOWS - set(IN_YEAR_FLOWS) - {"key_tasks_completed"} <= set(AT_SNAPSHOT)


def test_survey_covers_every_county_year_and_group(demo):
    survey = demo["survey"]
    assert survey.groupby(["county", "year"]).size().eq(6).all()
    assert (survey["satisfied"] <= survey["respondents"]).all()
    rate = survey[survey["year"] == 2022].groupby("county")[["satisfied", "respondents"]].sum()
    rate = rate["satisfied"] / rate["respondents"]
    assert rate["441802"] > 0.85 > rate["441826"]


def test_flags_are_written_as_yes_no_words(demo_dir):
    text = (demo_dir / "indicators.csv").read_text(encoding="utf-8")
    assert ",school_layout_planned,是," in text or ",school_layout_planned,否," in text
