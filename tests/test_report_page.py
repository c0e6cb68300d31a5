"""The page's kernel-level memo: each result computed once per dataset, name and settings."""

from __future__ import annotations

import pytest

from qyanalysis import settings
from qyanalysis.report import open_page
from qyanalysis.report.page import memo

YEAR = 2022


@pytest.fixture(scope="module")
def page():
    return open_page("清新区", YEAR, "", "zh", section=2)


def test_a_result_is_computed_once_per_name(page):
    calls = []
    first = page.memo(("test_once", 1), lambda: calls.append(1) or len(calls))
    again = page.memo(("test_once", 1), lambda: calls.append(1) or len(calls))
    other = page.memo(("test_once", 2), lambda: calls.append(1) or len(calls))
    assert (first, again, other) == (1, 1, 2)
    assert len(calls) == 2


def test_another_page_of_the_same_data_shares_the_result(page):
    city = open_page("city", YEAR, "", "en")
    assert city.dataset is page.dataset
    page.memo("test_shared", lambda: "computed by the county page")
    assert city.memo("test_shared", lambda: "computed again") == "computed by the county page"


def test_a_changed_setting_gives_a_fresh_result(page):
    before = page.memo("test_setting", lambda: settings.ON_TRACK_PROBABILITY)
    with settings.override(ON_TRACK_PROBABILITY=0.5):
        during = page.memo("test_setting", lambda: settings.ON_TRACK_PROBABILITY)
    assert (before, during) == (pytest.approx(0.8), pytest.approx(0.5))
    assert page.memo("test_setting", lambda: -1.0) == pytest.approx(0.8)


def test_another_dataset_never_reads_this_one_s_results(page):
    from dataclasses import replace

    copy = replace(page.dataset)
    assert memo(copy, "test_dataset", lambda: "copy") == "copy"
    assert memo(page.dataset, "test_dataset", lambda: "original") == "original"


def test_the_scorecard_is_served_as_a_copy(page):
    card = page.scorecard
    card.loc[:, "status"] = "changed"
    fresh = open_page("清新区", YEAR, "", "zh", section=2).scorecard
    assert not (fresh["status"] == "changed").any()


def test_a_registration_in_the_kernel_gives_a_fresh_result(page, monkeypatch):
    from qyanalysis import measures

    assert page.memo("test_registration", lambda: "before") == "before"
    # registering an indicator or a measure bumps this version, a target targets.version()
    # (tests/test_adding_an_indicator.py)
    bumped = tuple(v + 1 for v in measures.version())
    monkeypatch.setattr(measures, "version", lambda: bumped)
    assert page.memo("test_registration", lambda: "after") == "after"


# ---- shared across the processes of a batch run ---------------------------------------------------------


_CHILD = """
import sys, pickle
from qyanalysis import measures
from qyanalysis.verdicts import attainment
from qyanalysis.report import page as p
calls = []
scorecard, compute_all = attainment.scorecard, measures._compute
attainment.scorecard = lambda *a, **k: (calls.append("scorecard"), scorecard(*a, **k))[1]
measures._compute = lambda *a, **k: (calls.append("measures"), compute_all(*a, **k))[1]
dataset = p.load_data("")
card = p.cached_scorecard(dataset, None, 2022, "")
from qyanalysis.report.tables.balance_readiness import _readiness_rows
_readiness_rows(p.open_page("city", 2022, "", "zh"))  # the readiness page's rows: on the shared measure frame
frame = p.measure_frame(dataset)
sys.stdout.buffer.write(pickle.dumps((calls, card, frame)))
"""


def _child(env: dict) -> tuple:
    import pickle
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _CHILD], env=env, capture_output=True, check=True)
    return pickle.loads(done.stdout)


def test_a_batch_run_s_processes_compute_the_scorecard_once_and_read_the_same(tmp_path):
    """The first process computes the measures and every unit's scorecard and leaves them in the shared
    folder; the next one computes neither (nor the measures again for the readiness rows) and gets equal
    frames; without the folder each computes its own
    and the results are the same (a notebook opened by hand)."""
    import os

    import pandas as pd

    from qyanalysis.report.page import SHARED_RESULTS_ENV

    env = {k: v for k, v in os.environ.items() if k != SHARED_RESULTS_ENV}
    alone_calls, alone_card, alone_frame = _child(env)
    shared_env = {**env, SHARED_RESULTS_ENV: str(tmp_path)}
    first_calls, first_card, first_frame = _child(shared_env)
    second_calls, second_card, second_frame = _child(shared_env)
    assert alone_calls == first_calls == ["measures", "scorecard"] and second_calls == []
    assert len(list(tmp_path.glob("*.pickle"))) == 3  # the dataset, its measure frame, every unit's scorecard
    for card in (first_card, second_card):
        pd.testing.assert_frame_equal(card, alone_card)
    for frame in (first_frame, second_frame):
        pd.testing.assert_frame_equal(frame, alone_frame)


def test_a_dataset_without_a_fingerprint_is_never_shared(tmp_path, monkeypatch, page):
    import dataclasses

    from qyanalysis.report.page import SHARED_RESULTS_ENV, shared_memo

    monkeypatch.setenv(SHARED_RESULTS_ENV, str(tmp_path))
    anonymous = dataclasses.replace(page.dataset, data_hash=None)
    assert shared_memo(anonymous, ("x",), lambda: 1) == 1 and list(tmp_path.iterdir()) == []
