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
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

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
from qyanalysis.present.shown import ROW_NUMBERS, shown_row
from qyanalysis.present.style import STATUS_COLOURS, STATUS_TEXT_COLOURS, check_status

# Columns whose numbers are in the unit named by the row's ``unit`` column.
VALUE_COLUMNS: tuple[str, ...] = (
    "value", "threshold", "previous_value", "ci_low", "ci_high", "forecast", "forecast_low", "forecast_high",
)
# Columns holding codes that the catalogue words, and the key prefix for each.
_CODE_PREFIXES = {"indicator": "indicator", "location": "location", "level": "level", "unit": "unit",
                  "theme": "theme", "row_scope": "row_scope", "ownership": "ownership"}

_TABLE_STYLE = "border-collapse:collapse;font-size:0.9em;min-width:100%;"
_CELL_STYLE = "border-bottom:1px solid #ddd;padding:4px 8px;vertical-align:top;"
_HEAD_STYLE = "border-bottom:2px solid #444;padding:4px 8px;text-align:left;white-space:nowrap;"
_NUMBER_STYLE = "text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;"


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


def table_texts(frame: pd.DataFrame, lang: str = "zh", columns: Sequence[str] | None = None,
                headers: Mapping[str, str] | None = None,
                units: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The cells :func:`html_table` prints, unescaped, under the headers it prints (for CSV and Excel downloads).

    Same arguments as :func:`html_table`; every cell is a string.

    Raises:
        KeyError: A column that is not in the frame, or a header/code with no label.
    """
    check_lang(lang)
    shown = list(frame.columns if columns is None else columns)
    missing = [c for c in shown if c not in frame.columns]
    if missing:
        raise KeyError(f"columns not in the frame: {missing}")
    headers, units = dict(headers or {}), dict(units or {})
    texts = {headers.get(c) or column_label(c, lang): _cell_texts(frame, c, lang, units) for c in shown}
    return pd.DataFrame(texts, index=frame.index, dtype="object")


def html_table(frame: pd.DataFrame, lang: str = "zh", columns: Sequence[str] | None = None,
               headers: Mapping[str, str] | None = None, units: Mapping[str, str] | None = None,
               caption: str | None = None, max_rows: int | None = None) -> str:
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

    Returns:
        ``<div style="overflow-x:auto"><table>…</table></div>``.

    Raises:
        KeyError: A column that is not in the frame, or a header/code with no label.
        ValueError: Unknown language or status.
    """
    check_lang(lang)
    shown = list(frame.columns if columns is None else columns)
    missing = [c for c in shown if c not in frame.columns]
    if missing:
        raise KeyError(f"columns not in the frame: {missing}")
    body_frame = frame if max_rows is None else frame.head(max_rows)
    if "status" in body_frame:
        for status in body_frame["status"].dropna().unique():
            check_status(str(status))
    headers = dict(headers or {})
    units = dict(units or {})
    head = "".join(f'<th style="{_HEAD_STYLE}">{html.escape(headers.get(c) or column_label(c, lang))}</th>'
                   for c in shown)
    cells = {c: _cell_texts(body_frame, c, lang, units) for c in shown}
    numeric = {c: _is_number_column(body_frame, c, units) for c in shown}
    statuses = list(body_frame["status"]) if "status" in body_frame else [None] * len(body_frame)
    rows = []
    for i, status in enumerate(statuses):
        tds = []
        for c in shown:
            style = _CELL_STYLE + (_NUMBER_STYLE if numeric[c] else "") + (
                _status_style(status) if c == "status" else "")
            tds.append(f'<td style="{style}">{html.escape(cells[c][i])}</td>')
        rows.append(f"<tr>{''.join(tds)}</tr>")
    caption_html = (f'<caption style="caption-side:top;text-align:left;font-weight:600;padding:4px 0;">'
                    f"{html.escape(caption)}</caption>") if caption else ""
    return (f'<div class="qy-table" style="overflow-x:auto;max-width:100%;">'
            f'<table style="{_TABLE_STYLE}">{caption_html}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")
