"""In-year periods of the measure frame: month numbers, latest rows, city totals by month.

The measure frame's ``period`` is "" for an annual (year-end) value, ``YYYY-MM``
for a value cumulative to a month, ``YYYY-Qn`` for one cumulative to a quarter
(docs/design.md, "Measure frame"). The scorecard (``verdicts.rules``) and the
report pages read periods through these functions, so that a quarter ends on
the same month everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

_MONTH = r"^\d{4}-(\d{2})$"
_QUARTER = r"^\d{4}-Q([1-4])$"
# Where an annual value sorts among the months of its year: after December (its data are complete).
ANNUAL_AFTER_DECEMBER = 12.5


def period_month(period: pd.Series) -> pd.Series:
    """Month a period ends on: 0 for annual (""), 1–12 for YYYY-MM, 3·n for YYYY-Qn, NaN otherwise."""
    month = pd.to_numeric(period.str.extract(_MONTH, expand=False), errors="coerce")
    quarter = pd.to_numeric(period.str.extract(_QUARTER, expand=False), errors="coerce") * 3
    annual = pd.Series(np.where(period == "", 0.0, np.nan), index=period.index)
    return month.fillna(quarter).fillna(annual)


def as_month_periods(series: pd.DataFrame) -> pd.DataFrame:
    """The series with quarterly periods ("2022-Q3") written as the month the quarter ends ("2022-09").

    A quarterly cumulative series then sits at months 3, 6, 9 and 12 of a
    monthly axis; monthly and annual periods are left as they are.
    """
    periods = series["period"].astype("str")
    quarterly = periods.str.fullmatch(r"\d{4}-Q[1-4]")
    if not quarterly.any():
        return series
    months = period_month(periods).fillna(0).astype(int).map("{:02d}".format)
    return series.assign(period=periods.where(~quarterly, periods.str[:4] + "-" + months))


def latest_rows(measures: pd.DataFrame, codes: Iterable[str], county_codes: Iterable[str],
                year: int) -> pd.DataFrame:
    """Measure rows of ``codes`` in ``year``: per county and code, the latest one.

    The latest row is the annual (year-end) value when there is one, else the
    last month or quarter reported — what an in-year snapshot knows.
    """
    rows = measures[measures["indicator"].isin(list(codes)) & (measures["year"] == year)
                    & measures["county_code"].isin(list(county_codes))]
    end = period_month(rows["period"].astype("str")).replace(0.0, ANNUAL_AFTER_DECEMBER)
    rows = rows.assign(_end=end).sort_values("_end", kind="stable")
    return rows.drop_duplicates(["county_code", "indicator"], keep="last").drop(columns="_end")


def city_monthly_totals(measures: pd.DataFrame, indicator: str, year: int,
                        county_codes: Iterable[str]) -> pd.DataFrame:
    """Cumulative city totals of a count by period: Σ over counties, for the periods every county reported.

    A period some reporting county left out is dropped rather than summed over
    fewer counties (a partial sum would read as a fall). Counties that report
    no period of the year are not waited for.

    Args:
        measures: A measure frame.
        indicator: A count indicator reported by month or quarter (e.g. seats built).
        year: The year.
        county_codes: The city's counties.

    Returns:
        ``period, value, indicator``, one row per complete period, in period order.
    """
    rows = measures[(measures["indicator"] == indicator) & (measures["year"] == year)
                    & (measures["period"] != "") & measures["county_code"].isin(list(county_codes))]
    reporting = rows["county_code"].nunique()
    per_period = rows.groupby("period").agg(value=("value", "sum"), counties=("county_code", "nunique"))
    per_period = per_period[per_period["counties"] == reporting].reset_index()
    return per_period.assign(indicator=indicator)[["period", "value", "indicator"]]
