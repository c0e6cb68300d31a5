"""Tallies: how many rows of each status fall in each group (targets by section or county, tasks by item).

A group with no row of a status counts 0 of it — the rows are the whole list
(every target of the scorecard, every task of the table), so a zero is known,
not missing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def status_counts(rows: pd.DataFrame, by: str | Sequence[str], statuses: Sequence[str],
                  groups: Sequence | None = None) -> pd.DataFrame:
    """Number of rows of each status per group, and their ``total``.

    Args:
        rows: Rows with the ``by`` column(s) and ``status``.
        by: Grouping column (or columns).
        statuses: The statuses counted, in column order; rows of other statuses
            count in no column and not in ``total``.
        groups: Every group to list, in order (one ``by`` column only): a group
            without rows gets zeros. None = the groups present, in sorted order.

    Returns:
        One row per group: the ``by`` column(s), one int64 column per status, ``total``.
    """
    keys = [by] if isinstance(by, str) else list(by)
    counted = rows[rows["status"].isin(list(statuses))]
    counts = pd.crosstab([counted[k] for k in keys], counted["status"]) if not counted.empty else None
    if counts is None:
        index = pd.MultiIndex.from_tuples([], names=keys) if len(keys) > 1 else pd.Index([], name=keys[0])
        counts = pd.DataFrame(index=index)
    counts = counts.reindex(columns=list(statuses), fill_value=0)
    if groups is not None:
        if len(keys) != 1:
            raise ValueError("groups= lists the groups of a single grouping column")
        counts = counts.reindex(pd.Index(list(groups), name=keys[0]), fill_value=0)
    counts = counts.fillna(0).astype("int64")
    counts["total"] = counts.sum(axis=1)
    counts.columns.name = None
    return counts.reset_index()
