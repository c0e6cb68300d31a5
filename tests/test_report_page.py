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
