"""The yearly school census (school × year, 2019–2022) built from the layout.

Every column is computed for all schools and years at once (arrays of length
schools × years, school-major, so rows come out sorted by ``school_id`` then
``year``). Lasting per-school effects are drawn once and reused every year, so
values change slowly; counts are derived from expected values with a
per-school *persistent dither* (``floor(x + u)`` with a fixed ``u`` in [0, 1)),
which is unbiased and does not make counts jump from year to year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from qyanalysis.contract.columns import COMPULSORY_LEVELS, LOCATIONS, SCHOOLS
from qyanalysis.demo.layout import TYPES

YEARS = (2019, 2020, 2021, 2022)
BASE_YEAR = 2022
# Levels with the fitness test and myopia screening (primary and secondary schools).
HEALTH_LEVELS = ("primary", "junior", "nine_year", "senior", "complete_secondary", "twelve_year")
OTHER_TYPES = ("kindergarten", "special", "vocational")


@dataclass(frozen=True)
class Rows:
    """School × year arrays shared by the panel builders.

    Attributes:
        profiles: County profiles.
        school: School index (row of the layout) per row.
        county: County index per row.
        type, level, location, ownership: Layout traits per row (NumPy unicode arrays).
        type_code, location_code: Positions in ``TYPES`` and ``LOCATIONS`` (fast look-ups).
        dt: Year minus 2022 (0, −1, −2, −3).
        primary, junior, senior, other: Pupils per level part (``other`` =
            kindergarten, special or vocational pupils).
        students: Total pupils.
    """

    profiles: pd.DataFrame
    school: np.ndarray
    county: np.ndarray
    type: np.ndarray
    level: np.ndarray
    location: np.ndarray
    ownership: np.ndarray
    type_code: np.ndarray
    location_code: np.ndarray
    dt: np.ndarray
    primary: np.ndarray
    junior: np.ndarray
    senior: np.ndarray
    other: np.ndarray
    students: np.ndarray

    @property
    def base_rows(self) -> np.ndarray:
        """Row index of each school's 2022 row (one per school, in school order)."""
        return np.flatnonzero(self.dt == 0)

    def county_value(self, column: str) -> np.ndarray:
        """A county profile parameter, per row."""
        return self.profiles[column].to_numpy(dtype=float)[self.county]

    def by_type(self, values: dict[str, float], default: float = 0.0) -> np.ndarray:
        """A per-type constant, per row (``default`` for types not in ``values``)."""
        return np.array([values.get(t, default) for t in TYPES["type"]], dtype=float)[self.type_code]

    def by_location(self, values: dict[str, float]) -> np.ndarray:
        """A per-location constant, per row."""
        return np.array([values[loc] for loc in LOCATIONS], dtype=float)[self.location_code]

    def is_level(self, levels: tuple[str, ...]) -> np.ndarray:
        """True where the school's level is one of ``levels``."""
        return np.isin(self.level, levels)


class Effects:
    """Lasting per-school random draws, expanded to rows on request."""

    def __init__(self, rng: np.random.Generator, n_schools: int, school: np.ndarray):
        self._rng, self._n, self._school = rng, n_schools, school

    def normal(self) -> np.ndarray:
        """A standard-normal school effect per row (same value every year)."""
        return self._rng.standard_normal(self._n)[self._school]

    def uniform(self, low: float = 0.0, high: float = 1.0) -> np.ndarray:
        """A uniform school effect per row (same value every year)."""
        return self._rng.uniform(low, high, self._n)[self._school]

    def lognormal(self, sigma: np.ndarray | float) -> np.ndarray:
        """Mean-one log-normal factor exp(σz − σ²/2) per row."""
        return np.exp(sigma * self.normal() - np.square(sigma) / 2.0)

    def poisson(self, mean_per_school: np.ndarray) -> np.ndarray:
        """A lasting Poisson count per school (``mean_per_school`` has one value per school), per row."""
        return self._rng.poisson(mean_per_school)[self._school]

    def binomial(self, trials: np.ndarray, probability: np.ndarray) -> np.ndarray:
        """Fresh binomial draws per row (events of the year, such as dropouts)."""
        return self._rng.binomial(trials, np.clip(probability, 0.0, 1.0))

    def dither(self, expected: np.ndarray) -> np.ndarray:
        """Whole counts floor(x + u) with a persistent u per school: unbiased, stable over years."""
        return np.floor(np.maximum(expected, 0.0) + self.uniform()).astype(np.int64)


def build_rows(layout: pd.DataFrame, profiles: pd.DataFrame,
               rng: np.random.Generator) -> tuple[Rows, Effects]:
    """Expand the layout to school × year rows with enrollment per level part.

    Enrollment of year y is the 2022 enrollment × exp(g · (y − 2022)), with the
    school's growth g = county growth + location shift + noise; teaching points
    shrink 4 % a year, public kindergartens grow and private ones shrink (the
    “5080” push). Each part of a combined school is scaled and rounded on its
    own, and ``students`` is their sum, so the parts always add up.
    """
    n, n_years = len(layout), len(YEARS)
    school = np.repeat(np.arange(n), n_years)
    dt = np.tile(np.array(YEARS) - BASE_YEAR, n)
    effects = Effects(rng, n, school)
    county_idx = layout["county_idx"].to_numpy()
    type_ = layout["type"].to_numpy(dtype=str)
    growth = (profiles["growth"].to_numpy()[county_idx]
              + layout["location"].map({"urban": 0.01, "town": 0.0, "rural": -0.015}).to_numpy()
              + 0.01 * rng.standard_normal(n))
    growth = np.where(type_ == "teaching_point", -0.04, growth)
    kg_shift = layout["ownership"].map({"public": 0.03, "private_inclusive": -0.01, "private": -0.06})
    growth = np.where(type_ == "kindergarten", growth + kg_shift.to_numpy(), growth)
    factor = np.exp(growth[school] * dt)
    base = layout["students"].to_numpy(dtype=float)[school]
    shares = layout[["share_primary", "share_junior", "share_senior"]].to_numpy()[school]
    parts = np.round(base[:, None] * shares * factor[:, None])
    is_other = np.isin(type_, OTHER_TYPES)[school]
    other = np.where(is_other, np.round(base * factor), 0.0)
    single = np.isin(type_, ("primary", "teaching_point", "junior", "senior"))[school]
    students = (parts.sum(axis=1) + other).astype(np.int64)
    students = np.where(single | is_other, np.maximum(students, 3), students)
    parts[single] = np.where(shares[single] > 0, students[single, None], 0.0)
    other = np.where(is_other, students, 0.0)
    rows = Rows(
        profiles=profiles, school=school, county=county_idx[school], type=type_[school],
        level=layout["level"].to_numpy(dtype=str)[school],
        location=layout["location"].to_numpy(dtype=str)[school],
        ownership=layout["ownership"].to_numpy(dtype=str)[school],
        type_code=pd.Index(TYPES["type"]).get_indexer(type_)[school],
        location_code=pd.Index(LOCATIONS).get_indexer(layout["location"])[school], dt=dt,
        primary=parts[:, 0], junior=parts[:, 1], senior=parts[:, 2], other=other, students=students,
    )
    return rows, effects


def level_mix(rows: Rows, primary: float, junior: float, senior: float,
              other: dict[str, float] | None = None) -> np.ndarray:
    """Pupil-weighted average of per-level values: (P·p + J·j + S·s + O·o) / students."""
    other_values = rows.by_type(other or {})
    total = rows.primary * primary + rows.junior * junior + rows.senior * senior + rows.other * other_values
    return total / np.maximum(rows.students, 1)


def level_sum(rows: Rows, primary: float, junior: float, senior: float,
              other: dict[str, float] | None = None) -> np.ndarray:
    """Per-level quantities added up: P·p + J·j + S·s + O·o."""
    return level_mix(rows, primary, junior, senior, other) * np.maximum(rows.students, 1)


def masked(values: np.ndarray, applies: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole counts as a nullable Int64 array, missing (<NA>) where the column does not apply."""
    return pd.arrays.IntegerArray(np.where(applies, values, 0).astype(np.int64), ~applies)


def enrollment_columns(rows: Rows) -> dict[str, object]:
    """``students`` and, for combined schools only, ``students_primary/junior/senior``."""
    nine = rows.level == "nine_year"
    secondary = rows.level == "complete_secondary"
    twelve = rows.level == "twelve_year"
    return {
        "students": rows.students,
        "students_primary": masked(rows.primary, nine | twelve),
        "students_junior": masked(rows.junior, nine | secondary | twelve),
        "students_senior": masked(rows.senior, secondary | twelve),
    }


# Optional schools columns the demonstration census leaves out on purpose, as a real census does:
# the count of classes above the class-size limit (only classes and pupils are given, so the
# class-size check runs on averages and says so).
NOT_GENERATED = ("classes_over_limit",)

# Added afterwards by qyanalysis.demo.assessment.add_music_art_rooms.
ADDED_LATER = ("music_rooms", "art_rooms")


def assemble(layout: pd.DataFrame, rows: Rows, columns: dict[str, object]) -> pd.DataFrame:
    """The schools table in the contract's column order (``county`` holds the county code)."""
    n_years = len(YEARS)
    frame = pd.DataFrame({
        "school_id": np.repeat(layout["school_id"].to_numpy(), n_years),
        "school_name": np.repeat(layout["school_name"].to_numpy(), n_years),
        "county": np.repeat(layout["county_code"].to_numpy(), n_years),
        "year": np.tile(np.array(YEARS, dtype=np.int64), len(layout)),
        "level": rows.level,
        "ownership": rows.ownership,
        "location": rows.location,
        "is_teaching_point": rows.type == "teaching_point",
        **columns,
    })
    order = [c.name for c in SCHOOLS.columns if c.name not in NOT_GENERATED + ADDED_LATER]
    missing = set(order) - set(frame.columns)
    if missing:
        raise RuntimeError(f"demo generator forgot schools columns: {sorted(missing)}")
    return frame[order]


def compulsory(rows: Rows) -> np.ndarray:
    """True for schools of the compulsory levels (义务教育)."""
    return rows.is_level(COMPULSORY_LEVELS)
