"""The marks of disclosure control as a reader sees them: "<5", "[c]", "（基数小）".

:mod:`qyanalysis.disclosure` decides which cells may not be shown (masks, on the
floor below); this module writes them in the pages' one number format
(:mod:`qyanalysis.present.numbers`). Notebooks call :func:`apply_sdc` on a table
they show and :func:`safe_label` for a chart label. The thresholds stay
settings of :mod:`qyanalysis.disclosure` (read at call time).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from qyanalysis import disclosure
from qyanalysis.present.numbers import format_number, format_value

SECONDARY_MARK = "[c]"
"""Display string of a cell hidden only to protect another (complementary) cell."""

MISSING_MARK = ""
"""Display string of a missing value (NaN)."""

SMALL_BASE_MARKERS = {"zh": "（基数小）", "en": " (small base)"}
"""Marker appended to a rate resting on a small base, per report language."""


def small_count_label(threshold: int | None = None) -> str:
    """Display string of a primary-suppressed count, e.g. ``"<5"``."""
    return f"<{disclosure.threshold_of(threshold)}"


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
    if disclosure.small_count_mask(np.array([float(count)]), threshold)[0]:
        return small_count_label(threshold)
    return _format_count(float(count))


def suppress_counts(frame: pd.DataFrame, count_columns: Sequence[str], threshold: int | None = None,
                    **options: Any) -> pd.DataFrame:
    """Replace person counts by display strings with small counts hidden.

    The cells hidden are :func:`qyanalysis.disclosure.count_masks`' (same
    arguments: ``total_column``, ``row_groups``, ``secondary``): a small count
    is shown as ``"<5"``, a complementary cell (and a row total hidden for lack
    of a complement) as :data:`SECONDARY_MARK`.

    Returns:
        A copy of ``frame`` where ``count_columns`` (and ``total_column``) are
        ``str`` display columns; other columns are unchanged.
    """
    masks = disclosure.count_masks(frame, count_columns, threshold, **options)
    total_column = options.get("total_column")
    out = frame.copy()
    small = small_count_label(threshold)
    for j, col in enumerate(masks.columns):
        values = frame[col].to_numpy(dtype=float)
        text = np.array([_format_count(v) for v in values], dtype=object)
        shown = np.where(masks.small[:, j], small, np.where(masks.complement[:, j], SECONDARY_MARK, text))
        out[col] = pd.Series(shown, index=frame.index, dtype="str")
    if total_column is not None:
        totals = frame[total_column].to_numpy(dtype=float)
        text = np.array([_format_count(v) for v in totals], dtype=object)
        text = np.where(masks.total_complement, SECONDARY_MARK, text)
        text = np.where(masks.total_small, small, text)
        out[total_column] = pd.Series(text, index=frame.index, dtype="str")
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
    (:func:`qyanalysis.disclosure.hidden_rate_mask`).

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
    den = np.array([np.nan if denominator is None or pd.isna(denominator) else float(denominator)])
    if disclosure.hidden_rate_mask(den, threshold)[0]:
        return SECONDARY_MARK
    text = format_value(float(value), "share", lang)
    if disclosure.small_base_mask(den, min_denominator)[0]:
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
    a rate is hidden when its numerator or denominator cell is hidden
    (:func:`qyanalysis.disclosure.rate_rows_hidden`).

    Args:
        frame: The table to show (numbers, not strings).
        count_columns: Person counts (include numerator/denominator columns
            that are shown).
        rate_columns: Fractions 0–1 to show as percentages.
        numerator_col: Count column each rate was computed from, if any.
        denominator_col: Column of persons each rate rests on, if any.
        threshold: ``disclosure.SUPPRESSION_THRESHOLD`` when None (read at call time).
        min_denominator: ``disclosure.MIN_DENOMINATOR`` when None (read at call time).
        total_column: Row total of ``count_columns``, if shown.
        row_groups: Column(s) splitting rows into separate tables.
        secondary: Apply complementary suppression.
        lang: "zh" or "en".

    Returns:
        A copy of ``frame`` whose count, total and rate columns are display
        strings; every other column is unchanged.
    """
    threshold = disclosure.threshold_of(threshold)
    out = suppress_counts(frame, count_columns, threshold, total_column=total_column,
                          row_groups=row_groups, secondary=secondary)
    masks = disclosure.count_masks(frame, count_columns, threshold, total_column=total_column,
                                   row_groups=row_groups, secondary=secondary)
    hidden_rows = disclosure.rate_rows_hidden(masks, numerator_col, denominator_col)
    denominators = (frame[denominator_col].to_numpy(dtype=float) if denominator_col is not None
                    else np.full(len(frame), np.nan))
    for col in rate_columns:
        rates = frame[col].to_numpy(dtype=float)
        text = [format_rate(r, d, min_denominator=min_denominator, threshold=threshold, lang=lang)
                for r, d in zip(rates, denominators)]
        text = np.where(hidden_rows & ~np.isnan(rates), SECONDARY_MARK, np.array(text, dtype=object))
        out[col] = pd.Series(text, index=frame.index, dtype="str")
    return out
