"""Target attainment (qyanalysis.verdicts.attainment): statuses, rules, city aggregation, the scorecard."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from qyanalysis.verdicts import attainment
from qyanalysis.verdicts.attainment import SCORECARD_COLUMNS, STATUSES, compare, evaluate, scorecard
from qyanalysis.dataset import Dataset
from qyanalysis.verdicts.targets import load_targets
from qyanalysis.verdicts.targets.overrides import county_reading

CITY = "441800"
A, B = "441802", "441803"  # 清城区, 清新区
NAN = float("nan")


@pytest.fixture(scope="module")
def targets():
    return load_targets()


def measures(*rows):
    """A tiny measure frame: (county, year, indicator, value[, period, numerator, denominator, note])."""
    records = []
    for row in rows:
        county, year, indicator, value, period, numerator, denominator, note = (*row, "", NAN, NAN, "")[:8]
        records.append({"county_code": county, "year": year, "period": period, "indicator": indicator,
                        "value": value, "numerator": numerator, "denominator": denominator,
                        "ci_low": NAN, "ci_high": NAN, "note": note})
    return pd.DataFrame(records, columns=["county_code", "year", "period", "indicator", "value", "numerator",
                                          "denominator", "ci_low", "ci_high", "note"])


def row_of(frame, target_id, county=A):
    row = frame[(frame["target_id"] == target_id) & (frame["county_code"] == county)]
    assert len(row) == 1, (target_id, county)
    return row.iloc[0]


def score(targets, *rows, counties=(A,), city=None, year=2022, **kwargs):
    return evaluate(targets, measures(*rows), list(counties), city, year, **kwargs)


@pytest.mark.parametrize("value, comparator, threshold, expected", [
    (0.50, ">=", 0.50, True),          # exactly 50 %: 以上 is inclusive
    (0.4999999, ">=", 0.50, False),
    (0.005, "<=", 0.005, True),        # exactly 0.5 %: 以下 is inclusive
    (0.5000001, "<=", 0.50, False),    # 1e-7 above the limit is not float noise
    (0.1 + 0.2, "==", 0.3, True),      # 0.30000000000000004
    (0.7 - 0.2, ">=", 0.5, True),      # 0.49999999999999994
    (3.0, ">", 2.0, True),
    (2.0, ">", 2.0, False),
    (-0.05, "<", -0.05, False),
    (NAN, ">=", 0.5, False),
])
def test_compare_is_inclusive_and_robust_to_float_error(value, comparator, threshold, expected):
    result = compare(pd.Series([value]), pd.Series([comparator]), pd.Series([threshold]))
    assert bool(result[0]) is expected


def test_output_columns_types_and_statuses(targets):
    out = score(targets, (A, 2022, "preschool_public_share", 0.6), counties=(A, B), city=CITY)
    assert tuple(out.columns) == SCORECARD_COLUMNS
    assert tuple(out.columns[:9]) == ("target_id", "item", "indicator", "county_code", "year", "value",
                                      "comparator", "threshold", "status")
    assert set(out["status"]) <= set(STATUSES)
    assert out["item"].dtype == "int64" and out["year"].dtype == "int64" and out["value"].dtype == "float64"
    county_rows = out[out["level"] == "county"]
    # every county-scope target for both counties, plus the all-counties target's county rows
    n_county = (int((targets["scope"] == "county").sum()) + int((targets["rule"] == "all_counties").sum())
                + int(county_reading(targets).sum()))  # city-wide rates read per county
    assert len(county_rows) == 2 * n_county
    assert len(out[out["level"] == "city"]) == int((targets["scope"] == "city").sum())


def test_boundary_values_of_the_plan(targets):
    out = score(targets,
                (A, 2022, "preschool_public_share", 0.50),         # 达50%以上 → met
                (B, 2022, "preschool_public_share", 0.4999),       # not met
                (A, 2022, "compulsory_dropout_rate", 0.005),       # 0.5%以下 → met
                (B, 2022, "compulsory_dropout_rate", 0.0050001),   # not met
                (A, 2022, "balance_cv_sports_area_per_student_primary", 0.50),
                (B, 2022, "balance_cv_sports_area_per_student_primary", 0.5000001),
                (A, 2022, "balance_cv_sports_area_per_student_junior", 0.46),  # junior limit 0.45
                counties=(A, B))
    assert row_of(out, "t07_preschool_public_share", A)["status"] == "met"
    assert row_of(out, "t07_preschool_public_share", B)["status"] == "not_met"
    assert row_of(out, "t08_compulsory_dropout_rate", A)["status"] == "met"
    assert row_of(out, "t08_compulsory_dropout_rate", B)["status"] == "not_met"
    assert row_of(out, "t08_balance_cv_sports_area_per_student_primary", A)["status"] == "met"
    assert row_of(out, "t08_balance_cv_sports_area_per_student_primary", B)["status"] == "not_met"
    assert row_of(out, "t08_balance_cv_sports_area_per_student_junior", A)["status"] == "not_met"


def test_missing_measures_are_no_data_never_zero(targets):
    out = score(targets, (A, 2022, "migrant_public_share", NAN, "", NAN, NAN, "no migrant pupils reported"))
    migrant = row_of(out, "t08_migrant_public_share")
    assert migrant["status"] == "no_data" and np.isnan(migrant["value"])
    absent = row_of(out, "t08_compulsory_dropout_rate")
    assert absent["status"] == "no_data" and np.isnan(absent["value"])


def test_a_not_applicable_note_gives_not_applicable(targets):
    out = score(targets, (A, 2022, "resource_room_coverage", NAN, "", NAN, NAN,
                          "not_applicable: no_schools_with_5_disabled"))
    row = row_of(out, "t10_resource_room_coverage")
    assert row["status"] == "not_applicable" and row["note"].startswith("not_applicable")


def test_numerator_denominator_and_interval_are_carried(targets):
    rows = measures((A, 2022, "fitness_good_rate", 0.52, "", 520.0, 1000.0))
    rows["ci_low"], rows["ci_high"] = 0.49, 0.55
    out = evaluate(targets, rows, [A], None, 2022)
    row = row_of(out, "t13_fitness_good_rate")
    assert (row["numerator"], row["denominator"], row["ci_low"], row["ci_high"]) == (520, 1000, 0.49, 0.55)
    assert row["status"] == "met"


def test_change_vs_previous_from_the_base_indicator(targets):
    out = score(targets,
                (A, 2021, "myopia_rate", 0.500), (A, 2022, "myopia_rate", 0.495),  # −0.5 point → met
                (B, 2021, "myopia_rate", 0.500), (B, 2022, "myopia_rate", 0.496),  # −0.4 point → not met
                (A, 2021, "purchased_seats", 1000.0), (A, 2022, "purchased_seats", 950.0),  # −5 % → met
                (B, 2021, "purchased_seats", 1000.0), (B, 2022, "purchased_seats", 960.0),  # −4 % → not met
                (A, 2021, "kindergarten_teacher_certified_share", 0.80),
                (A, 2022, "kindergarten_teacher_certified_share", 0.82),  # +2 points > 0 → met
                (B, 2021, "kindergarten_teacher_certified_share", 0.80),
                (B, 2022, "kindergarten_teacher_certified_share", 0.80),  # no change → not met
                counties=(A, B))
    myopia = row_of(out, "t13_myopia_rate_change", A)
    assert myopia["value"] == pytest.approx(-0.005) and myopia["previous_value"] == 0.5
    assert myopia["status"] == "met"
    assert row_of(out, "t13_myopia_rate_change", B)["status"] == "not_met"
    seats = row_of(out, "t07_purchased_seats_change", A)
    assert seats["value"] == pytest.approx((950 - 1000) / 1000) and seats["status"] == "met"
    assert row_of(out, "t07_purchased_seats_change", B)["status"] == "not_met"
    assert row_of(out, "t07_kindergarten_teacher_certified_share", A)["status"] == "met"
    assert row_of(out, "t07_kindergarten_teacher_certified_share", B)["status"] == "not_met"


def test_a_supplied_change_indicator_wins_and_a_missing_previous_year_is_no_data(targets):
    out = score(targets,
                (A, 2021, "myopia_rate", 0.50), (A, 2022, "myopia_rate", 0.49),
                (A, 2022, "myopia_rate_change", -0.003),   # reported directly: wins over −0.01
                (B, 2022, "myopia_rate", 0.40),            # no 2021 value
                counties=(A, B))
    assert row_of(out, "t13_myopia_rate_change", A)["value"] == pytest.approx(-0.003)
    assert row_of(out, "t13_myopia_rate_change", A)["status"] == "not_met"
    missing = row_of(out, "t13_myopia_rate_change", B)
    assert missing["status"] == "no_data" and "2021" in missing["note"]


ITEM27 = "t27_temporary_teacher_excess_cut"


def item27_rows(county, established, temporary_before, temporary_now):
    return [(county, 2021, "established_teachers_count", established),
            (county, 2021, "temporary_teachers_count", temporary_before),
            (county, 2022, "temporary_teachers_count", temporary_now)]


def test_item27_with_the_default_denominator(targets):
    # established 950, temporary 100 → ratio 100/1050 = 9.52 % > 5 %;
    # excess over the 5 % line = 100 − 0.05·1050 = 47.5; required cut = 0.2·47.5 = 9.5;
    # next year 90 → cut 10 >= 9.5 → met.
    out = score(targets, *item27_rows(A, 950, 100, 90))
    row = row_of(out, ITEM27)
    assert (row["value"], row["threshold"], row["status"]) == (10.0, pytest.approx(9.5), "met")
    assert row["previous_value"] == 100 and "9.52 %" in row["note"]


def test_item27_with_established_teachers_as_denominator(targets):
    # ratio 100/950 = 10.53 %; excess = 100 − 0.05·950 = 52.5; required = 0.2·52.5 = 10.5;
    # cut 10 < 10.5 → not met.
    out = score(targets, *item27_rows(A, 950, 100, 90), temporary_denominator="established")
    row = row_of(out, ITEM27)
    assert row["threshold"] == pytest.approx(10.5) and row["status"] == "not_met"
    with pytest.raises(ValueError):
        score(targets, *item27_rows(A, 950, 100, 90), temporary_denominator="staff")


def test_item27_follows_the_denominator_setting(targets):
    from qyanalysis import settings

    with settings.override(TEMPORARY_RATIO_DENOMINATOR="established"):
        row = row_of(score(targets, *item27_rows(A, 950, 100, 90)), ITEM27)
    assert row["threshold"] == pytest.approx(10.5) and "(established)" in row["note"]


def test_item27_below_the_line_is_not_applicable_and_missing_counts_are_no_data(targets):
    # 40 / (1000 + 40) = 3.85 % <= 5 % → the rule does not apply.
    out = score(targets, *item27_rows(A, 1000, 40, 45), counties=(A, B))
    assert row_of(out, ITEM27, A)["status"] == "not_applicable"
    assert row_of(out, ITEM27, B)["status"] == "no_data"
    # ... but "只减不增" still applies: 40 → 45 is an increase.
    assert row_of(out, "t27_temporary_teachers_count", A)["status"] == "not_met"


def test_item27_reported_cut_and_override_of_the_fraction(targets):
    overrides = pd.DataFrame({"target_id": [ITEM27], "county_code": [A], "threshold": [0.3],
                              "source": ["2022 责任书"]})
    out = score(targets, *item27_rows(A, 950, 100, 95), (A, 2022, "temporary_teacher_excess_cut", 15.0),
                overrides=overrides)
    row = row_of(out, ITEM27)
    # reported cut 15 wins over 100 − 95 = 5; required 0.3·47.5 = 14.25 → met
    assert row["value"] == 15 and row["threshold"] == pytest.approx(14.25) and row["status"] == "met"
    assert row["threshold_source"] == "2022 责任书"


def test_overrides_for_county_and_city_targets(targets):
    overrides = pd.DataFrame({
        "target_id": ["t07_preschool_public_share", "t06_new_public_seats_compulsory"],
        "county_code": [A, B], "threshold": [0.55, 3000.0], "comparator": [pd.NA, pd.NA],
        "source": ["2022 责任书", "2022 责任书"]})
    out = score(targets, (A, 2022, "preschool_public_share", 0.52),
                (B, 2022, "new_public_seats_compulsory", 3100.0), counties=(A, B), overrides=overrides)
    share = row_of(out, "t07_preschool_public_share", A)
    assert (share["threshold"], share["status"]) == (0.55, "not_met")  # 0.52 meets 0.50, not the quota
    quota = row_of(out, "t06_new_public_seats_compulsory", B)
    assert (quota["threshold"], quota["status"], quota["level"]) == (3000.0, "met", "county")


def test_city_values_are_aggregated_from_counties(targets):
    out = score(targets,
                (A, 2022, "new_public_seats_preschool", 1200.0),
                (B, 2022, "new_public_seats_preschool", 900.0),
                (A, 2022, "arts_base_schools", 12.0), (B, 2022, "arts_base_schools", 5.0),
                (CITY, 2022, "arts_base_schools", 21.0),            # the city's own figure wins over 17
                counties=(A, B), city=CITY)
    seats = row_of(out, "t06_new_public_seats_preschool", CITY)
    assert seats["value"] == 2100 and seats["status"] == "met" and "2 of 2" in seats["note"]
    arts = row_of(out, "t14_arts_base_schools", CITY)
    assert arts["value"] == 21 and arts["status"] == "met"
    assert row_of(out, "t29_support_teachers_sent", CITY)["status"] == "no_data"


def test_city_shares_are_pooled_from_numerators_and_denominators():
    from qyanalysis.verdicts.rules import aggregate_city, prepare_measures

    prepared = prepare_measures(measures(
        (A, 2022, "preschool_public_share", 0.30, "", 30.0, 100.0),
        (B, 2022, "preschool_public_share", 0.90, "", 45.0, 50.0),
        (A, 2022, "fitness_good_rate", 0.6), (B, 2022, "fitness_good_rate", 0.4),
    ), [A, B], [2022])
    city = aggregate_city(prepared, CITY, [A, B]).set_index("indicator")
    # (30 + 45) / (100 + 50) = 0.5, not the mean of 0.30 and 0.90
    assert city.loc["preschool_public_share", "value"] == pytest.approx(0.5)
    assert np.isnan(city.loc["fitness_good_rate", "value"])
    assert "not aggregated" in city.loc["fitness_good_rate", "note"]


def test_all_counties_rule(targets):
    met = score(targets, (A, 2022, "parent_school_zone", 1.0), (B, 2022, "parent_school_zone", 1.0),
                counties=(A, B), city=CITY)
    assert row_of(met, "t12_parent_school_zone", CITY)["status"] == "met"
    one_missing = score(targets, (A, 2022, "parent_school_zone", 1.0), counties=(A, B), city=CITY)
    assert row_of(one_missing, "t12_parent_school_zone", CITY)["status"] == "no_data"
    failed = score(targets, (A, 2022, "parent_school_zone", 1.0), (B, 2022, "parent_school_zone", 0.0),
                   counties=(A, B), city=CITY)
    city_row = row_of(failed, "t12_parent_school_zone", CITY)
    assert city_row["status"] == "not_met" and city_row["value"] == 0.0 and "1 of 2" in city_row["note"]
    assert row_of(failed, "t12_parent_school_zone", A)["status"] == "met"
    city_says = score(targets, (A, 2022, "parent_school_zone", 0.0), (CITY, 2022, "parent_school_zone", 1.0),
                      counties=(A, B), city=CITY)
    assert row_of(city_says, "t12_parent_school_zone", CITY)["status"] == "met"  # a city value wins
    nobody = score(targets, counties=(), city=CITY)
    assert row_of(nobody, "t12_parent_school_zone", CITY)["status"] == "no_data"


def test_finding_7_the_city_note_counts_the_statuses_it_names(targets):
    """The city row said "0 of 8 counties meet the target" while 6 counties had 1 against 1 (on track, in-year)."""
    rows = [(A, 2022, "parent_school_zone", 1.0, "2022-09"), (B, 2022, "parent_school_zone", 1.0, "2022-09")]
    city = row_of(score(targets, *rows, counties=(A, B), city=CITY), "t12_parent_school_zone", CITY)
    assert city["status"] == "on_track"
    assert city["note"] == "0 of 2 counties met, 2 on track, 0 at risk; the worst county value is shown"
    from qyanalysis.present.narrative import note_text

    assert note_text(city["note"], "en").startswith("0 of 2 counties have met the target, 2 are on track")


def test_in_year_cumulative_counts_are_forecast(targets):
    on_pace = [(CITY, 2022, "new_public_seats_preschool", 200.0 * m, f"2022-{m:02d}") for m in range(1, 7)]
    slow = [(CITY, 2022, "new_public_seats_senior", 100.0 * m, f"2022-{m:02d}") for m in range(1, 7)]
    out = score(targets, *on_pace, *slow, counties=(A,), city=CITY)
    # 200 a month → 1200 by June → 2400 at year-end >= 2000: on track; a linear series has no spread.
    pre = row_of(out, "t06_new_public_seats_preschool", CITY)
    assert (pre["value"], pre["period"]) == (1200, "2022-06")
    assert (pre["forecast"], pre["status"]) == (2400, "on_track")
    assert pre["forecast_low"] == pytest.approx(2400) and pre["forecast_high"] == pytest.approx(2400)
    # 100 a month → 1200 at year-end < 2000: at risk.
    senior = row_of(out, "t06_new_public_seats_senior", CITY)
    assert (senior["forecast"], senior["status"]) == (1200, "at_risk")


def test_an_annual_value_wins_over_monthly_ones_and_month_12_is_year_end(targets):
    out = score(targets, (CITY, 2022, "new_public_seats_preschool", 300.0, "2022-03"),
                (CITY, 2022, "new_public_seats_preschool", 2500.0),
                (CITY, 2022, "new_public_seats_senior", 1500.0, "2022-06"),
                (CITY, 2022, "new_public_seats_senior", 2100.0, "2022-12"), counties=(A,), city=CITY)
    assert row_of(out, "t06_new_public_seats_preschool", CITY)["status"] == "met"
    assert row_of(out, "t06_new_public_seats_senior", CITY)["status"] == "met"


def test_city_forecast_uses_only_months_every_county_reported(targets):
    # A reports March (300) and June (600); B only June (500): the city series is
    # June alone, 1100 → pace 1100/6 a month → 2200, with no interval.
    out = score(targets, (A, 2022, "new_public_seats_preschool", 300.0, "2022-03"),
                (A, 2022, "new_public_seats_preschool", 600.0, "2022-06"),
                (B, 2022, "new_public_seats_preschool", 500.0, "2022-06"), counties=(A, B), city=CITY)
    row = row_of(out, "t06_new_public_seats_preschool", CITY)
    assert row["forecast"] == pytest.approx(2200) and np.isnan(row["forecast_low"])
    # one month is too little to claim a probability: at risk until more months come in
    assert row["status"] == "at_risk" and np.isnan(row["p_meet"])


def test_output_is_sorted_and_byte_stable(targets):
    rows = [(A, 2022, "preschool_public_share", 0.6), (B, 2022, "preschool_public_share", 0.4),
            (A, 2022, "arts_base_schools", 3.0), (B, 2021, "myopia_rate", 0.5), (B, 2022, "myopia_rate", 0.4)]
    first = evaluate(targets, measures(*rows), [A, B], CITY, 2022)
    shuffled = measures(*rows).sample(frac=1, random_state=3)
    second = evaluate(targets, shuffled, [B, A], CITY, 2022)
    assert first.to_csv(index=False) == second.to_csv(index=False)
    keys = first[["item", "target_id", "county_code"]]
    assert keys.equals(keys.sort_values(["item", "target_id", "county_code"]).reset_index(drop=True))


def test_thousands_of_counties_are_scored_quickly(targets):
    codes = [f"{900001 + i}" for i in range(2846)]
    per_county = [(2022, "preschool_public_share"), (2022, "compulsory_dropout_rate"), (2021, "myopia_rate"),
                  (2022, "myopia_rate"), (2022, "new_public_seats_preschool")]
    years, names = zip(*per_county)
    frame = pd.DataFrame({
        "county_code": np.repeat(codes, len(per_county)), "year": np.tile(years, len(codes)), "period": "",
        "indicator": np.tile(names, len(codes)),
        "value": np.random.default_rng(0).uniform(0, 0.6, len(per_county) * len(codes)), "note": ""})
    start = time.perf_counter()
    out = evaluate(targets, frame, codes, "900000", 2022)
    assert time.perf_counter() - start < 30
    assert out["county_code"].nunique() == len(codes) + 1
    assert (out.loc[out["target_id"] == "t07_preschool_public_share", "status"] != "no_data").all()
    county_rows = out["level"] == "county"
    assert (out.loc[county_rows & (out["target_id"] == "t13_myopia_rate_change"), "status"] != "no_data").all()
    seats = out[(out["target_id"] == "t06_new_public_seats_preschool")].iloc[0]
    total = frame.loc[frame["indicator"] == "new_public_seats_preschool", "value"].sum()
    assert seats["value"] == pytest.approx(total)


def _dataset():
    schools = pd.DataFrame({
        "school_id": ["s1", "s2", "s3"], "school_name": ["一", "二", "三"],
        "county_code": [A, A, B], "year": [2021, 2022, 2022], "level": ["primary"] * 3,
        "ownership": ["public"] * 3, "students": [500.0, 520.0, 300.0]})
    empty = pd.DataFrame(columns=["county_code", "year", "period", "indicator", "value", "source"])
    return Dataset(schools=schools, indicators=empty)


@pytest.fixture()
def fake_measures(monkeypatch):
    import qyanalysis.measures as measures_module

    frame = measures((A, 2022, "preschool_public_share", 0.6), (B, 2022, "preschool_public_share", 0.4),
                     (A, 2022, "arts_base_schools", 12.0), (B, 2022, "arts_base_schools", 9.0),
                     *item27_rows(A, 950, 100, 90))
    monkeypatch.setattr(measures_module, "compute_all", lambda dataset: frame, raising=False)
    return frame


def test_scorecard_for_a_county_by_name(fake_measures):
    out = scorecard(_dataset(), "清城", 2022)
    assert set(out["county_code"]) == {A} and set(out["level"]) == {"county"}
    assert row_of(out, "t07_preschool_public_share")["status"] == "met"
    assert row_of(out, ITEM27)["status"] == "met"  # 950 / 100 → 90: cut 10 >= 9.5


def test_scorecard_for_the_city_and_for_everyone(fake_measures):
    city = scorecard(_dataset(), "city", 2022)
    assert set(city["county_code"]) == {CITY}
    assert row_of(city, "t14_arts_base_schools", CITY)["value"] == 21
    assert scorecard(_dataset(), "清远市", 2022).equals(city)
    everyone = scorecard(_dataset(), None, 2022)
    assert {CITY, A, B} <= set(everyone["county_code"])
    assert len(everyone["county_code"].unique()) == 9  # 8 counties + the city
    assert row_of(everyone, "t07_preschool_public_share", B)["status"] == "not_met"


def test_scorecard_refuses_an_unknown_county(fake_measures):
    from qyanalysis.errors import UsageError

    with pytest.raises(UsageError):
        scorecard(_dataset(), "广州", 2022)


def test_scorecard_defaults_to_the_latest_census_year(fake_measures):
    assert set(scorecard(_dataset(), A)["year"]) == {2022}
    assert attainment.STATUSES == ("met", "not_met", "on_track", "at_risk", "no_data", "not_applicable")


# --- scope, coverage, overrides that excuse, in-year snapshots (issue: verdicts a bureau can sign) ---------

EIGHT = ["441802", "441803", "441821", "441823", "441825", "441826", "441881", "441882"]


def test_a_city_wide_rate_is_pooled_over_all_counties_and_each_county_reads_the_city_line(targets):
    # dropouts / compulsory pupils: 30/10,000 and 90/10,000 in two counties, 0/5,000 in the others
    rows = [(c, 2022, "compulsory_dropout_rate", 0.0, "", 0.0, 5000.0) for c in EIGHT[2:]]
    rows += [(EIGHT[0], 2022, "compulsory_dropout_rate", 0.003, "", 30.0, 10000.0),
             (EIGHT[1], 2022, "compulsory_dropout_rate", 0.009, "", 90.0, 10000.0)]
    out = score(targets, *rows, counties=EIGHT, city=CITY)
    city = row_of(out, "t08_compulsory_dropout_rate", CITY)
    # Σ dropouts ÷ Σ pupils = (30 + 90) / (10,000 + 10,000 + 6·5,000) = 120 / 50,000 = 0.0024 ≤ 0.005
    assert city["value"] == pytest.approx(0.0024) and city["status"] == "met" and city["scope"] == "city"
    assert (city["numerator"], city["denominator"]) == (120.0, 50000.0)
    reading = row_of(out, "t08_compulsory_dropout_rate", EIGHT[1])
    # the county's own 0.9 % read against the city line: not met, marked as a reading of the city target
    assert reading["status"] == "not_met" and reading["scope_note"] == "city_target"
    assert row_of(out, "t08_compulsory_dropout_rate", EIGHT[0])["scope_note"] == "city_target"


def test_a_city_change_is_taken_against_the_pooled_previous_year(targets):
    rows = []
    for c in EIGHT:
        rows += [(c, 2021, "myopia_rate", 0.50, "", 500.0, 1000.0), (c, 2022, "myopia_rate", 0.49, "", 490.0, 1000.0)]
    rows[-1] = (EIGHT[-1], 2022, "myopia_rate", 0.55, "", 1100.0, 2000.0)
    out = score(targets, *rows, counties=EIGHT, city=CITY)
    city = row_of(out, "t13_myopia_rate_change", CITY)
    # 2021: 4000/8000 = 0.5; 2022: (7·490 + 1100)/(7·1000 + 2000) = 4530/9000 = 0.503333 → +0.003333
    assert city["value"] == pytest.approx(4530 / 9000 - 0.5) and city["status"] == "not_met"
    assert row_of(out, "t13_myopia_rate_change", EIGHT[0])["status"] == "met"  # 0.49 − 0.50 = −1 point


def test_a_city_sum_from_two_of_eight_counties_below_its_target_is_no_data(targets):
    rows = [(EIGHT[0], 2022, "arts_base_schools", 6.0), (EIGHT[1], 2022, "arts_base_schools", 5.0)]
    out = score(targets, *rows, counties=EIGHT, city=CITY)
    row = row_of(out, "t14_arts_base_schools", CITY)
    # 6 + 5 = 11 < 20 from 2 of 8 counties: the other six could still make it up
    assert (row["value"], row["status"]) == (11.0, "no_data")
    # the six missing counties, the first five named
    assert row["coverage"] == "2 of 8 counties; missing: 441821 441823 441825 441826 441881 +1"
    assert "441821" in row["note"] and "441882" in row["note"]
    # ... but a partial sum of counts already at 20 decides a ">= 20" target
    rows = [(EIGHT[0], 2022, "arts_base_schools", 12.0), (EIGHT[1], 2022, "arts_base_schools", 9.0)]
    decided = row_of(score(targets, *rows, counties=EIGHT, city=CITY), "t14_arts_base_schools", CITY)
    assert (decided["value"], decided["status"]) == (21.0, "met")
    assert decided["coverage"].startswith("2 of 8 counties; missing: ")


def test_a_pooled_city_rate_from_some_counties_is_no_data(targets):
    rows = [(c, 2022, "migrant_public_share", 0.9, "", 90.0, 100.0) for c in EIGHT[:7]]
    row = row_of(score(targets, *rows, counties=EIGHT, city=CITY), "t08_migrant_public_share", CITY)
    assert row["value"] == pytest.approx(0.9) and row["status"] == "no_data"
    assert row["coverage"] == f"7 of 8 counties; missing: {EIGHT[7]}"


def test_a_county_value_from_some_of_its_schools_is_no_data_unless_the_setting_accepts_it(targets):
    from qyanalysis import settings

    frame = measures((A, 2022, "preschool_public_share", 0.6, "", 60.0, 100.0))
    frame["units_reporting"], frame["units_expected"] = 37.0, 40.0
    row = row_of(evaluate(targets, frame, [A], None, 2022), "t07_preschool_public_share")
    assert (row["status"], row["coverage"]) == ("no_data", "37 of 40 schools")
    with settings.override(MIN_COVERAGE_SHARE=0.9):
        row = row_of(evaluate(targets, frame, [A], None, 2022), "t07_preschool_public_share")
    assert (row["status"], row["coverage"]) == ("met", "37 of 40 schools")  # 37/40 = 0.925 ≥ 0.9


def test_applies_no_makes_a_county_row_not_applicable(targets):
    overrides = pd.DataFrame({"target_id": ["t13_fitness_good_rate"], "county_code": [B],
                              "threshold": [np.nan], "applies": [False], "source": ["2022 省抽测名单"]})
    rows = [(A, 2022, "fitness_good_rate", 0.4, "", 40.0, 100.0), (B, 2022, "fitness_good_rate", 0.4, "", 40.0, 100.0)]
    out = score(targets, *rows, counties=(A, B), overrides=overrides)
    assert row_of(out, "t13_fitness_good_rate", A)["status"] == "not_met"
    excused = row_of(out, "t13_fitness_good_rate", B)
    assert excused["status"] == "not_applicable" and "2022 省抽测名单" in excused["note"]
    assert excused["threshold_source"] == "2022 省抽测名单"


def test_an_override_without_threshold_that_applies_is_refused(targets):
    from qyanalysis.errors import DataValidationError

    overrides = pd.DataFrame({"target_id": ["t13_fitness_good_rate"], "county_code": [B], "threshold": [np.nan]})
    with pytest.raises(DataValidationError, match="targets_override:2:threshold"):
        score(targets, counties=(A, B), overrides=overrides)


def _monthly(code, values, county=CITY):
    return [(county, 2022, code, float(v), f"2022-{m:02d}") for m, v in enumerate(np.cumsum(values), start=1)]


def test_a_noisy_series_whose_point_forecast_meets_the_target_is_at_risk(targets):
    # 9 months, increments alternating 0 and 380: 1,710 by September (pace 190 a month → 2,280 ≥ 2,000),
    # but the spread is so wide that P(year-end ≥ 2,000) < 0.8.
    noisy = _monthly("new_public_seats_preschool", [0, 380] * 4 + [190])
    row = row_of(score(targets, *noisy, city=CITY), "t06_new_public_seats_preschool", CITY)
    assert row["forecast"] == pytest.approx(2280) and row["forecast"] >= 2000
    assert row["p_meet"] < 0.8 and row["status"] == "at_risk"


def test_a_smooth_series_meeting_the_target_is_on_track(targets):
    smooth = _monthly("new_public_seats_preschool", [185, 195, 190, 188, 192, 190, 189, 191, 190])
    row = row_of(score(targets, *smooth, city=CITY), "t06_new_public_seats_preschool", CITY)
    assert row["forecast"] == pytest.approx(2280) and row["p_meet"] >= 0.8 and row["status"] == "on_track"


def test_the_as_of_month_cuts_later_periods_and_year_end_values_of_flows(targets):
    rows = _monthly("new_public_seats_preschool", [200] * 11)
    rows.append((CITY, 2022, "new_public_seats_preschool", 2500.0))          # a year-end total
    rows.append((CITY, 2022, "arts_pilot_towns", 8.0))                       # a stock
    out = score(targets, *rows, city=CITY, as_of="2022-06")
    seats = row_of(out, "t06_new_public_seats_preschool", CITY)
    assert (seats["value"], seats["period"], seats["as_of"]) == (1200.0, "2022-06", "2022-06")
    assert seats["status"] == "on_track"  # 200 a month, no spread: 2,400 ≥ 2,000
    assert row_of(out, "t14_arts_pilot_towns", CITY)["status"] == "met"  # a stock keeps its value
    assert row_of(score(targets, *rows, city=CITY), "t06_new_public_seats_preschool", CITY)["value"] == 2500


def test_item_34_before_december_reads_the_tasks_not_the_count(targets):
    tasks = pd.DataFrame({
        "county_code": [A] * 70, "year": [2022] * 70, "is_key_task": [True] * 70,
        "status": ["completed"] * 40 + ["in_progress"] * 30,
        "due": ["2022-03"] * 40 + ["2022-11"] * 30})
    rows = [(A, 2022, "key_tasks_completed", 40.0)]
    out = score(targets, *rows, city=CITY, as_of="2022-09", tasks=tasks)
    row = row_of(out, "t34_key_tasks_completed", CITY)
    # 40 completed + 30 not yet due ≥ 60 and nothing overdue: on track, never not_met before December
    assert (row["value"], row["status"]) == (40.0, "on_track")
    assert "40 completed, 30 not yet due, 0 overdue" in row["note"]
    late = tasks.assign(due=["2022-03"] * 40 + ["2022-08"] * 30)
    row = row_of(score(targets, *rows, city=CITY, as_of="2022-09", tasks=late), "t34_key_tasks_completed", CITY)
    assert row["status"] == "at_risk" and "30 overdue" in row["note"]
    year_end = row_of(score(targets, *rows, city=CITY, tasks=tasks), "t34_key_tasks_completed", CITY)
    assert year_end["status"] == "not_met"


def test_a_threshold_override_reaches_the_scorecard(targets):
    overrides = pd.DataFrame({"target_id": ["t07_preschool_public_share"], "county_code": [A], "threshold": [0.7]})
    row = row_of(score(targets, (A, 2022, "preschool_public_share", 0.6), overrides=overrides),
                 "t07_preschool_public_share")
    assert (row["threshold"], row["status"]) == (0.7, "not_met")


def test_without_a_sampling_list_every_county_is_scored_and_the_note_says_so(targets):
    from qyanalysis.present.narrative import note_text

    rows = [(A, 2022, "fitness_good_rate", 0.4, "", 40.0, 100.0)]
    row = row_of(score(targets, *rows), "t13_fitness_good_rate")
    assert row["status"] == "not_met" and row["note"] == "sampled_counties_not_given"
    assert "抽测名单" in note_text(row["note"], "zh") and "sampling list" in note_text(row["note"], "en")
    listed = pd.DataFrame({"target_id": ["t13_fitness_good_rate"], "county_code": [A], "threshold": [0.5],
                           "applies": [True], "source": ["2022 省抽测名单"]})
    row = row_of(score(targets, *rows, overrides=listed), "t13_fitness_good_rate")
    assert row["status"] == "not_met" and "sampled" not in row["note"]


def test_finding_5_with_a_sampling_list_an_unlisted_county_is_not_in_the_sample(targets):
    """A partial list (是 for A, 否 for B) used to score the unlisted county C, silently, as not_met."""
    from qyanalysis.present.narrative import note_text

    rows = [(c, 2022, "fitness_good_rate", 0.4, "", 40.0, 100.0) for c in (A, B, "441823")]
    listed = pd.DataFrame({"target_id": ["t13_fitness_good_rate"] * 2, "county_code": [A, B],
                           "threshold": [0.5, np.nan], "applies": [True, False],
                           "source": ["2022 省抽测名单"] * 2})
    out = score(targets, *rows, counties=(A, B, "441823"), overrides=listed)
    assert row_of(out, "t13_fitness_good_rate", A)["status"] == "not_met"  # sampled: judged
    assert row_of(out, "t13_fitness_good_rate", B)["status"] == "not_applicable"  # 否: excused
    unlisted = row_of(out, "t13_fitness_good_rate", "441823")
    assert (unlisted["status"], unlisted["note"]) == ("not_applicable", "not_applicable: not in the sample")
    assert "抽测" in note_text(unlisted["note"], "zh")


def test_finding_6_one_in_year_rule_when_the_year_is_over(targets):
    """as_of 2023-01 with September data only: the seats stayed on_track while item 34 became not_met.

    At or past the year's end nothing is in-year: a flow without its year-end figure is no_data unless the
    count so far decides; item 34's count of completed tasks (its year-end figure) is final.
    """
    from qyanalysis.present.narrative import note_text

    seats = [(CITY, 2022, "new_public_seats_compulsory", 2000.0 * m, f"2022-{m:02d}") for m in range(1, 10)]
    before = row_of(score(targets, *seats, counties=(A,), city=CITY, as_of="2022-09"),
                    "t06_new_public_seats_compulsory", CITY)
    assert before["status"] == "on_track" and before["forecast"] == pytest.approx(24000)
    after = row_of(score(targets, *seats, counties=(A,), city=CITY, as_of="2023-01"),
                   "t06_new_public_seats_compulsory", CITY)
    assert (after["status"], after["value"]) == ("no_data", 18000.0) and np.isnan(after["forecast"])
    assert after["note"].endswith("no year-end figure for 2022, last reported 2022-09")
    assert "年末" in note_text(after["note"], "zh")
    reached = [(CITY, 2022, "new_public_seats_compulsory", 21000.0, "2022-09")]
    decided = row_of(score(targets, *reached, counties=(A,), city=CITY, as_of="2023-01"),
                     "t06_new_public_seats_compulsory", CITY)
    assert decided["status"] == "met"  # 21,000 ≥ 20,500 already: the rest of the year cannot undo it
    tasks = [(CITY, 2022, "key_tasks_completed", 35.0)]
    item34 = row_of(score(targets, *tasks, counties=(A,), city=CITY, as_of="2023-01"), "t34_key_tasks_completed",
                    CITY)
    assert item34["status"] == "not_met"  # 35 of 60 at the year's end: final by the same rule
