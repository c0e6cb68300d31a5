"""Year-end forecasts of cumulative monthly counts (qyanalysis.verdicts.forecast)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from qyanalysis.verdicts.forecast import forecast_year_end, forecast_year_end_frame, probability_of_meeting


def test_a_perfectly_linear_series_forecasts_exactly_with_a_zero_width_interval():
    # 100 a month for 3 months: 300 + 9 × 100 = 1200; no noise, so σ̂² = 0.
    assert forecast_year_end([1, 2, 3], [100, 200, 300]) == pytest.approx((1200.0, 1200.0, 1200.0), abs=1e-9)


def test_noisy_series_matches_the_hand_computed_interval():
    # increments 90, 120, 90, 100 (one month each): μ̂ = 400/4 = 100,
    # residuals −10, 20, −10, 0 → σ̂² = 600/3 = 200; h = 8 months left:
    # Var = 8·200 + 8²·200/4 = 1600 + 3200 = 4800, sd = 69.282;
    # t(0.90, df 3) = 1.637744 → half-width 113.466.
    point, low, high = forecast_year_end([1, 2, 3, 4], [90, 210, 300, 400])
    assert point == pytest.approx(1200.0)
    assert low == pytest.approx(1200 - 1.637744 * math.sqrt(4800), abs=1e-3)
    assert high == pytest.approx(1200 + 1.637744 * math.sqrt(4800), abs=1e-3)
    assert low == pytest.approx(1086.5337, abs=1e-3)


def test_the_interval_widens_with_noise_and_narrows_with_alpha():
    months = [1, 2, 3, 4, 5, 6]
    calm = np.cumsum([100, 101, 99, 100, 100, 100])
    noisy = np.cumsum([60, 140, 70, 130, 100, 100])
    _, calm_low, calm_high = forecast_year_end(months, calm)
    _, noisy_low, noisy_high = forecast_year_end(months, noisy)
    assert noisy_high - noisy_low > calm_high - calm_low > 0
    _, low50, high50 = forecast_year_end(months, noisy, alpha=0.5)
    assert high50 - low50 < noisy_high - noisy_low


def test_uneven_months_use_the_gap_lengths():
    # months 2 and 5: increments 100 over 2 months, 160 over 3: μ̂ = 260/5 = 52 a month;
    # point = 260 + 7·52 = 624. Weighted residuals (−4)²/2 + 4²/3 = 13.333 (df 1);
    # Var = 7·13.333 + 49·13.333/5 = 224, t(0.90, df 1) = 3.077684 → ± 46.06.
    point, low, high = forecast_year_end([2, 5], [100, 260])
    assert point == pytest.approx(624.0)
    assert high - point == pytest.approx(3.077684 * math.sqrt(224), abs=1e-3)
    assert point - low == pytest.approx(3.077684 * math.sqrt(224), abs=1e-3)


def test_one_month_gives_the_pace_and_no_interval():
    # 300 by the end of March: pace 100 a month → 1200, nothing known about its spread.
    point, low, high = forecast_year_end([3], [300])
    assert point == pytest.approx(1200.0) and low is None and high is None


def test_the_lower_end_never_falls_below_the_count_already_reached():
    point, low, high = forecast_year_end([9, 10, 11], [500, 500, 900])
    assert low >= 900
    assert high > point


def test_month_twelve_is_the_year_end_value():
    assert forecast_year_end([6, 12], [10, 50]) == pytest.approx((50.0, 50.0, 50.0))


@pytest.mark.parametrize("months, values", [([], []), ([1, 2], [1]), ([2, 1], [1, 2]), ([0], [1]),
                                            ([13], [1]), ([1, 2], [1, float("nan")])])
def test_bad_input_is_refused(months, values):
    with pytest.raises(ValueError):
        forecast_year_end(months, values)


def test_grouped_forecasts_agree_with_the_scalar_function():
    frame = pd.DataFrame({
        "county_code": ["a"] * 4 + ["b"] * 2 + ["c"] + ["d"] * 2,
        "month": [1, 2, 3, 4, 2, 5, 3, 6, 12],
        "value": [90, 210, 300, 400, 100, 260, 300, 10, 50],
    }).sample(frac=1, random_state=1)
    out = forecast_year_end_frame(frame, ["county_code"]).set_index("county_code")
    for code, group in frame.sort_values("month").groupby("county_code"):
        point, low, high = forecast_year_end(group["month"], group["value"])
        assert out.loc[code, "forecast"] == pytest.approx(point)
        if low is None:
            assert np.isnan(out.loc[code, "forecast_low"]) and np.isnan(out.loc[code, "forecast_high"])
        else:
            assert out.loc[code, "forecast_low"] == pytest.approx(low)
            assert out.loc[code, "forecast_high"] == pytest.approx(high)
    assert out.loc["a", "months_observed"] == 4 and out.loc["b", "last_month"] == 5


def test_grouped_forecast_refuses_a_repeated_month():
    frame = pd.DataFrame({"k": ["a", "a"], "month": [3, 3], "value": [1, 2]})
    with pytest.raises(ValueError):
        forecast_year_end_frame(frame, ["k"])


def test_probability_of_meeting_matches_the_t_distribution_by_hand():
    # Ĉ = 1200, sd = 100, df 3: P(C ≥ 1100) = F_3(1) = 0.804499 (t table: 1 − 0.195501).
    p = probability_of_meeting([1200.0], [100.0], [4], [900.0], [">="], [1100.0])
    assert p[0] == pytest.approx(0.804499, abs=1e-6)
    # the same series against "<= 1100": the complement.
    p = probability_of_meeting([1200.0], [100.0], [4], [900.0], ["<="], [1100.0])
    assert p[0] == pytest.approx(0.195501, abs=1e-6)


def test_probability_is_exact_where_the_count_already_decides_and_absent_on_few_points():
    p = probability_of_meeting([1500.0, 1500.0, 800.0, 1200.0, 1200.0], [50.0, 50.0, 0.0, 80.0, 80.0],
                               [4, 4, 5, 2, 1], [1000.0, 1000.0, 700.0, 600.0, 300.0],
                               [">=", "<=", ">=", ">=", ">="], [900.0, 900.0, 750.0, 1000.0, 1000.0])
    assert p[0] == 1.0            # 1000 already ≥ 900
    assert p[1] == 0.0            # 1000 already above "≤ 900"
    assert p[2] == 1.0            # no spread: the point 800 ≥ 750
    assert np.isnan(p[3]) and np.isnan(p[4])   # fewer than three months: no probability claimed
