"""优质均衡 readiness: per-indicator status, verdicts with vetoes, and the trajectory."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import qyanalysis as qy
from qyanalysis.measures.rates import MEASURE_COLUMNS
from qyanalysis.verdicts.readiness import (
    county_outcome,
    county_years,
    first_year_met,
    prediction_band,
    readiness_matrix,
    score,
    trend_fits,
    verdicts,
)
from qyanalysis.verdicts.targets.assessment import assessment_targets

COUNTY = "441802"
NAN = float("nan")


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
    assert set(indicators["status"]) <= {"met_now", "on_pace", "not_before_horizon", "yes_no_unmet", "too_few_years",
                                         "not_applicable"}
    met_now = indicators[indicators["status"] == "met_now"]
    assert (met_now["year_met"] == 2022).all()
    on_pace = indicators[indicators["status"] == "on_pace"]
    assert ((on_pace["year_met"] > 2022) & (on_pace["year_met"] <= 2035)).all()


def _statuses(*rows) -> pd.DataFrame:
    """County × indicator trajectory rows: (county, indicator, status, year_met)."""
    frame = pd.DataFrame(rows, columns=["county_code", "indicator", "status", "year_met"])
    return frame.assign(part="government", number="1", year_met_optimistic=frame["year_met"],
                        year_met_pessimistic=frame["year_met"])


def test_too_few_years_make_the_indicator_unknown_not_the_county_not_before_the_horizon():
    # a: met now (2022), on pace for 2027, one indicator with 2 years only → unknown, at least 2027.
    # b: the same plus a trend that misses 2035 → not before 2035 whatever the unknown one does.
    # c: an unmet yes/no item → no year (blocked); d: everything on pace → 2026.
    frame = _statuses(("a", "x1", "met_now", 2022.0), ("a", "x2", "on_pace", 2027.0), ("a", "x3", "too_few_years", NAN),
                      ("b", "x2", "on_pace", 2027.0), ("b", "x3", "too_few_years", NAN),
                      ("b", "x4", "not_before_horizon", NAN),
                      ("c", "x3", "too_few_years", NAN), ("c", "x5", "yes_no_unmet", NAN),
                      ("d", "x1", "met_now", 2022.0), ("d", "x2", "on_pace", 2026.0))
    out = county_years(frame, 2022, 2035).set_index("county_code")
    assert out["outcome"].to_dict() == {"a": "unknown", "b": "not_before_horizon", "c": "blocked", "d": "on_pace"}
    assert np.isnan(out.loc["a", "ready_year"]) and out.loc["a", "ready_year_at_least"] == 2027.0
    assert out.loc["a", "too_few_years"] == "government 1 x3" and out.loc["a", "not_by_horizon"] == ""
    assert out.loc["a", "summary"] == ("year unknown — too few years to fit a trend: government 1 x3; "
                                       "the others met by 2027")
    assert out.loc["b", "not_by_horizon"] == "government 1 x4" and out.loc["b", "yes_no_unmet"] == ""
    assert out.loc["c", "yes_no_unmet"] == "government 1 x5" and out.loc["c", "too_few_years"] == "government 1 x3"
    assert "yes/no" in out.loc["c", "summary"] and "yes/no" not in out.loc["b", "summary"]
    assert out.loc["d", "ready_year"] == 2026.0 and out.loc["d", "blocked_by"] == ""
    assert county_outcome(pd.Series(["met_now", "not_applicable"])) == "ready_now"


def test_the_certificate_share_with_two_roster_years_is_unknown_and_blocks_no_county_as_yes_no(demo):
    # the roster has 2021 and 2022 only: too few years (3 needed) — an unknown year, named as such
    indicators, counties = qy.equity.trajectory(demo, None, 2022)
    certificate = indicators[indicators["indicator"] == "teacher_certificate_share"]
    unmet = certificate[certificate["status"] != "met_now"]
    assert len(unmet) and (unmet["status"] == "too_few_years").all() and (unmet["years_used"] == 2).all()
    qingcheng = counties.set_index("county_code").loc["441802"]
    # 清城 has no unmet yes/no item: its year is ruled out by trends that miss 2035, not by a yes/no item
    assert qingcheng["yes_no_unmet"] == ""
    assert qingcheng["outcome"] == "not_before_horizon"
    assert "government 12 teacher_certificate_share" in qingcheng["too_few_years"]
    assert "schools_over_size_count" in qingcheng["not_by_horizon"]
    assert "yes/no" not in qingcheng["summary"] and "too few years" in qingcheng["summary"]


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


def test_finding_4_a_veto_reported_in_year_applies_and_every_row_is_tallied(demo):
    """清城 (441802): 以考试方式招生 = 是 reported for 2022-09 left the row at_risk, the veto not applying,
    and the verdict counted 49 of 50 rows; an in-year status is not met, and a veto of any period applies."""
    from dataclasses import replace

    from qyanalysis.verdicts.readiness import readiness, verdicts

    event = pd.DataFrame({"county_code": ["441802"], "year": [2022], "period": ["2022-09"],
                          "indicator": ["veto_exam_admission"], "value": [1.0], "source": ["test"]})
    indicators = pd.concat([demo.indicators, event.astype(demo.indicators.dtypes.to_dict())], ignore_index=True)
    rows = readiness(replace(demo, indicators=indicators), "441802", 2022)
    veto = rows[rows["indicator"] == "veto_exam_admission"].iloc[0]
    assert veto["veto_applies"]
    verdict = verdicts(rows).iloc[0]
    assert verdict["verdict"] == "vetoed"
    counted = verdict[["met", "not_met", "in_year", "no_data", "not_applicable"]].sum()
    assert counted == verdict["indicators"] == len(rows)
    # the same rows with every other row met: the veto still decides
    met = rows.assign(status=np.where(rows["indicator"] == "veto_exam_admission", rows["status"], "met"))
    assert verdicts(met).iloc[0]["verdict"] == "vetoed"
    # and an in-year row alone (at_risk: not met yet) is not met for the verdict
    in_year = met.assign(veto_applies=False, status=["at_risk", *["met"] * (len(met) - 1)])
    assert verdicts(in_year).iloc[0][["verdict", "in_year", "met"]].tolist() == ["not_met", 1, len(met) - 1]
