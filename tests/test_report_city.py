"""The city comparison views: pure helpers on tiny frames, and every view on the demo data."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
from IPython.utils.capture import capture_output

from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.report import open_page, views_city
from qyanalysis.report.page import Page

NAN = math.nan
YEAR = 2022


@pytest.fixture(scope="module", autouse=True)
def shell(ipython_shell):
    """Every test here captures rich display outputs."""
    return ipython_shell


@pytest.fixture(scope="module")
def demo():
    """The demo dataset, loaded once (each test builds its own Page: pages cache their results)."""
    return open_page("city", YEAR, "", "zh").dataset


def _page(dataset, lang: str = "zh") -> Page:
    return Page(dataset, dataset.counties.city_code, YEAR, lang)


def _html(captured) -> str:
    return "\n".join(o.data.get("text/html", "") + o.data.get("text/markdown", "") for o in captured.outputs)


def _images(captured) -> int:
    return sum("image/png" in o.data for o in captured.outputs)


# --- pure helpers -------------------------------------------------------------------------------


def test_status_counts_tallies_each_status_per_county():
    rows = pd.DataFrame({"county_code": ["1", "1", "1", "2", "2"], "county_name": ["A", "A", "A", "B", "B"],
                         "status": ["met", "not_met", "met", "met", "no_data"]})
    counts = views_city.status_counts(rows)
    # A: 2 met, 1 not met; B: 1 met, 1 no data; sorted by met, descending.
    assert counts["county_name"].tolist() == ["A", "B"]
    tallies = counts[["met", "not_met", "no_data", "at_risk"]].to_numpy().tolist()
    assert tallies == [[2, 1, 0, 0], [1, 0, 1, 0]]


def test_binding_cv_is_the_largest_value_relative_to_its_limit():
    rows = pd.DataFrame({
        "indicator": ["balance_cv_sports_area_per_student_primary",
                      "balance_cv_sports_area_per_student_junior",
                      "balance_cv_multimedia_rooms_per_100_primary", "fitness_good_rate"],
        "value": [0.40, 0.40, NAN, 0.99],
        "threshold": [0.50, 0.45, 0.50, 0.50],  # the scorecard's limits
    })
    # 0.40 / 0.50 = 0.80 (primary) < 0.40 / 0.45 = 0.889 (junior): the junior one binds; non-CV rows ignored.
    assert views_city.binding_cv(rows) == "balance_cv_sports_area_per_student_junior"
    assert views_city.binding_cv(rows, "primary") == "balance_cv_sports_area_per_student_primary"
    assert views_city.binding_cv(rows.iloc[2:]) is None
    # A county override of the primary limit to 0.30: 0.40 / 0.30 = 1.33 > 0.889, the primary one binds.
    overridden = rows.assign(threshold=[0.30, 0.45, 0.50, 0.50])
    assert views_city.binding_cv(overridden) == "balance_cv_sports_area_per_student_primary"


def test_cv_matrix_has_all_fourteen_rows_and_marks_missing_cells():
    rows = pd.DataFrame({
        "county_code": ["2", "1", "1"], "county_name": ["乙", "甲", "甲"],
        "indicator": ["balance_cv_sports_area_per_student_primary"] * 2
                     + ["balance_cv_multimedia_rooms_per_100_junior"],
        "value": [0.61, 0.20, 0.30], "status": ["not_met", "met", "met"], "threshold": [0.50, 0.30, 0.45],
    })
    grid = views_city.cv_matrix(rows)
    assert grid.shape == (14, 2) and grid.columns.tolist() == ["甲", "乙"]  # counties in code order
    assert grid.loc["balance_cv_sports_area_per_student_primary", "乙"] == (0.61, "not_met", 0.50)
    value, status, limit = grid.loc["balance_cv_multimedia_rooms_per_100_junior", "乙"]
    assert math.isnan(value) and status == "no_data" and math.isnan(limit)
    # The limit column lists both counties' limits of the primary sports-area CV; each cell names its own.
    page = views_city._matrix_html(grid, "zh")
    assert "≤ 0.30 / 0.50" in page and "0.20 (≤ 0.30)" in page and "0.61 (≤ 0.50)" in page


# --- pages on the demo data -----------------------------------------------------------------------


def test_county_names_are_short_on_charts_and_full_in_tables(demo):
    assert views_city.county_names(_page(demo, "zh"))["441802"] == "清城区"
    assert views_city.county_names(_page(demo, "zh"), chart=True)["441802"] == "清城"
    english = views_city.county_names(_page(demo, "en"), chart=True)["441825"]
    assert english.replace("\n", " ") == "Lianshan Zhuang and Yao Autonomous County" and "\n" in english


def test_reference_lines_come_from_the_targets_or_the_item_27_setting(demo):
    page = _page(demo)
    assert views_city.reference_threshold(page, "fitness_good_rate") == 0.5
    assert views_city.reference_threshold(page, "temporary_teacher_ratio") == 0.05
    assert views_city.reference_threshold(page, "pupil_teacher_ratio_primary") is None


def test_city_scorecard_shows_targets_sentences_and_in_year_forecasts(demo):
    page = _page(demo, "en")
    with capture_output() as captured:
        views_city.show_city_header(page)
        views_city.show_city_scorecard(page)
        views_city.show_county_quotas(page)
    text = _html(captured)
    assert "Qingyuan City" in text and "synthetic demonstration data" in text
    assert "City-wide targets" in text and "Counties&#x27; parts of the city-wide targets" in text
    assert "City-level &#x27;three famous&#x27; studios" in text and "Plan text" in text
    # Forecast charts: the three seat targets (monthly figures), the groups applied and the placements
    # received and sent (quarterly); the stocks at the snapshot month have one point and no chart.
    assert _images(captured) == 6


def test_status_views_cover_every_county_and_section(demo):
    page = _page(demo)
    with capture_output() as captured:
        views_city.show_status_counts(page)
        views_city.show_status_heatmaps(page)
    text = _html(captured)
    assert "各县区县级目标状态统计" in text and "连南瑶族自治县" in text
    assert "二、全力推进教育高质量发展" in text and "五、全面实施“新强师工程”" in text
    assert _images(captured) == 4  # sections 2, 3, 5 and 7 hold county targets


def test_league_tables_draw_each_key_indicator_and_a_cv(demo):
    page = _page(demo, "en")
    with capture_output() as captured:
        views_city.show_league_tables(page)
    assert _images(captured) == len(views_city.LEAGUE_INDICATORS) + 1
    assert "item 27's 5.0 % line" in _html(captured)


def test_resource_inequality_view_says_the_share_between_counties(demo):
    page = _page(demo)
    with capture_output() as captured:
        views_city.show_resource_inequality(page)
    text = _html(captured)
    assert "来自县区之间" in text and "泰尔指数 T" in text and "基尼系数" in text


def test_balance_cv_table_colours_cells_by_status(demo):
    page = _page(demo)
    with capture_output() as captured:
        views_city.show_balance_cv_table(page)
        views_city.show_balance_cv_trends(page)
    text = _html(captured)
    assert text.count("<tr>") == 15  # header and the 14 coefficients
    assert "background:#D55E00" in text  # a not-met coefficient (英德市, primary backbone teachers)
    assert "个县区中有" in text and _images(captured) == 2


def test_trends_draw_small_multiples_since_the_first_year(demo):
    page = _page(demo, "en")
    with capture_output() as captured:
        views_city.show_trends(page)
    assert "Key indicators, 2019–2022" in _html(captured)
    assert _images(captured) == len(views_city.TREND_INDICATORS)


def test_small_counts_are_suppressed_in_the_context_table(demo):
    schools = demo.schools.copy()
    liannan = (schools["county_code"] == "441826") & (schools["year"] == YEAR)
    schools.loc[liannan, "teachers"] = 0.0
    schools.loc[schools.index[liannan][0], "teachers"] = 3.0  # the county has 3 full-time teachers
    page = _page(dataclasses.replace(demo, schools=schools))
    with capture_output() as captured:
        views_city.show_county_context(page)
    text = _html(captured)
    assert "&lt;5" in text and ">3<" not in text


def test_county_names_from_the_data_are_escaped(demo):
    table = demo.counties.table.copy()
    table.loc[table["county_code"] == "441826", "name_zh"] = "<script>alert(1)</script>县"
    page = _page(dataclasses.replace(demo, counties=CountyRegistry.from_frame(table)))
    with capture_output() as captured:
        views_city.show_county_context(page)
        views_city.show_status_counts(page)
        views_city.show_balance_cv_table(page)
    text = _html(captured)
    assert "<script>" not in text and text.count("&lt;script&gt;alert(1)&lt;/script&gt;县") == 3


def test_many_counties_are_cut_to_the_largest_and_the_page_says_so(demo, monkeypatch):
    monkeypatch.setattr(views_city, "MAX_COUNTIES_SHOWN", 3)
    page = _page(demo)
    # Pupils in 2022: 清城 210,479, 英德 167,535, 清新 108,779 are the three largest.
    assert views_city.shown_counties(page) == ["441802", "441803", "441881"]
    with capture_output() as captured:
        views_city.show_city_header(page)
        views_city.show_status_counts(page)
    text = _html(captured)
    assert "本地区共有 8 个县区" in text and "清城区" in text and "连南瑶族自治县" not in text
