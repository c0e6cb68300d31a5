"""The city comparison page (qyanalysis.report.tables.city, views.city) on the demo data: what each frame
holds, what the page shows of it, disclosure control and escaping; the county maps."""

from __future__ import annotations

import dataclasses
import math
import re

import pandas as pd
import pytest
from IPython.display import HTML

from qyanalysis import settings
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.report import open_page, tables, views
from qyanalysis.report.frames import frame_html
from qyanalysis.report.page import Page
from qyanalysis.report.tables import city, common
from qyanalysis.report.tables.development import CV_CODES

YEAR = 2022


@pytest.fixture(scope="module")
def demo():
    """The demo dataset, loaded once (each test builds its own Page: pages cache their results)."""
    return open_page("city", YEAR, "", "zh").dataset


def _page(dataset, lang: str = "zh") -> Page:
    return Page(dataset, dataset.counties.city_code, YEAR, lang)


def _images(shown: HTML) -> int:
    return shown.data.count("<img ")


def test_county_names_are_full_in_tables_short_on_charts_and_maps(demo):
    codes = pd.Series(["441802", "441825"])
    assert common.county_names(_page(demo, "zh"), codes).tolist() == ["清城区", "连山壮族瑶族自治县"]
    assert common.county_names(_page(demo, "zh"), codes, "chart").iloc[0] == "清城"
    english = common.county_names(_page(demo, "en"), codes, "chart").iloc[1]
    assert english.replace("\n", " ") == "Lianshan Zhuang and Yao Autonomous County" and "\n" in english
    assert common.county_names(_page(demo, "en"), codes, "map").tolist() == ["Qingcheng", "Lianshan"]


def test_reference_lines_come_from_the_targets_or_the_item_27_setting(demo):
    page = _page(demo)
    assert city.reference_threshold(page, "fitness_good_rate") == 0.5
    assert city.reference_threshold(page, "temporary_teacher_ratio") == 0.05
    assert city.reference_threshold(page, "pupil_teacher_ratio_primary") is None


def test_city_targets_show_table_sentences_and_in_year_forecasts(demo):
    page = _page(demo, "en")
    targets = tables.city_targets(page)
    text = frame_html(targets) + views.target_sentences(targets).data
    assert "City-wide targets" in text
    assert "City-level &#x27;three famous&#x27; studios" in text and "Plan target" in text
    # Forecast charts: the three seat targets (monthly figures), the groups applied and the placements
    # received and sent (quarterly); the stocks at the snapshot month have one point and no chart.
    forecast = targets[targets["forecast"].notna()]
    drawn = [tables.in_year_trend(page, row.target_id, row.county_code) for row in forecast.itertuples()]
    assert sum(not frame.empty for frame in drawn) == 6
    quotas = frame_html(tables.county_quotas(page))
    assert "Counties&#x27; parts of the city-wide targets" in quotas


def test_status_counts_tally_each_county_and_heatmaps_cover_the_sections(demo):
    page = _page(demo)
    counts = tables.county_status_counts(page)
    card = page.all_counties_scorecard
    rows = card[card["level"] == "county"]  # a county's own targets: its part of city-wide ones too
    for code, row in counts.set_index("county_code").iterrows():
        assert row["met"] == int(((rows["county_code"] == code) & (rows["status"] == "met")).sum())
        assert row["total"] == int((rows["county_code"] == code).sum())
    assert counts["met"].is_monotonic_decreasing  # most met first
    text = frame_html(counts)
    assert "各县区本县区目标状态统计" in text and "连南瑶族自治县" in text
    assert f"共 {int((card['level'] == 'city').sum())} 项" in text  # the city's targets, counted apart
    heatmaps = views.status_heatmaps(tables.county_statuses(page)).data
    assert "二、全力推进教育高质量发展" in heatmaps and "五、全面实施“新强师工程”" in heatmaps
    assert heatmaps.count("<img ") == 4  # sections 2, 3, 5 and 7 hold county targets


def test_league_tables_draw_each_key_indicator_and_a_cv(demo):
    page = _page(demo, "en")
    leagues = tables.league_tables(page)
    assert leagues["indicator"].nunique() == len(city.LEAGUE_INDICATORS) + 1
    assert leagues["indicator"].iloc[-1] in CV_CODES  # the binding 差异系数 last
    assert _images(views.league_charts(leagues)) == len(city.LEAGUE_INDICATORS) + 1
    assert "item 27&#x27;s 5.0 % line" in frame_html(leagues)


def test_resource_inequality_says_the_share_between_counties(demo):
    text = frame_html(tables.resource_inequality(_page(demo)))
    assert "来自县区之间" in text and "泰尔指数 T" in text and "基尼系数" in text


def test_balance_cv_matrix_colours_cells_by_status(demo):
    page = _page(demo)
    matrix = tables.balance_cv_matrix(page)
    text = views.cv_matrix_table(matrix).data
    assert text.count("<tr>") == 15  # header and the 14 coefficients
    assert "background:#D55E00" in text  # a not-met coefficient (英德市, primary backbone teachers)
    assert "个县区中有" in text
    assert _images(views.trend_panels(tables.balance_cv_trends(page))) == 1  # primary and junior, one figure


def test_cv_matrix_names_each_countys_own_limit_where_they_differ(demo):
    row = pd.DataFrame({"target_id": ["t08_balance_cv_sports_area_per_student_primary"], "county_code": ["441802"],
                        "threshold": [0.30], "comparator": [pd.NA], "source": ["test"]})
    overrides = row if demo.targets_override is None else pd.concat([demo.targets_override, row], ignore_index=True)
    page = _page(dataclasses.replace(demo, targets_override=overrides))
    matrix = tables.balance_cv_matrix(page).set_index("indicator")
    code = "balance_cv_sports_area_per_student_primary"
    assert matrix.loc[code, "limit"] == "≤ 0.30 / 0.50"
    assert matrix.loc[code, "own_limit_441802"] == pytest.approx(0.30)
    assert math.isnan(matrix.loc["balance_cv_sports_area_per_student_junior", "own_limit_441802"])
    assert "(≤ 0.30)" in views.cv_matrix_table(tables.balance_cv_matrix(page)).data


def test_trends_draw_small_multiples_since_the_first_year(demo):
    trends = tables.key_trends(_page(demo, "en"))
    shown = views.trend_panels(trends)
    assert "Key indicators, 2019–2022" in shown.data
    assert _images(shown) == 1  # one figure: a row per county, a column per indicator
    alt = re.search(r'<img[^>]*alt="([^"]*)"', shown.data).group(1)
    assert alt.count(";") == len(city.TREND_INDICATORS) - 1  # every indicator's heading names the figure


def test_small_counts_are_suppressed_in_the_context_table(demo):
    schools = demo.schools.copy()
    liannan = (schools["county_code"] == "441826") & (schools["year"] == YEAR)
    schools.loc[liannan, "teachers"] = 0.0
    schools.loc[schools.index[liannan][0], "teachers"] = 3.0  # the county has 3 full-time teachers
    context = tables.county_context(_page(dataclasses.replace(demo, schools=schools)))
    row = context.set_index("county_code").loc["441826"]
    assert math.isnan(row["teachers_count"])  # hidden in the frame itself, not only on the page
    text = frame_html(context)
    assert "&lt;5" in text and ">3<" not in text


def test_county_names_from_the_data_are_escaped(demo):
    table = demo.counties.table.copy()
    # the full name and the short one (the CV table's header)
    table.loc[table["county_code"] == "441826", ["name_zh", "short_zh"]] = "<script>alert(1)</script>县"
    page = _page(dataclasses.replace(demo, counties=CountyRegistry.from_frame(table)))
    text = (frame_html(tables.county_context(page)) + frame_html(tables.county_status_counts(page))
            + views.cv_matrix_table(tables.balance_cv_matrix(page)).data)
    assert "<script>" not in text and text.count("&lt;script&gt;alert(1)&lt;/script&gt;县") == 3


def test_many_counties_are_cut_to_the_largest_and_the_page_says_so(demo, monkeypatch):
    monkeypatch.setattr(common, "MAX_COUNTIES_SHOWN", 3)
    page = _page(demo)
    # Pupils in 2022: 清城 210,479, 英德 167,535, 清新 108,779 are the three largest.
    assert common.shown_counties(page) == ["441802", "441803", "441881"]
    assert "本地区共有 8 个县区" in common.counties_cut_note(page, whole_page=True)
    assert "本表列出在校生最多的 3 个县区" in common.counties_cut_note(page)
    text = frame_html(tables.county_status_counts(page))
    assert "清城区" in text and "连南瑶族自治县" not in text


# --- county maps ------------------------------------------------------------------------------------


def test_map_values_match_the_scorecard(demo):
    page = _page(demo)
    card = page.all_counties_scorecard
    own = card[card["level"] == "county"]  # not met: of a county's own targets, as the index's map counts
    values = tables.county_map_values(page).set_index("county_code")
    assert sorted(values.index) == demo.counties.codes and values.loc["441802", "county_name"] == "清城"
    for code in demo.counties.codes:
        rows = own[own["county_code"] == code]
        assert values.loc[code, "not_met"] == pytest.approx(float((rows["status"] == "not_met").sum()))
        cv_rows = rows[rows["indicator"].isin(CV_CODES)]
        met = int((cv_rows["status"] == "met").sum())
        assert values.loc[code, "cv_text"] == f"{met}/14 项达标"
        expected = "not_met" if (cv_rows["status"] == "not_met").any() else "met" if met == 14 else "no_data"
        assert values.loc[code, "status"] == expected


def test_county_with_no_targets_is_no_data_not_zero(demo):
    page = _page(demo)
    card = page.all_counties_scorecard
    page.__dict__["all_counties_scorecard"] = card[card["county_code"] != "441825"]  # 连山 not assessed
    values = tables.county_map_values(page).set_index("county_code")
    assert math.isnan(values.loc["441825", "not_met"]) and values.loc["441825", "status"] == "no_data"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_maps_draw_two_maps_with_the_review_note(demo, lang):
    shown = views.county_maps(tables.county_map_values(_page(demo, lang)))
    assert _images(shown) == 2 and "审图号" in shown.data
    assert ("示意图" in shown.data) if lang == "zh" else ("A diagram" in shown.data)


def test_boundaries_setting_without_outlines_still_draws_tiles(demo, monkeypatch):
    from qyanalysis.present import maps

    monkeypatch.setattr(settings, "MAP_BACKEND", "boundaries")
    monkeypatch.setattr(maps, "cnmaps_boundaries", lambda codes: None)  # as without the extra
    assert _images(views.county_maps(tables.county_map_values(_page(demo)))) == 2
