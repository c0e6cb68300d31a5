"""Every indicator's declared inputs (contract.indicators.INPUTS), proved on the demo data.

* Blanking one declared input cell, in one county, gives that county's rows (scorecard and readiness)
  ``no_data`` or the verdict they had — never a different final verdict — and the city's rows likewise.
* Blanking a column an indicator does not declare leaves its values unchanged: no measure reads a
  column it does not declare.

The demo is cut to 2021–2022 (a change needs the previous year) and four counties. Each recomputation
blanks one cell of one declared column in each county at once, at a different school level in each
(a county's rows read only its own schools): one recomputation per input column. It recomputes the
sources of the measure frame (a measures module, a registered function) that give an indicator declaring
that column, and takes the others' frames as they were: the second property proves that they do not read
it (where an indicator declaring it is given by no source, everything is recomputed).
"""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pandas as pd
import pytest
from measure_helpers import declared, reuse, sources

from qyanalysis.attainment import evaluate
from qyanalysis.contract import indicators
from qyanalysis.measures import clear_cache, compute_all
from qyanalysis.readiness import score
from qyanalysis.targets import load_targets
from qyanalysis.targets.assessment import assessment_targets

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
    """Blanking plans, one per input column: one cell in each county, at another school level in each
    (county i takes the i-th level holding a value, so the counties between them cover the levels)."""
    rounds = []
    for table in ("schools", "teachers"):
        frame = getattr(dataset, table)
        if frame is None:
            continue
        for number, column in enumerate(c for c in sorted(declared(table)) if c in frame.columns):
            cells = _cells(dataset, table, column)
            plan = [(table, column, rows[(i + number) % len(rows)])
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


def test_no_measure_reads_a_column_it_does_not_declare(small, monkeypatch):
    """Blank each input column (all rows) and compare every indicator that does not declare it. A source
    that never reads a table (the teacher roster) is not recomputed when one of its columns is blanked: it
    gives what it gave (a pure function of the tables it reads)."""
    base = compute_all(small).set_index(["county_code", "year", "period", "indicator"])["value"]
    given = sources(small)
    unread = {table: [s for s in given if table not in _reads(small, s[0], s[1])] for table in ("schools",
                                                                                                "teachers")}
    readers = []
    for table in ("schools", "teachers"):
        frame = getattr(small, table)
        if frame is None:
            continue
        structural = set(indicators.STRUCTURAL_COLUMNS.get(table, ()))
        declares = declared(table)
        for column in [c for c in frame.columns if c not in structural]:
            blank = frame.copy()
            blank[column] = np.nan if frame[column].dtype.kind == "f" else pd.NA
            clear_cache()
            with monkeypatch.context() as patch:
                for where, name, frame_given, _codes in unread[table]:
                    if isinstance(where, dict):
                        patch.setitem(where, name, lambda dataset, f=frame_given: f.copy())
                    else:
                        patch.setattr(where, name, lambda dataset, f=frame_given: f.copy())
                now = compute_all(replace(small, **{table: blank})).set_index(
                    ["county_code", "year", "period", "indicator"])["value"]
            joined = pd.concat([base.rename("before"), now.rename("after")], axis=1)
            moved = joined[~np.isclose(joined["before"], joined["after"], equal_nan=True)]
            codes = set(moved.index.get_level_values("indicator")) - declares.get(column, set())
            readers += [f"{code} reads {table}.{column}" for code in sorted(codes)]
    assert not readers, "\n".join(readers)
