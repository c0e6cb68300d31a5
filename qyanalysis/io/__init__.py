"""The input layer: readers (CSV in UTF-8 or GB18030, XLSX, Parquet) → validation → Dataset; templates.

``load_dataset(path)`` reads a data folder, checks every table against the
declarations of ``qyanalysis.contract.columns`` and returns a typed
:class:`~qyanalysis.dataset.Dataset`, or raises
:class:`~qyanalysis.errors.DataValidationError` listing every problem found.
"""

from qyanalysis.io.load import data_hash, ensure_demo_data, load_dataset, load_demo

__all__ = ["ensure_demo_data", "load_dataset", "load_demo", "data_hash"]
