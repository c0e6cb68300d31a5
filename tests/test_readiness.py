"""优质均衡 readiness: per-indicator status, verdicts with vetoes, and the trajectory."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import qyanalysis as qy
from qyanalysis.measures.rates import MEASURE_COLUMNS
from qyanalysis.readiness import first_year_met, prediction_band, readiness_matrix, score, trend_fits, verdicts
from qyanalysis.targets.assessment import assessment_targets

COUNTY = "441802"


def _passing_frame(targets: pd.DataFrame, county: str = COUNTY, year: int = 2022) -> pd.DataFrame:
    """A measure frame meeting every row exactly at its standard (strict ``<`` just under it)."""
    value = targets["threshold"].where(targets["comparator"] != "<", targets["threshold"] - 0.01)
    frame = pd.DataFrame({"county_code": county, "year": year, "period": "", "indicator": targets["indicator"],
                          "value": value.to_numpy(dtype=float)})
    for column in MEASURE_COLUMNS:
        if column not in frame:
            frame[column] = "" if column == "note" else np.nan
    return frame[list(MEASURE_COLUMNS)].drop_duplicates(["county_code", "year", "period", "indicator"])


def test_every_indicator_met_at_its_standard_is_ready():
    targets = assessment_targets()
    rows = score(targets, _passing_frame(targets), [COUNTY], 2022)
    assert len(rows) == len(targets)
    assert (rows["status"] == "met").all()
    verdict = verdicts(rows).iloc[0]
    assert verdict["verdict"] == "ready" and verdict["ready"]
    assert (verdict["missing"], verdict["lacking_data"]) == ("", "")


def test_a_veto_makes_the_county_not_ready_even_when_every_indicator_is_met():
    targets = assessment_targets()
    frame = _passing_frame(targets)
    frame.loc[frame["indicator"] == "veto_key_schools_classes", "value"] = 1.0  # 是: key classes exist
    rows = score(targets, frame, [COUNTY], 2022)
    ordinary = rows[~rows["veto"]]
    assert (ordinary["status"] == "met").all()
    assert rows.loc[rows["indicator"] == "veto_key_schools_classes", "veto_applies"].item()
    verdict = verdicts(rows).iloc[0]
    assert verdict["verdict"] == "vetoed" and not verdict["ready"] and verdict["vetoes"] == 1
    assert "veto_key_schools_classes" in verdict["missing"]


def test_recognition_below_85_percent_is_a_veto():
    targets = assessment_targets()
    frame = _passing_frame(targets)
    frame.loc[frame["indicator"] == "survey_satisfaction_rate", "value"] = 0.8499
    verdict = verdicts(score(targets, frame, [COUNTY], 2022)).iloc[0]
    assert verdict["verdict"] == "vetoed"


def test_missing_inputs_are_no_data_and_listed():
    targets = assessment_targets()
    frame = _passing_frame(targets)
    frame = frame[frame["indicator"] != "teacher_training_360h_completion"]
    frame.loc[frame["indicator"] == "schools_over_class_size_count", "value"] = 3.0
    rows = score(targets, frame, [COUNTY], 2022)
    status = rows.set_index("indicator")["status"]
    assert status["teacher_training_360h_completion"] == "no_data"
    assert status["schools_over_class_size_count"] == "not_met"
    verdict = verdicts(rows).iloc[0]
    assert verdict["verdict"] == "not_met"
    assert verdict["lacking_data"] == "政府保障程度 9 teacher_training_360h_completion"
    assert verdict["missing"] == "政府保障程度 5 schools_over_class_size_count"
    # with the class sizes fixed, only the missing datum stands between the county and a verdict
    frame.loc[frame["indicator"] == "schools_over_class_size_count", "value"] = 0.0
    assert verdicts(score(targets, frame, [COUNTY], 2022)).iloc[0]["verdict"] == "no_data"


def test_override_of_a_registry_threshold_reaches_readiness():
    targets = assessment_targets()
    frame = _passing_frame(targets)
    overrides = pd.DataFrame({"target_id": ["t26_teacher_rotation_rate", "t06_new_public_seats_senior"],
                              "county_code": [COUNTY, COUNTY], "threshold": [0.2, 10.0], "comparator": [None, None],
                              "source": ["责任书", "责任书"], "applies": [True, True]})
    rows = score(targets, frame, [COUNTY], 2022, overrides).set_index("indicator")
    assert rows.loc["teacher_rotation_rate", "standard"] == pytest.approx(0.2)
    assert rows.loc["teacher_rotation_rate", "status"] == "not_met"


def test_trend_of_a_straight_line_crosses_the_standard_in_a_known_year():
    # CV 0.60, 0.57, 0.54, 0.51 in 2019–2022: −0.03 a year, 0.48 in 2023, 0.45 in 2024 (<= 0.45 met)
    series = pd.DataFrame({"key": "a", "year": [2019, 2020, 2021, 2022], "value": [0.60, 0.57, 0.54, 0.51]})
    fits = trend_fits(series)
    assert fits.loc["a", "b"] == pytest.approx(-0.03)
    assert fits.loc["a", "s2"] == pytest.approx(0.0, abs=1e-20)
    years = np.arange(2023, 2036)
    centre, low, high = prediction_band(fits, years)
    assert centre[0, :2] == pytest.approx([0.48, 0.45])
    met = first_year_met(centre, np.array(["<="], dtype=object), np.array([0.45]), years)
    assert met.tolist() == [2024.0]
    # a standard out of reach before the horizon
    never = first_year_met(centre, np.array([">="], dtype=object), np.array([0.9]), years)
    assert np.isnan(never[0])


def test_trend_and_band_agree_with_statsmodels():
    values = [0.62, 0.55, 0.56, 0.47]
    years = [2019, 2020, 2021, 2022]
    fits = trend_fits(pd.DataFrame({"key": "a", "year": years, "value": values}))
    model = sm.OLS(np.array(values), sm.add_constant(np.array(years, dtype=float))).fit()
    prediction = model.get_prediction(np.array([[1.0, 2024.0], [1.0, 2026.0]])).summary_frame(alpha=0.2)
    centre, low, high = prediction_band(fits, np.array([2024, 2026]), interval=0.8)
    assert centre[0] == pytest.approx(prediction["mean"].to_numpy(), abs=1e-10)
    assert low[0] == pytest.approx(prediction["obs_ci_lower"].to_numpy(), abs=1e-10)
    assert high[0] == pytest.approx(prediction["obs_ci_upper"].to_numpy(), abs=1e-10)
    # optimistic (lower bound for a <= standard) crosses no later than the point, pessimistic no earlier
    grid = np.arange(2023, 2036)
    c, lo, hi = prediction_band(fits, grid)
    standard = np.array([0.40])
    comparator = np.array(["<="], dtype=object)
    optimistic, central, pessimistic = (first_year_met(v, comparator, standard, grid)[0] for v in (lo, c, hi))
    assert optimistic <= central <= pessimistic


def test_fewer_than_three_years_give_no_fit():
    series = pd.DataFrame({"key": "a", "year": [2021, 2022], "value": [0.5, 0.4]})
    assert trend_fits(series).empty


@pytest.fixture(scope="module")
def demo():
    return qy.load_demo()


def test_readiness_runs_for_every_county_and_the_city_on_the_demo(demo):
    rows = qy.equity.readiness(demo, None, 2022)
    n_rows = len(assessment_targets())
    assert rows.groupby("county_code").size().eq(n_rows).all()
    assert set(rows["county_code"]) == set(demo.counties.codes)
    assert set(rows["status"]) <= {"met", "not_met", "no_data", "not_applicable"}
    city = qy.equity.readiness(demo, "city", 2022).set_index("county_code")
    assert len(city) == len(demo.counties.codes)
    # calibration: Qingcheng is close, the Yao counties far, Liannan vetoed (key classes)
    assert city.loc["441802", "not_met"] < city.loc["441825", "not_met"]
    assert city.loc["441802", "not_met"] < city.loc["441826", "not_met"]
    assert city.loc["441802", "vetoes"] == 0
    assert city.loc["441826", "vetoed"]
    one = qy.equity.readiness(demo, "清城区", 2022)
    assert (one["county_code"] == "441802").all()


def test_trajectory_runs_on_the_demo(demo):
    indicators, counties = qy.equity.trajectory(demo, None, 2022)
    assert set(counties["county_code"]) == set(demo.counties.codes)
    assert set(indicators["status"]) <= {"met_now", "on_pace", "not_before_horizon", "no_trend", "not_applicable"}
    met_now = indicators[indicators["status"] == "met_now"]
    assert (met_now["year_met"] == 2022).all()
    on_pace = indicators[indicators["status"] == "on_pace"]
    assert ((on_pace["year_met"] > 2022) & (on_pace["year_met"] <= 2035)).all()


def test_readiness_matrix_pivots_counties_into_columns_in_the_assessment_order():
    # Two counties: 441802 meets everything exactly; 441803 has key classes (a veto) and no survey.
    targets = assessment_targets()
    frame = pd.concat([_passing_frame(targets), _passing_frame(targets, county="441803")], ignore_index=True)
    frame.loc[(frame["county_code"] == "441803") & (frame["indicator"] == "veto_key_schools_classes"),
              "value"] = 1.0
    frame = frame[~((frame["county_code"] == "441803") & (frame["indicator"] == "survey_satisfaction_rate"))]
    rows = score(targets, frame, ["441803", "441802"], 2022)
    matrix = readiness_matrix(rows)
    assert list(matrix.columns[-2:]) == ["441802", "441803"]
    assert len(matrix) == len(targets) == 51
    assert list(matrix["assessment_id"]) == list(rows.loc[rows["county_code"] == "441802", "assessment_id"])
    by_id = matrix.set_index("assessment_id")
    assert (by_id["441802"] == "met").all()
    assert by_id.loc["v3_veto_key_schools_classes", "441803"] == "not_met"
    assert by_id.loc["s1_survey_satisfaction_rate", "441803"] == "no_data"
    assert (by_id["441803"] == "met").sum() == 49
    assert by_id.loc["v3_veto_key_schools_classes", "veto"] and not by_id.loc["r1_primary", "veto"]
