"""The data contract: columns, tables, the county registry and the indicator catalogue."""

from qyanalysis.contract.columns import TABLES, Column, Table
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.contract.indicators import CATALOGUE, Indicator

__all__ = ["TABLES", "Column", "Table", "CountyRegistry", "CATALOGUE", "Indicator"]
