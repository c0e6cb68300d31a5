"""The 社会认可度 survey: pooling across respondent groups, the interval, and the ``survey`` table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from qyanalysis import settings
from qyanalysis.dataset import Dataset
from qyanalysis.measures.assessment import pooled_satisfaction, survey_rows
from qyanalysis.measures.rates import wilson_interval
from tests.io_helpers import csv_text, lines, make_folder

Z95 = 1.959963984540054


def _wilson(x: float, n: float) -> tuple[float, float]:
    """Wilson (1927) written out by hand."""
    p, z2n = x / n, Z95**2 / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = Z95 / (1 + z2n) * math.sqrt(p * (1 - p) / n + z2n / (4 * n))
    return centre - half, centre + half


def test_pooled_by_respondents_counts_every_respondent_once():
    # teachers 90 of 100, parents 240 of 300: 330 / 400 = 0.825
    out = pooled_satisfaction([100, 300], [90, 240], ["c", "c"], pooling="respondents", confidence=0.95)
    row = out.loc["c"]
    assert row["value"] == pytest.approx(0.825, abs=1e-12)
    assert (row["numerator"], row["denominator"]) == (330, 400)
    low, high = _wilson(330, 400)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(0.7847, abs=1e-4), pytest.approx(0.8591, abs=1e-4))


def test_pooled_by_equal_groups_averages_the_group_rates():
    # (0.9 + 0.8) / 2 = 0.85; var = (0.9·0.1/100 + 0.8·0.2/300) / 4 = 0.000358333…; n* = 0.85·0.15/var
    out = pooled_satisfaction([100, 300], [90, 240], ["c", "c"], pooling="equal_groups", confidence=0.95)
    row = out.loc["c"]
    assert row["value"] == pytest.approx(0.85, abs=1e-12)
    n_eff = 0.85 * 0.15 / ((0.9 * 0.1 / 100 + 0.8 * 0.2 / 300) / 4)
    assert n_eff == pytest.approx(355.8140, abs=1e-3)
    low, high = _wilson(0.85 * n_eff, n_eff)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))


def test_the_two_poolings_differ_when_groups_differ_in_size_and_rate():
    respondents = pooled_satisfaction([100, 300], [90, 240], ["c", "c"], pooling="respondents")
    equal = pooled_satisfaction([100, 300], [90, 240], ["c", "c"], pooling="equal_groups")
    assert respondents.loc["c", "value"] < 0.85 <= equal.loc["c", "value"]


def test_a_group_without_respondents_is_left_out_and_units_stay_apart():
    out = pooled_satisfaction([0, 50, 10], [0, 45, 4], ["a", "a", "b"], pooling="equal_groups")
    assert out.loc["a", "value"] == pytest.approx(0.9)
    assert out.loc["a", "groups"] == 1
    assert out.loc["b", "value"] == pytest.approx(0.4)
    # all satisfied: no variance, the interval uses the respondents
    full = pooled_satisfaction([20, 30], [20, 30], ["a", "a"], pooling="equal_groups")
    low, high = wilson_interval(50.0, 50.0)
    assert (full.loc["a", "ci_low"], full.loc["a", "ci_high"]) == (pytest.approx(low), pytest.approx(high))


def test_unknown_pooling_is_refused():
    with pytest.raises(ValueError, match="SURVEY_POOLING"):
        pooled_satisfaction([1], [1], ["a"], pooling="median")


def test_survey_rows_follow_the_setting():
    survey = pd.DataFrame({"county_code": ["441802", "441802", "441825"], "year": [2022, 2022, 2022],
                           "respondent_group": ["teachers", "parents", "parents"],
                           "respondents": [100.0, 300.0, 50.0], "satisfied": [90.0, 240.0, 40.0]})
    rows = survey_rows(survey).set_index("county_code")
    assert rows.loc["441802", "value"] == pytest.approx(0.825)
    assert rows.loc["441802", "indicator"] == "survey_satisfaction_rate"
    assert rows.loc["441802", "note"] == "pooled=respondents; groups=2"
    with settings.override(SURVEY_POOLING="equal_groups"):
        equal = survey_rows(survey).set_index("county_code")
    assert equal.loc["441802", "value"] == pytest.approx(0.85)
    assert survey_rows(None).empty


SURVEY_HEADER = ["county", "year", "respondent_group", "respondents", "satisfied"]


def test_survey_table_loads_and_its_rate_reaches_the_measures(tmp_path):
    from qyanalysis.io import load_dataset
    from qyanalysis.measures import compute_all

    folder = make_folder(tmp_path, survey=csv_text(SURVEY_HEADER, [["清城区", "2022", "teachers", "100", "90"],
                                                                   ["清城区", "2022", "parents", "300", "240"]]))
    dataset = load_dataset(folder)
    assert isinstance(dataset, Dataset) and len(dataset.survey) == 2
    frame = compute_all(dataset)
    row = frame[frame["indicator"] == "survey_satisfaction_rate"].iloc[0]
    assert (row["county_code"], row["value"]) == ("441802", pytest.approx(0.825))


def test_bad_survey_rows_name_file_row_and_column(tmp_path):
    folder = make_folder(tmp_path, survey=csv_text(SURVEY_HEADER, [["清城区", "2022", "teachers", "100", "120"],
                                                                   ["清城区", "2022", "aliens", "10", "5"]]))
    found = lines(folder)
    assert any(line.startswith("survey.csv:2:satisfied:") and "more than" in line for line in found), found
    assert any(line.startswith("survey.csv:3:respondent_group:") for line in found), found
