"""The zh/en label catalogue and the wording of numbers by unit."""

from __future__ import annotations

import math

import pytest

from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.contract.plan import SECTIONS
from qyanalysis.present import labels
from qyanalysis.present.labels import t
from qyanalysis.present.numbers import format_value
from qyanalysis.present.style import STATUSES


def test_every_key_has_both_languages_and_the_same_format_fields():
    for key, entry in labels.catalogue().items():
        assert set(entry) == {"zh", "en"}, key
        assert isinstance(entry["zh"], str) and isinstance(entry["en"], str), key
        assert bool(entry["zh"]) == bool(entry["en"]), key  # only unit suffixes may be empty, in both
        assert labels.template_fields(entry["zh"]) == labels.template_fields(entry["en"]), key


def test_unknown_key_raises_instead_of_falling_back():
    with pytest.raises(KeyError, match="status.done"):
        t("status.done")


def test_language_other_than_zh_or_en_raises():
    with pytest.raises(ValueError, match="unknown language"):
        t("status.met", "fr")
    with pytest.raises(ValueError):
        labels.check_lang("zh-CN")


def test_a_template_field_not_given_raises():
    with pytest.raises(KeyError):
        t("chart.target.title", "zh")


def test_template_fields_are_filled_verbatim():
    assert t("counts.count", "zh", count=3) == "3 项"
    assert t("counts.count", "en", count=3) == "3 in total"
    assert t("item", "en", item=27) == "Item 27"


def test_status_labels_in_both_languages():
    expected_zh = ["达标", "未达标", "有望达标", "存在风险", "无数据", "不适用"]
    expected_en = ["met", "not met", "on track", "at risk", "no data", "not applicable"]
    assert [labels.status_label(s, "zh") for s in STATUSES] == expected_zh
    assert [labels.status_label(s, "en") for s in STATUSES] == expected_en


def test_indicator_names_come_from_the_contract_catalogue():
    for code, entry in CATALOGUE.items():
        assert labels.indicator_label(code, "zh") == entry.label_zh
        assert labels.indicator_label(code, "en") == entry.label_en


def test_section_titles_come_from_the_plan_structure():
    second = SECTIONS[1]
    assert labels.section_title(2, "zh") == f"二、{second.title_zh}"
    assert labels.section_title(2, "en") == f"2. {second.title_en}"
    assert all(labels.has_label(f"section.{s.number}") for s in SECTIONS)


def test_demo_banner_text():
    assert labels.demo_banner("zh") == "本报告使用合成演示数据,并非官方统计数据。"
    assert labels.demo_banner("en") == (
        "This report uses synthetic demonstration data, not official statistics.")


def test_every_catalogue_unit_has_a_label_a_suffix_and_a_number_format():
    for unit in {entry.unit for entry in CATALOGUE.values()}:
        for lang in labels.LANGS:
            assert labels.unit_label(unit, lang)
            assert isinstance(format_value(1.0, unit, lang), str)


def test_table_headers_for_every_scorecard_column():
    scorecard_columns = (
        "target_id item indicator county_code year value comparator threshold status section theme unit "
        "period previous_value ci_low ci_high forecast forecast_low forecast_high numerator denominator "
        "quote note").split()
    for column in scorecard_columns:
        assert labels.column_label(column, "zh") and labels.column_label(column, "en")


@pytest.mark.parametrize(
    ("value", "unit", "lang", "expected"),
    [
        (0.853, "share", "zh", "85.3 %"),  # 0.853 × 100 = 85.3
        (0.005, "rate", "en", "0.5 %"),  # 0.005 × 100 = 0.5
        (-0.005, "pp", "zh", "−0.5 个百分点"),  # −0.005 × 100 = −0.5 points, signed
        (0.002, "pp", "en", "+0.2 pp"),
        (-0.05, "change", "en", "−5.0 %"),  # relative change −0.05 = −5 %
        (20500.0, "count", "en", "20,500"),  # thousands separator
        (1234567.0, "yuan", "zh", "1,234,567 元"),
        (12345.5, "yuan", "en", "12,345.50 yuan"),  # not whole → two decimals
        (0.452, "ratio", "en", "0.452"),  # third decimal kept: never rounded onto a 0.45 limit
        (0.45, "ratio", "en", "0.45"),
        (1.0, "ratio", "zh", "1.00"),
        (4.2, "per100", "zh", "4.20"),
        (4.5, "m2_per_student", "en", "4.50 m²"),
        (2000.0, "yuan_per_student", "zh", "2,000 元"),
        (1520.25, "m2", "en", "1,520.2 m²"),  # one decimal (round-half-even on 1520.25 → 1520.2)
        (math.nan, "share", "zh", "—"),
        (None, "count", "en", "—"),
        (1.0, "flag", "zh", "是"),  # a yes/no fact, never "100.0 %"
        (0.0, "flag", "en", "No"),
    ],
)
def test_format_value_by_unit(value, unit, lang, expected):
    assert format_value(value, unit, lang) == expected


def test_format_value_unknown_unit_raises():
    with pytest.raises(KeyError):
        format_value(1.0, "furlongs")


def test_comparators():
    assert labels.comparator_label(">=", "zh") == "不低于"
    assert labels.comparator_label("<=", "en") == "at most"
    assert labels.comparator_symbol(">=") == "≥"


def test_every_registry_theme_has_a_label():
    from qyanalysis.verdicts.targets import THEMES

    for theme in THEMES:
        assert labels.t(f"theme.{theme}", "zh") and labels.t(f"theme.{theme}", "en")


def test_yes_no_indicators_are_worded():
    assert format_value(1.0, "flag", "zh") == "是"
    assert format_value(0.0, "flag", "en") == "No"
    assert format_value(float("nan"), "flag", "zh") == "—"


def test_a_registered_indicator_is_named_at_once_and_a_labels_file_may_reword_it():
    from qyanalysis.contract import indicators

    indicators.register(indicators.Indicator("toy_count", 15, "count", "computed", "示例学校数", "Toy schools",
                                             counts="schools", formula="Σ schools.", source="示例"))
    try:
        assert labels.indicator_label("toy_count", "zh") == "示例学校数"
        assert labels.indicator_label("toy_count", "en") == "Toy schools"
        with pytest.MonkeyPatch.context() as patch:
            reworded = {**labels.file_entries(), "indicator.toy_count": {"zh": "示例", "en": "Toy"}}
            patch.setattr(labels, "file_entries", lambda: reworded)
            labels._catalogue.cache_clear()
            assert labels.indicator_label("toy_count", "en") == "Toy"  # the file wins
        labels._catalogue.cache_clear()
    finally:
        indicators.unregister("toy_count")
    assert not labels.has_label("indicator.toy_count")


def test_every_indicator_of_the_assessment_and_the_school_rule_has_a_short_name():
    """The city's readiness grid and the shortfall tables name indicators briefly (labels_short.json); an
    indicator without a short name falls back to its catalogue name."""
    from qyanalysis.contract.indicators import BALANCE_INDICATORS
    from qyanalysis.verdicts.targets.assessment import load_assessment

    codes = [*load_assessment()["indicator"].astype(str), *BALANCE_INDICATORS]
    for code in codes:
        for lang in ("zh", "en"):
            assert labels.has_label(f"indicator_short.{code}"), code
            short, full = labels.indicator_short_label(code, lang), labels.indicator_label(code, lang)
            assert len(short) <= len(full), code
    assert labels.indicator_short_label("preschool_public_share", "zh") == labels.indicator_label(
        "preschool_public_share", "zh")
