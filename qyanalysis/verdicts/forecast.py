"""Year-end forecasts of cumulative in-year counts (new seats, people trained, …).

Model — a random walk with drift on the cumulative count, i.e. a constant mean
monthly increment fitted by weighted least squares:

    d_i = c_i − c_{i−1}             increment between observations (c_0 = 0 at month 0)
    g_i = m_i − m_{i−1}             months the increment covers (m_0 = 0)
    d_i = μ·g_i + e_i,  Var(e_i) = σ²·g_i      (independent monthly increments)

WLS with weights 1/g_i gives μ̂ = Σd_i / Σg_i (statsmodels ``WLS``), σ̂² =
Σ (d_i − μ̂·g_i)² / g_i ÷ (n − 1) and Var(μ̂) = σ̂² / Σg_i. With h = 12 − m_n
months left, the year-end total and its prediction variance are

    Ĉ_12 = c_n + h·μ̂,       Var = h·σ̂² + h²·σ̂²/Σg_i

and the (1 − α) interval is Ĉ_12 ± t_{n−1, 1−α/2}·√Var, its lower end raised
to c_n (a cumulative count does not fall).

Assumptions and limits, stated honestly:

* increments are independent with a constant mean: no seasonality. School
  places open mostly in September, so a forecast made from January–June data
  understates the year-end figure of a seat programme; read it as "at the pace
  so far".
* n = 1 observation: the point is the pace extrapolated (c·12/m) and there is
  no interval (None / NaN) — one number says nothing about its own spread.
  n = 2: one degree of freedom, t_{1, 0.9} = 3.08, so the interval is wide.
* an observation at month 12 is the year-end value itself (no forecast).

Probability of meeting a target (``p_meet``). The predictive distribution of
the year-end total is Ĉ_12 + √Var·T with T ~ Student t(n − 1), so for a
threshold τ

    P(C_12 ≥ τ) = 1 − F_{n−1}((τ − Ĉ_12) / √Var)      (``>=``; ``<=`` is F_{n−1}(…))

with two exact cases: a cumulative count already at or above τ has met a
``>=`` target (P = 1) and has failed a ``<=`` target once above it (P = 0);
with √Var = 0 the probability is 1 or 0 by the point. With fewer than
:data:`MIN_POINTS_FOR_PROBABILITY` observations no probability is claimed
(NaN): one or two months say too little about the spread.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import stdtr, stdtrit  # Student's t: cdf(df, x) and quantile(df, p), as scipy.stats.t uses

MONTHS_PER_YEAR = 12

#: Fewest in-year observations from which a probability of meeting a target is given.
MIN_POINTS_FOR_PROBABILITY = 3


def _check_series(months: np.ndarray, cumulative: np.ndarray) -> None:
    if months.size == 0 or months.size != cumulative.size:
        raise ValueError("months and cumulative must be non-empty and of equal length")
    if not np.all(np.isfinite(cumulative)):
        raise ValueError("cumulative values must be finite (drop missing months first)")
    if np.any(months < 1) or np.any(months > MONTHS_PER_YEAR) or np.any(np.diff(months) <= 0):
        raise ValueError("months must be strictly increasing whole months 1–12")


def forecast_year_end(months: Sequence[int], cumulative: Sequence[float],
                      alpha: float = 0.2) -> tuple[float, float | None, float | None]:
    """Forecast the year-end value of a cumulative monthly count.

    See the module docstring for the model (WLS on monthly increments,
    statsmodels) and its assumptions.

    Args:
        months: Calendar months observed (1–12), strictly increasing.
        cumulative: Cumulative count from 1 January to the end of each month.
        alpha: 1 − coverage of the prediction interval (0.2 → 80 %).

    Returns:
        ``(point, low, high)``. ``low``/``high`` are None with a single
        observation. At month 12 the value itself is returned three times.

    Raises:
        ValueError: on empty, unequal, non-finite or unordered input.

    Example:
        >>> forecast_year_end([1, 2, 3], [100, 200, 300])
        (1200.0, 1200.0, 1200.0)
    """
    m = np.asarray(months, dtype="float64")
    c = np.asarray(cumulative, dtype="float64")
    _check_series(m, c)
    last_month, last_value = m[-1], c[-1]
    if last_month == MONTHS_PER_YEAR:
        return float(last_value), float(last_value), float(last_value)
    gaps = np.diff(m, prepend=0.0)
    increments = np.diff(c, prepend=0.0)
    horizon = MONTHS_PER_YEAR - last_month
    if m.size == 1:
        return float(last_value + horizon * increments[0] / gaps[0]), None, None
    from statsmodels.regression.linear_model import WLS  # imported when a single series is fitted (~2 s)

    fit = WLS(increments, gaps[:, None], weights=1.0 / gaps, hasconst=False).fit()
    drift, scale = float(fit.params[0]), float(fit.scale)
    point = float(last_value + horizon * drift)
    sd = np.sqrt(horizon * scale + horizon**2 * scale / gaps.sum())
    quantile = stdtrit(m.size - 1, 1 - alpha / 2)
    return point, float(max(point - quantile * sd, last_value)), float(point + quantile * sd)


def forecast_year_end_frame(frame: pd.DataFrame, by: Sequence[str], month: str = "month",
                            value: str = "value", alpha: float = 0.2) -> pd.DataFrame:
    """Grouped, vectorised :func:`forecast_year_end` (many counties × indicators at once).

    The same WLS estimates in closed form (μ̂ = Σd/Σg, σ̂² = Σ(d − μ̂g)²/g ÷ (n − 1))
    computed with group-bys, so thousands of series need no Python loop.

    Args:
        frame: One row per series × observed month.
        by: Columns identifying a series (e.g. ``["county_code", "indicator"]``).
        month: Column with the month number 1–12.
        value: Column with the cumulative count.
        alpha: 1 − coverage of the prediction interval.

    Returns:
        One row per series: the ``by`` columns, ``months_observed``,
        ``last_month``, ``last_value``, ``forecast``, ``forecast_low``,
        ``forecast_high`` (NaN interval for a single observation) and
        ``forecast_sd`` (√Var of the predictive distribution; NaN for a single
        observation, 0 at month 12).

    Raises:
        ValueError: a repeated month within a series, months outside 1–12 or
            non-finite values.
    """
    by = list(by)
    data = frame.loc[:, [*by, month, value]].sort_values([*by, month], kind="stable")
    months = data[month].astype("float64")
    values = data[value].astype("float64")
    if not np.all(np.isfinite(values)) or ((months < 1) | (months > MONTHS_PER_YEAR)).any():
        raise ValueError("cumulative values must be finite and months within 1–12")
    if data.duplicated([*by, month]).any():
        raise ValueError("a series has the same month twice")
    grouped = data.groupby(by, sort=False, dropna=False)
    first = grouped.cumcount() == 0
    gaps = months.diff().where(~first, months)
    increments = values.diff().where(~first, values)
    work = data.loc[:, by].assign(_g=gaps, _d=increments, _m=months, _c=values)
    sums = work.groupby(by, sort=False, dropna=False)
    out = sums.agg(months_observed=("_g", "size"), sum_g=("_g", "sum"), sum_d=("_d", "sum"),
                   last_month=("_m", "last"), last_value=("_c", "last")).reset_index()
    per_series = out.assign(_mu=out["sum_d"] / out["sum_g"])[[*by, "_mu"]]
    drift = work[by].merge(per_series, on=by, how="left")["_mu"]
    work["_r2"] = (work["_d"] - drift.to_numpy() * work["_g"]) ** 2 / work["_g"]
    ssr = work.groupby(by, sort=False, dropna=False)["_r2"].sum().reset_index(drop=True)
    n = out["months_observed"].astype("float64")
    df = n - 1
    scale = (ssr / df.where(df > 0)).to_numpy()
    mu = (out["sum_d"] / out["sum_g"]).to_numpy()
    horizon = (MONTHS_PER_YEAR - out["last_month"]).to_numpy()
    point = out["last_value"].to_numpy() + horizon * mu
    sd = np.sqrt(horizon * scale + horizon**2 * scale / out["sum_g"].to_numpy())
    quantile = stdtrit(df.where(df > 0).to_numpy(), 1 - alpha / 2)
    out["forecast"] = point
    out["forecast_low"] = np.maximum(point - quantile * sd, out["last_value"].to_numpy())
    out["forecast_high"] = point + quantile * sd
    out["forecast_sd"] = sd
    at_year_end = out["last_month"] == MONTHS_PER_YEAR
    for column in ("forecast", "forecast_low", "forecast_high"):
        out.loc[at_year_end, column] = out.loc[at_year_end, "last_value"]
    out.loc[at_year_end, "forecast_sd"] = 0.0
    out["months_observed"] = out["months_observed"].astype("int64")
    out["last_month"] = out["last_month"].astype("int64")
    return out.drop(columns=["sum_g", "sum_d"])


def probability_of_meeting(point, sd, months_observed, last_value, comparator, threshold) -> np.ndarray:
    """P(year-end value meets the target) under the forecast's predictive t distribution (vectorised).

    See the module docstring: ``>=``/``>`` → 1 − F_{n−1}((τ − Ĉ)/sd),
    ``<=``/``<`` → F_{n−1}((τ − Ĉ)/sd); exact 1 (``>=``) or 0 (``<=``) when
    the cumulative count already reached τ; 1 or 0 by the point when sd = 0;
    NaN with fewer than :data:`MIN_POINTS_FOR_PROBABILITY` observations or a
    comparator other than these four.

    Args:
        point: Forecast year-end values Ĉ.
        sd: Predictive standard deviations √Var.
        months_observed: Observations n per series (df = n − 1).
        last_value: Cumulative count already reached.
        comparator: ``>=``, ``>``, ``<=`` or ``<`` per series.
        threshold: Target τ per series.

    Returns:
        Probabilities in [0, 1] (float array, NaN where none is claimed).

    Example:
        Ĉ = 1200, sd = 100, n = 4 (df 3), τ = 1100, ``>=``:
        1 − F_3(−1) = F_3(1) = 0.8045.
    """
    c = np.asarray(point, dtype="float64")
    s = np.asarray(sd, dtype="float64")
    n = np.asarray(months_observed, dtype="float64")
    reached = np.asarray(last_value, dtype="float64")
    t = np.asarray(threshold, dtype="float64")
    comp = np.asarray(comparator, dtype="object")
    upper = np.isin(comp, [">=", ">"])
    lower = np.isin(comp, ["<=", "<"])
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (t - c) / s
        cdf = stdtr(np.where(n > 1, n - 1, np.nan), z)
    by_point = np.where(upper, c >= t, c <= t).astype("float64")
    p = np.where(s > 0, np.where(upper, 1.0 - cdf, cdf), by_point)
    p = np.where(n >= MIN_POINTS_FOR_PROBABILITY, p, np.nan)
    p = np.where(upper & (reached >= t), 1.0, p)
    p = np.where(lower & (reached > t), 0.0, p)
    p = np.where(upper | lower, p, np.nan)
    return np.where(np.isnan(t) | np.isnan(c), np.nan, p)
