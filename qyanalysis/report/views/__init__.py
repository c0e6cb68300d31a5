"""Views: a labelled frame → a figure or HTML, one module per section; a view computes nothing.

``views.cv_chart(frame)`` and ``views.development.cv_chart(frame)`` are the
same function. No view module imports another view module (only ``common``).
Each module's ``DRAWS`` says which table builder's frame each view draws.
"""

from qyanalysis.report.views import city, common, development
from qyanalysis.report.views.city import (
    county_maps,
    cv_matrix_table,
    league_charts,
    status_heatmaps,
    trend_panels,
)
from qyanalysis.report.views.common import (
    in_year_trend_chart,
    note_of,
    summary_chart,
    target_sentences,
    task_progress_chart,
)
from qyanalysis.report.views.development import cv_chart, location_gap_chart

MODULES = (common, development, city)

__all__ = [
    "MODULES",
    "city",
    "common",
    "county_maps",
    "cv_chart",
    "cv_matrix_table",
    "development",
    "in_year_trend_chart",
    "league_charts",
    "location_gap_chart",
    "note_of",
    "status_heatmaps",
    "summary_chart",
    "target_sentences",
    "task_progress_chart",
    "trend_panels",
]
