"""Styled, escaped HTML tables for notebooks (``IPython.display.HTML(html_table(...))``).

Every header and every cell goes through ``html.escape`` — data-derived
strings (school and county names, plan quotes, notes) can never form markup.
Codes are shown as words from the label catalogue (status, indicator,
comparator, section, location, level); numbers are worded by their unit
through :func:`qyanalysis.present.numbers.format_value`, the one number
format of every page: the row's ``unit`` column for the value-like columns of
a scorecard or measure frame (with the indicator's measure word, "−13 人";
``previous_value`` of a change target in its base indicator's unit) by the one
display rule of a row (:func:`qyanalysis.present.shown.shown_row`: a value
never reads equal to its threshold when its status says otherwise, counts
whole), or an explicit ``units`` mapping. A scorecard row whose ``rule`` makes its value a
change on the previous year is named as a change ("…较上年变化") and its
numbers are signed; a yes/no indicator prints 是 / 否. The table sits in a
``div`` with ``overflow-x:auto`` so that it scrolls on a phone instead of
breaking the page. Styles are inline: the exported HTML needs no stylesheet.

Wide and long tables stay readable at 1400 px and on an A4 sheet: headers
wrap, short words ("学段", "城区", a status) and numbers keep their line, a
table of many columns is set compact. Status cells are coloured with the house
palette and carry a symbol before their word (✓ 达标, ✗ 未达标: legible in
greyscale); a status grid (the city's readiness matrix) is the same with
narrow cells. A shortfall table gives each column's standard under its header
and marks each value that fails it (✗, a tint, class ``qy-fail``), with one
line saying what the mark means; which values fail is the caller's, from the
rule that judges them.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Collection, Mapping, Sequence

import pandas as pd

from qyanalysis.contract.indicators import FLAG_UNIT
from qyanalysis.contract.plan import SECTIONS
from qyanalysis.present.labels import (
    check_lang,
    column_label,
    comparator_label,
    indicator_label,
    section_title,
    status_label,
    t,
)
from qyanalysis.present.numbers import (
    format_number,
    format_previous_value,
    format_value,
    target_label,
)
from qyanalysis.present.palette import (
    FAIL_BACKGROUND,
    FAIL_SYMBOL,
    FAIL_TEXT_COLOUR,
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    STATUS_TEXT_COLOURS,
    check_status,
)
from qyanalysis.present.shown import ROW_NUMBERS, shown_row

# Columns whose numbers are in the unit named by the row's ``unit`` column.
VALUE_COLUMNS: tuple[str, ...] = (
    "value", "threshold", "previous_value", "ci_low", "ci_high", "forecast", "forecast_low", "forecast_high",
)
# Columns holding codes that the catalogue words, and the key prefix for each.
_CODE_PREFIXES = {"indicator": "indicator", "location": "location", "level": "level", "unit": "unit",
                  "theme": "theme", "row_scope": "row_scope", "ownership": "ownership"}

_TABLE_STYLE = "border-collapse:collapse;font-size:0.9em;min-width:100%;"
_CELL_STYLE = "border-bottom:1px solid #ddd;padding:4px 8px;vertical-align:top;"
_HEAD_STYLE = "border-bottom:2px solid #444;padding:4px 8px;text-align:left;vertical-align:bottom;"
# Numbers right-aligned; a squeezed column breaks a line only at the space before a unit ("4.07 / 平方米"),
# never inside a number or a unit (keep-all: no break between Chinese characters either).
_NUMBER_STYLE = "text-align:right;font-variant-numeric:tabular-nums;word-break:keep-all;"
# A status grid, or a table of many columns: smaller type and padding, so that a row of eight counties, or
# a school's seven indicators beside its name, is in view at 1400 px and on A4.
COMPACT_FROM_COLUMNS = 8
_GRID_TABLE_STYLE = "border-collapse:collapse;font-size:0.85em;min-width:100%;"
_GRID_CELL_STYLE = "border-bottom:1px solid #ddd;padding:3px 5px;vertical-align:top;"
_GRID_HEAD_STYLE = "border-bottom:2px solid #444;padding:3px 5px;text-align:left;vertical-align:bottom;"
_NOWRAP = "white-space:nowrap;"
_MARK_SPACE = "\u00a0"  # between a mark (✓, ✗) and its word or number: never a line apart
_HEAD_NOTE_STYLE = "display:block;font-weight:normal;font-size:0.85em;color:#59636e;"
_FAIL_STYLE = f"background:{FAIL_BACKGROUND};color:{FAIL_TEXT_COLOUR};font-weight:600;"
# A header or a cell of words no wider than this (in half-width characters: a Chinese character counts
# two) stays on one line: "学段", "城区", "清城区", "not met" never break a character a line when a wide
# table is squeezed (a printed A4 sheet). Longer headers and words wrap.
SHORT_TEXT_WIDTH = 10


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def _word(column: str, value: object, lang: str) -> str:
    """A code cell in words (status, indicator, section, comparator, …); other cells as text."""
    if _is_missing(value):
        return t("value.missing", lang)
    if column == "status":
        return status_label(str(value), lang)
    if column == "comparator":
        return comparator_label(str(value), lang)
    if column == "section":
        return section_title(_section_number(value), lang)
    if column == "indicator":
        return indicator_label(str(value), lang)
    if column in _CODE_PREFIXES:
        return t(f"{_CODE_PREFIXES[column]}.{value}", lang)
    return str(value)


def _section_number(value: object) -> int:
    """A section given as its number (2, "2") or its notebook stem ("02_development")."""
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    for section in SECTIONS:
        if section.notebook == text:
            return section.number
    raise KeyError(f"no plan section {value!r}")


def _plain_number(value: object) -> str:
    """A number of a column without a unit: a whole number as a count, else as a ratio."""
    if _is_missing(value):
        return format_number(None, "count")
    number = float(value)
    return format_number(number, "count" if number.is_integer() else "ratio")


def _value_texts(frame: pd.DataFrame, column: str, lang: str) -> list[str]:
    """Value-like cells of a frame with a ``unit`` column, worded by the one display rule of a row.

    :func:`qyanalysis.present.shown.shown_row` reads the row's indicator, rule,
    comparator and status: a value never reads equal to (or across) its
    threshold when the status says otherwise, counts are whole.
    """
    if column == "previous_value":
        n = len(frame)
        codes = [str(c) for c in frame["indicator"]] if "indicator" in frame else [""] * n
        values = [None if _is_missing(v) else float(v) for v in frame[column]]
        return [format_previous_value(v, code, str(unit), lang) if code else format_value(v, str(unit), lang)
                for v, code, unit in zip(values, codes, frame["unit"], strict=True)]
    wanted = [c for c in ("indicator", "unit", "rule", "comparator", "status", *ROW_NUMBERS) if c in frame]
    return [shown_row(row).text(column, lang) for row in frame[wanted].to_dict("records")]


def _cell_texts(frame: pd.DataFrame, column: str, lang: str, units: Mapping[str, str]) -> list[str]:
    """Displayed text of every cell of one column (not yet escaped)."""
    series = frame[column]
    if column in units:
        return [format_value(None if _is_missing(v) else float(v), units[column], lang) for v in series]
    if column in VALUE_COLUMNS and "unit" in frame:
        return _value_texts(frame, column, lang)
    if column == "indicator" and "rule" in frame:
        return [t("value.missing", lang) if _is_missing(code) else target_label(str(code), lang, rule)
                for code, rule in zip(series, frame["rule"], strict=True)]
    if column == "comparator" and "unit" in frame:
        return [t("comparator.flag", lang) if str(unit) == FLAG_UNIT and not _is_missing(c) else _word(column, c, lang)
                for c, unit in zip(series, frame["unit"], strict=True)]
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series) and column != "year":
        return [_plain_number(v) for v in series]
    return [_word(column, v, lang) for v in series]


def _is_number_column(frame: pd.DataFrame, column: str, units: Mapping[str, str]) -> bool:
    return column in units or (column in VALUE_COLUMNS and "unit" in frame) or (
        pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]))


def _status_style(status: object) -> str:
    if _is_missing(status):
        return ""
    code = check_status(str(status))
    return f"background:{STATUS_COLOURS[code]};color:{STATUS_TEXT_COLOURS[code]};font-weight:600;"


def text_width(text: str) -> int:
    """Width of ``text`` in half-width characters: a wide (Chinese, full-width) character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _shown_columns(frame: pd.DataFrame, columns: Sequence[str] | None) -> list[str]:
    shown = list(frame.columns if columns is None else columns)
    missing = [c for c in shown if c not in frame.columns]
    if missing:
        raise KeyError(f"columns not in the frame: {missing}")
    return shown


def _header_texts(shown: Sequence[str], lang: str, headers: Mapping[str, str]) -> list[str]:
    return [headers.get(c) or column_label(c, lang) for c in shown]


def table_texts(frame: pd.DataFrame, lang: str = "zh", columns: Sequence[str] | None = None,
                headers: Mapping[str, str] | None = None, units: Mapping[str, str] | None = None,
                header_notes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The cells :func:`html_table` prints, unescaped, under the headers it prints (for CSV and Excel downloads).

    Same arguments as :func:`html_table`; every cell is a string. A header note (the standard of a
    shortfall table's column) follows its header in brackets.

    Raises:
        KeyError: A column that is not in the frame, or a header/code with no label.
    """
    check_lang(lang)
    shown = _shown_columns(frame, columns)
    headers, units, notes = dict(headers or {}), dict(units or {}), dict(header_notes or {})
    names = [f"{name} ({notes[c]})" if notes.get(c) else name
             for c, name in zip(shown, _header_texts(shown, lang, headers), strict=True)]
    texts = {name: _cell_texts(frame, c, lang, units) for c, name in zip(shown, names, strict=True)}
    return pd.DataFrame(texts, index=frame.index, dtype="object")


def _cell(text: str, style: str, css_class: str = "", title: str = "") -> str:
    """One escaped ``<td>``."""
    attributes = (f' class="{css_class}"' if css_class else "") + (
        f' title="{html.escape(title)}"' if title else "")
    return f'<td{attributes} style="{style}">{html.escape(text)}</td>'


def html_table(frame: pd.DataFrame, lang: str = "zh", columns: Sequence[str] | None = None,
               headers: Mapping[str, str] | None = None, units: Mapping[str, str] | None = None,
               caption: str | None = None, max_rows: int | None = None, *,
               statuses: Mapping[str, str] | None = None, titles: Mapping[str, str] | None = None,
               failing: Mapping[str, Collection[int]] | None = None,
               header_notes: Mapping[str, str] | None = None, header_titles: Mapping[str, str] | None = None,
               grid: bool = False, numbers: Collection[str] = ()) -> str:
    """An escaped, styled HTML table ready for ``IPython.display.HTML``.

    Args:
        frame: Any tidy frame (a scorecard, measure rows, a league table).
        lang: "zh" or "en".
        columns: Columns to show, in order (default: all).
        headers: Header text per column for columns the catalogue has no
            ``column.<name>`` label for (e.g. a notebook's own column);
            every other header comes from the catalogue, strictly.
        units: Unit per column (``{"seats": "count"}``) for numbers outside
            the value columns of a frame with a ``unit`` column.
        caption: Plain-text caption (escaped).
        max_rows: Show at most this many rows (None = all).
        statuses: Shown column → the column of status codes its cells are coloured by (the house status
            colours, :mod:`qyanalysis.present.palette`), each cell's word after its status symbol (✓, ✗ …:
            legible in greyscale). Default: the ``status`` column by itself.
        titles: Shown column → the column holding each cell's full text, shown as its tooltip (``title``).
        failing: Shown column → positions of the rows whose value fails its standard: the cell is marked
            (class ``qy-fail``, a tint of the not-met colour and ✗ before the value), and a line under
            the table says what the mark means.
        header_notes: Shown column → a second line of its header (the standard a shortfall table's
            values are held to).
        header_titles: Shown column → the full name behind a short header (its tooltip).
        grid: A status grid (class ``qy-grid``: narrow cells, see ``report.css``). A grid, and a table of
            :data:`COMPACT_FROM_COLUMNS` columns or more (class ``qy-compact``), is set in smaller type.
        numbers: Columns of numbers already worded (a labelled frame's display texts): aligned as numbers,
            a line broken only between a number and its unit (at a space) where the table is squeezed.

    Returns:
        ``<div style="overflow-x:auto"><table>…</table></div>``, and the line explaining ✗ when a cell
        fails.

    Raises:
        KeyError: A column that is not in the frame, or a header/code with no label.
        ValueError: Unknown language or status.
    """
    check_lang(lang)
    shown = _shown_columns(frame, columns)
    body_frame = frame if max_rows is None else frame.head(max_rows)
    if statuses is None:
        statuses = {"status": "status"} if "status" in body_frame else {}
    for source in dict.fromkeys(statuses.values()):
        for status in body_frame[source].dropna().unique():
            check_status(str(status))
    statuses = {c: source for c, source in statuses.items() if c in shown}
    headers, units, notes = dict(headers or {}), dict(units or {}), dict(header_notes or {})
    titles, failing = dict(titles or {}), {c: set(rows) for c, rows in (failing or {}).items()}
    cells = {c: _cell_texts(body_frame, c, lang, units) for c in shown}
    numeric = {c: c in numbers or _is_number_column(body_frame, c, units) for c in shown}
    for column, source in statuses.items():
        cells[column] = [text if _is_missing(code) else f"{STATUS_SYMBOLS[str(code)]}{_MARK_SPACE}{text}"
                         for text, code in zip(cells[column], body_frame[source], strict=True)]
    header_titles = dict(header_titles or {})
    compact = grid or len(shown) >= COMPACT_FROM_COLUMNS
    head_style, cell_style = (_GRID_HEAD_STYLE, _GRID_CELL_STYLE) if compact else (_HEAD_STYLE, _CELL_STYLE)
    head = []
    for c, name in zip(shown, _header_texts(shown, lang, headers), strict=True):
        style = head_style + (_NOWRAP if text_width(name) <= SHORT_TEXT_WIDTH else "")
        note = (f'<span class="qy-head-note" style="{_HEAD_NOTE_STYLE}">{html.escape(notes[c])}</span>'
                if notes.get(c) else "")
        title = f' title="{html.escape(header_titles[c])}"' if header_titles.get(c) else ""
        head.append(f'<th{title} style="{style}">{html.escape(name)}{note}</th>')
    rows = []
    for i in range(len(body_frame)):
        tds = []
        for c in shown:
            text, css_class = cells[c][i], "num" if numeric[c] else ""
            short = not css_class and text_width(text) <= SHORT_TEXT_WIDTH
            style = cell_style + (_NUMBER_STYLE if css_class else _NOWRAP if short else "")
            if c in statuses:
                code = body_frame[statuses[c]].iloc[i]
                style += _status_style(code)
                css_class = "" if _is_missing(code) else f"qy-cell-{code}"
            full = body_frame[titles[c]].iloc[i] if c in titles else None
            title = "" if _is_missing(full) else str(full)
            if i in failing.get(c, ()):
                text, style = f"{FAIL_SYMBOL}{_MARK_SPACE}{text}", style + _FAIL_STYLE
                css_class = f"{css_class} qy-fail".strip()
                title = (title + " · " if title else "") + t("table.fails_standard", lang)
            tds.append(_cell(text, style, css_class, title))
        rows.append(f"<tr>{''.join(tds)}</tr>")
    caption_html = (f'<caption style="caption-side:top;text-align:left;font-weight:600;padding:4px 0;">'
                    f"{html.escape(caption)}</caption>") if caption else ""
    table_class = ' class="qy-grid"' if grid else ' class="qy-compact"' if compact else ""
    table_style = _GRID_TABLE_STYLE if compact else _TABLE_STYLE
    legend = ""
    if any(i < len(body_frame) for rows_ in failing.values() for i in rows_):
        legend = f'<p class="qy-legend">{html.escape(t("table.fail_legend", lang, mark=FAIL_SYMBOL))}</p>'
    return (f'<div class="qy-table" style="overflow-x:auto;max-width:100%;">'
            f'<table{table_class} style="{table_style}">{caption_html}<thead><tr>{"".join(head)}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>{legend}")
