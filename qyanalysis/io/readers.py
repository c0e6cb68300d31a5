"""Readers: find the tables of a data folder and read each one as a grid of text.

Supported inputs (docs/data-dictionary.md): CSV in UTF-8 (with or without BOM) or
GB18030/GBK, one ``.xlsx`` workbook per folder whose sheets are named after
the tables (English or Chinese), and Parquet. Nothing is typed here; every
cell is text, empty cells are "", and every row keeps its spreadsheet number.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from qyanalysis.contract.columns import Table
from qyanalysis.errors import ValidationIssue
from qyanalysis.io.headers import EXPLANATION_SHEETS, HEADER_SEARCH_ROWS, find_header_row, table_for_name
from qyanalysis.io.text import cell_to_text, column_to_text, fold

CSV_SUFFIXES = (".csv", ".tsv")
PARQUET_SUFFIXES = (".parquet", ".pq")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
OLD_EXCEL_SUFFIXES = (".xls", ".et")
ENCODINGS = ("utf-8-sig", "gb18030")
# Files written beside the tables by ``import-census`` (where each figure came from, teachers by
# qualification): not tables of the contract, read by nobody, and not worth a warning.
SIDE_FILES = ("provenance", "teachers_summary")


@dataclass(frozen=True)
class Source:
    """Where one table comes from.

    Attributes:
        table: The declared table.
        label: File name, or ``book.xlsx[sheet]`` for a workbook sheet (used in messages).
        path: The file.
        sheet: The sheet name for workbooks, else None.
    """

    table: Table
    label: str
    path: Path
    sheet: str | None = None


@dataclass
class RawTable:
    """One table as text, after the header row has been found.

    Attributes:
        source: Where it came from.
        header_row: Spreadsheet number of the header row (1 when there is no title above).
        headers: Header cells as written in the file, one per grid column.
        cells: Data rows below the header, one text column per grid column
            (columns are numbered 0…n-1; "" is an empty cell).
        rows: Spreadsheet row number of each data row.
    """

    source: Source
    header_row: int
    headers: list[str]
    cells: pd.DataFrame
    rows: np.ndarray


class UnreadableFile(Exception):
    """A file that cannot be read at all; the message says why.

    Attributes:
        row: The spreadsheet row where the trouble starts, when known.
    """

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.row = row


@dataclass
class Found:
    """What a data folder (or workbook) holds.

    Attributes:
        sources: One per table found.
        errors: Problems with the folder itself (two workbooks, an old .xls …).
        warnings: Files and sheets ignored.
        files: Files that will be read (for the data hash).
    """

    sources: list[Source] = field(default_factory=list)
    errors: list[ValidationIssue] = field(default_factory=list)
    warnings: list[ValidationIssue] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def discover(path: Path) -> Found:
    """Find the table sources of a data folder, or of one workbook.

    Raises:
        FileNotFoundError: when ``path`` does not exist.
        NotADirectoryError: when ``path`` is a file but not a workbook.
    """
    if path.is_file():
        if path.suffix.lower() in EXCEL_SUFFIXES:
            return _workbook_sources(path)
        raise NotADirectoryError(f"{path}: expected a data folder or an .xlsx workbook")
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no such data folder")
    found = Found()
    entries = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    workbooks = [p for p in entries if p.suffix.lower() in EXCEL_SUFFIXES]
    if len(workbooks) > 1:
        names = ", ".join(p.name for p in workbooks)
        found.errors.append(ValidationIssue(
            path.name, None, None,
            f"{len(workbooks)} workbooks ({names}); expected at most one .xlsx per folder"))
    for book in workbooks[:1]:
        in_book = _workbook_sources(book)
        found.sources += in_book.sources
        found.errors += in_book.errors
        found.warnings += in_book.warnings
        found.files += in_book.files
    for entry in entries:
        suffix = entry.suffix.lower()
        table = table_for_name(entry.stem)
        if entry.stem in SIDE_FILES and suffix in CSV_SUFFIXES:
            continue
        if suffix in OLD_EXCEL_SUFFIXES:
            found.errors.append(ValidationIssue(entry.name, None, None,
                                                "old binary Excel file; expected it saved as .xlsx"))
        elif suffix in CSV_SUFFIXES + PARQUET_SUFFIXES and table is None:
            found.warnings.append(ValidationIssue(
                entry.name, None, None, "file ignored: its name is not a table of the contract", "warning"))
        elif suffix in CSV_SUFFIXES + PARQUET_SUFFIXES:
            found.sources.append(Source(table, entry.name, entry))
            found.files.append(entry)
    found.errors += _duplicate_sources(found.sources)
    return found


def _workbook_sources(book: Path) -> Found:
    import openpyxl

    found = Found(files=[book])
    try:
        workbook = openpyxl.load_workbook(book, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a data problem
        found.errors.append(ValidationIssue(book.name, None, None,
                                            f"cannot read the workbook ({exc}); expected .xlsx"))
        return found
    for sheet in workbook.sheetnames:
        table = table_for_name(sheet)
        if table is not None:
            found.sources.append(Source(table, f"{book.name}[{sheet}]", book, sheet))
        elif fold(sheet) not in EXPLANATION_SHEETS:
            found.warnings.append(ValidationIssue(f"{book.name}[{sheet}]", None, None,
                                                  "sheet ignored: its name is not a table of the contract",
                                                  "warning"))
    workbook.close()
    return found


def _duplicate_sources(sources: list[Source]) -> list[ValidationIssue]:
    seen: dict[str, Source] = {}
    errors = []
    for source in sources:
        first = seen.setdefault(source.table.name, source)
        if first is not source:
            errors.append(ValidationIssue(source.label, None, None,
                                          f"table {source.table.name} is also given by {first.label}; "
                                          "expected it once"))
    return errors


def read_source(source: Source, data: bytes) -> RawTable:
    """Read one source as text and locate its header row.

    Raises:
        UnreadableFile: when the bytes are not a readable CSV/Parquet/workbook.
    """
    suffix = source.path.suffix.lower()
    try:
        if source.sheet is not None:
            return _read_sheet(source, data)
        if suffix in PARQUET_SUFFIXES:
            return _read_parquet(source, data)
        return _read_csv(source, data)
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - reported as a data problem, never a traceback
        raise UnreadableFile(f"cannot read the file ({type(exc).__name__}: {exc})") from exc


def _grid_to_raw(source: Source, grid: list[list[str]], first_row: int = 1) -> RawTable:
    """Build a RawTable from a list of rows of text (first row = spreadsheet row ``first_row``)."""
    header = find_header_row(source.table, grid)
    width = max((len(r) for r in grid), default=0)
    body = [r + [""] * (width - len(r)) for r in grid[header.index + 1:]]
    cells = pd.DataFrame(body, columns=range(width), dtype="str") if body else _empty_cells(width)
    headers = header.headers + [""] * (width - len(header.headers))
    rows = np.arange(len(body), dtype=np.int64) + first_row + header.index + 1
    return RawTable(source, first_row + header.index, headers, cells, rows)


def _empty_cells(width: int) -> pd.DataFrame:
    return pd.DataFrame({i: pd.Series([], dtype="str") for i in range(width)})


def _read_sheet(source: Source, data: bytes) -> RawTable:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook[source.sheet]
        grid = [[cell_to_text(v) for v in row] for row in sheet.iter_rows(min_row=1, values_only=True)]
    finally:
        workbook.close()
    return _grid_to_raw(source, grid)


def _read_parquet(source: Source, data: bytes) -> RawTable:
    frame = pd.read_parquet(io.BytesIO(data))
    headers = [str(c) for c in frame.columns]
    cells = pd.DataFrame({i: column_to_text(frame.iloc[:, i]) for i in range(frame.shape[1])})
    cells = cells if frame.shape[1] else _empty_cells(0)
    rows = np.arange(len(frame), dtype=np.int64) + 2
    return RawTable(source, 1, headers, cells.reset_index(drop=True), rows)


def _decode_head(data: bytes, size: int = 1 << 16) -> tuple[str, list[str]]:
    """Detect the encoding (UTF-8 with or without BOM, else GB18030) on the first bytes.

    Returns:
        ``(encoding, lines)``: the complete lines of the first ``size`` bytes.
    """
    import codecs

    complete = len(data) <= size
    decoded: dict[str, str] = {}
    for encoding in ENCODINGS:
        try:
            decoded[encoding] = codecs.getincrementaldecoder(encoding)(errors="strict").decode(
                data[:size], final=complete)
        except UnicodeDecodeError:
            continue
    if not decoded:
        _refuse_mixed_encodings(data)
        raise UnreadableFile(NOT_TEXT)
    encoding = next(iter(decoded))
    if encoding == "utf-8-sig" and not data.startswith(codecs.BOM_UTF8) and _misread_gb18030(decoded):
        encoding = "gb18030"
    lines = decoded[encoding].splitlines()
    return encoding, lines if complete else lines[:-1]


# Characters that GB18030 double bytes become when read as UTF-8 (Latin Extended, IPA, Greek,
# Cyrillic … U+0100–U+07FF), and CJK as it appears in Chinese statistics.
_UTF8_LOOKALIKE = re.compile("[\u0100-\u07ff]")
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _misread_gb18030(decoded: dict[str, str]) -> bool:
    """True when bytes valid as UTF-8 are really GB18030: short Chinese text can be both.

    "学" in GB18030 is D1 A7, which UTF-8 reads as "ѧ". A file whose UTF-8
    reading has such lookalike letters and no Chinese at all, while its
    GB18030 reading has Chinese and no lookalikes, is taken as GB18030.
    """
    utf8, gb = decoded.get("utf-8-sig"), decoded.get("gb18030")
    if utf8 is None or gb is None:
        return False
    return (bool(_UTF8_LOOKALIKE.search(utf8)) and not _CJK.search(utf8)
            and bool(_CJK.search(gb)) and not _UTF8_LOOKALIKE.search(gb))


NOT_TEXT = "the text is neither UTF-8 nor GB18030; expected a CSV saved as UTF-8 or GBK"
# Two Chinese characters in a row, as UTF-8 decodes them: GB18030 bytes that happen to be valid
# UTF-8 almost never give this, so a line that does is taken as written in UTF-8.
_UTF8_CHINESE = re.compile("[\u4e00-\u9fff]{2}")


def _line_encoding(line: bytes) -> str | None:
    """"utf-8" for a line that is UTF-8 with Chinese text, "gb18030" for one that is not UTF-8, else None."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8" if _UTF8_CHINESE.search(text) else None


def mixed_encoding_row(data: bytes) -> tuple[int, str, str] | None:
    """Where a CSV switches between UTF-8 and GB18030 lines, e.g. rows pasted in from another file.

    Only lines with non-ASCII bytes are examined (ASCII is the same in both).

    Returns:
        ``(line number, encoding of that line, encoding of the lines before)``
        for the first line in another encoding than the first non-ASCII line, else None.
    """
    first: str | None = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        encoding = _line_encoding(line)
        if encoding is None:
            continue
        if first is None:
            first = encoding
        elif encoding != first:
            return number, encoding, first
    return None


def _refuse_mixed_encodings(data: bytes) -> None:
    """Raise :class:`UnreadableFile` naming the row where a file changes encoding."""
    mixed = mixed_encoding_row(data)
    if mixed is not None:
        row, encoding, before = mixed
        names = {"utf-8": "UTF-8", "gb18030": "GB18030/GBK"}
        raise UnreadableFile(f"mixed encodings: this row is in {names[encoding]} but the rows before it "
                             f"are in {names[before]}; expected the whole file saved in one encoding "
                             "(UTF-8 or GBK)", row)


def _sniff_delimiter(lines: list[str]) -> str:
    sample = [line for line in lines if line.strip()][:5]
    if any("\t" in line for line in sample) and not any("," in line for line in sample):
        return "\t"
    return ","


def _read_csv(source: Source, data: bytes) -> RawTable:
    if not data.strip():
        return _grid_to_raw(source, [])
    encoding, head_lines = _decode_head(data)
    if encoding == "gb18030":
        _refuse_mixed_encodings(data)
    delimiter = _sniff_delimiter(head_lines)
    preview = [list(r) for r in csv.reader(head_lines[:HEADER_SEARCH_ROWS], delimiter=delimiter)]
    header = find_header_row(source.table, preview)
    # A header written over two rows can be wider than its last row: the body is read at the header's width.
    width = max(len(preview[header.index]), len(header.headers)) if preview else 0
    try:
        cells = _arrow_csv(data, encoding, delimiter, header.index, width)
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) and encoding != "gb18030":
            _refuse_mixed_encodings(data)
            encoding = "gb18030"
        return _read_csv_python(source, data, encoding, delimiter)
    body = cells.iloc[1:].reset_index(drop=True)
    rows = np.arange(len(body), dtype=np.int64) + header.index + 2
    return RawTable(source, header.index + 1, header.headers, body, rows)


def _arrow_csv(data: bytes, encoding: str, delimiter: str, skip_rows: int, width: int) -> pd.DataFrame:
    """Fast path: every cell as text with pyarrow, from the header row on.

    Blank lines are kept (as rows of empty cells) so that row numbers hold; a
    row of another width raises ``ArrowInvalid`` and the slow path takes over.
    """
    table = pa_csv.read_csv(
        io.BytesIO(data),
        read_options=pa_csv.ReadOptions(autogenerate_column_names=True, skip_rows=skip_rows,
                                        encoding="utf8" if encoding == "utf-8-sig" else encoding),
        parse_options=pa_csv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False),
        convert_options=pa_csv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                              strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    if table.num_columns != width:
        raise pa.ArrowInvalid(f"Expected {width} columns, got {table.num_columns}")
    frame = table.to_pandas()
    frame.columns = range(width)
    return frame.astype("str")


def _read_csv_python(source: Source, data: bytes, encoding: str, delimiter: str) -> RawTable:
    """Slow path for ragged files (title rows of another width, stray cells): the csv module."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(NOT_TEXT) from exc
    grid = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return _grid_to_raw(source, grid)
