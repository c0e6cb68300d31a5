"""What every page builds and shows (qyanalysis.report.tables.common, views.common, show), the overview's
tables and the key tasks of item 34, on the demo data."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest
from IPython.utils.capture import capture_output
from matplotlib.figure import Figure

from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.contract.plan import SECTIONS
from qyanalysis.present import charts_quality
from qyanalysis.report import show, tables, views
from qyanalysis.report.frames import frame_html
from qyanalysis.report.page import Page
from qyanalysis.report.tables import common

YEAR = 2022
LIANNAN = "441826"
QINGXIN = "441803"
QUALITY_LABELS = Path(charts_quality.__file__).with_name("labels_quality.json")


@pytest.fixture(scope="module", autouse=True)
def shell(ipython_shell):
    """Every test here captures rich display outputs."""
    return ipython_shell



def _page(dataset, county: str, section: int | None, lang: str = "zh") -> Page:
    code = dataset.counties.city_code if county == "city" else county
    return Page(dataset, code, YEAR, lang, SECTIONS[section - 1] if section else None)


def _text(captured) -> str:
    return "\n".join(o.data.get("text/html", "") + o.data.get("text/markdown", "") for o in captured.outputs)


# --- targets and items --------------------------------------------------------------------------------


def test_item_targets_carry_whose_row_each_is(demo):
    page = _page(demo, QINGXIN, 2, "en")
    targets = tables.item_targets(page, 6)
    # Item 6 (school places): the city's seat targets and the county's own reading of them.
    assert set(targets["row_scope"]) <= {"city", "county", "city_target"} and "city" in set(targets["row_scope"])
    assert (targets["item"] == 6).all()
    sentences = views.target_sentences(targets).data
    assert sentences.count("<li>") == len(targets) and "Plan target" in sentences


def test_in_year_trend_reads_the_city_months_or_their_sum(demo):
    page = _page(demo, QINGXIN, 2)
    card = page.scorecard
    row = card[card["forecast"].notna() & (card["level"] == "city")].iloc[0]
    series = tables.in_year_trend(page, row["target_id"], row["county_code"])
    assert len(series) >= 2 and series["period"].str.fullmatch(r"\d{4}-\d{2}").all()
    assert (series["forecast"] == row["forecast"]).all() and (series["threshold"] == row["threshold"]).all()
    chart = views.in_year_trend_chart(series)
    assert isinstance(chart, Figure)
    from qyanalysis.present.style import figure_alt

    # Whose figure it is, in the title (a county page shows the city's forecast beside its own).
    city_name = page.dataset.counties.name(row["county_code"], "zh")
    assert figure_alt(chart).endswith(f"（{city_name}）")
    own = card[card["forecast"].notna() & (card["county_code"] == QINGXIN)]
    if not own.empty:
        title = figure_alt(views.in_year_trend_chart(tables.in_year_trend(page, own["target_id"].iloc[0])))
        assert title.endswith(f"（{page.county_name}）")
    # No forecast for this unit: an empty frame, and the view says there is nothing to draw.
    assert tables.in_year_trend(page, row["target_id"], LIANNAN).empty


def test_summary_targets_draw_one_bar_per_indicator_with_a_value(demo):
    page = _page(demo, QINGXIN, 2)
    drawn = tables.summary_targets(page)
    assert not drawn["status"].isin(["no_data", "not_applicable"]).any()
    assert drawn["indicator"].is_unique
    assert isinstance(views.summary_chart(drawn), Figure)


def test_section_page_blocks_show_header_summary_and_every_item(demo):
    page = _page(demo, QINGXIN, 2, "en")
    with capture_output() as captured:
        show.show_header(page)
        show.show_summary(page)
        show.show_items(page)
    text = _text(captured)
    assert "synthetic demonstration data" in text and "Qingxin District" in text
    for item in page.items:
        assert f'id="item-{item}"' in text
    assert sum("image/png" in o.data for o in captured.outputs) >= 2  # summary chart and in-year trends


def test_the_items_are_shown_from_the_section_frame_a_researcher_may_change(demo):
    """show_items(page, targets): unchanged, the same page as show_items(page); a value changed in the
    frame is the value shown; each item's table shows its rows without the item column."""
    page = _page(demo, QINGXIN, 2, "en")
    targets = tables.section_targets(page)
    assert set(targets["item"]) <= set(page.items)
    with capture_output() as default:
        show.show_items(page)
    with capture_output() as from_frame:
        show.show_items(page, targets)
    assert _text(from_frame) == _text(default)
    one = tables.item_rows(targets, 8)
    assert frame_html(one) == frame_html(tables.item_targets(page, 8))
    changed = targets.copy()
    row = changed.index[(changed["item"] == 8) & (changed["unit"] == "share") & changed["value"].notna()][0]
    changed.loc[row, "value"] = 0.4321
    with capture_output() as edited:
        show.show_items(page, changed)
    assert "43.2 %" in _text(edited) and "43.2 %" not in _text(default)


def test_item_tasks_word_the_status_and_say_when_the_plan_list_stands_in(demo):
    page = _page(dataclasses.replace(demo, tasks=None), LIANNAN, 1)
    tasks = tables.item_tasks(page, 1)
    assert not tasks.empty and (tasks["progress"] == "未开始").all()
    text = frame_html(tasks)
    assert "任务进展" in text and "尚未提供本县任务进展数据" in text


def test_the_city_page_header_says_when_counties_are_cut(demo, monkeypatch):
    monkeypatch.setattr(common, "MAX_COUNTIES_SHOWN", 3)
    with capture_output() as captured:
        show.show_header(_page(demo, "city", None))
    text = _text(captured)
    assert "清远市 · 全市对比 · 2022 年" in text
    assert "本地区共有 8 个县区" in text


# --- task progress ----------------------------------------------------------------------------------


def test_task_progress_of_a_county_counts_its_tasks_by_item_and_status(demo):
    progress = tables.task_progress(_page(demo, LIANNAN, 1))
    # Liannan's demo tasks for items 1–4 (tasks.csv): item 1 completed + not started, item 2 delayed +
    # not started, item 3 completed + not started, item 4 in progress → 7 tasks.
    assert progress["total"].tolist() == [2, 2, 2, 1]
    text = frame_html(progress)
    assert "任务进展汇总" in text
    assert "本部分共 7 项任务:已完成 2 项,推进中 1 项,滞后 1 项,未开始 3 项,已取消 0 项" in text
    assert "坚持不懈全面从严治党" in text  # item 4's title in the table
    assert isinstance(views.task_progress_chart(progress), Figure)


def test_task_progress_of_the_city_sums_every_reported_task(demo):
    text = frame_html(tables.task_progress(_page(demo, "city", 4, "en")))
    assert "City-wide: the tasks reported by every county and by the city." in text and "School groups" in text


def test_task_progress_without_a_tasks_table_says_the_plan_list_is_shown(demo):
    progress = tables.task_progress(_page(dataclasses.replace(demo, tasks=None), LIANNAN, 1))
    assert "尚未提供本县任务进展数据" in frame_html(progress)
    assert (progress["not_started"] == progress["total"]).all()


def test_every_label_of_the_quality_catalogue_is_bilingual_and_the_task_labels_are_used():
    labels = json.loads(QUALITY_LABELS.read_text(encoding="utf-8"))
    source = Path(common.__file__).read_text(encoding="utf-8") + Path(charts_quality.__file__).read_text(
        encoding="utf-8")
    for key, entry in labels.items():
        assert entry["zh"].strip() and entry["en"].strip(), key
        if key.startswith("report.quality.task_"):
            assert key.removeprefix("report.quality.") in source, f"unused label {key}"


# --- item 34: key tasks -----------------------------------------------------------------------------


def test_key_tasks_of_the_city_list_every_county_and_the_total_against_60(demo):
    key = tables.key_tasks(_page(demo, "city", 7, "en"))
    assert len(key) == len(demo.counties.codes) + 1  # every county and the city's own row
    assert "completed 35 key tasks (60 registered)" in key.attrs["qy"].note
    assert "against a target of 60" in frame_html(key)


def test_a_county_page_lists_its_own_key_tasks(demo):
    key = tables.key_tasks(_page(demo, LIANNAN, 7))
    assert key["county_code"].tolist() == [LIANNAN]
    text = frame_html(key)
    assert "连南瑶族自治县" in text and "清城区" not in text and "全市已完成重点工作 35 项" in text


def test_key_tasks_without_a_tasks_table_say_so(demo):
    key = tables.key_tasks(_page(dataclasses.replace(demo, tasks=None), LIANNAN, 7))
    assert key.empty and "未提供重点工作进展数据" in frame_html(key)


def test_key_tasks_of_a_large_region_say_the_table_is_cut(demo, monkeypatch):
    monkeypatch.setattr(common, "MAX_COUNTIES_SHOWN", 3)
    key = tables.key_tasks(_page(demo, "city", 7, "en"))
    assert len(key) == 3 + 1 and "lists the 3 counties with the most pupils (of 8)" in frame_html(key)


def test_county_names_from_data_are_escaped_in_the_key_tasks(demo):
    table = demo.counties.table.copy()
    table.loc[table["county_code"] == LIANNAN, "name_zh"] = "<script>alert(1)</script>县"
    page = _page(dataclasses.replace(demo, counties=CountyRegistry.from_frame(table)), "city", 7)
    text = frame_html(tables.key_tasks(page))
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;县" in text


# --- the overview -----------------------------------------------------------------------------------


def test_status_by_section_counts_every_target_of_the_page(demo):
    page = _page(demo, QINGXIN, None)
    by_section = tables.status_by_section(page)
    assert by_section["section"].tolist() == [str(s.number) for s in SECTIONS]
    card = page.scorecard
    # The county's own targets by status; the city's, which the page shows beside them, in a column apart.
    assert by_section["total"].sum() == int((card["level"] == "county").sum())
    assert by_section["city"].sum() == int((card["level"] == "city").sum())
    section2 = card[(card["section"] == 2) & (card["level"] == "county")]
    assert by_section.set_index("section").loc["2", "met"] == int((section2["status"] == "met").sum())
    text = frame_html(by_section)
    assert "各部分目标状态" in text and "二、全力推进教育高质量发展" in text  # sections by their titles


def test_section_links_list_all_37_items_with_their_targets(demo):
    page = _page(demo, QINGXIN, None, "en")
    links = tables.section_links(page)
    assert links["item"].tolist() == list(range(1, 38))
    card = page.scorecard
    item8 = card[card["item"] == 8]
    assert links.set_index("item").loc[8, "targets"] == int((item8["level"] == "county").sum())
    assert links.set_index("item").loc[8, "city"] == int((item8["level"] == "city").sum())
    assert pd.api.types.is_integer_dtype(links["met"])


def test_task_status_order_covers_every_status_of_the_contract():
    from qyanalysis.contract.columns import TASK_STATUSES

    assert sorted(charts_quality.TASK_STATUS_ORDER) == sorted(TASK_STATUSES)
    assert set(charts_quality.TASK_STATUS_STYLE) == set(TASK_STATUSES)
