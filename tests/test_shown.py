"""The one display rule of a scorecard row (``qyanalysis.present.shown``), on hand-computed cases.

The demonstration data's rows (issue 17's findings 10 and 11, and every row read back from the page
table and the sentence) are in ``test_shown_demo.py``."""

from __future__ import annotations

import pytest

from qyanalysis.present.shown import shown_row, threshold_text, whole_number, whole_threshold


def row(**fields: object) -> dict[str, object]:
    return {"rule": "absolute", **fields}


# --- hand-computed cases ---------------------------------------------------------------------------


def test_exactly_the_threshold_met_prints_as_the_unit_says():
    shown = shown_row(row(indicator="compulsory_dropout_rate", unit="rate", value=0.005, comparator="<=",
                          threshold=0.005, status="met"))
    assert (shown.text("value"), shown.text("threshold")) == ("0.5 %", "0.5 %")  # 0.5 ≤ 0.5 reads met


def test_a_value_just_over_a_limit_takes_the_decimals_that_show_it():
    # 0.00504 = 0.504 %: at one decimal "0.5 % ≤ 0.5 %" (reads met), at two "0.50 % ≤ 0.50 %" (still),
    # at three "0.504 %" against "0.500 %" (reads not met, as the status says).
    shown = shown_row(row(indicator="compulsory_dropout_rate", unit="rate", value=0.00504, comparator="<=",
                          threshold=0.005, status="not_met"))
    assert (shown.text("value"), shown.text("threshold")) == ("0.504 %", "0.500 %")
    assert shown_row(row(indicator="compulsory_dropout_rate", unit="rate", value=0.005492, comparator="<=",
                         threshold=0.005, status="not_met")).text("value") == "0.55 %"


def test_a_fall_just_short_of_its_target_reads_short():
    # −0.0049 = −0.49 points against "≤ −0.5 points": one decimal prints both −0.5 (reads met); two: −0.49 > −0.50.
    shown = shown_row(row(indicator="myopia_rate_change", unit="pp", rule="change_vs_previous", value=-0.0049,
                          comparator="<=", threshold=-0.005, status="not_met"))
    assert (shown.text("value"), shown.text("threshold")) == ("−0.49 个百分点", "−0.50 个百分点")
    met = shown_row(row(indicator="myopia_rate_change", unit="pp", rule="change_vs_previous", value=-0.0051,
                        comparator="<=", threshold=-0.005, status="met"))
    assert (met.text("value"), met.text("threshold")) == ("−0.5 个百分点", "−0.5 个百分点")  # equal reads met


def test_a_ratio_and_a_per_100_value_under_their_line():
    assert shown_row(row(indicator="teacher_salary_ratio", unit="ratio", value=0.99996, comparator=">=",
                         threshold=1.0, status="not_met")).text("value") == "0.99996"
    gap = shown_row({"unit": "per100", "value": 0.8967, "comparator": ">=", "threshold": 0.9})
    assert (gap.text("value"), gap.text("threshold")) == ("0.897", "0.900")


def test_a_threshold_of_persons_is_the_whole_number_its_rule_implies():
    assert whole_threshold(71.29, ">=") == 72  # at least 71.29 persons: 72 or more
    assert whole_threshold(71.29, "<=") == 71  # at most 71.29: 71 or fewer
    assert whole_threshold(71.29, ">") == 71 and whole_threshold(71.29, "<") == 72
    assert whole_threshold(71.0000000001, ">=") == 71  # float error is not a fraction of a person
    shown = shown_row(row(indicator="temporary_teacher_excess_cut", unit="count", rule="item27", value=23.0,
                          comparator=">=", threshold=71.29, status="not_met"))
    assert (shown.text("value"), shown.text("threshold")) == ("23 人", "72 人")
    assert threshold_text(71.29, "temporary_teacher_excess_cut", "count", "en", ">=") == "72 persons"


def test_a_forecast_of_seats_and_its_interval_are_whole():
    shown = shown_row(row(indicator="new_public_seats_compulsory", unit="count", value=18773.0, comparator=">=",
                          threshold=20500.0, status="on_track", forecast=25030.666667,
                          forecast_low=21730.735375, forecast_high=28330.597959))
    assert shown.text("forecast") == "25,031 个"
    assert shown.range_text("forecast_low", "forecast_high") == "21,731–28,331 个"


def test_a_count_rounded_across_its_threshold_stays_on_its_side():
    assert whole_number(19.6, ">=", 20.0, meets=False) == 19  # 19.6 seats do not reach 20: not "20"
    assert whole_number(0.4, "<=", 0.0, meets=False) == 1  # 0.4 over a limit of 0: not "0"
    assert whole_number(19.6, ">=", 20.0, meets=None) == 20


def test_a_shortfall_is_the_difference_of_the_printed_numbers_in_its_own_unit():
    # 96.24 % against ≥ 97 % prints "96.2 %" and "97.0 %": 0.8 points short (not 0.76)
    share = shown_row({"indicator": "preschool_public_share", "unit": "share", "value": 0.9624,
                       "threshold": 0.97, "comparator": ">=", "status": "not_met"})
    assert share.shortfall() == pytest.approx(0.008) and share.shortfall_text("value", "zh") == "0.8 个百分点"
    # a limit: 0.7 % against ≤ 0.5 % is 0.2 points over, worded the same way
    rate = shown_row({"indicator": "compulsory_dropout_rate", "unit": "rate", "value": 0.007,
                      "threshold": 0.005, "comparator": "<=", "status": "not_met"})
    assert rate.shortfall_text("value", "en") == "0.2 pp"
    # persons: 70.4 against ≥ 71.29 prints 70 against ≥ 72 (the inclusive rule): 2 persons short
    persons = shown_row({"indicator": "backbone_trained", "unit": "count", "value": 70.4, "threshold": 71.29,
                         "comparator": ">=", "status": "not_met"})
    assert persons.shortfall() == 2 and persons.shortfall_text("value", "en").startswith("2 ")


def test_no_shortfall_where_the_printed_number_meets_or_a_number_is_missing():
    met = shown_row({"indicator": "preschool_public_share", "unit": "share", "value": 0.98, "threshold": 0.97,
                     "comparator": ">=", "status": "met"})
    missing = shown_row({"indicator": "preschool_public_share", "unit": "share", "value": None,
                         "threshold": 0.97, "comparator": ">=", "status": "no_data"})
    assert met.shortfall() is None and missing.shortfall() is None and met.shortfall_text() == ""
