"""Views: a labelled frame → a figure or HTML, one module per section; a view computes nothing.

``views.cv_chart(frame)`` and ``views.development.cv_chart(frame)`` are the
same function. No view module imports another view module (only ``common``).
"""

from qyanalysis.report.views import development, governance, moral_education, safeguards, teachers
from qyanalysis.report.views.development import cv_chart, location_gap_chart
from qyanalysis.report.views.legacy_overview import show_status_by_section
from qyanalysis.report.views.moral_education import (
    fitness_chart,
    myopia_change_chart,
    myopia_chart,
    quality_league_chart,
    tested_chart,
    trends_chart,
)
from qyanalysis.report.views.safeguards import funding_league_chart
from qyanalysis.report.views.teachers import location_profile_chart, pay_league_chart

MODULES = (development, moral_education, teachers, governance, safeguards)

__all__ = [
    "MODULES",
    "cv_chart",
    "development",
    "fitness_chart",
    "funding_league_chart",
    "governance",
    "location_gap_chart",
    "location_profile_chart",
    "moral_education",
    "myopia_change_chart",
    "myopia_chart",
    "pay_league_chart",
    "quality_league_chart",
    "safeguards",
    "show_status_by_section",
    "teachers",
    "tested_chart",
    "trends_chart",
]
