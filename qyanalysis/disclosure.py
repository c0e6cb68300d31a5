"""Statistical disclosure control: which cells may be shown in a shared report.

Reports are shared beyond the bureau, so any figure that describes very few
persons is hidden before a table or chart reaches a page (STYLE.md habit 10,
after OpenSAFELY's ``apply_sdc``). This module is the rule and only the rule:
it returns **masks** (which cells are small, which are hidden to protect them,
which rates rest on a small base) and formats nothing. The marks a reader sees
("<5", "[c]", "（基数小）") are written one floor up, by
:mod:`qyanalysis.present.suppression` (``apply_sdc``, ``suppress_counts``,
``safe_label``, ``format_rate``), which reads these masks.

Rules implemented (all thresholds are settings of this module):

* **Primary suppression.** A count ``n`` with ``0 < n < SUPPRESSION_THRESHOLD``
  (1–4 persons with the default 5) is shown as ``"<5"``. A zero is shown as
  ``"0"``: it describes nobody, so it cannot single anyone out, and zeros
  carry real information here (no dropouts, no school without a resource
  room). This is the convention of OMOP ``omopgenerics::suppress``
  (``0 < n < minCellCount``); OpenSAFELY's stricter ``<= 7`` rule, which also
  hides zeros, is meant for patient records where "nobody in this group has
  condition X" is itself sensitive, which aggregate school statistics are not.
* **Secondary (complementary) suppression.** A hidden cell must not be
  recoverable by subtraction from a margin. The margins are assumed known
  (they are usually published somewhere: a county's enrollment, the city
  total), so whenever a row of the table — or a column within a group of
  rows — holds exactly one hidden cell, the smallest other visible cell of
  that row or column is hidden too (the cheapest complement, ties broken by
  position). Rows and columns are revisited until every row and column has
  zero or at least two hidden cells. When a row has no cell left to hide, its
  total (``total_column``) is hidden instead. Complementary cells are shown as
  :data:`SECONDARY_MARK`, not ``"<5"``: they are usually not small and saying
  "<5" would be false.
* **Small denominators.** A rate on fewer than :data:`MIN_DENOMINATOR` persons
  is shown with a "small base" marker; a rate on fewer than
  ``SUPPRESSION_THRESHOLD`` persons, or whose numerator or denominator cell is
  hidden, is hidden as well (its counts could be recomputed from it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

SUPPRESSION_THRESHOLD = 5
"""Counts of 1 to ``SUPPRESSION_THRESHOLD - 1`` persons are never shown."""

MIN_DENOMINATOR = 30
"""A rate on fewer persons than this is flagged as resting on a small base."""

DEFAULT_FLAG_COLUMN = "is_small_base"


def threshold_of(threshold: int | None) -> int:
    """``threshold``, or the module setting read at call time (so reassigning it takes effect)."""
    return SUPPRESSION_THRESHOLD if threshold is None else threshold


def min_denominator_of(min_denominator: float | None) -> float:
    """``min_denominator``, or the module setting read at call time."""
    return MIN_DENOMINATOR if min_denominator is None else min_denominator


def is_small_count(counts: pd.Series) -> pd.Series:
    """True where a count of persons, rounded half to even, is 1 to ``SUPPRESSION_THRESHOLD − 1``.

    The threshold is read at call time.

    The one test of a count that is never shown: the pages' tables and the
    scorecard workbooks use it.
    """
    rounded = pd.to_numeric(counts, errors="coerce").round()
    return ((rounded > 0) & (rounded < SUPPRESSION_THRESHOLD)).fillna(False).astype(bool)


def small_count_mask(values: np.ndarray, threshold: int | None = None) -> np.ndarray:
    """True where a count describes 1 to ``threshold - 1`` persons (NaN is False)."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return (values > 0) & (values < threshold_of(threshold))


def _complement_rows(values: np.ndarray, hidden: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hide one more cell in every row holding exactly one hidden cell.

    Returns:
        The updated ``hidden`` mask and a boolean vector of rows that needed a
        complement but had no visible cell left.
    """
    lone = hidden.sum(axis=1) == 1
    if values.size == 0:
        return hidden, lone
    cost = np.where(hidden | np.isnan(values), np.inf, values)
    best = cost.argmin(axis=1)
    possible = np.isfinite(cost.min(axis=1))
    rows = np.flatnonzero(lone & possible)
    hidden = hidden.copy()
    hidden[rows, best[rows]] = True
    return hidden, lone & ~possible


def _complement_columns(values: np.ndarray, hidden: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Hide one more cell in every column (within a row group) holding exactly one hidden cell."""
    hidden = hidden.copy()
    for group in np.unique(groups):
        rows = np.flatnonzero(groups == group)
        sub, _ = _complement_rows(values[rows].T, hidden[rows].T)
        hidden[rows] = sub.T
    return hidden


def secondary_suppression_mask(
    values: np.ndarray,
    primary: np.ndarray,
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Complementary suppression so that no hidden cell is recoverable from a margin.

    Iterates row and column complements (see the module docstring) until
    stable; the loop ends because every pass hides at least one more cell.

    Args:
        values: Cell counts, rows × columns (NaN = missing, never chosen).
        primary: Cells hidden because they are small.
        groups: Row-group label per row; column margins are taken within each
            group (e.g. one group per year). None: one group.

    Returns:
        ``(hidden, orphan_rows)``: every hidden cell (primary or secondary), and
        the rows whose single hidden cell had no complement in the row (their
        row total must be hidden).
    """
    values = np.asarray(values, dtype=float)
    hidden = np.asarray(primary, dtype=bool).copy()
    groups = np.zeros(len(values), dtype=int) if groups is None else np.asarray(groups)
    orphan_rows = np.zeros(len(values), dtype=bool)
    while True:
        before = hidden.sum()
        hidden, orphans = _complement_rows(values, hidden)
        orphan_rows |= orphans
        hidden = _complement_columns(values, hidden, groups)
        if hidden.sum() == before:
            return hidden, orphan_rows & (hidden.sum(axis=1) == 1)


@dataclass(frozen=True)
class CountMasks:
    """Which count cells of a table may not be shown, and why.

    ``small`` and ``complement`` are rows × ``columns`` boolean arrays (a cell is
    never both: a small cell is ``small`` only); ``total_small`` and
    ``total_complement`` are per-row booleans for the row total (all False
    without a total column).
    """

    columns: tuple[str, ...]
    small: np.ndarray
    complement: np.ndarray
    total_small: np.ndarray
    total_complement: np.ndarray

    @property
    def hidden(self) -> np.ndarray:
        """Every hidden count cell (small or complementary)."""
        return self.small | self.complement


def count_masks(
    frame: pd.DataFrame,
    count_columns: Sequence[str],
    threshold: int | None = None,
    *,
    total_column: str | None = None,
    row_groups: str | Sequence[str] | None = None,
    secondary: bool = True,
) -> CountMasks:
    """The disclosure masks of a table's person counts.

    Primary rule: ``0 < n < threshold`` is small. Secondary rule
    (``secondary=True``): complementary cells are hidden so that no hidden cell
    equals a margin minus the visible cells — across ``count_columns`` within a
    row, and down each count column within each ``row_groups`` group. A row
    total in ``total_column`` is itself subject to the primary rule and is
    hidden when its row's hidden cell has no complement.

    Args:
        frame: The table as it would be shown, one row per category.
        count_columns: Columns holding counts of persons (the table's cells).
        threshold: :data:`SUPPRESSION_THRESHOLD` when None (read at call time).
        total_column: Column holding each row's total of ``count_columns``.
        row_groups: Column(s) whose values split the rows into separate tables
            for the column margins (e.g. ``"year"``). None: all rows form one
            table (the margin is the column sum).
        secondary: Apply complementary suppression (default True).
    """
    threshold = threshold_of(threshold)
    cells = tuple(count_columns)
    values = frame[list(cells)].to_numpy(dtype=float) if cells else np.empty((len(frame), 0))
    primary = small_count_mask(values, threshold)
    hidden = primary
    orphans = np.zeros(len(frame), dtype=bool)
    if secondary:
        if row_groups is None:
            groups = None
        else:
            keys = [row_groups] if isinstance(row_groups, str) else list(row_groups)
            groups = frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
        hidden, orphans = secondary_suppression_mask(values, primary, groups)
    if total_column is not None:
        total_small = small_count_mask(frame[total_column].to_numpy(dtype=float), threshold)
        total_complement = orphans & ~total_small
    else:
        total_small = total_complement = np.zeros(len(frame), dtype=bool)
    return CountMasks(cells, primary, hidden & ~primary, total_small, total_complement)


def small_base_mask(denominators: np.ndarray, min_denominator: float | None = None) -> np.ndarray:
    """True where a rate rests on a known base below ``min_denominator`` persons (NaN is False; strict)."""
    den = np.asarray(denominators, dtype=float)
    with np.errstate(invalid="ignore"):
        return ~np.isnan(den) & (den < min_denominator_of(min_denominator))


def flag_small_denominators(
    frame: pd.DataFrame,
    denominator_col: str,
    min_denominator: float | None = None,
    flag_column: str = DEFAULT_FLAG_COLUMN,
) -> pd.DataFrame:
    """Add a boolean column marking rates that rest on few persons.

    Flag = ``denominator < min_denominator`` (strict: a base of exactly 30 is
    not small). A missing denominator is not flagged — nothing is known about
    its size — so the flag is True only for a known small base.

    Args:
        frame: Table with a denominator column (persons).
        denominator_col: Name of that column.
        min_denominator: :data:`MIN_DENOMINATOR` when None (read at call time).
        flag_column: Name of the added column.

    Returns:
        A copy of ``frame`` with ``flag_column`` (numpy ``bool``).
    """
    out = frame.copy()
    out[flag_column] = small_base_mask(frame[denominator_col].to_numpy(dtype=float), min_denominator)
    return out


def hidden_rate_mask(denominators: np.ndarray, threshold: int | None = None) -> np.ndarray:
    """True where a rate rests on 1 to ``threshold - 1`` persons.

    Its numerator (rate × base) would reveal a small count.
    """
    return small_count_mask(denominators, threshold)


def rate_rows_hidden(masks: CountMasks, numerator_col: str | None = None,
                     denominator_col: str | None = None) -> np.ndarray:
    """Rows whose rate must be hidden because its numerator or denominator cell is hidden."""
    rows = np.zeros(len(masks.small), dtype=bool)
    for col in (numerator_col, denominator_col):
        if col is not None and col in masks.columns:
            rows |= masks.hidden[:, masks.columns.index(col)]
    return rows
