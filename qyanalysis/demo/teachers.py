"""The pseudonymous teacher roster (teacher × year, 2021 and 2022) of the demonstration data.

The roster agrees with the schools table: for every school and year the
``is_established`` rows number ``teachers`` and the others
``temporary_teachers``; among the established rows exactly
``teachers_above_required_qualification`` hold the level's above-required
qualification (kindergarten, primary and special 大专+ = associate or higher;
junior and combined schools 本科+ = bachelor or higher; senior and vocational
研究生 = postgraduate), exactly ``backbone_teachers`` are backbone teachers and
exactly ``pe_arts_teachers`` teach PE, music or fine arts. Temporary teachers
are never backbone teachers.

People are *slots* of a school: a slot filled in both years keeps its
``teacher_id``, birth year and gender, except for the 4 % of established (15 %
of temporary) posts whose holder changed (a younger new hire); slots beyond a
year's count are teachers who left or were newly hired. Ages follow an ageing
rural workforce (mean 37 urban, 41 town, 46 rural, sd 9). Rotation (交流轮岗)
concerns established teachers aged 28+ of public compulsory schools; each
county rotates its ``rotation`` share of the eligible, of whom ``rot_bb`` are
backbone teachers. Ids look like ``T0000123``; no names are ever made.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qyanalysis.contract.columns import COMPULSORY_LEVELS, QUALIFICATIONS, TEACHERS

ROSTER_YEARS = (2021, 2022)
REPLACED_SHARE = {True: 0.04, False: 0.15}  # established, temporary
AGE_MEAN = {"urban": 37.0, "town": 41.0, "rural": 46.0}
AGE_SD, AGE_MIN, AGE_MAX = 9.0, 21, 59
NEW_HIRE_AGE, NEW_HIRE_AGE_SD, NEW_HIRE_AGE_MAX = 27.0, 4.0, 45
FEMALE_SHARE = {"kindergarten": 0.97, "primary": 0.72, "junior": 0.58, "nine_year": 0.65, "senior": 0.5,
                "complete_secondary": 0.52, "twelve_year": 0.6, "special": 0.75, "vocational": 0.5}
# Lowest qualification above the requirement of each level (index into QUALIFICATIONS).
ABOVE_REQUIRED = {"kindergarten": 2, "primary": 2, "special": 2, "junior": 3, "nine_year": 3,
                  "complete_secondary": 3, "twelve_year": 3, "senior": 4, "vocational": 4}
# Share holding a teaching certificate in (2021, 2022): kindergarten, other established, temporary.
CERTIFIED = np.array([(0.86, 0.91), (0.985, 0.992), (0.72, 0.75)])
ROTATION_MIN_AGE, ROTATION_ELIGIBLE_SHARE = 28, 0.6
ROTATION_YEAR_FACTOR = (0.9, 1.0)  # 2021 rotated a little less than the county's 2022 share
SUBJECTS = {
    "kindergarten": {"preschool": 1.0},
    "special": {"special_education": 0.85, "chinese": 0.08, "mathematics": 0.07},
    "vocational": {"vocational": 0.6, "chinese": 0.12, "mathematics": 0.12, "english": 0.1, "it": 0.06},
    "primary": {"chinese": 0.38, "mathematics": 0.3, "english": 0.1, "science": 0.07, "it": 0.04,
                "psychology": 0.02, "labor": 0.03, "politics": 0.03, "other": 0.03},
    "secondary": {"chinese": 0.17, "mathematics": 0.17, "english": 0.15, "physics": 0.08, "chemistry": 0.07,
                  "biology": 0.07, "history": 0.07, "geography": 0.07, "politics": 0.07, "it": 0.04,
                  "psychology": 0.02, "other": 0.02},
}
PE_ARTS_SUBJECTS = {"arts": {"pe": 0.45, "music": 0.3, "fine_arts": 0.25}}
SUBJECT_GROUP = {"kindergarten": "kindergarten", "special": "special", "vocational": "vocational",
                 "primary": "primary", "nine_year": "primary", "junior": "secondary", "senior": "secondary",
                 "complete_secondary": "secondary", "twelve_year": "secondary"}


def _rank_within(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """0-based rank of ``key`` within each ``group`` (vectorised)."""
    order = np.lexsort((key, group))
    sorted_group = group[order]
    start = np.r_[0, np.flatnonzero(np.diff(sorted_group)) + 1]
    first = np.repeat(start, np.diff(np.r_[start, len(group)]))
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - first
    return rank


def _choose(u: np.ndarray, groups: np.ndarray, table: dict[str, dict[str, float]]) -> np.ndarray:
    """A category per row from the distribution ``table[group]``, by inverting the uniform ``u``."""
    out = np.empty(len(groups), dtype=object)
    for name, dist in table.items():  # a handful of distributions, not a loop over rows
        rows = groups == name
        values, weights = list(dist), np.array(list(dist.values()))
        cut = np.searchsorted(np.cumsum(weights) / weights.sum(), u[rows], side="right")
        out[rows] = np.array(values, dtype=object)[np.minimum(cut, len(values) - 1)]
    return out


def _slots(schools: pd.DataFrame) -> pd.DataFrame:
    """One row per post (slot) of a school, with the years it is filled."""
    wide = schools.pivot(index="school_id", columns="year", values=["teachers", "temporary_teachers"])
    wide = wide.fillna(0).astype(np.int64)
    frames = []
    for column, established in (("teachers", True), ("temporary_teachers", False)):
        first, second = (wide[(column, y)].to_numpy() for y in ROSTER_YEARS)
        size = np.maximum(first, second)
        school = np.repeat(np.arange(len(wide)), size)
        slot = _rank_within(school, np.arange(len(school)))
        frames.append(pd.DataFrame({"school_idx": school, "is_established": established,
                                    "in_first": slot < first[school], "in_second": slot < second[school]}))
    slots = pd.concat(frames, ignore_index=True)
    slots["school_id"] = wide.index.to_numpy()[slots["school_idx"].to_numpy()]
    return slots.drop(columns="school_idx")


def _new_hire_birth_year(rng: np.random.Generator, n: int) -> np.ndarray:
    """Birth years of teachers hired in 2022 (age 27 ± 4, 21–45)."""
    age = np.clip(np.round(NEW_HIRE_AGE + NEW_HIRE_AGE_SD * rng.standard_normal(n)), AGE_MIN, NEW_HIRE_AGE_MAX)
    return ROSTER_YEARS[1] - age


def _people(slots: pd.DataFrame, info: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Teacher × year rows with persistent identity (id, birth year, gender)."""
    n = len(slots)
    level = info["level"].reindex(slots["school_id"]).to_numpy()
    location = info["location"].reindex(slots["school_id"]).to_numpy()
    age = np.round(pd.Series(location).map(AGE_MEAN).to_numpy() + AGE_SD * rng.standard_normal(n))
    birth_year = ROSTER_YEARS[0] - np.clip(age, AGE_MIN, AGE_MAX)
    birth_year = np.where(slots["in_first"].to_numpy(), birth_year, _new_hire_birth_year(rng, n))
    female_share = pd.Series(level).map(FEMALE_SHARE).to_numpy()
    both = slots["in_first"].to_numpy() & slots["in_second"].to_numpy()
    replaced_share = np.where(slots["is_established"], REPLACED_SHARE[True], REPLACED_SHARE[False])
    replaced = both & (rng.random(n) < replaced_share)
    base = slots.assign(teacher_no=np.arange(1, n + 1), birth_year=birth_year,
                        female=rng.random(n) < female_share, slot=np.arange(n))
    first = base[base["in_first"]].assign(year=ROSTER_YEARS[0])
    second = base[base["in_second"]].assign(year=ROSTER_YEARS[1])
    swap = replaced[second["slot"].to_numpy()]
    n_swap = int(swap.sum())
    second.loc[swap, "teacher_no"] = n + 1 + np.arange(n_swap)
    second.loc[swap, "birth_year"] = _new_hire_birth_year(rng, n_swap)
    second.loc[swap, "female"] = rng.random(n_swap) < female_share[second["slot"].to_numpy()[swap]]
    people = pd.concat([first, second], ignore_index=True)
    people["level"] = info["level"].reindex(people["school_id"]).to_numpy()
    people["county"] = info["county"].reindex(people["school_id"]).to_numpy()
    return people


def _qualification(above: np.ndarray, threshold: np.ndarray, established: np.ndarray,
                   u: np.ndarray) -> np.ndarray:
    """Highest qualification index: at or above ``threshold`` when ``above``, below it otherwise.

    Above the line most teachers sit one step up (primary: 30 % associate, 67 %
    bachelor, 3 % postgraduate; junior: 93 % bachelor); below it 95–97 % sit
    just under the line. Temporary teachers: 10 % secondary, 45 % associate,
    43 % bachelor, 2 % postgraduate.
    """
    first_step = np.select([threshold == 2, threshold == 3], [0.30, 0.93], 1.0)
    second_step = np.where(threshold == 2, 0.97, 1.0)
    up = threshold + (u > first_step) + (u > second_step)
    down = threshold - 1 - (u > np.where(threshold == 2, 0.95, 0.97))
    temporary = 1 + (u > 0.10) + (u > 0.55) + (u > 0.98)
    return np.where(~established, temporary, np.where(above, np.minimum(up, 4), np.maximum(down, 0)))


def _rotation(people: pd.DataFrame, profiles: pd.DataFrame, eligible: np.ndarray, backbone: np.ndarray,
              key: np.ndarray) -> np.ndarray:
    """Rotated teachers of each county and year.

    A county rotates round(``rotation`` × eligible) teachers in 2022 (90 % of
    that share in 2021), of whom round(``rot_bb`` × rotated) are backbone
    teachers, as far as it has eligible backbone teachers; within each pool the
    lowest ``key`` values are chosen.
    """
    county = pd.Index(profiles["county_code"]).get_indexer(people["county"])
    group = county * len(ROSTER_YEARS) + (people["year"].to_numpy() - ROSTER_YEARS[0])
    n_groups = len(profiles) * len(ROSTER_YEARS)
    n_eligible = np.bincount(group, weights=eligible, minlength=n_groups)
    rate = np.outer(profiles["rotation"].to_numpy(), ROTATION_YEAR_FACTOR).ravel()
    rotated = np.round(rate * n_eligible)
    wanted_backbone = np.round(np.repeat(profiles["rot_bb"].to_numpy(), len(ROSTER_YEARS)) * rotated)
    pool = np.where(eligible, group * 2 + backbone, -1)
    rank = _rank_within(pool, key)
    limit = np.where(backbone, wanted_backbone[group], (rotated - wanted_backbone)[group])
    return eligible & (rank < limit)


def build_teachers(schools: pd.DataFrame, profiles: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The teacher roster for 2021 and 2022, consistent with ``schools`` (see the module docstring).

    Args:
        schools: The demonstration schools table (contract column names).
        profiles: County profiles (``rotation``, ``rot_bb``).
        rng: The roster's random generator.

    Returns:
        The ``teachers`` table in the contract's column order, sorted by
        ``teacher_id`` and ``year``.
    """
    census = schools[schools["year"].isin(ROSTER_YEARS)]
    info = census.drop_duplicates("school_id", keep="last").set_index("school_id")
    people = _people(_slots(census), info, rng)
    slot = people["slot"].to_numpy()
    n_slots = int(slot.max()) + 1 if len(people) else 0
    key = {name: rng.random(n_slots)[slot] for name in ("qualified", "backbone", "pe_arts", "category",
                                                         "subject", "certificate", "eligible")}
    established = people["is_established"].to_numpy()
    age = people["year"].to_numpy() - people["birth_year"].to_numpy()
    counts = census.set_index(["school_id", "year"])[
        ["teachers_above_required_qualification", "backbone_teachers", "pe_arts_teachers"]].fillna(0)
    year_index = people["year"].to_numpy() - ROSTER_YEARS[0]
    at = pd.MultiIndex.from_arrays([people["school_id"], people["year"]])
    group = np.where(established, at.codes[0].astype(np.int64) * len(ROSTER_YEARS) + year_index, -1)

    def first_n(column: str, key_values: np.ndarray) -> np.ndarray:
        limit = counts[column].reindex(at).to_numpy()
        return established & (_rank_within(group, key_values) < limit)

    qualified = first_n("teachers_above_required_qualification", key["qualified"])
    backbone = first_n("backbone_teachers", key["backbone"] + (age < 30))
    pe_arts = first_n("pe_arts_teachers", key["pe_arts"])
    level = people["level"].to_numpy()
    threshold = pd.Series(level).map(ABOVE_REQUIRED).to_numpy()
    qualification = np.array(QUALIFICATIONS, dtype=object)[
        _qualification(qualified, threshold, established, key["category"])]
    subject = _choose(key["subject"], pd.Series(level).map(SUBJECT_GROUP).to_numpy(), SUBJECTS)
    arts = _choose(key["subject"], np.full(len(level), "arts"), PE_ARTS_SUBJECTS)
    subject = np.where(pe_arts, arts, subject)
    kind = np.where(~established, 2, np.where(level == "kindergarten", 0, 1))
    certified_share = CERTIFIED[kind, year_index]
    ownership = info["ownership"].reindex(people["school_id"]).to_numpy()
    eligible = (established & (ownership == "public") & np.isin(level, COMPULSORY_LEVELS)
                & (age >= ROTATION_MIN_AGE) & (key["eligible"] < ROTATION_ELIGIBLE_SHARE))
    roster = pd.DataFrame({
        "teacher_id": "T" + pd.Series(people["teacher_no"].to_numpy()).astype(str).str.zfill(7),
        "school_id": people["school_id"].to_numpy(),
        "county": people["county"].to_numpy(),
        "year": people["year"].to_numpy().astype(np.int64),
        "birth_year": people["birth_year"].to_numpy().astype(np.int64),
        "gender": np.where(people["female"].to_numpy(dtype=bool), "female", "male"),
        "subject": subject,
        "qualification": qualification,
        "is_established": established,
        "is_backbone": backbone,
        "has_teaching_certificate": key["certificate"] < certified_share,
        "is_rotation_eligible": eligible,
        "rotated": _rotation(people, profiles, eligible, backbone, rng.random(len(people))),
    })
    roster = roster[[c.name for c in TEACHERS.columns]]
    return roster.sort_values(["teacher_id", "year"]).reset_index(drop=True)
