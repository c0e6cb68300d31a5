"""``qy.equity``: the equity measures and, above them, 优质均衡 readiness.

Everything of :mod:`qyanalysis.measures.equity` (差异系数, school rule, gap-closing
costs: ``school_gaps``, ``cv_floor``, ``county_plan`` …) plus
:func:`~qyanalysis.verdicts.readiness.readiness`, :func:`~qyanalysis.verdicts.readiness.verdicts`
and :func:`~qyanalysis.verdicts.readiness.trajectory`. Readiness scores the assessment
with the scorecard's rule (``qyanalysis.verdicts.attainment``), a layer above the
measures, so it cannot live in ``measures.equity``; this module joins the two
for the public API without a lower layer importing a higher one.
"""

from __future__ import annotations

from typing import Any

from qyanalysis.measures import equity as _measures
from qyanalysis.measures.equity import *  # noqa: F403 - the public API of the equity measures
from qyanalysis.verdicts.readiness import readiness, trajectory, verdicts

__all__ = [*_measures.__all__, "readiness", "trajectory", "verdicts"]


def county_plan(dataset: Any, county: Any = None, year: int | None = None) -> Any:
    """:func:`qyanalysis.measures.gaps.county_plan` with the registry's 差异系数 limits.

    The registry's limits after the dataset's overrides.

    The limits come from :func:`qyanalysis.verdicts.targets.limits.balance_cv_limits` (a measure knows no target).
    """
    from qyanalysis.measures.gaps import county_plan as plan
    from qyanalysis.verdicts.targets.limits import balance_cv_limits

    return plan(dataset, county, year, limits=balance_cv_limits(dataset))


def __getattr__(name: str) -> Any:
    return getattr(_measures, name)
