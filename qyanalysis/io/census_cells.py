"""What both census readers share: a workbook's cells and sheets, a school's mapped values, a problem.

:mod:`qyanalysis.io.census` (the form readers) and :mod:`qyanalysis.io.census_rows`
(one-row-per-school exports) both build on these, so neither imports the other
at the top (no import circle).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import numpy as np

from qyanalysis.errors import ValidationIssue
from qyanalysis.io.text import cell_to_text, fold

TEXT_FIELDS = ("school_id", "school_name", "address_code", "county", "location_code", "type_code",
               "organiser_code", "inclusive_private", "counted")
BLOCKED = "*"
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")



@dataclass(frozen=True)
class CensusIssue(ValidationIssue):
    """A problem in a census workbook, located as ``FILE:SHEET:CELL``."""

    sheet: str = ""
    cell: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.sheet}:{self.cell}: {self.message}"


def issue(file: str, sheet: str, cell: str, message: str, severity: str = "error") -> CensusIssue:
    """One census problem (``FILE:SHEET:CELL: what, expected``)."""
    return CensusIssue(file, None, None, message, severity, sheet, cell)


def cell_name(row: int, col: int) -> str:
    """A1 address of a 0-based grid position."""
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row + 1}"


def parse_number(text: str) -> float | None:
    """A census cell as a number: "" and ``*`` (blocked) → NaN; "1,234", " 87 ", full-width digits read.

    Returns None when the text is not a number.
    """
    cleaned = fold(text).replace(",", "")
    if cleaned in ("", BLOCKED, "-", "—", "/"):
        return float("nan")
    return float(cleaned) if _NUMBER.match(cleaned) else None


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def xlsx_sheets(data: bytes) -> list[tuple[str, list[list[str]]]]:
    """Every sheet of an .xlsx as (name, grid of text), read straight from its XML.

    About ten times faster than openpyxl for the many small sheets of census exports;
    cells are rendered as :func:`~qyanalysis.io.text.cell_to_text` renders them (numbers
    stored as numbers become "87" or "12.5", text stays text). Merged ranges keep their
    value in the top-left cell, as in the file.
    """
    import xml.etree.ElementTree as ET

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        strings: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = ET.fromstring(archive.read("xl/sharedStrings.xml"))
            strings = ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.iter(f"{_NS}si")]
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        workbook = ET.fromstring(archive.read("xl/workbook.xml"))
        sheets = []
        for sheet in workbook.iter(f"{_NS}sheet"):
            target = targets.get(sheet.get(_REL), "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            sheets.append((sheet.get("name", ""), _sheet_grid(ET.fromstring(archive.read(path)), strings)))
    return sheets


def _sheet_grid(root, strings: list[str]) -> list[list[str]]:
    grid: list[list[str]] = []
    for row in root.iter(f"{_NS}row"):
        r = int(row.get("r", len(grid) + 1)) - 1
        while len(grid) <= r:
            grid.append([])
        line = grid[r]
        for c in row.iter(f"{_NS}c"):
            ref = _CELL_REF.match(c.get("r", ""))
            col = _column_index(ref.group(1)) if ref else len(line)
            kind = c.get("t", "n")
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
            else:
                v = c.find(f"{_NS}v")
                raw = v.text if v is not None and v.text is not None else ""
                if kind == "s" and raw:
                    text = strings[int(raw)]
                elif kind == "n" and raw:
                    text = cell_to_text(float(raw))
                elif kind == "b":
                    text = "TRUE" if raw == "1" else ("FALSE" if raw else "")
                else:
                    text = raw
            if len(line) <= col:
                line.extend([""] * (col + 1 - len(line)))
            line[col] = text
    width = max((len(line) for line in grid), default=0)
    return [line + [""] * (width - len(line)) for line in grid]


@dataclass
class School:
    """The mapped cells of one school: (field, stage) → list of (value, provenance record)."""

    file: str
    year: int | None
    generation: str
    values: dict[tuple[str, str], list[tuple[object, dict]]] = field(default_factory=dict)

    def add(self, field_name: str, stage: str, value: object, record: dict) -> None:
        self.values.setdefault((field_name, stage), []).append((value, record))

    def text(self, name: str) -> str:
        hits = [v for (f, _), items in self.values.items() if f == name for v, _ in items]
        return str(hits[0]).strip() if hits else ""

    def total(self, name: str, stage: str | None = None) -> float:
        """Sum of a field's cells (NaN when every cell is empty)."""
        vals = [float(v) for (f, s), items in self.values.items() if f == name and stage in (None, s)
                for v, _ in items]
        vals = [v for v in vals if not np.isnan(v)]
        return float(np.round(sum(vals), 4)) if vals else float("nan")

    def where(self, name: str, stage: str) -> dict:
        items = self.values.get((name, stage))
        return items[0][1] if items else {}
