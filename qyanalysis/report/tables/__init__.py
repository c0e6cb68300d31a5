"""Table builders: a page → a labelled, disclosure-safe frame (``report.frames``), one module per section.

``tables.balance_cvs(page)`` and ``tables.development.balance_cvs(page)`` are
the same function; a notebook shows the frame by naming it. ``common`` holds
what every page builds (its targets, each item's targets and tasks, task
progress) and the county helpers of every module.
"""

from qyanalysis.report.tables import balance_readiness, city, common, development, overview, safeguards
from qyanalysis.report.tables.balance_readiness import (
    cost_by_county,
    cost_by_resource,
    cv_floors,
    readiness,
    ready_years,
    school_gaps,
    trajectory,
    verdict,
)
from qyanalysis.report.tables.city import (
    balance_cv_matrix,
    balance_cv_trends,
    city_targets,
    county_context,
    county_map_values,
    county_quotas,
    county_status_counts,
    county_statuses,
    key_trends,
    league_tables,
    resource_inequality,
)
from qyanalysis.report.tables.common import (
    counties_cut_note,
    county_names,
    in_year_trend,
    item_targets,
    item_tasks,
    listed_counties,
    section_targets,
    shown_counties,
    summary_targets,
    task_progress,
)
from qyanalysis.report.tables.development import (
    balance_cvs,
    location_gaps,
    preschool_enrolment,
    schools_short_of_balance,
)
from qyanalysis.report.tables.overview import (
    section_links,
    status_by_section,
)
from qyanalysis.report.tables.safeguards import (
    key_tasks,
)

MODULES = (common, overview, development, balance_readiness, safeguards, city)

__all__ = [
    "MODULES",
    "balance_cv_matrix",
    "balance_cv_trends",
    "balance_cvs",
    "balance_readiness",
    "city",
    "city_targets",
    "common",
    "cost_by_county",
    "cost_by_resource",
    "counties_cut_note",
    "county_context",
    "county_map_values",
    "county_names",
    "county_quotas",
    "county_status_counts",
    "county_statuses",
    "cv_floors",
    "development",
    "in_year_trend",
    "item_targets",
    "item_tasks",
    "key_tasks",
    "key_trends",
    "league_tables",
    "listed_counties",
    "location_gaps",
    "overview",
    "preschool_enrolment",
    "readiness",
    "ready_years",
    "resource_inequality",
    "safeguards",
    "school_gaps",
    "schools_short_of_balance",
    "section_links",
    "section_targets",
    "shown_counties",
    "status_by_section",
    "summary_targets",
    "task_progress",
    "trajectory",
    "verdict",
]
