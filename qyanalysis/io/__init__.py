"""The input layer: readers (CSV in UTF-8 or GB18030, XLSX, Parquet) → validation → Dataset; templates.

``load_dataset(path)`` reads a data folder, checks every table against the
declarations of ``qyanalysis.contract.columns`` and returns a typed
:class:`~qyanalysis.dataset.Dataset`, or raises
:class:`~qyanalysis.errors.DataValidationError` listing every problem found.

It is the reader alone: ``qyanalysis.opening`` (``qy.load_dataset``, ``qy.load_demo``)
writes the bundled demonstration folder when needed and passes the target
registry's ids in; io imports neither the demo generator nor the targets.
"""

from qyanalysis.io.load import data_hash, load_dataset

__all__ = ["load_dataset", "data_hash"]
