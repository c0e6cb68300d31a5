"""Output formats of the report floor's frames: each format is one module of this package, registered with
``@exporter("name")``, that writes a set of labelled frames (``qyanalysis.report.tables``) to a folder.

The frames carry numbers and codes with their units and disclosure marks (:class:`~qyanalysis.report.frames.
FrameSpec`); an exporter takes them as they are. Adding a format is one module here (``csv_files.py`` is the
example: every frame of a page as a CSV file) plus its test; :func:`export` finds it by name.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from qyanalysis.report.frames import spec_of
from qyanalysis.report.page import Page
from qyanalysis.report.registry import BUILDERS, import_modules

#: Format name → the function writing frames (name → frame) into a folder; it returns the files written.
EXPORTERS: dict[str, Callable[[Mapping[str, pd.DataFrame], Path], list[Path]]] = {}


def exporter(name: str) -> Callable:
    """Register an output format under ``name`` (a decorator)."""

    def register(function: Callable) -> Callable:
        EXPORTERS[name] = function
        return function

    return register


def shown_data(frame: pd.DataFrame) -> pd.DataFrame:
    """A labelled frame's shown columns as data: numbers as numbers, codes as codes, and each cell that
    disclosure control hides as its mark ("<5", "[c]") — never the number behind it."""
    spec = spec_of(frame)
    if spec is None:
        raise ValueError("not a labelled frame (qyanalysis.report.frames.labelled)")
    columns = [c for c in (spec.columns or frame.columns) if c in frame]
    out = frame[columns].copy()
    for column in columns:  # persons, schools, rooms and seats are whole numbers
        if column in spec.counts or spec.units.get(column) == "count":
            out[column] = pd.to_numeric(out[column], errors="coerce").round().astype("Int64")
    for column, cells in spec.hidden.items():
        if column in out:
            out[column] = out[column].astype("object")
            for label, mark in cells.items():
                out.loc[label, column] = mark
    return out.reset_index(drop=True)


def page_frames(page: Page, module: str) -> dict[str, pd.DataFrame]:
    """Every frame a table module builds for the page: each registered builder of ``module`` (e.g.
    "development") that needs nothing but the page, by name, in the module's order."""
    frames = {}
    for name, function in BUILDERS.items():
        required = [p for p in inspect.signature(function).parameters.values()
                    if p.default is inspect.Parameter.empty]
        if function.__module__.rsplit(".", 1)[1] == module and [p.name for p in required] == ["page"]:
            frames[name] = function(page)
    return frames


def export(frames: Mapping[str, pd.DataFrame], format_name: str, folder: Path | str) -> list[Path]:
    """Write ``frames`` (name → labelled frame) into ``folder`` in the format ``format_name``.

    Raises:
        ValueError: No format of that name is registered.
    """
    if format_name not in EXPORTERS:
        raise ValueError(f"unknown export format {format_name!r}; expected one of {sorted(EXPORTERS)}")
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    return EXPORTERS[format_name](frames, target)


#: The format modules (importing them registers their formats).
MODULE_NAMES = import_modules(__name__, __path__)
