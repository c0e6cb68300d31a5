"""In-year periods of the measure frame (qyanalysis.measures.periods), on hand-made frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from qyanalysis.measures.periods import as_month_periods, city_monthly_totals, latest_rows, period_month


def test_period_month_of_annual_monthly_quarterly_and_unknown_periods():
    months = period_month(pd.Series(["", "2022-09", "2022-Q2", "2022-13x"]))
    assert months.iloc[:3].tolist() == [0.0, 9.0, 6.0]  # Q2 ends in month 2 × 3 = 6
    assert math.isnan(months.iloc[3])


def test_quarterly_periods_are_placed_at_the_month_the_quarter_ends():
    series = pd.DataFrame({"period": ["2022-Q1", "2022-Q2", "2022-Q3"], "value": [20.0, 45.0, 80.0]})
    assert as_month_periods(series)["period"].tolist() == ["2022-03", "2022-06", "2022-09"]
    assert as_month_periods(series)["value"].tolist() == [20.0, 45.0, 80.0]


def test_monthly_periods_are_left_as_they_are():
    series = pd.DataFrame({"period": ["2022-01", "2022-12"], "value": [1.0, 2.0]})
    assert as_month_periods(series)["period"].tolist() == ["2022-01", "2022-12"]


def test_latest_rows_keep_the_year_end_value_else_the_last_month_or_quarter():
    measures = pd.DataFrame({
        "county_code": ["A", "A", "A", "B", "B", "C"], "year": [2022] * 5 + [2021],
        "period": ["2022-Q1", "2022-Q3", "2022-Q2", "2022-09", "", ""],
        "indicator": ["x"] * 6, "value": [3.0, 9.0, 6.0, 7.0, 12.0, 20.0]})
    rows = latest_rows(measures, ["x"], ["A", "B", "C"], 2022).set_index("county_code")
    # A: its third quarter (9); B: the annual value 12 wins over September's 7; C has nothing in 2022.
    assert rows["value"].to_dict() == {"A": 9.0, "B": 12.0}
    assert rows["period"].to_dict() == {"A": "2022-Q3", "B": ""}


def test_city_monthly_totals_sum_the_months_every_reporting_county_gave():
    measures = pd.DataFrame({
        "county_code": ["A", "A", "A", "B", "B", "C", "A"],
        "year": [2022] * 6 + [2021],
        "period": ["2022-01", "2022-02", "2022-03", "2022-01", "2022-02", "2022-01", "2021-03"],
        "indicator": ["seats"] * 7,
        "value": [100.0, 250.0, 400.0, 40.0, 90.0, 5.0, 999.0]})
    totals = city_monthly_totals(measures, "seats", 2022, ["A", "B", "Z"])
    # C is not one of the city's counties; Z reports nothing (not waited for). January: 100 + 40 = 140,
    # February: 250 + 90 = 340; March only A reported, so no total (not a fall to 400). 2021 ignored.
    assert totals["period"].tolist() == ["2022-01", "2022-02"]
    assert totals["value"].tolist() == pytest.approx([140.0, 340.0])
    assert (totals["indicator"] == "seats").all()
