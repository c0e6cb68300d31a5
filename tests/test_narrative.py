"""Narrative sentences from a scorecard, plain and Markdown-escaped."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from qyanalysis.present import narrative
from qyanalysis.present.labels import indicator_label

NAN = math.nan


def _card() -> pd.DataFrame:
    """Six targets of one county in 2022: 2 met, 1 not met, 1 at risk, 1 no data, 1 not applicable."""
    return pd.DataFrame({
        "target_id": ["t7a", "t7b", "t8a", "t13b", "t13a", "t27"],
        "indicator": ["preschool_public_share", "preschool_inclusive_share", "compulsory_dropout_rate",
                      "myopia_rate_change", "fitness_good_rate", "temporary_teacher_excess_cut"],
        "county_code": "441803",
        "level": "county",
        "year": 2022,
        "value": [0.523, 0.85, 0.007, -0.002, NAN, NAN],
        "comparator": [">=", ">=", "<=", "<=", ">=", ">="],
        "threshold": [0.5, 0.8, 0.005, -0.005, 0.5, NAN],
        "status": ["met", "met", "not_met", "at_risk", "no_data", "not_applicable"],
        "unit": ["share", "share", "rate", "pp", "rate", "count"],
        "quote": ["公办幼儿园在园幼儿占比达50%以上", "", "", "", "", ""],
        "label_en": ["Share of kindergarten children in public kindergartens at least 50 %", "", "", "", "", ""],
        "note": ["", "", "", "", "", "not_applicable: ratio below 5%"],
    })


def test_summary_in_chinese():
    # 6 targets of the county: 2 met, 1 at risk, 1 not met, 1 no data, 1 not applicable; each status's total said.
    text = narrative.scorecard_summary(_card(), "清新区", "zh")
    assert text == ("清新区 2022 年本县区 6 项目标：达标 2 项、存在风险 1 项、未达标 1 项、无数据 1 项、不适用 1 项。"
                    "未达标共 1 项：义务教育辍学率；存在风险共 1 项：总体近视率较上年变化；无数据共 1 项：体质健康优良率。")


def test_summary_in_english():
    text = narrative.scorecard_summary(_card(), "Qingxin District", "en")
    assert text == ("Qingxin District, 2022: 6 county targets: 2 met, 1 at risk, 1 not met, 1 no data, "
                    "1 not applicable. Not met, 1 in total: Compulsory-education dropout rate; "
                    "at risk, 1 in total: Change in myopia rate against the previous year; "
                    "no data, 1 in total: Fitness good-or-better rate.")


def test_summary_counts_the_city_s_targets_apart_and_marks_whose_each_name_is():
    # A county page: the county's 6 targets and the city's row of the dropout rate (also not met).
    city = _card().iloc[[2]].assign(county_code="441800", level="city")
    text = narrative.scorecard_summary(pd.concat([city, _card()], ignore_index=True), "清新区", "zh")
    assert text.startswith("清新区 2022 年本县区 6 项目标：达标 2 项、存在风险 1 项、未达标 1 项、无数据 1 项、"
                           "不适用 1 项；另有全市目标 1 项：未达标 1 项。")
    assert "未达标共 2 项（本县区 1 项、全市 1 项）：义务教育辍学率（全市）、义务教育辍学率（本县区）；" in text


def test_summary_says_each_status_s_total_then_at_most_five_names():
    codes = ["preschool_public_share", "preschool_inclusive_share", "compulsory_dropout_rate",
             "migrant_public_share", "fitness_good_rate", "disabled_enrollment_rate", "teacher_salary_ratio"]
    card = pd.DataFrame({"indicator": codes, "year": 2022, "status": "no_data", "county_code": "1",
                         "level": "county"})
    text = narrative.scorecard_summary(card, "X", "zh")
    # 7 targets without data: the total first ("共 7 项"), five named, then "等" (not "等 2 项", read as a total).
    assert "无数据共 7 项：" in text
    assert text.endswith(f"{indicator_label('fitness_good_rate')}等。")
    assert indicator_label("disabled_enrollment_rate") not in text
    assert indicator_label("teacher_salary_ratio") not in text


def test_summary_refuses_several_years_and_unknown_statuses():
    two_years = pd.concat([_card(), _card().assign(year=2021)])
    with pytest.raises(ValueError, match="year"):
        narrative.scorecard_summary(two_years, "清新区")
    with pytest.raises(ValueError, match="unknown status"):
        narrative.scorecard_summary(_card().assign(status="done"), "清新区")


def test_summary_with_only_not_applicable_targets():
    card = _card().iloc[[5]]
    assert narrative.scorecard_summary(card, "清新区", "zh") == "清新区 2022 年没有可评估的目标。"


def test_target_sentence_with_value_threshold_status_and_quote():
    row = _card().iloc[0]
    assert narrative.target_sentence(row, "zh") == (
        "公办幼儿园在园幼儿占比:52.3 %(目标:不低于 50.0 %),达标。计划原文:“公办幼儿园在园幼儿占比达50%以上”")
    assert narrative.target_sentence(row, "en") == (
        "Share of kindergarten children in public kindergartens: 52.3 % (target: at least 50.0 %), met. "
        "Plan target: “Share of kindergarten children in public kindergartens at least 50 %”")


def test_target_sentence_adds_interval_previous_year_and_forecast_when_present():
    row = pd.Series({"indicator": "new_public_seats_compulsory", "unit": "count", "value": 12000.0,
                     "comparator": ">=", "threshold": 20500.0, "status": "on_track",
                     "previous_value": 18000.0,
                     "forecast": 21000.0, "forecast_low": 19000.0, "forecast_high": 23000.0, "ci_low": NAN,
                     "ci_high": NAN, "quote": "", "note": ""})
    assert narrative.target_sentence(row, "en") == (
        "New public compulsory-education seats: 12,000 seats (target: at least 20,500 seats), on track. "
        "Previous year: 18,000 seats. Year-end forecast: 21,000 seats (forecast interval 19,000–23,000 seats).")


def test_target_sentence_without_data_and_not_applicable():
    card = _card()
    assert narrative.target_sentence(card.iloc[4], "zh") == "体质健康优良率:暂无数据(目标:不低于 50.0 %)。"
    assert narrative.target_sentence(card.iloc[5], "en") == (
        "Temporary teachers cut (item-27 rule): not applicable. Note: not_applicable: ratio below 5%.")


def test_previous_value_of_a_change_target_is_worded_in_its_base_unit():
    row = _card().iloc[3].copy()  # myopia_rate_change (pp); previous_value is last year's myopia_rate
    row["previous_value"] = 0.512  # 0.512 × 100 = 51.2 %
    assert "上年为 51.2 %。" in narrative.target_sentence(row, "zh")
    assert narrative.previous_value_unit("myopia_rate_change", "pp") == "rate"
    assert narrative.previous_value_unit("purchased_seats_change", "change") == "count"
    assert narrative.previous_value_unit("preschool_public_share", "share") == "share"


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "[x](javascript:alert(1))"])
def test_markdown_variants_escape_data_derived_fields(hostile):
    card = _card()
    card.loc[0, "quote"] = hostile
    texts = [narrative.scorecard_summary_markdown(card, hostile, "zh"),
             narrative.target_sentence_markdown(card.iloc[0], "en"),
             narrative.narrative_markdown(card, hostile, "en")]
    for text in texts:
        assert hostile not in text
        for dangerous in ("<script", "</script>", "](", "[x]", "javascript:alert(1)"):
            assert dangerous not in text
    assert narrative.escape_markdown(hostile).count("&") >= 4


def test_plain_variants_return_data_verbatim():
    hostile = "<script>alert(1)</script>"
    assert narrative.scorecard_summary(_card(), hostile, "zh").startswith(hostile)


def test_escape_markdown_covers_the_special_characters():
    escaped = narrative.escape_markdown("a<b>&[c](d)`e`*f*_g_\\$h")
    for character in "<>[]()`*_\\":
        assert character not in escaped.replace("\\$", "")
    assert escaped.startswith("a&lt;b&gt;&amp;&#91;c&#93;&#40;d&#41;")


def test_narrative_markdown_has_one_bullet_per_target():
    text = narrative.narrative_markdown(_card(), "清新区", "zh")
    assert text.count("\n- ") == len(_card())


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        narrative.scorecard_summary(_card(), "清新区", "de")


def test_machine_notes_are_worded_for_readers():
    from qyanalysis.present.narrative import note_text

    assert note_text("input", "zh") is None and note_text(None, "en") is None
    assert note_text("city: sum of 7 of 8 counties", "zh") == "全市数值为 7/8 个县区之和"
    assert note_text("not_applicable: 2021 temporary ratio 4.74 % <= 5% (established)", "en") == (
        "temporary-teacher ratio 4.74% in 2021, not above 5 %: the rule does not apply "
        "(ratio of temporary ÷ established)")
    assert note_text("something new", "zh") == "something new"  # unknown notes are kept, not hidden


def test_class_size_checked_on_averages_says_so_and_joined_notes_are_worded_each():
    from qyanalysis.present.narrative import note_text

    assert note_text("class_size_average", "en") == (
        "average, not every class: the census gives only classes and pupils")
    assert note_text("single_school; class_size_average", "en").endswith(
        "; average, not every class: the census gives only classes and pupils")
    assert note_text("class_size_average; input", "zh") == "按平均班额判断,并非逐班核查(数据只有班级数和学生数)"


def test_interval_is_said_only_for_rates_over_persons():
    dropout = pd.Series({"indicator": "compulsory_dropout_rate", "unit": "rate", "value": 0.004,
                         "comparator": "<=", "threshold": 0.005, "status": "met",
                         "ci_low": 0.003, "ci_high": 0.005, "quote": "", "note": ""})
    assert "95% interval 0.3–0.5 %" in narrative.target_sentence(dropout, "en")
    # a share of schools (resource-room coverage) carries no interval even if a row held one
    rooms = dropout.copy()
    rooms["indicator"], rooms["unit"], rooms["value"] = "resource_room_coverage", "share", 0.5
    rooms["comparator"], rooms["threshold"], rooms["status"] = ">=", 1.0, "not_met"
    rooms["ci_low"], rooms["ci_high"] = 0.1, 0.9
    assert "interval" not in narrative.target_sentence(rooms, "en")


def test_act_first_lists_what_is_not_met_then_at_risk_with_each_shortfall():
    # not met: dropout 0.7 % against ≤ 0.5 % (0.2 points over);
    # at risk: myopia −0.2 against ≤ −0.5 (0.3 points)
    assert narrative.act_first(_card(), "zh") == [
        "义务教育辍学率（未达标）：0.7 %，目标不高于 0.5 %，差 0.2 个百分点",
        "总体近视率较上年变化（存在风险）：−0.2 个百分点，目标不高于 −0.5 个百分点，差 0.3 个百分点"]
    assert narrative.act_first(_card(), "en")[0] == (
        "Compulsory-education dropout rate (not met): 0.7 % against a target of at most 0.5 %, "
        "0.2 pp from the target")


def test_act_first_puts_the_county_s_own_targets_before_the_city_s_and_says_whose_each_is():
    city = _card().iloc[[2]].assign(county_code="441800", level="city")
    lines = narrative.act_first(pd.concat([city, _card()], ignore_index=True), "zh")
    assert [line.split("）")[0] for line in lines] == ["义务教育辍学率（本县区，未达标", "总体近视率较上年变化（本县区，存在风险",
                                                      "义务教育辍学率（全市，未达标"]


def test_act_first_of_an_at_risk_forecast_reads_the_forecast():
    card = _card().iloc[[0]].assign(status="at_risk", value=0.49, forecast=0.482)
    assert narrative.act_first(card, "en") == [
        "Share of kindergarten children in public kindergartens (at risk): forecast 48.2 % against a "
        "target of at least 50.0 %, 1.8 pp from the target"]


def test_act_first_markdown_heads_the_list_cuts_it_and_says_when_nothing_is_to_act_on():
    many = pd.concat([_card().iloc[[2]].assign(target_id=f"t{i}") for i in range(10)], ignore_index=True)
    text = narrative.act_first_markdown(many, "en")
    assert text.startswith("**To act on first: 10 targets not met or at risk**")
    assert text.count("\n- ") == narrative.MAX_ACT_FIRST and text.endswith("2 more in the items below.")
    assert narrative.act_first_markdown(_card().iloc[[0, 1, 5]], "zh") == "本页没有未达标或存在风险的目标。"
