"""Table builders: a page → a labelled, disclosure-safe frame (``qyanalysis.report.frames``), one module per section.

``tables.balance_cvs(page)`` and ``tables.development.balance_cvs(page)`` are
the same function; a notebook shows the frame by naming it.
"""

from qyanalysis.report.tables import common, development, governance, moral_education, safeguards, teachers
from qyanalysis.report.tables.common import city_targets
from qyanalysis.report.tables.development import (
    balance_cvs,
    location_gaps,
    preschool_enrolment,
    schools_short_of_balance,
)
from qyanalysis.report.tables.governance import private_schools, private_share_over_years
from qyanalysis.report.tables.moral_education import (
    LEAGUE_INDICATORS,
    fitness_by_group,
    fitness_tested_by_group,
    myopia_by_group,
    quality_league,
    quality_trends,
)
from qyanalysis.report.tables.safeguards import funding, funding_league, special_education_funding
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

# ``common`` holds helpers several modules share (and ``city_targets``, re-exported above); the walking
# test walks the section modules.
MODULES = (development, moral_education, teachers, governance, safeguards)

__all__ = [
    "LEAGUE_INDICATORS",
    "MODULES",
    "age_structure",
    "balance_cvs",
    "city_targets",
    "common",
    "development",
    "fitness_by_group",
    "fitness_tested_by_group",
    "funding",
    "funding_league",
    "governance",
    "location_gaps",
    "location_profile",
    "moral_education",
    "myopia_by_group",
    "pay_comparison",
    "pay_league",
    "preschool_enrolment",
    "private_schools",
    "private_share_over_years",
    "pupil_teacher_ratios",
    "qualification_shares",
    "quality_league",
    "quality_trends",
    "rotation",
    "safeguards",
    "schools_short_of_balance",
    "special_education_funding",
    "students_per_staff",
    "subject_shortages",
    "support_teachers",
    "teachers",
    "teachers_per_100_pupils",
    "temporary_teacher_rule",
]
