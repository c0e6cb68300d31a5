"""Charts over time: a cumulative trend with its year-end forecast, small multiples across counties."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from qyanalysis.present.charts_base import (
    axis_label,
    figure_height,
    format_axis,
    indicator_unit,
    marked,
    require_columns,
    require_rows,
    require_unique,
    single_value,
    wrap,
)
from qyanalysis.present.labels import check_lang, indicator_label, t
from qyanalysis.present.shown import threshold_text
from qyanalysis.present.style import NEUTRAL_COLOUR, PALETTE, THRESHOLD_COLOUR, new_figure

SMALL_MULTIPLE_COLUMNS = 4
_FORECAST_COLOUR = PALETTE[1]


def _month_numbers(periods: pd.Series) -> np.ndarray:
    """Month of the year (1–12) of "YYYY-MM" periods; ValueError for anything else."""
    parsed = pd.to_datetime(periods.astype(str), format="%Y-%m", errors="coerce")
    if parsed.isna().any():
        bad = periods[parsed.isna()].head(3).tolist()
        raise ValueError(f"trend_chart: periods must be YYYY-MM (cumulative to month), got {bad}")
    return parsed.dt.month.to_numpy()


def _forecast_fields(forecast: pd.Series | pd.DataFrame | Mapping[str, float]) -> dict[str, float]:
    """``forecast, forecast_low, forecast_high`` from a scorecard row, a one-row frame or a mapping."""
    if isinstance(forecast, pd.DataFrame):
        if len(forecast) != 1:
            raise ValueError(f"trend_chart: one forecast row expected, got {len(forecast)}")
        forecast = forecast.iloc[0]
    fields = {name: float(forecast[name]) for name in ("forecast", "forecast_low", "forecast_high")}
    if any(math.isnan(v) for v in fields.values()):
        raise ValueError(f"trend_chart: the forecast has missing values {fields}")
    return fields


def _draw_forecast(ax: Axes, last_month: int, last_value: float, fields: dict[str, float], lang: str) -> None:
    """The fan from the last observed month to the year-end interval, and the point forecast."""
    ax.fill_between([last_month, 12], [last_value, fields["forecast_low"]],
                    [last_value, fields["forecast_high"]], color=_FORECAST_COLOUR, alpha=0.25,
                    hatch="//", edgecolor=_FORECAST_COLOUR, linewidth=0,
                    label=t("chart.trend.interval", lang))
    ax.plot([last_month, 12], [last_value, fields["forecast"]], color=_FORECAST_COLOUR, linestyle="--",
            marker="D", markevery=[1], label=t("chart.trend.forecast", lang))
    ax.errorbar([12], [fields["forecast"]], yerr=[[fields["forecast"] - fields["forecast_low"]],
                                                 [fields["forecast_high"] - fields["forecast"]]],
                fmt="none", ecolor=_FORECAST_COLOUR, capsize=4)


def _comparator(forecast: pd.Series | pd.DataFrame | Mapping[str, float] | None) -> str:
    """The target's comparator when the forecast row carries one ("" otherwise)."""
    if forecast is None or "comparator" not in forecast:
        return ""
    found = forecast["comparator"]
    return str(found.iloc[0]) if isinstance(found, pd.Series) else str(found)


def trend_chart(series: pd.DataFrame, forecast: pd.Series | pd.DataFrame | Mapping[str, float] | None = None,
                threshold: float | None = None, lang: str = "zh") -> Figure:
    """Monthly cumulative values of one indicator in one year, with the year-end forecast interval.

    Args:
        series: One row per month (``period`` "YYYY-MM", ``value``; optional
            ``indicator`` for the title, axis label and unit, and ``scope_mark``: whose figure it is, the
            county's or the city's name, added to the title).
        forecast: The year-end forecast (``forecast, forecast_low, forecast_high``),
            e.g. the indicator's scorecard row; None = no forecast drawn.
        threshold: The year's target, drawn as a line (None = none).
        lang: "zh" or "en".
    """
    check_lang(lang)
    require_columns(series, ("period", "value"), "trend_chart")
    rows = series[series["value"].notna()]
    require_rows(rows, "trend_chart")
    require_unique(rows, ["period"], "trend_chart")
    rows = rows.assign(month=_month_numbers(rows["period"])).sort_values("month")
    code = str(single_value(rows, "indicator", "trend_chart")) if "indicator" in rows else None
    unit = indicator_unit(code) if code else "count"
    year = str(rows["period"].iloc[0])[:4]
    fig, ax = new_figure()
    ax.plot(rows["month"], rows["value"].astype(float), color=NEUTRAL_COLOUR, marker="o",
            label=t("chart.trend.observed", lang))
    if forecast is not None:
        _draw_forecast(ax, int(rows["month"].iloc[-1]), float(rows["value"].iloc[-1]),
                       _forecast_fields(forecast), lang)
    if threshold is not None:
        line_text = threshold_text(threshold, code, unit, lang, _comparator(forecast))
        ax.axhline(threshold, color=THRESHOLD_COLOUR, linestyle=":", linewidth=1.5,
                   label=f"{t('chart.threshold', lang)} {line_text}")
    ax.set_xlim(0.5, 12.5)
    ax.set_xticks(range(1, 13))
    ax.set_xlabel(f"{t('chart.month', lang)} ({year})")
    format_axis(ax, unit, "y")
    ax.set_ylabel(wrap(axis_label(code, lang), lang, 24) if code else t("unit.count", lang))
    if code:
        whose = str(single_value(rows, "scope_mark", "trend_chart")) if "scope_mark" in rows else ""
        ax.set_title(wrap(marked(indicator_label(code, lang), whose, lang), lang, 40))
    ax.legend(loc="lower right")
    return fig


def _annual_by_county(rows: pd.DataFrame, unique: list[str], chart: str) -> pd.DataFrame:
    """The annual rows (monthly ones belong to :func:`trend_chart`), one per ``unique`` key, with a
    ``county`` column (its name, else its code), in county then year order; ValueError for none or a
    repeated key."""
    if "period" in rows:
        rows = rows[rows["period"].fillna("").astype(str) == ""]
    require_rows(rows, chart)
    require_unique(rows, unique, chart)
    names = rows["county_name"] if "county_name" in rows else rows["county_code"]
    return rows.assign(county=names.astype(str)).sort_values(["county_code", "year"])


def small_multiples(frame: pd.DataFrame, indicator: str, lang: str = "zh",
                    threshold: float | None = None) -> Figure:
    """One small panel per county showing an indicator over the years, on shared axes.

    Args:
        frame: Rows with ``county_code, year, value`` (optional ``county_name``,
            ``indicator``: other indicators' rows are ignored).
        indicator: Catalogue code of the indicator shown.
        lang: "zh" or "en".
        threshold: Target drawn in every panel (None = none).
    """
    check_lang(lang)
    require_columns(frame, ("county_code", "year", "value"), "small_multiples")
    rows = frame[frame["indicator"] == indicator] if "indicator" in frame else frame
    rows = _annual_by_county(rows, ["county_code", "year"], "small_multiples")
    counties = list(pd.unique(rows["county"]))
    ncols = min(SMALL_MULTIPLE_COLUMNS, len(counties))
    nrows = math.ceil(len(counties) / ncols)
    unit = indicator_unit(indicator)
    fig, axes = new_figure(nrows, ncols, height_in=figure_height(nrows, 1.7, 1.0), squeeze=False,
                           sharex=True, sharey=True)
    for ax, (county, panel) in zip(axes.flat, rows.groupby("county", sort=False), strict=False):
        ax.plot(panel["year"], panel["value"].astype(float), color=NEUTRAL_COLOUR, marker="o", markersize=3)
        if threshold is not None:
            ax.axhline(threshold, color=THRESHOLD_COLOUR, linestyle=":", linewidth=1)
        ax.set_title(str(county), fontsize=9)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
        format_axis(ax, unit, "y")
        ax.tick_params(labelsize=7)
    for ax in axes.flat[len(counties):]:
        ax.set_visible(False)
    fig.suptitle(wrap(t("chart.small_multiples.title", lang, indicator=indicator_label(indicator, lang)),
                      lang, 40))
    fig.supylabel(wrap(axis_label(indicator, lang), lang, 30), fontsize=9)
    return fig


def small_multiples_matrix(frame: pd.DataFrame, lang: str = "zh",
                           thresholds: Mapping[str, float | None] | None = None) -> Figure:
    """Several indicators over the years in one figure: a row of panels per county, a column per indicator.

    Each column has its own scale, shared down the column (its tick labels on the top panel, its gridlines
    across every panel) and the indicator's target line; the years are shared by every panel (labelled on
    the bottom row). The county names label the rows and the indicator names, with their units, head the
    columns, so each name is written once; a county without values of an indicator has an empty panel.

    Args:
        frame: Rows with ``indicator, county_code, year, value`` (optional ``county_name``); annual rows
            only (monthly rows belong to :func:`trend_chart`).
        lang: "zh" or "en".
        thresholds: Target line of an indicator (absent or None: none).
    """
    check_lang(lang)
    require_columns(frame, ("indicator", "county_code", "year", "value"), "small_multiples_matrix")
    rows = _annual_by_county(frame, ["indicator", "county_code", "year"], "small_multiples_matrix")
    indicators = [str(code) for code in pd.unique(rows["indicator"])]
    counties = list(pd.unique(rows["county"]))
    fig, axes = new_figure(len(counties), len(indicators), height_in=figure_height(len(counties), 0.8, 1.2),
                           squeeze=False, sharex=True, sharey="col")
    panels = {key: panel for key, panel in rows.groupby(["county", "indicator"], sort=False)}
    for column, code in enumerate(indicators):
        line = (thresholds or {}).get(code)
        for row, county in enumerate(counties):
            ax = axes[row, column]
            panel = panels.get((county, code))
            if panel is not None:
                ax.plot(panel["year"], panel["value"].astype(float), color=NEUTRAL_COLOUR, marker="o",
                        markersize=3)
            if line is not None:
                ax.axhline(line, color=THRESHOLD_COLOUR, linestyle=":", linewidth=1)
            ax.tick_params(labelsize=7, labelleft=row == 0)
        top = axes[0, column]
        top.yaxis.set_major_locator(MaxNLocator(nbins=3))
        format_axis(top, indicator_unit(code), "y")
        top.set_title(wrap(axis_label(code, lang), lang, 14 if lang == "zh" else 24), fontsize=8)
    axes[0, 0].xaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    for row, county in enumerate(counties):
        axes[row, 0].set_ylabel(county, rotation=0, ha="right", va="center", fontsize=8)
    return fig
