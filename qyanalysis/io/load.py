"""``load_dataset``: read a data folder, validate every table in one pass, return a typed Dataset."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from pathlib import Path

import pandas as pd

from qyanalysis.contract.columns import TABLES, TEACHING_POINT_NAME_MARK, Table, teaching_point_flags
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.dataset import Dataset
from qyanalysis.errors import DataValidationError
from qyanalysis.io.readers import EXCEL_SUFFIXES, RawTable, Source, UnreadableFile, discover, read_source
from qyanalysis.io.problems import Report, TableView
from qyanalysis.io.validate import validate_table

METADATA_FILE = "metadata.json"
# Tables validated after the county registry is settled, in this order.
DATA_TABLES = ("schools", "indicators", "teachers", "tasks", "targets_override", "survey")


def data_hash(files: dict[str, bytes]) -> str:
    """SHA-256 over the sorted file names and their bytes (each name and length-prefixed content)."""
    digest = hashlib.sha256()
    for name in sorted(files):
        content = files[name]
        digest.update(name.encode("utf-8") + b"\0" + len(content).to_bytes(8, "little"))
        digest.update(content)
    return digest.hexdigest()


def is_synthetic(folder: Path) -> bool:
    """True when the folder's ``metadata.json`` says ``"synthetic": true`` (the demonstration data)."""
    meta = folder / METADATA_FILE
    if not meta.is_file():
        return False
    try:
        return json.loads(meta.read_text(encoding="utf-8")).get("synthetic") is True
    except (ValueError, AttributeError, UnicodeDecodeError):
        return False


def typed_table(view: TableView, table: Table) -> pd.DataFrame:
    """The validated table with its final dtypes (design.md §Dataset); ``county`` becomes ``county_code``."""
    frame = view.frame.copy()
    for column in table.columns:
        values = frame[column.name]
        if column.kind == "year":
            frame[column.name] = values.astype("int64" if column.required else "Int64")
        elif column.kind in ("count", "amount", "number"):
            frame[column.name] = values.astype("float64")
        elif column.kind in ("id", "text", "category", "county", "period"):
            frame[column.name] = values.astype("str")
    return frame.rename(columns={"county": "county_code"}).reset_index(drop=True)


def _missing_table_label(table: Table, sources: list[Source]) -> str:
    books = {s.path.name for s in sources if s.path.suffix.lower() in EXCEL_SUFFIXES}
    return f"{sorted(books)[0]}[{table.label_zh}]" if books else f"{table.name}.csv"


def _is_empty_file(raw: RawTable) -> bool:
    return not any(h.strip() for h in raw.headers) and raw.cells.empty


def _read_all(sources: list[Source], contents: dict[Path, bytes], report: Report) -> dict[str, RawTable]:
    raws = {}
    for source in sources:
        try:
            raw = read_source(source, contents[source.path])
        except UnreadableFile as exc:
            report.add(source.label, exc.row, None, str(exc))
            continue
        if _is_empty_file(raw):
            report.add(source.label, None, None, "the file is empty; expected a header row and data rows")
            continue
        raws.setdefault(source.table.name, raw)
    return raws


def _registry(raws: dict[str, RawTable], report: Report) -> CountyRegistry:
    """The folder's own ``counties`` table when given (and usable), else the built-in registry."""
    raw = raws.get("counties")
    if raw is None:
        return CountyRegistry.builtin()
    view, _ = validate_table(raw, CountyRegistry.builtin(), report)
    frame = typed_table(view, TABLES["counties"])
    if frame.empty:
        report.add(raw.source.label, None, None, "no data rows; the built-in Qingyuan registry is used",
                   "warning")
        return CountyRegistry.builtin()
    usable = frame["county_code"].notna() & frame["name_zh"].notna() & frame["name_en"].notna()
    if not usable.any():
        report.add(raw.source.label, None, None,
                   "no usable county rows; expected county_code, name_zh, name_en")
        return CountyRegistry.builtin()
    return CountyRegistry.from_frame(frame[usable])


def _table(raw: RawTable | None, table: Table, registry: CountyRegistry, report: Report,
           sources: list[Source]) -> pd.DataFrame | None:
    if raw is None:
        given = any(source.table.name == table.name for source in sources)  # unreadable: reported already
        if table.required and not given:
            report.add(_missing_table_label(table, sources), None, None,
                       f"required table {table.name} ({table.label_zh}) is missing; "
                       f"expected {table.name}.csv, "
                       f"{table.name}.parquet or a workbook sheet named {table.name} or {table.label_zh}")
        return None
    view, usable = validate_table(raw, registry, report)
    if not usable:
        return None
    if len(view.frame) == 0:
        if table.name == "schools":
            report.add(raw.source.label, None, None, "no data rows; expected one row per school and year")
        elif not table.required:
            report.add(raw.source.label, None, None, "no data rows; table ignored", "warning")
            return None
    return typed_table(view, table)


def _teaching_point_notice(schools: pd.DataFrame, label: str, report: Report) -> None:
    """Warn how many schools were taken for teaching points (教学点) from their name alone.

    The rule is :func:`qyanalysis.contract.columns.teaching_point_flags`: where
    ``is_teaching_point`` is not given (no column, or an empty cell) a school
    whose name contains 教学点 is a teaching point. Counts distinct school ids.
    """
    _is_point, inferred = teaching_point_flags(schools)
    count = int(schools.loc[inferred, "school_id"].nunique()) if inferred.any() else 0
    if not count:
        return
    given = "is_teaching_point" in schools.columns and schools["is_teaching_point"].notna().any()
    where = "is_teaching_point empty for some schools" if given else "is_teaching_point not given"
    report.add(label, None, None, f"{where}; {count} schools whose name contains "
               f"{TEACHING_POINT_NAME_MARK} treated as teaching points", "warning")


def load_dataset(path: str | Path, *, target_ids: Callable[[], Collection[str]] | None = None) -> Dataset:
    """Read, validate and type a data folder (docs/data-dictionary.md).

    Args:
        path: A folder with one file per table (CSV, Parquet), a folder with one
            ``.xlsx`` workbook, or the path of an ``.xlsx`` workbook.
        target_ids: The target registry's ids (called only when the folder has a
            ``targets_override`` table); None: override ids are not checked.

    Returns:
        The typed :class:`~qyanalysis.dataset.Dataset`; problems that leave the
        data usable are in ``Dataset.warnings``.

    Raises:
        DataValidationError: with ``.errors`` listing every problem found.
        FileNotFoundError: when ``path`` does not exist.

    This is the reader alone: :func:`qyanalysis.opening.load_dataset` (``qy.load_dataset``) opens a
    folder, writing the bundled demonstration folder first when needed and passing the registry's
    target ids in.
    """
    path = Path(path)
    found = discover(path)
    sources = found.sources
    report = Report(list(found.errors), list(found.warnings), target_ids)
    contents = {f: f.read_bytes() for f in found.files}
    folder = path if path.is_dir() else path.parent
    hashed = {f.name: b for f, b in contents.items()}
    if path.is_dir() and (folder / METADATA_FILE).is_file():
        hashed[METADATA_FILE] = (folder / METADATA_FILE).read_bytes()
    raws = _read_all(sources, contents, report)
    registry = _registry(raws, report)
    tables = {name: _table(raws.get(name), TABLES[name], registry, report, sources) for name in DATA_TABLES}
    if tables["schools"] is not None:
        _teaching_point_notice(tables["schools"], raws["schools"].source.label, report)
    if report.errors:
        raise DataValidationError(report.errors)
    return Dataset(
        schools=tables["schools"],
        indicators=tables["indicators"],
        teachers=tables["teachers"],
        tasks=tables["tasks"],
        targets_override=tables["targets_override"],
        survey=tables["survey"],
        counties=registry,
        source=path,
        is_demo=path.is_dir() and is_synthetic(folder),
        data_hash=data_hash(hashed),
        warnings=report.warnings,
    )


__all__ = ["load_dataset", "data_hash", "is_synthetic", "typed_table"]
