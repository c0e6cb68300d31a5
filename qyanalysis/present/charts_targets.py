"""Charts of targets: actual against threshold, county league table, status heat map."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from qyanalysis.contract.indicators import FLAG_UNIT, has_interval
from qyanalysis.present.charts_base import (
    axis_label,
    draw_status_bars,
    figure_height,
    format_axis,
    indicator_unit,
    marked,
    require_columns,
    require_rows,
    require_unique,
    row_height,
    single_value,
    status_legend,
    wrap,
)
from qyanalysis.present.labels import check_lang, comparator_symbol, indicator_label, t
from qyanalysis.present.numbers import target_label
from qyanalysis.present.shown import shown_row, threshold_text
from qyanalysis.present.style import (
    FIGURE_WIDTH_IN,
    NEUTRAL_COLOUR,
    STATUS_COLOURS,
    STATUS_MARKERS,
    STATUSES,
    THRESHOLD_COLOUR,
    new_figure,
)

_TARGET_COLUMNS = ("indicator", "year", "value", "comparator", "threshold", "status", "unit")
_MARK_COLOUR = "#222222"
_HEATMAP_WRAP = {"zh": 18, "en": 36}
_TARGET_WRAP = {"zh": 13, "en": 30}
_SPAN_COLUMNS = ("value", "threshold", "forecast", "forecast_low", "forecast_high", "ci_low", "ci_high")


def _row_spans(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per-row drawing range [low, high] that holds 0 and every number of the row.

    Each target has its own unit and scale, so each row is drawn on its own
    axis range mapped to [0, 1]; this is layout, not a measure.
    """
    numbers = rows[[c for c in _SPAN_COLUMNS if c in rows]].astype(float)
    low = np.minimum(numbers.min(axis=1).fillna(0.0).to_numpy(), 0.0)
    high = np.maximum(numbers.max(axis=1).fillna(0.0).to_numpy(), 0.0)
    high = np.where(high - low > 0, high + 0.08 * (high - low), low + 1.0)
    return low, high


def _scaled(rows: pd.DataFrame, column: str, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    if column not in rows:
        return np.full(len(rows), np.nan)
    return (rows[column].astype(float).to_numpy() - low) / (high - low)


def target_chart(scorecard_rows: pd.DataFrame, lang: str = "zh") -> Figure:
    """Actual against target for each scorecard row: a status-coloured bar and the threshold line.

    Each row has its own scale (units differ between targets); the numbers are
    written at the right, "value | ≥ threshold", so nothing is read off an axis.
    A row with a year-end forecast also shows the forecast interval.

    Args:
        scorecard_rows: Scorecard rows of one county and one year
            (``indicator, year, value, comparator, threshold, status, unit``;
            optional ``rule`` — a change on the previous year is named and signed
            as one —, ``scope_mark`` — whose figure a row is, e.g. "全市" for the
            city's on a county's chart, added to its name — and ``forecast,
            forecast_low, forecast_high``), in display order.
        lang: "zh" or "en".
    """
    check_lang(lang)
    require_columns(scorecard_rows, _TARGET_COLUMNS, "target_chart")
    require_rows(scorecard_rows, "target_chart")
    rows = scorecard_rows.reset_index(drop=True)
    year = single_value(rows, "year", "target_chart")
    n = len(rows)
    rules = rows["rule"] if "rule" in rows else pd.Series("", index=rows.index)
    marks = rows["scope_mark"] if "scope_mark" in rows else pd.Series("", index=rows.index)
    tick_labels = [wrap(marked(target_label(code, lang, rule), str(mark), lang), lang, _TARGET_WRAP[lang])
                   for code, rule, mark in zip(rows["indicator"], rules, marks, strict=True)]
    fig, ax = new_figure(height_in=figure_height(n, row_height(tick_labels, 0.42), 1.4))
    low, high = _row_spans(rows)
    y = np.arange(n)
    zero = -low / (high - low)
    has_value = rows["value"].notna().to_numpy()
    draw_status_bars(ax, y[has_value], (_scaled(rows, "value", low, high) - zero)[has_value],
                     rows["status"][has_value].tolist(), left=zero[has_value])
    threshold = _scaled(rows, "threshold", low, high)
    ax.vlines(threshold, y - 0.4, y + 0.4, colors=THRESHOLD_COLOUR, linewidths=2,
              label=t("chart.threshold", lang))
    forecast_rows = rows["forecast_low"].notna().to_numpy() if "forecast_low" in rows else np.zeros(n, bool)
    if forecast_rows.any():
        f_low = _scaled(rows, "forecast_low", low, high)[forecast_rows]
        f_high = _scaled(rows, "forecast_high", low, high)[forecast_rows]
        ax.hlines(y[forecast_rows], f_low, f_high, colors=THRESHOLD_COLOUR, linewidths=1,
                  label=t("chart.trend.interval", lang))
        ax.plot(_scaled(rows, "forecast", low, high)[forecast_rows], y[forecast_rows], linestyle="none",
                marker="o", markerfacecolor="white", markeredgecolor=THRESHOLD_COLOUR,
                label=t("chart.trend.forecast", lang))
    text_transform = blended_transform_factory(ax.transAxes, ax.transData)
    for i, row in rows.iterrows():
        unit = str(row["unit"])
        shown = shown_row(row)
        value_text = shown.text("value", lang) if has_value[i] else t("chart.no_data", lang)
        comparator = t("comparator.flag", lang) if unit == FLAG_UNIT else comparator_symbol(row["comparator"])
        target_text = f"{comparator} {shown.text('threshold', lang)}"
        ax.text(1.02, i, f"{value_text} | {target_text}", transform=text_transform, va="center", fontsize=8)
    ax.set_yticks(y, tick_labels, fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xticks([])
    ax.grid(False)
    ax.set_title(t("chart.target.title", lang, year=year))
    ax.set_xlabel(t("chart.target.scale", lang), fontsize=8)
    marks = [(Line2D([], [], color=THRESHOLD_COLOUR, marker="|", linestyle="none", markersize=11,
                     markeredgewidth=2), t("chart.threshold", lang))]
    if forecast_rows.any():
        interval = Line2D([], [], color=THRESHOLD_COLOUR, linewidth=1)
        point = Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                       markeredgecolor=THRESHOLD_COLOUR)
        marks.append(((interval, point), t("chart.target.forecast", lang)))
    status_legend(fig, rows["status"], lang, marks)
    return fig


def league_chart(frame: pd.DataFrame, indicator: str, threshold: float | None = None,
                 lang: str = "zh") -> Figure:
    """Counties ranked on one indicator, with the threshold line.

    Bars are coloured by ``status`` when the frame has it (scorecard rows),
    else in the neutral colour: the chart never decides a status itself.

    Args:
        frame: One row per county (``county_code, value``; optional
            ``county_name, indicator, status, ci_low, ci_high`` — the interval is
            drawn only for an indicator the catalogue gives one). Rows of other
            indicators are ignored when an ``indicator`` column is present.
        indicator: Catalogue code of the indicator shown.
        threshold: Target value drawn as a line (None = no line).
        lang: "zh" or "en".
    """
    check_lang(lang)
    require_columns(frame, ("county_code", "value"), "league_chart")
    rows = frame[frame["indicator"] == indicator] if "indicator" in frame else frame
    require_rows(rows, "league_chart")
    require_unique(rows, ["county_code"], "league_chart")
    rows = rows.sort_values("value", ascending=False, na_position="last").reset_index(drop=True)
    names = rows["county_name"] if "county_name" in rows else rows["county_code"]
    unit = indicator_unit(indicator)
    n = len(rows)
    fig, ax = new_figure(height_in=figure_height(n, 0.32, 1.3))
    y = np.arange(n)
    values = rows["value"].astype(float)
    if "status" in rows:
        draw_status_bars(ax, y, values.fillna(0.0), rows["status"].tolist())
        status_legend(fig, rows["status"], lang)
    else:
        ax.barh(y, values.fillna(0.0), height=0.6, color=NEUTRAL_COLOUR)
    if has_interval(indicator) and {"ci_low", "ci_high"} <= set(rows.columns) and rows["ci_low"].notna().any():
        below, above = values - rows["ci_low"].astype(float), rows["ci_high"].astype(float) - values
        ax.errorbar(values, y, xerr=[below, above], fmt="none", ecolor=THRESHOLD_COLOUR, elinewidth=1,
                    capsize=2)
    for i in y[values.isna().to_numpy()]:
        ax.text(0, i, " " + t("chart.no_data", lang), va="center", fontsize=8)
    if threshold is not None:
        comparators = rows["comparator"].dropna() if "comparator" in rows else pd.Series(dtype="object")
        comparator = comparators.iloc[0] if not comparators.empty else ""
        line_text = threshold_text(threshold, indicator, unit, lang, comparator)
        ax.axvline(threshold, color=THRESHOLD_COLOUR, linestyle="--", linewidth=1.5,
                   label=f"{t('chart.threshold', lang)} {line_text}")
        ax.legend(loc="lower right")
    ax.set_yticks(y, names.astype(str).tolist())
    ax.set_ylim(n - 0.5, -0.5)
    format_axis(ax, unit, "x")
    ax.set_xlabel(axis_label(indicator, lang))
    ax.set_title(wrap(t("chart.league.title", lang, indicator=indicator_label(indicator, lang)), lang, 40))
    return fig


def status_heatmap(scorecard: pd.DataFrame, lang: str = "zh") -> Figure:
    """Status of every target (rows) in every county (columns): colour plus a marker per status.

    Args:
        scorecard: Scorecard rows of several counties for one year
            (``target_id, indicator, county_code, status``; optional ``county_name``).
        lang: "zh" or "en".
    """
    check_lang(lang)
    require_columns(scorecard, ("target_id", "indicator", "county_code", "status"), "status_heatmap")
    require_rows(scorecard, "status_heatmap")
    require_unique(scorecard, ["target_id", "county_code"], "status_heatmap")
    frame = scorecard.assign(county=scorecard["county_name"] if "county_name" in scorecard
                             else scorecard["county_code"])
    codes = {status: i for i, status in enumerate(STATUSES)}
    grid = frame.assign(code=frame["status"].map(codes).astype(float)).pivot(
        index="target_id", columns="county", values="code")
    targets = pd.unique(frame["target_id"])
    counties = pd.unique(frame["county"])
    grid = grid.reindex(index=targets, columns=counties)
    first = frame.drop_duplicates("target_id").set_index("target_id")
    rule_of = first["rule"] if "rule" in first else pd.Series("", index=first.index)
    tick_labels = [wrap(target_label(first.loc[target, "indicator"], lang, rule_of[target]), lang,
                        _HEATMAP_WRAP[lang]) for target in targets]
    fig, ax = new_figure(height_in=figure_height(len(targets), row_height(tick_labels, 0.3), 1.8),
                         width_in=max(FIGURE_WIDTH_IN, 2.6 + 0.45 * len(counties)))
    cmap = ListedColormap([STATUS_COLOURS[s] for s in STATUSES]).with_extremes(bad="white")
    ax.imshow(grid.to_numpy(), cmap=cmap, vmin=-0.5, vmax=len(STATUSES) - 0.5, aspect="auto")
    values = grid.to_numpy()
    for status, code in codes.items():
        rows_at, cols_at = np.nonzero(values == code)
        if len(rows_at):
            ax.scatter(cols_at, rows_at, marker=STATUS_MARKERS[status], s=22, c=_MARK_COLOUR, linewidths=0.8)
    ax.set_xticks(np.arange(len(counties)), [str(c) for c in counties], rotation=45, ha="right")
    ax.set_yticks(np.arange(len(targets)), tick_labels, fontsize=8)
    ax.grid(False)
    ax.set_title(t("chart.heatmap.title", lang))
    present = [s for s in STATUSES if (values == codes[s]).any()]
    handles = [(Patch(facecolor=STATUS_COLOURS[s], edgecolor=_MARK_COLOUR, linewidth=0.5),
                Line2D([], [], marker=STATUS_MARKERS[s], color=_MARK_COLOUR, linestyle="none", markersize=4))
               for s in present]
    fig.legend(handles, [t(f"status.{s}", lang) for s in present], loc="outside lower center",
               ncols=min(3, max(1, len(present))), handler_map={tuple: HandlerTuple(ndivide=1)})
    return fig
