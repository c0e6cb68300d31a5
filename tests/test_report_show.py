"""Helpers of the report page blocks (qyanalysis.report.show) on tiny frames."""

from __future__ import annotations

import pandas as pd

from qyanalysis.report.show import as_month_periods


def test_quarterly_periods_are_placed_at_the_month_the_quarter_ends():
    series = pd.DataFrame({"period": ["2022-Q1", "2022-Q2", "2022-Q3"], "value": [20.0, 45.0, 80.0]})
    assert as_month_periods(series)["period"].tolist() == ["2022-03", "2022-06", "2022-09"]
    assert as_month_periods(series)["value"].tolist() == [20.0, 45.0, 80.0]


def test_monthly_periods_are_left_as_they_are():
    series = pd.DataFrame({"period": ["2022-01", "2022-12"], "value": [1.0, 2.0]})
    assert as_month_periods(series)["period"].tolist() == ["2022-01", "2022-12"]
