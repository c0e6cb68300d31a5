"""``qy.equity``: the equity measures and, above them, 优质均衡 readiness.

Everything of :mod:`qyanalysis.measures.equity` (差异系数, school rule, gap-closing
costs: ``school_gaps``, ``cv_floor``, ``county_plan`` …) plus
:func:`~qyanalysis.readiness.readiness`, :func:`~qyanalysis.readiness.verdicts`
and :func:`~qyanalysis.readiness.trajectory`. Readiness scores the assessment
with the scorecard's rule (``qyanalysis.attainment``), a layer above the
measures, so it cannot live in ``measures.equity``; this module joins the two
for the public API without a lower layer importing a higher one.
"""

from __future__ import annotations

from typing import Any

from qyanalysis.measures import equity as _measures
from qyanalysis.measures.equity import *  # noqa: F403 - the public API of the equity measures
from qyanalysis.readiness import readiness, trajectory, verdicts

__all__ = [*_measures.__all__, "readiness", "trajectory", "verdicts"]


def __getattr__(name: str) -> Any:
    return getattr(_measures, name)
