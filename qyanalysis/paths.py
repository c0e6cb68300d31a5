"""One place for paths and settings that are not data."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
NOTEBOOKS_DIR = REPO_DIR / "notebooks"
DEFAULT_REPORTS_DIR = Path("reports")
_REPO_DEMO_DIR = REPO_DIR / "data" / "demo"


def demo_data_dir() -> Path:
    """The bundled demonstration dataset.

    In a source checkout (editable install) this is ``data/demo``. An installed
    wheel has no ``data/`` folder, so the deterministic generator writes the
    same dataset once into ``$QYANALYSIS_CACHE`` (default
    ``~/.cache/qyanalysis/demo``) and that folder is used.
    """
    if (_REPO_DEMO_DIR / "schools.csv").exists():
        return _REPO_DEMO_DIR
    cache = Path(os.environ.get("QYANALYSIS_CACHE", Path.home() / ".cache" / "qyanalysis")) / "demo"
    if not (cache / "schools.csv").exists():
        from qyanalysis.demo import generate_demo_data

        generate_demo_data(cache)
    return cache
