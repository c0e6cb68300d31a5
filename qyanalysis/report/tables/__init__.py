"""Table builders: a page → a labelled, disclosure-safe frame (``qyanalysis.report.frames``), one module per section.

``tables.balance_cvs(page)`` and ``tables.development.balance_cvs(page)`` are
the same function; a notebook shows the frame by naming it.
"""

from qyanalysis.report.tables import balance_readiness, development
from qyanalysis.report.tables.balance_readiness import (
    cost_by_county,
    cost_by_resource,
    cv_floors,
    ready_years,
    readiness,
    school_gaps,
    trajectory,
    verdict,
)
from qyanalysis.report.tables.development import (
    balance_cvs,
    location_gaps,
    preschool_enrolment,
    schools_short_of_balance,
)

MODULES = (development, balance_readiness)

__all__ = [
    "MODULES",
    "balance_cvs",
    "balance_readiness",
    "cost_by_county",
    "cost_by_resource",
    "cv_floors",
    "development",
    "location_gaps",
    "preschool_enrolment",
    "ready_years",
    "readiness",
    "school_gaps",
    "schools_short_of_balance",
    "trajectory",
    "verdict",
]
