"""Section 2 (high-quality development): charts of the frames of ``qyanalysis.report.tables.development``."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from qyanalysis.present.charts import cv_chart as draw_cv_chart
from qyanalysis.present.charts import gap_chart
from qyanalysis.report.views.common import lang_of, nothing_to_draw
from qyanalysis.report.registry import view



@view("balance_cvs")
def cv_chart(cvs: pd.DataFrame) -> Figure | HTML:
    """The 差异系数 of :func:`~qyanalysis.report.tables.development.balance_cvs`, each against its limit."""
    drawn = cvs[cvs["value"].notna()]
    if drawn.empty:
        return nothing_to_draw(cvs)
    return draw_cv_chart(drawn[["indicator", "value", "threshold", "status"]], lang_of(cvs))


@view("location_gaps")
def location_gap_chart(gaps: pd.DataFrame) -> Figure | HTML:
    """Urban, town and rural values of :func:`~qyanalysis.report.tables.development.location_gaps`."""
    drawn = gaps[gaps["value"].notna()]
    if drawn.empty:
        return nothing_to_draw(gaps)
    return gap_chart(drawn[["indicator", "location", "value"]], lang_of(gaps))
