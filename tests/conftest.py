"""Shared pytest configuration."""

from __future__ import annotations

import os

import pytest

# Headless plotting everywhere, and never the user's matplotlib config.
os.environ.setdefault("MPLBACKEND", "Agg")

# The tests import nbformat as a run does: without compiling the IRI grammars (qyanalysis.runner).
from qyanalysis.runner import defer_iri_grammars  # noqa: E402

defer_iri_grammars()

# How `make test` shares the suite out over pytest-xdist workers (`-n 2 --dist loadfile`): each test
# module is one unit of work, so that its module-scoped fixtures (a rendered report folder, a loaded
# demo dataset, a browser) are made once and tests that share a module's files never run at the same
# time; with these exceptions (paths relative to the repository):
# - modules whose tests are independent of each other, shared out test by test;
SPREAD_OVER_WORKERS = frozenset({
    "tests/test_sparse_data.py",  # one dataset per test (about 10 s each)
    "tests/test_inputs.py",  # two properties of about a minute each
})
# - modules that share a session artefact, kept together on one worker (one unit of work per name).
SAME_WORKER = {
    # the crafted render of test_safe_sharing.crafted_render, made once per worker session
    "tests/test_safe_sharing.py": "crafted-render",
    "tests/test_browser.py": "crafted-render",
    "tests/test_pdf.py": "crafted-render",
}
# - the units that take longest (a minute or more in all), started first, in this order, so that no long
#   unit starts at the end while the other worker has nothing left (a unit of SPREAD_OVER_WORKERS by its
#   module's path); the others follow, largest first, the matrix's single tests last.
LONGEST_FIRST = (
    "tests/test_inputs.py",
    "tests/test_faults.py",
    "tests/test_notebooks.py",
    "tests/test_runner_batch.py",
    "tests/test_reports_e2e.py",
    "crafted-render",
    "tests/test_runner_outputs.py",
    "tests/test_reproducibility.py",
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` with the exceptions above (``SPREAD_OVER_WORKERS``, ``SAME_WORKER``).

    A scheduler, not ``xdist_group`` marks with ``--dist loadgroup``: loadgroup passes its groups by
    rewriting test ids, which pytest 9.2 no longer allows, so its marks are silently ignored
    (pytest-xdist issue #1386). The units of ``LONGEST_FIRST`` go first, then the largest (xdist's
    default order, by number of tests), so the matrix's single tests fill the workers at the end.
    """
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ModuleScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            if path in SPREAD_OVER_WORKERS:
                return nodeid
            return SAME_WORKER.get(path, path)

        def _assign_work_unit(self, node) -> None:
            """Before the first unit is sent, the queue reordered: ``LONGEST_FIRST``, then as it was."""
            if not getattr(self, "_reordered", False):
                self._reordered = True
                rank = {name: n for n, name in enumerate(LONGEST_FIRST)}

                def key(scope: str) -> int:
                    return rank.get(scope.split("::", 1)[0], len(rank))

                for scope in sorted(self.workqueue, key=key):  # stable: the others keep their order
                    self.workqueue.move_to_end(scope)
            super()._assign_work_unit(node)

    return ModuleScheduling(config, log)


@pytest.fixture(scope="session")
def report_run(tmp_path_factory):
    """OUT/2022 of ``qyanalysis run --county "Liannan Yao Autonomous County" city --lang zh --lang en``
    (441826) under umask 022, made once per test session and only read (tests/run_helpers.py)."""
    from run_helpers import COUNTY_NAME_EN, YEAR, made_once, render

    def make(out):
        render(out, "--county", COUNTY_NAME_EN, "city", "--lang", "zh", "--lang", "en")

    return made_once(tmp_path_factory, "report-run", make) / str(YEAR)


@pytest.fixture(scope="session")
def zh_run(report_run):
    """The Chinese tree of the session's run: OUT/2022."""
    return report_run


@pytest.fixture(scope="session")
def en_run(report_run):
    """The English tree of the session's run: OUT/2022/en."""
    return report_run / "en"


@pytest.fixture()
def registry():
    """The built-in Qingyuan county registry."""
    from qyanalysis.contract.counties import CountyRegistry

    return CountyRegistry.builtin()


@pytest.fixture(scope="module")
def demo():
    """The demonstration dataset as the report pages load it (cached read-only: tests that change it use copies)."""
    from qyanalysis.report import open_page

    return open_page("city", 2022, "", "zh").dataset


@pytest.fixture(scope="session")
def ipython_shell():
    """An IPython shell, so that ``display`` publishes rich outputs (HTML, PNG) that tests can capture."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    select_figure_formats(shell, {"png"})
    return shell


def _hypothesis_profiles() -> None:
    """Random examples on a developer's machine; the same examples on every CI run (no flaky CI)."""
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")


_hypothesis_profiles()
