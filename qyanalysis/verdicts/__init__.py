"""The making of verdicts, one package beside :mod:`qyanalysis.measures`: targets × measures → statuses.

Its entry (each name imported when first used, so that ``qyanalysis.verdicts.targets`` stays light):

* :func:`scorecard` and :func:`evaluate` (:mod:`.attainment`): the plan's targets scored per county and
  for the city, on the rules of :mod:`.rules` (inclusive bounds, coverage, snapshots, the city's sums);
* :func:`readiness`, :func:`verdicts`, :func:`trajectory` (:mod:`.readiness`): the 优质均衡 assessment;
* :func:`forecast_year_end` (:mod:`.forecast`): the year-end of an in-year count and its interval;
* :func:`load_targets` (:mod:`.targets`): the target registry, with the assessment's table beside it.
"""

from __future__ import annotations

import importlib
from typing import Any

_ENTRY = {
    "scorecard": "attainment",
    "evaluate": "attainment",
    "readiness": "readiness",
    "verdicts": "readiness",
    "trajectory": "readiness",
    "forecast_year_end": "forecast",
    "load_targets": "targets",
}

__all__ = list(_ENTRY)


def __getattr__(name: str) -> Any:
    if name in _ENTRY:
        return getattr(importlib.import_module(f"{__name__}.{_ENTRY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
