"""The reports' numbers do not change unnoticed: the scorecards of every county and the city, and the shown
data (``report.exporters.shown_data``: numbers, codes, disclosure marks) of every frame of every table
module for a county and the city, on the demonstration data, against digests kept in
``tests/golden/report-numbers.json``.

A refactoring must leave them as they are. A change that means to alter a figure rewrites the file on
purpose, and the diff of the file names the frames it altered:
``QY_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_report_golden.py``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path

import pandas as pd

from qyanalysis.report import open_page
from qyanalysis.report.exporters import page_frames, shown_data
from qyanalysis.report.tables import MODULE_NAMES

GOLDEN = Path(__file__).resolve().parent / "golden" / "report-numbers.json"
UNITS = ("441826", "city")  # Liannan (small rural schools, teaching points) and the city
YEAR = 2022


def _cell(value: object) -> object:
    """A cell as JSON: floats to 9 significant digits (the last bits of a sum may differ between
    machines), missing as None, everything else as its text."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return float(f"{value:.9g}")
    try:
        number = float(value)  # numpy and pandas scalars
    except (TypeError, ValueError):
        return str(value)
    return None if math.isnan(number) else float(f"{number:.9g}")


def digest(frame: pd.DataFrame) -> str:
    """sha256 of a frame's columns and cells (as :func:`_cell` gives them)."""
    rows = [[_cell(v) for v in row] for row in frame.astype("object").itertuples(index=False)]
    text = json.dumps({"columns": [str(c) for c in frame.columns], "rows": rows}, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def current(demo) -> dict[str, str]:
    """Name → digest: ``scorecard/<unit>`` for the counties (all in one frame) and the city, and
    ``<unit>/<module>.<builder>`` for every frame of every table module."""
    import qyanalysis as qy

    found = {"scorecard/counties": digest(qy.scorecard(demo, None, YEAR)),
             "scorecard/city": digest(qy.scorecard(demo, "city", YEAR))}
    for unit in UNITS:
        page = open_page(unit, YEAR, "", "zh")
        for module in MODULE_NAMES:
            for name, frame in page_frames(page, module).items():
                found[f"{unit}/{module}.{name}"] = digest(shown_data(frame))
    return dict(sorted(found.items()))


def test_the_reports_numbers_are_those_kept(demo):
    found = current(demo)
    if os.environ.get("QY_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    kept = json.loads(GOLDEN.read_text(encoding="utf-8"))
    changed = sorted(name for name in kept.keys() & found.keys() if kept[name] != found[name])
    assert (changed, sorted(kept.keys() - found.keys()), sorted(found.keys() - kept.keys())) == ([], [], []), (
        "figures changed; if on purpose: QY_UPDATE_GOLDEN=1 pytest tests/test_report_golden.py")


def test_a_changed_figure_changes_its_digest():
    frame = pd.DataFrame({"county": ["a", "b"], "value": [0.25, 12.0], "persons": pd.array([3, None], "Int64")})
    again = frame.copy()
    assert digest(again) == digest(frame)
    again.loc[1, "value"] = 12.000001
    assert digest(again) != digest(frame)
    assert digest(frame.assign(value=[0.25, 12.0 + 1e-12])) == digest(frame)  # below 9 significant digits
