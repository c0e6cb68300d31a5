"""Issue 17 on the demonstration data: a printed value never contradicts its verdict (finding 10), persons
and seats are whole (finding 11), and every scorecard row of every county and the city, read back from the
page table and the sentence, reads as its status says (the rule: ``qyanalysis.present.shown``).

Only the display paths are called here (the page table, the sentence, a page's gap table), so that the
findings fail on the code before the rule."""

from __future__ import annotations

import math
import operator
import re
from decimal import Decimal

import pandas as pd
import pytest

import qyanalysis as qy
from qyanalysis.verdicts.attainment import compare, scorecard, unit_rows
from qyanalysis.present.narrative import target_sentence
from qyanalysis.present.tables import html_table

LIANNAN, LIANSHAN, QINGCHENG, CITY = "441826", "441825", "441802", "441800"
SHOWN = ("value", "threshold", "forecast", "forecast_low", "forecast_high")
READS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq}
_NUMBER = re.compile(r"[−+-]?\d[\d,]*(?:\.\d+)?")
_CELL = re.compile(r"<td[^>]*>(.*?)</td>")
_ROW = re.compile(r"<tr>(.*?)</tr>")


def parsed(text: str) -> Decimal:
    """The number a reader reads in a printed cell: "−0.49 个百分点" → −0.49, "25,031 个" → 25031."""
    found = _NUMBER.search(text)
    assert found is not None, text
    return Decimal(found.group(0).replace("−", "-").replace(",", "").replace("+", ""))


def table_cells(html: str) -> list[list[str]]:
    """The body cells of an ``html_table``, row by row (unescaped enough for numbers)."""
    return [_CELL.findall(row) for row in _ROW.findall(html.split("<tbody>", 1)[1])]


# --- findings 10 and 11 on the demonstration data (each failed before the rule) -------------------------


@pytest.fixture(scope="module")
def every():
    dataset = qy.load_demo()
    return dataset, scorecard(dataset, None, 2022)


def _target(every, unit: str, target_id: str) -> pd.Series:
    dataset, frame = every
    rows = unit_rows(frame, unit, dataset.counties.city_code)
    return rows[rows["target_id"] == target_id].iloc[0]


def _printed(target: pd.Series, columns: list[str]) -> list[str]:
    """The row's cells as the page table prints them."""
    return table_cells(html_table(target.to_frame().T, "zh", columns=columns))[0]


def _reads_as_status(target: pd.Series) -> None:
    """The page table's value and threshold, and the sentence, read as the row's status says."""
    value, threshold = _printed(target, ["value", "threshold"])
    assert _reads(value, str(target["comparator"]), threshold) == (target["status"] == "met"), (value, threshold)
    sentence = target_sentence(target, "zh")
    assert value in sentence and threshold in sentence, sentence


def test_finding_10_liannan_dropout_rate_does_not_read_met(every):
    # 2022-09 demo: 0.549 % against ≤ 0.5 %, not met; printed "0.5 % | ≤ 0.5 %" before the rule
    _reads_as_status(_target(every, LIANNAN, "t08_compulsory_dropout_rate"))


def test_finding_10_lianshan_myopia_change_does_not_read_met(every):
    # 2022-09 demo: −0.477 points against ≤ −0.5, not met; printed "−0.5 vs −0.5 个百分点" before the rule
    _reads_as_status(_target(every, LIANSHAN, "t13_myopia_rate_change"))


def test_finding_10_a_gap_row_does_not_read_at_its_standard(demo):
    from qyanalysis.report.frames import frame_html
    from qyanalysis.report.page import Page
    from qyanalysis.report.tables.balance_readiness import school_gaps

    # 2022-09 demo: 连南第018小学 has 0.898 PE and arts teachers per 100 pupils against the standard 0.9
    # (one teacher to add); printed "0.90 | 0.90" before the rule
    frame = school_gaps(Page(demo, LIANNAN, 2022, "zh"))
    cells = table_cells(frame_html(frame))
    assert len(cells) == len(frame) > 0
    for (_, gap), printed in zip(frame.iterrows(), cells, strict=True):
        meets = gap["value"] >= gap["threshold"] * (1 - 1e-9)
        assert _reads(printed[3], ">=", printed[4]) == meets, (gap["school_name"], printed[3], printed[4])


def test_finding_11_the_item27_cut_is_whole_persons(every):
    target = _target(every, QINGCHENG, "t27_temporary_teacher_excess_cut")  # 2022-09 demo: ≥ 71.29 persons
    assert target["comparator"] == ">=" and not float(target["threshold"]).is_integer()
    whole = f"{math.ceil(target['threshold']):,} 人"  # at least 71.29 persons is at least 72
    assert _printed(target, ["threshold"]) == [whole]
    assert f"{target['threshold']:.2f}" not in target_sentence(target, "zh") and whole in target_sentence(target, "zh")


def test_finding_11_the_city_seat_forecast_is_whole(every):
    target = _target(every, CITY, "t06_new_public_seats_compulsory")  # 2022-09 demo: 25,030.67 (21,730.74–28,330.60)
    assert not float(target["forecast"]).is_integer()
    sentence = target_sentence(target, "zh")
    low, high = (f"{round(target[c]):,}" for c in ("forecast_low", "forecast_high"))
    assert f"{round(target['forecast']):,} 个" in sentence and f"{low}–{high} 个" in sentence, sentence
    assert not re.search(r"\d\.\d+ 个", sentence), sentence


# --- every scorecard row of every county and the city ------------------------------------------------


def _reads(text: str, comparator: str, line: str) -> bool:
    return READS[comparator](parsed(text), parsed(line))


def _check_unit(rows: pd.DataFrame) -> int:
    """Every row's printed numbers (page table and sentence) read as its status says; counts whole. Rows checked."""
    cells = table_cells(html_table(rows, "zh", columns=list(SHOWN)))
    checked = 0
    for (_, target), texts in zip(rows.iterrows(), cells, strict=True):
        printed = dict(zip(SHOWN, texts, strict=True))
        where = f"{target['county_code']} {target['target_id']} {printed}"
        if target["unit"] == "count":
            assert not any("." in printed[c] for c in SHOWN), where
        if pd.isna(target["value"]) or pd.isna(target["threshold"]) or target["unit"] == "flag":
            continue
        comparator = str(target["comparator"])
        holds = bool(compare(pd.Series([target["value"]]), pd.Series([comparator]),
                             pd.Series([target["threshold"]]))[0])
        meets = {"met": True, "not_met": False}.get(str(target["status"]), holds)
        assert _reads(printed["value"], comparator, printed["threshold"]) == meets, where
        if pd.notna(target["forecast"]):
            forecast_holds = bool(compare(pd.Series([target["forecast"]]), pd.Series([comparator]),
                                          pd.Series([target["threshold"]]))[0])
            assert _reads(printed["forecast"], comparator, printed["threshold"]) == forecast_holds, where
        sentence = target_sentence(target, "zh")
        assert printed["value"] in sentence and printed["threshold"] in sentence, where
        checked += 1
    return checked


def test_every_scorecard_row_reads_as_its_status(every):
    dataset, frame = every
    checked = sum(_check_unit(unit_rows(frame, unit, dataset.counties.city_code))
                  for unit in [*dataset.counties.codes, dataset.counties.city_code])
    compared = frame[frame["value"].notna() & frame["threshold"].notna() & (frame["unit"] != "flag")]
    assert checked == len(compared) > 300


def test_the_city_cv_matrix_prints_each_value_as_its_status_says(demo):
    from qyanalysis.report import tables, views
    from qyanalysis.report.page import Page

    matrix = tables.city.balance_cv_matrix(Page(demo, CITY, 2022, "zh"))
    html = views.city.cv_matrix_table(matrix).data
    cells = [_CELL.findall(row)[2:] for row in _ROW.findall(html.split("<tbody>", 1)[1])]
    counties = [c for c in matrix.attrs["qy"].columns if c not in ("indicator", "limit")]
    checked = 0
    for (_, coefficient), printed in zip(matrix.iterrows(), cells, strict=True):
        for county, text in zip(counties, printed, strict=True):
            status = coefficient[f"status_{county}"]
            if status in ("met", "not_met"):  # the printed value against the limit (0.45, 0.50 …, exact)
                limit = f"{coefficient[f'threshold_{county}']:.6f}"
                assert _reads(text, coefficient[f"comparator_{county}"], limit) == (status == "met"), text
                checked += 1
    assert checked > 100
