"""The ``indicators`` table of the demonstration data: every catalogue code whose origin is ``input``.

Layout: one row per county × year × period × indicator. The table is a
snapshot as of September 2022 (``qyanalysis.demo.snapshot``): 2019–2021 are
closed years with annual values (empty ``period``); in 2022 the in-year flows
are cumulative monthly (the three item-6 seat counts, 2022-01 … 2022-09) or
quarterly (people trained, teachers placed, groups applied: 2022-Q1 … Q3)
figures with no year-end value, stocks and in-year progress carry one value
at 2022-09, and school-year and budget figures are annual. City-level counts
(items 14, 15, 17, 19, 20, 25, 29) are split over the counties so that the
city total is the sum of the county rows; no row uses the city code.

Public facts used: 2021 new public places, 12,950 compulsory and 5,540
kindergarten (the city's review of its 2021 education work, reported in
2022); the plan's city totals (2,000 / 20,500 / 2,000 seats; 20 arts base
schools in 8 pilot towns; 30 + 10 labour-education schools; 2 education
groups; 7 evaluation pilots; 100 studios; 135 + 135 support placements);
Qingxin and Lianshan as the 2021 ideology pilot counties (plan item 17).
Everything else is invented, including the provincial per-student funding
standard (the Guangdong figure for compulsory education could not be
confirmed from a public source).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qyanalysis.contract.columns import COMPULSORY_LEVELS
from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.demo.snapshot import (
    AS_OF, AS_OF_MONTH, AS_OF_YEAR, IN_YEAR_FLOWS, MONTHS, QUARTERLY_FLOWS, QUARTERS,
)

SOURCE = "synthetic demo"
YEARS = (2019, 2020, 2021, 2022)
SEAT_TARGETS = {"preschool": 2000, "compulsory": 20500, "senior": 2000}
SEAT_PROFILE = {"preschool": "seat_pre", "compulsory": "seat_com", "senior": "seat_sen"}
# Annual new public seats of earlier years, city totals (2021 preschool and compulsory: the city's review).
SEATS_BEFORE = {2019: {"preschool": 3000, "compulsory": 8000, "senior": 1000},
                2020: {"preschool": 3800, "compulsory": 9800, "senior": 1200},
                2021: {"preschool": 5540, "compulsory": 12950, "senior": 1500}}
# City totals split over counties (2021, end of 2022): items 14, 15, 19, 20, 25, 29. Those in
# QUARTERLY_FLOWS are cumulated over the months of 2022 up to the snapshot; the others are stocks.
CITY_COUNTS = {
    "arts_base_schools": (12, 20), "arts_pilot_towns": (5, 8), "labor_feature_schools": (22, 31),
    "labor_demo_schools": (6, 9), "education_groups_applied": (1, 3), "evaluation_pilots": (7, 7),
    "famous_studios": (64, 92), "support_teachers_received": (120, 141), "support_teachers_sent": (110, 128),
}
IDEOLOGY_PILOTS = {2021: ("441803", "441825"), 2022: ("441802", "441803", "441825", "441881")}
FUNDING_STANDARD_YUAN = {2019: 950, 2020: 1000, 2021: 1100, 2022: 1150}  # invented, see module docstring
SPECIAL_FUNDING_FLOOR_YUAN = 6000  # national floor for special education (教督〔2017〕6号)
PAY_GROWTH, PURCHASED_SHARE_OF_INCLUSIVE = 0.04, 0.45
# Relative pace of new seats by calendar month (schools open for the autumn term).
SEAT_SEASON = np.array([1, 1, 1, 1, 1, 1.5, 1.5, 2.5, 3.0, 1.0, 1.0, 1.5])
# Relative number of programme events (training, placements, applications) by calendar month.
PROGRAMME_SEASON = np.array([0.6, 0.5, 1.0, 1.0, 1.0, 1.0, 1.6, 1.8, 1.2, 1.0, 1.0, 0.6])
DISABLED_HOME_TUITION = 1.12  # 送教上门 pupils on top of those in schools


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split a whole ``total`` over units in proportion to ``weights`` (largest remainder); sums exactly."""
    share = total * np.asarray(weights, dtype=float) / np.sum(weights)
    out = np.floor(share).astype(np.int64)
    rest = int(total - out.sum())
    out[np.argsort(-(share - out), kind="stable")[:rest]] += 1
    return out


def seat_quotas(profiles: pd.DataFrame) -> dict[str, np.ndarray]:
    """County quotas of the 2022 seat targets: population × growth weights, summing to the city targets."""
    weight = profiles["population"].to_numpy(dtype=float) * np.exp(10.0 * profiles["growth"].to_numpy())
    return {kind: allocate(target, weight) for kind, target in SEAT_TARGETS.items()}


def _frame(codes: np.ndarray, year: int, indicator: str, values: np.ndarray,
           period: str = "") -> pd.DataFrame:
    return pd.DataFrame({"county": codes, "year": year, "period": period, "indicator": indicator,
                         "value": np.asarray(values, dtype=float)})


def _at_snapshot(year: int) -> str:
    """Period of a stock or progress figure: the snapshot month in the current year, annual before."""
    return AS_OF if year == AS_OF_YEAR else ""


def _county_sums(schools: pd.DataFrame, year: int, codes: np.ndarray, mask: pd.Series,
                 values: pd.Series) -> np.ndarray:
    in_year = (schools["year"] == year) & mask
    sums = values[in_year].groupby(schools.loc[in_year, "county"]).sum()
    return sums.reindex(codes, fill_value=0).to_numpy()


def _seats(profiles: pd.DataFrame, rng: np.random.Generator) -> list[pd.DataFrame]:
    codes = profiles["county_code"].to_numpy()
    weight = profiles["population"].to_numpy(dtype=float) * np.exp(10.0 * profiles["growth"].to_numpy())
    frames = []
    for year, totals in SEATS_BEFORE.items():
        for kind, total in totals.items():
            noisy = weight * rng.uniform(0.6, 1.4, len(codes))
            frames.append(_frame(codes, year, f"new_public_seats_{kind}", allocate(total, noisy)))
    month_weight = SEAT_SEASON[:AS_OF_MONTH]
    for kind, quota in seat_quotas(profiles).items():
        reached = quota * profiles[SEAT_PROFILE[kind]].to_numpy()
        steps = rng.gamma(2.0, 1.0, (len(codes), len(MONTHS))) * month_weight
        cumulative = np.round(reached[:, None] * np.cumsum(steps, axis=1) / steps.sum(axis=1, keepdims=True))
        for month, values in zip(MONTHS, cumulative.T):
            frames.append(_frame(codes, AS_OF_YEAR, f"new_public_seats_{kind}", values, month))
    return frames


def cumulative_by_quarter(totals: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Cumulative counts at the end of each quarter up to the snapshot, for whole yearly ``totals``.

    Each of a county's ``totals`` events (a teacher trained, a placement, an
    application) falls in a month drawn with the weights of
    :data:`PROGRAMME_SEASON` (busiest in the summer); the figure of quarter q
    is the number of events in months 1 … 3q. The weights put 9.7 of their
    12.3 units in January–September: about 79 % of the year's events.

    Returns:
        Array of shape (counties, quarters up to the snapshot), non-decreasing along a row.
    """
    monthly = rng.multinomial(np.asarray(totals, dtype=np.int64), PROGRAMME_SEASON / PROGRAMME_SEASON.sum())
    quarter_ends = 3 * np.arange(1, len(QUARTERS) + 1) - 1
    return np.cumsum(monthly, axis=1)[:, quarter_ends]


def _quarterly_frames(codes: np.ndarray, indicator: str, totals: np.ndarray,
                      rng: np.random.Generator) -> list[pd.DataFrame]:
    cumulative = cumulative_by_quarter(totals, rng)
    return [_frame(codes, AS_OF_YEAR, indicator, cumulative[:, k], quarter) for k, quarter in enumerate(QUARTERS)]


def _preschool(schools: pd.DataFrame, profiles: pd.DataFrame, rng: np.random.Generator) -> list[pd.DataFrame]:
    """Purchased seats (falling ``purch_tr`` in 2022, 3–8 % earlier) and attached-class standardisation."""
    codes = profiles["county_code"].to_numpy()
    inclusive = schools["ownership"] == "private_inclusive"
    purchased = np.round(PURCHASED_SHARE_OF_INCLUSIVE
                         * _county_sums(schools, YEARS[0], codes, inclusive, schools["students"]))
    progress = np.array([[0.35], [0.5], [0.75]]) * rng.uniform(0.9, 1.0, (3, len(codes)))
    attached = np.vstack([profiles["attached"].to_numpy() * progress, profiles["attached"].to_numpy()])
    frames = []
    for i, year in enumerate(YEARS):
        if i:
            earlier = rng.uniform(-0.08, -0.03, len(codes))
            change = profiles["purch_tr"].to_numpy() if year == 2022 else earlier
            purchased = np.round(purchased * (1.0 + change))
        frames.append(_frame(codes, year, "purchased_seats", purchased))
        frames.append(_frame(codes, year, "attached_classes_standardised_share", np.round(attached[i], 3),
                             _at_snapshot(year)))
    return frames


def _pupils(schools: pd.DataFrame, profiles: pd.DataFrame, rng: np.random.Generator) -> list[pd.DataFrame]:
    """Junior cohort (retention) and disabled children (enrollment rate), from the census totals."""
    codes = profiles["county_code"].to_numpy()
    junior = schools["students_junior"].fillna(schools["students"].where(schools["level"] == "junior", 0))
    compulsory = schools["level"].isin(COMPULSORY_LEVELS)
    frames = []
    for year in YEARS:
        behind = 2022 - year
        entrants = np.round(_county_sums(schools, year, codes, junior > 0, junior) / 3.0
                            * rng.uniform(1.0, 1.04, len(codes)))
        retention = np.clip(profiles["retention"].to_numpy() - 0.004 * behind, 0.0, 1.0)
        special = schools["level"] == "special"
        disabled = (_county_sums(schools, year, codes, compulsory, schools["disabled_students"])
                    + 0.8 * _county_sums(schools, year, codes, special, schools["students"]))
        enrolled = np.round(disabled * DISABLED_HOME_TUITION)
        rate = np.clip(profiles["dis_enroll"].to_numpy() - 0.005 * behind, 0.5, 1.0)
        frames += [
            _frame(codes, year, "junior_cohort_entrants", entrants),
            _frame(codes, year, "junior_cohort_completers", np.round(entrants * retention)),
            _frame(codes, year, "disabled_children_enrolled", enrolled),
            _frame(codes, year, "disabled_children_school_age",
                   np.maximum(np.round(enrolled / rate), enrolled)),
        ]
    return frames


def _money(profiles: pd.DataFrame, rng: np.random.Generator) -> list[pd.DataFrame]:
    """Teacher and civil-servant pay, per-student funding against the (invented) standard.

    Civil-servant pay grows 4 % a year back from the county's 2022 ``cs_pay``;
    teacher pay is ``pay`` times it; funding is ``funding`` times the standard.
    Counties funding pupils below 98 % of the standard also fund special
    education 3 % below the national 6,000 元 floor; the others 0–30 % above it.
    """
    codes = profiles["county_code"].to_numpy()
    frames = []
    for year in YEARS:
        behind = 2022 - year
        civil = np.round(profiles["cs_pay"].to_numpy() / (1.0 + PAY_GROWTH) ** behind, -2)
        pay_ratio = profiles["pay"].to_numpy() + rng.normal(0.0, 0.01, len(codes)) * (behind > 0)
        standard = FUNDING_STANDARD_YUAN[year]
        funding = profiles["funding"].to_numpy() + rng.normal(0.0, 0.02, len(codes)) * (behind > 0)
        special = SPECIAL_FUNDING_FLOOR_YUAN * np.where(profiles["funding"].to_numpy() < 0.98, 0.97,
                                                        rng.uniform(1.0, 1.3, len(codes)))
        frames += [
            _frame(codes, year, "civil_servant_avg_pay_yuan", civil),
            _frame(codes, year, "teacher_avg_pay_yuan", np.round(civil * pay_ratio, -2)),
            _frame(codes, year, "per_student_funding_standard_yuan", np.full(len(codes), standard)),
            _frame(codes, year, "per_student_funding_yuan", np.round(standard * funding)),
            _frame(codes, year, "special_education_funding_per_student_yuan", np.round(special, -1)),
        ]
    return frames


def _programmes(profiles: pd.DataFrame, rng: np.random.Generator) -> list[pd.DataFrame]:
    """City counts split over counties, ideology pilots, parent-school zones, backbone training.

    In 2022 the flows of :data:`QUARTERLY_FLOWS` are cumulative quarterly
    figures (:func:`cumulative_by_quarter`) of a yearly total that the data
    never show; the stocks carry their value at the snapshot month.
    """
    codes = profiles["county_code"].to_numpy()
    population = profiles["population"].to_numpy(dtype=float)
    frames = []
    for indicator, totals in CITY_COUNTS.items():
        for year, total in zip((2021, 2022), totals):
            weight = population * rng.uniform(0.5, 1.5, len(codes))
            county_totals = allocate(total, weight)
            if year == AS_OF_YEAR and indicator in QUARTERLY_FLOWS:
                frames += _quarterly_frames(codes, indicator, county_totals, rng)
            else:
                frames.append(_frame(codes, year, indicator, county_totals, _at_snapshot(year)))
    pilots = {year: np.isin(codes, chosen) for year, chosen in IDEOLOGY_PILOTS.items()}
    if not pilots[2021].any():  # a synthetic region: two pilots in 2021, four in 2022
        order = rng.permutation(len(codes))
        index = np.arange(len(codes))
        pilots = {2021: np.isin(index, order[:2]), 2022: np.isin(index, order[:4])}
    zone_year = np.where(profiles["parent"].to_numpy() == 1, rng.integers(2020, 2023, len(codes)), 9999)
    trained = profiles["trained"].to_numpy()
    for year in (2020, 2021, 2022):
        frames.append(_frame(codes, year, "parent_school_zone", (year >= zone_year).astype(float),
                             _at_snapshot(year)))
    for year in (2021, 2022):
        frames.append(_frame(codes, year, "ideology_pilot_counties", pilots[year].astype(float),
                             _at_snapshot(year)))
    frames.append(_frame(codes, 2021, "backbone_trained", np.round(trained * 0.8)))
    frames += _quarterly_frames(codes, "backbone_trained", np.round(trained), rng)
    return frames


def build_indicators(schools: pd.DataFrame, profiles: pd.DataFrame, rng: np.random.Generator,
                     extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """The indicators table (see the module docstring), sorted by county, year, period, indicator.

    ``extra``: further rows made elsewhere (the 优质均衡 assessment's inputs,
    ``qyanalysis.demo.assessment``), same columns without ``source``.

    Raises:
        RuntimeError: if an ``input`` indicator of the catalogue is not produced, or an in-year flow
            has a year-end value inside the snapshot year.
    """
    frames = (_seats(profiles, rng) + _preschool(schools, profiles, rng) + _pupils(schools, profiles, rng)
              + _money(profiles, rng) + _programmes(profiles, rng) + ([] if extra is None else [extra]))
    table = pd.concat(frames, ignore_index=True)
    wanted = {code for code, entry in CATALOGUE.items() if entry.origin == "input"}
    missing = wanted - set(table["indicator"])
    if missing:
        raise RuntimeError(f"demo generator forgot input indicators: {sorted(missing)}")
    year_end = (table["year"] == AS_OF_YEAR) & (table["period"] == "") & table["indicator"].isin(IN_YEAR_FLOWS)
    if year_end.any():
        raise RuntimeError(f"demo generator wrote year-end values of in-year flows in {AS_OF_YEAR}: "
                           f"{sorted(set(table.loc[year_end, 'indicator']))}")
    table["source"] = SOURCE
    return table.sort_values(["county", "year", "period", "indicator"], kind="stable").reset_index(drop=True)
