"""Every indicator's declared inputs (contract.indicators.INPUTS), proved on the demo data.

* Blanking one declared input cell, in one county, gives that county's rows (scorecard and readiness)
  ``no_data`` or the verdict they had — never a different final verdict — and the city's rows likewise.
* Blanking a column an indicator does not declare leaves its values unchanged: no measure reads a
  column it does not declare.

The demo is cut to 2021–2022 (a change needs the previous year) and four counties. Each recomputation
blanks one cell of one declared column in each county at once, at a different school level in each
(a county's rows read only its own schools): one recomputation per group of input columns that no
indicator declares together (so each indicator meets one blanked input at most). It
recomputes the sources of the measure frame (a measures module, a registered function) that give an
indicator declaring a blanked column, and takes the others' frames as they were: the second property
proves that they do not read it (where such an indicator is given by no source, everything is recomputed).
"""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pandas as pd
import pytest
from measure_helpers import declared, disjoint_groups, reuse, sources

from qyanalysis.verdicts.attainment import evaluate
from qyanalysis.contract import indicators
from qyanalysis.measures import clear_cache, compute_all
from qyanalysis.verdicts.readiness import score
from qyanalysis.verdicts.targets import load_targets
from qyanalysis.verdicts.targets.assessment import assessment_targets

YEAR = 2022
FINAL = {"met", "not_met", "not_applicable", "on_track", "at_risk"}


COUNTIES = ("441802", "441823", "441825", "441826")  # a county's rows read only its own schools


@pytest.fixture(scope="module")
def small(demo):
    """The demo of 2021–2022 for four counties (schools, roster, indicators)."""
    def cut(frame):
        return frame[frame["year"].isin([YEAR - 1, YEAR]) & frame["county_code"].isin(COUNTIES)].reset_index(
            drop=True)

    keep = {"schools": cut(demo.schools), "indicators": cut(demo.indicators)}
    if demo.teachers is not None:
        keep["teachers"] = cut(demo.teachers)
    return replace(demo, **keep)


def _verdicts(dataset) -> pd.Series:
    """Status of every county's scorecard and readiness rows."""
    measures = compute_all(dataset)
    card = evaluate(load_targets(), measures, list(COUNTIES), None, YEAR, dataset.targets_override,
                    as_of=dataset.as_of, tasks=dataset.tasks)
    ready = score(assessment_targets(), measures, list(COUNTIES), YEAR, dataset.targets_override)
    return pd.concat([card[["target_id", "county_code", "status"]],
                      ready.assign(target_id="ready:" + ready["assessment_id"])[["target_id", "county_code",
                                                                                   "status"]]],
                     ignore_index=True).set_index(["target_id", "county_code"])["status"]


def _cells(dataset, table: str, column: str) -> dict[str, list[int]]:
    """Per county, the row of one YEAR cell holding a value of ``column`` at each school level."""
    frame = getattr(dataset, table)
    rows = frame[(frame["year"] == YEAR) & frame[column].notna()]
    if table == "teachers":
        levels = rows["school_id"].map(dataset.schools.drop_duplicates("school_id").set_index("school_id")["level"])
        rows = rows.assign(level=levels.to_numpy())
    first = rows.sort_values(["county_code", "level"], kind="stable").drop_duplicates(["county_code", "level"])
    return {county: list(group.index) for county, group in first.groupby("county_code")}


def _rounds(dataset) -> list[list[tuple[str, str, int]]]:
    """Blanking plans, one per group of input columns that no indicator declares together
    (``disjoint_groups``: each indicator meets one blanked input at most; a structural column alone): for
    each column, one cell in each county, at another school level in each (county i takes the i-th level
    holding a value, so the counties between them cover the levels)."""
    rounds = []
    for table in ("schools", "teachers"):
        frame = getattr(dataset, table)
        if frame is None:
            continue
        columns = tuple(c for c in sorted(declared(table)) if c in frame.columns)
        for group in disjoint_groups(table, columns):
            plan = []
            for column in group:
                number, cells = columns.index(column), _cells(dataset, table, column)
                plan += [(table, column, rows[(i + number) % len(rows)])
                         for i, rows in enumerate(cells[c] for c in COUNTIES if cells.get(c))]
            if plan:
                rounds.append(plan)
    return rounds


def _blank(dataset, cells) -> object:
    changed = {}
    for table, column, row in cells:
        frame = changed.get(table, getattr(dataset, table).copy())
        frame.loc[row, column] = np.nan if frame[column].dtype.kind == "f" else pd.NA
        changed[table] = frame
    return replace(dataset, **changed)


def test_blanking_a_declared_input_never_changes_a_final_verdict(small, monkeypatch):
    before = _verdicts(small)
    given = sources(small)
    broken = []
    for cells in _rounds(small):
        declaring = set().union(*(declared(table)[column] for table, column, _ in cells))
        clear_cache()
        with monkeypatch.context() as patch:
            reuse(patch, given, declaring)
            after = _verdicts(_blank(small, cells))
        differs = (after != before) & after.isin(FINAL)
        for (target, county), status in after[differs].items():
            broken.append(f"{target} {county}: {before[(target, county)]} → {status} after blanking "
                          + ", ".join(f"{t}.{c}[{r}]" for t, c, r in cells))
    assert not broken, "\n".join(broken[:20])


def _reads(dataset, where, name) -> set[str]:
    """The dataset's attributes a source (``getattr(where, name)``, or ``where[name]``) reads when computing,
    through the dataset or any copy made of it with ``dataclasses.replace``."""
    read: set[str] = set()

    class Recording(type(dataset)):
        """The dataset, recording every attribute read."""

        def __getattribute__(self, attribute):
            read.add(attribute)
            return super().__getattribute__(attribute)

    function = where[name] if isinstance(where, dict) else getattr(where, name)
    function(Recording(**{f.name: getattr(dataset, f.name) for f in fields(dataset)}))
    return read


def _blank_columns(frame: pd.DataFrame, columns) -> pd.DataFrame:
    blank = frame.copy()
    for column in columns:
        blank[column] = np.nan if frame[column].dtype.kind == "f" else pd.NA
    return blank


def _moved(before: pd.DataFrame, after: pd.DataFrame) -> set[str]:
    """The indicators whose values differ between two frames of a source (a row gained or lost included)."""
    key = ["county_code", "year", "period", "indicator"]
    joined = pd.concat([before.set_index(key)["value"].rename("before"),
                        after.set_index(key)["value"].rename("after")], axis=1)
    moved = joined[~np.isclose(joined["before"], joined["after"], equal_nan=True)]
    return set(moved.index.get_level_values("indicator"))


def test_no_measure_reads_a_column_it_does_not_declare(small):
    """Blank input columns (all rows) and recompute each source of the measure frame that reads their table
    (``_reads``: a source that never reads the teacher roster is not recomputed for its columns): an
    indicator's values move only with a column it declares.

    A source's columns are blanked in groups, one recomputation per group: the columns that the same of its
    indicators declare (most often none of them) go together, so that each indicator sees blanked either
    only columns it declares or only columns it does not. A group that moves an indicator which does not
    declare it is blanked again column by column, to name the column read."""
    readers = []
    for where, name, given, codes in sources(small):
        function = where[name] if isinstance(where, dict) else getattr(where, name)
        read = _reads(small, where, name)
        for table in ("schools", "teachers"):
            frame = getattr(small, table)
            if frame is None or table not in read:
                continue
            structural = set(indicators.STRUCTURAL_COLUMNS.get(table, ()))
            declares = declared(table)
            groups: dict[frozenset[str], list[str]] = {}
            for column in (c for c in frame.columns if c not in structural):
                groups.setdefault(frozenset(declares.get(column, set()) & codes), []).append(column)
            for declaring, columns in groups.items():
                if declaring == codes:  # every indicator of the source declares them: nothing to compare
                    continue
                clear_cache()
                together = _moved(given, function(replace(small, **{table: _blank_columns(frame, columns)})))
                if not together - declaring:
                    continue
                found = []
                for column in columns:
                    clear_cache()
                    now = function(replace(small, **{table: _blank_columns(frame, [column])}))
                    found += [f"{code} reads {table}.{column}"
                              for code in sorted(_moved(given, now) - declares.get(column, set()))]
                readers += found or [f"{sorted(together - declaring)} move with {table}.{columns} together"]
    assert not readers, "\n".join(readers)
