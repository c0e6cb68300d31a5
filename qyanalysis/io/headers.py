"""Matching headers and sheet/file names to the declarations of ``contract/columns.py``.

A header is accepted when its fold (NFKC, lower case, no whitespace) equals the
fold of a column's English name, its ``label_zh`` or one of its ``aliases``;
failing that, a trailing unit in parentheses is ignored ("在校生数(人)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qyanalysis.contract.columns import PERSONAL_DATA_HEADERS, TABLES, Table
from qyanalysis.io.text import fold

# Sheets of the shipped template that carry explanations, not data.
EXPLANATION_SHEETS = ("说明", "指标代码", "readme", "instructions")
# How many leading rows may hold titles or merged group headers above the header row.
HEADER_SEARCH_ROWS = 30
_TRAILING_UNIT = re.compile(r"[(\[][^()\[\]]*[)\]]$")


@lru_cache(maxsize=None)
def header_lookup(table_name: str) -> dict[str, str]:
    """Folded header → declared column name, for every accepted spelling of every column."""
    lookup: dict[str, str] = {}
    for column in TABLES[table_name].columns:
        for spelling in (column.name, column.label_zh, *column.aliases):
            lookup.setdefault(fold(spelling), column.name)
    return lookup


def match_header(table: Table, header: str) -> str | None:
    """The declared column a header names, or None.

    >>> from qyanalysis.contract.columns import SCHOOLS
    >>> match_header(SCHOOLS, "在校生数（人）"), match_header(SCHOOLS, "Students")
    ('students', 'students')
    """
    lookup = header_lookup(table.name)
    key = fold(header)
    if not key:
        return None
    if key in lookup:
        return lookup[key]
    without_unit = _TRAILING_UNIT.sub("", key)
    return lookup.get(without_unit) if without_unit else None


def table_for_name(name: str) -> Table | None:
    """The table a file stem or sheet name stands for (English name or ``label_zh``), or None."""
    key = fold(name)
    for table in TABLES.values():
        if key in (fold(table.name), fold(table.label_zh)):
            return table
    return None


def personal_data_word(header: str) -> str | None:
    """The personal-data word contained in a header (docs/data-dictionary.md), or None."""
    key = fold(header)
    for word in PERSONAL_DATA_HEADERS:
        if fold(word) in key:
            return word
    return None


@dataclass(frozen=True)
class HeaderRow:
    """Where the header of a sheet is and what it says.

    Attributes:
        index: 0-based index of the header row in the grid.
        headers: The header cells as written, with empty cells of a vertically
            merged group header filled from the row above.
    """

    index: int
    headers: list[str]


def _matches(table: Table, cells: list[str]) -> tuple[int, int]:
    filled = [c for c in cells if c.strip()]
    return sum(match_header(table, c) is not None for c in filled), len(filled)


def find_header_row(table: Table, rows: list[list[str]]) -> HeaderRow:
    """Detect the header row among the first rows of a sheet.

    The header is the first row in which at least two cells, and at least half
    of the non-empty cells, match declared headers; title rows and merged group
    headers above it are skipped. Without such a row, the row with the most
    matches is used (the first non-empty row when nothing matches), so that the
    missing columns are reported against it.
    """
    best, best_matches, first_filled = None, 0, None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        matched, filled = _matches(table, cells)
        if filled and first_filled is None:
            first_filled = index
        if matched >= 2 and 2 * matched >= filled:
            best = index
            break
        if matched > best_matches:
            best, best_matches = index, matched
    if best is None:
        best = first_filled or 0
    headers = _fill_from_above(table, rows, best)
    while best + 1 < len(rows) and _is_sub_header(table, headers, rows[best + 1]):
        below = rows[best + 1]
        headers = [(below[i].strip() if i < len(below) and below[i].strip() else h)
                   for i, h in enumerate(headers)]
        headers += [c.strip() for c in below[len(headers):]]
        best += 1
    return HeaderRow(best, headers)


def _is_sub_header(table: Table, headers: list[str], below: list[str]) -> bool:
    """True when ``below`` continues a two-row header: it names declared columns, and only under
    cells of the row above that are empty or group labels (merged cells such as 学生情况)."""
    filled = [(i, c.strip()) for i, c in enumerate(below) if c.strip()]
    if not filled or not any(match_header(table, c) for _, c in filled):
        return False
    return all(i >= len(headers) or not headers[i] or match_header(table, headers[i]) is None
               for i, _ in filled)


def _fill_from_above(table: Table, rows: list[list[str]], index: int) -> list[str]:
    """Header cells; an empty cell takes a declared header written above it (vertical merge)."""
    headers = [c.strip() for c in rows[index]] if rows else []
    for pos, cell in enumerate(headers):
        if cell:
            continue
        for above in reversed(rows[:index]):
            candidate = above[pos].strip() if pos < len(above) else ""
            if candidate and match_header(table, candidate) is not None:
                headers[pos] = candidate
                break
    return headers
