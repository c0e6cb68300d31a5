"""Escaped, styled HTML tables."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from qyanalysis.present.palette import STATUS_SYMBOLS
from qyanalysis.present.style import STATUS_COLOURS
from qyanalysis.present.tables import html_table


def _card() -> pd.DataFrame:
    return pd.DataFrame({
        "indicator": ["preschool_public_share", "new_public_seats_compulsory", "fitness_good_rate"],
        "value": [0.523, 12000.0, math.nan],
        "comparator": [">=", ">=", ">="],
        "threshold": [0.5, 20500.0, 0.5],
        "status": ["met", "at_risk", "no_data"],
        "unit": ["share", "count", "rate"],
        "quote": ["<b>达到</b> & 50%", "", ""],
    })


def test_cells_and_headers_are_escaped():
    frame = pd.DataFrame({"county_name": ["<script>alert(1)</script>", "A & B"], "note": ['"x" <img>', "y"]})
    out = html_table(frame, "en", headers={"note": "<i>note</i>"}, caption="<caption>")
    assert "<script>" not in out and "<img>" not in out and "<i>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "A &amp; B" in out
    assert "&quot;x&quot; &lt;img&gt;" in out
    assert "&lt;i&gt;note&lt;/i&gt;" in out
    assert "&lt;caption&gt;" in out


def test_codes_in_words_numbers_by_unit_and_status_colours():
    shown = ["indicator", "value", "comparator", "threshold", "status", "quote"]
    out = html_table(_card(), "zh", columns=shown)
    assert "公办幼儿园在园幼儿占比" in out
    assert ">52.3 %<" in out and ">50.0 %<" in out  # share: 0.523 → 52.3 %
    assert ">12,000 个<" in out and ">20,500 个<" in out  # count of seats: thousands separators, measure word
    assert ">—<" in out  # missing value, never 0
    assert ">不低于<" in out
    assert "&lt;b&gt;达到&lt;/b&gt; &amp; 50%" in out
    for status, label in (("met", "达标"), ("at_risk", "存在风险"), ("no_data", "无数据")):
        # the colour, and the status symbol before the word (legible in greyscale)
        mark = re.escape(STATUS_SYMBOLS[status])
        assert re.search(f"background:{STATUS_COLOURS[status]};[^\"]*\">{mark}\u00a0{label}<", out)


def test_headers_come_from_the_catalogue_in_the_chosen_language():
    zh = html_table(_card(), "zh", columns=["indicator", "status"])
    en = html_table(_card(), "en", columns=["indicator", "status"])
    assert ">指标</th>" in zh and ">状态</th>" in zh
    assert ">Indicator</th>" in en and ">Status</th>" in en


def test_table_is_responsive():
    assert html_table(_card(), "en").startswith('<div class="qy-table" style="overflow-x:auto;')


def test_explicit_units_and_plain_numbers():
    frame = pd.DataFrame({"county_name": ["清城区"], "seats": [2500.0], "schools": [12.0], "year": [2022]})
    out = html_table(frame, "en", headers={"seats": "Seats", "schools": "Schools"}, units={"seats": "count"})
    assert ">2,500<" in out and ">12<" in out and ">2022<" in out


def test_sections_given_as_number_or_notebook_stem():
    frame = pd.DataFrame({"section": [2, "05_teachers"]})
    out = html_table(frame, "zh")
    assert "二、全力推进教育高质量发展" in out and "五、" in out


def test_unknown_columns_headers_statuses_and_languages_raise():
    with pytest.raises(KeyError, match="not in the frame"):
        html_table(_card(), "zh", columns=["nope"])
    with pytest.raises(KeyError, match="column.seats"):
        html_table(pd.DataFrame({"seats": [1.0]}), "zh")
    with pytest.raises(ValueError, match="unknown status"):
        html_table(_card().assign(status="done"), "zh")
    with pytest.raises(ValueError, match="unknown language"):
        html_table(_card(), "fr")


def test_previous_value_of_a_change_target_in_its_base_unit():
    frame = pd.DataFrame({"indicator": ["myopia_rate_change", "purchased_seats_change"],
                          "value": [-0.004, -0.06], "previous_value": [0.512, 1200.0],
                          "unit": ["pp", "change"]})
    out = html_table(frame, "en", columns=["value", "previous_value"])
    # −0.004 → −0.4 points; 0.512 → 51.2 % (myopia rate); −0.06 → −6.0 %; 1200 seats.
    assert ">−0.4 pp<" in out and ">51.2 %<" in out and ">−6.0 %<" in out and ">1,200 seats<" in out


def test_max_rows():
    out = html_table(_card(), "en", columns=["indicator"], max_rows=2)
    assert out.count("<tr>") == 3  # header + 2 rows
