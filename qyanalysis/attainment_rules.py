"""Values behind the scorecard: measure-frame lookup, city aggregation and the plan's special rules.

Every function here is pure and vectorised (group-bys and merges keyed on
``county_code × indicator``), so a region of thousands of counties is scored
without a per-county loop. ``qyanalysis.attainment`` turns these values into
statuses.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from qyanalysis import settings
from qyanalysis.contract import indicators
from qyanalysis.forecast import forecast_year_end_frame

TOLERANCE = 1e-9  # float tolerance of every comparison (absolute, relative above 1)

KEY = ["county_code", "indicator"]
MEASURE_COLUMNS = ("county_code", "year", "period", "indicator", "value", "numerator", "denominator",
                   "ci_low", "ci_high", "note")
CARRIED = ["value", "period", "numerator", "denominator", "ci_low", "ci_high", "note"]
NOT_APPLICABLE = "not_applicable"
_MONTH = r"^\d{4}-(\d{2})$"
_QUARTER = r"^\d{4}-Q([1-4])$"


def unit_of(codes: pd.Series) -> pd.Series:
    """The catalogue unit of each indicator code (``<NA>`` for unknown codes)."""
    units = {code: entry.unit for code, entry in indicators.CATALOGUE.items()}
    return codes.map(units).astype("str")


def period_month(period: pd.Series) -> pd.Series:
    """Month a period ends on: 0 for annual (""), 1–12 for YYYY-MM, 3·n for YYYY-Qn, NaN otherwise."""
    month = pd.to_numeric(period.str.extract(_MONTH, expand=False), errors="coerce")
    quarter = pd.to_numeric(period.str.extract(_QUARTER, expand=False), errors="coerce") * 3
    annual = pd.Series(np.where(period == "", 0.0, np.nan), index=period.index)
    return month.fillna(quarter).fillna(annual)


def prepare_measures(measure_frame: pd.DataFrame, unit_codes: Sequence[str],
                     years: Sequence[int]) -> pd.DataFrame:
    """Restrict a measure frame to the units and years scored and make it regular.

    Missing optional columns are added (NaN / ""), ``period`` and ``note`` get
    "" for missing, rows without a value and without a note are dropped (they
    say nothing), and a duplicated (county, year, period, indicator) keeps its
    last row. Adds ``month`` (see :func:`period_month`; rows with an unknown
    period are dropped).
    """
    frame = measure_frame.loc[measure_frame["county_code"].astype("str").isin([str(c) for c in unit_codes])
                              & measure_frame["year"].isin(list(years))].copy()
    for column in MEASURE_COLUMNS:
        if column not in frame:
            frame[column] = "" if column in ("period", "note") else np.nan
    frame = frame.loc[:, list(MEASURE_COLUMNS)]
    frame["county_code"] = frame["county_code"].astype("str")
    frame["indicator"] = frame["indicator"].astype("str")
    frame["year"] = frame["year"].astype("int64")
    for column in ("period", "note"):
        frame[column] = frame[column].astype("object").where(frame[column].notna(), "").astype("str")
    for column in ("value", "numerator", "denominator", "ci_low", "ci_high"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame = frame[frame["value"].notna() | (frame["note"] != "")]
    frame = frame.drop_duplicates(["county_code", "year", "period", "indicator"], keep="last")
    frame["month"] = period_month(frame["period"])
    return frame[frame["month"].notna()].reset_index(drop=True)


def aggregate_city(county_rows: pd.DataFrame, city_code: str, n_counties: int) -> pd.DataFrame:
    """City values built from county values (design.md, "City aggregation").

    Counts are summed over the counties that have a value; shares, rates and
    ratios are pooled as Σnumerator ÷ Σdenominator when every contributing row
    carries both, else they are not aggregated (value NaN, note says why).
    In-year periods are kept only when every county reporting the indicator in
    that year reports that month.

    Args:
        county_rows: Prepared measure rows of the counties.
        city_code: Code given to the aggregated rows.
        n_counties: Number of counties scored (for the coverage note).

    Returns:
        Rows in the prepared measure-frame layout, ``county_code = city_code``.
    """
    rows = county_rows[county_rows["value"].notna()].copy()
    rows["_is_count"] = unit_of(rows["indicator"]) == "count"
    rows["_has_parts"] = rows["numerator"].notna() & rows["denominator"].notna()
    keys = ["indicator", "year", "period", "month"]
    agg = rows.groupby(keys, sort=False).agg(
        value=("value", "sum"), counties=("value", "size"), is_count=("_is_count", "first"),
        parts=("_has_parts", "sum"), numerator=("numerator", "sum"), denominator=("denominator", "sum"),
    ).reset_index()
    # In-year (cumulative) periods: keep only months reported by every county
    # that reports the indicator that year, so a partial sum never enters a forecast.
    in_year = ~agg["month"].isin([0, 12])
    reporting = rows[~rows["month"].isin([0, 12])].groupby(["indicator", "year"])["county_code"].nunique()
    full = agg.set_index(["indicator", "year"]).index.map(reporting).to_numpy(dtype="float64")
    agg = agg[~in_year | (agg["counties"].to_numpy() == full)].reset_index(drop=True)
    pooled = (~agg["is_count"]) & (agg["parts"] == agg["counties"]) & (agg["denominator"] > 0)
    coverage = agg["counties"].astype("str") + f" of {n_counties} counties"
    agg["note"] = np.select(
        [agg["is_count"], pooled],
        ["city: sum of " + coverage, "city: pooled numerator/denominator of " + coverage],
        default="city: not aggregated (a share without numerator and denominator)",
    )
    agg["value"] = np.where(agg["is_count"], agg["value"],
                            np.where(pooled, agg["numerator"] / agg["denominator"].where(pooled), np.nan))
    agg.loc[agg["is_count"], ["numerator", "denominator"]] = np.nan
    agg.loc[~agg["is_count"] & ~pooled, ["numerator", "denominator"]] = np.nan
    agg["county_code"] = str(city_code)
    agg["ci_low"] = np.nan
    agg["ci_high"] = np.nan
    return agg.loc[:, [*MEASURE_COLUMNS, "month"]]


def unit_values(prepared: pd.DataFrame, county_codes: Sequence[str], city_code: str | None) -> pd.DataFrame:
    """County rows plus city rows; a value given under the city code wins over the aggregate.

    Adds ``origin`` ∈ {``county``, ``city_aggregate``, ``city_input``}.
    """
    counties = prepared[prepared["county_code"].isin(list(county_codes))].assign(origin="county")
    parts = [counties]
    if city_code is not None:
        aggregated = aggregate_city(counties, city_code, len(county_codes)).assign(origin="city_aggregate")
        given = prepared[prepared["county_code"] == str(city_code)].assign(origin="city_input")
        parts += [aggregated, given]
    values = pd.concat(parts, ignore_index=True)
    return values.drop_duplicates(["county_code", "year", "period", "indicator"], keep="last")


def _year_end(values: pd.DataFrame, year: int) -> pd.DataFrame:
    """Year-end rows (annual, else month 12) of ``year``, one per county × indicator."""
    rows = values[(values["year"] == year) & values["month"].isin([0, 12])]
    return rows.sort_values([*KEY, "month"], kind="stable").drop_duplicates(KEY, keep="first")


def current_values(values: pd.DataFrame, year: int, alpha: float = 0.2) -> pd.DataFrame:
    """The value of each county × indicator in ``year``, with an in-year forecast where needed.

    An annual (or month-12) value is the year-end value. Otherwise the latest
    in-year row is used: for counts (cumulative) the year-end is forecast with
    :func:`qyanalysis.forecast.forecast_year_end_frame` from every month of the
    year; for other units the latest value is carried forward as the forecast
    (no interval).

    Returns:
        ``county_code, indicator`` + :data:`CARRIED` + ``origin, in_year,
        forecast, forecast_low, forecast_high``.
    """
    this_year = values[values["year"] == year].copy()
    this_year["_rank"] = np.where(this_year["month"] == 0, -1.0,
                                  np.where(this_year["month"] == 12, 0.0, 100.0 - this_year["month"]))
    chosen = this_year.sort_values([*KEY, "_rank"], kind="stable").drop_duplicates(KEY, keep="first")
    chosen = chosen.assign(in_year=chosen["_rank"] > 0)
    series = this_year.merge(chosen.loc[chosen["in_year"], KEY], on=KEY, how="inner")
    series = series[(series["month"] > 0) & series["value"].notna()]
    counts = series[unit_of(series["indicator"]) == "count"]
    forecast_columns = ["forecast", "forecast_low", "forecast_high"]
    if counts.empty:
        chosen = chosen.assign(**{c: np.nan for c in forecast_columns})
    else:
        fc = forecast_year_end_frame(counts, KEY, month="month", value="value", alpha=alpha)
        chosen = chosen.merge(fc[[*KEY, *forecast_columns]], on=KEY, how="left", validate="1:1")
    carried = chosen["in_year"] & chosen["forecast"].isna()
    chosen.loc[carried, "forecast"] = chosen.loc[carried, "value"]
    return chosen.loc[:, [*KEY, *CARRIED, "origin", "in_year", "forecast", "forecast_low", "forecast_high"]]


def previous_values(values: pd.DataFrame, year: int) -> pd.DataFrame:
    """Year-end value of each county × indicator in ``year − 1`` (column ``previous_value``)."""
    rows = _year_end(values, year - 1)
    return rows.loc[:, [*KEY, "value"]].rename(columns={"value": "previous_value"})


def change_base(code: str) -> tuple[str, str]:
    """Base indicator and kind of change for a ``change_vs_previous`` target.

    ``purchased_seats_change`` → (``purchased_seats``, ``relative``) since its
    unit is ``change``; ``myopia_rate_change`` → (``myopia_rate``,
    ``difference``) since its unit is ``pp``; a level indicator (e.g.
    ``kindergarten_teacher_certified_share``) is its own base, ``difference``.
    """
    base = code.removesuffix("_change")
    if base != code and base in indicators.CATALOGUE:
        return base, "relative" if indicators.get(code).unit == "change" else "difference"
    return code, "difference"


def change_values(values: pd.DataFrame, year: int, codes: Sequence[str]) -> pd.DataFrame:
    """Change against the previous year for the ``change_vs_previous`` indicators ``codes``.

    value = base(year) − base(year − 1) (``difference``) or
    (base(year) − base(year − 1)) ÷ base(year − 1) (``relative``, NaN when the
    base was 0); a ``*_change`` value supplied in the measure frame wins.
    Year-end values only. ``previous_value`` is base(year − 1).
    """
    spec = pd.DataFrame([(c, *change_base(c)) for c in dict.fromkeys(codes)],
                        columns=["indicator", "base", "kind"])
    now = _year_end(values, year).rename(columns={"indicator": "base"})
    before = previous_values(values, year).rename(columns={"indicator": "base"})
    levels = spec.merge(now[["county_code", "base", "value", "period", "note", "origin"]], on="base")
    levels = levels.merge(before, on=["county_code", "base"], how="left")
    delta = levels["value"] - levels["previous_value"]
    levels["value"] = np.where(levels["kind"] == "relative",
                               delta / levels["previous_value"].where(levels["previous_value"] != 0), delta)
    missing_previous = levels["previous_value"].isna() & levels["note"].eq("")
    levels.loc[missing_previous, "note"] = f"no year-end value for {year - 1}"
    direct = _year_end(values, year)
    direct = direct[direct["indicator"].isin(spec.loc[spec["base"] != spec["indicator"], "indicator"])]
    direct = direct.merge(spec, on="indicator").merge(before, on=["county_code", "base"], how="left")
    cols = [*KEY, "value", "previous_value", "period", "note", "origin"]
    merged = pd.concat([levels[cols], direct[cols]], ignore_index=True)
    return merged.drop_duplicates(KEY, keep="last").reset_index(drop=True)


def temporary_ratio_base(temporary: pd.Series, established: pd.Series,
                         denominator: str | None = None) -> pd.Series:
    """Denominator D of the item-27 ratio.

    ``denominator`` (default: ``settings.TEMPORARY_RATIO_DENOMINATOR``, read at
    call time; docs/methods.md, “Item 27” — the province's choice is unconfirmed):
    ``established_plus_temporary`` → D = E + T; ``established`` → D = E.
    """
    choice = settings.TEMPORARY_RATIO_DENOMINATOR if denominator is None else denominator
    if choice not in settings.TEMPORARY_RATIO_DENOMINATORS:
        raise ValueError(f"temporary-ratio denominator {choice!r} not one of "
                         f"{settings.TEMPORARY_RATIO_DENOMINATORS}")
    return established + temporary if choice == "established_plus_temporary" else established


def item27_values(values: pd.DataFrame, year: int, denominator: str | None = None) -> pd.DataFrame:
    """Plan item 27 per unit: the cut achieved and the part above the 5 % line.

    With T, E the previous year's ``temporary_teachers_count`` and
    ``established_teachers_count`` and D per :func:`temporary_ratio_base`:
    ratio = T ÷ D; excess = T − 0.05·D (persons, 0.05 =
    ``settings.TEMPORARY_RATIO_LIMIT_SHARE``); the rule applies only when
    ratio > 5 % (超过, strictly). cut = ``temporary_teacher_excess_cut`` of the
    year when the measure frame has a value, else T − T(year). The required
    cut is ``threshold × excess`` (registry threshold 0.20, plan:
    "减少超过规定比例部分的20%"), computed by the caller.

    Example (default denominator): E = 950, T = 100 → ratio 100/1050 = 9.52 %,
    excess = 100 − 0.05·1050 = 47.5; T(year) = 90 → cut 10.

    Returns:
        ``county_code, value`` (cut), ``previous_value`` (T), ``excess``,
        ``note`` (not_applicable … when ratio <= 5 %).
    """
    wanted = ["temporary_teachers_count", "established_teachers_count", "temporary_teacher_excess_cut"]
    now = _year_end(values[values["indicator"].isin(wanted)], year)
    before = _year_end(values[values["indicator"].isin(wanted)], year - 1)
    pivot_before = before.pivot(index="county_code", columns="indicator", values="value")
    pivot_now = now.pivot(index="county_code", columns="indicator", values="value")
    units = pivot_before.index.union(pivot_now.index)
    col = lambda p, c: p[c].reindex(units) if c in p else pd.Series(np.nan, index=units)  # noqa: E731
    temporary = col(pivot_before, "temporary_teachers_count")
    established = col(pivot_before, "established_teachers_count")
    choice = settings.TEMPORARY_RATIO_DENOMINATOR if denominator is None else denominator
    base = temporary_ratio_base(temporary, established, choice)
    line = settings.TEMPORARY_RATIO_LIMIT_SHARE
    ratio = temporary / base.where(base > 0)
    cut_from_counts = temporary - col(pivot_now, "temporary_teachers_count")
    cut = col(pivot_now, "temporary_teacher_excess_cut").fillna(cut_from_counts)
    applies = ratio > line + TOLERANCE
    out = pd.DataFrame({"county_code": units.astype("str"), "value": cut.to_numpy(),
                        "previous_value": temporary.to_numpy(),
                        "excess": (temporary - line * base).where(applies).to_numpy()})
    pct = f"{year - 1} temporary ratio " + (ratio * 100).round(2).astype("str")
    limit = f"{line:.0%}"
    note = (pct + f" % > {limit} ({choice});").where(
        applies, f"{NOT_APPLICABLE}: " + pct + f" % <= {limit} ({choice})")
    missing = f"no temporary/established teacher counts for {year - 1}"
    out["note"] = note.where(ratio.notna(), missing).to_numpy()
    return out
