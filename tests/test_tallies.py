"""Status tallies (qyanalysis.measures.tallies) on hand-made rows; the counts of targets everywhere they show."""

from __future__ import annotations

import pandas as pd
import pytest

from qyanalysis.measures.tallies import TARGET_STATUSES, status_counts, target_counts, unit_counts

STATUSES = ("met", "not_met", "no_data")


def test_status_counts_per_group_with_totals_in_the_given_order():
    rows = pd.DataFrame({"section": [2, 2, 2, 5, 5], "status": ["met", "not_met", "met", "no_data", "at_risk"]})
    counts = status_counts(rows, "section", STATUSES).set_index("section")
    # Section 2: 2 met + 1 not met = 3; section 5: 1 no data (at_risk is not counted) = 1.
    assert counts.columns.tolist() == [*STATUSES, "total"]
    assert counts.loc[2].tolist() == [2, 1, 0, 3] and counts.loc[5].tolist() == [0, 0, 1, 1]


def test_listed_groups_without_rows_count_zero():
    rows = pd.DataFrame({"item": [3], "status": ["met"]})
    counts = status_counts(rows, "item", STATUSES, groups=[1, 2, 3])
    assert counts["item"].tolist() == [1, 2, 3]
    assert counts["total"].tolist() == [0, 0, 1] and counts["met"].dtype == "int64"


def test_two_grouping_columns_and_no_rows():
    rows = pd.DataFrame({"county_code": ["1", "1", "2"], "county_name": ["A", "A", "B"],
                         "status": ["met", "no_data", "met"]})
    counts = status_counts(rows, ["county_code", "county_name"], STATUSES)
    assert counts[["county_name", "met", "no_data", "total"]].to_numpy().tolist() == [["A", 1, 1, 2], ["B", 1, 0, 1]]
    empty = status_counts(rows.iloc[0:0], "county_code", STATUSES)
    assert empty.empty and empty.columns.tolist() == ["county_code", *STATUSES, "total"]


# --- the targets of a unit: one count everywhere (issue 17, finding 9) --------------------------------

def _card(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Hand-made scorecard rows: (county_code, level, status)."""
    return pd.DataFrame(rows, columns=["county_code", "level", "status"]).assign(scope="county")


def test_target_counts_count_a_county_page_s_own_rows_apart_from_the_city_s():
    # A county page: its 3 own rows (one its quota of a city-wide target) and the city's 2 rows.
    card = _card([("441800", "city", "at_risk"), ("441802", "county", "at_risk"), ("441802", "county", "met"),
                  ("441800", "city", "met"), ("441802", "county", "not_applicable")])
    card.loc[1, "scope"] = "city"  # the county's part of a city-wide target is the county's own
    counts = target_counts(card)
    assert counts[["county_code", "scope"]].to_numpy().tolist() == [["441802", "county"], ["441800", "city"]]
    assert counts.columns.tolist() == ["county_code", "scope", *TARGET_STATUSES, "total"]
    # County: 1 met + 1 at risk + 1 not applicable = 3 targets; city: 1 met + 1 at risk = 2.
    assert unit_counts(counts, "441802", "county") == {"met": 1, "on_track": 0, "at_risk": 1, "not_met": 0,
                                                       "no_data": 0, "not_applicable": 1, "total": 3}
    assert unit_counts(counts, "441800", "city")["total"] == 2
    assert unit_counts(counts, "441800", "county") is None


def test_target_counts_of_every_county_and_the_city_and_by_a_further_column():
    card = _card([("2", "county", "met"), ("1", "county", "not_met"), ("9", "city", "no_data"),
                  ("1", "county", "met")]).assign(section=[2, 2, 5, 5])
    counts = target_counts(card)
    assert counts[["county_code", "scope", "total"]].to_numpy().tolist() == [
        ["1", "county", 2], ["2", "county", 1], ["9", "city", 1]]
    by_section = target_counts(card, by=("section",))
    assert by_section[["county_code", "section", "met", "not_met"]].to_numpy().tolist() == [
        ["1", 2, 0, 1], ["1", 5, 1, 0], ["2", 2, 1, 0], ["9", 5, 0, 0]]


def test_target_counts_refuse_unknown_levels_and_statuses():
    with pytest.raises(ValueError, match="levels"):
        target_counts(_card([("1", "school", "met")]))
    with pytest.raises(ValueError, match="statuses"):
        target_counts(_card([("1", "county", "done")]))
    empty = target_counts(_card([]))
    assert empty.empty and "total" in empty.columns
