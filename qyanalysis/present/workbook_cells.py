"""Cells of the Excel workbooks: number formats by unit, safe text, styles, sheet names, stable bytes.

The sheet layouts are in :mod:`qyanalysis.present.workbook`; this module holds
the parts that know about openpyxl and Excel's rules:

* number formats per unit (:data:`UNIT_FORMATS`), with the catalogue's unit
  suffix (" 元") as a literal;
* text cells that stay text: a note starting with "=" is never a formula,
  characters XML 1.0 cannot hold are removed, text is cut at Excel's
  32,767-character limit;
* sheet names Excel accepts (≤ 31 characters, none of ``[]:*?/\\``, unique
  ignoring case);
* deterministic bytes: fixed zip timestamps and document dates.

openpyxl is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from copy import copy
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from qyanalysis.present.labels import has_label, t
from qyanalysis.present.numbers import PERCENT_UNITS

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

# Excel's limits: 31 characters per sheet name, 32,767 per cell.
SHEET_NAME_MAX = 31
CELL_TEXT_MAX = 32_767
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEET_NAMES = frozenset({"history"})
# Characters XML 1.0 cannot hold (openpyxl refuses them): C0 controls except tab, newline, return.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Number format per unit (the stored number is the scorecard's, except pp: see stored_value).
# The same rounding as the pages (qyanalysis.present.numbers.format_number): one decimal for
# percentages, thousands separators for counts and yuan, a ratio's third decimal shown when not 0;
# a scorecard row that needs more decimals (qyanalysis.present.shown) gets them (with_decimals).
UNIT_FORMATS: dict[str, str] = {
    "share": "0.0%",
    "rate": "0.0%",
    "change": "+0.0%;-0.0%;0.0%",
    "pp": "+0.0;-0.0;0.0",
    "count": "#,##0",
    "yuan": "#,##0",
    "yuan_per_student": "#,##0",
    "m2": "#,##0.0",
    "ratio": "0.00#",
    "per100": "0.00",
    "m2_per_student": "0.00",
}
# The digits of a number format section: "0", "0.0", "0.00#" (before "%", ";" or the end).
_DIGITS = re.compile(r"0(?:\.[0#]+)?(?=%|;|$)")
# Percentage points are stored in points: Excel shows a fraction × 100 only with a "%" sign,
# which would make −0.5 pp read as a relative fall of 0.5 %.
PP_SCALE = 100.0
PROBABILITY_FORMAT = "0%"
COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
GENERAL_FORMAT = "General"

HEADER_FILL = "DDEBF7"
NOTICE_COLOUR = "C00000"
LINK_COLOUR = "0563C1"
# The one timestamp a workbook carries (document properties, zip members): the zip format's epoch,
# so that the same scorecard always gives the same bytes (a rerun with nothing new writes nothing).
FIXED_TIME = datetime(1980, 1, 1)


def is_missing(value: object) -> bool:
    """None, pandas' NA/NaT or a float NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def clean_text(value: object) -> str:
    """``value`` as text a cell can hold: XML-illegal characters removed, cut at 32,767 characters."""
    return _ILLEGAL_XML.sub("", str(value))[:CELL_TEXT_MAX]


def display_width(text: str) -> int:
    """Width of ``text`` in Excel character units: a wide (CJK) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def with_decimals(number_format: str, decimals: int | None) -> str:
    """``number_format`` showing ``decimals`` decimals in every section (None: unchanged).

    >>> with_decimals("+0.0;-0.0;0.0", 2)
    '+0.00;-0.00;0.00'
    >>> with_decimals("#,##0", 0)
    '#,##0'
    """
    if decimals is None:
        return number_format
    digits = "0" + ("." + "0" * decimals if decimals else "")
    return _DIGITS.sub(digits, number_format)


def unit_format(unit: str, lang: str, decimals: int | None = None) -> str:
    """Excel number format of ``unit``, its catalogue suffix as a literal (``#,##0" 元"``); else General.

    A yes/no ``flag`` keeps its 1/0 and shows 是/否 (Yes/No) through the format's
    positive;negative;zero sections. ``decimals``: the decimals the pages print
    for the row (:func:`qyanalysis.present.shown.shown_row`), None = the unit's own.
    """
    if unit == "flag":
        yes, no = (t(f"flag.{word}", lang).replace('"', "") for word in ("yes", "no"))
        return f'"{yes}";"{yes}";"{no}"'
    base = UNIT_FORMATS.get(unit)
    if base is None:
        return GENERAL_FORMAT
    base = with_decimals(base, decimals)
    suffix = t(f"suffix.{unit}", lang) if has_label(f"suffix.{unit}") else ""
    if unit in PERCENT_UNITS or unit == "change" or not suffix:
        return base
    literal = suffix.replace('"', "")
    return ";".join(f'{part}"{literal}"' for part in base.split(";"))


def stored_value(value: float, unit: str) -> float:
    """The number a cell holds for a scorecard ``value`` in ``unit``: × 100 for ``pp``, else unchanged."""
    return value * PP_SCALE if unit == "pp" else value


def python_number(value: Any) -> int | float:
    """A numpy or pandas scalar as a Python int or float (what openpyxl writes)."""
    value = value.item() if hasattr(value, "item") else value
    return value if isinstance(value, (int, float)) else float(value)


def plain_format(value: float) -> str:
    """Format of a number with no unit: thousands separators, two decimals unless whole."""
    return COUNT_FORMAT if float(value).is_integer() else DECIMAL_FORMAT


def argb(colour: str) -> str:
    """``#009E73`` → ``009E73`` (openpyxl's colour form)."""
    return colour.lstrip("#").upper()


class CellWriter:
    """Writes values with named styles into one workbook.

    Setting a font, fill or alignment on a cell makes openpyxl hash the style
    objects every time (about 0.1 ms a cell, most of a workbook's cost).
    Each (style, number format) pair is therefore built on the first cell
    that uses it and copied to the next ones as its style array — the idiom
    openpyxl itself uses to copy a worksheet.
    """

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.styles: dict[str, dict[str, Any]] = {
            "plain": {},
            "top": {"alignment": Alignment(vertical="top")},
            "wrap": {"alignment": Alignment(wrap_text=True, vertical="top")},
            "title": {"font": Font(bold=True, size=13)},
            "section": {"font": Font(bold=True, size=12)},
            "notice": {"font": Font(bold=True, color=NOTICE_COLOUR)},
            "bold": {"font": Font(bold=True), "alignment": Alignment(vertical="top")},
            "header": {"font": Font(bold=True), "fill": PatternFill("solid", fgColor=HEADER_FILL),
                       "alignment": Alignment(wrap_text=True, vertical="center")},
            "link": {"font": Font(color=LINK_COLOUR, underline="single"),
                     "alignment": Alignment(vertical="top")},
        }
        self._arrays: dict[tuple[str, str], Any] = {}

    def style(self, cell: Cell, name: str = "plain", number_format: str = GENERAL_FORMAT) -> Cell:
        """Give ``cell`` the named style and number format."""
        key = (name, number_format)
        array = self._arrays.get(key)
        if array is not None:
            cell._style = copy(array)
            return cell
        for attribute, value in self.styles[name].items():
            setattr(cell, attribute, value)
        if number_format != GENERAL_FORMAT:
            cell.number_format = number_format
        self._arrays[key] = copy(cell._style)
        return cell

    def text(self, sheet: Worksheet, row: int, column: int, value: object, style: str = "plain") -> Cell:
        """A text cell that stays text (a leading "=" never makes a formula); empty for a missing value."""
        cell = sheet.cell(row=row, column=column)
        if is_missing(value) or value == "":
            return cell
        cell.value = clean_text(value)
        cell.data_type = "s"
        return self.style(cell, style)

    def number(self, sheet: Worksheet, row: int, column: int, value: object, number_format: str,
               style: str = "top") -> Cell:
        """A number cell with ``number_format``; empty for a missing value (never 0)."""
        cell = sheet.cell(row=row, column=column)
        if is_missing(value):
            return cell
        cell.value = python_number(value)
        return self.style(cell, style, number_format)


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid sheet name for ``name``, not in ``taken`` (case-folded names; the result is added).

    Excel's rules: at most 31 characters, none of ``[ ] : * ? / \\``, no
    apostrophe at either end, not "History", unique ignoring case. A clash
    gets " (2)", " (3)" ….
    """
    base = _SHEET_NAME_FORBIDDEN.sub("_", clean_text(name)).strip().strip("'").strip() or "_"
    base = base[:SHEET_NAME_MAX]
    candidate, number = base, 2
    while candidate.casefold() in taken or candidate.casefold() in _RESERVED_SHEET_NAMES:
        tail = f" ({number})"
        candidate = base[: SHEET_NAME_MAX - len(tail)] + tail
        number += 1
    taken.add(candidate.casefold())
    return candidate


def new_workbook() -> Workbook:
    """An empty workbook (no sheet) with fixed document dates."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "qyanalysis"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    return book


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose members all carry :data:`FIXED_TIME`, so equal content gives equal bytes."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: int | None = None,
                 compresslevel: int | None = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            member = zipfile.ZipInfo(zinfo_or_arcname, date_time=FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            zinfo_or_arcname = member
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        """openpyxl writes worksheets through temporary files: store them like ``writestr``."""
        with open(filename, "rb") as handle:
            self.writestr(str(arcname or filename), handle.read(), compress_type, compresslevel)


def workbook_bytes(book: Workbook) -> bytes:
    """The ``.xlsx`` bytes of ``book``; the same workbook content always gives the same bytes.

    (``Workbook.save`` would stamp the current time into the document
    properties and every zip member.)
    """
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    with _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    return buffer.getvalue()
