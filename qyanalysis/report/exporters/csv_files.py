"""CSV: every frame one UTF-8 file (with a byte-order mark, so that Excel reads the Chinese), named after its
builder, its shown columns as data (:func:`~qyanalysis.report.exporters.shown_data`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from qyanalysis.report.exporters import exporter, shown_data


@exporter("csv")
def write_csv(frames: Mapping[str, pd.DataFrame], folder: Path) -> list[Path]:
    """``folder/<name>.csv`` for every frame (an empty frame gives a file with its header only)."""
    written = []
    for name, frame in frames.items():
        path = folder / f"{name}.csv"
        shown_data(frame).to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written
