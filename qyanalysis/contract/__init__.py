"""The data contract: columns, tables, the county registry and the indicator catalogue.

``CountyRegistry`` (which needs pandas) is imported on first use, so that the
declarations stay cheap to import (the batch runner's no-op path needs them).
"""

from __future__ import annotations

from typing import Any

from qyanalysis.contract.columns import TABLES, Column, Table
from qyanalysis.contract.indicators import CATALOGUE, Indicator

__all__ = ["TABLES", "Column", "Table", "CountyRegistry", "CATALOGUE", "Indicator"]


def __getattr__(name: str) -> Any:
    if name == "CountyRegistry":
        from qyanalysis.contract.counties import CountyRegistry

        return CountyRegistry
    raise AttributeError(f"module 'qyanalysis.contract' has no attribute {name!r}")
