"""One number format per unit (``qyanalysis.present.numbers``), with hand-written expected strings."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from qyanalysis.contract.indicators import CATALOGUE, COUNT_NOUNS, FLAG_UNIT
from qyanalysis.present import numbers
from qyanalysis.present.labels import has_label
from qyanalysis.present.narrative import target_sentence
from qyanalysis.present.numbers import (
    format_indicator_range,
    format_indicator_value,
    format_number,
    format_range,
    format_value,
    target_label,
)
from qyanalysis.present.tables import html_table

CHANGE = "change_vs_previous"


@pytest.mark.parametrize(
    ("value", "unit", "lang", "expected"),
    [
        (1234567.0, "yuan", "zh", "1,234,567 元"),  # thousands separators, whole yuan
        (1234567.0, "yuan", "en", "1,234,567 yuan"),
        (0.8523, "share", "zh", "85.2 %"),  # 0.8523 × 100 = 85.23 → one decimal
        (0.8523, "share", "en", "85.2 %"),
        (0.005, "rate", "zh", "0.5 %"),
        (-0.005, "pp", "zh", "−0.5 个百分点"),  # U+2212, signed points
        (0.002, "pp", "en", "+0.2 pp"),
        (-0.05, "change", "en", "−5.0 %"),
        (12345.0, "count", "en", "12,345"),  # a count with no measure word
        (-2.5, "ratio", "en", "−2.50"),
        (42.25, "years", "zh", "42.2 岁"),  # round-half-even
        (1.0, FLAG_UNIT, "zh", "是"),  # a yes/no fact is never "100.0 %"
        (1.0, FLAG_UNIT, "en", "Yes"),
        (0.0, FLAG_UNIT, "zh", "否"),
        (0.0, FLAG_UNIT, "en", "No"),
        (math.nan, FLAG_UNIT, "zh", "—"),
        (None, "yuan", "en", "—"),
    ],
)
def test_format_value_by_unit(value, unit, lang, expected):
    assert format_value(value, unit, lang) == expected


def test_counts_take_their_measure_word_and_changes_a_sign():
    assert format_value(1234.0, "count", "zh", counts="persons") == "1,234 人"
    assert format_value(1234.0, "count", "en", counts="persons") == "1,234 persons"
    assert format_value(20.0, "count", "zh", counts="schools") == "20 所"
    assert format_value(13.0, "count", "zh", counts="persons", signed=True) == "+13 人"
    assert format_value(-13.0, "count", "en", counts="persons", signed=True) == "−13 persons"
    assert format_value(0.0, "count", "zh", counts="persons", signed=True) == "0 人"  # no sign on zero
    assert format_number(-0.00004, "share") == "0.0"  # rounds to zero: no "−0.0"


def test_a_change_of_a_count_is_labelled_as_a_change_with_its_unit():
    # 公办中小学临聘教师数: the scorecard row of target t27 holds the change on 2021, −13 teachers.
    code = "temporary_teachers_count"
    assert format_indicator_value(-13.0, code, "count", "zh", CHANGE) == "−13 人"
    assert format_indicator_value(-13.0, code, "count", "en", CHANGE) == "−13 persons"
    assert target_label(code, "zh", CHANGE) == "公办中小学临聘教师数较上年变化"
    assert target_label(code, "en", CHANGE) == (
        "Temporary teachers in public primary and secondary schools, change on previous year")
    # The level itself (an absolute target) keeps its own name and is not signed.
    assert format_indicator_value(1200.0, code, "count", "zh") == "1,200 人"
    assert target_label(code, "zh") == "公办中小学临聘教师数"


def test_a_change_of_a_share_is_in_points_and_a_change_code_keeps_its_name():
    code = "kindergarten_teacher_certified_share"
    assert numbers.value_unit(code, "share", CHANGE) == "pp"
    assert format_indicator_value(0.021, code, "share", "zh", CHANGE) == "+2.1 个百分点"  # 0.021 × 100
    assert target_label(code, "en", CHANGE).endswith(", change on previous year")
    # myopia_rate_change already names a change: its own label, its own unit (pp)
    assert target_label("myopia_rate_change", "zh", CHANGE) == "总体近视率较上年变化"
    assert format_indicator_value(-0.004, "myopia_rate_change", "pp", "zh", CHANGE) == "−0.4 个百分点"


def test_ranges_write_the_unit_once():
    assert format_range(0.941, 0.969, "share", "en") == "94.1–96.9 %"
    assert format_range(19000.0, 23000.0, "count", "zh", counts="seats") == "19,000–23,000 个"
    assert format_indicator_range(-20.0, -5.0, "temporary_teachers_count", "count", "zh", CHANGE) == "−20–−5 人"
    assert format_range(math.nan, 1.0, "share", "zh") == "—"


def test_every_count_of_the_catalogue_says_what_it_counts_and_has_words():
    for entry in CATALOGUE.values():
        if entry.unit == "count":
            assert entry.counts in COUNT_NOUNS, entry.code
        else:
            assert entry.counts == "", entry.code
    for noun in COUNT_NOUNS:
        assert has_label(f"noun.{noun}")


def test_yes_no_indicators_are_flags_in_the_catalogue():
    assert CATALOGUE["parent_school_zone"].unit == FLAG_UNIT


def _rows() -> pd.DataFrame:
    return pd.DataFrame({
        "indicator": ["temporary_teachers_count", "parent_school_zone", "teacher_avg_pay_yuan"],
        "rule": [CHANGE, "all_counties", "absolute"],
        "unit": ["count", FLAG_UNIT, "yuan"],
        "value": [-13.0, 1.0, 1234567.0],
        "comparator": ["<=", ">=", ">="],
        "threshold": [0.0, 1.0, 1000000.0],
        "status": ["met", "met", "met"],
        "previous_value": [1213.0, math.nan, math.nan],
    })


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_and_sentences_use_the_same_words(lang):
    table = html_table(_rows(), lang, columns=["indicator", "value", "comparator", "threshold", "previous_value"])
    sentences = [target_sentence(row, lang) for _, row in _rows().iterrows()]
    if lang == "zh":
        assert ">公办中小学临聘教师数较上年变化<" in table and ">−13 人<" in table and ">1,213 人<" in table
        assert ">是<" in table and ">应为<" in table and "100.0 %" not in table
        assert ">1,234,567 元<" in table
        assert sentences[0].startswith("公办中小学临聘教师数较上年变化:−13 人(目标:不高于 0 人),达标。上年为 1,213 人。")
        assert sentences[1].startswith("已创建全国规范化家长学校实验区(是/否):是(目标:应为 是),达标。")
        assert sentences[2].startswith("中小学教师年平均工资收入:1,234,567 元(目标:不低于 1,000,000 元)")
    else:
        assert ">−13 persons<" in table and ">Yes<" in table and ">must be<" in table
        assert ">1,234,567 yuan<" in table
        assert sentences[0].startswith(
            "Temporary teachers in public primary and secondary schools, change on previous year: −13 persons "
            "(target: at most 0 persons), met. Previous year: 1,213 persons.")
        assert "Yes (target: must be Yes), met." in sentences[1]


def test_counts_are_whole_and_decimals_can_be_asked_for():
    # persons, schools, rooms and seats are whole: 25,030.67 seats print as the nearest, 25,031
    assert format_value(25030.67, "count", "zh", counts="seats") == "25,031 个"
    assert format_range(21730.74, 28330.60, "count", "zh", counts="seats") == "21,731–28,331 个"
    # the display rule of a row (qyanalysis.present.shown) asks for decimals in the printed scale
    assert format_value(0.005492, "rate", "zh", decimals=2) == "0.55 %"
    assert format_value(-0.0049, "pp", "en", decimals=2) == "−0.49 pp"
    assert format_value(0.8967, "per100", "zh", decimals=3) == "0.897"
    assert format_value(1234.5, "m2", "en", decimals=2) == "1,234.50 m²"
    assert format_range(0.0031, 0.0079, "rate", "zh", decimals=2) == "0.31–0.79 %"
