"""The quality and task-progress charts: rendered to PNG from tiny frames without warnings, worded from the
catalogue."""

from __future__ import annotations

import pandas as pd
import pytest
from chart_helpers import figure_texts, render_cleanly

from qyanalysis.present import charts, charts_quality
from qyanalysis.present.charts_base import axis_label
from qyanalysis.present.labels import t
from qyanalysis.present.numbers import format_value
from qyanalysis.present.style import THRESHOLD_COLOUR

LANGS = ("zh", "en")


def _counts() -> pd.DataFrame:
    """Item 1: 2 completed, 1 in progress, 1 not started; item 2: no task at all."""
    return pd.DataFrame({"item": [1, 2], "completed": [2, 0], "in_progress": [1, 0], "delayed": [0, 0],
                         "not_started": [1, 0], "cancelled": [0, 0], "total": [4, 0]})


def _groups() -> pd.DataFrame:
    return pd.DataFrame({"location": ["urban", "town", "rural"], "level": ["primary", "junior", "primary"],
                         "value": [0.55, 0.48, 0.42], "ci_low": [0.51, 0.44, 0.37],
                         "ci_high": [0.59, 0.52, 0.47]})


def _changes() -> pd.DataFrame:
    return _groups().assign(value=[-0.004, 0.002, -0.006], ci_low=[-0.010, -0.003, -0.012],
                            ci_high=[0.002, 0.007, 0.000])


def _rates(values: list[float]) -> pd.DataFrame:
    years = [2020, 2021, 2022][:len(values)]
    return pd.DataFrame({"year": years, "value": values, "ci_low": [v - 0.02 for v in values],
                         "ci_high": [v + 0.02 for v in values]})


def _path() -> pd.DataFrame:
    # The rate each year had to reach: the previous year's rate − 0.5 points (0.47 − 0.005, 0.46 − 0.005).
    return pd.DataFrame({"year": [2021, 2022], "target": [0.465, 0.455]})


CHARTS = {
    "task_progress": lambda lang: charts.task_progress_chart(_counts(), lang),
    "group_rate": lambda lang: charts.group_rate_chart(_groups(), "fitness_good_rate", lang, reference=0.5,
                                                       overall=0.49, overall_name="连南"),
    "group_change": lambda lang: charts.group_rate_chart(_changes(), "myopia_rate_change", lang,
                                                         reference=-0.005),
    "quality_trends": lambda lang: charts.quality_trends_chart(
        _rates([0.45, 0.48, 0.52]), _rates([0.47, 0.46, 0.455]), lang, fitness_threshold=0.5,
        myopia_target_path=_path(), myopia_change_target=-0.005),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_renders_to_png_without_warnings(name, lang):
    render_cleanly(lambda: CHARTS[name](lang))


@pytest.mark.parametrize("lang", LANGS)
def test_task_progress_chart_stacks_the_statuses_present_and_notes_items_without_tasks(lang):
    fig = charts.task_progress_chart(_counts(), lang)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == t("report.quality.task_chart_title", lang)  # house style: titles left
    assert ax.get_xlabel() == t("report.quality.task_chart_axis", lang)
    texts = figure_texts(fig)
    # Only the statuses with a task get a bar series (and a legend entry); delayed and cancelled have none.
    legend = {t(f"task_status.{s}", lang) for s in ("completed", "in_progress", "not_started")}
    assert legend <= texts
    assert t("task_status.delayed", lang) not in texts
    assert " " + t("report.quality.no_tasks", lang) in texts  # item 2
    # Item 1's bars end at 2, 2 + 1 = 3 and 3 + 1 = 4 tasks.
    ends = sorted(bar.get_x() + bar.get_width() for bar in ax.patches if bar.get_y() < 0.5)
    assert ends == [2.0, 3.0, 4.0]


@pytest.mark.parametrize("lang", LANGS)
def test_group_rate_chart_draws_the_target_and_the_overall_value(lang):
    fig = charts.group_rate_chart(_groups(), "fitness_good_rate", lang, reference=0.5, overall=0.49,
                                  overall_name="连南")
    ax = fig.axes[0]
    assert ax.get_xlabel() == axis_label("fitness_good_rate", lang)
    lines = {line.get_label(): line for line in ax.get_lines()}
    reference = t("report.quality.reference", lang, value=format_value(0.5, "share", lang))
    overall = t("report.quality.overall", lang, county="连南", value=format_value(0.49, "share", lang))
    assert list(lines[reference].get_xdata()) == [0.5, 0.5]
    assert lines[reference].get_color() == THRESHOLD_COLOUR
    assert list(lines[overall].get_xdata()) == [0.49, 0.49]
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels[0] == t("report.quality.group_label", lang, location=t("location.urban", lang),
                          level=t("level.primary", lang))


def test_quality_trends_chart_marks_the_yearly_myopia_target_and_an_empty_panel():
    fig = charts.quality_trends_chart(_rates([0.45, 0.48, 0.52]), _rates([0.47, 0.46, 0.455]), "en",
                                      fitness_threshold=0.5, myopia_target_path=_path(),
                                      myopia_change_target=-0.005)
    fitness_ax, myopia_ax = fig.axes
    points = charts_quality.change_points_text(-0.005, "en")
    path_label = t("report.quality.myopia_target_path", "en", points=points)
    path = next(line for line in myopia_ax.get_lines() if line.get_label() == path_label)
    assert list(path.get_xdata()) == [2021, 2022] and list(path.get_ydata()) == [0.465, 0.455]
    assert any(list(line.get_ydata()) == [0.5, 0.5] for line in fitness_ax.get_lines())
    assert myopia_ax.get_xlabel() == t("chart.year", "en")
    empty = charts.quality_trends_chart(_rates([0.45, 0.48, 0.52]), _rates([]), "zh")
    assert t("chart.no_data", "zh") in figure_texts(empty)


def test_change_points_text_is_unsigned():
    # −0.005 (fraction points) → 0.5 points, worded without a sign; no target counts as 0.
    assert charts_quality.change_points_text(-0.005, "en") == format_value(0.005, "pp", "en").lstrip("+")
    assert "0.5" in charts_quality.change_points_text(-0.005, "zh")
    assert charts_quality.change_points_text(None, "en") == format_value(0.0, "pp", "en").lstrip("+")


def test_charts_refuse_incomplete_frames():
    with pytest.raises(KeyError, match="needs columns"):
        charts.task_progress_chart(_counts().drop(columns="delayed"), "zh")
    with pytest.raises(ValueError, match="no rows"):
        charts.group_rate_chart(_groups().iloc[:0], "fitness_good_rate", "zh")
    with pytest.raises(ValueError, match="one row per"):
        charts.group_rate_chart(pd.concat([_groups(), _groups()]), "fitness_good_rate", "zh")
    with pytest.raises(KeyError, match="needs columns"):
        charts.quality_trends_chart(_rates([0.5]).drop(columns="ci_low"), _rates([0.4]), "en")
    with pytest.raises(ValueError, match="unknown language"):
        charts.task_progress_chart(_counts(), "fr")
