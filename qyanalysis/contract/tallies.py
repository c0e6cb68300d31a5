"""Tallies: how many rows of each status fall in each group (targets by section or county, tasks by item).

A group with no row of a status counts 0 of it — the rows are the whole list
(every target of the scorecard, every task of the table), so a zero is known,
not missing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from qyanalysis.contract.statuses import TARGET_SCOPES, TARGET_STATUSES

__all__ = ["TARGET_SCOPES", "TARGET_STATUSES", "status_counts", "target_counts", "unit_counts"]


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



def target_counts(card: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Each unit's targets and their status counts: a county's own apart from the city's.

    The one rule of what a count of targets counts. A scorecard row is a
    target of the unit in its ``county_code``, of the scope its ``level``
    says: a county's targets are its ``level == "county"`` rows — its
    county-scope targets and its own row of a city-wide target (the quota the
    city set it, its reading of a city-wide rate); the city's targets are the
    ``level == "city"`` rows, counted under the city's code also where a
    county's page shows them beside the county's own. So a county page's
    scorecard (the city's rows and the county's) gives two rows — the
    county's, then the city's — and the every-unit scorecard one per county
    and one for the city; a county's count never includes a city row.

    Args:
        card: Scorecard rows (``county_code``, ``level``, ``status``) of one year.
        by: Further grouping columns of ``card`` (e.g. ``section`` or ``item``): the unit's
            targets of each group; groups without a target of the unit are not listed.

    Returns:
        One row per unit and scope (counties first, then the city; codes in
        sorted order), and per ``by`` group: ``county_code``, ``scope``
        (``county`` | ``city``), the ``by`` columns, one int64 column per
        :data:`TARGET_STATUSES` and ``total`` (every target of the unit,
        ``not_applicable`` ones included).

    Raises:
        ValueError: a row of another level or of a status not in :data:`TARGET_STATUSES`.
    """
    levels = set(card["level"].dropna().astype("str"))
    if levels - set(TARGET_SCOPES) or card["level"].isna().any():
        raise ValueError(f"unknown scorecard levels {sorted(levels - set(TARGET_SCOPES))}; "
                         f"expected {TARGET_SCOPES}")
    unknown = set(card["status"].astype("str")) - set(TARGET_STATUSES)
    if unknown:
        raise ValueError(f"unknown target statuses {sorted(unknown)}; expected {TARGET_STATUSES}")
    rows = pd.DataFrame({"county_code": card["county_code"].astype("str"), "scope": card["level"].astype("str"),
                         **{column: card[column] for column in by}, "status": card["status"].astype("str")})
    counts = status_counts(rows, ["county_code", "scope", *by], TARGET_STATUSES)
    order = counts["scope"].map({scope: n for n, scope in enumerate(TARGET_SCOPES)})
    counts = counts.assign(_order=order).sort_values(["_order", "county_code", *by], kind="stable")
    return counts.drop(columns="_order").reset_index(drop=True)


def unit_counts(counts: pd.DataFrame, code: str, scope: str) -> dict[str, int] | None:
    """The counts of one unit and scope from :func:`target_counts`: status → targets, then ``total``.

    None when the unit has no target of that scope (no row).
    """
    row = counts[(counts["county_code"] == str(code)) & (counts["scope"] == scope)]
    if row.empty:
        return None
    first = row.iloc[0]
    return {name: int(first[name]) for name in (*TARGET_STATUSES, "total")}
