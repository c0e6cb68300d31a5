"""Validation of one table read as text, derived from its declaration in ``contract/columns.py``.

Order of work for a table: map headers to declared columns; drop blank rows
and 合计/总计/小计 total rows; refuse personal data; report missing required
columns; convert every column by its kind (collecting every bad cell); then
the row rules of :mod:`qyanalysis.io.checks`. Problems are collected, never
raised one by one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from qyanalysis.contract.columns import Column, Table
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.io.checks import AGE_RULES, ROW_CHECKS, check_city, personal_content
from qyanalysis.io.convert import Converted, convert_column, convert_county, expectation
from qyanalysis.io.headers import match_header, personal_data_word
from qyanalysis.io.readers import RawTable
from qyanalysis.io.problems import Report, TableView
from qyanalysis.io.text import TOTAL_ROW_PATTERN, TOTAL_ROW_PREFILTER, fold_series, short

# Column kinds whose cells may hold a row label such as 合计 (numbers cannot).
LABEL_KINDS = ("id", "text", "county", "category")
# The category column whose allowed values are the indicator catalogue.
INDICATOR_CODE_COLUMN = ("indicators", "indicator")


@dataclass
class HeaderMap:
    """Which grid column holds which declared column.

    Attributes:
        positions: Declared column name → grid column.
        headers: Declared column name → header as written.
        unknown: Grid column → header ("" when none) of columns that match no
            declaration (kept for the personal-data and total-row checks).
    """

    positions: dict[str, int]
    headers: dict[str, str]
    unknown: dict[int, str]


def _unmatched(raw: RawTable, pos: int, header: str, report: Report) -> bool:
    """Report a header that names no declared column; True when its cells are kept for the checks."""
    label = raw.source.label
    word = personal_data_word(header) if header else None
    if word is not None:
        report.add(label, raw.header_row, header,
                   f"column looks like personal data (header contains '{word}'); personal identifiers "
                   "are refused — remove the column")
        return False
    if header:
        report.add(label, raw.header_row, header, "unknown column ignored", "warning")
        return True
    if pos in raw.cells and (raw.cells[pos].str.strip() != "").any():
        report.add(label, raw.header_row, None, f"column {pos + 1} has data but no header; ignored",
                   "warning")
        return True
    return False


def map_headers(raw: RawTable, report: Report) -> HeaderMap:
    """Match every header to a declaration; warn about unknown ones, refuse personal data and doubles."""
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    unknown: dict[int, str] = {}
    for pos, header in enumerate(raw.headers):
        name = match_header(raw.source.table, header) if header else None
        if name is None:
            if _unmatched(raw, pos, header, report):
                unknown[pos] = header
        elif name in positions:
            report.add(raw.source.label, raw.header_row, header,
                       f"column {name} is given twice (also as '{headers[name]}'); expected one column")
        else:
            positions[name], headers[name] = pos, header
    return HeaderMap(positions, headers, unknown)


def _blank_rows(cells: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty or whitespace (only the rows still blank are examined per column)."""
    candidates = np.arange(len(cells))
    for pos in cells.columns:
        if not len(candidates):
            break
        column = cells[pos].iloc[candidates]
        candidates = candidates[(column.str.strip() == "").to_numpy(dtype=bool)]
    blank = np.zeros(len(cells), dtype=bool)
    blank[candidates] = True
    return blank


def _total_rows(cells: pd.DataFrame, positions: list[int]) -> np.ndarray:
    """Rows with a label cell starting 合计/总计/小计/total (cheap prefilter, then folded match)."""
    total = np.zeros(len(cells), dtype=bool)
    for pos in positions:
        maybe = cells[pos].str.contains(TOTAL_ROW_PREFILTER, regex=True).to_numpy(dtype=bool)
        if maybe.any():
            folded = fold_series(cells[pos][maybe])
            starts = folded.str.contains(TOTAL_ROW_PATTERN, regex=True).to_numpy(dtype=bool)
            total[np.flatnonzero(maybe)] |= starts
    return total


def _drop_rows(raw: RawTable, hmap: HeaderMap, report: Report) -> tuple[pd.DataFrame, np.ndarray]:
    """Skip blank rows silently; drop total rows (合计, 总计, 小计) with a warning."""
    cells, rows = raw.cells, raw.rows
    if cells.empty:
        return cells, rows
    blank = _blank_rows(cells)
    table = raw.source.table
    label_positions = [p for n, p in hmap.positions.items() if table.column(n).kind in LABEL_KINDS]
    total = _total_rows(cells, label_positions + list(hmap.unknown)) & ~blank
    for row in rows[total]:
        report.add(raw.source.label, int(row), None, "total row (合计/总计/小计) dropped", "warning")
    keep = ~(blank | total)
    return cells[keep].reset_index(drop=True), rows[keep]


def _refuse_personal_content(raw: RawTable, hmap: HeaderMap, cells: pd.DataFrame, rows: np.ndarray,
                             report: Report) -> None:
    """Columns whose cells hold ID-card or mobile numbers are refused, naming the column, not the values."""
    table = raw.source.table
    candidates = {p: hmap.headers[n] for n, p in hmap.positions.items()
                  if table.column(n).kind in ("id", "text")}
    candidates.update(hmap.unknown)
    for pos, header in candidates.items():
        found = personal_content(cells[pos])
        if found is None:
            continue
        what, mask = found
        first = int(rows[np.flatnonzero(mask)[0]])
        report.add(raw.source.label, first, header or None,
                   f"column looks like personal data: {int(mask.sum())} cell(s) hold {what}, "
                   f"first at row {first}; "
                   "personal identifiers are refused — use pseudonymous codes or remove the column")


def _indicator_code_message(text: str) -> str:
    guess = difflib.get_close_matches(text.strip().lower(), list(CATALOGUE), n=1)
    hint = f" — did you mean {guess[0]}?" if guess else ""
    return (f"unknown indicator code '{short(text)}'; expected a code of the indicator catalogue "
            f"(docs/data-dictionary.md){hint}")


def _convert(table: Table, column: Column, text: pd.Series, registry: CountyRegistry) -> Converted:
    if column.kind == "county":
        return convert_county(text, registry)
    birth_columns = {rule.birth for rule in AGE_RULES.get(table.name, ())}
    is_code = (table.name, column.name) == INDICATOR_CODE_COLUMN
    converted = convert_column(column, text, check_year_range=column.name not in birth_columns,
                               allowed=tuple(CATALOGUE) if is_code else None)
    if is_code:
        for problem in converted.problems:
            problem.describe = _indicator_code_message
    return converted


def _typed_missing(column: Column, n: int) -> pd.Series:
    """An all-missing column of the right dtype, for a declared column absent from the file."""
    if column.kind in ("count", "amount", "number"):
        return pd.Series(np.full(n, np.nan))
    if column.kind == "year":
        return pd.Series(pd.arrays.IntegerArray(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool)))
    if column.kind == "bool":
        return pd.Series(pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool)))
    if column.kind == "period":
        return pd.Series(np.full(n, "", dtype=object), dtype="str")
    return pd.Series(np.full(n, np.nan, dtype=object), dtype="str")


def _report_missing_columns(raw: RawTable, hmap: HeaderMap, report: Report) -> None:
    for column in raw.source.table.columns:
        if column.required and column.name not in hmap.positions:
            spellings = ", ".join(dict.fromkeys((column.name, column.label_zh, *column.aliases)))
            report.add(raw.source.label, raw.header_row, None,
                       f"missing required column {column.name} ({column.label_zh}); expected a header named "
                       f"one of: {spellings}")


def _convert_columns(view: TableView, table: Table, registry: CountyRegistry, report: Report) -> pd.DataFrame:
    """Every declared column, typed; bad and (in required columns) empty cells reported per row."""
    columns: dict[str, pd.Series] = {}
    for column in table.columns:
        text = view.text.get(column.name)
        if text is None:
            columns[column.name] = _typed_missing(column, len(view.rows))
            continue
        converted = _convert(table, column, text, registry)
        for problem in converted.problems:
            report.cells(view, problem.mask, column.name,
                         lambda pos, p=problem, t=text: p.describe(t.iloc[pos]))
        if column.required:
            report.cells(view, converted.missing, column.name,
                         lambda pos, c=column: f"empty cell in required column; expected {expectation(c)}")
        if converted.percent is not None:
            view.percent[column.name] = converted.percent
        if converted.yes_no is not None:
            view.yes_no[column.name] = converted.yes_no
        columns[column.name] = converted.values.reset_index(drop=True)
    return pd.DataFrame(columns)


def validate_table(raw: RawTable, registry: CountyRegistry, report: Report) -> tuple[TableView, bool]:
    """Validate one table read as text.

    Returns:
        ``(view, usable)``: the typed table with its row numbers, and whether it
        had no error of its own (warnings allowed).
    """
    table = raw.source.table
    errors_before = len(report.errors)
    hmap = map_headers(raw, report)
    cells, rows = _drop_rows(raw, hmap, report)
    _refuse_personal_content(raw, hmap, cells, rows, report)
    _report_missing_columns(raw, hmap, report)
    text = {name: cells[pos] for name, pos in hmap.positions.items()}
    view = TableView(table.name, raw.source.label, raw.header_row, rows, hmap.headers, text, pd.DataFrame())
    view.frame = _convert_columns(view, table, registry, report)
    check_city(view, report, registry)
    for check in ROW_CHECKS:
        check(view, report)
    return view, len(report.errors) == errors_before
