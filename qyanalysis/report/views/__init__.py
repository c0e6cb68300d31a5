"""Views: a labelled frame → a figure or HTML, one module per section; a view computes nothing.

``views.cv_chart(frame)`` and ``views.development.cv_chart(frame)`` are the
same function. No view module imports another view module (only ``common``).
Each module's ``DRAWS`` says which table builder's frame each view draws.
"""

from qyanalysis.report.views import balance_readiness, city, common, development, governance, moral_education, safeguards, teachers
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
from qyanalysis.report.views.moral_education import (
    fitness_chart,
    myopia_change_chart,
    myopia_chart,
    quality_league_chart,
    tested_chart,
    trends_chart,
)
from qyanalysis.report.views.safeguards import (
    funding_league_chart,
)
from qyanalysis.report.views.teachers import (
    location_profile_chart,
    pay_league_chart,
)

MODULES = (common, development, balance_readiness, moral_education, teachers, governance, safeguards, city)

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
    "fitness_chart",
    "funding_league_chart",
    "gap_chart",
    "governance",
    "in_year_trend_chart",
    "league_charts",
    "location_gap_chart",
    "location_profile_chart",
    "methods_links",
    "moral_education",
    "myopia_change_chart",
    "myopia_chart",
    "note_of",
    "pay_league_chart",
    "quality_league_chart",
    "readiness_chart",
    "resource_chart",
    "safeguards",
    "status_heatmaps",
    "summary_chart",
    "target_sentences",
    "task_progress_chart",
    "teachers",
    "tested_chart",
    "trajectory_chart",
    "trend_panels",
    "trends_chart",
]
