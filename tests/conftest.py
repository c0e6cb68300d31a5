"""Shared pytest configuration."""

from __future__ import annotations

import os

import pytest

# Headless plotting everywhere, and never the user's matplotlib config.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture()
def registry():
    """The built-in Qingyuan county registry."""
    from qyanalysis.contract.counties import CountyRegistry

    return CountyRegistry.builtin()


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
