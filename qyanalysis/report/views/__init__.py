"""Views: a labelled frame → a figure or HTML, one module per section; a view computes nothing.

``views.cv_chart(frame)`` and ``views.development.cv_chart(frame)`` are the
same function. No view module imports another view module (only ``common``).
Each module's ``DRAWS`` says which table builder's frame each view draws.
"""

from qyanalysis.report.views import balance_readiness, city, common, development
from qyanalysis.report.views.balance_readiness import (
    county_chart,
    gap_chart,
    methods_links,
    readiness_chart,
    resource_chart,
    trajectory_chart,
)
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
from qyanalysis.report.views.development import (
    cv_chart,
    location_gap_chart,
)

MODULES = (common, development, balance_readiness, city)

__all__ = [
    "MODULES",
    "balance_readiness",
    "city",
    "common",
    "county_chart",
    "county_maps",
    "cv_chart",
    "cv_matrix_table",
    "development",
    "gap_chart",
    "in_year_trend_chart",
    "league_charts",
    "location_gap_chart",
    "methods_links",
    "note_of",
    "readiness_chart",
    "resource_chart",
    "status_heatmaps",
    "summary_chart",
    "target_sentences",
    "task_progress_chart",
    "trajectory_chart",
    "trend_panels",
]
