"""Values behind the scorecard: measure-frame lookup, city aggregation and the plan's special rules.

Every function here is pure and vectorised (group-bys and merges keyed on
``county_code × indicator``), so a region of thousands of counties is scored
without a per-county loop. ``qyanalysis.verdicts.attainment`` turns these values into
statuses.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from qyanalysis import settings
from qyanalysis.contract import indicators
from qyanalysis.contract.comparators import TOLERANCE
from qyanalysis.contract.indicators import change_base
from qyanalysis.verdicts.forecast import forecast_year_end_frame
from qyanalysis.measures.coverage import COVERAGE_COLUMNS, combine, missing_text, reporting_share
from qyanalysis.measures.periods import period_month
from qyanalysis.measures.staffing import item27_steps


KEY = ["county_code", "indicator"]
MEASURE_COLUMNS = ("county_code", "year", "period", "indicator", "value", "numerator", "denominator",
                   "ci_low", "ci_high", "note", "units_reporting", "units_expected", "units_missing")
CARRIED = ["value", "period", "numerator", "denominator", "ci_low", "ci_high", "note", "units_reporting",
           "units_expected", "units_missing"]
NOT_APPLICABLE = "not_applicable"


def unit_of(codes: pd.Series) -> pd.Series:
    """The catalogue unit of each indicator code (``<NA>`` for unknown codes)."""
    units = {code: entry.unit for code, entry in indicators.CATALOGUE.items()}
    return codes.map(units).astype("str")


def as_of_month(as_of: str | None, year: int) -> int:
    """How many months of ``year`` the data covers: 12 for a complete year, else the as-of month.

    ``as_of`` is ``YYYY-MM`` (None = the year is complete): a month of a later
    year gives 12, of ``year`` its month, of an earlier year 0.

    Raises:
        ValueError: ``as_of`` is not ``YYYY-MM``.
    """
    if as_of is None or as_of == "":
        return 12
    text = str(as_of)
    if len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isdigit() or not 1 <= int(text[5:]) <= 12:
        raise ValueError(f"as-of month {as_of!r} is not YYYY-MM")
    as_of_year, month = int(text[:4]), int(text[5:])
    return 12 if as_of_year > year else (month if as_of_year == year else 0)


def snapshot(frame: pd.DataFrame, year: int, months_known: int) -> pd.DataFrame:
    """The rows of a prepared measure frame known at the as-of month of ``year``.

    Periods of ``year`` after the as-of month are dropped; before December a
    year-end (annual or month-12) value of a cumulative flow
    (``contract.indicators.CUMULATIVE_FLOWS``) of ``year`` is dropped too: it
    cannot be known yet. Stocks and census values keep their annual rows.
    """
    if months_known >= 12:
        return frame
    this_year = frame["year"] == year
    later = this_year & (frame["month"] > months_known)
    flow_year_end = (this_year & frame["month"].isin([0, 12])
                     & frame["indicator"].isin(list(indicators.CUMULATIVE_FLOWS)))
    return frame[~(later | flow_year_end)].reset_index(drop=True)


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
            frame[column] = "" if column in ("period", "note", "units_missing") else np.nan
    frame = frame.loc[:, list(MEASURE_COLUMNS)]
    frame["county_code"] = frame["county_code"].astype("str")
    frame["indicator"] = frame["indicator"].astype("str")
    frame["year"] = frame["year"].astype("int64")
    for column in ("period", "note", "units_missing"):
        frame[column] = frame[column].astype("object").where(frame[column].notna(), "").astype("str")
    for column in ("value", "numerator", "denominator", "ci_low", "ci_high", "units_reporting", "units_expected"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame = frame[frame["value"].notna() | (frame["note"] != "")]
    frame = frame.drop_duplicates(["county_code", "year", "period", "indicator"], keep="last")
    frame["month"] = period_month(frame["period"])
    return frame[frame["month"].notna()].reset_index(drop=True)


def row_complete(rows: pd.DataFrame) -> pd.Series:
    """True where a measure row covers every unit it should (no coverage recorded counts as complete)."""
    share = reporting_share(rows)
    return share.isna() | (share >= settings.MIN_COVERAGE_SHARE - TOLERANCE)


def aggregate_city(county_rows: pd.DataFrame, city_code: str, county_codes: Sequence[str]) -> pd.DataFrame:
    """City values built from county values (docs/design.md, "City aggregation").

    Counts are summed over the counties that have a value; shares, rates and
    ratios are pooled as Σnumerator ÷ Σdenominator when every contributing row
    carries both, else they are not aggregated (value NaN, note says why).
    In-year periods are kept only when every county reporting the indicator in
    that year reports that month.

    Coverage: ``units_reporting`` is the number of counties whose own value is
    complete, ``units_expected`` the number of counties of the region
    (``county_codes``); the note names the counties missing, so a city value
    from k of n counties is seen to be partial.

    Args:
        county_rows: Prepared measure rows of the counties.
        city_code: Code given to the aggregated rows.
        county_codes: Every county of the region (n = its length).

    Returns:
        Rows in the prepared measure-frame layout, ``county_code = city_code``.
    """
    n_counties = len(county_codes)
    rows = county_rows[county_rows["value"].notna()].copy()
    rows["_is_count"] = unit_of(rows["indicator"]) == "count"
    rows["_has_parts"] = rows["numerator"].notna() & rows["denominator"].notna()
    rows["_complete"] = row_complete(rows)
    keys = ["indicator", "year", "period", "month"]
    agg = rows.groupby(keys, sort=False).agg(
        value=("value", "sum"), counties=("value", "size"), is_count=("_is_count", "first"),
        parts=("_has_parts", "sum"), numerator=("numerator", "sum"), denominator=("denominator", "sum"),
        complete=("_complete", "sum"),
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
    agg["units_reporting"] = agg["complete"].astype("float64")
    agg["units_expected"] = float(n_counties)
    partial = agg["units_reporting"] < n_counties
    agg["units_missing"] = ""
    if partial.any():
        complete_codes = rows[rows["_complete"]].groupby(keys, sort=False)["county_code"].agg(frozenset)
        have = agg.set_index(keys).index.map(complete_codes)
        missing = [", ".join(sorted(set(map(str, county_codes)) - (h if isinstance(h, frozenset) else set())))
                   for h in have]
        agg["note"] = np.where(partial, agg["note"] + "; missing or incomplete: " + pd.Series(missing),
                               agg["note"])
        agg["units_missing"] = np.where(partial, [missing_text(m.split(", ")) for m in missing], "")
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
        aggregated = aggregate_city(counties, city_code, county_codes).assign(origin="city_aggregate")
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
    in-year row is used: a cumulative flow (``contract.indicators.CUMULATIVE_FLOWS``)
    is forecast to year-end with :func:`qyanalysis.verdicts.forecast.forecast_year_end_frame`
    from every month of the year; any other indicator (a stock, a share, …)
    has its latest value carried forward as the forecast (no interval, no
    probability).

    Returns:
        ``county_code, indicator`` + :data:`CARRIED` + ``origin, in_year,
        forecast, forecast_low, forecast_high, forecast_sd, months_observed``.
    """
    this_year = values[values["year"] == year].copy()
    this_year["_rank"] = np.where(this_year["month"] == 0, -1.0,
                                  np.where(this_year["month"] == 12, 0.0, 100.0 - this_year["month"]))
    chosen = this_year.sort_values([*KEY, "_rank"], kind="stable").drop_duplicates(KEY, keep="first")
    chosen = chosen.assign(in_year=chosen["_rank"] > 0)
    series = this_year.merge(chosen.loc[chosen["in_year"], KEY], on=KEY, how="inner")
    series = series[(series["month"] > 0) & series["value"].notna()]
    flows = series[series["indicator"].isin(list(indicators.CUMULATIVE_FLOWS))]
    forecast_columns = ["forecast", "forecast_low", "forecast_high", "forecast_sd", "months_observed"]
    if flows.empty:
        chosen = chosen.assign(**{c: np.nan for c in forecast_columns})
    else:
        fc = forecast_year_end_frame(flows, KEY, month="month", value="value", alpha=alpha)
        chosen = chosen.merge(fc[[*KEY, *forecast_columns]], on=KEY, how="left", validate="1:1")
    carried = chosen["in_year"] & chosen["forecast"].isna()
    chosen.loc[carried, "forecast"] = chosen.loc[carried, "value"]
    return chosen.loc[:, [*KEY, *CARRIED, "origin", "in_year", *forecast_columns]]


def previous_values(values: pd.DataFrame, year: int) -> pd.DataFrame:
    """Year-end value of each county × indicator in ``year − 1`` (column ``previous_value``)."""
    rows = _year_end(values, year - 1)
    return rows.loc[:, [*KEY, "value"]].rename(columns={"value": "previous_value"})


def change_values(values: pd.DataFrame, year: int, codes: Sequence[str]) -> pd.DataFrame:
    """Change against the previous year for the ``change_vs_previous`` indicators ``codes``.

    value = base(year) − base(year − 1) (``difference``) or
    (base(year) − base(year − 1)) ÷ base(year − 1) (``relative``, NaN when the
    base was 0); a ``*_change`` value of the measure frame (computed with its coverage, or
    supplied) wins. Year-end values only. ``previous_value`` is base(year − 1). Coverage: that of
    the less complete year (:func:`qyanalysis.measures.coverage.combine`).
    """
    spec = pd.DataFrame([(c, *change_base(c)) for c in dict.fromkeys(codes)],
                        columns=["indicator", "base", "kind"])
    now = _year_end(values, year).rename(columns={"indicator": "base"})
    before = previous_values(values, year).rename(columns={"indicator": "base"})
    coverage = list(COVERAGE_COLUMNS)
    levels = spec.merge(now[["county_code", "base", "value", "period", "note", "origin", *coverage]], on="base")
    earlier = _year_end(values, year - 1).rename(columns={"indicator": "base"})[["county_code", "base", *coverage]]
    levels = levels.merge(before, on=["county_code", "base"], how="left").merge(
        earlier, on=["county_code", "base"], how="left", suffixes=("", "_previous"))
    levels[coverage] = combine(levels[coverage],
                               levels[[f"{c}_previous" for c in coverage]].set_axis(coverage, axis=1))
    delta = levels["value"] - levels["previous_value"]
    levels["value"] = np.where(levels["kind"] == "relative",
                               delta / levels["previous_value"].where(levels["previous_value"] != 0), delta)
    missing_previous = levels["previous_value"].isna() & levels["note"].eq("")
    levels.loc[missing_previous, "note"] = f"no year-end value for {year - 1}"
    direct = _year_end(values[values["value"].notna()], year)
    direct = direct[direct["indicator"].isin(spec.loc[spec["base"] != spec["indicator"], "indicator"])]
    direct = direct.merge(spec, on="indicator").merge(before, on=["county_code", "base"], how="left")
    cols = [*KEY, "value", "previous_value", "period", "note", "origin", *coverage]
    merged = pd.concat([levels[cols], direct[cols]], ignore_index=True)
    return merged.drop_duplicates(KEY, keep="last").reset_index(drop=True)


def item27_values(values: pd.DataFrame, year: int, cut_share: pd.Series,
                  denominator: str | None = None) -> pd.DataFrame:
    """Plan item 27 per unit, from the measure frame, by :func:`qyanalysis.measures.staffing.item27_steps`.

    T, E are the previous year's ``temporary_teachers_count`` and
    ``established_teachers_count`` (census or ``indicators``); the cut
    achieved is ``temporary_teacher_excess_cut`` of the year when supplied,
    else T − T(year). The required cut is ``cut_share`` (the target's
    threshold after overrides, per county) × the excess above the 5 % line.

    Returns:
        ``county_code, value`` (cut achieved), ``previous_value`` (T),
        ``threshold`` (required cut), ``note`` (the worked numbers, or
        ``not_applicable …`` when the ratio is <= 5 %), and the coverage of the least
        complete of the counts it is worked from.
    """
    wanted = ["temporary_teachers_count", "established_teachers_count", "temporary_teacher_excess_cut"]
    rows = pd.concat([_year_end(values[values["indicator"].isin(wanted)], y) for y in (year - 1, year)])
    wide = rows.pivot_table(index=["county_code", "year"], columns="indicator", values="value",
                            aggfunc="first").reset_index()
    for column in wanted:
        if column not in wide:
            wide[column] = np.nan
    counts = wide.rename(columns={"temporary_teachers_count": "temporary",
                                  "established_teachers_count": "established"})
    # last year's ratio needs both counts; this year's cut needs the temporary count only
    counts = counts[counts["temporary"].notna() & (counts["established"].notna() | (counts["year"] == year))]
    choice = settings.TEMPORARY_RATIO_DENOMINATOR if denominator is None else denominator
    steps = item27_steps(counts[["county_code", "year", "established", "temporary"]], year, cut_share, choice)
    given = wide.loc[wide["year"] == year].set_index("county_code")["temporary_teacher_excess_cut"]
    achieved = given.reindex(steps["county_code"]).to_numpy(dtype="float64")
    steps["value"] = np.where(np.isnan(achieved), steps["actual_cut"], achieved)
    line = f"{settings.TEMPORARY_RATIO_LIMIT_SHARE:.0%}"
    pct = f"{year - 1} temporary ratio " + (steps["ratio_previous"] * 100).round(2).astype("str") + " %"
    worked = (pct + f" > {line} ({choice}); excess over the line " + steps["excess"].round(2).astype("str")
              + "; required cut " + steps["cut_share"].astype("str") + " × excess = "
              + steps["required_cut"].round(2).astype("str"))
    note = worked.where(steps["applies"], f"{NOT_APPLICABLE}: " + pct + f" <= {line} ({choice})")
    out = pd.DataFrame({"county_code": steps["county_code"], "value": steps["value"],
                        "previous_value": steps["temporary_previous"], "threshold": steps["required_cut"],
                        "note": note})
    return out.merge(_least_complete(rows), on="county_code", how="left", validate="1:1")


def _least_complete(rows: pd.DataFrame) -> pd.DataFrame:
    """Per county, the coverage of its least complete row (the inputs of one value: both years' counts)."""
    ordered = rows.assign(_share=reporting_share(rows).fillna(1.0)).sort_values(["county_code", "_share"], kind="stable")
    return ordered.drop_duplicates("county_code")[["county_code", *COVERAGE_COLUMNS]]


def task_progress(tasks: pd.DataFrame | None, county_codes: Sequence[str], city_code: str | None, year: int,
                  months_known: int) -> pd.DataFrame:
    """Key tasks of ``year`` by state at the as-of month (plan item 34), per county and for the city.

    A key task (``is_key_task``) is *completed* (status ``completed``), *not
    yet due* (not completed, due month after the as-of month; a task without
    a due month is due in December) or *overdue* (not completed, due at or
    before the as-of month). The city counts every task of the table,
    including tasks filed under the city code.

    Returns:
        ``county_code, completed, not_yet_due, overdue`` (floats); empty
        without a tasks table.
    """
    columns = ["county_code", "completed", "not_yet_due", "overdue"]
    needed = {"county_code", "year", "is_key_task", "status"}
    if tasks is None or not needed <= set(tasks.columns):
        return pd.DataFrame(columns=columns)
    rows = tasks[(pd.to_numeric(tasks["year"], errors="coerce") == year)
                 & tasks["is_key_task"].astype("boolean").fillna(False).astype(bool)].copy()
    due = rows["due"].astype("str").str.slice(0, 7) if "due" in rows else pd.Series("", index=rows.index)
    due_year = pd.to_numeric(due.str.slice(0, 4), errors="coerce")
    due_month = pd.to_numeric(due.str.slice(5, 7), errors="coerce")
    # months of ``year`` after which the task is due: an earlier year → 0, a later one → beyond December
    due_at = np.where(due_year < year, 0, np.where(due_year > year, 13, due_month)).astype("float64")
    due_at = np.where(np.isnan(due_at), 12.0, due_at)
    done = rows["status"].astype("str").eq("completed").to_numpy()
    rows = rows.assign(completed=done.astype("float64"),
                       not_yet_due=(~done & (due_at > months_known)).astype("float64"),
                       overdue=(~done & (due_at <= months_known)).astype("float64"))
    rows["county_code"] = rows["county_code"].astype("str")
    sums = rows.groupby("county_code")[columns[1:]].sum()
    parts = [sums.reindex([str(c) for c in county_codes], fill_value=0.0)]
    if city_code is not None:
        parts.append(pd.DataFrame([sums.sum()], index=[str(city_code)]))
    out = pd.concat(parts)
    out.index.name = "county_code"
    return out.reset_index().loc[:, columns]
