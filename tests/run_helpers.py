"""Report runs made once per test session and only read by the tests (the fixtures are in conftest.py).

A real ``qyanalysis run`` of a county and the city costs about a minute of CPU. The modules that only read
a run's files share one: the first pytest-xdist worker to ask makes it under a file lock in the session's
base folder, the other waits for it and reuses it (the pytest-xdist recipe, "Making session-scoped
fixtures execute only once"). Without xdist, or without POSIX file locks, each process makes its own.

One run of :data:`COUNTY` and the city in both languages (``--lang zh --lang en``), made under umask 022,
the county given by its English name: its Chinese tree OUT/YEAR (tests/test_reports_e2e.py,
tests/test_notebooks.py) and its English tree OUT/YEAR/en (tests/test_runner_outputs.py,
tests/test_reports_e2e.py's English pages, tests/test_notebooks.py's city notebooks in English).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

COUNTY = "441826"  # Liannan: small rural schools, teaching points, several targets missed
COUNTY_NAME_EN = "Liannan Yao Autonomous County"  # how the run names it (--county takes the English name)
YEAR = 2022


@contextlib.contextmanager
def _session_lock(path: Path) -> Iterator[None]:
    import fcntl

    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder ``name``, filled by ``make(folder)`` once per test session (whichever worker asks first).

    A ``make`` that fails leaves nothing behind: the next worker to ask tries again (and fails alike).
    """
    base = tmp_path_factory.getbasetemp()
    try:
        import fcntl  # noqa: F401
    except ImportError:  # not POSIX: no lock, so no sharing between workers
        shared = False
    else:
        shared = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    if shared:
        base = base.parent  # the session's folder, above every worker's own
    folder, done = base / name, base / f"{name}.done"
    with _session_lock(base / f"{name}.lock") if shared else contextlib.nullcontext():
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def render(out: Path, *argv: str) -> Path:
    """``qyanalysis run --out OUT ARGV --jobs 2 --quiet`` on the demo data under umask 022 (exit 0): OUT/YEAR."""
    from qyanalysis.cli import main

    previous = os.umask(0o022)
    try:
        code = main(["run", "--out", str(out), *argv, "--jobs", "2", "--quiet"])
    finally:
        os.umask(previous)
    assert code == 0
    return out / str(YEAR)
