"""Measures: pure functions from a Dataset to the tidy measure frame.

Each module (``equity``, ``quality``, ``staffing``, ``provision``,
``assessment``) exposes ``measures(dataset)``; :func:`compute_all` joins them,
and every function registered with :func:`measure`, with the figures supplied
directly in the ``indicators`` table (docs/design.md, "Measure frame").

A new computed indicator needs one function, registered by the decorator
(README, "Adding an indicator")::

    @measure("junior_dropout_rate")
    def junior_dropout_rate(dataset):
        ...  # → county_code, year, value (+ numerator, denominator, ci_low, ci_high, period, note)

The decorator may sit in any module of this package (every one is imported
before the frame is computed) or anywhere else at run time (a notebook, a test).
"""

from __future__ import annotations

import importlib
import pkgutil
import weakref
from collections.abc import Callable

import pandas as pd

from qyanalysis.contract import indicators as catalogue
from qyanalysis.dataset import Dataset
from qyanalysis.measures.coverage import require
from qyanalysis.measures.rates import (
    MEASURE_COLUMNS,
    as_measure_frame,
    concat_measure_frames,
    declared_intervals,
    empty_measure_frame,
)

MeasureFunction = Callable[[Dataset], pd.DataFrame]

KEY_COLUMNS = ["county_code", "year", "period", "indicator"]
INPUT_NOTE = "input"

# id(dataset) -> (weak reference to the dataset, its measure frame). A weak
# reference (not the dataset itself) keeps the cache from holding a dataset
# alive; the callback drops the entry when the dataset is collected, so a
# recycled id can never return another dataset's frame.
_CACHE: dict[int, tuple[weakref.ref, pd.DataFrame]] = {}
# The modules whose ``measures(dataset)`` make the computed frame, and the functions registered one
# indicator each (catalogue code -> function).
_MODULES = ("equity", "quality", "staffing", "provision", "assessment")
_REGISTERED: dict[str, MeasureFunction] = {}
_VERSION = [0]
# The columns a registered function may return (anything else is dropped by ``as_measure_frame``).
MEASURE_FUNCTION_COLUMNS = ("county_code", "year", "value", "period", "numerator", "denominator", "ci_low",
                            "ci_high", "note", "units_reporting", "units_expected", "units_missing")


def register_measure(code: str, function: MeasureFunction) -> MeasureFunction:
    """Make ``function`` the computation of catalogue indicator ``code`` (see :func:`measure`).

    Every cached measure frame is forgotten, so the next :func:`compute_all`
    includes the new indicator. Registering a function of the same module and
    name again replaces it (a notebook cell run a second time).

    Raises:
        KeyError: ``code`` is not in the indicator catalogue (register its entry first:
            ``qyanalysis.contract.indicators.register``).
        ValueError: The entry's origin is ``input`` (only the ``indicators`` table gives it), or
            another function (of another module or name) already computes ``code``.
    """
    if code not in catalogue.CATALOGUE:
        raise KeyError(f"indicator {code!r} is not in the catalogue; add its entry first")
    if catalogue.get(code).origin == "input":
        raise ValueError(f"indicator {code!r} has origin 'input': only the indicators table gives it")
    existing = _REGISTERED.get(code, function)
    if existing is not function and _name(existing) != _name(function):
        raise ValueError(f"indicator {code!r} is already computed by {existing.__qualname__}")
    if _REGISTERED.get(code) is not function:
        _REGISTERED[code] = function
        _VERSION[0] += 1
        clear_cache()
    return function


def _name(function: MeasureFunction) -> tuple[str, str]:
    """Where a function was defined: its module and qualified name."""
    return getattr(function, "__module__", ""), getattr(function, "__qualname__", repr(function))


def measure(code: str) -> Callable[[MeasureFunction], MeasureFunction]:
    """Decorator: ``function(dataset)`` computes indicator ``code`` for every county and year.

    The function returns one row per county × year (× period) with at least
    ``county_code``, ``year`` and ``value`` (fractions 0–1 for shares and rates),
    optionally ``numerator``, ``denominator``, ``ci_low``, ``ci_high``, ``period``
    and ``note`` (:data:`MEASURE_FUNCTION_COLUMNS`); rows whose value is NaN are dropped
    unless their note starts with ``not_applicable``, and an interval is kept only when
    the catalogue entry says ``interval=True``. It returns no row where its inputs are
    missing (the scorecard then says ``no_data``). The function is returned unchanged.
    """

    def decorate(function: MeasureFunction) -> MeasureFunction:
        return register_measure(code, function)

    return decorate


def unregister_measure(code: str) -> None:
    """Forget the function registered for ``code`` (and every cached measure frame).

    Raises:
        KeyError: No function is registered for ``code``.
    """
    del _REGISTERED[code]
    _VERSION[0] += 1
    clear_cache()


def version() -> tuple[int, int]:
    """Changes whenever an indicator or a measure function is added or removed at run time.

    For caches of results computed from the measure frame (e.g. a kernel-level memo):
    ``(catalogue version, measure functions version)``. A cache of scorecard results adds the
    target registry's (``qyanalysis.verdicts.targets.version()``; the page's memo key has both).
    """
    return catalogue.version(), _VERSION[0]


def registered_measures() -> dict[str, MeasureFunction]:
    """The registered functions, catalogue code → function (after importing every measures module)."""
    _import_modules()
    return dict(_REGISTERED)


def _import_modules() -> list:
    """Every module of this package, imported (so that the functions they register with :func:`measure` are
    known)."""
    return [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]


def _registered_frame(code: str, function: MeasureFunction, dataset: Dataset) -> pd.DataFrame:
    """The measure rows of one registered function, checked and typed."""
    rows = function(dataset)
    missing = [c for c in ("county_code", "year", "value") if c not in getattr(rows, "columns", ())]
    if missing:
        raise ValueError(f"the measure function {function.__qualname__} of {code!r} returned no {missing} "
                         "column(s); expected county_code, year, value (docs/design.md, measure frame)")
    return require(as_measure_frame(rows, code), f"the measure function {function.__qualname__} of {code!r}")


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
    out["units_missing"] = ""
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
    merged = merged.reindex(columns=list(MEASURE_COLUMNS))
    for column in ("units_missing", "note"):
        merged[column] = merged[column].astype("object").where(merged[column].notna(), "")
    return merged.astype({"county_code": "str", "year": "int64", "period": "str", "indicator": "str",
                          "value": "float64", "numerator": "float64", "denominator": "float64",
                          "ci_low": "float64", "ci_high": "float64", "note": "str", "units_missing": "str"})


def _compute(dataset: Dataset) -> pd.DataFrame:
    _import_modules()
    frames = [require(importlib.import_module(f"{__name__}.{name}").measures(dataset), f"{__name__}.{name}")
              for name in _MODULES]
    frames += [_registered_frame(code, function, dataset) for code, function in list(_REGISTERED.items())
               if code in catalogue.CATALOGUE]  # a function outliving its (removed) entry computes nothing
    return merge_measures(concat_measure_frames(frames), input_measures(dataset.indicators))


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
    ``assessment`` (the rest of the 优质均衡 assessment) measures, the
    indicators of every function registered with :func:`measure`, and every
    row of ``dataset.indicators``; a supplied value takes
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


def remember(dataset: Dataset, frame: pd.DataFrame) -> None:
    """Use ``frame`` as ``dataset``'s measure frame from now on (:func:`compute_all` returns it).

    For a frame :func:`compute_all` gave for the same data, settings and registrations in another
    process (a batch run's kernels share the one the runner computed:
    ``qyanalysis.report.page.measure_frame``).
    """
    key = id(dataset)
    _CACHE[key] = (weakref.ref(dataset, _forget(key)), frame)


def clear_cache() -> None:
    """Forget every cached measure frame (after a dataset was changed in place)."""
    _CACHE.clear()


__all__ = ["KEY_COLUMNS", "MEASURE_COLUMNS", "MEASURE_FUNCTION_COLUMNS", "clear_cache", "compute_all",
           "input_measures", "measure", "merge_measures", "register_measure", "registered_measures",
           "remember",
           "unregister_measure", "version"]
