"""Measures: pure functions from a Dataset to the tidy measure frame.

Each module (``equity``, ``quality``, ``staffing``, ``provision``) exposes
``measures(dataset)``; :func:`compute_all` joins them with the figures supplied
directly in the ``indicators`` table (docs/design.md, "Measure frame").
"""

from __future__ import annotations

import weakref

import pandas as pd

from qyanalysis.dataset import Dataset
from qyanalysis.measures.rates import (
    MEASURE_COLUMNS,
    concat_measure_frames,
    declared_intervals,
    empty_measure_frame,
)

KEY_COLUMNS = ["county_code", "year", "period", "indicator"]
INPUT_NOTE = "input"

# id(dataset) -> (weak reference to the dataset, its measure frame). A weak
# reference (not the dataset itself) keeps the cache from holding a dataset
# alive; the callback drops the entry when the dataset is collected, so a
# recycled id can never return another dataset's frame.
_CACHE: dict[int, tuple[weakref.ref, pd.DataFrame]] = {}


def input_measures(indicators: pd.DataFrame) -> pd.DataFrame:
    """The rows of the ``indicators`` table as a measure frame.

    Args:
        indicators: ``Dataset.indicators`` (``county_code, year, period,
            indicator, value, source``).

    Returns:
        One measure row per input row: ``value`` as given, no numerator,
        denominator or interval, ``note`` = ``"input"``.
    """
    if indicators is None or indicators.empty:
        return empty_measure_frame()
    out = pd.DataFrame({
        "county_code": indicators["county_code"].astype("str"),
        "year": indicators["year"].astype("int64"),
        "period": indicators["period"].fillna("").astype("str"),
        "indicator": indicators["indicator"].astype("str"),
        "value": indicators["value"].astype("float64"),
    })
    for col in ("numerator", "denominator", "ci_low", "ci_high", "units_reporting", "units_expected"):
        out[col] = float("nan")
    out["note"] = pd.Series(INPUT_NOTE, index=out.index, dtype="str")
    return out[list(MEASURE_COLUMNS)].reset_index(drop=True)


def _check_unique(frame: pd.DataFrame, what: str) -> None:
    """Raise ValueError naming the first duplicated (county, year, period, indicator) key."""
    duplicated = frame.duplicated(KEY_COLUMNS, keep=False)
    if duplicated.any():
        first = frame.loc[duplicated, KEY_COLUMNS].iloc[0].tolist()
        raise ValueError(f"{what} has {int(duplicated.sum())} rows with a duplicated key; first: {first}")


def merge_measures(computed: pd.DataFrame, inputs: pd.DataFrame) -> pd.DataFrame:
    """Join computed measures with supplied ones; a supplied value wins.

    A row of ``inputs`` replaces the computed row with the same
    ``(county_code, year, period, indicator)`` (docs/data-dictionary.md: any scorecard
    indicator may be supplied directly). Inputs keep their note ``"input"``.

    Args:
        computed: Measure frame from the measure modules.
        inputs: Measure frame of the indicators table (:func:`input_measures`).

    Returns:
        The measure frame sorted by county_code, year, period, indicator with
        the documented dtypes.

    Raises:
        ValueError: Two computed rows (or two input rows) share a key.
    """
    _check_unique(computed, "the computed measure frame")
    _check_unique(inputs, "the indicators table")
    supplied = pd.MultiIndex.from_frame(inputs[KEY_COLUMNS])
    overridden = pd.MultiIndex.from_frame(computed[KEY_COLUMNS]).isin(supplied)
    merged = declared_intervals(concat_measure_frames([computed.loc[~overridden], inputs]))
    return merged.astype({"county_code": "str", "year": "int64", "period": "str", "indicator": "str",
                          "value": "float64", "numerator": "float64", "denominator": "float64",
                          "ci_low": "float64", "ci_high": "float64", "note": "str"})


def _compute(dataset: Dataset) -> pd.DataFrame:
    from qyanalysis.measures import assessment, equity, provision, quality, staffing

    computed = concat_measure_frames([module.measures(dataset)
                                      for module in (equity, quality, staffing, provision, assessment)])
    return merge_measures(computed, input_measures(dataset.indicators))


def _forget(key: int):
    """Weak-reference callback: drop the cache entry of a collected dataset (only its own)."""

    def callback(ref: weakref.ref) -> None:
        entry = _CACHE.get(key)
        if entry is not None and entry[0] is ref:
            del _CACHE[key]

    return callback


def compute_all(dataset: Dataset) -> pd.DataFrame:
    """Every measure of every county and year, computed once per dataset.

    Concatenates ``equity``, ``quality``, ``staffing``, ``provision`` and
    ``assessment`` (the rest of the 优质均衡 assessment) measures and every row of ``dataset.indicators``; a supplied value takes
    precedence over a computed one for the same county, year, period and
    indicator (:func:`merge_measures`). The result is cached per dataset
    object (identity, not content): every notebook asks for it.

    Args:
        dataset: The validated dataset.

    Returns:
        The measure frame (docs/design.md), sorted by county_code, year,
        period, indicator. A shallow copy: changing it does not touch the cache
        (Copy-on-Write).
    """
    key = id(dataset)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is dataset:
        return hit[1].copy(deep=False)
    frame = _compute(dataset)
    _CACHE[key] = (weakref.ref(dataset, _forget(key)), frame)
    return frame.copy(deep=False)


def clear_cache() -> None:
    """Forget every cached measure frame (after a dataset was changed in place)."""
    _CACHE.clear()


__all__ = ["KEY_COLUMNS", "MEASURE_COLUMNS", "clear_cache", "compute_all", "input_measures", "merge_measures"]
