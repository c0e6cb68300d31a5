"""Disclosure control: primary and secondary suppression, small bases (masks, ``qyanalysis.disclosure``), and
their display strings (``qyanalysis.present.suppression``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qyanalysis import disclosure
from qyanalysis.disclosure import (
    SUPPRESSION_THRESHOLD,
    count_masks,
    flag_small_denominators,
    secondary_suppression_mask,
)
from qyanalysis.present import suppression
from qyanalysis.present.suppression import (
    SECONDARY_MARK,
    apply_sdc,
    format_rate,
    safe_label,
    suppress_counts,
)


def test_threshold_is_five_persons():
    assert SUPPRESSION_THRESHOLD == 5


@pytest.mark.parametrize(
    "count, shown",
    [(3, "<5"), (1, "<5"), (4, "<5"), (4.0, "<5"), (5, "5"), (12.0, "12"), (0, "0"), (np.nan, ""),
     (None, "")],
)
def test_safe_label(count, shown):
    assert safe_label(count) == shown


def test_safe_label_follows_a_changed_threshold():
    assert safe_label(7, threshold=8) == "<8"
    assert safe_label(8, threshold=8) == "8"


def test_primary_only_without_secondary():
    frame = pd.DataFrame({"a": [3.0, 5.0, 0.0], "b": [10.0, 2.0, np.nan]})
    out = suppress_counts(frame, ["a", "b"], secondary=False)
    assert out["a"].tolist() == ["<5", "5", "0"]
    assert out["b"].tolist() == ["10", "<5", ""]
    assert out["a"].dtype == "str"


def test_secondary_hides_the_complementary_cell_of_the_row():
    # Row total 3 + 8 + 20 = 31 is published; with only "3" hidden, 31 − 8 − 20 recovers it,
    # so the smallest other cell (8) is hidden too. One row → no column margins to protect.
    frame = pd.DataFrame({"public": [3.0], "inclusive": [8.0], "private": [20.0], "total": [31.0]})
    out = suppress_counts(frame, ["public", "inclusive", "private"], total_column="total")
    shown = out.loc[0, ["public", "inclusive", "private", "total"]].tolist()
    assert shown == ["<5", SECONDARY_MARK, "20", "31"]


def test_secondary_protects_rows_and_columns_and_keeps_totals_visible():
    # Cells (rows = counties, columns = ownership):
    #        public  private  total
    #   A        3       40     43
    #   B       50       60    110
    #   C       70       80    150
    # Row A: 3 alone → hide 40 (only other cell). Column public: 3 alone → hide 50 (smallest of 50, 70).
    # Column private: 40 alone → hide 60 (smallest of 60, 80). Row B now has 50 and 60 hidden: stable.
    frame = pd.DataFrame({
        "county": ["A", "B", "C"],
        "public": [3.0, 50.0, 70.0],
        "private": [40.0, 60.0, 80.0],
        "total": [43.0, 110.0, 150.0],
    })
    out = suppress_counts(frame, ["public", "private"], total_column="total")
    assert out["public"].tolist() == ["<5", SECONDARY_MARK, "70"]
    assert out["private"].tolist() == [SECONDARY_MARK, SECONDARY_MARK, "80"]
    assert out["total"].tolist() == ["43", "110", "150"]
    assert out["county"].tolist() == ["A", "B", "C"]


def test_no_row_or_column_is_left_with_a_single_hidden_cell():
    rng = np.random.default_rng(7)
    values = rng.integers(0, 12, size=(12, 5)).astype(float)
    hidden, _ = secondary_suppression_mask(values, (values > 0) & (values < 5))
    assert not (hidden.sum(axis=1) == 1).any()
    assert not (hidden.sum(axis=0) == 1).any()
    assert hidden[(values > 0) & (values < 5)].all()


def test_column_margins_are_taken_within_row_groups():
    # Two years: each year's column is its own table. 2021 has the small cell, 2022 not.
    frame = pd.DataFrame({
        "year": [2021, 2021, 2022, 2022],
        "a": [2.0, 30.0, 40.0, 50.0],
        "b": [10.0, 20.0, 25.0, 35.0],
    })
    out = suppress_counts(frame, ["a", "b"], row_groups="year")
    # Row 0: 2 → hide 10. Column a 2021: 2 → hide 30. Column b 2021: 10 → hide 20. 2022 untouched.
    assert out["a"].tolist() == ["<5", SECONDARY_MARK, "40", "50"]
    assert out["b"].tolist() == [SECONDARY_MARK, SECONDARY_MARK, "25", "35"]


def test_total_is_hidden_when_a_row_has_no_complement():
    # The only cell is 3: it equals the row total, so the total must go.
    frame = pd.DataFrame({"a": [3.0], "b": [np.nan], "total": [3.0]})
    out = suppress_counts(frame, ["a", "b"], total_column="total")
    assert out.loc[0, "a"] == "<5"
    assert out.loc[0, "total"] == "<5"  # the total is itself a count below 5
    frame = pd.DataFrame({"a": [4.0], "total": [9.0]})  # 5 persons are outside the listed cells
    assert suppress_counts(frame, ["a"], total_column="total").loc[0, "total"] == SECONDARY_MARK


def test_small_totals_are_suppressed_like_cells():
    frame = pd.DataFrame({"a": [0.0, 6.0], "b": [0.0, 7.0], "total": [0.0, 13.0]})
    out = suppress_counts(frame, ["a", "b"], total_column="total")
    assert out["total"].tolist() == ["0", "13"]
    assert out["a"].tolist() == ["0", "6"]


def test_flag_small_denominators_is_strict_and_ignores_missing():
    frame = pd.DataFrame({"den": [29.0, 30.0, np.nan, 0.0]})
    out = flag_small_denominators(frame, "den")
    assert out["is_small_base"].tolist() == [True, False, False, True]
    assert "is_small_base" not in frame


@pytest.mark.parametrize(
    "value, den, lang, shown",
    [
        (0.8534, 1000.0, "zh", "85.3 %"),
        (0.85, 20.0, "en", "85.0 % (small base)"),
        (0.85, 20.0, "zh", "85.0 %（基数小）"),
        (0.85, 30.0, "en", "85.0 %"),
        (0.5, np.nan, "en", "50.0 %"),
        (0.5, 4.0, "en", SECONDARY_MARK),
        (np.nan, 100.0, "en", ""),
    ],
)
def test_format_rate(value, den, lang, shown):
    assert format_rate(value, den, lang=lang) == shown


def test_apply_sdc_hides_rates_whose_counts_are_hidden():
    # Row A: numerator 3 of 40 → "<5"; its rate 7.5 % would give 3 back from 40, so it is hidden.
    frame = pd.DataFrame({
        "county": ["A", "B"],
        "num": [3.0, 45.0],
        "den": [40.0, 300.0],
        "share": [3 / 40, 45 / 300],
    })
    out = apply_sdc(frame, ["num"], ["share"], numerator_col="num", denominator_col="den", secondary=False,
                    lang="en")
    assert out["num"].tolist() == ["<5", "45"]
    assert out["share"].tolist() == [SECONDARY_MARK, "15.0 %"]
    assert frame["num"].tolist() == [3.0, 45.0]  # the input is not modified


def test_apply_sdc_marks_small_bases():
    frame = pd.DataFrame({"den": [12.0, 500.0], "share": [0.5, 0.25]})
    out = apply_sdc(frame, rate_columns=["share"], denominator_col="den", lang="en")
    assert out["share"].tolist() == ["50.0 % (small base)", "25.0 %"]


def test_markers_exist_for_both_report_languages():
    assert set(suppression.SMALL_BASE_MARKERS) == {"zh", "en"}


def test_reassigned_settings_take_effect_at_call_time(monkeypatch):
    monkeypatch.setattr(disclosure, "SUPPRESSION_THRESHOLD", 7)
    monkeypatch.setattr(disclosure, "MIN_DENOMINATOR", 100)
    assert safe_label(6) == "<7" and safe_label(7) == "7"
    assert suppress_counts(pd.DataFrame({"a": [6.0]}), ["a"]).loc[0, "a"] == "<7"
    assert format_rate(0.5, 50.0, lang="en") == "50.0 % (small base)"


def test_shown_counts_take_the_pages_number_format():
    # 157,661 children: thousands separators, as on every page (qyanalysis.present.numbers).
    out = apply_sdc(pd.DataFrame({"n": [157661.0, 3.0, 12.0]}), ["n"], secondary=False)
    assert out["n"].tolist() == ["157,661", "<5", "12"]
    assert safe_label(1234) == "1,234"


def test_is_small_count_rounds_and_counts_only_one_to_four():
    from qyanalysis.disclosure import is_small_count

    counts = pd.Series([0.0, 0.4, 0.6, 1.0, 4.0, 4.5, 4.51, 5.0, float("nan"), 120.0])
    # rounded half to even: 4.5 → 4 (hidden), 4.51 → 5 (shown)
    assert is_small_count(counts).tolist() == [False, False, True, True, True, True, False, False, False, False]


def test_count_masks_are_the_cells_the_display_hides():
    frame = pd.DataFrame({"public": [3.0, 10.0], "private": [20.0, 30.0], "total": [23.0, 40.0]})
    masks = count_masks(frame, ["public", "private"], total_column="total")
    assert masks.small.tolist() == [[True, False], [False, False]]
    assert masks.complement.tolist() == [[False, True], [True, True]]
    assert masks.total_small.tolist() == [False, False] and masks.total_complement.tolist() == [False, False]
    shown = suppress_counts(frame, ["public", "private"], total_column="total")
    assert (shown[["public", "private"]].isin(["<5", SECONDARY_MARK]).to_numpy() == masks.hidden).all()
