"""Table builders: a page → a labelled, disclosure-safe frame (``report.frames``), one module per section.

Every builder registers itself (``@builder``, :mod:`qyanalysis.report.registry`): ``tables.balance_cvs(page)``
and ``tables.development.balance_cvs(page)`` are the same function, whatever module it is written in; a
notebook shows the frame by naming it. ``common`` holds what every page builds (its targets, each item's
targets and tasks, task progress) and the county helpers of every module.
"""

from qyanalysis.report.registry import BUILDERS, import_modules, lookup
from qyanalysis.report.tables.common import counties_cut_note, county_names, item_rows
from qyanalysis.report.tables.moral_education import LEAGUE_INDICATORS

#: The section modules, in file order (importing them registers their builders).
MODULE_NAMES = import_modules(__name__, __path__)


def __getattr__(name: str):
    """``tables.<builder>``: the registered builder of that name."""
    return lookup(BUILDERS, name, __name__)


def __dir__() -> list[str]:
    return sorted({*globals(), *BUILDERS})


__all__ = ["LEAGUE_INDICATORS", "counties_cut_note", "county_names", "item_rows", *sorted(BUILDERS)]
