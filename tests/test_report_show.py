"""Helpers of the report page blocks (qyanalysis.report.show) on tiny frames."""

from __future__ import annotations

import pandas as pd

from qyanalysis.report.show import as_month_periods, latest_rows


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
