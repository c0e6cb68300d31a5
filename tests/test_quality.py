"""Quality measures: dropout, retention, fitness, myopia (docs/methods.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qyanalysis import settings
from qyanalysis.dataset import Dataset
from qyanalysis.measures import quality
from qyanalysis.measures.rates import MEASURE_COLUMNS, wilson_interval

NAN = np.nan


def _schools(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("int64")
    for col in frame.columns:
        if col not in ("school_id", "school_name", "county_code", "year", "level", "ownership", "location"):
            frame[col] = frame[col].astype("float64")
    return frame


def _indicators(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["county_code", "year", "period", "indicator", "value"])
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    frame["source"] = ""
    return frame


def _school(sid, county, year, level, students, location="urban", **counts) -> dict:
    return {"school_id": sid, "school_name": sid, "county_code": county, "year": year, "level": level,
            "ownership": "public", "location": location, "students": students, **counts}


@pytest.fixture()
def dataset() -> Dataset:
    schools = _schools([
        # 441802, 2022
        _school("A1", "441802", 2022, "primary", 600, "urban", dropouts=3, fitness_tested=500,
                fitness_excellent=100, fitness_good=200, myopia_screened=600, myopia_cases=300),
        _school("A2", "441802", 2022, "junior", 400, "rural", dropouts=2, fitness_tested=400,
                fitness_excellent=50, fitness_good=NAN, myopia_screened=400, myopia_cases=225),
        _school("A3", "441802", 2022, "complete_secondary", 1000, "town", students_junior=400,
                students_senior=600, dropouts=10),
        _school("A4", "441802", 2022, "senior", 800, "town", dropouts=5),
        _school("A5", "441802", 2022, "nine_year", 200, "rural", dropouts=NAN),
        _school("K1", "441802", 2022, "kindergarten", 90, "urban", fitness_tested=50,
                fitness_excellent=50, fitness_good=0),
        # 441802, 2021
        _school("A1", "441802", 2021, "primary", 600, "urban", myopia_screened=1000, myopia_cases=530),
        # 441821: exactly 0.5 %
        _school("B1", "441821", 2022, "primary", 1000, "rural", dropouts=5),
        # 441823: a twelve-year school
        _school("C1", "441823", 2022, "twelve_year", 1000, "town", students_primary=500,
                students_junior=300, students_senior=200, dropouts=10),
    ])
    indicators = _indicators([
        ("441802", 2022, "", "junior_cohort_entrants", 1000),
        ("441802", 2022, "", "junior_cohort_completers", 962),
        ("441821", 2022, "", "junior_cohort_entrants", 500),
        ("441821", 2022, "", "junior_cohort_completers", 510),
        ("441823", 2022, "", "junior_cohort_entrants", 300),
    ])
    return Dataset(schools=schools, indicators=indicators)


def _row(frame: pd.DataFrame, county: str, indicator: str, year: int = 2022) -> pd.Series:
    hit = frame[(frame["county_code"] == county) & (frame["indicator"] == indicator) & (frame["year"] == year)]
    assert len(hit) == 1, (county, indicator, year, hit)
    return hit.iloc[0]


def test_measures_returns_a_measure_frame(dataset):
    out = quality.measures(dataset)
    assert tuple(out.columns) == MEASURE_COLUMNS
    assert set(out["indicator"]) == {
        "compulsory_dropout_rate", "junior_retention_rate", "fitness_good_rate",
        "fitness_tested_share", "myopia_rate", "myopia_rate_change",
    }
    assert not out.duplicated(["county_code", "year", "period", "indicator"]).any()


def test_dropout_rate_apportions_combined_schools_pro_rata(dataset):
    out = quality.measures(dataset)
    row = _row(out, "441802", "compulsory_dropout_rate")
    # A1 3/600, A2 2/400, A3 complete secondary: 10 dropouts × 400 junior / 1000 pupils = 4 of 400;
    # A4 senior is not compulsory; A5 reports no dropouts (left out, not a zero).
    # (3 + 2 + 4) / (600 + 400 + 400) = 9 / 1400 = 0.00642857
    assert (row["numerator"], row["denominator"]) == (9.0, 1400.0)
    assert row["value"] == pytest.approx(0.00642857, abs=1e-8)
    low, high = wilson_interval(9, 1400)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
    # twelve-year school: compulsory = 500 + 300 = 800 pupils, dropouts 10 × 800/1000 = 8 → 0.01
    row = _row(out, "441823", "compulsory_dropout_rate")
    assert (row["numerator"], row["denominator"], row["value"]) == (8.0, 800.0, 0.01)


def test_exactly_half_a_percent_stays_half_a_percent(dataset):
    row = _row(quality.measures(dataset), "441821", "compulsory_dropout_rate")
    # 5 / 1000 = 0.005 — must meet a "<= 0.005" target (以下 includes the bound)
    assert row["value"] == 0.005
    assert row["value"] <= 0.005


def test_fitness_rates(dataset):
    out = quality.measures(dataset)
    good = _row(out, "441802", "fitness_good_rate")
    # only A1 has both grades: (100 + 200) / 500 = 0.6; the kindergarten K1 is not tested under the standard
    assert (good["numerator"], good["denominator"], good["value"]) == (300.0, 500.0, 0.6)
    assert good["ci_low"] == pytest.approx(wilson_interval(300, 500)[0])
    tested = _row(out, "441802", "fitness_tested_share")
    # (500 + 400) tested / (600 + 400) pupils of the schools that record testing = 0.9
    assert (tested["numerator"], tested["denominator"], tested["value"]) == (900.0, 1000.0, 0.9)
    # schools without fitness data give no fitness measure
    assert out[(out["county_code"] == "441821") & out["indicator"].str.startswith("fitness")].empty


def test_myopia_rate_and_change_with_newcombe_interval(dataset):
    out = quality.measures(dataset)
    rate = _row(out, "441802", "myopia_rate")
    # (300 + 225) / (600 + 400) = 525 / 1000 = 0.525
    assert rate["value"] == 0.525
    change = _row(out, "441802", "myopia_rate_change")
    # 0.525 − 530/1000 = −0.005 exactly (a fall of 0.5 points meets "<= −0.005")
    assert change["value"] == -0.005
    assert change["value"] <= -0.005
    assert np.isnan(change["numerator"]) and np.isnan(change["denominator"])
    # Newcombe: d ± sqrt of the squared Wilson half-widths on the appropriate sides
    l1, u1 = wilson_interval(525, 1000)
    l0, u0 = wilson_interval(530, 1000)
    assert change["ci_low"] == pytest.approx(-0.005 - np.hypot(0.525 - l1, u0 - 0.53))
    assert change["ci_high"] == pytest.approx(-0.005 + np.hypot(u1 - 0.525, 0.53 - l0))
    # 2021 has no previous year: no change row
    assert out[(out["indicator"] == "myopia_rate_change") & (out["year"] == 2021)].empty


def test_junior_retention_from_indicator_inputs(dataset):
    out = quality.measures(dataset)
    row = _row(out, "441802", "junior_retention_rate")
    # 962 / 1000 = 0.962
    assert (row["value"], row["numerator"], row["denominator"]) == (0.962, 962.0, 1000.0)
    assert row["ci_low"] == pytest.approx(wilson_interval(962, 1000)[0])
    over = _row(out, "441821", "junior_retention_rate")
    # 510 / 500 = 1.02: kept, no interval, flagged
    assert over["value"] == pytest.approx(1.02)
    assert np.isnan(over["ci_low"]) and over["note"] == "completers_exceed_entrants"
    # 441823 supplied only the entrants: absent
    assert out[(out["county_code"] == "441823") & (out["indicator"] == "junior_retention_rate")].empty


def test_missing_inputs_give_absent_measures():
    schools = _schools([_school("A1", "441802", 2022, "primary", 600)])
    out = quality.measures(Dataset(schools=schools, indicators=_indicators([])))
    assert len(out) == 0 and tuple(out.columns) == MEASURE_COLUMNS


def test_rate_table_by_location_and_level(dataset):
    table = quality.rate_table(dataset, "compulsory_dropout_rate", by=["county_code", "year", "location"])
    county = table[(table["county_code"] == "441802") & (table["year"] == 2022)].set_index("location")
    # rural: A2 2/400 (A5 has no dropouts) → 0.005; town: A3 4/400 → 0.01; urban: A1 3/600 → 0.005
    assert county.loc["rural", "value"] == 0.005
    assert county.loc["town", "value"] == 0.01
    assert county.loc["urban", "value"] == 0.005
    by_level = quality.rate_table(dataset, "myopia_rate", by=["year", "level"])
    junior = by_level[(by_level["year"] == 2022) & (by_level["level"] == "junior")].iloc[0]
    assert junior["value"] == 225 / 400
    assert set(by_level["indicator"]) == {"myopia_rate"}


def test_rate_table_unknown_indicator_and_absent_inputs(dataset):
    with pytest.raises(KeyError):
        quality.rate_table(dataset, "teacher_salary_ratio")
    bare = Dataset(schools=_schools([_school("A1", "441802", 2022, "primary", 600)]),
                   indicators=_indicators([]))
    assert quality.rate_table(bare, "fitness_good_rate").empty


def test_confidence_setting_is_read_at_call_time(dataset):
    with settings.override(CONFIDENCE=0.80):
        narrow = _row(quality.measures(dataset), "441821", "compulsory_dropout_rate")
    wide = _row(quality.measures(dataset), "441821", "compulsory_dropout_rate")
    assert narrow["ci_low"] == pytest.approx(wilson_interval(5, 1000, 0.80)[0])
    assert narrow["ci_low"] > wide["ci_low"]


def test_kindergarten_myopia_cases_change_neither_the_rate_nor_its_change(dataset):
    kindergartens = _schools([
        _school("K9", "441802", 2022, "kindergarten", 100, myopia_screened=100, myopia_cases=90),
        _school("K9", "441802", 2021, "kindergarten", 100, myopia_screened=100, myopia_cases=10),
    ])
    both = Dataset(schools=pd.concat([dataset.schools, kindergartens], ignore_index=True),
                   indicators=dataset.indicators)
    out = quality.measures(both)
    rate = _row(out, "441802", "myopia_rate")
    # still (300 + 225) / (600 + 400) = 0.525: the kindergarten's 90 of 100 are not counted
    assert (rate["numerator"], rate["denominator"]) == pytest.approx((525.0, 1000.0))
    assert rate["value"] == pytest.approx(0.525, abs=1e-12)
    # change still 0.525 − 0.530 = −0.005 (with the kindergartens it would be 615/1100 − 540/1100 = +0.068)
    assert _row(out, "441802", "myopia_rate_change")["value"] == pytest.approx(-0.005, abs=1e-12)
    by_level = quality.rate_table(both, "myopia_rate", by=["year", "level"])
    assert "kindergarten" not in set(by_level["level"])


def test_twelve_year_dropouts_use_the_compulsory_enrollment(dataset):
    rate = _row(quality.measures(dataset), "441823", "compulsory_dropout_rate")
    # compulsory 500 + 300 = 800 of 1000 pupils; dropouts 10 × 800/1000 = 8 → 8 / 800 = 0.01
    assert (rate["numerator"], rate["denominator"]) == pytest.approx((8.0, 800.0))
    assert rate["value"] == pytest.approx(0.01)


def test_rate_change_is_the_difference_of_pooled_rates_with_newcombe_interval():
    rates = pd.DataFrame({"group": ["a", "a", "b"], "year": [2021, 2022, 2022],
                          "numerator": [50.0, 45.0, 3.0], "denominator": [100.0, 100.0, 10.0],
                          "value": [0.50, 0.45, 0.30]})
    change = quality.rate_change(rates, ["group"])
    # Group b has no 2021: no row. Group a: 0.45 − 0.50 = −0.05.
    # Wilson (z = 1.959964, z²/n = 0.0384146): 50/100 → 0.5 ± 0.0961685 = (0.403832, 0.596168);
    # 45/100 → centre 0.469207 / 1.0384146 = 0.451849, half 0.0957043 → (0.356145, 0.547553).
    # Newcombe: low  = −0.05 − sqrt((0.45 − 0.356145)² + (0.596168 − 0.5)²) = −0.05 − 0.134377 = −0.184377
    #           high = −0.05 + sqrt((0.547553 − 0.45)² + (0.5 − 0.403832)²) = −0.05 + 0.136985 = 0.086985
    assert change[["group", "year"]].to_dict("records") == [{"group": "a", "year": 2022}]
    row = change.iloc[0]
    assert row["previous_value"] == 0.50
    assert row["value"] == pytest.approx(-0.05, abs=1e-12)
    assert row["ci_low"] == pytest.approx(-0.184377, abs=1e-5)
    assert row["ci_high"] == pytest.approx(0.086985, abs=1e-5)


def test_rate_change_of_exactly_half_a_point_meets_the_target_and_needs_no_keys():
    # 0.525 − 0.530 must compare as −0.005 (the item-13 threshold), not −0.0050000000000000044.
    rates = pd.DataFrame({"year": [2021, 2022], "numerator": [530.0, 525.0], "denominator": [1000.0, 1000.0],
                          "value": [0.530, 0.525]})
    change = quality.rate_change(rates)
    assert change["value"].tolist() == [-0.005]
    assert change["value"].iloc[0] <= -0.005


def test_myopia_rate_change_is_rate_change_by_county():
    rates = pd.DataFrame({"county_code": ["A", "A"], "year": [2021, 2022], "numerator": [50.0, 45.0],
                          "denominator": [100.0, 100.0], "value": [0.50, 0.45]})
    change = quality.myopia_rate_change(rates)
    # The same −0.05 and Newcombe interval (−0.184377, 0.086985) as the grouped change above.
    assert change.columns.tolist() == ["county_code", "year", "value", "ci_low", "ci_high", "units_reporting",
                                       "units_expected", "units_missing"]
    assert change["value"].iloc[0] == pytest.approx(-0.05, abs=1e-12)
    assert change["ci_low"].iloc[0] == pytest.approx(-0.184377, abs=1e-5)


def test_a_change_is_as_complete_as_the_less_complete_year():
    """Finding: a county's myopia change compared 34 schools with 35 and still gave a final verdict.

    2021: 35 of 35 schools report; 2022: 34 of 35 (school s9 lacks its myopia count): the change
    carries 34 of 35 and names s9, so the scorecard says no_data ("34 of 35 schools").
    """
    rates = pd.DataFrame({"county_code": ["A", "A"], "year": [2021, 2022], "numerator": [50.0, 45.0],
                          "denominator": [100.0, 100.0], "value": [0.50, 0.45],
                          "units_reporting": [35.0, 34.0], "units_expected": [35.0, 35.0],
                          "units_missing": ["", "s9"]})
    change = quality.myopia_rate_change(rates).iloc[0]
    assert (change["units_reporting"], change["units_expected"], change["units_missing"]) == (34.0, 35.0, "s9")
    earlier = rates.assign(units_reporting=[33.0, 35.0], units_missing=["s1 s2", ""])
    change = quality.myopia_rate_change(earlier).iloc[0]
    assert (change["units_reporting"], change["units_missing"]) == (33.0, "s1 s2")
