"""Collecting problems: every problem of every file in one pass, worded per cell.

A problem that affects many rows is listed for the first
``MAX_ROWS_PER_PROBLEM`` rows, followed by one line that counts the rest, so
that a systematic mistake in a million-row census stays readable.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from qyanalysis.errors import ValidationIssue

MAX_ROWS_PER_PROBLEM = 100


@dataclass
class TableView:
    """One table being validated: its typed values and where each row came from.

    Attributes:
        table_name: Declared table name.
        label: File label for messages (``schools.csv``, ``book.xlsx[学校]``).
        header_row: Spreadsheet number of the header row.
        rows: Spreadsheet row number of each row of ``frame`` (same order).
        headers: Declared column name → header as written in the file.
        text: Declared column name → the cells as written (for messages).
        frame: Typed values, English column names (``county`` still named ``county``).
        percent: Column name → True where a number was written with a % sign.
        yes_no: Column name → True where a number column held a yes/no word (是/否 → 1/0).
    """

    table_name: str
    label: str
    header_row: int
    rows: np.ndarray
    headers: dict[str, str]
    text: dict[str, pd.Series]
    frame: pd.DataFrame
    percent: dict[str, np.ndarray] = field(default_factory=dict)
    yes_no: dict[str, np.ndarray] = field(default_factory=dict)

    def has(self, *names: str) -> bool:
        """True when every named column is present in the file."""
        return all(n in self.headers for n in names)

    def header(self, name: str) -> str:
        """The header of a column as written in the file (its name when absent)."""
        return self.headers.get(name, name)


@dataclass
class Report:
    """Errors and warnings found so far."""

    errors: list[ValidationIssue] = field(default_factory=list)
    warnings: list[ValidationIssue] = field(default_factory=list)
    target_ids: Callable[[], Collection[str]] | None = None
    """The target registry's ids, asked for only when a ``targets_override`` table is read; None: not checked.

    io knows no targets: whoever opens the data folder above it passes the
    registry's ids in (``qyanalysis.opening.load_dataset``)."""

    def add(self, file: str, row: int | None, column: str | None, message: str,
            severity: str = "error") -> None:
        """Record one problem."""
        issue = ValidationIssue(file, row, column, message, severity)
        (self.warnings if severity == "warning" else self.errors).append(issue)

    def cells(self, view: TableView, mask: np.ndarray, column: str | None,
              describe: Callable[[int], str], severity: str = "error") -> int:
        """Record a problem for every row where ``mask`` is True; return how many rows.

        Args:
            view: The table.
            mask: One boolean per row of ``view.frame``.
            column: Declared column name the problem is reported under (None for the row).
            describe: Words the problem for the row at a position of ``view.frame``.
            severity: "error" or "warning".
        """
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        header = None if column is None else view.header(column)
        for pos in positions[:MAX_ROWS_PER_PROBLEM]:
            self.add(view.label, int(view.rows[pos]), header, describe(int(pos)), severity)
        extra = len(positions) - MAX_ROWS_PER_PROBLEM
        if extra > 0:
            first = describe(int(positions[MAX_ROWS_PER_PROBLEM])).split(";")[0]
            self.add(view.label, None, header,
                     f"… and {extra} more rows with the same kind of problem (e.g. {first})", severity)
        return len(positions)
