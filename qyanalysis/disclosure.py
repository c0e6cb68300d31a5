"""Statistical disclosure control: what may be shown in a shared report.

Reports are shared beyond the bureau, so any figure that describes very few
persons is hidden before a table or chart reaches a page (STYLE.md habit 10,
after OpenSAFELY's ``apply_sdc``). Notebooks call :func:`apply_sdc` on every
table they show and :func:`safe_label` for chart labels.

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

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

# The pages' one number format (thousands separators, "85.3 %"): the strings made here are shown as they are.
from qyanalysis.present.numbers import format_number, format_value

SUPPRESSION_THRESHOLD = 5
"""Counts of 1 to ``SUPPRESSION_THRESHOLD - 1`` persons are never shown."""

MIN_DENOMINATOR = 30
"""A rate on fewer persons than this is flagged as resting on a small base."""

SECONDARY_MARK = "[c]"
"""Display string of a cell hidden only to protect another (complementary) cell."""

MISSING_MARK = ""
"""Display string of a missing value (NaN)."""

SMALL_BASE_MARKERS = {"zh": "（基数小）", "en": " (small base)"}
"""Marker appended to a rate resting on a small base, per report language."""

DEFAULT_FLAG_COLUMN = "is_small_base"


def _threshold(threshold: int | None) -> int:
    """``threshold``, or the module setting read at call time (so reassigning it takes effect)."""
    return SUPPRESSION_THRESHOLD if threshold is None else threshold


def _min_denominator(min_denominator: float | None) -> float:
    """``min_denominator``, or the module setting read at call time."""
    return MIN_DENOMINATOR if min_denominator is None else min_denominator


def small_count_label(threshold: int | None = None) -> str:
    """Display string of a primary-suppressed count, e.g. ``"<5"``."""
    return f"<{_threshold(threshold)}"


def is_small_count(counts: pd.Series) -> pd.Series:
    """True where a count of persons, rounded half to even, is 1 to ``SUPPRESSION_THRESHOLD − 1``.

    The threshold is read at call time.

    The one test of a count that is never shown: the pages' tables and the
    scorecard workbooks use it.
    """
    rounded = pd.to_numeric(counts, errors="coerce").round()
    return ((rounded > 0) & (rounded < SUPPRESSION_THRESHOLD)).fillna(False).astype(bool)


def _is_primary(values: np.ndarray, threshold: int) -> np.ndarray:
    """True where a count describes 1 to ``threshold - 1`` persons (NaN is False)."""
    with np.errstate(invalid="ignore"):
        return (values > 0) & (values < threshold)


def _format_count(value: float) -> str:
    """A count as display text in the pages' count format ("1,234"), NaN as MISSING_MARK."""
    value = float(value)
    if math.isnan(value):
        return MISSING_MARK
    return format_number(value, "count")


def safe_label(count: float, threshold: int | None = None) -> str:
    """A count ready for a chart label: ``"<5"`` for 1–4 persons, else the number.

    Args:
        count: Number of persons (NaN for missing).
        threshold: Counts ``0 < count < threshold`` are hidden.

    Returns:
        ``"<5"`` (for the default threshold), the count as text, or
        :data:`MISSING_MARK` for a missing value.
    """
    if count is None or pd.isna(count):
        return MISSING_MARK
    if 0 < float(count) < _threshold(threshold):
        return small_count_label(threshold)
    return _format_count(float(count))


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


def suppress_counts(
    frame: pd.DataFrame,
    count_columns: Sequence[str],
    threshold: int | None = None,
    *,
    total_column: str | None = None,
    row_groups: str | Sequence[str] | None = None,
    secondary: bool = True,
) -> pd.DataFrame:
    """Replace person counts by display strings with small counts hidden.

    Primary rule: ``0 < n < threshold`` is shown as ``"<5"``. Secondary rule
    (``secondary=True``): complementary cells are hidden (shown as
    :data:`SECONDARY_MARK`) so that no hidden cell equals a margin minus the
    visible cells — across ``count_columns`` within a row, and down each count
    column within each ``row_groups`` group. A row total in ``total_column`` is
    itself subject to the primary rule and is hidden when its row's hidden cell
    has no complement.

    Args:
        frame: The table as it would be shown, one row per category.
        count_columns: Columns holding counts of persons (the table's cells).
        threshold: :data:`SUPPRESSION_THRESHOLD` when None (read at call time).
        total_column: Column holding each row's total of ``count_columns``.
        row_groups: Column(s) whose values split the rows into separate tables
            for the column margins (e.g. ``"year"``). None: all rows form one
            table (the margin is the column sum).
        secondary: Apply complementary suppression (default True).

    Returns:
        A copy of ``frame`` where ``count_columns`` (and ``total_column``) are
        ``str`` display columns; other columns are unchanged.
    """
    threshold = _threshold(threshold)
    cells = list(count_columns)
    values = frame[cells].to_numpy(dtype=float) if cells else np.empty((len(frame), 0))
    hidden = _is_primary(values, threshold)
    orphans = np.zeros(len(frame), dtype=bool)
    if secondary:
        if row_groups is None:
            groups = None
        else:
            keys = [row_groups] if isinstance(row_groups, str) else list(row_groups)
            groups = frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
        hidden, orphans = secondary_suppression_mask(values, hidden, groups)
    primary = _is_primary(values, threshold)
    out = frame.copy()
    small = small_count_label(threshold)
    for j, col in enumerate(cells):
        text = [_format_count(v) for v in values[:, j]]
        shown = np.where(primary[:, j], small, np.where(hidden[:, j], SECONDARY_MARK, text))
        out[col] = pd.Series(shown, index=frame.index, dtype="str")
    if total_column is not None:
        totals = frame[total_column].to_numpy(dtype=float)
        text = np.array([_format_count(v) for v in totals], dtype=object)
        text = np.where(orphans, SECONDARY_MARK, text)
        text = np.where(_is_primary(totals, threshold), small, text)
        out[total_column] = pd.Series(text, index=frame.index, dtype="str")
    return out


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
    den = frame[denominator_col].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        out[flag_column] = ~np.isnan(den) & (den < _min_denominator(min_denominator))
    return out


def format_rate(
    value: float,
    denominator: float = np.nan,
    *,
    min_denominator: float | None = None,
    threshold: int | None = None,
    lang: str = "zh",
) -> str:
    """A fraction as a percentage, marked when its base is small.

    ``0.8534`` on 1,000 persons → ``"85.3 %"`` (the pages' share format,
    :func:`qyanalysis.present.numbers.format_value`); on 20 persons →
    ``"85.0 %（基数小）"`` (``"85.0 % (small base)"`` in English). A rate on
    fewer than ``threshold`` persons is hidden as :data:`SECONDARY_MARK`
    (numerator = rate × denominator would reveal a count below the threshold).

    Args:
        value: The rate as a fraction 0–1 (NaN for missing).
        denominator: Persons the rate rests on; NaN when unknown (no marker).
        min_denominator: Bases below this are marked as small.
        threshold: Bases of 1 to ``threshold - 1`` persons are hidden.
        lang: "zh" or "en" — the marker's language (:data:`SMALL_BASE_MARKERS`).

    Returns:
        The display string; :data:`MISSING_MARK` for a missing value.
    """
    if value is None or pd.isna(value):
        return MISSING_MARK
    den = np.nan if denominator is None or pd.isna(denominator) else float(denominator)
    if 0 < den < _threshold(threshold):
        return SECONDARY_MARK
    text = format_value(float(value), "share", lang)
    if den < _min_denominator(min_denominator):  # False for NaN
        text += SMALL_BASE_MARKERS[lang]
    return text


def apply_sdc(
    frame: pd.DataFrame,
    count_columns: Sequence[str] = (),
    rate_columns: Sequence[str] = (),
    *,
    numerator_col: str | None = None,
    denominator_col: str | None = None,
    threshold: int | None = None,
    min_denominator: float | None = None,
    total_column: str | None = None,
    row_groups: str | Sequence[str] | None = None,
    secondary: bool = True,
    lang: str = "zh",
) -> pd.DataFrame:
    """Make a table safe to show: the one call notebooks use before display.

    Counts are suppressed (:func:`suppress_counts`, primary and secondary);
    rates are formatted (:func:`format_rate`) against ``denominator_col``, and
    a rate is hidden when its numerator or denominator cell is hidden (the
    count could be recomputed from rate × denominator).

    Args:
        frame: The table to show (numbers, not strings).
        count_columns: Person counts (include numerator/denominator columns
            that are shown).
        rate_columns: Fractions 0–1 to show as percentages.
        numerator_col: Count column each rate was computed from, if any.
        denominator_col: Column of persons each rate rests on, if any.
        threshold: :data:`SUPPRESSION_THRESHOLD` when None (read at call time).
        min_denominator: :data:`MIN_DENOMINATOR` when None (read at call time).
        total_column: Row total of ``count_columns``, if shown.
        row_groups: Column(s) splitting rows into separate tables.
        secondary: Apply complementary suppression.
        lang: "zh" or "en".

    Returns:
        A copy of ``frame`` whose count, total and rate columns are display
        strings; every other column is unchanged.
    """
    threshold = _threshold(threshold)
    out = suppress_counts(frame, count_columns, threshold, total_column=total_column,
                          row_groups=row_groups, secondary=secondary)
    hidden_marks = {small_count_label(threshold), SECONDARY_MARK}
    hidden_rows = np.zeros(len(frame), dtype=bool)
    for col in (numerator_col, denominator_col):
        if col is not None and col in count_columns:
            hidden_rows |= out[col].isin(hidden_marks).to_numpy()
    denominators = (frame[denominator_col].to_numpy(dtype=float) if denominator_col is not None
                    else np.full(len(frame), np.nan))
    for col in rate_columns:
        rates = frame[col].to_numpy(dtype=float)
        text = [format_rate(r, d, min_denominator=min_denominator, threshold=threshold, lang=lang)
                for r, d in zip(rates, denominators)]
        text = np.where(hidden_rows & ~np.isnan(rates), SECONDARY_MARK, np.array(text, dtype=object))
        out[col] = pd.Series(text, index=frame.index, dtype="str")
    return out
