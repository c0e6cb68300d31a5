"""Views: a labelled frame → a figure or HTML, one module per section; a view computes nothing.

``views.cv_chart(frame)`` and ``views.development.cv_chart(frame)`` are the
same function. No view module imports another view module (only ``common``).
"""

from qyanalysis.report.views import balance_readiness, development
from qyanalysis.report.views.balance_readiness import (
    county_chart,
    gap_chart,
    methods_links,
    readiness_chart,
    resource_chart,
    trajectory_chart,
)
from qyanalysis.report.views.development import cv_chart, location_gap_chart
from qyanalysis.report.views.legacy_overview import show_status_by_section

MODULES = (development, balance_readiness)

__all__ = [
    "MODULES",
    "balance_readiness",
    "county_chart",
    "cv_chart",
    "development",
    "gap_chart",
    "location_gap_chart",
    "methods_links",
    "readiness_chart",
    "resource_chart",
    "show_status_by_section",
    "trajectory_chart",
]
