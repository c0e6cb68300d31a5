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


def reuse_for_columns(patch: pytest.MonkeyPatch, given_sources, table: str, columns: tuple[str, ...]) -> None:
    """:func:`reuse` for blanking whole ``columns`` of ``table``; nothing reused when one is structural."""
    if set(columns) & set(indicators.STRUCTURAL_COLUMNS.get(table, ())):
        return
    by_column = declared(table)
    reuse(patch, given_sources, set().union(*(by_column.get(column, set()) for column in columns)))


def disjoint_groups(table: str, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    """``columns`` in groups whose members no indicator declares together (greedy, most-declared first;
    a structural column alone): blanking a group shows each indicator at most one missing input of it."""
    by_column = declared(table)
    structural = set(indicators.STRUCTURAL_COLUMNS.get(table, ()))
    groups: list[list[str]] = []
    for column in sorted(columns, key=lambda c: (-len(by_column.get(c, ())), columns.index(c))):
        codes = by_column.get(column, set())
        home = None if column in structural else next(
            (group for group in groups if not set(group) & structural
             and not any(codes & by_column.get(other, set()) for other in group)), None)
        if home is None:
            groups.append([column])
        else:
            home.append(column)
    return [tuple(group) for group in groups]
