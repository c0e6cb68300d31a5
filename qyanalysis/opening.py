"""Opening a data folder: the one place above io that knows the demo generator and the target registry.

``qy.load_dataset(path)`` (the command line, the runner and every page use it):
the bundled demonstration folder (``qyanalysis.paths.demo_data_dir()``, what
``data_dir = ""`` means) is written first if this installation has not written
it yet (:func:`ensure_demo_data`), then :func:`qyanalysis.io.load.load_dataset`
reads and validates the folder with the registry's target ids at hand, so that a
``targets_override`` row naming an unknown target is reported like any other
problem. io itself imports neither the generator nor the targets.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from qyanalysis import paths
from qyanalysis.dataset import Dataset
from qyanalysis.io import load as _io


def registry_target_ids() -> list[str]:
    """The ``target_id`` of every row of the target registry (``qyanalysis.verdicts.targets.load_targets``)."""
    from qyanalysis.verdicts.targets import load_targets

    return list(load_targets()["target_id"].astype(str))


def ensure_demo_data() -> Path:
    """The bundled demonstration folder, written first when it does not exist yet.

    A source checkout has it (``data/demo``), so nothing is written. An installed
    package has no ``data/`` folder: the deterministic generator
    (:func:`qyanalysis.demo.generate_demo_data`, seed 2022: the same bytes as
    ``data/demo``) writes it once into ``qyanalysis.paths.cache_dir() / "demo"``
    — into a temporary sibling folder first, renamed into place when complete, so
    two processes starting at once never read a half-written folder.

    Returns:
        ``qyanalysis.paths.demo_data_dir()``.
    """
    folder = paths.demo_data_dir()
    if paths.has_demo_data(folder):
        return folder
    from qyanalysis.demo import generate_demo_data

    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".demo-", dir=folder.parent))
    try:
        generate_demo_data(scratch)
        try:
            os.replace(scratch, folder)  # atomic; fails when another process put a folder there first
        except OSError:
            if not paths.has_demo_data(folder):
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


def load_dataset(path: str | Path) -> Dataset:
    """Read, validate and type a data folder (docs/data-dictionary.md): ``qy.load_dataset``.

    :func:`qyanalysis.io.load.load_dataset` with the registry's target ids; the
    bundled demonstration folder is written first if this installation has not
    written it yet (:func:`ensure_demo_data`).

    Raises:
        DataValidationError: with ``.errors`` listing every problem found.
        FileNotFoundError: when ``path`` does not exist.
    """
    path = Path(path)
    if path == paths.demo_data_dir():
        ensure_demo_data()
    return _io.load_dataset(path, target_ids=registry_target_ids)


def load_demo() -> Dataset:
    """Load the bundled demonstration dataset (:func:`ensure_demo_data`): ``qy.load_demo``."""
    return load_dataset(ensure_demo_data())


__all__ = ["ensure_demo_data", "load_dataset", "load_demo", "registry_target_ids"]
