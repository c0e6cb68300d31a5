"""Exceptions raised by qyanalysis."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ValidationIssue:
    """One problem found in the input data.

    Attributes:
        file: File name (or ``workbook.xlsx[sheet]`` for Excel sheets).
        row: Spreadsheet row number (header = 1, first data row = 2), or None.
        column: Column header as written in the file, or None.
        message: What is wrong and what was expected.
        severity: "error" (data unusable) or "warning".
    """

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        row = "" if self.row is None else str(self.row)
        column = "" if self.column is None else self.column
        return f"{self.file}:{row}:{column}: {self.message}"


class QyAnalysisError(Exception):
    """Base class of the package's own errors."""


class DataValidationError(QyAnalysisError):
    """The input data breaks the contract.

    Attributes:
        errors: Every problem found, as :class:`ValidationIssue` records.
    """

    def __init__(self, errors: list[ValidationIssue]):
        self.errors = list(errors)
        head = "\n".join(str(e) for e in self.errors[:20])
        more = f"\n… and {len(self.errors) - 20} more" if len(self.errors) > 20 else ""
        super().__init__(f"{len(self.errors)} problem(s) in the input data:\n{head}{more}")


class UsageError(QyAnalysisError):
    """A bad argument (unknown county, year, language, unsafe path)."""
