"""The 优质均衡 readiness page: charts of the frames of ``qyanalysis.report.tables.balance_readiness``.

Each view takes one labelled frame and draws what it holds (statuses in the
house colour-blind-safe colours with hatching, costs in 万元, years with
their interval); it computes nothing. :func:`methods_links` links the
indicators of the readiness frame to their entries on the methods page.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure
from matplotlib.collections import PatchCollection
from matplotlib.patches import Patch, Rectangle

from qyanalysis.present.charts_base import BAR_EDGE_COLOUR, figure_height, status_legend, wrap
from qyanalysis.present.labels import indicator_label, t
from qyanalysis.present.numbers import format_number, format_value
from qyanalysis.present.style import STATUS_COLOURS, STATUS_HATCHES, new_figure
from qyanalysis.report.frames import spec_of
from qyanalysis.report.views.common import lang_of, nothing_to_draw
from qyanalysis.report.registry import view

# The methods page as seen from a county's or the city's folder of a run, and its readiness section.
METHODS_PAGE = "../methods.html"
METHODS_SECTION = "readiness"
STATUS_SUFFIX = "__status"
# Bars drawn at most in the school gap chart (the costliest).
MAX_GAP_BARS = 15
YUAN_PER_WAN = 10_000.0
COST_BASIS_COLOURS = {"per_year": "#0072B2", "one_off": "#E69F00"}
COST_BASIS_HATCHES = {"per_year": "", "one_off": "///"}


def _status_cells(ax, cells: list[tuple[float, float, object, str]]) -> None:
    """Squares of a status grid, ``(x, y, status, text)`` each: colour, hatch and a short text.

    One patch collection per status (a hatch is drawn per collection, not per
    square: a 400-cell matrix renders in a fraction of the time).
    """
    by_status: dict[str, list[Rectangle]] = {}
    for x, y, status, text in cells:
        code = status if isinstance(status, str) and status in STATUS_COLOURS else "no_data"
        by_status.setdefault(code, []).append(Rectangle((x, y), 0.96, 0.92))
        ax.text(x + 0.48, y + 0.46, text, ha="center", va="center", fontsize=6.5, color="#222222",
                bbox={"facecolor": "#FFFFFF", "edgecolor": "none", "pad": 1.2, "alpha": 0.9}, zorder=4)  # over a hatch
    ax.grid(False)
    for code, squares in by_status.items():
        ax.add_collection(PatchCollection(squares, facecolor=STATUS_COLOURS[code], hatch=STATUS_HATCHES[code],
                                          edgecolor="#FFFFFF", linewidth=0.8))


@view("readiness")
def readiness_chart(frame: pd.DataFrame) -> Figure | HTML:
    """Status of every indicator: by part and number (county), or indicators × counties (city matrix)."""
    if frame.empty:
        return nothing_to_draw(frame)
    if "status" in frame:
        return _part_grid(frame)
    return _matrix_grid(frame)


def _part_grid(frame: pd.DataFrame) -> Figure:
    """One row per part of the 办法, one square per indicator (its number), coloured by status."""
    lang = lang_of(frame)
    parts = list(dict.fromkeys(frame["part_name"]))
    widest = max(int((frame["part_name"] == p).sum()) for p in parts)
    fig, ax = new_figure(height_in=figure_height(len(parts), 0.45, 1.2, 2.4), width_in=max(6.0, 1.6 + widest * 0.4))
    cells = []
    for row, part in enumerate(parts):
        rows = frame[frame["part_name"] == part]
        cells += [(col, len(parts) - 1 - row, status, str(number))
                  for col, (number, status) in enumerate(zip(rows["number"], rows["status"], strict=True))]
    _status_cells(ax, cells)
    ax.set_xlim(0, widest)
    ax.set_ylim(0, len(parts))
    ax.set_yticks([len(parts) - 1 - i + 0.46 for i in range(len(parts))], parts)
    ax.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    ax.set_title(t("readiness.chart_matrix_title", lang), fontsize=10)
    status_legend(fig, frame["status"], lang)
    return fig


def _matrix_grid(frame: pd.DataFrame) -> Figure:
    """Indicators (rows) × counties (columns) of the city matrix, each cell coloured and worded by status."""
    lang = lang_of(frame)
    spec = spec_of(frame)
    codes = [c[:-len(STATUS_SUFFIX)] for c in frame.columns if str(c).endswith(STATUS_SUFFIX)]
    names = [spec.headers.get(code, code) if spec is not None else code for code in codes]
    labels = [f"{_link_text(p, n, code, lang)} {_clipped(name, 16 if lang == 'zh' else 36)}"
              for p, n, code, name in zip(frame["part_name"], frame["number"], frame["indicator"],
                                          frame["indicator_short"], strict=True)]
    rows = len(frame)
    fig, ax = new_figure(height_in=figure_height(rows, 0.24, 2.0), width_in=max(7.0, 3.2 + 0.85 * len(codes)))
    _status_cells(ax, [(j, rows - 1 - i, frame[code + STATUS_SUFFIX].iloc[i], str(frame[code].iloc[i]))
                       for i in range(rows) for j, code in enumerate(codes)])
    ax.set_xlim(0, len(codes))
    ax.set_ylim(0, rows)
    ax.set_yticks([rows - 1 - i + 0.46 for i in range(rows)], labels, fontsize=6.5)
    ax.set_xticks([j + 0.48 for j in range(len(codes))], [wrap(n, lang, 5 if lang == "zh" else 12) for n in names],
                  fontsize=7)
    ax.xaxis.tick_top()
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    statuses = pd.unique(frame[[c + STATUS_SUFFIX for c in codes]].to_numpy().ravel())
    status_legend(fig, statuses, lang)
    # No drawn title (the table's heading stands above it): the frame's title is the page's text alternative.
    fig.set_label(spec.title if spec is not None and spec.title else t("readiness.chart_matrix_title", lang))
    return fig


def _clipped(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, "…" marking a cut (a one-line row label)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


@view("readiness")
def methods_links(frame: pd.DataFrame) -> HTML:
    """What the page does, and links from every indicator of the readiness frame to the methods page (escaped).

    The methods page gives each indicator an anchor named by its code and the
    readiness rules the anchor ``readiness``; the page sits one folder up
    from a county's or the city's pages.
    """
    lang = lang_of(frame)
    if frame.empty:
        return nothing_to_draw(frame)
    seen = list(dict.fromkeys(zip(frame["part_name"], frame["number"], frame["indicator"], strict=True)))
    texts = [_link_text(part, number, code, lang) for part, number, code in seen]
    repeated = {text for text in texts if texts.count(text) > 1}  # two indicators under one number: name them
    texts = [t("readiness.link_level", lang, reference=text, level=indicator_label(code, lang))
             if text in repeated else text for text, (_, _, code) in zip(texts, seen, strict=True)]
    links = [f'<a href="{METHODS_PAGE}#{html.escape(code)}" title="{html.escape(indicator_label(code, lang))}">'
             f"{html.escape(text)}</a>" for text, (_, _, code) in zip(texts, seen, strict=True)]
    head = (f'<p>{html.escape(t("readiness.intro", lang))}</p>'
            f'<p class="qy-methods-links"><a href="{METHODS_PAGE}#{METHODS_SECTION}">'
            f'{html.escape(t("readiness.methods_link", lang))}</a></p>')
    return HTML(head + f'<p class="qy-methods-links">{html.escape(t("readiness.methods_indicators", lang))} '
                + " · ".join(links) + "</p>")


def _link_text(part: str, number: str, code: str, lang: str) -> str:
    """"资源配置 1(小学)": an indicator's part and number, with the level of a per-level 差异系数."""
    level = code.rsplit("_", 1)[-1]
    if code.startswith("balance_cv_") and level in ("primary", "junior"):
        return t("readiness.link_level", lang, reference=f"{part} {number}", level=t(f"level.{level}", lang))
    return f"{part} {number}"


def _cost_axis(ax, lang: str) -> None:
    ax.set_xlabel(t("readiness.chart_cost", lang))
    ax.xaxis.set_major_formatter(lambda v, _pos: format_number(v, "count"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _basis_legend(fig: Figure, bases, lang: str) -> None:
    handles = [Patch(facecolor=COST_BASIS_COLOURS[b], hatch=COST_BASIS_HATCHES[b], edgecolor=BAR_EDGE_COLOUR,
                     linewidth=0.5, label=t(f"readiness.cost_basis.{b}", lang))
               for b in COST_BASIS_COLOURS if b in set(bases)]
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))


def _bars(ax, labels: list[str], values: np.ndarray, bases: list[str], left: np.ndarray | None = None) -> None:
    """Horizontal cost bars (万元), top to bottom, coloured and hatched by cost basis."""
    positions = np.arange(len(labels))[::-1]
    bars = ax.barh(positions, values, left=left, height=0.6, color=[COST_BASIS_COLOURS[b] for b in bases],
                   edgecolor=BAR_EDGE_COLOUR, linewidth=0.5)
    for bar, basis in zip(bars, bases, strict=True):
        bar.set_hatch(COST_BASIS_HATCHES[basis])
    ax.set_yticks(positions, labels, fontsize=7.5)


def _cost_bar_chart(labels: list[str], cost_yuan: pd.Series, bases: pd.Series, title_key: str, lang: str, *,
                    row_in: float) -> Figure:
    """Horizontal cost bars (万元) with the cost axis, a title and the cost-basis legend."""
    fig, ax = new_figure(height_in=figure_height(len(labels), row_in, 1.4))
    _bars(ax, labels, cost_yuan.to_numpy(dtype=float) / YUAN_PER_WAN, list(bases))
    _cost_axis(ax, lang)
    ax.set_title(t(title_key, lang), fontsize=10)
    _basis_legend(fig, bases, lang)
    return fig


@view("school_gaps")
def gap_chart(gaps: pd.DataFrame) -> Figure | HTML:
    """The costliest school needs of :func:`~qyanalysis.report.tables.balance_readiness.school_gaps` (万元)."""
    drawn = gaps[gaps["cost_yuan"].notna() & (gaps["cost_yuan"] > 0)]
    if drawn.empty:
        return nothing_to_draw(gaps)
    lang = lang_of(gaps)
    drawn = drawn.sort_values("cost_yuan", ascending=False, kind="stable").head(MAX_GAP_BARS)
    separator = t("readiness.label_separator", lang)
    labels = [wrap(f"{school}{separator}{addition}", lang, 22 if lang == "zh" else 44)
              for school, addition in zip(drawn["school_name"], drawn["addition"], strict=True)]
    return _cost_bar_chart(labels, drawn["cost_yuan"], drawn["cost_basis"], "readiness.chart_gap_title", lang,
                           row_in=0.36)


@view("cost_by_resource")
def resource_chart(costs: pd.DataFrame) -> Figure | HTML:
    """Cost of each resource (万元) of :func:`~qyanalysis.report.tables.balance_readiness.cost_by_resource`."""
    if costs.empty or not (costs["plan_cost_yuan"] > 0).any():
        return nothing_to_draw(costs)
    lang = lang_of(costs)
    labels = [wrap(indicator_label(code, lang), lang) for code in costs["indicator"]]
    return _cost_bar_chart(labels, costs["plan_cost_yuan"], costs["cost_basis"], "readiness.chart_resource_title",
                           lang, row_in=0.45)


@view("cost_by_county")
def county_chart(counties: pd.DataFrame) -> Figure | HTML:
    """One-off and one year of teacher costs per county (万元), stacked, of ``cost_by_county``."""
    if counties.empty or not (counties["plan_cost_yuan"] > 0).any():
        return nothing_to_draw(counties)
    lang = lang_of(counties)
    labels = list(counties["county_name"])
    one_off = counties["one_off_cost_yuan"].to_numpy(dtype=float) / YUAN_PER_WAN
    per_year = counties["per_year_cost_yuan"].to_numpy(dtype=float) / YUAN_PER_WAN
    fig, ax = new_figure(height_in=figure_height(len(labels), 0.45, 1.4, 2.0))
    _bars(ax, labels, one_off, ["one_off"] * len(labels))
    _bars(ax, labels, per_year, ["per_year"] * len(labels), left=one_off)
    _cost_axis(ax, lang)
    ax.set_title(t("readiness.chart_county_title", lang), fontsize=10)
    _basis_legend(fig, ["one_off", "per_year"], lang)
    return fig


@view("trajectory")
def trajectory_chart(trajectory: pd.DataFrame) -> Figure | HTML:
    """Year each standard would be met (dot) with its interval (line); an arrow past the horizon when never.

    Draws the rows of :func:`~qyanalysis.report.tables.balance_readiness.trajectory`
    that have a trend (``trajectory_status`` on_pace or not_before_horizon).
    """
    drawn = trajectory[trajectory["trajectory_status"].isin(["on_pace", "not_before_horizon"])]
    if drawn.empty:
        return nothing_to_draw(trajectory)
    lang = lang_of(trajectory)
    horizon = int(drawn["horizon"].iloc[0])
    year = int(drawn["year"].iloc[0])
    beyond = horizon + 1.5  # where "never by the horizon" is drawn
    city = drawn["county_name"].nunique() > 1
    labels = [wrap(f"{county} · " * city + f"{part} {number} {indicator_label(code, lang)}", lang,
                   24 if lang == "zh" else 48)
              for county, part, number, code in zip(drawn["county_name"], drawn["part_name"], drawn["number"],
                                                    drawn["indicator"], strict=True)]
    positions = np.arange(len(drawn))[::-1]
    met = drawn["year_met"].to_numpy(dtype=float)
    low = drawn["year_met_optimistic"].to_numpy(dtype=float)
    high = drawn["year_met_pessimistic"].to_numpy(dtype=float)
    fig, ax = new_figure(height_in=figure_height(len(drawn), 0.34, 1.6))
    ax.hlines(positions, np.nan_to_num(low, nan=beyond), np.nan_to_num(high, nan=beyond), colors="#56B4E9",
              linewidths=5, alpha=0.8)
    on_pace = ~np.isnan(met)
    ax.scatter(met[on_pace], positions[on_pace], color="#0072B2", zorder=3, s=28, marker="o")
    ax.scatter(np.full((~on_pace).sum(), beyond), positions[~on_pace], color="#D55E00", zorder=3, s=40, marker=">")
    ax.axvline(year, color="#444444", linewidth=0.8, linestyle=":")
    ax.axvline(horizon, color="#D55E00", linewidth=0.8, linestyle="--")
    ax.text(year, positions.max() + 0.8, t("readiness.chart_now", lang), fontsize=7, ha="center")
    ax.text(horizon, positions.max() + 0.8, t("readiness.chart_horizon", lang), fontsize=7, ha="center")
    ax.set_yticks(positions, labels, fontsize=7)
    ax.set_ylim(-0.8, positions.max() + 1.4)
    ax.set_xlim(year - 0.5, beyond + 0.8)
    ticks = [y for y in range(year, horizon + 1) if ((y - year) % 2 == 0 and horizon - y >= 2) or y == horizon]
    ax.set_xticks([*ticks, beyond], [*map(str, ticks), t("readiness.when.after", lang, horizon=horizon)],
                  fontsize=7)
    ax.set_xlabel(t("readiness.chart_year", lang))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(t("readiness.chart_trajectory_title", lang, interval=_interval_text(trajectory)), fontsize=10)
    return fig


def _interval_text(frame: pd.DataFrame) -> str:
    """The trajectory's interval coverage as worded on the page ("80.0 %"), from the frame's ``interval`` column."""
    return format_value(float(frame["interval"].iloc[0]), "share", lang_of(frame))
