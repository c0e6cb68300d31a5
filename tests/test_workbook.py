"""Scorecard workbooks (``qyanalysis.present.workbook``): opened with openpyxl and checked cell by cell.

Headers (zh and en), number formats by unit, status colours as conditional
formatting, frozen panes, the auto-filter, the demo notice on every sheet,
the 说明 sheet, every value against ``scorecard.csv``, and the runner
writing the workbooks incrementally.
"""

from __future__ import annotations

import json
import operator
import os
import re
import shutil
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import qyanalysis as qy
from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.present import workbook
from qyanalysis.present.labels import (
    catalogue,
    demo_banner,
    has_label,
    indicator_label,
    section_title,
    status_label,
    t,
)
from qyanalysis.contract.tallies import TARGET_STATUSES
from qyanalysis.present.palette import STATUS_COLOURS, STATUSES
from qyanalysis.present.shown import shown_row
from qyanalysis.present.workbook_cells import display_width, sheet_title
from qyanalysis.runner import outputs

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
TESTS = Path(__file__).resolve().parent
HEADER_ROW, FIRST_ROW = 3, 4
# Text columns of a scorecard, their words' catalogue prefix (the workbook shows words, the CSV codes).
WORDED = {"status": "status", "comparator": "comparator", "unit": "unit", "theme": "theme", "scope": "scope",
          "scope_note": "scope_note", "rule": "rule", "threshold_source": "threshold_source",
          "level": "scorecard_level"}


@pytest.fixture(scope="module")
def dataset():
    return qy.load_dataset(DEMO)


@pytest.fixture(scope="module")
def card(dataset):
    return qy.scorecard(dataset, "441803", 2022)  # 清新区


@pytest.fixture(scope="module")
def every_card(dataset):
    """Every county's rows and the city's rows of 2022, by unit."""
    frame = qy.scorecard(dataset, None, 2022)
    counties = {code: frame[(frame["county_code"] == code) & (frame["level"] == "county")]
                for code in dataset.counties.codes}
    return counties, frame[frame["level"] == "city"]


def small_frame(**extra) -> pd.DataFrame:
    """Four hand-made scorecard rows, one per number format worth checking."""
    frame = pd.DataFrame({
        "target_id": ["t1", "t2", "t3", "t4"], "item": [6, 8, 25, 34], "indicator": ["a", "b", "c", "d"],
        "county_code": "441803", "year": 2022,
        "value": [0.853, -0.005, 1_234_567.0, 0.452], "comparator": [">=", "<=", ">=", "<="],
        "threshold": [0.85, -0.005, 1_000_000.0, 0.45], "status": ["met", "met", "on_track", "not_met"],
        "section": [2, 3, 5, 7], "theme": ["provision", "quality", "staffing", "funding"],
        "unit": ["share", "pp", "yuan", "ratio"], "period": ["", "", "2022-09", ""],
        "quote": ["公办园在园幼儿占比达50%以上。", "近视率每年降低0.5个百分点以上。", "…", "…"],
        "note": ["", "=HYPERLINK(\"http://x\")", "bell\x07", ""],
        "label_zh": ["占比", "近视率变化", "经费", "比值"],
        "label_en": ["share", "myopia change", "funding", "ratio"],
    })
    for name, values in extra.items():
        frame[name] = values
    return frame


def info(lang="zh", demo=True, **kwargs) -> workbook.BookInfo:
    defaults = {"as_of": None, "data_hash": "ab" * 32, "methods_link": "../methods.html"}
    return workbook.book_info([small_frame()], lang, demo=demo, **(defaults | kwargs))


def write(tmp_path: Path, payload: bytes, name="book.xlsx"):
    path = tmp_path / name
    path.write_bytes(payload)
    return load_workbook(path)


def headers(sheet) -> list[str]:
    return [c.value for c in sheet[HEADER_ROW] if c.value is not None]


def column_of(sheet, header: str) -> int:
    return headers(sheet).index(header) + 1


def about_pairs(sheet) -> tuple[dict[str, str], dict[str, str]]:
    """The About sheet's facts (from row 4 to the first empty row), and every other (label, text) pair."""
    rows = [row[:2] for row in sheet.iter_rows(min_row=FIRST_ROW, values_only=True)]
    end = next(i for i, row in enumerate(rows) if row[0] is None)
    return dict(rows[:end]), {a: b for a, b in rows[end:] if a is not None}


def rules_by_range(sheet) -> dict[str, list]:
    return {str(cf.sqref): list(cf.rules) for cf in sheet.conditional_formatting}


# ---- headers, formats, colours, layout -----------------------------------------------------------------


def test_county_workbook_headers_in_chinese_and_english(tmp_path, card):
    zh = write(tmp_path, workbook.county_workbook(card, info("zh"), "清新区"), "zh.xlsx")
    en = write(tmp_path, workbook.county_workbook(card, info("en"), "Qingxin"), "en.xlsx")
    assert zh.sheetnames == ["目标达成", "说明"] and en.sheetnames == ["Scorecard", "About"]
    zh_headers, en_headers = headers(zh["目标达成"]), headers(en["Scorecard"])
    assert zh_headers[:7] == ["计划条目", "指标名称", "状态", "实际值", "比较方式", "目标值", "单位"]
    assert en_headers[:7] == ["Plan item", "Indicator", "Status", "Value", "Comparator", "Target", "Unit"]
    assert {"计划原文", "备注", "目标值来源", "判定规则", "层级", "指标代码", "目标编号"} <= set(zh_headers)
    assert {"Plan text", "Note", "Target source", "Rule", "Level", "Indicator code",
            "Target ID"} <= set(en_headers)
    # one name column in the workbook's language; the other language's name is left out
    assert "指标名称(英文)" not in zh_headers and len(zh_headers) == len(card.columns) - 1
    sheet = zh["目标达成"]
    names = [sheet.cell(row=r, column=2).value for r in range(FIRST_ROW, FIRST_ROW + len(card))]
    assert names == list(card["label_zh"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headers_are_unique(lang):
    every = small_frame(p_meet=0.5, as_of="", coverage="", scope_note="", scope="", rule="", level="",
                        threshold_source="", previous_value=0.0, ci_low=0.0, ci_high=0.0, forecast=0.0,
                        forecast_low=0.0, forecast_high=0.0, numerator=0.0, denominator=0.0)
    shown = [c.header for c in workbook.workbook_columns(every, lang)]
    assert len(shown) == len(set(shown)) == len(workbook.COLUMN_ORDER)


def test_numbers_are_stored_as_numbers_with_a_format_per_unit(tmp_path):
    book = write(tmp_path, workbook.county_workbook(small_frame(), info(), "清新区"))
    sheet = book["目标达成"]
    value, threshold = column_of(sheet, "实际值"), column_of(sheet, "目标值")
    cells = [sheet.cell(row=FIRST_ROW + i, column=value) for i in range(4)]
    assert [c.data_type for c in cells] == ["n"] * 4
    assert cells[0].value == pytest.approx(0.853) and cells[0].number_format == "0.0%"  # shows 85.3%
    # percentage points are stored in points: −0.005 (a fall of half a point) → −0.5
    assert cells[1].value == pytest.approx(-0.5)
    assert cells[1].number_format == '+0.0" 个百分点";-0.0" 个百分点";0.0" 个百分点"'
    assert cells[2].value == pytest.approx(1_234_567.0) and cells[2].number_format == '#,##0" 元"'
    assert cells[3].value == pytest.approx(0.452) and cells[3].number_format == "0.00#"  # 0.452, never 0.45
    assert sheet.cell(row=FIRST_ROW, column=threshold).value == pytest.approx(0.85)
    english = write(tmp_path, workbook.county_workbook(small_frame(), info("en"), "Qingxin"), "en.xlsx")
    cell = english["Scorecard"].cell(row=FIRST_ROW + 2, column=column_of(english["Scorecard"], "Value"))
    assert cell.number_format == '#,##0" yuan"'
    item = sheet.cell(row=FIRST_ROW, column=1)
    assert item.value == 6 and item.data_type == "n"


def test_a_row_shows_the_decimals_its_status_needs_and_counts_whole(tmp_path):
    """Issue 17: the cells read as the pages (qyanalysis.present.shown): never "0.5% ≤ 0.5%" for a row not met."""
    frame = small_frame(forecast=[float("nan"), float("nan"), 25030.67, float("nan")])
    frame["value"] = [0.005492, -0.0049, 23.0, 0.452]  # 0.55 % ≤ 0.5 %; −0.49 ≤ −0.5 points; 23 ≥ 71.29 persons
    frame["threshold"] = [0.005, -0.005, 71.29, 0.45]
    frame["comparator"] = ["<=", "<=", ">=", "<="]
    frame["status"] = "not_met"
    frame["unit"] = ["rate", "pp", "count", "ratio"]
    sheet = write(tmp_path, workbook.county_workbook(frame, info(), "x"))["目标达成"]
    value, threshold = column_of(sheet, "实际值"), column_of(sheet, "目标值")
    forecast = column_of(sheet, "年末预测")
    cell = lambda row, column: sheet.cell(row=FIRST_ROW + row, column=column)  # noqa: E731
    assert cell(0, value).number_format == cell(0, threshold).number_format == "0.00%"  # 0.55% vs 0.50%
    assert cell(1, value).value == pytest.approx(-0.49)
    assert cell(1, threshold).number_format == '+0.00" 个百分点";-0.00" 个百分点";0.00" 个百分点"'
    assert cell(2, threshold).value == 72 and cell(2, threshold).number_format == "#,##0"  # at least 71.29 persons
    assert cell(2, forecast).value == pytest.approx(25030.67)  # Excel's "#,##0" shows 25,031, as the pages
    assert cell(3, value).number_format == "0.00#"  # 0.452 against 0.45 reads apart already


def excel_shows(value: float, number_format: str) -> Decimal:
    """The number Excel shows for ``value`` under ``number_format`` (its first section): × 100 under "%", rounded
    half away from zero to the format's decimals."""
    section = number_format.split(";")[0]
    digits = re.search(r"0(?:\.([0#]+))?", section)
    decimals = len(digits.group(1) or "") if digits else 0
    scaled = Decimal(repr(value)) * (100 if "%" in section else 1)
    return scaled.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def test_every_demo_row_reads_in_the_workbook_as_its_status(tmp_path, every_card):
    """Issue 17, finding 10: in every unit's workbook a met row's value and threshold, as Excel shows them,
    compare as met, a not-met row's as not met; a count's cells show whole numbers."""
    counties, city = every_card
    compares = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
    checked = 0
    for card in [*counties.values(), city]:
        card = card.reset_index(drop=True)
        sheet = write(tmp_path, workbook.county_workbook(card, info(), "x"))["目标达成"]
        value, threshold = column_of(sheet, "实际值"), column_of(sheet, "目标值")
        for i, target in card.iterrows():
            if target["status"] not in ("met", "not_met") or target["unit"] == "flag":
                continue
            shown = [sheet.cell(row=FIRST_ROW + i, column=c) for c in (value, threshold)]
            v, line = (excel_shows(c.value, c.number_format) for c in shown)
            assert compares[target["comparator"]](v, line) == (target["status"] == "met"), (target["target_id"], v, line)
            if target["unit"] == "count":
                assert all(x == x.to_integral_value() for x in (v, line))
            checked += 1
    assert checked > 300


def test_change_count_and_probability_formats(tmp_path):
    frame = small_frame(p_meet=[0.93, float("nan"), 0.5, 0.1])
    frame["unit"] = ["change", "count", "count", "share"]
    sheet = write(tmp_path, workbook.county_workbook(frame, info(), "x"))["目标达成"]
    value = column_of(sheet, "实际值")
    assert sheet.cell(row=FIRST_ROW, column=value).number_format == "+0.0%;-0.0%;0.0%"
    assert sheet.cell(row=FIRST_ROW + 1, column=value).number_format == "#,##0"
    probability = column_of(sheet, "达标概率")
    assert sheet.cell(row=FIRST_ROW, column=probability).value == pytest.approx(0.93)
    assert sheet.cell(row=FIRST_ROW, column=probability).number_format == "0%"
    assert sheet.cell(row=FIRST_ROW + 1, column=probability).value is None  # not forecast: empty, never 0


def test_person_counts_of_one_to_four_are_written_as_under_five(tmp_path):
    """Numerator and denominator of a rate over persons: 1–4 → "<5"; 0, 5 and counts of schools are shown."""
    frame = small_frame(numerator=[3.0, 0.0, 4.4, 3.0], denominator=[20_000.0, 5.0, 2.0, 4.0])
    # dropouts (a rate over persons), myopia change (over persons), fitness (over persons), resource rooms (schools)
    frame["indicator"] = ["compulsory_dropout_rate", "myopia_rate_change", "fitness_good_rate",
                          "resource_room_coverage"]
    assert CATALOGUE["compulsory_dropout_rate"].interval and not CATALOGUE["resource_room_coverage"].interval
    sheet = write(tmp_path, workbook.county_workbook(frame, info(), "x"))["目标达成"]
    numerator, denominator = column_of(sheet, "分子"), column_of(sheet, "分母")
    shown = [(sheet.cell(row=FIRST_ROW + i, column=numerator).value,
              sheet.cell(row=FIRST_ROW + i, column=denominator).value) for i in range(4)]
    assert shown == [("<5", 20_000), (0, 5), ("<5", "<5"), (3, 4)]


def test_statuses_are_words_coloured_by_conditional_formatting_not_paint(tmp_path, card):
    sheet = write(tmp_path, workbook.county_workbook(card, info(), "清新区"))["目标达成"]
    status = column_of(sheet, "状态")
    words = [sheet.cell(row=r, column=status).value for r in range(FIRST_ROW, FIRST_ROW + len(card))]
    assert words == [status_label(s, "zh") for s in card["status"]]
    letter = sheet.cell(row=FIRST_ROW, column=status).column_letter
    rules = rules_by_range(sheet)[f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + len(card) - 1}"]
    found = {rule.formula[0]: rule for rule in rules}
    for code in STATUSES:
        rule = found[f'"{status_label(code, "zh")}"']
        assert rule.type == "cellIs" and rule.operator == "equal"
        assert rule.dxf.fill.bgColor.rgb.endswith(STATUS_COLOURS[code].lstrip("#").upper())
    for row in range(FIRST_ROW, FIRST_ROW + len(card)):
        assert sheet.cell(row=row, column=status).fill.fill_type is None  # not painted


def test_layout_frozen_header_filter_wrapping_and_widths(tmp_path, card):
    sheet = write(tmp_path, workbook.county_workbook(card, info(), "清新区"))["目标达成"]
    assert sheet.freeze_panes == "C4"  # title, notice and header rows; item and name columns
    last = sheet.cell(row=HEADER_ROW, column=len(headers(sheet))).column_letter
    assert sheet.auto_filter.ref == f"A3:{last}{HEADER_ROW + len(card)}"
    for header in ("计划原文", "备注"):
        column = column_of(sheet, header)
        letter = sheet.cell(row=1, column=column).column_letter
        assert sheet.cell(row=FIRST_ROW, column=column).alignment.wrap_text
        assert sheet.column_dimensions[letter].width >= 40
    names = sheet.column_dimensions["B"].width
    longest = max(display_width(n) for n in card["label_zh"])
    assert names == min(40, longest + 2)  # CJK characters count double, capped
    assert sheet.print_title_rows == "$3:$3"  # the header repeats on every printed page


def test_pandas_reads_the_sheet_back_with_header_2(tmp_path, card):
    path = tmp_path / "card.xlsx"
    path.write_bytes(workbook.county_workbook(card, info(), "清新区"))
    back = pd.read_excel(path, sheet_name="目标达成", header=2)
    assert list(back.columns) == headers(load_workbook(path)["目标达成"]) and len(back) == len(card)
    assert back["实际值"].tolist() == pytest.approx(
        [v * (100 if u == "pp" else 1) for v, u in zip(card["value"], card["unit"])], nan_ok=True)


def test_display_width_counts_cjk_double():
    assert display_width("清新区") == 6 and display_width("Qingxin") == 7 and display_width("清远 2022") == 9


def test_demo_notice_on_every_sheet_and_only_for_demo_data(tmp_path, every_card):
    counties, city = every_card
    cards = [workbook.UnitCard(code, code, frame) for code, frame in counties.items()]
    city_card = workbook.UnitCard("441800", "清远市", city)
    demo = write(tmp_path, workbook.city_workbook(cards, city_card, info(), "清远市"), "demo.xlsx")
    for sheet in demo.worksheets:
        assert sheet.cell(row=2, column=1).value == demo_banner("zh"), sheet.title
        assert demo_banner("zh") in sheet.oddHeader.center.text, sheet.title
    real = write(tmp_path, workbook.city_workbook(cards, city_card, info(demo=False), "清远市"), "real.xlsx")
    for sheet in real.worksheets:
        texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert not any(demo_banner("zh") in text for text in texts), sheet.title
    english = write(tmp_path, workbook.county_workbook(small_frame(), info("en"), "x"), "en.xlsx")
    assert [s.cell(row=2, column=1).value for s in english.worksheets] == [demo_banner("en")] * 2


def test_about_sheet_explains_columns_statuses_and_the_data(tmp_path):
    frame = small_frame(as_of=["2022-09"] * 4, extra_column=[1, 2, 3, 4])
    about_info = workbook.book_info([frame], "zh", demo=True, data_hash="f" * 64,
                                    methods_link="../methods.html")
    book = write(tmp_path, workbook.county_workbook(frame, about_info, "清新区"))
    about = book["说明"]
    facts, pairs = about_pairs(about)
    assert facts["年份"] == "2022" and facts["数据截至"] == "2022-09"  # read from the frame
    assert facts["数据指纹(SHA-256)"] == "f" * 64
    assert facts["方法说明"] == "../methods.html"
    link = next(c for row in about.iter_rows() for c in row if c.value == "../methods.html")
    assert link.hyperlink.target == "../methods.html"
    assert "header=2" in facts["用 pandas 读取"]
    for header in headers(book["目标达成"]):
        assert header in pairs, header
    assert pairs["extra_column"] == t("workbook.about.other_column", "zh")
    words = [status_label(s, "zh") for s in STATUSES]
    assert all(pairs[w] == t(f"workbook.status_help.{s}", "zh") for s, w in zip(STATUSES, words))
    first = next(r for r in range(1, about.max_row + 1) if about.cell(row=r, column=1).value == words[0])
    assert f"A{first}:A{first + 5}" in rules_by_range(about)  # the status words are coloured there too
    assert book["目标达成"].cell(row=1, column=1).value == "清新区"  # the caller's title


def test_about_sheet_in_english_without_a_fingerprint(tmp_path):
    about = info("en", data_hash=None, methods_link=None)
    book = write(tmp_path, workbook.county_workbook(small_frame(), about, "x"))
    facts, pairs = about_pairs(book["About"])
    assert facts["Data fingerprint (SHA-256)"] == "not given"
    assert facts["Methods"] == "see docs/methods.md"
    assert facts["Data as of"] == t("workbook.about.as_of_none", "en")
    assert pairs["met"] == "Full-year value meets the target."


def test_new_scorecard_columns_get_headers_and_words(tmp_path):
    frame = small_frame(p_meet=[0.9, 0.2, 0.95, float("nan")], as_of="2022-09",
                        coverage=["", "2 of 8 counties", "", ""], scope_note=["city_target", "", "", ""],
                        scope="county", rule="absolute", level="county", threshold_source="registry")
    sheet = write(tmp_path, workbook.county_workbook(frame, info(as_of=None), "清新区"))["目标达成"]
    found = headers(sheet)
    assert {"达标概率", "数据截至", "数据覆盖", "范围说明", "目标范围", "判定规则", "层级",
            "目标值来源"} <= set(found)
    assert sheet.cell(row=FIRST_ROW, column=column_of(sheet, "范围说明")).value == "参照全市目标"
    assert sheet.cell(row=FIRST_ROW + 1, column=column_of(sheet, "数据覆盖")).value == "2 of 8 counties"
    assert sheet.cell(row=FIRST_ROW, column=column_of(sheet, "目标值来源")).value == "工作要点"
    assert sheet.cell(row=FIRST_ROW, column=column_of(sheet, "层级")).value == "县区"
    assert sheet.cell(row=FIRST_ROW, column=column_of(sheet, "部分")).value == section_title(2, "zh")
    title = workbook.workbook_title("清新区", workbook.book_info([frame], "zh", demo=False))
    assert title == "清新区 2022 年目标达成情况(数据截至 2022-09)"


def test_a_frame_with_few_columns_and_unknown_ones(tmp_path):
    frame = pd.DataFrame({"target_id": ["T1"], "county_code": ["441802"], "year": [2022], "value": [3.5],
                          "status": ["no_data"], "schools_counted": [12], "remark": ["x"]})
    sheet = write(tmp_path, workbook.county_workbook(frame, info(), "x"))["目标达成"]
    assert headers(sheet) == ["状态", "实际值", "目标编号", "行政区划代码", "年份", "schools_counted", "remark"]
    assert sheet.cell(row=FIRST_ROW, column=2).value == pytest.approx(3.5)
    assert [sheet.cell(row=FIRST_ROW, column=c).value for c in (6, 7)] == [12, "x"]


def test_an_empty_scorecard_gives_headers_and_no_rows(tmp_path):
    empty = small_frame().iloc[0:0]
    sheet = write(tmp_path, workbook.county_workbook(empty, info(), "x"))["目标达成"]
    assert headers(sheet)[:3] == ["计划条目", "指标名称", "状态"] and sheet.max_row == HEADER_ROW
    city = write(tmp_path, workbook.city_workbook([], None, info(), "清远市"), "city.xlsx")
    assert city.sheetnames == ["汇总", "说明"] and city["汇总"].max_row == HEADER_ROW


def test_data_text_is_never_a_formula_and_loses_illegal_characters(tmp_path):
    sheet = write(tmp_path, workbook.county_workbook(small_frame(), info(), "x"))["目标达成"]
    note = column_of(sheet, "备注")
    formula_like = sheet.cell(row=FIRST_ROW + 1, column=note)
    assert formula_like.value == '=HYPERLINK("http://x")' and formula_like.data_type == "s"
    assert sheet.cell(row=FIRST_ROW + 2, column=note).value == "bell"


def test_sheet_titles_follow_excels_rules():
    taken: set[str] = set()
    assert sheet_title("连山壮族瑶族自治县", taken) == "连山壮族瑶族自治县"
    assert sheet_title("a/b:c*d?e[f]g\\h", taken) == "a_b_c_d_e_f_g_h"
    assert sheet_title("'quoted'", taken) == "quoted"
    assert sheet_title("History", taken) == "History (2)"
    assert sheet_title("连山壮族瑶族自治县", taken) == "连山壮族瑶族自治县 (2)"  # unique
    assert sheet_title("QUOTED", taken) == "QUOTED (2)"  # unique ignoring case, as Excel compares
    long = sheet_title("x" * 40, taken)
    assert len(long) == 31 and len(sheet_title("x" * 40, taken)) == 31


# ---- the city workbook ---------------------------------------------------------------------------------


def test_city_workbook_summary_sheets_and_links(tmp_path, dataset, every_card):
    counties, city = every_card
    names = {code: dataset.counties.name(code, "zh") for code in counties}
    cards = [workbook.UnitCard(code, names[code], frame) for code, frame in counties.items()]
    book = write(tmp_path, workbook.city_workbook(cards, workbook.UnitCard("441800", "清远市", city), info(),
                                                  "清远市"))
    assert book.sheetnames == ["汇总", *names.values(), "清远市", "说明"]
    summary = book["汇总"]
    assert summary.cell(row=1, column=1).value == "清远市 2022 年各县区目标达成情况汇总"
    # Each row says whose targets it counts (a county's own; the city-wide ones), in TARGET_STATUSES order.
    assert headers(summary) == ["县区", "行政区划代码", "统计范围", *(status_label(s, "zh") for s in TARGET_STATUSES),
                                "合计"]
    for row, (code, frame) in enumerate(counties.items(), start=FIRST_ROW):
        counts = frame["status"].value_counts()
        assert summary.cell(row=row, column=1).value == names[code]
        assert summary.cell(row=row, column=1).hyperlink.location == f"'{names[code]}'!A1"
        assert summary.cell(row=row, column=2).value == code
        assert summary.cell(row=row, column=3).value == "本县区目标"
        for column, status in enumerate(TARGET_STATUSES, start=4):
            assert summary.cell(row=row, column=column).value == counts.get(status, 0)
        assert summary.cell(row=row, column=10).value == len(frame)
    city_row = FIRST_ROW + len(counties)
    assert summary.cell(row=city_row, column=1).value == "清远市"
    assert summary.cell(row=city_row, column=3).value == "全市目标"
    assert summary.cell(row=city_row, column=10).value == len(city)
    rules = rules_by_range(summary)
    not_met = rules[f"G{FIRST_ROW}:G{city_row}"][0]
    assert not_met.operator == "greaterThan" and not_met.dxf.fill.bgColor.rgb.endswith("D55E00")
    assert summary.freeze_panes == "B4" and summary.auto_filter.ref == f"A3:J{city_row}"
    county_sheet = book[names["441826"]]
    assert county_sheet.cell(row=1, column=1).value == "连南瑶族自治县 2022 年目标达成情况"
    assert county_sheet.freeze_panes == "C4"
    assert book["说明"].cell(row=4, column=2).value.startswith("“汇总”")


def test_workbook_bytes_are_the_same_in_a_fresh_process(tmp_path):
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from test_workbook import small_frame, info\n"
            "from qyanalysis.present import workbook\n"
            "sys.stdout.buffer.write(workbook.county_workbook(small_frame(), info(), 'x'))\n") % str(TESTS)
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1] == workbook.county_workbook(small_frame(), info(), "x")


def test_to_excel_takes_the_demo_flag_fingerprint_and_name_from_the_dataset(tmp_path, dataset, card):
    path = qy.to_excel(card, tmp_path / "清新区.xlsx", dataset=dataset)
    book = load_workbook(path)
    # the demo data is a September snapshot: the title says so
    assert book["目标达成"].cell(row=1, column=1).value == "清新区 2022 年目标达成情况(数据截至 2022-09)"
    assert book["目标达成"].cell(row=2, column=1).value == demo_banner("zh")
    facts, _ = about_pairs(book["说明"])
    assert facts["数据指纹(SHA-256)"] == dataset.data_hash
    english = load_workbook(qy.to_excel(card, tmp_path / "en.xlsx", lang="en", dataset=dataset))
    title = english["Scorecard"].cell(row=1, column=1).value
    assert title == "Qingxin District: attainment of the 2022 targets (data as of 2022-09)"
    plain = load_workbook(qy.to_excel(card, tmp_path / "plain.xlsx"))  # nothing known: no notice, no hash
    assert plain["目标达成"].cell(row=2, column=1).value == t("workbook.see_about", "zh")
    with pytest.raises(ValueError, match="language"):
        qy.to_excel(card, tmp_path / "x.xlsx", lang="fr")


# ---- every value against scorecard.csv -----------------------------------------------------------------


def _reverse(prefix: str, lang: str) -> dict[str, set[str]]:
    """Catalogue words of ``prefix.*`` → the codes they word (a word may stand for several, like "%")."""
    found: dict[str, set[str]] = {}
    for key, entry in catalogue().items():
        if key.startswith(prefix + "."):
            found.setdefault(entry[lang], set()).add(key[len(prefix) + 1:])
    return found


def _header_columns(lang: str) -> dict[str, str]:
    """Workbook header → scorecard column."""
    found = {entry[lang]: key[len("column."):] for key, entry in catalogue().items()
             if key.startswith("column.")}
    for key, entry in catalogue().items():  # the workbook's own headers take precedence
        if key.startswith("workbook.column."):
            column = key[len("workbook.column."):]
            found[entry[lang]] = f"label_{lang}" if column == "name" else column
    return found


def assert_sheet_matches_csv(sheet, csv_path: Path, lang: str) -> None:
    """Every cell of a scorecard sheet equals the CSV's value: numbers within 1e-9, words mapping back."""
    csv = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    by_header = _header_columns(lang)
    shown = [by_header.get(h, h) for h in headers(sheet)]
    assert set(csv.columns) - set(shown) <= {"label_zh", "label_en"}, set(csv.columns) - set(shown)
    assert sheet.max_row == HEADER_ROW + len(csv)
    pp_suffix = t("suffix.pp", lang)
    sections = {section_title(n, lang): str(n) for n in range(1, 8)}
    reverse = {column: _reverse(prefix, lang) for column, prefix in WORDED.items()}
    for i, record in csv.iterrows():
        for j, column in enumerate(shown, start=1):
            cell = sheet.cell(row=FIRST_ROW + i, column=j)
            where = f"{sheet.title} row {FIRST_ROW + i} {column}"
            if column == f"label_{lang}" and column not in csv:  # the CSV has no name
                code = record["indicator"]
                named = has_label(f"indicator.{code}")
                assert cell.value == (indicator_label(code, lang) if named else code), where
                continue
            expected = record[column]
            if expected == "":
                assert cell.value is None, where
            elif cell.value == "<5":  # a count of 1–4 persons (disclosure control); the CSV keeps it
                assert column in workbook.PERSON_COUNT_COLUMNS and 1 <= round(float(expected)) <= 4, where
                assert CATALOGUE[record["indicator"]].interval, where
            elif cell.data_type == "n":
                scale = 100.0 if f'"{pp_suffix}"' in cell.number_format else 1.0
                if record.get("unit") == "count" and cell.value != pytest.approx(float(expected), rel=1e-9):
                    # a count's number that Excel would round otherwise than the pages (≥ 71.29 persons: 72)
                    assert cell.value == shown_row(record).numbers[column] == round(cell.value), where
                    continue
                assert cell.value / scale == pytest.approx(float(expected), rel=1e-9, abs=1e-12), where
            elif column == "section":
                assert sections[cell.value] == expected, where
            elif column in reverse and cell.value in reverse[column]:
                assert expected in reverse[column][cell.value], where
            else:
                assert cell.value == expected, where


def test_every_value_in_the_workbook_equals_scorecard_csv(tmp_path, dataset, card):
    for lang in ("zh", "en"):
        folder = tmp_path / lang
        folder.mkdir()
        outputs.write_scorecard(folder, card)
        outputs.write_county_workbook(folder, card, "清新区", lang=lang, is_demo=True,
                                      data_hash=dataset.data_hash)
        book = load_workbook(folder / "scorecard.xlsx")
        assert_sheet_matches_csv(book.worksheets[0], folder / "scorecard.csv", lang)


def test_every_value_of_the_city_workbook_equals_the_scorecards(tmp_path, dataset, every_card):
    counties, city = every_card
    named = [(code, dataset.counties.name(code, "en"), frame) for code, frame in counties.items()]
    outputs.write_city_workbook(tmp_path, named, ("441800", "Qingyuan", city), lang="en", is_demo=True,
                                data_hash=dataset.data_hash)
    book = load_workbook(tmp_path / "scorecards.xlsx")
    for code, name, frame in [*named, ("441800", "Qingyuan", city)]:
        (tmp_path / code).mkdir()
        outputs.write_scorecard(tmp_path / code, frame)
        assert_sheet_matches_csv(book[sheet_title(name, set())], tmp_path / code / "scorecard.csv", "en")


def test_status_words_and_codes_are_one_to_one():
    for lang in ("zh", "en"):
        words = [status_label(s, lang) for s in STATUSES]
        assert len(set(words)) == len(STATUSES)


# ---- the runner ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_runner_writes_workbooks_incrementally(tmp_path, monkeypatch):
    from qyanalysis.runner import RunOptions, run_batch
    from test_runner_fakes import TEST_NOTEBOOKS, fake_load_dataset, fake_scorecard, light_kernels, make_data

    light_kernels(monkeypatch)

    data, out = make_data(tmp_path / "data"), tmp_path / "out"

    def run(**overrides):
        options = RunOptions(data=data, out=out, notebooks_dir=TEST_NOTEBOOKS, jobs=1, quiet=True,
                             timeout=60.0, counties=["441802", "city"], notebooks=["00_overview"])
        for name, value in overrides.items():
            setattr(options, name, value)
        return run_batch(options, load_dataset=fake_load_dataset, scorecard=fake_scorecard)

    assert run().exit_code == 0
    year_dir = out / "2022"
    county_book, city_book = year_dir / "441802" / "scorecard.xlsx", year_dir / "city" / "scorecards.xlsx"
    assert county_book.is_file() and city_book.is_file()
    manifest = json.loads((year_dir / "run.json").read_text())
    assert set(manifest["workbooks"]) == {"441802", "city"}
    county_csv = year_dir / "441802" / "scorecard.csv"
    assert_sheet_matches_csv(load_workbook(county_book).worksheets[0], county_csv, "zh")
    city = load_workbook(city_book)
    assert city.sheetnames[0] == "汇总" and city.sheetnames[-1] == "说明"
    assert len(city.sheetnames) == 2 + 8 + 1  # every county of the registry, the city
    assert_sheet_matches_csv(city["清城区"], county_csv, "zh")
    assert_sheet_matches_csv(city["清远市"], year_dir / "city" / "scorecard.csv", "zh")
    assert city["说明"].cell(row=2, column=1).value == demo_banner("zh")  # the fake data is demo data

    stamps = {p: p.stat().st_mtime_ns for p in (county_book, city_book, year_dir / "run.json")}
    again = run()
    assert again.executed == [] and again.failures == []
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # a no-op run rewrites nothing

    csv = data / "schools.csv"
    csv.write_text(csv.read_text() + "S99,441802,2022,7\n")
    assert run().exit_code == 0
    sheet = load_workbook(county_book).worksheets[0]
    assert sheet.cell(row=FIRST_ROW + 1, column=column_of(sheet, "实际值")).value == 108.0  # T2: 101 + 7
    assert city_book.stat().st_mtime_ns != stamps[city_book]

    chinese = {p: p.stat().st_mtime_ns for p in (county_book, city_book)}
    assert run(lang="en").exit_code == 0  # another language: its own workbooks, in English, beside
    english = year_dir / "en"
    assert headers(load_workbook(english / "441802" / "scorecard.xlsx").worksheets[0])[:3] == [
        "Plan item", "Indicator", "Status"]
    assert load_workbook(english / "city" / "scorecards.xlsx").sheetnames[0] == "Summary"
    assert {p: p.stat().st_mtime_ns for p in chinese} == chinese  # the Chinese ones untouched


def test_a_scorecard_sheet_prints_the_reader_s_columns_and_groups_the_technical_ones(tmp_path, card):
    """Print area: column A to the last reader column (item … note), title to the last row; every column
    after it is outline level 1 (shown, collapsible, not printed); A4 landscape one page wide."""
    from openpyxl.utils import get_column_letter

    sheet = write(tmp_path, workbook.county_workbook(card, info(), "清新区"))["目标达成"]
    shown = headers(sheet)
    reader = [workbook._header(c, "zh") if c != "name" else shown[1] for c in workbook.READER_COLUMNS]
    assert shown[:len(reader)] == reader  # the reader's columns come first, in that order
    last = get_column_letter(len(reader))
    assert sheet.print_area == f"'目标达成'!$A$1:${last}${HEADER_ROW + len(card)}"
    levels = {get_column_letter(i): sheet.column_dimensions[get_column_letter(i)].outline_level
              for i in range(1, len(shown) + 1)}
    assert {k for k, v in levels.items() if v == 1} == {get_column_letter(i)
                                                         for i in range(len(reader) + 1, len(shown) + 1)}
    assert not any(sheet.column_dimensions[get_column_letter(i)].hidden for i in range(1, len(shown) + 1))
    assert "指标代码" in shown[len(reader):] and "目标编号" in shown[len(reader):]
    setup = sheet.page_setup
    assert (setup.orientation, int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_the_county_scorecard_legibly(tmp_path, card):
    """Converted to PDF by LibreOffice the scorecard sheet prints the reader's columns only, on pages of
    readable size: the status words are there, the technical headers are not."""
    path = tmp_path / "card.xlsx"
    path.write_bytes(workbook.county_workbook(card, info(), "清新区"))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "card.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    scorecard = [page for page in pages if "计划条目" in page and "本工作簿说明" not in page]
    assert len(scorecard) == 1 and "存在风险" in scorecard[0]  # 45 rows on one landscape page
    assert "目标编号" not in scorecard[0] and "指标代码" not in scorecard[0]  # technical columns not printed
    assert len(pages) <= 3  # the About sheet on one page's width (its two columns together)


def test_the_city_workbook_s_sheets_print_the_reader_s_columns_too(tmp_path, dataset, every_card):
    counties, city = every_card
    cards = [workbook.UnitCard(code, dataset.counties.name(code, "zh"), frame) for code, frame in counties.items()]
    book = write(tmp_path, workbook.city_workbook(cards, workbook.UnitCard("441800", "清远市", city), info(),
                                                  "清远市"))
    for name in [*(card.name for card in cards), "清远市"]:
        sheet = book[name]
        assert sheet.print_area.endswith(f"$J${sheet.max_row}"), name  # item … note, every row
        assert sheet.column_dimensions["K"].outline_level == 1 and sheet.page_setup.orientation == "landscape"
    assert book["说明"].page_setup.orientation == "portrait" and book["说明"].page_setup.fitToWidth == 1
