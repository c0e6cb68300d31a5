"""Section 3's tables and views (and the task-progress view): the ranking window on tiny frames, every
frame and chart on the demo data."""

from __future__ import annotations

import dataclasses
import html
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from IPython.utils.capture import capture_output

from qyanalysis.contract.counties import CountyRegistry
from matplotlib.figure import Figure

from qyanalysis.present import charts_quality
from qyanalysis.report.frames import frame_html
from qyanalysis.report.page import SECTIONS, Page
from qyanalysis.report.tables import common
from qyanalysis.report.tables import moral_education as tables
from qyanalysis.report.views import common as views_common
from qyanalysis.report.views import moral_education as views

NAN = math.nan
YEAR = 2022
LIANNAN = "441826"
QINGCHENG = "441802"
LABELS = Path(charts_quality.__file__).resolve().parent / "labels_quality.json"


@pytest.fixture(scope="module", autouse=True)
def shell(ipython_shell):
    """Every test here captures rich display outputs."""
    return ipython_shell



@pytest.fixture(scope="module")
def liannan(demo):
    """Liannan's section-3 page in Chinese, shared so that its scorecard is computed once."""
    return _page(demo, LIANNAN, 3)


def _page(dataset, county: str, section: int, lang: str = "zh") -> Page:
    return Page(dataset, county, YEAR, lang, SECTIONS[section - 1])


def _table_rows(html_text: str) -> list[list[str]]:
    """The body cells of the tables in ``html_text``, unescaped, one list per row."""
    rows = re.findall(r"<tr>(.*?)</tr>", html_text)
    cells = [[html.unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)] for row in rows]
    return [row for row in cells if row]


def _run(view, page) -> tuple[str, int]:
    """The HTML/Markdown a view displays, and how many figures it shows."""
    with capture_output() as captured:
        view(page)
    text = "\n".join(o.data.get("text/html", "") + o.data.get("text/markdown", "") for o in captured.outputs)
    assert captured.stderr == ""
    return text, sum("image/png" in o.data for o in captured.outputs)


# --- pure helpers (rate_change is tested with the measures, tests/test_quality.py) ----------------


def _counties(n: int) -> pd.DataFrame:
    return pd.DataFrame({"county_code": [f"c{i:02d}" for i in range(n)], "value": np.arange(n, dtype=float)})


def test_nearest_in_rank_keeps_every_county_of_a_small_region_ranked():
    shown = common.nearest_in_rank(_counties(5), "value", "c01", size=10)
    assert shown["county_code"].tolist() == ["c04", "c03", "c02", "c01", "c00"]


def test_nearest_in_rank_gives_a_window_around_the_county():
    frame = _counties(30)  # ranked: c29 (rank 0) … c00 (rank 29)
    # c15 has rank 14: window of 10 starts at 14 − 5 = 9 → ranks 9..18 = c20 … c11.
    assert common.nearest_in_rank(frame, "value", "c15", size=10)["county_code"].tolist() == \
        [f"c{i:02d}" for i in range(20, 10, -1)]
    # The top and the bottom county: the window is clipped to the ends.
    assert common.nearest_in_rank(frame, "value", "c29", size=10)["county_code"].iloc[0] == "c29"
    assert common.nearest_in_rank(frame, "value", "c00", size=10)["county_code"].iloc[-1] == "c00"
    # The city (not a row): the first 5 and the last 5.
    city = common.nearest_in_rank(frame, "value", "441800", size=10)["county_code"].tolist()
    assert city == ["c29", "c28", "c27", "c26", "c25", "c04", "c03", "c02", "c01", "c00"]


def test_every_label_of_the_quality_catalogue_is_used_and_bilingual():
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    modules = (tables, common, views, views_common, charts_quality)  # the builders, views and charts that word them
    source = "\n".join(Path(module.__file__).read_text(encoding="utf-8") for module in modules)
    for key, entry in labels.items():
        assert key.startswith("report.quality."), key
        assert entry["zh"].strip() and entry["en"].strip(), key
        assert key.removeprefix("report.quality.") in source, f"unused label {key}"


# --- fitness and myopia by location and level ----------------------------------------------------


def _shown(frame) -> str:
    """The frame as the page shows it (title, house table, note)."""
    return frame_html(frame)


def test_fitness_by_group_shows_rates_with_intervals_and_the_target(liannan):
    frame = tables.fitness_by_group(liannan)
    text = _shown(frame)
    assert "体质健康优良率:按城乡和学段" in text
    assert "测试人数" in text and "区间下限" in text and "Wilson" in text
    assert "乡村" in text and "九年一贯制学校" in text
    assert frame["threshold"].iloc[0] == pytest.approx(0.5)  # the 50 % target line the chart draws
    assert isinstance(views.fitness_chart(frame), Figure)


def test_fitness_tested_share_by_group(liannan):
    frame = tables.fitness_tested_by_group(liannan)
    assert "体质测试覆盖率:按城乡和学段" in _shown(frame) and "在校生数" in _shown(frame)
    assert isinstance(views.tested_chart(frame), Figure)


def test_myopia_by_group_shows_the_rate_and_its_change(liannan):
    frame = tables.myopia_by_group(liannan)
    text = _shown(frame)
    assert "总体近视率及较上年变化:按城乡和学段" in text
    assert "较上年变化" in text and "Newcombe" in text and "个百分点" in text
    # the rates, then the changes against −0.5 points
    assert isinstance(views.myopia_chart(frame), Figure) and isinstance(views.myopia_change_chart(frame), Figure)
    assert frame["threshold"].iloc[0] == pytest.approx(-0.005)


def _with_small_school(demo) -> object:
    """The demo data plus a three-pupil special school in urban Liannan, screened for myopia."""
    schools = demo.schools
    extra = schools[(schools["county_code"] == LIANNAN) & (schools["year"] == YEAR)].head(1).copy()
    extra = extra.assign(school_id="9999999999", school_name="小校", level="special", location="urban",
                         students=3.0, myopia_screened=3.0, myopia_cases=2.0,
                         fitness_tested=NAN, fitness_excellent=NAN, fitness_good=NAN)
    return dataclasses.replace(demo, schools=pd.concat([schools, extra], ignore_index=True))


def test_a_group_of_fewer_than_five_pupils_is_suppressed(demo):
    from qyanalysis import settings

    # a bureau that screens its special schools too (the setting's documented extension)
    with settings.override(MYOPIA_LEVELS=(*settings.PRIMARY_SECONDARY_LEVELS, "special")):
        frame = tables.myopia_by_group(_page(_with_small_school(demo), LIANNAN, 3))
    text = _shown(frame)
    special = [row for row in _table_rows(text) if row[:2] == ["城区", "特殊教育学校"]]
    # 3 screened, 2 myopic: both counts hidden, and the rate (2/3 would give them away), its interval and
    # the change too — in the frame itself, not only on the page.
    assert special == [["城区", "特殊教育学校", "<5", "<5", "[c]", "[c]", "[c]", "[c]", "[c]", "[c]"]]
    row = frame[(frame["location"] == "urban") & (frame["level"] == "special")].iloc[0]
    assert row[["denominator", "numerator", "value", "ci_low", "change"]].isna().all()
    # Complementary suppression hides a second cell of each count column (no recovery from the total).
    assert sum(row[2] == "[c]" for row in _table_rows(text)) >= 1
    # The hidden group is not drawn.
    assert isinstance(views.myopia_chart(frame), Figure)


def test_a_missing_input_gives_no_data_not_zero(demo):
    schools = demo.schools.drop(columns=["fitness_tested", "fitness_excellent", "fitness_good"])
    frame = tables.fitness_by_group(_page(dataclasses.replace(demo, schools=schools), LIANNAN, 3))
    assert frame.empty and "无数据" in _shown(frame)
    chart = views.fitness_chart(frame)
    assert not isinstance(chart, Figure) and "无数据" in chart.data


# --- trends, league, city targets ----------------------------------------------------------------


def test_trends_cover_the_census_years_with_the_national_targets(liannan):
    frame = tables.quality_trends(liannan)
    text = _shown(frame)
    assert "2019–2022 年走势与国家目标" in text
    assert "50.0 %" in text and "0.5 个百分点" in text and "教体艺〔2018〕3号" in text
    # Liannan 2022: 10206/21381 = 0.477340 against 10529/21912 = 0.480513 in 2021 → −0.32 points.
    assert "−0.3 个百分点" in text
    assert frame.loc[frame["year"] == YEAR, "value"].iloc[0] == pytest.approx(-0.003173, abs=1e-6)
    assert isinstance(views.trends_chart(frame), Figure)


def test_trends_of_the_city_pool_every_county_in_english(demo):
    frame = tables.quality_trends(_page(demo, demo.counties.city_code, 3, "en"))
    assert "Trends 2019–2022 against the national targets" in _shown(frame)
    assert isinstance(views.trends_chart(frame), Figure)


def test_league_compares_the_county_with_the_others_on_each_item_13_target(liannan):
    for indicator in tables.LEAGUE_INDICATORS:
        frame = tables.quality_league(liannan, indicator)
        assert "连南瑶族自治县与其他县区比较" in _shown(frame)
        assert "连南瑶族自治县(本县)" in frame["county_name"].tolist()
        assert isinstance(views.quality_league_chart(frame), Figure)


def test_city_targets_list_each_county_the_city_total_and_the_target(demo):
    frame = common.city_count_targets(_page(demo, QINGCHENG, 4, "en"))
    text = _shown(frame)
    assert "Qingcheng District (this county)" in text
    assert "City total" in text and "City target" in text
    assert "Education groups applying as provincial high-quality groups" in text


def test_data_derived_names_are_escaped(demo):
    table = demo.counties.table.copy()
    table.loc[table["county_code"] == LIANNAN, "name_zh"] = "<script>alert(1)</script>"
    page = _page(dataclasses.replace(demo, counties=CountyRegistry.from_frame(table)), LIANNAN, 3)
    for frame in (common.city_count_targets(page), tables.quality_league(page)):
        text = _shown(frame)
        assert "<script>" not in text
        assert "&lt;script&gt;" in text
