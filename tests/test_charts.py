"""Every chart renders to PNG from a tiny frame without warnings; its texts come from the catalogue."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from chart_helpers import figure_texts, render_cleanly
from matplotlib.colors import to_hex

from qyanalysis.present import charts
from qyanalysis.present.charts_base import axis_label
from qyanalysis.present.labels import indicator_label, t
from qyanalysis.present.numbers import target_label
from qyanalysis.present.style import NEUTRAL_COLOUR, STATUS_COLOURS

NAN = math.nan
LANGS = ("zh", "en")


def _card() -> pd.DataFrame:
    return pd.DataFrame({
        "target_id": ["t7a", "t8a", "t13b", "t6b", "t13a", "t27"],
        "indicator": ["preschool_public_share", "compulsory_dropout_rate", "myopia_rate_change",
                      "new_public_seats_compulsory", "fitness_good_rate", "temporary_teacher_excess_cut"],
        "county_code": "441803",
        "year": 2022,
        "value": [0.523, 0.007, -0.002, 12000.0, NAN, NAN],
        "comparator": [">=", "<=", "<=", ">=", ">=", ">="],
        "threshold": [0.5, 0.005, -0.005, 20500.0, 0.5, 3.0],
        "status": ["met", "not_met", "at_risk", "on_track", "no_data", "not_applicable"],
        "unit": ["share", "rate", "pp", "count", "rate", "count"],
        "forecast": [NAN, NAN, NAN, 21000.0, NAN, NAN],
        "forecast_low": [NAN, NAN, NAN, 19000.0, NAN, NAN],
        "forecast_high": [NAN, NAN, NAN, 23000.0, NAN, NAN],
    })


def _league(with_status: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame({"county_code": ["441802", "441803", "441821"], "county_name": ["清城区", "清新区", "佛冈县"],
                          "indicator": "preschool_public_share", "value": [0.48, 0.55, NAN],
                          "ci_low": [0.44, 0.50, NAN], "ci_high": [0.52, 0.60, NAN]})
    return frame.assign(status=["not_met", "met", "no_data"]) if with_status else frame


def _cv() -> pd.DataFrame:
    resources = ["qualified_teachers_per_100", "backbone_teachers_per_100", "sports_area_per_student"]
    codes = [f"balance_cv_{r}_{level}" for level in ("primary", "junior") for r in resources]
    return pd.DataFrame({"indicator": codes,
                         "value": [0.21, 0.35, 0.52, 0.30, 0.47, 0.40],
                         "threshold": [0.50, 0.50, 0.50, 0.45, 0.45, 0.45]})  # the scorecard's limits


def _series() -> pd.DataFrame:
    return pd.DataFrame({"period": ["2022-01", "2022-02", "2022-03", "2022-04"],
                         "value": [1000, 2500, 4000, 6200.0],
                         "indicator": "new_public_seats_compulsory"})


def _gap() -> pd.DataFrame:
    return pd.DataFrame({"indicator": ["fitness_good_rate"] * 3 + ["teacher_salary_ratio"] * 2,
                         "location": ["urban", "town", "rural", "urban", "rural"],
                         "value": [0.60, 0.55, 0.42, 1.10, 0.95]})


def _panel() -> pd.DataFrame:
    return pd.DataFrame({"county_code": np.repeat(["441802", "441803", "441821", "441823", "441825"], 3),
                         "year": [2020, 2021, 2022] * 5, "value": np.linspace(0.40, 0.70, 15),
                         "indicator": "preschool_public_share", "period": ""})


def _heat() -> pd.DataFrame:
    return pd.concat([_card().assign(county_code=code, county_name=name)
                      for code, name in (("441802", "清城区"), ("441803", "清新区"))])


CHARTS = {
    "target": lambda lang: charts.target_chart(_card(), lang),
    "league": lambda lang: charts.league_chart(_league(), "preschool_public_share", 0.5, lang),
    "cv": lambda lang: charts.cv_chart(_cv(), lang),
    "trend": lambda lang: charts.trend_chart(_series(), forecast=_card().iloc[3], threshold=20500.0,
                                             lang=lang),
    "gap": lambda lang: charts.gap_chart(_gap(), lang),
    "small_multiples": lambda lang: charts.small_multiples(_panel(), "preschool_public_share", lang,
                                                           threshold=0.5),
    "small_multiples_matrix": lambda lang: charts.small_multiples_matrix(
        pd.concat([_panel(), _panel().assign(indicator="compulsory_dropout_rate", value=0.001)]), lang,
        {"preschool_public_share": 0.5, "compulsory_dropout_rate": None}),
    "heatmap": lambda lang: charts.status_heatmap(_heat(), lang),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_renders_to_png_without_warnings(name, lang):
    render_cleanly(lambda: CHARTS[name](lang))


@pytest.mark.parametrize("lang", LANGS)
def test_axis_labels_and_titles_come_from_the_catalogue(lang):
    league = charts.league_chart(_league(), "preschool_public_share", 0.5, lang)
    assert league.axes[0].get_xlabel() == axis_label("preschool_public_share", lang)
    cv = charts.cv_chart(_cv(), lang)
    assert {ax.get_xlabel() for ax in cv.axes} == {t("chart.cv.axis", lang)}
    assert cv.get_suptitle() == t("chart.cv.title", lang)
    target = charts.target_chart(_card(), lang)
    assert target.axes[0].get_title(loc="left") == t("chart.target.title", lang, year=2022)
    trend = charts.trend_chart(_series(), lang=lang)
    assert trend.axes[0].get_xlabel() == f"{t('chart.month', lang)} (2022)"
    texts = figure_texts(charts.gap_chart(_gap(), lang))
    assert {t(f"location.{loc}", lang) for loc in ("urban", "town", "rural")} <= texts
    joiner = "" if lang == "zh" else " "  # wrapped: by characters in Chinese, at spaces in English
    heat_ticks = charts.status_heatmap(_heat(), lang).axes[0].get_yticklabels()
    heat_labels = {tick.get_text().replace("\n", joiner) for tick in heat_ticks}
    assert indicator_label("compulsory_dropout_rate", lang) in heat_labels
    assert t("status.at_risk", lang) in figure_texts(target)


def test_small_multiples_matrix_names_each_county_and_indicator_once():
    fig = CHARTS["small_multiples_matrix"]("zh")
    assert len(fig.axes) == 5 * 2  # a row per county, a column per indicator
    assert [ax.get_ylabel() for ax in fig.axes[::2]] == ["441802", "441803", "441821", "441823", "441825"]
    assert [ax.get_title(loc="left").replace("\n", "") for ax in fig.axes[:2]] == [
        axis_label("preschool_public_share", "zh"), axis_label("compulsory_dropout_rate", "zh")]
    assert [ax.get_title(loc="left") for ax in fig.axes[2:]] == [""] * 8
    lines = [len(ax.lines) for ax in fig.axes]  # the data, and the line only where the indicator has one
    assert lines == [2, 1] * 5


def test_languages_give_different_texts():
    zh = charts.league_chart(_league(), "preschool_public_share", 0.5, "zh").axes[0].get_xlabel()
    en = charts.league_chart(_league(), "preschool_public_share", 0.5, "en").axes[0].get_xlabel()
    assert zh != en and "公办" in zh and "public" in en


def test_league_chart_sorts_and_takes_colours_from_status_only():
    fig = charts.league_chart(_league(), "preschool_public_share", 0.5, "zh")
    ax = fig.axes[0]
    assert [tick.get_text() for tick in ax.get_yticklabels()] == ["清新区", "清城区", "佛冈县"]  # 0.55, 0.48, missing
    colours = [to_hex(bar.get_facecolor()).upper() for bar in ax.patches[:3]]
    assert colours == [STATUS_COLOURS[s].upper() for s in ("met", "not_met", "no_data")]
    # Without a status column the chart does not decide one: every bar is neutral, 0.48 < 0.5 included.
    plain = charts.league_chart(_league(with_status=False), "preschool_public_share", 0.5, "zh").axes[0]
    assert {to_hex(bar.get_facecolor()).upper() for bar in plain.patches[:3]} == {NEUTRAL_COLOUR.upper()}


def _limit_marks(ax) -> list[float]:
    """x of each dashed limit mark of a cv_chart panel (one per bar with a limit)."""
    return [float(segment[0][0]) for collection in ax.collections for segment in collection.get_segments()]


def test_cv_chart_draws_the_limit_of_each_bar_from_the_rows():
    fig = charts.cv_chart(_cv(), "en")
    assert _limit_marks(fig.axes[0]) == [0.50, 0.50, 0.50]  # primary bars with a limit
    assert _limit_marks(fig.axes[1]) == [0.45, 0.45, 0.45]
    assert fig.axes[0].get_title(loc="left") == t("chart.cv.panel", "en", level=t("level.primary", "en"), limit="0.50")


def test_cv_chart_draws_an_overridden_limit_where_the_rows_say():
    rows = _cv()
    rows.loc[rows["indicator"] == "balance_cv_sports_area_per_student_primary", "threshold"] = 0.30
    fig = charts.cv_chart(rows, "zh")
    assert _limit_marks(fig.axes[0]) == [0.50, 0.50, 0.30]  # qualified, backbone, sports area
    assert fig.axes[0].get_title(loc="left") == t("chart.cv.panel_varied", "zh", level=t("level.primary", "zh"))
    with pytest.raises(KeyError, match="threshold"):
        charts.cv_chart(rows.drop(columns="threshold"), "zh")


def test_trend_chart_forecast_interval_reaches_december():
    fig = charts.trend_chart(_series(), forecast=_card().iloc[3], threshold=20500.0, lang="en")
    ax = fig.axes[0]
    label = t("chart.trend.forecast", "en")
    forecast_line = next(line for line in ax.get_lines() if line.get_label() == label)
    assert list(forecast_line.get_xdata()) == [4, 12]
    assert list(forecast_line.get_ydata()) == [6200.0, 21000.0]


def test_charts_refuse_ambiguous_or_incomplete_frames():
    with pytest.raises(ValueError, match="one year"):
        charts.target_chart(pd.concat([_card(), _card().assign(year=2021)]), "zh")
    with pytest.raises(KeyError, match="needs columns"):
        charts.target_chart(_card().drop(columns="threshold"), "zh")
    with pytest.raises(ValueError, match="one row per"):
        charts.league_chart(pd.concat([_league(), _league()]), "preschool_public_share", 0.5, "zh")
    with pytest.raises(ValueError, match="no rows"):
        charts.cv_chart(_card(), "zh")
    with pytest.raises(ValueError, match="YYYY-MM"):
        charts.trend_chart(_series().assign(period=["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4"]), lang="zh")
    with pytest.raises(ValueError, match="location"):
        charts.gap_chart(_gap().assign(location="suburb"), "zh")
    with pytest.raises(ValueError, match="unknown language"):
        charts.status_heatmap(_heat(), "fr")


def test_league_chart_draws_intervals_only_for_rates_over_persons():
    from matplotlib.collections import LineCollection

    def error_bars(frame, indicator):
        figure = charts.league_chart(frame, indicator, None, "en")
        return sum(isinstance(c, LineCollection) for c in figure.axes[0].collections)

    assert error_bars(_league(), "preschool_public_share") == 1  # children: an interval
    rooms = _league().assign(indicator="resource_room_coverage")  # schools: none, even if given
    assert error_bars(rooms, "resource_room_coverage") == 0


def test_target_chart_names_a_city_figure_as_the_city_s():
    # The city's seats (a county page's chart shows the city row): "…（全市）"; the county's rows unmarked.
    card = _card().assign(scope_mark=["", "", "", "全市", "", ""])
    labels = {tick.get_text().replace("\n", "") for tick in charts.target_chart(card, "zh").axes[0].get_yticklabels()}
    assert f"{target_label('new_public_seats_compulsory', 'zh')}（全市）" in labels
    assert target_label("preschool_public_share", "zh") in labels



@pytest.mark.parametrize("lang", LANGS)
def test_target_chart_explains_its_marks_and_its_scale(lang):
    """Every mark of the summary chart is in its legend (statuses, the target tick, the forecast with its
    interval when a row has one), and the axis says each row has its own scale from 0."""
    from qyanalysis.present.labels import t

    def legend_texts(card):
        fig = charts.target_chart(card, lang)
        return [text.get_text() for text in fig.legends[0].get_texts()], fig.axes[0].get_xlabel()

    texts, scale = legend_texts(_card())
    assert texts[-2:] == [t("chart.threshold", lang), t("chart.target.forecast", lang)]
    assert {t(f"status.{s}", lang) for s in ("met", "not_met", "at_risk", "on_track")} <= set(texts)
    assert scale == t("chart.target.scale", lang)
    texts, _ = legend_texts(_card().drop(columns=["forecast", "forecast_low", "forecast_high"]))
    assert texts[-1] == t("chart.threshold", lang) and t("chart.target.forecast", lang) not in texts


def test_an_amount_s_axis_starts_at_zero_and_a_rate_s_keeps_its_range():
    """Money per pupil (2,820 and 2,660 元) is drawn from 0, so the urban–rural gap looks as large as it is;
    a rate's panel keeps an axis around its values."""
    frame = pd.DataFrame({"indicator": ["equipment_value_per_student"] * 2 + ["fitness_good_rate"] * 2,
                          "location": ["urban", "rural"] * 2, "value": [2820.0, 2660.0, 0.60, 0.42]})
    money, rate = charts.gap_chart(frame, "zh").axes
    low, high = money.get_xlim()
    assert low == 0 and high > 2820
    assert rate.get_xlim()[0] > 0.3
