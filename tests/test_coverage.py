"""Coverage by construction (qyanalysis.measures.coverage): every measure row says how complete its inputs are.

Hand-made frames for the helper; the demo data, with single cells blanked, for the findings it closes.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import qyanalysis as qy
from qyanalysis.measures import compute_all
from qyanalysis.measures.coverage import combine, missing_text, require, tally, whole
from qyanalysis.measures.equity import school_balance_table

NAN = float("nan")


def test_tally_counts_units_expected_reporting_and_names_the_missing():
    frame = pd.DataFrame({"county_code": ["A", "A", "A", "B"], "year": [2022] * 4,
                          "school_id": ["s1", "s2", "s3", "s4"], "cases": [3.0, NAN, 1.0, NAN]})
    out = tally(frame, ["county_code", "year"], frame["cases"].notna())
    # A: s1 and s3 report, s2 does not (2 of 3); B: its only school does not (0 of 1) — a group still appears
    assert out.to_dict("records") == [
        {"county_code": "A", "year": 2022, "units_reporting": 2.0, "units_expected": 3.0, "units_missing": "s2"},
        {"county_code": "B", "year": 2022, "units_reporting": 0.0, "units_expected": 1.0, "units_missing": "s4"},
    ]


def test_missing_text_names_five_then_how_many_more():
    assert missing_text(["a", "b"]) == "a b"
    assert missing_text([f"s{i}" for i in range(8)]) == "s0 s1 s2 s3 s4 +3"


def test_combine_takes_the_less_complete_side_and_whole_is_one_of_one():
    left = pd.DataFrame({"units_reporting": [35.0, 10.0, NAN], "units_expected": [35.0, 20.0, NAN],
                         "units_missing": ["", "x", ""]})
    right = pd.DataFrame({"units_reporting": [34.0, 19.0, 4.0], "units_expected": [35.0, 20.0, 5.0],
                          "units_missing": ["s9", "y", "z"]})
    out = combine(left, right)
    # 34/35 < 35/35; 10/20 < 19/20; no coverage (NaN) counts as complete, so 4/5 is the lower
    assert out["units_reporting"].tolist() == [34.0, 10.0, 4.0]
    assert out["units_missing"].tolist() == ["s9", "x", "z"]
    assert whole(pd.DataFrame({"value": [1.0]}))[["units_reporting", "units_expected"]].iloc[0].tolist() == [1, 1]


def test_require_names_the_rows_without_coverage_and_lets_inputs_pass():
    rows = pd.DataFrame({"indicator": ["a", "b", "c"], "note": ["", "input", ""],
                         "units_expected": [3.0, NAN, NAN]})
    with pytest.raises(ValueError, match="without coverage for c"):
        require(rows, "here")
    assert require(rows.iloc[:2], "here") is not None


def test_every_computed_row_of_the_demo_carries_its_coverage(demo):
    frame = compute_all(demo)
    computed = frame[frame["note"] != "input"]
    assert computed["units_expected"].notna().all()
    assert (computed["units_reporting"] <= computed["units_expected"]).all()


def _blanked(dataset, rows: pd.Series, column: str):
    schools = dataset.schools.copy()
    schools.loc[rows, column] = np.nan
    return replace(dataset, schools=schools)


def _row(card: pd.DataFrame, target: str, county: str) -> pd.Series:
    return card[(card["target_id"] == target) & (card["county_code"] == county)].iloc[0]


def test_finding_1_schools_left_unjudged_give_no_data_not_a_share_of_the_rest(demo):
    """连南 (441826): blanking sports_area_m2 of the schools whose parts fail made the share of the rest
    (then 10/10) met; full data 10/32. The counts are taken from the demo's own table."""
    table = school_balance_table(demo, "441826", 2022)
    failing = set(table.loc[table["passes"].eq(False).fillna(False), "school_id"])
    kept = int((~table["school_id"].isin(failing)).sum())
    assert failing and kept
    rows = demo.schools["school_id"].isin(failing) & (demo.schools["year"] == 2022)
    blanked = _blanked(demo, rows, "sports_area_m2")
    card = qy.scorecard(blanked, "441826", 2022)
    row = _row(card, "t08_balance_schools_passing_share", "441826")
    assert row["status"] == "no_data"
    assert row["coverage"].startswith(f"{kept} of {len(table)} schools; missing: ")
    cv = card[card["indicator"] == "balance_cv_sports_area_per_student_primary"].iloc[0]
    assert cv["status"] == "no_data" and " of " in cv["coverage"]
    readiness = qy.equity.readiness(blanked, "441826", 2022)
    assert set(readiness.loc[readiness["indicator"] == "balance_schools_passing_share", "status"]) == {"no_data"}


def test_finding_1_one_school_without_classes_gives_no_data_for_the_class_size_count(demo):
    """阳山 (441823): one school's classes blanked made the over-class-size count 0, met."""
    from qyanalysis.measures.equity import school_size_table

    schools = demo.schools
    school = schools.loc[(schools["county_code"] == "441823") & (schools["year"] == 2022)
                         & (schools["level"] == "primary"), "school_id"].iloc[0]
    sizes = school_size_table(schools[(schools["county_code"] == "441823") & (schools["year"] == 2022)])
    judged = int(sizes["is_over_class_size"].notna().sum())
    rows = (schools["school_id"] == school) & (schools["year"] == 2022)
    card = qy.scorecard(_blanked(demo, rows, "classes"), "441823", 2022)
    row = _row(card, "t08_schools_over_class_size_count", "441823")
    assert row["status"] in ("no_data", "not_met")  # not_met only if the rest already exceed the limit
    if row["status"] == "no_data":
        assert row["coverage"] == f"{judged - 1} of {judged} schools; missing: {school}"


def test_finding_2_a_change_over_34_and_35_schools_is_no_data(demo):
    """连山 (441825): one 2022 primary school without its myopia count; the change was a final not_met."""
    schools = demo.schools
    school = schools.loc[(schools["county_code"] == "441825") & (schools["year"] == 2022)
                         & (schools["level"] == "primary"), "school_id"].iloc[0]
    rows = (schools["school_id"] == school) & (schools["year"] == 2022)
    every = qy.scorecard(_blanked(demo, rows, "myopia_cases"), None, 2022)
    county = _row(every, "t13_myopia_rate_change", "441825")
    from qyanalysis import settings

    screened = int(((schools["county_code"] == "441825") & (schools["year"] == 2022)
                    & schools["level"].isin(settings.MYOPIA_LEVELS)).sum())
    assert county["status"] == "no_data"
    assert county["coverage"] == f"{screened - 1} of {screened} schools; missing: {school}"
    city = every[(every["target_id"] == "t13_myopia_rate_change") & (every["level"] == "city")].iloc[0]
    assert city["status"] == "no_data" and city["coverage"] == "7 of 8 counties; missing: 441825"


def test_pages_show_what_an_incomplete_value_covers(demo):
    """The scorecard's coverage reaches the page tables (targets and readiness) in the reader's words."""
    from qyanalysis.contract.plan import SECTIONS
    from qyanalysis.report.page import Page
    from qyanalysis.report.tables import balance_readiness, common

    schools = demo.schools
    school = schools.loc[(schools["county_code"] == "441825") & (schools["year"] == 2022)
                         & (schools["level"] == "primary"), "school_id"].iloc[0]
    blanked = _blanked(demo, (schools["school_id"] == school) & (schools["year"] == 2022), "sports_area_m2")
    targets = common.section_targets(Page(blanked, "441825", 2022, "zh", SECTIONS[1]))
    assert "coverage_text" in targets.attrs["qy"].columns
    passing = targets[targets["indicator"] == "balance_schools_passing_share"].iloc[0]
    assert passing["status"] == "no_data" and passing["coverage_text"].startswith("应报 ")
    assert school in passing["coverage_text"]
    ready = balance_readiness.readiness(Page(blanked, "441825", 2022, "en"))
    row = ready[ready["indicator"] == "balance_schools_passing_share"].iloc[0]
    assert row["coverage_text"].endswith(f"(missing: {school})") and "coverage_text" in ready.attrs["qy"].columns
    complete = common.section_targets(Page(demo, "441825", 2022, "zh", SECTIONS[1]))
    assert "coverage_text" not in complete.attrs["qy"].columns  # no empty column when every value is complete
