"""Section 3 (moral education): charts of the frames of ``qyanalysis.report.tables.moral_education``.

Rates by location × level with their Wilson whiskers, the target and the
county's overall line; the myopia changes with Newcombe whiskers; the trends
over the years; the county against the others. A group whose counts
disclosure control hid is not drawn (its value is missing in the frame).
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from qyanalysis.present.charts_quality import group_rate_chart, quality_trends_chart
from qyanalysis.report.views.common import lang_of, league_chart, nothing_to_draw
from qyanalysis.report.registry import view



def _number(frame: pd.DataFrame, column: str) -> float | None:
    """The frame's one value of a constant column (a target, an overall rate), None when missing."""
    value = frame[column].iloc[0]
    return None if pd.isna(value) else float(value)


def _groups(frame: pd.DataFrame, indicator: str, value: str = "value", low: str = "ci_low", high: str = "ci_high",
            line: str = "threshold", overall: str = "overall") -> Figure | HTML:
    drawn = frame[frame[value].notna()]
    if drawn.empty:
        return nothing_to_draw(frame)
    rows = drawn[["location", "level", value, low, high]].set_axis(
        ["location", "level", "value", "ci_low", "ci_high"], axis=1)
    return group_rate_chart(rows, indicator, lang_of(frame), _number(drawn, line) if line else None,
                            _number(drawn, overall), str(drawn["place"].iloc[0]))


@view("fitness_by_group")
def fitness_chart(groups: pd.DataFrame) -> Figure | HTML:
    """The 优良率 groups of :func:`~qyanalysis.report.tables.moral_education.fitness_by_group` against 50 %."""
    return _groups(groups, "fitness_good_rate")


@view("fitness_tested_by_group")
def tested_chart(groups: pd.DataFrame) -> Figure | HTML:
    """The tested shares of :func:`~qyanalysis.report.tables.moral_education.fitness_tested_by_group`."""
    return _groups(groups, "fitness_tested_share")


@view("myopia_by_group")
def myopia_chart(groups: pd.DataFrame) -> Figure | HTML:
    """The myopia rates of :func:`~qyanalysis.report.tables.moral_education.myopia_by_group` (no target line)."""
    return _groups(groups, "myopia_rate", line="")


@view("myopia_by_group")
def myopia_change_chart(groups: pd.DataFrame) -> Figure | HTML:
    """The changes on last year of :func:`~qyanalysis.report.tables.moral_education.myopia_by_group`,
    against the change target and the county's overall change."""
    return _groups(groups, "myopia_rate_change", "change", "change_low", "change_high", overall="overall_change")


@view("quality_trends")
def trends_chart(trends: pd.DataFrame) -> Figure | HTML:
    """优良率 and myopia rate of :func:`~qyanalysis.report.tables.moral_education.quality_trends` over the years."""
    if trends.empty:
        return nothing_to_draw(trends)
    columns = ["year", "value", "ci_low", "ci_high"]
    fitness = trends[["year", "fitness_good_rate", "fitness_low", "fitness_high"]].set_axis(columns, axis=1)
    myopia = trends[["year", "myopia_rate", "myopia_low", "myopia_high"]].set_axis(columns, axis=1)
    change_target = _number(trends, "threshold")
    path = trends.loc[trends["target"].notna(), ["year", "target"]] if change_target is not None else None
    return quality_trends_chart(fitness.dropna(subset=["value"]), myopia.dropna(subset=["value"]),
                                lang_of(trends), _number(trends, "fitness_threshold"), path, change_target)


@view("quality_league")
def quality_league_chart(league: pd.DataFrame) -> Figure | HTML:
    """The counties of :func:`~qyanalysis.report.tables.moral_education.quality_league`, status-coloured."""
    return league_chart(league)
