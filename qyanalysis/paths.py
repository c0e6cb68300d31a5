"""One place for paths that are not data: every function here only looks a path up and writes nothing.

The bundled demonstration dataset is ``data/demo`` in a source checkout. An
installed package has no ``data/`` folder (the wheel ships the library only), so
its demo folder is ``demo/`` in the cache folder, written by the deterministic
generator the first time the data is loaded
(:func:`qyanalysis.opening.ensure_demo_data`; README, "Where the demonstration
data lives") — never by a lookup here.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
NOTEBOOKS_DIR = REPO_DIR / "notebooks"
DEFAULT_REPORTS_DIR = Path("reports")
CACHE_ENV = "QYANALYSIS_CACHE"
#: Names the folder where the processes of one batch run (the runner and its kernels) share what they
#: compute from the same data (``qyanalysis.report.page.shared``); set by the runner for a run, unset
#: when a notebook is opened by hand.
SHARED_RESULTS_ENV = "QYANALYSIS_SHARED_RESULTS"
_REPO_DEMO_DIR = REPO_DIR / "data" / "demo"
_DEMO_MARKER = "schools.csv"


def cache_dir() -> Path:
    """The user's cache folder for qyanalysis: ``$QYANALYSIS_CACHE``, else ``~/.cache/qyanalysis``."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "qyanalysis")


def has_demo_data(folder: Path) -> bool:
    """True when ``folder`` holds a written demonstration dataset (its school census)."""
    return (folder / _DEMO_MARKER).is_file()


def demo_data_dir() -> Path:
    """The folder of the bundled demonstration dataset (a lookup: nothing is written).

    ``data/demo`` in a source checkout (editable install); otherwise
    ``cache_dir() / "demo"``, which may not exist yet: loading the data writes
    it (:func:`qyanalysis.opening.ensure_demo_data`).
    """
    if has_demo_data(_REPO_DEMO_DIR):
        return _REPO_DEMO_DIR
    return cache_dir() / "demo"
