"""Shared pieces of the charts: label wrapping, unit-aware axes, status legends, input checks.

Nothing here computes a measure; it draws and words what it is given.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from qyanalysis.contract.indicators import BALANCE_INDICATORS, CATALOGUE
from qyanalysis.present.labels import check_lang, indicator_label, t, unit_label
from qyanalysis.present.numbers import format_number
from qyanalysis.present.style import STATUS_COLOURS, STATUS_HATCHES, STATUSES, check_status

# Characters per line when wrapping axis labels (Chinese glyphs are twice as wide).
WRAP_WIDTH = {"zh": 13, "en": 26}
BAR_EDGE_COLOUR = "#333333"


def wrap(text: str, lang: str, width: int | None = None) -> str:
    """Break a label over lines: by characters for Chinese, by words for English."""
    limit = width or WRAP_WIDTH[check_lang(lang)]
    if lang == "zh":
        return "\n".join(text[i:i + limit] for i in range(0, len(text), limit)) or text
    return textwrap.fill(text, limit)


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise KeyError naming the columns a chart needs and the frame lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"{what} needs columns {missing}; the frame has {list(frame.columns)}")


def require_rows(frame: pd.DataFrame, what: str) -> None:
    """Raise ValueError for an empty frame (a chart of nothing is a mistake upstream)."""
    if frame.empty:
        raise ValueError(f"{what}: the frame has no rows to draw")


def require_unique(frame: pd.DataFrame, keys: Sequence[str], what: str) -> None:
    """Raise ValueError when ``keys`` repeat (e.g. two years mixed into one chart)."""
    duplicated = frame.duplicated(list(keys), keep=False)
    if duplicated.any():
        sample = frame.loc[duplicated, list(keys)].head(3).to_dict("records")
        raise ValueError(f"{what}: one row per {list(keys)} expected; repeated: {sample}")


def single_value(frame: pd.DataFrame, column: str, what: str) -> object:
    """The one value a column holds (e.g. the year of a one-year chart)."""
    values = frame[column].dropna().unique()
    if len(values) != 1:
        raise ValueError(f"{what}: one {column} expected, found {sorted(map(str, values))}")
    return values[0]


def indicator_unit(code: str) -> str:
    """Unit of an indicator: a catalogue code, or one of the seven per-school 优质均衡 indicators."""
    if code in BALANCE_INDICATORS:
        return BALANCE_INDICATORS[code].unit
    return CATALOGUE[code].unit


def marked(name: str, mark: str, lang: str) -> str:
    """A figure's name with whose figure it is ("新增学前教育公办学位（全市）"); as it is without a mark."""
    return t("counts.scope_mark", lang, name=name, scope=mark) if mark else name


def axis_label(code: str, lang: str) -> str:
    """"指标名(单位)" for an indicator axis."""
    return t("chart.axis_with_unit", lang, label=indicator_label(code, lang),
             unit=unit_label(indicator_unit(code), lang))


def unit_formatter(unit: str) -> FuncFormatter | None:
    """Tick formatter for a unit: the digits of :func:`~qyanalysis.present.numbers.format_number`.

    The axis label carries the unit ("占比(%)"), so ticks print the page's
    number format without the suffix: fractions as percentages (0.5 → "50.0"),
    counts and money with thousands separators, changes signed; None (the
    default ticks) for ratios and per-pupil values.
    """
    if unit in ("share", "rate", "change", "pp", "count", "yuan", "yuan_per_student", "m2"):
        return FuncFormatter(lambda v, _pos: format_number(v, unit))
    return None


#: Units of amounts (money, areas, counts of persons or things): their axes start at 0, so that a gap between
#: two values is drawn in proportion to the values (a rate or a ratio keeps an axis around its values).
ZERO_BASED_UNITS = frozenset({"count", "yuan", "yuan_per_student", "m2", "m2_per_student", "per100"})


def format_axis(ax: Axes, unit: str, axis: str = "x") -> None:
    """Apply :func:`unit_formatter` to the x or y axis of ``ax``; an amount's axis (:data:`ZERO_BASED_UNITS`)
    starts at 0 (call it after drawing, as it reads the drawn limits)."""
    formatter = unit_formatter(unit)
    if formatter is not None:
        (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(formatter)
    if unit in ZERO_BASED_UNITS:
        low, high = ax.get_xlim() if axis == "x" else ax.get_ylim()
        if low > 0:  # the margin the data had at the top, now a twentieth of the longer axis
            (ax.set_xlim if axis == "x" else ax.set_ylim)(0, high * 1.05)


def status_colours(statuses: Iterable[object]) -> tuple[list[str], list[str]]:
    """Face colours and hatches for a sequence of statuses (missing → no_data)."""
    codes = [check_status(str(s)) if isinstance(s, str) else "no_data" for s in statuses]
    return [STATUS_COLOURS[c] for c in codes], [STATUS_HATCHES[c] for c in codes]


def status_legend(fig: Figure, statuses: Iterable[object], lang: str,
                  marks: Sequence[tuple[Artist | tuple[Artist, ...], str]] = ()) -> None:
    """A legend below the figure for the statuses present, in the canonical order, then ``marks``: the
    chart's other marks (a target line, a forecast) as (handle, label) pairs, a tuple of handles drawn
    one over the other."""
    present = {str(s) for s in statuses if isinstance(s, str)}
    entries = [(Patch(facecolor=STATUS_COLOURS[s], hatch=STATUS_HATCHES[s], edgecolor=BAR_EDGE_COLOUR,
                      linewidth=0.5), t(f"status.{s}", lang)) for s in STATUSES if s in present]
    entries += list(marks)
    if entries:
        handles, labels = zip(*entries, strict=True)
        fig.legend(list(handles), list(labels), loc="outside lower center", ncols=min(len(entries), 3),
                   handler_map={tuple: HandlerTuple(ndivide=1)})


def draw_status_bars(ax: Axes, positions: Sequence[float], widths: Sequence[float],
                     statuses: Sequence[object], left: Sequence[float] | float = 0.0,
                     height: float = 0.6) -> None:
    """Horizontal bars coloured and hatched by status."""
    colours, hatches = status_colours(statuses)
    bars = ax.barh(positions, widths, left=left, height=height, color=colours,
                   edgecolor=BAR_EDGE_COLOUR, linewidth=0.5)
    for bar, hatch in zip(bars, hatches, strict=True):
        bar.set_hatch(hatch)


def figure_height(rows: int, per_row_in: float, extra_in: float, minimum_in: float = 2.5) -> float:
    """Height that keeps each row readable on a phone."""
    return max(minimum_in, rows * per_row_in + extra_in)


def row_height(labels: Sequence[str], minimum_in: float) -> float:
    """Height per row that fits the longest wrapped label (about 0.15 in per 8-pt line)."""
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    return max(minimum_in, 0.15 * lines + 0.08)
