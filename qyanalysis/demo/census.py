"""The schools table of the demonstration data: layout → yearly rows → every column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from qyanalysis.demo.layout import build_layout
from qyanalysis.demo.panel import assemble, build_rows, enrollment_columns
from qyanalysis.demo.pupils import pupil_columns
from qyanalysis.demo.resources import resource_columns
from qyanalysis.demo.staffing import staffing_columns


def build_schools(profiles: pd.DataFrame, layout_rng: np.random.Generator,
                  panel_rng: np.random.Generator) -> pd.DataFrame:
    """The school × year census (2019–2022) for the counties of ``profiles``.

    Args:
        profiles: County profiles (``qyanalysis.demo.profiles``).
        layout_rng: Generator for which schools exist and their sizes.
        panel_rng: Generator for the yearly values.

    Returns:
        The ``schools`` table with the contract's English column names, rows
        sorted by ``school_id`` and ``year``; ``county`` holds the county code.
    """
    layout = build_layout(profiles, layout_rng)
    rows, effects = build_rows(layout, profiles, panel_rng)
    columns = {
        **enrollment_columns(rows),
        **staffing_columns(rows, effects),
        **resource_columns(rows, effects),
        **pupil_columns(rows, effects),
    }
    return assemble(layout, rows, columns)
