"""Rates from counts: Wilson, Clopper–Pearson, Newcombe, pooled rates, measure frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qyanalysis.measures.rates import (
    MEASURE_COLUMNS,
    as_measure_frame,
    clopper_pearson_interval,
    concat_measure_frames,
    empty_measure_frame,
    newcombe_difference_interval,
    pooled_rate,
    wilson_interval,
)


def test_wilson_5_of_1000_by_hand():
    # p = 0.005, n = 1000, z = 1.959964, z² = 3.841459, z²/n = 0.003841459
    # centre = (0.005 + 0.0019207) / 1.0038415 = 0.0068942
    # half   = 1.959964 / 1.0038415 · sqrt(0.005·0.995/1000 + 3.841459/4e6)
    #        = 1.952464 · sqrt(4.975e-6 + 9.6036e-7) = 1.952464 · 0.00243626 = 0.0047567
    low, high = wilson_interval(5, 1000)
    assert low == pytest.approx(0.0021375, abs=1e-7)
    assert high == pytest.approx(0.0116510, abs=1e-7)


def test_wilson_zero_successes_has_an_exact_zero_lower_bound():
    # x = 0, n = 10: centre = (z²/20) / (1 + z²/10) = 0.192073 / 1.384146 = 0.138767
    # half = 1.959964 / 1.384146 · sqrt(z²/400) = 1.416010 · 0.0979982 = 0.138766
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.277533, abs=1e-6)
    low, high = wilson_interval(10, 10)  # mirror image
    assert high == 1.0
    assert low == pytest.approx(1 - 0.277533, abs=1e-6)


def test_wilson_45_percent_of_1000_by_hand():
    # centre = (0.45 + 0.0019207) / 1.0038415 = 0.450191
    # half = 1.952464 · sqrt(0.45·0.55/1000 + 9.6036e-7) = 1.952464 · 0.0157626 = 0.030776
    low, high = wilson_interval(450, 1000)
    assert low == pytest.approx(0.419415, abs=1e-6)
    assert high == pytest.approx(0.480967, abs=1e-6)


def test_wilson_is_vectorised_and_keeps_the_series_index():
    x = pd.Series([5.0, np.nan, 3.0, 2.0], index=[10, 11, 12, 13])
    n = pd.Series([1000.0, 50.0, 0.0, 1.0], index=[10, 11, 12, 13])
    low, high = wilson_interval(x, n)
    assert list(low.index) == [10, 11, 12, 13]
    assert low[10] == pytest.approx(0.0021375, abs=1e-7)
    # missing x, n = 0 and x > n have no interval
    assert low[[11, 12, 13]].isna().all() and high[[11, 12, 13]].isna().all()
    arr_low, _ = wilson_interval(np.array([5, 450]), np.array([1000, 1000]))
    assert arr_low == pytest.approx([0.0021375, 0.419415], abs=1e-6)


def test_wilson_rejects_an_impossible_confidence():
    with pytest.raises(ValueError):
        wilson_interval(1, 2, confidence=95)


def test_clopper_pearson_by_hand_at_the_edges():
    # x = 0: high = 1 − (α/2)^(1/n) = 1 − 0.025^(1/10) = 1 − 0.691503 = 0.308497
    low, high = clopper_pearson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.308497, abs=1e-6)
    # x = n: low = (α/2)^(1/n) = 0.691503
    low, high = clopper_pearson_interval(10, 10)
    assert high == 1.0 and low == pytest.approx(0.691503, abs=1e-6)


def test_clopper_pearson_is_wider_than_wilson_and_matches_statsmodels():
    from statsmodels.stats.proportion import proportion_confint

    low, high = clopper_pearson_interval(5, 1000)
    ref_low, ref_high = proportion_confint(5, 1000, method="beta")
    assert (low, high) == pytest.approx((ref_low, ref_high), abs=1e-12)
    w_low, _ = wilson_interval(5, 1000)
    assert low < w_low


def test_newcombe_difference_by_hand():
    # p1 = 0.45 (Wilson 0.419415–0.480967), p0 = 0.50 (Wilson 0.469070–0.530930), d = −0.05
    # low  = −0.05 − sqrt((0.45 − 0.419415)² + (0.530930 − 0.5)²) = −0.05 − sqrt(0.00189211) = −0.093498
    # high = −0.05 + sqrt((0.480967 − 0.45)² + (0.5 − 0.469070)²) = −0.05 + sqrt(0.00191563) = −0.006232
    low, high = newcombe_difference_interval(450, 1000, 500, 1000)
    assert low == pytest.approx(-0.093498, abs=1e-6)
    assert high == pytest.approx(-0.006232, abs=1e-6)


def test_pooled_rate_sums_complete_pairs_only():
    frame = pd.DataFrame({
        "county_code": ["441802", "441802", "441802", "441821"],
        "year": [2022, 2022, 2022, 2022],
        "dropouts": [3.0, 2.0, np.nan, 0.0],
        "students": [600.0, 400.0, 5000.0, np.nan],
    })
    out = pooled_rate(frame, "dropouts", "students", ["county_code", "year"])
    # 441802: (3 + 2) / (600 + 400) = 5/1000 — the school without dropouts does not dilute it;
    # 441821 has no complete row, so it is absent (no data), not 0.
    assert list(out["county_code"]) == ["441802"]
    row = out.iloc[0]
    assert (row["numerator"], row["denominator"]) == (5.0, 1000.0)
    assert (row["units_reporting"], row["units_expected"]) == (2.0, 3.0)  # 2 of 3 schools report both
    assert row["value"] == 0.005  # exact: 5/1000 is the same float as 0.005
    assert row["value"] <= 0.005
    assert row["ci_low"] == pytest.approx(0.0021375, abs=1e-7)
    assert row["units_missing"] == ""  # the frame names no schools (no school_id column)
    assert list(out.columns) == ["county_code", "year", "numerator", "denominator", "units_reporting",
                                 "units_expected", "units_missing", "value", "ci_low", "ci_high"]


def test_pooled_rate_zero_denominator_gives_no_value():
    frame = pd.DataFrame({"g": ["a"], "x": [0.0], "n": [0.0]})
    out = pooled_rate(frame, "x", "n", "g")
    assert np.isnan(out.loc[0, "value"]) and np.isnan(out.loc[0, "ci_low"])


def test_as_measure_frame_has_the_documented_columns_and_drops_empty_values():
    frame = pd.DataFrame({
        "county_code": ["441802", "441821", "441823"],
        "year": [2022, 2022, 2022],
        "value": [0.5, np.nan, np.nan],
        "note": ["", "", "not_applicable: ratio <= 5%"],
    })
    out = as_measure_frame(frame, "temporary_teacher_excess_cut")
    assert tuple(out.columns) == MEASURE_COLUMNS
    # the NaN without a reason is absent; the not_applicable row stays
    assert list(out["county_code"]) == ["441802", "441823"]
    assert out["numerator"].isna().all() and (out["period"] == "").all()
    assert out["year"].dtype == "int64" and out["value"].dtype == "float64"


def test_empty_and_concatenated_measure_frames():
    empty = empty_measure_frame()
    assert tuple(empty.columns) == MEASURE_COLUMNS and len(empty) == 0
    a = as_measure_frame(pd.DataFrame({"county_code": ["2"], "year": [2022], "value": [1.0]}), "b_code")
    b = as_measure_frame(pd.DataFrame({"county_code": ["1"], "year": [2022], "value": [2.0]}), "a_code")
    out = concat_measure_frames([a, empty, b])
    assert list(out["county_code"]) == ["1", "2"]
    assert len(concat_measure_frames([])) == 0
