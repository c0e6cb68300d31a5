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
