"""qyanalysis.paths only looks paths up; the demonstration data is written where data is loaded."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from qyanalysis import paths
from qyanalysis.opening import ensure_demo_data, load_dataset, load_demo

REPO_DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


@pytest.fixture()
def installed(tmp_path, monkeypatch):
    """As in an installed package: no data/demo beside the package, the cache in a scratch folder."""
    monkeypatch.setattr(paths, "_REPO_DEMO_DIR", tmp_path / "no-checkout" / "data" / "demo")
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / "demo"


def test_in_a_source_checkout_the_demo_folder_is_data_demo():
    assert paths.demo_data_dir() == REPO_DEMO
    assert ensure_demo_data() == REPO_DEMO  # present: nothing is written


def test_looking_the_demo_folder_up_writes_nothing(installed, tmp_path):
    assert paths.demo_data_dir() == installed
    assert paths.cache_dir() == tmp_path / "cache"
    assert not (tmp_path / "cache").exists()  # a lookup made no folder and no file


def test_the_cache_defaults_to_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(paths.CACHE_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.cache_dir() == tmp_path / ".cache" / "qyanalysis"


@pytest.mark.slow
def test_loading_writes_the_demo_data_once_into_the_cache_as_data_demo(installed):
    dataset = load_dataset(paths.demo_data_dir())  # what a notebook's open_page does with data_dir ""
    assert dataset.is_demo and paths.has_demo_data(installed)
    same = filecmp.dircmp(installed, REPO_DEMO)
    assert sorted(same.left_only + same.right_only) == []
    # the same bytes, but a Parquet file's metadata names the pandas and pyarrow that wrote it: its data
    assert [name for name in same.diff_files if not name.endswith(".parquet")] == []
    for name in same.common_files:
        if name.endswith(".parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(installed / name), pd.read_parquet(REPO_DEMO / name))
    assert [p.name for p in installed.parent.iterdir()] == ["demo"]  # no scratch folder left behind
    stamp = (installed / "schools.csv").stat().st_mtime_ns
    assert load_demo().data_hash == dataset.data_hash
    assert (installed / "schools.csv").stat().st_mtime_ns == stamp  # written once
