"""Table builders: a page → a labelled, disclosure-safe frame (``report.frames``), one module per section.

``tables.balance_cvs(page)`` and ``tables.development.balance_cvs(page)`` are
the same function; a notebook shows the frame by naming it. ``common`` holds
what every page builds (its targets, each item's targets and tasks, task
progress) and the county helpers of every module.
"""

from qyanalysis.report.tables import balance_readiness, city, common, development, governance, moral_education, overview, safeguards, teachers
from qyanalysis.report.tables.balance_readiness import (
    cost_by_county,
    cost_by_resource,
    cv_floors,
    readiness,
    ready_years,
    school_gaps,
    trajectory,
    verdict,
    veto_temporary_teachers,
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
    city_count_targets,
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
    preschool_enrollment,
    schools_short_of_balance,
)
from qyanalysis.report.tables.governance import (
    private_schools,
    private_share_over_years,
)
from qyanalysis.report.tables.moral_education import (
    LEAGUE_INDICATORS,
    fitness_by_group,
    fitness_tested_by_group,
    myopia_by_group,
    quality_league,
    quality_trends,
)
from qyanalysis.report.tables.overview import (
    section_links,
    status_by_section,
)
from qyanalysis.report.tables.safeguards import (
    funding,
    funding_league,
    key_tasks,
    special_education_funding,
)
from qyanalysis.report.tables.teachers import (
    age_structure,
    location_profile,
    pay_comparison,
    pay_league,
    pupil_teacher_ratios,
    qualification_shares,
    rotation,
    students_per_staff,
    subject_shortages,
    support_teachers,
    teachers_per_100_pupils,
    temporary_teacher_rule,
)

MODULES = (common, overview, development, balance_readiness, moral_education, teachers, governance, safeguards, city)

__all__ = [
    "LEAGUE_INDICATORS",
    "MODULES",
    "age_structure",
    "balance_cv_matrix",
    "balance_cv_trends",
    "balance_cvs",
    "balance_readiness",
    "city",
    "city_count_targets",
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
    "fitness_by_group",
    "fitness_tested_by_group",
    "funding",
    "funding_league",
    "governance",
    "in_year_trend",
    "item_targets",
    "item_tasks",
    "key_tasks",
    "key_trends",
    "league_tables",
    "listed_counties",
    "location_gaps",
    "location_profile",
    "moral_education",
    "myopia_by_group",
    "overview",
    "pay_comparison",
    "pay_league",
    "preschool_enrollment",
    "private_schools",
    "private_share_over_years",
    "pupil_teacher_ratios",
    "qualification_shares",
    "quality_league",
    "quality_trends",
    "readiness",
    "ready_years",
    "resource_inequality",
    "rotation",
    "safeguards",
    "school_gaps",
    "schools_short_of_balance",
    "section_links",
    "section_targets",
    "shown_counties",
    "special_education_funding",
    "status_by_section",
    "students_per_staff",
    "subject_shortages",
    "summary_targets",
    "support_teachers",
    "task_progress",
    "teachers",
    "teachers_per_100_pupils",
    "temporary_teacher_rule",
    "trajectory",
    "verdict",
    "veto_temporary_teachers",
]
