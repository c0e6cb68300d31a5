"""The county maps of the city comparison page (qyanalysis.report.views_map): the frames they colour,
checked against the scorecard, and the view on the demo data."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from IPython.utils.capture import capture_output

from qyanalysis import settings
from qyanalysis.report import open_page, views_map
from qyanalysis.report.page import Page
from qyanalysis.report.views_city import CV_CODES

YEAR = 2022


@pytest.fixture(scope="module", autouse=True)
def shell(ipython_shell):
    """Every test here captures rich display outputs."""
    return ipython_shell


@pytest.fixture(scope="module")
def demo():
    return open_page("city", YEAR, "", "zh").dataset


def _page(dataset, lang: str = "zh") -> Page:
    return Page(dataset, dataset.counties.city_code, YEAR, lang)


def test_cv_verdict_needs_all_fourteen_and_fails_on_any():
    assert views_map.cv_verdict(pd.Series(["met"] * 14)) == "met"
    assert views_map.cv_verdict(pd.Series(["met"] * 13 + ["not_met"])) == "not_met"
    assert views_map.cv_verdict(pd.Series(["met"] * 13 + ["no_data"])) == "no_data"
    assert views_map.cv_verdict(pd.Series(["met"] * 12 + ["no_data", "not_met"])) == "not_met"
    assert views_map.cv_verdict(pd.Series([], dtype=str)) == "no_data"


def test_frames_match_the_scorecard(demo):
    page = _page(demo)
    card = page.all_counties_scorecard
    county = card[(card["scope"] == "county") & (card["level"] == "county")]
    not_met = views_map.not_met_frame(page).set_index("county_code")
    cvs = views_map.cv_frame(page).set_index("county_code")
    assert sorted(not_met.index) == demo.counties.codes and not_met.loc["441802", "county_name"] == "清城"
    for code in demo.counties.codes:
        rows = county[county["county_code"] == code]
        assert not_met.loc[code, "value"] == pytest.approx(float((rows["status"] == "not_met").sum()))
        cv_rows = rows[rows["indicator"].isin(CV_CODES)]
        met = int((cv_rows["status"] == "met").sum())
        assert cvs.loc[code, "value_text"] == f"{met}/14 项达标"
        expected = "not_met" if (cv_rows["status"] == "not_met").any() else "met" if met == 14 else "no_data"
        assert cvs.loc[code, "status"] == expected


def test_county_with_no_targets_is_no_data_not_zero(demo):
    page = _page(demo)
    card = page.all_counties_scorecard
    page.__dict__["all_counties_scorecard"] = card[card["county_code"] != "441825"]  # 连山 not assessed
    not_met = views_map.not_met_frame(page).set_index("county_code")
    assert math.isnan(not_met.loc["441825", "value"])
    assert views_map.cv_frame(page).set_index("county_code").loc["441825", "status"] == "no_data"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_view_draws_two_maps_with_the_review_note(demo, lang):
    page = _page(demo, lang)
    with capture_output() as captured:
        views_map.show_county_maps(page)
    images = sum("image/png" in o.data for o in captured.outputs)
    text = "\n".join(o.data.get("text/html", "") for o in captured.outputs)
    assert images == 2
    assert "审图号" in text
    assert ("示意图" in text) if lang == "zh" else ("A diagram" in text)


def test_boundaries_setting_without_outlines_still_draws_tiles(demo, monkeypatch):
    monkeypatch.setattr(settings, "MAP_BACKEND", "boundaries")
    monkeypatch.setattr(views_map.maps, "cnmaps_boundaries", lambda codes: None)  # as without the extra
    page = _page(demo)
    assert views_map.map_boundaries(views_map.mapped_counties(page)) is None
    with capture_output() as captured:
        views_map.show_county_maps(page)
    assert sum("image/png" in o.data for o in captured.outputs) == 2
