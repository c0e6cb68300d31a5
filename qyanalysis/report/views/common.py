"""What every view shares, and the views of every page: targets against their lines, sentences, trends, tasks.

A view takes a labelled frame (``qyanalysis.report.tables``) and returns a
figure or an :class:`IPython.display.HTML`; it computes nothing and imports no
other view module. Its language is the frame's (:func:`lang_of`); an empty
frame gives :func:`nothing_to_draw`.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from qyanalysis.present.charts import target_chart, trend_chart
from qyanalysis.present.charts_quality import task_progress_chart as draw_task_progress
from qyanalysis.present.labels import t
from qyanalysis.present.narrative import target_sentence
from qyanalysis.present.style import figure_alt, png_bytes
from qyanalysis.report.frames import spec_of
from qyanalysis.report.registry import view

_IMAGE_STYLE = "max-width:100%;height:auto;display:block;margin:8px 0;"


def lang_of(frame: pd.DataFrame) -> str:
    """The language the frame was built in (its spec's), "zh" for a plain frame."""
    spec = spec_of(frame)
    return spec.lang if spec is not None else "zh"


def nothing_to_draw(frame: pd.DataFrame) -> HTML:
    """The line shown instead of a chart of an empty frame (the frame's own empty text, else "no data")."""
    spec = spec_of(frame)
    lang = lang_of(frame)
    text = spec.empty_text if spec is not None and spec.empty_text else t("report.no_data_table", lang)
    return HTML(f'<p class="qy-no-chart">{html.escape(text)}</p>')


def title_of(frame: pd.DataFrame) -> str:
    """The frame's title ("" for none or a plain frame)."""
    spec = spec_of(frame)
    return spec.title if spec is not None else ""


def note_of(frame: pd.DataFrame) -> str:
    """The frame's note ("" for none or a plain frame)."""
    spec = spec_of(frame)
    return spec.note if spec is not None else ""


def figures_html(parts: Iterable[tuple[str, Figure]], paragraphs: Iterable[str] = (), level: int = 3) -> HTML:
    """Several figures as one HTML block: each under its (escaped) heading, as an embedded PNG.

    For a view that draws one chart per indicator or section of its frame.
    Each figure is rendered by :func:`qyanalysis.present.style.png_bytes` (the
    pages' one PNG) and released; nothing is fetched when the page is opened.

    Args:
        parts: (heading, figure) pairs; an empty heading is left out.
        paragraphs: Sentences shown after the figures (escaped).
        level: Heading level.
    """
    blocks = []
    for heading, fig in parts:
        if heading:
            blocks.append(f"<h{level}>{html.escape(heading)}</h{level}>")
        data = base64.b64encode(png_bytes(fig)).decode("ascii")
        alt = heading or figure_alt(fig)
        fig.clear()
        blocks.append(f'<img src="data:image/png;base64,{data}" style="{_IMAGE_STYLE}" '
                      f'alt="{html.escape(alt)}">')
    blocks += [f"<p>{html.escape(text)}</p>" for text in paragraphs if text]
    return HTML("".join(blocks))


@view("summary_targets")
def summary_chart(targets: pd.DataFrame) -> Figure | HTML:
    """The targets of :func:`~qyanalysis.report.tables.common.summary_targets`: bar, line and status each."""
    if targets.empty:
        return nothing_to_draw(targets)
    return target_chart(targets, lang_of(targets))


@view("item_targets")
def target_sentences(targets: pd.DataFrame) -> HTML:
    """One sentence per target of a targets frame (value, line, status, the plan's words), as a list."""
    lang = lang_of(targets)
    items = "".join(f"<li>{html.escape(target_sentence(row, lang))}</li>" for _, row in targets.iterrows())
    return HTML(f'<ul class="qy-sentences">{items}</ul>' if items else "")


@view("in_year_trend")
def in_year_trend_chart(series: pd.DataFrame) -> Figure | HTML:
    """The cumulative months of :func:`~qyanalysis.report.tables.common.in_year_trend`, the forecast fan
    to December and the target line."""
    if series.empty:
        return nothing_to_draw(series)
    first = series.iloc[0]
    return trend_chart(series[["period", "value", "indicator", "scope_mark"]], forecast=first,
                       threshold=float(first["threshold"]), lang=lang_of(series))


@view("task_progress")
def task_progress_chart(progress: pd.DataFrame) -> Figure | HTML:
    """Stacked bars of :func:`~qyanalysis.report.tables.common.task_progress`: each item's tasks by status."""
    if progress.empty:
        return nothing_to_draw(progress)
    return draw_task_progress(progress, lang_of(progress))
def league_chart(frame: pd.DataFrame):
    """Counties ranked on one indicator (``county_code, county_name, indicator, value, status``, optional
    ``ci_low, ci_high``), bars coloured by scorecard status, with the line of column ``line`` (NaN = none)."""
    from qyanalysis.present.charts import league_chart as draw_league

    drawn = frame[frame["value"].notna()]
    if drawn.empty:
        return nothing_to_draw(frame)
    line = drawn["line"].iloc[0] if "line" in drawn else float("nan")
    return draw_league(drawn, str(drawn["indicator"].iloc[0]), None if pd.isna(line) else float(line),
                       lang_of(frame))
