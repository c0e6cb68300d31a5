"""Views: a labelled frame → a figure or HTML, one module per section; a view computes nothing.

``views.cv_chart(frame)`` and ``views.development.cv_chart(frame)`` are the
same function. No view module imports another view module (only ``common``).
"""

from qyanalysis.report.views import development
from qyanalysis.report.views.development import cv_chart, location_gap_chart
from qyanalysis.report.views.legacy_overview import show_status_by_section

MODULES = (development,)

__all__ = [
    "MODULES",
    "cv_chart",
    "development",
    "location_gap_chart",
    "show_status_by_section",
]
