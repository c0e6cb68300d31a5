"""Rates from counts: confidence intervals, pooled rates, the measure frame.

Shared by every measure module. Rates are pooled from counts (Σ numerator ÷
Σ denominator), never averaged from school rates, so a county's rate weighs
each pupil equally. Intervals:

* Wilson score interval — E. B. Wilson (1927), "Probable inference, the law of
  succession, and statistical inference", JASA 22:209–212. Good coverage even
  for rates near 0 such as a 0.5 % dropout rate, unlike the Wald interval.
* Clopper–Pearson exact interval — C. J. Clopper, E. S. Pearson (1934),
  Biometrika 26:404–413 (beta quantiles; conservative).
* Newcombe's hybrid score interval for a difference of two independent
  proportions — R. G. Newcombe (1998), "Interval estimation for the difference
  between independent proportions: comparison of eleven methods", Statistics
  in Medicine 17:873–890, method 10.

Censuses count every pupil; the intervals describe the uncertainty of the
underlying rate (a pupil's risk), which is what a year-to-year comparison needs.
Which indicators carry one is declared once, by the ``interval`` flag of the
indicator catalogue (``qyanalysis.contract.indicators``): rates over persons
only; :func:`declared_intervals` blanks every other interval of a measure frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
import pandas as pd

from qyanalysis.contract.indicators import has_interval
from qyanalysis.measures.coverage import tally

MEASURE_COLUMNS: tuple[str, ...] = (
    "county_code", "year", "period", "indicator", "value",
    "numerator", "denominator", "ci_low", "ci_high", "note",
    "units_reporting", "units_expected", "units_missing",
)
_FLOAT_COLUMNS = ("value", "numerator", "denominator", "ci_low", "ci_high", "units_reporting", "units_expected")


def _z(confidence: float) -> float:
    """Two-sided standard-normal quantile, e.g. 1.959964 for 0.95."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def _as_float_arrays(successes, trials) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(successes, dtype="float64")
    n = np.asarray(trials, dtype="float64")
    return np.broadcast_arrays(x, n)


def _wrap(values: np.ndarray, like) -> np.ndarray | pd.Series | float:
    """Return ``values`` shaped like the input: Series (same index), array or float."""
    if isinstance(like, pd.Series):
        return pd.Series(values, index=like.index, dtype="float64")
    if np.ndim(values) == 0:
        return float(values)
    return values


def wilson_interval(successes, trials, confidence: float = 0.95):
    """Wilson score interval for a proportion x ÷ n, vectorised.

    With p̂ = x/n and z the two-sided normal quantile (1.959964 at 95 %)::

        centre    = (p̂ + z²/(2n)) / (1 + z²/n)
        half      = z / (1 + z²/n) · sqrt(p̂(1 − p̂)/n + z²/(4n²))
        low, high = centre − half, centre + half   (clipped to [0, 1])

    Source: Wilson (1927), JASA 22:209–212.

    Args:
        successes: Count(s) x (scalars, arrays or Series; may be fractional,
            e.g. apportioned dropouts).
        trials: Count(s) n, broadcast against ``successes``.
        confidence: Coverage, 0.95 by default.

    Returns:
        ``(low, high)`` as fractions, same shape as the input (a Series keeps
        the index of ``successes``, or of ``trials`` when only it is a Series).
        NaN where n is missing or <= 0, x is missing, or x lies outside [0, n].
    """
    z = _z(confidence)
    x, n = _as_float_arrays(successes, trials)
    valid = (n > 0) & (x >= 0) & (x <= n)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        z2n = z * z / n
        centre = (p + z2n / 2) / (1 + z2n)
        half = z / (1 + z2n) * np.sqrt(p * (1 - p) / n + z2n / (4 * n))
    # At x = 0 (x = n) the bound is exactly 0 (1); say so instead of trusting rounding.
    low = np.where(valid, np.where(x == 0, 0.0, np.clip(centre - half, 0.0, 1.0)), np.nan)
    high = np.where(valid, np.where(x == n, 1.0, np.clip(centre + half, 0.0, 1.0)), np.nan)
    like = successes if isinstance(successes, pd.Series) else trials
    return _wrap(low, like), _wrap(high, like)


def clopper_pearson_interval(successes, trials, confidence: float = 0.95):
    """Exact (Clopper–Pearson) interval for a proportion x ÷ n, vectorised.

    With α = 1 − confidence and B⁻¹(q; a, b) the beta quantile::

        low  = B⁻¹(α/2; x, n − x + 1)        (0 when x = 0)
        high = B⁻¹(1 − α/2; x + 1, n − x)    (1 when x = n)

    Source: Clopper & Pearson (1934), Biometrika 26:404–413. Use it for very
    small counts where an exact, conservative interval is wanted; x must be a
    whole number.

    Args:
        successes: Whole count(s) x.
        trials: Count(s) n.
        confidence: Coverage, 0.95 by default.

    Returns:
        ``(low, high)``, shaped like the input; NaN where n <= 0 or x is
        missing or outside [0, n].
    """
    from scipy.special import betaincinv  # scipy comes with statsmodels

    alpha = 1 - confidence
    _z(confidence)  # validates the level
    x, n = _as_float_arrays(successes, trials)
    valid = (n > 0) & (x >= 0) & (x <= n)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(x > 0, betaincinv(x, n - x + 1, alpha / 2), 0.0)
        high = np.where(x < n, betaincinv(x + 1, n - x, 1 - alpha / 2), 1.0)
    like = successes if isinstance(successes, pd.Series) else trials
    return _wrap(np.where(valid, low, np.nan), like), _wrap(np.where(valid, high, np.nan), like)


def newcombe_difference_interval(x1, n1, x0, n0, confidence: float = 0.95):
    """Newcombe's hybrid score interval for p1 − p0 (independent samples).

    With (l1, u1) and (l0, u0) the Wilson intervals of p1 = x1/n1 and
    p0 = x0/n0 and d = p1 − p0::

        low  = d − sqrt((p1 − l1)² + (u0 − p0)²)
        high = d + sqrt((u1 − p1)² + (p0 − l0)²)

    Source: Newcombe (1998), Statistics in Medicine 17:873–890, method 10.
    Treating two census years as independent samples is an approximation (the
    same pupils are partly screened twice); the interval is then conservative.

    Args:
        x1, n1: This year's cases and trials.
        x0, n0: The comparison (previous) year's cases and trials.
        confidence: Coverage, 0.95 by default.

    Returns:
        ``(low, high)`` of the difference in fraction points, NaN where either
        Wilson interval is undefined.
    """
    l1, u1 = wilson_interval(np.asarray(x1, "float64"), np.asarray(n1, "float64"), confidence)
    l0, u0 = wilson_interval(np.asarray(x0, "float64"), np.asarray(n0, "float64"), confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1 = np.asarray(x1, "float64") / np.asarray(n1, "float64")
        p0 = np.asarray(x0, "float64") / np.asarray(n0, "float64")
    d = p1 - p0
    low = d - np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = d + np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    like = x1 if isinstance(x1, pd.Series) else n1
    return _wrap(np.asarray(low), like), _wrap(np.asarray(high), like)


def _as_list(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def pooled_rate(
    frame: pd.DataFrame,
    numerator_col: str,
    denominator_col: str,
    by: str | Sequence[str],
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Pool a rate from counts by group: Σ numerator ÷ Σ denominator, Wilson CI.

    Only rows where both counts are present are pooled (pairwise complete),
    so a school that reports its enrollment but not its dropouts does not dilute
    the rate. Groups without any complete row are absent (no data, never 0).

    Args:
        frame: One row per unit (school, teacher, …).
        numerator_col: Column of the numerator counts.
        denominator_col: Column of the denominator counts.
        by: Grouping column(s), e.g. ``["county_code", "year"]``. Rows with a
            missing key are left out.
        confidence: Coverage of the Wilson interval.

    Returns:
        One row per group: the ``by`` columns, then ``numerator``,
        ``denominator``, ``units_reporting`` (rows with both counts),
        ``units_expected`` (rows of the group), ``value`` (= numerator ÷
        denominator, NaN when the denominator is 0), ``ci_low``, ``ci_high`` (Wilson).
    """
    return with_rate(_pooled_sums(frame, numerator_col, denominator_col, by), confidence)


def _pooled_sums(frame: pd.DataFrame, numerator_col: str, denominator_col: str, by) -> pd.DataFrame:
    """Σ numerator and Σ denominator by group over pairwise-complete rows, with their coverage.

    ``units_reporting`` counts the group's rows that carry both counts and
    ``units_expected`` every row of the group, so a county whose schools
    report only in part is seen to be partial (the scorecard's ``coverage``).
    """
    keys = _as_list(by)
    complete = frame[numerator_col].notna() & frame[denominator_col].notna()
    data = frame.loc[:, [*keys, numerator_col, denominator_col]]
    data.loc[~complete, [numerator_col, denominator_col]] = np.nan
    sums = (
        data.groupby(keys, observed=True, sort=True)
        .agg(numerator=(numerator_col, "sum"), denominator=(denominator_col, "sum"))
        .reset_index()
        .astype({"numerator": "float64", "denominator": "float64"})
        .merge(tally(frame, keys, complete), on=keys, how="left", validate="1:1")
    )
    return sums[sums["units_reporting"] > 0].reset_index(drop=True)


def pooled_ratio(
    frame: pd.DataFrame,
    numerator_col: str,
    denominator_col: str,
    by: str | Sequence[str],
    scale: float = 1.0,
) -> pd.DataFrame:
    """Pool a ratio that is not a proportion (pupils per teacher, per 100 pupils).

    value = scale × Σ numerator ÷ Σ denominator over pairwise-complete rows;
    no interval (the Wilson interval is for proportions only).

    Args:
        frame: One row per unit.
        numerator_col: Column summed into ``numerator``.
        denominator_col: Column summed into ``denominator``.
        by: Grouping column(s); rows with a missing key are left out.
        scale: Multiplier, e.g. 100 for "per 100 pupils".

    Returns:
        The ``by`` columns, ``numerator``, ``denominator``, ``value`` (NaN
        when the denominator is 0); groups without a complete row are absent.
    """
    out = _pooled_sums(frame, numerator_col, denominator_col, by)
    out["value"] = scale * out["numerator"] / out["denominator"].where(out["denominator"] > 0)
    return out


def with_rate(frame: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Add ``value``, ``ci_low``, ``ci_high`` to a frame of summed counts.

    Args:
        frame: Has float ``numerator`` and ``denominator`` columns.
        confidence: Coverage of the Wilson interval.

    Returns:
        A copy with ``value`` = numerator ÷ denominator (NaN when the
        denominator is 0 or missing) and the Wilson interval.
    """
    out = frame.copy()
    numerator = out["numerator"].astype("float64")
    denominator = out["denominator"].astype("float64")
    out["numerator"], out["denominator"] = numerator, denominator
    out["value"] = numerator / denominator.where(denominator > 0)
    out["ci_low"], out["ci_high"] = wilson_interval(numerator, denominator, confidence)
    return out


def indicator_columns(indicators: pd.DataFrame | None, codes: Sequence[str]) -> pd.DataFrame:
    """Indicator inputs side by side: one row per county × year × period.

    Args:
        indicators: The dataset's ``indicators`` table (long: one row per
            county × year × period × indicator), or None.
        codes: Indicator codes wanted as columns.

    Returns:
        ``county_code, year, period`` and one float column per code, only for
        keys where ALL codes are supplied (a ratio needs both of its inputs);
        empty when any code is absent.
    """
    keys = ["county_code", "year", "period"]
    if indicators is None or not len(indicators):
        return pd.DataFrame(columns=[*keys, *codes])
    rows = indicators.loc[indicators["indicator"].isin(codes) & indicators["value"].notna()]
    wide = rows.pivot_table(index=keys, columns="indicator", values="value", aggfunc="first", observed=True)
    if not set(codes) <= set(wide.columns):
        return pd.DataFrame(columns=[*keys, *codes])
    wide = wide[list(codes)].dropna().reset_index()
    wide.columns.name = None
    return wide


def round_difference(values):
    """Round a difference of two rates to 12 decimals.

    Rates come from counts, so a change of exactly −0.005 (e.g. 0.525 − 0.530)
    must compare as −0.005 against a "<= −0.005" target; binary floating point
    gives −0.0050000000000000044 or −0.0049999999999999996 depending on the
    operands. Twelve decimals is far below any meaningful difference of rates.
    """
    return np.round(values, 12)


def declared_intervals(frame: pd.DataFrame) -> pd.DataFrame:
    """The measure frame with ``ci_low``/``ci_high`` blanked (NaN) where the catalogue declares no interval.

    Only indicators flagged ``interval`` in ``qyanalysis.contract.indicators``
    (rates over persons) keep an interval; counts of institutions
    (``resource_room_coverage``: schools), yes/no indicators and
    administrative shares (``temporary_teacher_ratio``,
    ``teacher_rotation_rate`` …) carry none (``INTERVAL_RULE``).
    """
    if frame.empty or not {"indicator", "ci_low", "ci_high"} <= set(frame.columns):
        return frame
    codes = frame["indicator"].astype("str")
    keep = codes.map({code: has_interval(code) for code in codes.unique()}).astype(bool)
    if keep.all():
        return frame
    out = frame.copy()
    out.loc[~keep, ["ci_low", "ci_high"]] = np.nan
    return out


def empty_measure_frame() -> pd.DataFrame:
    """A measure frame with no rows and the documented dtypes (docs/design.md)."""
    return as_measure_frame(pd.DataFrame(columns=["county_code", "year", "value"]), "")


def as_measure_frame(frame: pd.DataFrame, indicator: str, note: str = "") -> pd.DataFrame:
    """Format rows of one indicator as a measure frame (docs/design.md).

    Args:
        frame: Has ``county_code``, ``year``, ``value`` and any of
            ``period``, ``numerator``, ``denominator``, ``ci_low``, ``ci_high``,
            ``note``; missing optional columns become NaN / "".
        indicator: The catalogue code written in the ``indicator`` column.
        note: Note for rows that do not carry their own.

    Returns:
        Exactly the columns of ``MEASURE_COLUMNS`` with their dtypes; rows
        whose value is NaN are dropped unless their note says why
        (``not_applicable…``), because missing inputs mean an absent measure.
    """
    index = frame.index

    def text(column: str, missing: str, fill: bool = True) -> pd.Series:
        """``column`` as text (its missing cells ``missing`` when ``fill``), else ``missing`` throughout."""
        if column not in frame:
            return pd.Series(missing, index=index, dtype="str")
        return (frame[column].fillna(missing) if fill else frame[column]).astype("str")

    intervals = has_interval(indicator)
    columns = {"county_code": frame["county_code"].astype("str"), "year": frame["year"].astype("int64"),
               "period": text("period", "", fill=False), "indicator": pd.Series(indicator, index=index, dtype="str"),
               "note": text("note", note), "units_missing": text("units_missing", "")}
    for col in _FLOAT_COLUMNS:  # no interval where the catalogue declares none (declared_intervals)
        given = col in frame and (intervals or col not in ("ci_low", "ci_high"))
        columns[col] = frame[col].astype("float64") if given else pd.Series(np.nan, index=index, dtype="float64")
    out = pd.DataFrame({col: columns[col].array for col in MEASURE_COLUMNS}, index=index)  # no alignment
    keep = out["value"].notna() | out["note"].str.startswith("not_applicable")
    return (out if keep.all() else out.loc[keep]).reset_index(drop=True)


def concat_measure_frames(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate measure frames, sorted by county, year, period, indicator."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_measure_frame()
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["county_code", "year", "period", "indicator"], ignore_index=True)
