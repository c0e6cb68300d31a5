"""Status tallies (qyanalysis.measures.tallies) on hand-made rows."""

from __future__ import annotations

import pandas as pd

from qyanalysis.measures.tallies import status_counts

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
