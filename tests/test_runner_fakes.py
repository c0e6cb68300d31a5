"""Fakes of ``load_dataset`` and ``scorecard`` for the runner tests, and the data-handle tests.

The runner takes both as injected functions; these fakes make a tiny dataset
from a folder holding ``schools.csv`` (and optionally ``counties.csv``), with
``data_hash`` = SHA-256 of the folder's files, so a data change is seen.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.dataset import Dataset
from qyanalysis.errors import DataValidationError, ValidationIssue
from qyanalysis.runner.data import DataHandle

REPO = Path(__file__).resolve().parents[1]
TEST_NOTEBOOKS = REPO / "tests" / "notebooks"
CALLS: dict[str, int] = {"load": 0, "scorecard": 0}
# What the test notebooks import: a run of them warms its kernels with these, not the package's
# WARM_MODULES (about 1.5 s of CPU per kernel instead of 3.5; tests/test_packaging.py checks those).
TEST_NOTEBOOK_MODULES = ("matplotlib.pyplot", "qyanalysis.settings")


def light_kernels(patch: pytest.MonkeyPatch | None = None) -> None:
    """Warm kernels made for the test notebooks: they import :data:`TEST_NOTEBOOK_MODULES` and load no
    data ahead (the package's loader would refuse the fake data, after importing the report modules).
    With ``patch``, until the test ends; without, for the process (a run in a subprocess)."""
    from qyanalysis.runner import kernels

    def no_preload(data_dir: str) -> str:
        return "pass\n"

    if patch is None:
        kernels.WARM_MODULES, kernels._preload_code = TEST_NOTEBOOK_MODULES, no_preload
    else:
        patch.setattr(kernels, "WARM_MODULES", TEST_NOTEBOOK_MODULES)
        patch.setattr(kernels, "_preload_code", no_preload)


def no_kernels_ahead(patch: pytest.MonkeyPatch) -> None:
    """``qyanalysis run`` in this process starts no kernel ahead of its data check, until the test ends (for
    runs that are refused: that a refused run stops the kernels it started is tested in
    tests/test_runner_batch.py, test_kernels_started_ahead_of_refused_data_are_stopped_at_once)."""
    from qyanalysis.runner import batch

    patch.setattr(batch, "prestart_kernels", lambda count, data_dir=None: None)


def make_data(folder: Path, *, years=(2021, 2022), counties: pd.DataFrame | None = None,
              invalid: bool = False) -> Path:
    """Write a tiny fake data folder."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"school_id": f"S{i}", "county": code, "year": y, "students": 100 + i}
            for i, (code, y) in enumerate((c, y) for c in ("441802", "441803") for y in years)]
    if invalid:
        rows[0]["students"] = -5
    pd.DataFrame(rows).to_csv(folder / "schools.csv", index=False)
    if counties is not None:
        counties.to_csv(folder / "counties.csv", index=False)
    return folder


def fake_load_dataset(path: Path) -> Dataset:
    """Read the fake folder; negative students → DataValidationError (like the real loader)."""
    CALLS["load"] += 1
    path = Path(path)
    schools = pd.read_csv(path / "schools.csv", dtype={"county": str})
    bad = schools.index[schools["students"] < 0]
    if len(bad):
        raise DataValidationError([ValidationIssue("schools.csv", int(i) + 2, "students",
                                                   "negative count; expected >= 0") for i in bad])
    counties_csv = path / "counties.csv"
    registry = (CountyRegistry.from_frame(pd.read_csv(counties_csv, dtype={"county_code": str}))
                if counties_csv.exists() else CountyRegistry.builtin())
    digest = hashlib.sha256()
    for file in sorted(path.glob("*.csv")):
        digest.update(file.read_bytes())
    return Dataset(schools=schools.rename(columns={"county": "county_code"}), indicators=pd.DataFrame(),
                   counties=registry, source=path, is_demo=True, data_hash=digest.hexdigest())


def fake_scorecard(dataset: Dataset, county: str, year: int) -> pd.DataFrame:
    """Three targets; statuses depend on the county's total students (so data changes show)."""
    CALLS["scorecard"] += 1
    schools = dataset.schools
    students = float(schools.loc[(schools["county_code"] == county) & (schools["year"] == year),
                                 "students"].sum())
    return pd.DataFrame({
        "target_id": ["T2", "T1", "T3"], "item": [7, 6, 8], "indicator": ["b", "a", "c"],
        "county_code": county, "year": year, "value": [students, 1.0, float("nan")],
        "comparator": [">=", ">=", "<="], "threshold": [100.0, 1.0, 0.5],
        "status": ["met" if students >= 100 else "not_met", "met", "no_data"],
        "level": "city" if county == "city" else "county",
    })


def test_fake_scorecard_counts_students_of_the_year(tmp_path):
    data = make_data(tmp_path / "d")
    frame = fake_scorecard(fake_load_dataset(data), "441802", 2022)
    # 441802 has schools S0 (2021, 100) and S1 (2022, 101): 2022 total = 101 → met
    assert frame.loc[frame["target_id"] == "T2", "value"].item() == 101.0
    assert frame["status"].tolist() == ["met", "met", "no_data"]


def test_data_handle_caches_facts_and_skips_loading(tmp_path):
    data = make_data(tmp_path / "d")
    cache = tmp_path / "out" / ".qyanalysis"
    before = CALLS["load"]
    first = DataHandle(data, fake_load_dataset, cache, "9.9")
    assert CALLS["load"] == before + 1 and not cache.exists()  # nothing written until asked
    first.save_cache()
    second = DataHandle(data, fake_load_dataset, cache, "9.9")
    assert CALLS["load"] == before + 1  # facts came from the cache
    assert second.info.data_hash == first.info.data_hash
    assert second.info.years == (2021, 2022) and second.info.is_demo
    assert second.info.registry.codes == first.info.registry.codes
    assert isinstance(second.dataset, Dataset) and CALLS["load"] == before + 2  # loaded on demand
    (data / "schools.csv").write_text((data / "schools.csv").read_text() + "S9,441802,2022,5\n")
    DataHandle(data, fake_load_dataset, cache, "9.9")
    assert CALLS["load"] == before + 3  # changed bytes: loaded again


def test_invalid_data_is_never_cached(tmp_path):
    data = make_data(tmp_path / "d", invalid=True)
    with pytest.raises(DataValidationError):
        DataHandle(data, fake_load_dataset, tmp_path / "c", "9.9")
    assert not (tmp_path / "c").exists()
