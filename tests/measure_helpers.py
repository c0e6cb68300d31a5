"""Recomputing the measure frame after an input column changed, reusing the sources that cannot see it.

A source of the measure frame is a measures module (its ``measures(dataset)``) or a registered function.
tests/test_inputs.py::test_no_measure_reads_a_column_it_does_not_declare proves that no indicator reads a
non-structural column it does not declare; so after blanking such a column, every source that gives no
indicator declaring it returns what it returned before. Structural columns
(``indicators.STRUCTURAL_COLUMNS``) may be read by every measure: nothing is reused for them.
"""

from __future__ import annotations

import importlib

import pandas as pd
import pytest

import qyanalysis.measures as measures
from qyanalysis.contract import indicators


def declared(table: str) -> dict[str, set[str]]:
    """Column → the indicators that declare it, for one input table."""
    out: dict[str, set[str]] = {}
    for code, entry in indicators.CATALOGUE.items():
        for name in entry.inputs:
            where, column = name.split(".", 1)
            if where == table:
                out.setdefault(column, set()).add(code)
    return out


def sources(dataset) -> list[tuple[object, str, object, set[str]]]:
    """The sources of the measure frame with what each gives for ``dataset``: (where it is looked up, its
    name there, what it returns, the indicators it gives) for each measures module and registered function."""
    out = []
    for name in measures._MODULES:
        module = importlib.import_module(f"{measures.__name__}.{name}")
        frame = module.measures(dataset)
        out.append((module, "measures", frame, set(frame["indicator"])))
    for code, function in measures.registered_measures().items():
        out.append((measures._REGISTERED, code, function(dataset), {code}))
    return out


def reuse(patch: pytest.MonkeyPatch, given_sources, declaring: set[str]) -> None:
    """Every source that gives no indicator of ``declaring`` returns what it gave before (none when an
    indicator of ``declaring`` is given by no source)."""
    if not declaring <= set().union(*(codes for *_, codes in given_sources)):
        return
    for where, name, given, codes in given_sources:
        if codes & declaring:
            continue

        def same(dataset, given=given):
            return given.copy() if isinstance(given, pd.DataFrame) else given

        if isinstance(where, dict):
            patch.setitem(where, name, same)
        else:
            patch.setattr(where, name, same)


def reuse_for_column(patch: pytest.MonkeyPatch, given_sources, table: str, column: str) -> None:
    """:func:`reuse` for blanking one whole column of ``table``; nothing reused for a structural column."""
    if column in indicators.STRUCTURAL_COLUMNS.get(table, ()):
        return
    reuse(patch, given_sources, declared(table).get(column, set()))
