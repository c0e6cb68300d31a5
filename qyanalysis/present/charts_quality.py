"""Charts of the quality and task-progress pages: tasks by status, rates by group, rates over the years.

Like the other ``charts_*`` modules, each chart takes tidy frames and
``lang`` and returns a ``Figure`` from :func:`qyanalysis.present.style.new_figure`;
it draws and words what the measures and the views computed, every text from
the zh/en label catalogue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from qyanalysis.contract.plan import item_title
from qyanalysis.present.charts_base import (
    BAR_EDGE_COLOUR,
    axis_label,
    figure_height,
    format_axis,
    indicator_unit,
    require_columns,
    require_rows,
    require_unique,
    wrap,
)
from qyanalysis.present.charts_equity import LOCATION_STYLES
from qyanalysis.present.labels import check_lang, indicator_label, t
from qyanalysis.present.numbers import format_value
from qyanalysis.present.style import (
    NEUTRAL_COLOUR,
    PALETTE,
    STATUS_COLOURS,
    STATUS_HATCHES,
    THRESHOLD_COLOUR,
    new_figure,
)

# Task progress in reading order (done first), drawn in the colour and hatch of the status it resembles.
TASK_STATUS_ORDER = ("completed", "in_progress", "delayed", "not_started", "cancelled")
TASK_STATUS_STYLE = {"completed": "met", "in_progress": "on_track", "delayed": "not_met",
                     "not_started": "no_data", "cancelled": "not_applicable"}
_GROUP_COLUMNS = ("location", "level", "value", "ci_low", "ci_high")
_TREND_COLUMNS = ("year", "value", "ci_low", "ci_high")
_OVERALL_COLOUR = "#777777"


def change_points_text(change: float | None, lang: str) -> str:
    """The size of a change target in points, unsigned: −0.005 → "0.5 个百分点" / "0.5 points" (None → 0)."""
    return format_value(abs(change or 0.0), "pp", lang).lstrip("+")


def task_progress_chart(counts: pd.DataFrame, lang: str = "zh") -> Figure:
    """Stacked horizontal bars: the tasks of each plan item by progress status.

    Statuses are stacked in :data:`TASK_STATUS_ORDER` (done first), each in the
    colour and hatch of the scorecard status it resembles
    (:data:`TASK_STATUS_STYLE`); an item without tasks gets a "no tasks" note.

    Args:
        counts: One row per item (display order): ``item`` and one task count
            per status of :data:`TASK_STATUS_ORDER`.
        lang: "zh" or "en".
    """
    check_lang(lang)
    require_columns(counts, ("item", *TASK_STATUS_ORDER), "task_progress_chart")
    require_rows(counts, "task_progress_chart")
    width = 22 if lang == "zh" else 40
    labels = [wrap(f"{t('item', lang, item=item)} {item_title(item, lang)}", lang, width)
              for item in counts["item"]]
    y = np.arange(len(counts))
    fig, ax = new_figure(height_in=figure_height(len(counts), 0.5, 1.6))
    left = np.zeros(len(counts))
    for status in TASK_STATUS_ORDER:
        widths = counts[status].to_numpy(dtype=float)
        if widths.sum() == 0:
            continue
        style = TASK_STATUS_STYLE[status]
        ax.barh(y, widths, left=left, height=0.6, color=STATUS_COLOURS[style], hatch=STATUS_HATCHES[style],
                edgecolor=BAR_EDGE_COLOUR, linewidth=0.5, label=t(f"task_status.{status}", lang))
        left += widths
    for i in y[left == 0]:
        ax.text(0, i, " " + t("report.quality.no_tasks", lang), va="center", fontsize=8)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_ylim(len(counts) - 0.5, -0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(t("report.quality.task_chart_axis", lang))
    ax.set_title(t("report.quality.task_chart_title", lang))
    fig.legend(loc="outside lower center", ncols=3)
    return fig


def group_rate_chart(rows: pd.DataFrame, indicator: str, lang: str = "zh", reference: float | None = None,
                     overall: float | None = None, overall_name: str = "") -> Figure:
    """One rate (or its change) per location × level group: dots with 95 % whiskers, target and overall lines.

    Markers and colours per location are those of the gap chart
    (:data:`qyanalysis.present.charts_equity.LOCATION_STYLES`). A change
    indicator (code ending in ``_change``) is drawn in fraction points.

    Args:
        rows: One row per group, in display order: ``location, level, value,
            ci_low, ci_high`` (groups that may be shown: disclosure is the caller's).
        indicator: Catalogue code of the rate (axis label, title and unit).
        lang: "zh" or "en".
        reference: The target threshold, drawn as a dashed line (None = none).
        overall: The county's (city's) overall value, drawn as a dotted line (None = none).
        overall_name: Display name of the county (or city) of ``overall``.
    """
    check_lang(lang)
    require_columns(rows, _GROUP_COLUMNS, "group_rate_chart")
    require_rows(rows, "group_rate_chart")
    require_unique(rows, ["location", "level"], "group_rate_chart")
    rows = rows.reset_index(drop=True)
    pairs = zip(rows["location"], rows["level"], strict=True)
    labels = [t("report.quality.group_label", lang, location=t(f"location.{loc}", lang),
                level=t(f"level.{lev}", lang)) for loc, lev in pairs]
    y = np.arange(len(rows))
    unit = indicator_unit(indicator)
    fig, ax = new_figure(height_in=figure_height(len(rows), 0.34, 1.7))
    for location, (marker, colour) in LOCATION_STYLES.items():
        at = (rows["location"] == location).to_numpy()
        if at.any():
            part = rows[at]
            error = [part["value"] - part["ci_low"], part["ci_high"] - part["value"]]
            ax.errorbar(part["value"], y[at], xerr=error, fmt=marker, color=colour, ecolor=colour, capsize=2,
                        markeredgecolor="#222222", label=t(f"location.{location}", lang))
    if reference is not None:
        ax.axvline(reference, color=THRESHOLD_COLOUR, linestyle="--", linewidth=1.5,
                   label=t("report.quality.reference", lang, value=format_value(reference, unit, lang)))
    if overall is not None:
        ax.axvline(overall, color=_OVERALL_COLOUR, linestyle=":", linewidth=1.5,
                   label=t("report.quality.overall", lang, county=overall_name,
                           value=format_value(overall, unit, lang)))
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    format_axis(ax, unit, "x")
    ax.set_xlabel(axis_label(indicator, lang))
    ax.set_title(wrap(indicator_label(indicator, lang), lang, 40))
    fig.legend(loc="outside lower center", ncols=3)
    return fig


def _trend_panel(ax: Axes, rows: pd.DataFrame, indicator: str, lang: str, threshold: float | None = None,
                 target_path: pd.DataFrame | None = None, points: str = "") -> None:
    """One rate over the years with its 95 % band, the target line or the year-by-year target."""
    ax.fill_between(rows["year"], rows["ci_low"], rows["ci_high"], color=NEUTRAL_COLOUR, alpha=0.2,
                    label=t("report.quality.trend_interval", lang))
    ax.plot(rows["year"], rows["value"], color=NEUTRAL_COLOUR, marker="o",
            label=t("report.quality.trend_observed", lang))
    if threshold is not None:
        ax.axhline(threshold, color=THRESHOLD_COLOUR, linestyle="--", linewidth=1.5,
                   label=t("report.quality.reference", lang, value=format_value(threshold, "share", lang)))
    if target_path is not None and not target_path.empty:
        ax.plot(target_path["year"], target_path["target"], linestyle="none", marker="_", markersize=16,
                markeredgewidth=2.5, color=PALETTE[3], label=t("report.quality.myopia_target_path", lang,
                                                                points=points))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    format_axis(ax, "share", "y")
    ax.set_ylabel(wrap(axis_label(indicator, lang), lang, 16))
    ax.set_title(wrap(indicator_label(indicator, lang), lang, 40), fontsize=10)
    ax.legend(loc="best", fontsize=8)


def quality_trends_chart(fitness: pd.DataFrame, myopia: pd.DataFrame, lang: str = "zh",
                         fitness_threshold: float | None = None,
                         myopia_target_path: pd.DataFrame | None = None,
                         myopia_change_target: float | None = None) -> Figure:
    """体质健康优良率 and the myopia rate over the years, one panel each, against their targets.

    Each panel draws the pooled rate with its 95 % band; the fitness panel the
    threshold line (50 %, plan item 13), the myopia panel, for each year, the
    rate that year had to reach (the previous year's rate plus the change
    target, 教体艺〔2018〕3号). An empty frame gives a "no data" panel.

    Args:
        fitness: ``year, value, ci_low, ci_high`` of ``fitness_good_rate``.
        myopia: The same of ``myopia_rate``.
        lang: "zh" or "en".
        fitness_threshold: The fitness target (None = no line).
        myopia_target_path: ``year, target``: the rate each year had to reach (None = not drawn).
        myopia_change_target: The yearly change target in fraction points (e.g.
            −0.005), named in the legend of the target path.
    """
    check_lang(lang)
    require_columns(fitness, _TREND_COLUMNS, "quality_trends_chart")
    require_columns(myopia, _TREND_COLUMNS, "quality_trends_chart")
    if myopia_target_path is not None:
        require_columns(myopia_target_path, ("year", "target"), "quality_trends_chart")
    fig, axes = new_figure(2, 1, height_in=6.0, sharex=True, squeeze=False)
    panels = [(fitness, "fitness_good_rate", fitness_threshold, None),
              (myopia, "myopia_rate", None, myopia_target_path)]
    points = change_points_text(myopia_change_target, lang)
    for ax, (rows, code, threshold, target_path) in zip(axes[:, 0], panels, strict=True):
        if rows.empty:
            ax.text(0.5, 0.5, t("chart.no_data", lang), ha="center", transform=ax.transAxes)
            continue
        _trend_panel(ax, rows, code, lang, threshold, target_path, points)
    axes[-1, 0].set_xlabel(t("chart.year", lang))
    return fig
