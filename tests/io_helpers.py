"""Tiny hand-written data folders for the tests of ``qyanalysis.io``.

The base folder has three schools (spreadsheet rows 2–4 of ``schools.csv``)
and two indicator rows (rows 2–3 of ``indicators.csv``); tests append rows or
columns and assert the exact ``FILE:ROW:COLUMN`` of each problem.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qyanalysis.errors import DataValidationError, ValidationIssue
from qyanalysis.opening import load_dataset  # what qy.load_dataset does: io with the registry's target ids

SCHOOLS_HEADER = ["school_id", "school_name", "county", "year", "level", "ownership", "students"]
SCHOOLS_ROWS = [
    ["S001", "清城区第一小学", "清城区", "2022", "primary", "public", "800"],
    ["S002", "英德市第二中学", "英德", "2022", "junior", "public", "600"],
    ["S003", "连州市实验学校", "441882", "2022", "nine_year", "private_inclusive", "1200"],
]
INDICATORS_HEADER = ["county", "year", "period", "indicator", "value"]
INDICATORS_ROWS = [
    ["清城区", "2022", "", "compulsory_dropout_rate", "0.002"],
    ["441800", "2022", "2022-06", "new_public_seats_compulsory", "12000"],
]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    """CSV text (no quoting needed for the tests' values)."""
    return "\n".join(",".join(r) for r in [header, *rows]) + "\n"


SCHOOLS_CSV = csv_text(SCHOOLS_HEADER, SCHOOLS_ROWS)
INDICATORS_CSV = csv_text(INDICATORS_HEADER, INDICATORS_ROWS)


def make_folder(root: Path, encoding: str = "utf-8", **tables: str | bytes | None) -> Path:
    """Write a data folder: ``schools`` and ``indicators`` default to the base tables; None omits one.

    Keyword names are file names without ``.csv`` (``schools``, ``teachers`` …);
    a name with a dot (``"学校.parquet"``) is used as given via ``files``.
    """
    folder = root / "data"
    folder.mkdir(parents=True, exist_ok=True)
    content = {"schools": SCHOOLS_CSV, "indicators": INDICATORS_CSV, **tables}
    for name, text in content.items():
        if text is None:
            continue
        data = text if isinstance(text, bytes) else text.encode(encoding)
        (folder / f"{name}.csv").write_bytes(data)
    return folder


def schools_with(extra_header: list[str], extra_values: list[list[str]],
                 rows: list[list[str]] | None = None) -> str:
    """The base schools table with more columns (``extra_values`` one list per base row) and more rows."""
    base = [r + e for r, e in zip(SCHOOLS_ROWS, extra_values)]
    return csv_text(SCHOOLS_HEADER + extra_header, base + (rows or []))


def problems(folder: Path) -> list[ValidationIssue]:
    """The errors of a folder that must fail validation."""
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder)
    return caught.value.errors


def lines(folder: Path) -> list[str]:
    """The errors of a failing folder as ``FILE:ROW:COLUMN: message`` lines."""
    return [str(issue) for issue in problems(folder)]


def only(issues: list[ValidationIssue]) -> ValidationIssue:
    """The single issue of a list (fails with the whole list otherwise)."""
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]
