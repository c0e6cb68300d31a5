"""Equity charts: 优质均衡 coefficients of variation against their limits, urban–rural gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from qyanalysis.contract.indicators import BALANCE_CV_LIMITS, BALANCE_INDICATORS, BALANCE_LEVELS
from qyanalysis.present.charts_base import (
    axis_label,
    draw_status_bars,
    figure_height,
    format_axis,
    indicator_unit,
    require_columns,
    require_rows,
    require_unique,
    status_legend,
    wrap,
)
from qyanalysis.present.labels import check_lang, format_value, t
from qyanalysis.present.style import NEUTRAL_COLOUR, PALETTE, THRESHOLD_COLOUR, new_figure

CV_PREFIX = "balance_cv_"
# Marker and colour per location: distinct in colour and in greyscale.
LOCATION_STYLES: dict[str, tuple[str, str]] = {
    "urban": ("o", PALETTE[0]),
    "town": ("s", PALETTE[1]),
    "rural": ("^", PALETTE[3]),
}


def _cv_code(resource: str, level: str) -> str:
    return f"{CV_PREFIX}{resource}_{level}"


def cv_chart(measure_rows: pd.DataFrame, lang: str = "zh") -> Figure:
    """The seven 优质均衡 差异系数 of one county, one panel per level, against the 0.50 / 0.45 limits.

    Limits from ``contract.indicators.BALANCE_CV_LIMITS`` (教督〔2017〕6号:
    primary <= 0.50, junior <= 0.45). Bars take the status colour when the
    rows carry a ``status`` (scorecard rows), else the neutral colour.

    Args:
        measure_rows: Rows of one county and year with ``indicator, value``
            (``balance_cv_<resource>_<level>`` codes; other rows are ignored).
        lang: "zh" or "en".
    """
    check_lang(lang)
    require_columns(measure_rows, ("indicator", "value"), "cv_chart")
    rows = measure_rows[measure_rows["indicator"].str.startswith(CV_PREFIX)]
    require_rows(rows, "cv_chart")
    require_unique(rows, ["indicator"], "cv_chart")
    by_code = rows.set_index("indicator")
    resources = list(BALANCE_INDICATORS)
    y = np.arange(len(resources))
    fig, axes = new_figure(1, len(BALANCE_LEVELS), height_in=figure_height(len(resources), 0.42, 1.6),
                           sharey=True)
    for ax, level in zip(axes, BALANCE_LEVELS, strict=True):
        panel = by_code.reindex([_cv_code(r, level) for r in resources])
        values = panel["value"].astype(float)
        if "status" in panel:
            draw_status_bars(ax, y, values.fillna(0.0), panel["status"].tolist())
        else:
            ax.barh(y, values.fillna(0.0), height=0.6, color=NEUTRAL_COLOUR)
        for i in y[values.isna().to_numpy()]:
            ax.text(0, i, " " + t("chart.no_data", lang), va="center", fontsize=8)
        limit = BALANCE_CV_LIMITS[level]
        ax.axvline(limit, color=THRESHOLD_COLOUR, linestyle="--", linewidth=1.5)
        ax.set_xlim(0, max(limit, float(values.max(skipna=True) if values.notna().any() else 0)) * 1.15)
        ax.set_title(t("chart.cv.panel", lang, level=t(f"level.{level}", lang),
                       limit=format_value(limit, "ratio", lang)))
        ax.set_xlabel(t("chart.cv.axis", lang))
    axes[0].set_yticks(y, [wrap(t(f"balance.{r}", lang), lang) for r in resources], fontsize=8)
    axes[0].set_ylim(len(resources) - 0.5, -0.5)
    fig.suptitle(t("chart.cv.title", lang))
    if "status" in rows:
        status_legend(fig, rows["status"], lang)
    return fig


def gap_chart(frame: pd.DataFrame, lang: str = "zh") -> Figure:
    """Urban, town and rural values of each indicator side by side, one panel per indicator.

    Each indicator keeps its own unit and scale; the markers differ by shape
    and colour, and a line joins the lowest to the highest so the gap reads at
    a glance.

    Args:
        frame: Rows of one county and year with ``indicator, location, value``
            (``location`` in urban | town | rural).
        lang: "zh" or "en".
    """
    check_lang(lang)
    require_columns(frame, ("indicator", "location", "value"), "gap_chart")
    require_rows(frame, "gap_chart")
    require_unique(frame, ["indicator", "location"], "gap_chart")
    unknown = set(frame["location"]) - set(LOCATION_STYLES)
    if unknown:
        raise ValueError(f"gap_chart: unknown location values {sorted(map(str, unknown))}")
    indicators = list(pd.unique(frame["indicator"]))
    fig, axes = new_figure(len(indicators), 1, height_in=figure_height(len(indicators), 1.05, 0.9),
                           squeeze=False)
    for ax, code in zip(axes[:, 0], indicators, strict=True):
        rows = frame[(frame["indicator"] == code) & frame["value"].notna()]
        values = rows["value"].astype(float)
        if len(rows) > 1:
            ax.hlines(0, values.min(), values.max(), colors="#888888", linewidths=2, zorder=1)
        for location, (marker, colour) in LOCATION_STYLES.items():
            at = rows.loc[rows["location"] == location, "value"].astype(float)
            ax.scatter(at, np.zeros(len(at)), marker=marker, s=60, color=colour, edgecolors="#222222",
                       zorder=2)
        if rows.empty:
            ax.text(0.5, 0, t("chart.no_data", lang), ha="center", va="center",
                    transform=ax.get_yaxis_transform())
        ax.set_yticks([])
        ax.set_ylim(-1, 1)
        format_axis(ax, indicator_unit(code), "x")
        ax.set_title(wrap(axis_label(code, lang), lang, 40), fontsize=9)
    handles = [Line2D([], [], marker=marker, color=colour, markeredgecolor="#222222", linestyle="none",
                      markersize=7, label=t(f"location.{location}", lang))
               for location, (marker, colour) in LOCATION_STYLES.items()]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(LOCATION_STYLES))
    fig.suptitle(t("chart.gap.title", lang))
    return fig
