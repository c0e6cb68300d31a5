"""Table builders: a page → a labelled, disclosure-safe frame (``qyanalysis.report.frames``), one module per section.

``tables.balance_cvs(page)`` and ``tables.development.balance_cvs(page)`` are
the same function; a notebook shows the frame by naming it.
"""

from qyanalysis.report.tables import development
from qyanalysis.report.tables.development import (
    balance_cvs,
    location_gaps,
    preschool_enrolment,
    schools_short_of_balance,
)

MODULES = (development,)

__all__ = [
    "MODULES",
    "balance_cvs",
    "development",
    "location_gaps",
    "preschool_enrolment",
    "schools_short_of_balance",
]
