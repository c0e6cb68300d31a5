"""qyanalysis — per-county reports on the Qingyuan 2022 education work plan.

``import qyanalysis as qy`` gives the public API (README, “Python API”). Sub-modules
are imported lazily so that ``import qyanalysis`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

from qyanalysis.errors import DataValidationError, UsageError, ValidationIssue

__version__ = "0.1.0"

_LAZY_FUNCTIONS = {
    "Dataset": "qyanalysis.dataset",
    "load_dataset": "qyanalysis.opening",
    "load_demo": "qyanalysis.opening",
    "scorecard": "qyanalysis.verdicts.attainment",
    "to_excel": "qyanalysis.present.workbook",
    "load_targets": "qyanalysis.verdicts.targets",
    "demo_data_dir": "qyanalysis.paths",
}
_LAZY_MODULES = {
    "equity": "qyanalysis.equity",
    "quality": "qyanalysis.measures.quality",
    "staffing": "qyanalysis.measures.staffing",
    "provision": "qyanalysis.measures.provision",
    "measures": "qyanalysis.measures",
    "targets": "qyanalysis.verdicts.targets",
    "attainment": "qyanalysis.verdicts.attainment",
    "forecast": "qyanalysis.verdicts.forecast",
    "disclosure": "qyanalysis.disclosure",
    "suppression": "qyanalysis.present.suppression",
    "charts": "qyanalysis.present.charts",
    "labels": "qyanalysis.present.labels",
    "narrative": "qyanalysis.present.narrative",
    "present": "qyanalysis.present",
    "contract": "qyanalysis.contract",
}

__all__ = [
    "Dataset",
    "DataValidationError",
    "UsageError",
    "ValidationIssue",
    "__version__",
    *_LAZY_FUNCTIONS,
    *_LAZY_MODULES,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY_FUNCTIONS:
        return getattr(importlib.import_module(_LAZY_FUNCTIONS[name]), name)
    if name in _LAZY_MODULES:
        return importlib.import_module(_LAZY_MODULES[name])
    raise AttributeError(f"module 'qyanalysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
