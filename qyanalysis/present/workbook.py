"""Scorecards as formatted Excel workbooks: what a bureau passes on to the city.

``to_excel(frame, path, lang)`` writes a scorecard (``qy.scorecard(...)``) to
a county workbook: a scorecard sheet (one row per target) and a 说明 (About)
sheet. :func:`city_workbook` makes the city's: a summary sheet (targets per
status for each county), one sheet per county, the city-wide targets, and
the 说明 sheet. Every data sheet has the same layout:

* row 1 the title (unit, year, as-of month); row 2 the demonstration-data
  notice when the data is synthetic (also in the printed page header), else
  a pointer to the About sheet;
* row 3 the headers from the zh/en label catalogue, data from row 4
  (``pandas.read_excel(path, sheet_name=…, header=2)`` reads it back);
* rows 1–3 and the first two columns (item, indicator name) frozen, an
  auto-filter on the table, printed A4 landscape one page wide; the print
  area holds the columns a reader needs (:data:`READER_COLUMNS`: item, name,
  status, value, target, unit, probability, period, note), the technical
  columns after them (intervals, counts, codes, ids, sources, rules) are
  grouped (collapsible, not printed); the About sheet prints A4 portrait;
* numbers stored as numbers, formatted by the row's unit
  (:data:`qyanalysis.present.workbook_cells.UNIT_FORMATS`) with the decimals
  the pages print (:func:`qyanalysis.present.shown.shown_row`: a value never
  reads equal to its threshold when its status says otherwise); percentage
  points are stored in points, a count's threshold that its inclusive rule
  rounds the other way as the pages print it (≥ 71.29 persons: 72, see
  :func:`cell_number`), everything else as in ``scorecard.csv``;
* codes as words (status, comparator, unit, section, theme, scope, rule);
  statuses coloured by conditional-formatting rules, one per status word
  (colours from :mod:`qyanalysis.present.palette`), never painted on cells;
* the plan sentence (``quote``) and ``note`` wrapped; other widths from the
  longest text, a CJK character counting two.

Columns come in :data:`COLUMN_ORDER`; a column the frame lacks is left out,
and a column this module does not know is shown after the others, headed
by its catalogue label or its own name. Nothing is computed here beyond
counting targets per status for the summary.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.contract.plan import SECTIONS
from qyanalysis.disclosure import is_small_count
from qyanalysis.present.labels import (
    check_lang,
    column_label,
    comparator_label,
    demo_banner,
    has_label,
    indicator_label,
    section_title,
    status_label,
    t,
)
from qyanalysis.contract.statuses import TARGET_STATUSES
from qyanalysis.contract.tallies import target_counts
from qyanalysis.present.counts import counts_sentence
from qyanalysis.present.narrative import counts_parts, previous_value_unit
from qyanalysis.present.shown import ROW_NUMBERS, ShownRow, shown_row
from qyanalysis.present.suppression import small_count_label
from qyanalysis.present.palette import STATUS_COLOURS, STATUS_TEXT_COLOURS, STATUSES
from qyanalysis.present.workbook_cells import (
    COUNT_FORMAT,
    INTEGER_FORMAT,
    PROBABILITY_FORMAT,
    CellWriter,
    argb,
    clean_text,
    display_width,
    is_missing,
    new_workbook,
    plain_format,
    sheet_title,
    stored_value,
    unit_format,
    workbook_bytes,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

TITLE_ROW, NOTICE_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
FROZEN_COLUMNS = 2  # item and indicator name
# Scorecard columns holding values in the row's unit.
VALUE_COLUMNS = ("value", "threshold", "previous_value", "ci_low", "ci_high", "forecast", "forecast_low",
                 "forecast_high")
# The order of the columns: what a reader needs first. "name" is the indicator's name in the
# workbook's language (the frame's label_zh / label_en, else the catalogue's).
COLUMN_ORDER = (
    "item", "name", "status", "value", "comparator", "threshold", "unit", "p_meet", "period", "note",
    "as_of", "previous_value", "ci_low", "ci_high", "forecast", "forecast_low", "forecast_high", "numerator",
    "denominator", "coverage", "scope", "scope_note", "level", "target_id", "indicator", "county_code",
    "year", "section", "theme", "rule", "threshold_source", "quote",
)
#: The columns a reader needs on paper (the sheet's print area, from column A to the last of these a sheet
#: has); the columns after them (intervals, counts, codes, ids, sources, rules) are grouped (outline level 1:
#: shown on screen, collapsed with the outline button) and not printed.
READER_COLUMNS = ("item", "name", "status", "value", "comparator", "threshold", "unit", "p_meet", "period",
                  "note")
# Columns shown as "name" (the other language's name is left out).
NAME_SOURCES = ("label_zh", "label_en")
# Columns whose codes are worded through the catalogue: column → key prefix.
WORDED = {"unit": "unit", "theme": "theme", "scope": "scope", "scope_note": "scope_note", "rule": "rule",
          "threshold_source": "threshold_source", "level": "scorecard_level"}
INTEGER_COLUMNS = ("item", "year")
#: Columns counting the persons of a rate over persons (catalogue entries with an interval: dropouts,
#: myopic pupils …): a count of 1–4 is written "<5", as the pages never show it (disclosure control).
PERSON_COUNT_COLUMNS = ("numerator", "denominator")
WRAPPED_WIDTHS = {"quote": 60, "note": 40}
VALUE_WIDTH = 10
MIN_WIDTH, MAX_WIDTH = 6, 40
ABOUT_TEXT_WIDTH = 90


@dataclass(frozen=True)
class BookInfo:
    """What every sheet of a workbook says about its data.

    Attributes:
        lang: "zh" or "en".
        demo: Whether the data is synthetic (the notice goes on every sheet).
        year: The year scored, or None when the frames hold several or none.
        as_of: The data's snapshot month ``YYYY-MM``, "" when none.
        data_hash: The dataset's fingerprint (``Dataset.data_hash``), or None.
        methods_link: URL or relative path of the methods page, or None.
    """

    lang: str
    demo: bool
    year: int | None
    as_of: str
    data_hash: str | None
    methods_link: str | None


@dataclass(frozen=True)
class UnitCard:
    """One county's (or the city's) scorecard, with its code and display name, for the city workbook."""

    code: str
    name: str
    frame: pd.DataFrame


@dataclass(frozen=True)
class Column:
    """A column of a scorecard sheet: ``name`` is a frame column or "name"; ``kind``: how cells are written.

    Kinds: ``text`` (words or codes), ``wrap`` (long text), ``status``, ``value`` (number in the
    row's unit), ``number`` (plain number), ``probability`` (0–1 as a percentage).
    """

    name: str
    header: str
    kind: str


# ---- columns -------------------------------------------------------------------------------------------


def _header(column: str, lang: str) -> str:
    for key in (f"workbook.column.{column}", f"column.{column}"):
        if has_label(key):
            return t(key, lang)
    return column


def _kind(frame: pd.DataFrame, column: str) -> str:
    if column == "status":
        return "status"
    if column in WRAPPED_WIDTHS:
        return "wrap"
    if column in VALUE_COLUMNS and "unit" in frame:
        return "value"
    if column == "p_meet":
        return "probability"
    if column not in frame or column == "section" or column in WORDED:  # "name", and codes shown as words
        return "text"
    series = frame[column]
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return "number"
    return "text"


def workbook_columns(frame: pd.DataFrame, lang: str = "zh") -> list[Column]:
    """The columns a scorecard sheet shows, in order, with their headers and kinds.

    Known columns come in :data:`COLUMN_ORDER` (those the frame has);
    ``label_zh``/``label_en`` become one "name" column; any other column of
    the frame follows in the frame's order.
    """
    present = set(frame.columns)
    has_name = bool(present & {"indicator", *NAME_SOURCES})
    names = [c for c in COLUMN_ORDER if c in present or (c == "name" and has_name)]
    names += [c for c in frame.columns if c not in names and c not in NAME_SOURCES]
    return [Column(c, _header(c, lang), _kind(frame, c)) for c in names]


def _section_word(value: object, lang: str) -> str:
    try:
        number = int(float(str(value)))
    except ValueError:
        return str(value)
    return section_title(number, lang) if any(s.number == number for s in SECTIONS) else str(value)


def cell_word(column: str, value: object, lang: str) -> str:
    """A code in words from the catalogue (status, comparator, section, unit, theme …); else as it is."""
    text = str(value)
    if column == "status" and text in STATUS_COLOURS:
        return status_label(text, lang)
    if column == "comparator" and has_label(f"comparator.{text}"):
        return comparator_label(text, lang)
    if column == "section":
        return _section_word(value, lang)
    if column in WORDED and has_label(f"{WORDED[column]}.{text}"):
        return t(f"{WORDED[column]}.{text}", lang)
    return text


def indicator_names(frame: pd.DataFrame, lang: str) -> list[str]:
    """Each row's indicator name in ``lang``: the frame's ``label_<lang>``, else the catalogue's or the code."""
    own = frame[f"label_{lang}"] if f"label_{lang}" in frame else [None] * len(frame)
    codes = frame["indicator"] if "indicator" in frame else [None] * len(frame)
    names = []
    for label, code in zip(own, codes, strict=True):
        if not is_missing(label) and str(label):
            names.append(str(label))
        elif is_missing(code):
            names.append("")
        else:
            try:
                names.append(indicator_label(str(code), lang))
            except KeyError:
                names.append(str(code))
    return names


def value_units(frame: pd.DataFrame, column: str) -> list[str]:
    """Unit of each row's number in a value column (a change's ``previous_value``: its base's unit)."""
    units = ["" if is_missing(u) else str(u) for u in frame["unit"]]
    if column != "previous_value" or "indicator" not in frame:
        return units
    resolved = []
    for code, unit in zip(frame["indicator"], units, strict=True):
        try:
            resolved.append(previous_value_unit(str(code), unit))
        except KeyError:  # an indicator outside the catalogue
            resolved.append(unit)
    return resolved


# ---- sheets --------------------------------------------------------------------------------------------


def _fit(width: int) -> int:
    return max(MIN_WIDTH, min(MAX_WIDTH, width + 2))


def _sheet_top(sheet: Worksheet, writer: CellWriter, title: str, info: BookInfo) -> None:
    """Title and notice rows, the demo notice in the printed header, page numbers, A4 landscape."""
    writer.text(sheet, TITLE_ROW, 1, title, "title")
    if info.demo:
        writer.text(sheet, NOTICE_ROW, 1, demo_banner(info.lang), "notice")
        sheet.oddHeader.center.text = clean_text(demo_banner(info.lang)).replace("&", "&&")
    else:
        writer.text(sheet, NOTICE_ROW, 1, t("workbook.see_about", info.lang))
    _print_setup(sheet, "landscape")
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _print_setup(sheet: Worksheet, orientation: str) -> None:
    """A4 in ``orientation``, every column on one page's width (as many pages down as needed), page numbers."""
    sheet.oddFooter.center.text = "&P / &N"
    sheet.page_setup.orientation = orientation
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _header_row(sheet: Worksheet, writer: CellWriter, headers: Sequence[str]) -> None:
    for index, text in enumerate(headers, start=1):
        writer.text(sheet, HEADER_ROW, index, text, "header")


def sheet_reference(name: str) -> str:
    """An in-workbook link target to cell A1 of sheet ``name``: ``'清新区'!A1`` (apostrophes doubled)."""
    return "'" + name.replace("'", "''") + "'!A1"


def _status_rule(operator: str, formula: str, status: str) -> Any:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill

    colour = argb(STATUS_COLOURS[status])
    return CellIsRule(operator=operator, formula=[formula],
                      fill=PatternFill(fill_type="solid", start_color=colour, end_color=colour),
                      font=Font(bold=True, color=argb(STATUS_TEXT_COLOURS[status])))


def status_rules(sheet: Worksheet, cell_range: str, lang: str) -> None:
    """Conditional formatting of status words: one rule per status, cell = its word → its colours."""
    for status in STATUSES:
        word = status_label(status, lang).replace('"', '""')
        sheet.conditional_formatting.add(cell_range, _status_rule("equal", f'"{word}"', status))


def _finish_table(sheet: Worksheet, widths: Sequence[int], rows: int, frozen_columns: int) -> None:
    """Column widths, frozen panes below the header and right of ``frozen_columns``, the auto-filter."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{FIRST_DATA_ROW}"
    last = get_column_letter(max(len(widths), 1))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(rows, 1)}"


def _print_reader_columns(sheet: Worksheet, columns: Sequence[Column], rows: int) -> None:
    """The print area: title to last row, column A to the last of :data:`READER_COLUMNS`; the columns after
    it grouped (outline level 1, not hidden)."""
    from openpyxl.utils import get_column_letter

    reader = [i for i, c in enumerate(columns, start=1) if c.name in READER_COLUMNS]
    last = max(reader, default=len(columns))
    sheet.print_area = f"A{TITLE_ROW}:{get_column_letter(last)}{HEADER_ROW + max(rows, 1)}"
    for index in range(last + 1, len(columns) + 1):  # one by one: openpyxl's group() merges the widths
        sheet.column_dimensions[get_column_letter(index)].outline_level = 1
    if last < len(columns):
        sheet.sheet_properties.outlinePr.summaryRight = False


def shown_rows(frame: pd.DataFrame) -> list[ShownRow | None]:
    """Each row's numbers as the pages print them (:func:`qyanalysis.present.shown.shown_row`); None when the
    row has no unit."""
    wanted = [c for c in ("indicator", "unit", "rule", "comparator", "status", *ROW_NUMBERS) if c in frame]
    return [None if is_missing(record.get("unit")) or not str(record["unit"]) else shown_row(record)
            for record in frame[wanted].to_dict("records")]


def excel_whole(value: float) -> float:
    """The whole number Excel shows for ``value`` under a format with no decimals (halves away from zero)."""
    return float(math.copysign(math.floor(abs(value) + 0.5), value))


def cell_number(value: float, unit: str, column: str, shown: ShownRow | None) -> float:
    """The number a value cell stores: the scorecard's (pp in points), unless Excel would then show a count
    otherwise than the pages.

    A count prints whole (:mod:`qyanalysis.present.shown`); Excel's "#,##0"
    shows the nearest whole number of the stored one, so the scorecard's number
    is kept, except where the pages print another whole number: a threshold
    its inclusive rule rounds the other way (≥ 71.29 persons: 72, where Excel
    would show 71), or a value kept on its side of the threshold. Those cells
    store the number the pages print.
    """
    if shown is not None and unit == "count" and column in ROW_NUMBERS:
        whole = shown.numbers.get(column)
        if whole is not None and whole != excel_whole(value):
            value = whole
    return stored_value(value, unit)


def _write_values(sheet: Worksheet, writer: CellWriter, index: int, column: Column, frame: pd.DataFrame,
                  lang: str, shown: Sequence[ShownRow | None]) -> int:
    """Cells of a value column, each in its row's unit and the decimals the pages print; return the width."""
    rows = range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame))
    for row, value, unit, numbers in zip(rows, frame[column.name], value_units(frame, column.name), shown,
                                         strict=True):
        if not is_missing(value):
            decimals = numbers.decimals if numbers is not None and column.name in ROW_NUMBERS else None
            writer.number(sheet, row, index, cell_number(float(value), unit, column.name, numbers),
                          unit_format(unit, lang, decimals))
    return _fit(max(display_width(column.header), VALUE_WIDTH))


def _write_numbers(sheet: Worksheet, writer: CellWriter, index: int, column: Column,
                   frame: pd.DataFrame) -> int:
    """Cells of a plain-number or probability column; return the column's width."""
    width = display_width(column.header)
    hidden = small_person_counts(frame, column.name)
    for row, value, hide in zip(range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame)), frame[column.name], hidden,
                                strict=True):
        if is_missing(value):
            continue
        if hide:
            writer.text(sheet, row, index, small_count_label(), "top")
            continue
        if column.kind == "probability":
            number_format = PROBABILITY_FORMAT
        elif column.name in INTEGER_COLUMNS:
            number_format = INTEGER_FORMAT
        else:
            number_format = plain_format(float(value))
        writer.number(sheet, row, index, value, number_format)
        width = max(width, len(f"{float(value):,.2f}"))
    return _fit(width)


def small_person_counts(frame: pd.DataFrame, column: str) -> list[bool]:
    """Which cells of ``column`` are counts of 1–4 persons the workbook must not show.

    The numerator and denominator (:data:`PERSON_COUNT_COLUMNS`) of a rate
    over persons — an indicator whose catalogue entry carries an interval —
    when it rounds to 1–4 (:func:`~qyanalysis.disclosure.is_small_count`);
    every other cell is shown. ``scorecard.csv`` keeps the counts (the
    analyst's file).
    """
    if column not in PERSON_COUNT_COLUMNS or "indicator" not in frame:
        return [False] * len(frame)
    over_persons = frame["indicator"].map(lambda code: getattr(CATALOGUE.get(str(code)), "interval", False))
    return list((over_persons.astype(bool) & is_small_count(frame[column])).to_numpy())


def _write_texts(sheet: Worksheet, writer: CellWriter, index: int, column: Column, frame: pd.DataFrame,
                 lang: str) -> int:
    """Cells of a text, status or wrapped column, codes in words; return the column's width."""
    if column.name == "name":
        texts: list[object] = list(indicator_names(frame, lang))
    else:
        texts = [None if is_missing(v) else cell_word(column.name, v, lang) for v in frame[column.name]]
    style = "wrap" if column.kind == "wrap" else "top"
    width = display_width(column.header)
    for row, text in enumerate(texts, start=FIRST_DATA_ROW):
        writer.text(sheet, row, index, text, style)
        if text is not None and column.kind != "wrap":
            width = max(width, display_width(str(text)))
    return WRAPPED_WIDTHS[column.name] if column.kind == "wrap" else _fit(width)


def scorecard_sheet(sheet: Worksheet, writer: CellWriter, frame: pd.DataFrame, title: str,
                    info: BookInfo) -> list[Column]:
    """Fill ``sheet`` with a scorecard (layout in the module docstring); return its columns."""
    columns = workbook_columns(frame, info.lang)
    frame = frame.reset_index(drop=True)
    _sheet_top(sheet, writer, title, info)
    _header_row(sheet, writer, [c.header for c in columns])
    widths = []
    shown = shown_rows(frame) if any(c.kind == "value" for c in columns) else []
    for index, column in enumerate(columns, start=1):
        if column.kind == "value":
            widths.append(_write_values(sheet, writer, index, column, frame, info.lang, shown))
        elif column.kind in ("number", "probability"):
            widths.append(_write_numbers(sheet, writer, index, column, frame))
        else:
            widths.append(_write_texts(sheet, writer, index, column, frame, info.lang))
    _finish_table(sheet, widths, len(frame), FROZEN_COLUMNS)
    _print_reader_columns(sheet, columns, len(frame))
    status_at = next((i for i, c in enumerate(columns, start=1) if c.kind == "status"), None)
    if status_at is not None and len(frame):
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(status_at)
        status_rules(sheet, f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + len(frame) - 1}", info.lang)
    return columns


def status_table(cards: Sequence[UnitCard]) -> pd.DataFrame:
    """Targets per status for each unit: one row per card (its code), the statuses in order, ``total``.

    Each card's targets are counted by :func:`qyanalysis.contract.tallies.target_counts`
    (a county's card: its own targets; the city's: the city-wide ones); ``scope`` says whose.
    """
    rows = []
    for card in cards:
        counts = target_counts(card.frame)
        if len(counts) > 1:
            raise ValueError(f"the card of {card.code} holds the targets of several units")
        row = (counts.iloc[0] if len(counts)
               else pd.Series({"scope": "county", **dict.fromkeys([*TARGET_STATUSES, "total"], 0)}))
        rows.append({"code": card.code, "scope": str(row["scope"]),
                     **{name: int(row[name]) for name in (*TARGET_STATUSES, "total")}})
    return pd.DataFrame(rows, columns=["code", "scope", *TARGET_STATUSES, "total"]).set_index("code")


def summary_sheet(sheet: Worksheet, writer: CellWriter, cards: Sequence[UnitCard],
                  sheet_names: Mapping[str, str], title: str, info: BookInfo) -> None:
    """Units × statuses: targets per status, a total, each unit's name linking to its sheet."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    lang = info.lang
    table = status_table(cards)
    statuses = list(TARGET_STATUSES)
    scopes = {card.code: t(f"counts.column.{table.loc[card.code, 'scope']}", lang) for card in cards}
    headers = [column_label("county_name", lang), column_label("county_code", lang), t("workbook.counted", lang),
               *(cell_word("status", s, lang) for s in statuses), t("workbook.total", lang)]
    _sheet_top(sheet, writer, title, info)
    _header_row(sheet, writer, headers)
    for row, card in enumerate(cards, start=FIRST_DATA_ROW):
        name = writer.text(sheet, row, 1, card.name, "link")
        name.hyperlink = Hyperlink(ref=name.coordinate, location=sheet_reference(sheet_names[card.code]))
        writer.text(sheet, row, 2, card.code, "top")
        writer.text(sheet, row, 3, scopes[card.code], "top")
        for index, status in enumerate(statuses, start=4):
            writer.number(sheet, row, index, int(table.loc[card.code, status]), COUNT_FORMAT)
        writer.number(sheet, row, len(headers), int(table.loc[card.code, "total"]), COUNT_FORMAT)
    names_width = max([display_width(headers[0]), *(display_width(c.name) for c in cards)])
    scope_width = max([display_width(headers[2]), *(display_width(text) for text in scopes.values())])
    widths = [_fit(names_width), _fit(max(display_width(headers[1]), 6)), _fit(scope_width),
              *(_fit(display_width(h)) for h in headers[3:])]
    _finish_table(sheet, widths, len(cards), frozen_columns=1)
    last_row = FIRST_DATA_ROW + len(cards) - 1
    for index, status in enumerate(statuses, start=4):
        if status in STATUS_COLOURS and cards:
            letter = get_column_letter(index)
            sheet.conditional_formatting.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}",
                                             _status_rule("greaterThan", "0", status))


def _about_table(sheet: Worksheet, writer: CellWriter, row: int, title: str, headers: tuple[str, str],
                 rows: Sequence[tuple[str, str]]) -> int:
    """A titled two-column table starting at ``row``; return the first row after it."""
    writer.text(sheet, row, 1, title, "section")
    for index, text in enumerate(headers, start=1):
        writer.text(sheet, row + 1, index, text, "header")
    for offset, (name, meaning) in enumerate(rows, start=2):
        writer.text(sheet, row + offset, 1, name, "top")
        writer.text(sheet, row + offset, 2, meaning, "wrap")
    return row + len(rows) + 2


def _column_help(column: str, lang: str) -> str:
    key = f"workbook.help.{column}"
    return t(key, lang) if has_label(key) else t("workbook.about.other_column", lang)


def about_facts(info: BookInfo, covers: str) -> list[tuple[str, str]]:
    """The (label, text) pairs at the top of the About sheet."""
    from qyanalysis import __version__

    lang = info.lang
    return [
        (t("workbook.about.covers", lang), covers),
        (t("workbook.about.year", lang), "" if info.year is None else str(info.year)),
        (t("workbook.about.as_of", lang), info.as_of or t("workbook.about.as_of_none", lang)),
        (t("workbook.about.data_hash", lang), info.data_hash or t("workbook.about.not_given", lang)),
        (t("workbook.about.methods", lang), info.methods_link or t("workbook.about.methods_none", lang)),
        (t("workbook.about.software", lang), f"qyanalysis {__version__}"),
        (t("workbook.about.reading", lang), t("workbook.about.reading_value", lang, header=HEADER_ROW - 1)),
        (t("workbook.about.numbers", lang), t("workbook.about.numbers_value", lang)),
    ]


def about_sheet(sheet: Worksheet, writer: CellWriter, columns: Sequence[Column], info: BookInfo,
                covers: str) -> None:
    """The 说明 / About sheet: facts of the data (as-of month, fingerprint, methods link), columns, statuses."""
    lang = info.lang
    writer.text(sheet, TITLE_ROW, 1, t("workbook.about.title", lang), "title")
    if info.demo:
        writer.text(sheet, NOTICE_ROW, 1, demo_banner(lang), "notice")
        sheet.oddHeader.center.text = clean_text(demo_banner(lang)).replace("&", "&&")
    methods_label = t("workbook.about.methods", lang)
    row = HEADER_ROW + 1
    for label, text in about_facts(info, covers):
        writer.text(sheet, row, 1, label, "bold")
        linked = label == methods_label and bool(info.methods_link)
        cell = writer.text(sheet, row, 2, text, "link" if linked else "wrap")
        if linked:
            cell.hyperlink = clean_text(info.methods_link)
        row += 1
    meaning = t("workbook.about.meaning", lang)
    row = _about_table(sheet, writer, row + 1, t("workbook.about.columns", lang),
                       (t("workbook.about.column", lang), meaning),
                       [(c.header, _column_help(c.name, lang)) for c in columns])
    statuses = [(status_label(s, lang), t(f"workbook.status_help.{s}", lang)) for s in STATUSES]
    first = row + 1 + 2  # below the table's title and header rows
    _about_table(sheet, writer, row + 1, t("workbook.about.statuses", lang),
                 (t("workbook.about.status", lang), meaning), statuses)
    status_rules(sheet, f"A{first}:A{first + len(STATUSES) - 1}", lang)
    labels_width = [display_width(label) for label, _ in about_facts(info, covers)]
    headers_width = [display_width(c.header) for c in columns]
    sheet.column_dimensions["A"].width = _fit(max([*labels_width, *headers_width]))
    sheet.column_dimensions["B"].width = ABOUT_TEXT_WIDTH
    _print_setup(sheet, "portrait")


# ---- workbooks -----------------------------------------------------------------------------------------


def _single_year(frames: Sequence[pd.DataFrame]) -> int | None:
    years = {int(y) for f in frames if "year" in f for y in f["year"].dropna().unique()}
    return years.pop() if len(years) == 1 else None


def _latest_as_of(frames: Sequence[pd.DataFrame]) -> str:
    months = sorted({str(m) for f in frames if "as_of" in f for m in f["as_of"].dropna() if str(m)})
    return months[-1] if months else ""


def book_info(frames: Sequence[pd.DataFrame], lang: str, *, demo: bool, as_of: str | None = None,
              data_hash: str | None = None, methods_link: str | None = None) -> BookInfo:
    """A :class:`BookInfo`; the year and (unless given) the latest ``as_of`` month read from ``frames``."""
    return BookInfo(check_lang(lang), bool(demo), _single_year(frames),
                    _latest_as_of(frames) if as_of is None else str(as_of), data_hash, methods_link)


def workbook_title(unit: str, info: BookInfo) -> str:
    """A unit's sheet title: "清新区 2022 年目标达成情况(数据截至 2022-09)"."""
    year = "" if info.year is None else info.year
    if info.as_of:
        return t("workbook.title_as_of", info.lang, unit=unit, year=year, as_of=info.as_of)
    return t("workbook.title", info.lang, unit=unit, year=year)


def unit_counts_text(frame: pd.DataFrame, lang: str) -> str:
    """The unit's targets by status in words (:func:`qyanalysis.present.counts.counts_sentence` of
    :func:`qyanalysis.contract.tallies.target_counts`), for the About sheet; "" without a target, or
    for a frame without the scorecard's columns that say whose targets its rows are."""
    if not {"county_code", "level", "status"} <= set(frame.columns):
        return ""
    parts = counts_parts(target_counts(frame))
    return (" " if lang == "en" else "") + counts_sentence(parts, lang) + t("narrative.full_stop", lang) if parts else ""


def gaps_sheet(sheet: Worksheet, writer: CellWriter, table: pd.DataFrame, title: str, info: BookInfo) -> None:
    """A unit's whole school gap list (``school_gaps.csv``: the page's words, a cost in 元 as a number).

    ``table`` is :func:`qyanalysis.runner.outputs.gap_list_table`: strings as the page prints them (a
    hidden cell by its mark), whole numbers for the cost; written as they are, numbers as numbers.
    """
    _sheet_top(sheet, writer, title, info)
    headers = [str(c) for c in table.columns]
    _header_row(sheet, writer, headers)
    widths = [display_width(h) for h in headers]
    for index, column in enumerate(table.columns, start=1):
        for row, value in enumerate(table[column], start=FIRST_DATA_ROW):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                writer.number(sheet, row, index, value, COUNT_FORMAT)
                text = f"{value:,.0f}" if not is_missing(value) else ""
            else:
                writer.text(sheet, row, index, value, "top")
                text = "" if is_missing(value) else str(value)
            widths[index - 1] = max(widths[index - 1], display_width(text))
    _finish_table(sheet, [_fit(w) for w in widths], len(table), frozen_columns=min(3, len(headers)))


def _gaps_title(unit: str, info: BookInfo) -> str:
    return t("workbook.gaps_title", info.lang, unit=unit, year="" if info.year is None else info.year)


def county_workbook(frame: pd.DataFrame, info: BookInfo, title: str, *, gaps: pd.DataFrame | None = None,
                    unit: str = "") -> bytes:
    """The ``.xlsx`` bytes of one unit's scorecard: the scorecard sheet (titled ``title``), the whole school
    gap list when ``gaps`` is given (:func:`gaps_sheet`, titled with ``unit``), and About."""
    book, writer, taken = new_workbook(), CellWriter(), set()
    sheet = book.create_sheet(sheet_title(t("workbook.sheet.scorecard", info.lang), taken))
    columns = scorecard_sheet(sheet, writer, frame, title, info)
    covers = t("workbook.about.sheets_county", info.lang, scorecard=sheet.title)
    if gaps is not None:
        gap_sheet = book.create_sheet(sheet_title(t("workbook.sheet.gaps", info.lang), taken))
        gaps_sheet(gap_sheet, writer, gaps, _gaps_title(unit, info), info)
        covers += (" " if info.lang == "en" else "") + t("workbook.about.sheet_gaps", info.lang, gaps=gap_sheet.title)
    about = book.create_sheet(sheet_title(t("workbook.sheet.about", info.lang), taken))
    about_sheet(about, writer, columns, info, covers + unit_counts_text(frame, info.lang))
    return workbook_bytes(book)


def city_workbook(counties: Sequence[UnitCard], city: UnitCard | None, info: BookInfo,
                  city_name: str, *, gaps: pd.DataFrame | None = None) -> bytes:
    """The ``.xlsx`` bytes of the city workbook: summary, a sheet per county, the city's rows, the city's
    whole school gap list when ``gaps`` is given (:func:`gaps_sheet`), About.

    The summary lists ``counties`` in the order given, then the city.
    """
    lang = info.lang
    book, writer, taken = new_workbook(), CellWriter(), set()
    summary = book.create_sheet(sheet_title(t("workbook.sheet.summary", lang), taken))
    about_name = sheet_title(t("workbook.sheet.about", lang), taken)
    cards = [*counties, *([city] if city is not None else [])]
    names = {card.code: sheet_title(card.name, taken) for card in cards}
    columns: dict[str, Column] = {}
    for card in cards:
        sheet = book.create_sheet(names[card.code])
        for column in scorecard_sheet(sheet, writer, card.frame, workbook_title(card.name, info), info):
            columns.setdefault(column.name, column)
    year = "" if info.year is None else info.year
    summary_sheet(summary, writer, cards, names, t("workbook.summary_title", lang, unit=city_name, year=year),
                  info)
    covers = t("workbook.about.sheets_city", lang, summary=summary.title)
    if gaps is not None:
        gap_sheet = book.create_sheet(sheet_title(t("workbook.sheet.gaps", lang), taken))
        gaps_sheet(gap_sheet, writer, gaps, _gaps_title(city_name, info), info)
        covers += (" " if lang == "en" else "") + t("workbook.about.sheet_gaps", lang, gaps=gap_sheet.title)
    about = book.create_sheet(about_name)
    about_sheet(about, writer, list(columns.values()), info, covers)
    return workbook_bytes(book)


def _unit_name(frame: pd.DataFrame, dataset: Any, lang: str) -> str:
    """The county's name (from the dataset's registry when given), its code, or "all counties"."""
    codes = sorted({str(c) for c in frame["county_code"].dropna()}) if "county_code" in frame else []
    if len(codes) != 1:
        return t("workbook.all_units", lang)
    if dataset is not None:
        try:
            return str(dataset.counties.name(codes[0], lang))
        except KeyError:
            pass
    return codes[0]


def to_excel(frame: pd.DataFrame, path: str | Path, lang: str = "zh", *, demo: bool | None = None,
             as_of: str | None = None, data_hash: str | None = None, methods_link: str | None = None,
             title: str | None = None, dataset: Any = None) -> Path:
    """Write a scorecard (``qy.scorecard(...)``) to a formatted Excel workbook.

    Example::

        ds = qy.load_demo()
        card = qy.scorecard(ds, "清新区", 2022)
        qy.to_excel(card, "清新区.xlsx", dataset=ds)              # Chinese headers and words
        qy.to_excel(card, "qingxin.xlsx", lang="en", dataset=ds)

    Args:
        frame: A scorecard frame (columns of ``qyanalysis.verdicts.attainment.SCORECARD_COLUMNS``;
            a missing one is left out, an extra one shown after them).
        path: The ``.xlsx`` file to write (its folder must exist).
        lang: "zh" or "en": headers, words and the About sheet.
        demo: Whether the data is synthetic; then every sheet carries the notice. Default:
            ``dataset.is_demo``, else ``frame.attrs["is_demo"]``, else False.
        as_of: The data's snapshot month ``YYYY-MM`` (default: the latest of the frame's ``as_of``).
        data_hash: The data's fingerprint (default: ``dataset.data_hash``, else ``frame.attrs["data_hash"]``).
        methods_link: Link to the methods page, on the About sheet.
        title: Title of the scorecard sheet (default: the county's name, the year and the as-of month).
        dataset: The dataset the scorecard came from (gives the defaults above and the county's name).

    Returns:
        ``path`` as a Path.

    Raises:
        ValueError: ``lang`` is not "zh" or "en".
    """
    check_lang(lang)
    if demo is None:
        demo = bool(getattr(dataset, "is_demo", frame.attrs.get("is_demo", False)))
    if data_hash is None:
        found = getattr(dataset, "data_hash", None) or frame.attrs.get("data_hash")
        data_hash = str(found) if found else None
    info = book_info([frame], lang, demo=demo, as_of=as_of, data_hash=data_hash, methods_link=methods_link)
    payload = county_workbook(frame, info, title or workbook_title(_unit_name(frame, dataset, lang), info))
    target = Path(path)
    target.write_bytes(payload)
    return target
