"""The school layout: which schools each county has, and their lasting traits.

One row per school (not per year): county, type, level, location, ownership,
2022 enrollment and the per-school random effects that the yearly panel
(``qyanalysis.demo.panel``) reuses every year, so that schools keep their
identity and change slowly.

Calibration to population: a county of P residents gets
``P / 1000 · pupils_per_1000 · multiplier`` pupils of each school type, in
``round(pupils / (mean_size · size_factor))`` schools (at least ``min_n``).
The per-1000 rates and mean sizes are set so that the city's 2022 totals by
stage (``qyanalysis.demo.calibration.city_totals_by_stage``) come within a few
per cent of the published ones (``PUBLISHED_2022``: 354 primary schools /
422,369 pupils, 159 junior / 179,987, 34 regular senior / 76,891, 835
kindergartens / 169,466): about 4 % of residents in kindergarten, 10 % in
primary, 4.5 % in junior and 2 % in regular senior secondary, counting the
parts of combined schools in their stages. The county splits are
demonstration settings, not statistics.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

# type: the generator's school type ("teaching_point" is a primary school flagged
# is_teaching_point). per_1000: pupils per 1,000 residents; sd: log-sd of school
# sizes within a county; private: chance that an urban or town school is private
# (scaled down in rural counties); max_size: largest school allowed.
_TYPES = """
type               level              per_1000 mean_size sd   min_n private max_size
kindergarten       kindergarten       42.5     195       0.55 1     0.00    900
primary            primary            91.0     976       0.50 1     0.14    4000
teaching_point     primary            1.0      40        0.45 0     0.00    150
junior             junior             35.0     1350      0.45 1     0.12    4000
nine_year          nine_year          17.0     1100      0.45 0     0.35    4500
senior             senior             15.0     2300      0.35 1     0.15    6000
complete_secondary complete_secondary 6.0      2700      0.35 0     0.10    6000
twelve_year        twelve_year        2.0      2600      0.35 0     0.80    6000
special            special            0.30     220       0.35 1     0.00    400
vocational         vocational         9.0      3000      0.45 0     0.30    8000
"""
TYPES = pd.read_csv(io.StringIO(_TYPES), sep=r"\s+")
TYPE_NAMES_ZH = {
    "kindergarten": "幼儿园", "primary": "小学", "teaching_point": "教学点", "junior": "初级中学",
    "nine_year": "九年一贯制学校", "senior": "高级中学", "complete_secondary": "完全中学",
    "twelve_year": "十二年一贯制学校", "special": "特殊教育学校", "vocational": "职业技术学校",
}
# Average split of a combined school's pupils over (primary, junior, senior).
PART_SHARES = {
    "primary": (1.0, 0.0, 0.0), "teaching_point": (1.0, 0.0, 0.0), "junior": (0.0, 1.0, 0.0),
    "nine_year": (0.62, 0.38, 0.0), "senior": (0.0, 0.0, 1.0), "complete_secondary": (0.0, 0.45, 0.55),
    "twelve_year": (0.45, 0.30, 0.25),
}
COMBINED_TYPES = ("nine_year", "complete_secondary", "twelve_year")
LOCATION_SIZE = {"urban": 1.6, "town": 1.0, "rural": 0.55}  # relative school size by location
# Chance of a rural site = weight × county rurality (senior and specialised schools sit in towns).
RURAL_WEIGHT = {"kindergarten": 1.0, "primary": 1.05, "teaching_point": 1.0, "junior": 0.6, "nine_year": 0.9,
                "senior": 0.0, "complete_secondary": 0.3, "twelve_year": 0.0, "special": 0.0, "vocational": 0.0}
MIN_SIZE = {"kindergarten": 15, "teaching_point": 5, "special": 30}
MAX_SCHOOLS_PER_COUNTY = 9999


def _multipliers(profiles: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per county × type: pupils-rate multiplier and school-size factor."""
    size = profiles["size"].to_numpy()
    rural = profiles["rural"].to_numpy()
    n = len(profiles)
    rate = np.ones((n, len(TYPES)))
    factor = np.repeat(size[:, None], len(TYPES), axis=1)
    col = {t: i for i, t in enumerate(TYPES["type"])}
    rate[:, col["teaching_point"]] = profiles["tp"].to_numpy()
    rate[:, col["twelve_year"]] = np.clip(size - 0.85, 0.0, None) * 2.0
    rate[:, col["vocational"]] = size
    rate[:, col["senior"]] = 0.7 + 0.3 * size
    factor[:, col["kindergarten"]] = np.sqrt(size)
    factor[:, col["teaching_point"]] = 1.1 - 0.5 * rural
    factor[:, col["special"]] = 1.0
    factor[:, col["vocational"]] = 1.0
    return rate, factor


def school_plan(profiles: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Number of schools and 2022 pupils per county × type (arrays n_counties × n_types).

    Formula: pupils = population / 1000 · pupils_per_1000 · rate multiplier;
    schools = max(min_n, round(pupils / (mean_size · size factor))); a county
    forced to have a school it would not have by population still gets 40 % of
    a typical school's pupils.
    """
    rate, factor = _multipliers(profiles)
    population = profiles["population"].to_numpy(dtype=float)[:, None]
    pupils = population / 1000.0 * TYPES["per_1000"].to_numpy()[None, :] * rate
    mean_size = TYPES["mean_size"].to_numpy()[None, :] * factor
    schools = np.maximum(TYPES["min_n"].to_numpy()[None, :], np.round(pupils / mean_size)).astype(int)
    pupils = np.where(schools > 0, np.maximum(pupils, schools * mean_size * 0.4), 0.0)
    if (schools.sum(axis=1) > MAX_SCHOOLS_PER_COUNTY).any():
        raise ValueError("a county would have more than 9999 schools; lower its population")
    return schools, pupils


def _locations(type_: np.ndarray, rural: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw urban / town / rural per school; teaching points are always rural."""
    weight = pd.Series(type_).map(RURAL_WEIGHT).to_numpy()
    p_rural = np.clip(weight * rural, 0.0, 1.0)
    p_rural[type_ == "teaching_point"] = 1.0
    p_town = (1.0 - p_rural) * np.minimum(0.7, 1.4 * rural)
    u = rng.random(len(type_))
    return np.where(u < p_rural, "rural", np.where(u < p_rural + p_town, "town", "urban"))


def _kindergarten_ownership(frame: pd.DataFrame, profiles: pd.DataFrame,
                            rng: np.random.Generator) -> np.ndarray:
    """Public / inclusive / private kindergartens, hitting each county's 2022 enrollment shares.

    Kindergartens are put in random order within the county; those whose
    cumulative enrollment midpoint lies below ``kg_pub`` are public, below
    ``kg_incl`` inclusive private (普惠性民办), the rest private.
    """
    kg = frame["type"].to_numpy() == "kindergarten"
    order = np.lexsort((rng.random(len(frame)), frame["county_idx"].to_numpy()))
    students = np.where(kg, frame["students"].to_numpy(dtype=float), 0.0)[order]
    county = frame["county_idx"].to_numpy()[order]
    cumulative = np.cumsum(students)
    start = np.zeros(len(profiles))
    totals = np.bincount(county, weights=students, minlength=len(profiles))
    start[1:] = np.cumsum(totals)[:-1]
    midpoint = (cumulative - students / 2.0 - start[county]) / np.maximum(totals[county], 1.0)
    owner_sorted = np.where(midpoint < profiles["kg_pub"].to_numpy()[county], "public",
                            np.where(midpoint < profiles["kg_incl"].to_numpy()[county],
                                     "private_inclusive", "private"))
    owner = np.empty(len(frame), dtype=object)
    owner[order] = owner_sorted
    return owner


def _sizes(type_idx: np.ndarray, county_idx: np.ndarray, location: np.ndarray, pupils: np.ndarray,
           rng: np.random.Generator) -> np.ndarray:
    """2022 enrollment per school: log-normal weights × location factor, scaled to the county total."""
    sd = TYPES["sd"].to_numpy()[type_idx]
    location_factor = pd.Series(location).map(LOCATION_SIZE).to_numpy()
    weight = np.exp(sd * rng.standard_normal(len(type_idx))) * location_factor
    group = county_idx * len(TYPES) + type_idx
    total_weight = np.bincount(group, weights=weight, minlength=pupils.size)
    size = pupils.ravel()[group] * weight / total_weight[group]
    types = TYPES["type"].to_numpy()[type_idx]
    low = pd.Series(types).map(MIN_SIZE).fillna(60).to_numpy()
    size = np.clip(size, low, TYPES["max_size"].to_numpy()[type_idx])
    return np.round(size).astype(np.int64)


def build_layout(profiles: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per school with its lasting traits (vectorised over every county).

    Args:
        profiles: County profiles (``qyanalysis.demo.profiles``), sorted by code.
        rng: The layout's random generator.

    Returns:
        Frame sorted by ``school_id`` with ``school_id, school_name, county_idx,
        county_code, type, level, is_teaching_point, location, ownership,
        students`` (2022) and ``share_primary/junior/senior`` (split of a
        school's pupils over the three levels).
    """
    schools, pupils = school_plan(profiles)
    n_types = len(TYPES)
    county_idx = np.repeat(np.arange(len(profiles)), schools.sum(axis=1))
    type_idx = np.repeat(np.tile(np.arange(n_types), len(profiles)), schools.ravel())
    type_ = TYPES["type"].to_numpy()[type_idx]
    rural = profiles["rural"].to_numpy()[county_idx]
    location = _locations(type_, rural, rng)
    frame = pd.DataFrame({"county_idx": county_idx, "type": type_, "location": location})
    frame["students"] = _sizes(type_idx, county_idx, location, pupils, rng)

    p_private = TYPES["private"].to_numpy()[type_idx] * np.clip((1.0 - rural) * 1.15, 0.0, 1.0) ** 2
    private = (rng.random(len(frame)) < p_private) & (location != "rural")
    owner = np.where(private, "private", "public").astype(object)
    kg = type_ == "kindergarten"
    owner[kg] = _kindergarten_ownership(frame, profiles, rng)[kg]
    frame["ownership"] = owner

    shares = np.array([PART_SHARES.get(t, (0.0, 0.0, 0.0)) for t in TYPES["type"]])[type_idx]
    combined = np.isin(type_, COMBINED_TYPES)
    jitter = np.where(combined[:, None], np.exp(0.15 * rng.standard_normal((len(frame), 3))), 1.0)
    shares = shares * jitter
    shares = shares / np.where(shares.sum(axis=1, keepdims=True) > 0, shares.sum(axis=1, keepdims=True), 1.0)
    frame[["share_primary", "share_junior", "share_senior"]] = shares

    seq = frame.groupby("county_idx").cumcount().to_numpy() + 1
    type_seq = frame.groupby(["county_idx", "type"], sort=False).cumcount().to_numpy() + 1
    codes = profiles["county_code"].to_numpy()[county_idx]
    frame["county_code"] = codes
    frame["school_id"] = pd.Series(codes) + pd.Series(seq).astype(str).str.zfill(4)
    short = pd.Series(profiles["short_zh"].to_numpy()[county_idx])
    frame["school_name"] = short + "第" + pd.Series(type_seq).astype(str).str.zfill(3) \
        + pd.Series(type_).map(TYPE_NAMES_ZH)
    frame["level"] = TYPES.set_index("type")["level"].reindex(type_).to_numpy()
    frame["is_teaching_point"] = type_ == "teaching_point"
    return frame.sort_values("school_id", kind="stable").reset_index(drop=True)
