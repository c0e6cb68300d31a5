"""Closing 优质均衡 resource gaps: exact additions per school, county 差异系数 floors, costs.

The assessment (《县域义务教育优质均衡发展督导评估办法》, 教督〔2017〕6号) asks two
things of a county's compulsory schools on seven resource indicators:

* **the school rule** — every school (a combined school as its primary and
  junior parts, split as for the 差异系数: :func:`~qyanalysis.measures.balance.split_combined_schools`)
  reaches the standard on at least 6 indicators and at least 85 % of the
  standard on the remaining one;
* **the county 差异系数** — the enrollment-weighted CV of each indicator is at
  most 0.50 among primary and 0.45 among junior schools.

:func:`school_gaps` gives, per school part and indicator, the least addition
of the resource itself that makes the part pass the school rule, choosing the
one indicator left at ≥ 85 % so that the total cost is least. A combined
school's addition is solved on the whole school: the assessment re-splits the
school's resources by enrollment, so the addition must make every part pass
after that re-split (:func:`least_cost_additions`).
:func:`~qyanalysis.measures.floors.cv_floor` gives the least levelling-up
floor for a CV. :func:`county_plan` combines them: school-rule additions
first, then the CV floors computed on the values after those additions.

Unit costs are settings (``qyanalysis.settings.GAP_COST_*``, read at call
time, overridable with ``settings.override``); most are assumptions, see
``settings.GAP_UNIT_COST_SOURCES``. Teacher costs are per year (recurring),
the others one-off; a total adds one year of teacher cost to the one-off costs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from qyanalysis import settings
from qyanalysis.contract.indicators import BALANCE_INDICATORS
from qyanalysis.dataset import Dataset
from qyanalysis.measures.balance import (
    BALANCE_SOURCES,
    BOUND_TOLERANCE,
    SCHOOL_PASS_REMAINDER_SHARE,
    balance_parts,
    balance_standards,
    school_verdicts,
)
from qyanalysis.measures.floors import CvFloor, cv_floor, cv_floor_table, cv_floors, weighted_cv

__all__ = [
    "GAP_RESOURCES",
    "CvFloor",
    "GapPlan",
    "GapResource",
    "county_plan",
    "cv_floor",
    "cv_floor_table",
    "cv_floors",
    "least_cost_additions",
    "resource_totals",
    "school_gaps",
    "unit_cost_table",
]

INDICATOR_CODES = tuple(BALANCE_INDICATORS)
ADD_UNITS = ("persons", "m2", "yuan", "rooms")
COST_BASES = ("per_year", "one_off")
# Relative slack at the inclusive bounds, the school rule's own (balance.py): an
# addition reaches the standard when value >= standard·(1 − 1e-9).
_SLACK = 1.0 - BOUND_TOLERANCE


@dataclass(frozen=True)
class GapResource:
    """The resource behind one indicator and how an addition of it is counted and costed.

    Attributes:
        column: The schools-table column (``BALANCE_SOURCES``).
        multiplier: Indicator value = multiplier · resource ÷ pupils (100 for
            "per 100 pupils", else 1).
        add_unit: ``persons`` | ``m2`` | ``yuan`` | ``rooms``.
        whole: True when additions are whole units (persons, rooms), rounded up.
        cost_setting: The ``settings`` name of the unit cost (元 per unit).
        cost_basis: ``per_year`` (recurring) or ``one_off``.
    """

    column: str
    multiplier: float
    add_unit: str
    whole: bool
    cost_setting: str
    cost_basis: str


def _resource(code: str, add_unit: str, whole: bool, cost_setting: str, cost_basis: str) -> GapResource:
    column, multiplier = BALANCE_SOURCES[code]
    return GapResource(column, multiplier, add_unit, whole, cost_setting, cost_basis)


GAP_RESOURCES: dict[str, GapResource] = {
    "qualified_teachers_per_100": _resource("qualified_teachers_per_100", "persons", True,
                                            "GAP_COST_QUALIFIED_TEACHER_YUAN_PER_YEAR", "per_year"),
    "backbone_teachers_per_100": _resource("backbone_teachers_per_100", "persons", True,
                                           "GAP_COST_BACKBONE_TEACHER_YUAN_PER_YEAR", "per_year"),
    "pe_arts_teachers_per_100": _resource("pe_arts_teachers_per_100", "persons", True,
                                          "GAP_COST_PE_ARTS_TEACHER_YUAN_PER_YEAR", "per_year"),
    "teaching_area_per_student": _resource("teaching_area_per_student", "m2", False,
                                           "GAP_COST_TEACHING_AREA_YUAN_PER_M2", "one_off"),
    "sports_area_per_student": _resource("sports_area_per_student", "m2", False,
                                         "GAP_COST_SPORTS_AREA_YUAN_PER_M2", "one_off"),
    "equipment_value_per_student": _resource("equipment_value_per_student", "yuan", False,
                                             "GAP_COST_EQUIPMENT_YUAN_PER_YUAN", "one_off"),
    "multimedia_rooms_per_100": _resource("multimedia_rooms_per_100", "rooms", True,
                                          "GAP_COST_MULTIMEDIA_ROOM_YUAN", "one_off"),
}


def unit_costs() -> np.ndarray:
    """元 per unit of each indicator's resource, in ``INDICATOR_CODES`` order, from the settings now."""
    return np.array([float(getattr(settings, GAP_RESOURCES[c].cost_setting)) for c in INDICATOR_CODES])


def unit_cost_table() -> pd.DataFrame:
    """The unit costs in force: ``indicator, add_unit, cost_yuan, cost_basis, setting, source``.

    ``source`` is the documented source of the setting
    (``settings.GAP_UNIT_COST_SOURCES``), or ``settings override`` when the
    value in force differs from the shipped default.
    """
    rows = []
    for code in INDICATOR_CODES:
        spec = GAP_RESOURCES[code]
        value = float(getattr(settings, spec.cost_setting))
        default = settings.default(spec.cost_setting)
        source = settings.GAP_UNIT_COST_SOURCES.get(spec.cost_setting, "assumption")
        rows.append({"indicator": code, "add_unit": spec.add_unit, "cost_yuan": value,
                     "cost_basis": spec.cost_basis, "setting": spec.cost_setting,
                     "source": source if value == default else "settings override"})
    return pd.DataFrame(rows)


def _shortfall(need: np.ndarray, have: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """Least addition a ≥ 0 with have + a ≥ need (within the bound slack); whole units rounded up.

    A continuous resource gets exactly need − have; a whole one the least
    integer a with have + a ≥ need·(1 − 1e-9), so that 21.000000000000004
    teachers needed from 0 is 21, not 22. Nothing is added when have already
    reaches need·(1 − 1e-9) (the school rule's own tolerance).
    """
    short = have < need * _SLACK
    amount = np.where(whole, np.ceil(need * _SLACK - have), need - have)
    return np.where(short, np.maximum(amount, 0.0), 0.0)


def least_cost_additions(resources: np.ndarray, students: np.ndarray, standards: np.ndarray,
                         costs: np.ndarray | None = None, *, shares: np.ndarray | None = None,
                         schools: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The cheapest additions that make every school part pass the 6-of-7 rule, vectorised.

    For part i with Pᵢ pupils, resource Rᵢₖ and standard sᵢₖ of indicator k
    (value = mₖ·R/P), reaching a share α of the standard needs
    R ≥ α·sᵢₖ·Pᵢ/mₖ. For each choice j of the indicator allowed to stay at
    ≥ 85 % (教督〔2017〕6号: "至少6项达标, 余项不低于85%"), the cost is
    Σ_{k≠j} cₖ·a(1.00)ᵢₖ + cⱼ·a(0.85)ᵢⱼ; the least of the 7 choices is kept
    (the first in catalogue order on a tie). Requiring all 7 at 100 % is
    never cheaper, so it needs no eighth choice.

    A combined school's parts share one pool: the assessment gives part i the
    share qᵢ of the whole school's resource (:func:`~qyanalysis.measures.balance.split_combined_schools`,
    nine-year 1 : 1.1 per pupil), so an addition a to the school gives the part
    qᵢ·a. The addition is solved on the whole school (R = Rᵢ/qᵢ): part i
    reaches α·s·Pᵢ/m when R + a ≥ α·s·Pᵢ/(m·qᵢ), and the school's addition is
    the least (whole) a that does so for every part, for each pair of choices
    (jᵢ of each part, 7 × 7); the cheapest pair is kept. The whole-school
    addition is listed on the part whose requirement sets it (the other part
    gets 0), so that a sum over parts counts it once.

    Example: a primary part of 400 pupils with 1200 m² of teaching rooms
    (3.0 m² a pupil, standard 4.5) and every other indicator met needs
    0.85·4.5·400 − 1200 = 330 m² (teaching rooms relaxed) rather than
    4.5·400 − 1200 = 600 m² plus some other indicator. A nine-year school of
    767 primary and 736 junior pupils with 33 multimedia rooms gives its
    junior part q = 1.1·736/(767 + 1.1·736) = 0.5135, 16.95 rooms, 2.30 per
    100 against 2.4: the school needs 2.4·736/(100·0.5135) = 34.40 rooms,
    so 2 more (1 would leave the junior part 2.372).

    Args:
        resources: Rᵢₖ, the part's own (split) resource, shape (n, 7), columns
            in ``INDICATOR_CODES`` order.
        students: Pᵢ, shape (n,).
        standards: sᵢₖ, shape (n, 7).
        costs: 元 per unit of each resource (default: the settings in force).
        shares: qᵢ, the part's share of its school's resources (default 1:
            every part a school of its own).
        schools: The school of each part, integer codes (default: each part
            its own school). A school has at most two parts (primary, junior).

    Returns:
        ``(additions, relaxed)``: additions to the whole school in the
        resource's own unit (persons and rooms whole), on the part that sets
        them, shape (n, 7), all NaN for every part of a school with any part's
        resource, share or enrollment missing; ``relaxed`` the chosen indicator
        index per part (−1 when the part cannot be judged).
    """
    costs = unit_costs() if costs is None else np.asarray(costs, dtype="float64")
    n, k = resources.shape
    shares = np.ones(n) if shares is None else np.asarray(shares, dtype="float64")
    slots = _school_slots(np.arange(n) if schools is None else np.asarray(schools))
    multipliers = np.array([GAP_RESOURCES[c].multiplier for c in INDICATOR_CODES])
    whole = np.array([GAP_RESOURCES[c].whole for c in INDICATOR_CODES])
    pupils = np.asarray(students, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        need = standards * (pupils / np.where(shares > 0, shares, np.nan))[:, None] / multipliers
        pool = resources / np.where(shares > 0, shares, np.nan)[:, None]
    judged_part = (~np.isnan(need).any(axis=1) & ~np.isnan(pool).any(axis=1) & (pupils > 0)
                   & ~np.isnan(costs).any())
    present = slots >= 0
    rows = np.where(present, slots, 0)
    judged = np.where(present, judged_part[rows], True).all(axis=1)  # per school
    full = np.where(present[:, :, None], np.nan_to_num(need[rows]), 0.0)  # (schools, 2, 7); absent part: 0
    have = np.nan_to_num(pool[rows[:, 0]])
    chosen = np.zeros((len(slots), 2), dtype=np.int64)  # relaxed index of each part of each school
    pair = present[:, 1]
    chosen[~pair, 0] = _single_part_choice(full[~pair, 0], have[~pair], whole, costs)
    chosen[pair] = _two_part_choice(full[pair], have[pair], whole, costs)
    alpha = np.where(np.arange(k) == chosen[:, :, None], SCHOOL_PASS_REMAINDER_SHARE, 1.0)
    required = alpha * full  # (schools, 2, 7)
    school_add = _shortfall(required.max(axis=1), have, whole)
    setter = np.argmax(required, axis=1)  # the part whose requirement sets the addition (first on a tie)
    additions = np.full((n, k), np.nan)
    relaxed = np.full(n, -1)
    for slot in range(2):
        mine = present[:, slot] & judged
        additions[slots[mine, slot]] = np.where(setter[mine] == slot, school_add[mine], 0.0)
        relaxed[slots[mine, slot]] = chosen[mine, slot]
    return additions, relaxed


def _single_part_choice(need: np.ndarray, have: np.ndarray, whole: np.ndarray, costs: np.ndarray) -> np.ndarray:
    """The indicator a one-part school leaves at 85 %: argmin_j Σ_{k≠j} cₖ·a(100 %)ₖ + cⱼ·a(85 %)ⱼ (first on a tie).

    ``need`` (schools, 7) is what 100 % of each standard takes, ``have`` the resource.
    """
    full_cost = _shortfall(need, have, whole) * costs
    near_cost = _shortfall(SCHOOL_PASS_REMAINDER_SHARE * need, have, whole) * costs
    return np.argmin(full_cost.sum(axis=1, keepdims=True) - full_cost + near_cost, axis=1)


def _two_part_choice(need: np.ndarray, have: np.ndarray, whole: np.ndarray, costs: np.ndarray) -> np.ndarray:
    """The pair of indicators (one per part) a two-part school leaves at 85 %, cheapest of the 7 × 7 pairs.

    ``need`` (schools, 2, 7) is the whole-school resource 100 % of each part's
    standard takes; for a pair (j₀, j₁) the school needs, per indicator, the
    larger of its parts' requirements (85 % on a part's own relaxed one).
    Returns (schools, 2). Whole persons and rooms make many pairs cost the same; among
    those, the pair whose requirements fall least short before rounding wins (so a part
    that passes today keeps its own relaxed indicator and is not made to set the
    addition), then the first in (j₀, j₁) order.
    """
    k = need.shape[2]
    eye = np.eye(k, dtype=bool)
    total = np.empty((len(need), k, k))
    before_rounding = np.empty((len(need), k, k))
    second = np.where(eye, SCHOOL_PASS_REMAINDER_SHARE * need[:, 1, None, :], need[:, 1, None, :])  # (s, j₁, 7)
    for j0 in range(k):
        first = np.where(eye[j0], SCHOOL_PASS_REMAINDER_SHARE * need[:, 0], need[:, 0])  # (schools, 7)
        required = np.maximum(first[:, None, :], second)
        total[:, j0, :] = (_shortfall(required, have[:, None, :], whole) * costs).sum(axis=2)
        before_rounding[:, j0, :] = (np.maximum(required - have[:, None, :], 0.0) * costs).sum(axis=2)
    total = total.reshape(len(need), k * k)
    cheapest = np.isclose(total, total.min(axis=1, keepdims=True), rtol=1e-12, atol=0.0)
    choice = np.argmin(np.where(cheapest, before_rounding.reshape(len(need), k * k), np.inf), axis=1)
    return np.stack([choice // k, choice % k], axis=1)


def _school_slots(schools: np.ndarray) -> np.ndarray:
    """Part rows of each school, shape (schools, 2), −1 where the school has no second part.

    Raises:
        ValueError: a school with more than two parts.
    """
    codes, inverse = np.unique(schools, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    counts = np.bincount(inverse, minlength=len(codes))
    if len(counts) and counts.max() > 2:
        raise ValueError("a school has more than two parts (primary, junior)")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    slots = np.full((len(codes), 2), -1, dtype=np.int64)
    slots[:, 0] = order[starts] if len(order) else np.empty(0, dtype=np.int64)
    second = counts == 2
    slots[second, 1] = order[starts[second] + 1]
    return slots


def _resolve_scope(dataset: Dataset, county, year: int) -> pd.DataFrame:
    """The schools of ``county`` (None or "city" = every county) in ``year``."""
    schools = dataset.schools.loc[dataset.schools["year"] == year]
    if county is None:
        return schools
    code = dataset.counties.resolve(county)
    if code == dataset.counties.city_code:
        return schools
    return schools.loc[schools["county_code"] == code]


@dataclass(frozen=True)
class _PartArrays:
    """Per-part arrays shared by :func:`school_gaps` and :func:`county_plan`."""

    parts: pd.DataFrame
    resources: np.ndarray  # (n, 7)
    students: np.ndarray  # (n,)
    standards: np.ndarray  # (n, 7)
    values: np.ndarray  # (n, 7) indicator values
    shares: np.ndarray  # (n,) the part's share of its school's resources
    schools: np.ndarray  # (n,) integer code of the part's school
    additions: np.ndarray  # (n, 7) to the whole school, on the part that sets them; NaN when not judged
    relaxed: np.ndarray  # (n,), −1 when not judged
    verdicts: pd.DataFrame  # balance.school_verdicts of the parts as they are


def _part_arrays(schools: pd.DataFrame) -> _PartArrays:
    parts = balance_parts(schools).sort_values(["county_code", "school_id", "level"], kind="stable",
                                               ignore_index=True)
    resources = np.column_stack([parts[GAP_RESOURCES[c].column].to_numpy(dtype="float64", na_value=np.nan)
                                 for c in INDICATOR_CODES]) if len(parts) else np.empty((0, 7))
    students = parts["students"].to_numpy(dtype="float64", na_value=np.nan)
    standards = balance_standards(parts["level"])[list(INDICATOR_CODES)].to_numpy(dtype="float64")
    multipliers = np.array([GAP_RESOURCES[c].multiplier for c in INDICATOR_CODES])
    with np.errstate(invalid="ignore", divide="ignore"):
        values = multipliers * resources / np.where(students > 0, students, np.nan)[:, None]
    standards = standards.reshape(resources.shape)
    shares = parts["resource_share"].to_numpy(dtype="float64", na_value=np.nan)
    schools = pd.factorize(pd.MultiIndex.from_frame(parts[["county_code", "year", "school_id"]].astype("str")))[0]
    additions, relaxed = least_cost_additions(resources, students, standards, shares=shares, schools=schools)
    verdicts = school_verdicts(pd.DataFrame(values, columns=list(INDICATOR_CODES)), parts["level"])
    return _PartArrays(parts, resources, students, standards, values, shares, schools, additions, relaxed,
                       verdicts)


def received(additions: np.ndarray, shares: np.ndarray, schools: np.ndarray) -> np.ndarray:
    """What each part receives of its school's additions after the assessment's re-split: qᵢ·Σ_school a.

    ``additions`` (n, 7) are whole-school additions listed on one part each
    (NaN counted as 0); the school's total is shared out again by the
    enrollment shares qᵢ (:func:`~qyanalysis.measures.balance.split_combined_schools`).
    E.g. 2 rooms added to a nine-year school whose junior part has q = 0.5135
    give that part 1.027 rooms and the primary part 0.973.
    """
    total = np.column_stack([np.bincount(schools, weights=np.nan_to_num(additions[:, k]),
                                         minlength=int(schools.max()) + 1 if len(schools) else 0)
                             for k in range(additions.shape[1])]) if len(schools) else np.zeros((0, 7))
    return shares[:, None] * total[schools] if len(schools) else np.zeros(additions.shape)


def _long_frame(arrays: _PartArrays, extra: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """One row per part × indicator with the school-gap columns (and ``extra`` (n, 7) arrays)."""
    parts = arrays.parts
    n, k = arrays.values.shape
    repeat = np.repeat(np.arange(n), k)
    context = [c for c in ("county_code", "year", "school_id", "school_name", "level", "school_level", "students")
               if c in parts.columns]
    frame = parts[context].take(repeat).reset_index(drop=True)  # keeps the (Arrow) string dtypes
    out: dict[str, object] = {}
    out["indicator"] = pd.Categorical.from_codes(np.tile(np.arange(k), n), categories=list(INDICATOR_CODES))
    meets_columns = arrays.verdicts[[f"{code}_meets" for code in INDICATOR_CODES]]
    meets = meets_columns.to_numpy(dtype="float64", na_value=np.nan).ravel()  # 1, 0, NaN = missing
    out["value"] = arrays.values.ravel()
    out["standard"] = arrays.standards.ravel()
    out["meets"] = pd.arrays.BooleanArray(meets == 1.0, np.isnan(meets))
    judged = arrays.relaxed >= 0
    out["passes_school_rule"] = arrays.verdicts["passes"].array.take(repeat)
    chosen = (np.tile(np.arange(k), n) == arrays.relaxed[repeat]) & (meets != 1.0)
    out["relaxed"] = pd.arrays.BooleanArray(chosen & judged[repeat], ~judged[repeat])
    add = arrays.additions.ravel()
    out["add"] = add
    out["add_unit"] = _categorical([GAP_RESOURCES[c].add_unit for c in INDICATOR_CODES], ADD_UNITS, n)
    out["cost_yuan"] = add * np.tile(unit_costs(), n)
    out["cost_basis"] = _categorical([GAP_RESOURCES[c].cost_basis for c in INDICATOR_CODES], COST_BASES, n)
    for name, array in (extra or {}).items():
        out[name] = array.ravel()
    return pd.concat([frame, pd.DataFrame(out)], axis=1)


def _categorical(per_indicator: list[str], categories: tuple[str, ...], n: int) -> pd.Categorical:
    """One label per indicator, repeated for ``n`` parts, as a categorical column."""
    codes = [categories.index(label) for label in per_indicator]
    return pd.Categorical.from_codes(np.tile(codes, n), categories=list(categories))


def school_gaps(dataset: Dataset, county=None, year: int | None = None) -> pd.DataFrame:
    """The least resource each school must add to pass the 优质均衡 school rule, and its cost.

    Scope as for the 差异系数 (教督〔2017〕6号): compulsory schools, teaching
    points under 50 pupils left out, combined schools split into their primary
    and junior parts in proportion to weighted enrollment (nine-year 1 : 1.1,
    …; :func:`~qyanalysis.measures.balance.split_combined_schools`). A
    combined school's addition is made to the whole school, whose resources
    the assessment splits again by enrollment: it is the least (whole) amount
    after whose re-split every part passes, and it is listed on the part whose
    requirement sets it, 0 on the other (:func:`least_cost_additions`). Standards
    per level come from the indicator catalogue (``BALANCE_INDICATORS``).

    Args:
        dataset: The dataset.
        county: A county code or name; None or ``"city"`` for every county.
        year: Census year (default: the latest).

    Returns:
        One row per school part × indicator: ``county_code, year, school_id,
        school_name, level`` (the part: primary | junior), ``school_level,
        students, indicator, value, standard, meets`` (value ≥ standard; <NA>
        when missing), ``passes_school_rule`` (the part, as it is; <NA> when any
        indicator is missing), ``relaxed`` (True on the one indicator below
        its standard that the plan leaves at ≥ 85 % of it), ``add`` (the least addition to the school, on the
        part that sets it: persons and rooms whole, rounded up; m²; 元 — NaN when the part cannot be
        judged), ``add_unit,
        cost_yuan`` (add × unit cost) and ``cost_basis`` (``per_year`` for
        teachers, else ``one_off``). Sorted by county, school, part, indicator.

    Raises:
        UsageError: an unknown county.
    """
    year = dataset.latest_year if year is None else int(year)
    arrays = _part_arrays(_resolve_scope(dataset, county, year))
    return _long_frame(arrays)


@dataclass(frozen=True)
class GapPlan:
    """A costed plan to meet the 优质均衡 resource requirements (see :func:`county_plan`).

    Attributes:
        schools: :func:`school_gaps` rows plus ``floor_add`` (the addition
            the CV floor asks of the part on top of the school rule),
            ``plan_add`` and ``plan_cost_yuan`` (both together).
        indicators: One row per county × level × indicator: ``county_code,
            year, level, indicator, add_unit, cost_basis, limit`` (from the
            registry), ``schools_count, cv_before``; the CV floor on the
            values as they are, alone: ``floor_alone`` (NaN when within the
            limit), ``schools_raised_alone, floor_alone_add,
            floor_alone_cost_yuan``; the plan: ``school_rule_add,
            school_rule_cost_yuan, cv_after_school_rule, floor`` (on the
            values after the school rule; NaN when no levelling up is
            needed), ``schools_raised, floor_add, floor_cost_yuan, cv_after``
            (after both, whole units rounded up), ``plan_add, plan_cost_yuan``.
            Amounts in ``add_unit``; floors in the indicator's unit.
        by_county: One row per county: ``county_code, year,
            school_rule_cost_yuan, floor_cost_yuan, plan_cost_yuan,
            one_off_cost_yuan, per_year_cost_yuan, parts_failing,
            parts_not_judged, cvs_over_limit``.
        by_resource: One row per county × indicator (both levels):
            ``county_code, year, indicator, add_unit, cost_basis, plan_add,
            plan_cost_yuan``.
        unit_costs: :func:`unit_cost_table` at the time of the plan.
    """

    schools: pd.DataFrame
    indicators: pd.DataFrame
    by_county: pd.DataFrame
    by_resource: pd.DataFrame
    unit_costs: pd.DataFrame


def _whole_ceil(amount: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """Round whole-unit amounts up (with a 1e-9 tolerance against float noise); NaN stays NaN."""
    return np.where(whole, np.ceil(amount - 1e-9) + 0.0, amount)  # + 0.0: no "−0" for a ceiling of −1e-9


def county_plan(dataset: Dataset, county=None, year: int | None = None, *, limits: pd.DataFrame) -> GapPlan:
    """School-rule additions and 差异系数 floors together, costed per county, indicator and resource.

    Steps (教督〔2017〕6号 requirements, in this order):

    1. every school part gets its least-cost school-rule additions
       (:func:`school_gaps`); parts that cannot be judged get none;
    2. on the values after step 1, each county × level × indicator whose
       enrollment-weighted 差异系数 is over its limit (``limits``: the target registry's,
       ``qyanalysis.verdicts.targets.limits.balance_cv_limits``) is levelled up to the least floor f
       (:func:`~qyanalysis.measures.floors.cv_floor`): a part below f needs
       Pᵢ·(f − yᵢ)/m more of the resource, i.e. Pᵢ·(f − yᵢ)/(m·qᵢ) added to
       its whole school (qᵢ its share after the re-split; 1 for a
       single-level school), whole persons and rooms rounded up.

    Additions go to whole schools and reach each part as its share qᵢ
    (:func:`received`). Applying 2 after 1 gives each school max(school-rule
    need, floor need): the plan is the larger of the two, never their sum.
    ``cv_after`` is computed on the values after both steps, re-split, with
    the rounding.

    Args:
        dataset: The dataset.
        county: A county code or name; None or ``"city"`` for every county.
        year: Census year (default: the latest).
        limits: The 差异系数 limit of each county, level and indicator (``county_code, level, indicator,
            limit``; ``qy.equity.county_plan`` passes the registry's after the dataset's overrides). A
            measure knows no target: the limits are handed in.

    Returns:
        A :class:`GapPlan`.
    """
    year = dataset.latest_year if year is None else int(year)
    arrays = _part_arrays(_resolve_scope(dataset, county, year))
    multipliers = np.array([GAP_RESOURCES[c].multiplier for c in INDICATOR_CODES])
    school_add = np.nan_to_num(arrays.additions, nan=0.0)
    pupils = np.where(arrays.students > 0, arrays.students, np.nan)[:, None]
    with np.errstate(invalid="ignore"):
        after_school = multipliers * (arrays.resources + received(school_add, arrays.shares, arrays.schools)) / pupils
    keys, codes, limits = _cv_groups(limits, arrays.parts)
    students = np.repeat(arrays.students, len(INDICATOR_CODES))
    alone = cv_floors(arrays.values.ravel(), students, np.nan_to_num(limits, nan=np.inf), codes)
    after_rule = cv_floors(after_school.ravel(), students, np.nan_to_num(limits, nan=np.inf), codes)
    alone_add = _floor_additions(arrays.values, alone["floor"].to_numpy(), codes, pupils, arrays)
    floor_add = _floor_additions(after_school, after_rule["floor"].to_numpy(), codes, pupils, arrays)
    plan_add = school_add + np.nan_to_num(floor_add)
    with np.errstate(invalid="ignore"):
        final = (multipliers * (arrays.resources + received(plan_add, arrays.shares, arrays.schools))
                 / pupils).ravel()
    valid = ~np.isnan(final) & ~np.isnan(students)
    cv_after = weighted_cv(np.where(valid, final, 0.0), np.where(valid, students, 0.0), codes, limits.size)

    costs = unit_costs()
    schools = _long_frame(arrays, {"floor_add": floor_add, "plan_add": plan_add,
                                   "plan_cost_yuan": plan_add * costs})
    totals = {name: np.bincount(codes, weights=np.nan_to_num(add).ravel(), minlength=limits.size)
              for name, add in (("school_rule_add", school_add), ("floor_add", floor_add),
                                ("floor_alone_add", alone_add))}
    indicators = _indicator_rows(keys, year, limits, alone, after_rule, cv_after, totals, costs)
    return GapPlan(schools=schools, indicators=indicators, by_county=_county_rows(indicators, arrays, year),
                   by_resource=_resource_rows(indicators), unit_costs=unit_cost_table())


def _cv_groups(limits: pd.DataFrame, parts: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The county × level groups, the group × indicator code of every part × indicator, and its limit.

    Returns:
        ``(keys, codes, limits)``: ``keys`` one row per county × level (sorted);
        ``codes`` (n·7,) = group · 7 + indicator for the parts' indicators
        flattened row by row; ``limits`` (groups · 7,) from the ``limits`` frame
        (NaN where it has none).
    """
    k = len(INDICATOR_CODES)
    grouped = parts[["county_code", "level"]].astype("str").groupby(["county_code", "level"], sort=True)
    if len(parts):
        part_group = grouped.ngroup().to_numpy()
        keys = grouped.size().index.to_frame(index=False)
    else:
        part_group = np.zeros(0, dtype=np.int64)
        keys = pd.DataFrame({"county_code": pd.Series(dtype="str"), "level": pd.Series(dtype="str")})
    lookup = limits.set_index(["county_code", "level", "indicator"])["limit"]
    index = pd.MultiIndex.from_arrays([np.repeat(keys["county_code"].to_numpy(), k),
                                       np.repeat(keys["level"].to_numpy(), k),
                                       np.tile(np.array(INDICATOR_CODES, dtype=object), len(keys))])
    limits = lookup.reindex(index).to_numpy(dtype="float64")
    codes = (part_group[:, None] * k + np.arange(k)).ravel()
    return keys, codes, limits


def _floor_additions(values: np.ndarray, floors_: np.ndarray, codes: np.ndarray,
                     pupils: np.ndarray, arrays: _PartArrays) -> np.ndarray:
    """Resource each school needs so that its parts reach their groups' floors, on the part that sets it.

    A part i below its floor f needs Pᵢ·(f − xᵢ)/m more; as a share qᵢ of a
    whole-school addition reaches it (the assessment's re-split), the school
    needs Pᵢ·(f − xᵢ)/(m·qᵢ) — the largest over its parts, whole units
    rounded up, listed on that part (0 on the other; for a single-level
    school q = 1 and this is Pᵢ·(f − xᵢ)/m).

    Args:
        values: xᵢ, shape (n, 7); NaN where unknown (the addition is NaN too).
        floors_: f per group × indicator (NaN = no floor).
        codes: Group × indicator code of every part × indicator, (n·7,).
        pupils: Pᵢ, shape (n, 1), NaN when unknown or 0.
        arrays: The parts' shares and schools.
    """
    multipliers = np.array([GAP_RESOURCES[c].multiplier for c in INDICATOR_CODES])
    whole = np.array([GAP_RESOURCES[c].whole for c in INDICATOR_CODES])
    floor = floors_[codes].reshape(values.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.where(values < floor, (floor - values) * pupils / multipliers / arrays.shares[:, None], 0.0)
    gap = np.nan_to_num(gap)
    slots = _school_slots(arrays.schools)
    out = np.zeros(values.shape)
    if len(slots):
        second = np.where(slots[:, 1] >= 0, slots[:, 1], slots[:, 0])
        pair = np.stack([gap[slots[:, 0]], np.where((slots[:, 1] >= 0)[:, None], gap[second], 0.0)], axis=1)
        setter = np.argmax(pair, axis=1)
        amount = _whole_ceil(pair.max(axis=1), whole)
        out[slots[:, 0]] = np.where(setter == 0, amount, 0.0)
        has_second = slots[:, 1] >= 0
        out[slots[has_second, 1]] = np.where(setter[has_second] == 1, amount[has_second], 0.0)
    return np.where(np.isnan(values), np.nan, out)


def _indicator_rows(keys: pd.DataFrame, year: int, limits: np.ndarray, alone: pd.DataFrame,
                    after_rule: pd.DataFrame, cv_after: np.ndarray, totals: dict[str, np.ndarray],
                    costs: np.ndarray) -> pd.DataFrame:
    """One row per county × level × indicator (see :class:`GapPlan`)."""
    k = len(INDICATOR_CODES)
    n_groups = len(keys)
    tiled_costs = np.tile(costs, n_groups)
    cv_after_rule = after_rule["cv_before"].to_numpy()
    out = pd.DataFrame({
        "county_code": np.repeat(keys["county_code"].to_numpy(), k),
        "year": np.int64(year),
        "level": np.repeat(keys["level"].to_numpy(), k),
        "indicator": np.tile(np.array(INDICATOR_CODES, dtype=object), n_groups),
        "add_unit": np.tile([GAP_RESOURCES[c].add_unit for c in INDICATOR_CODES], n_groups),
        "cost_basis": np.tile([GAP_RESOURCES[c].cost_basis for c in INDICATOR_CODES], n_groups),
        "limit": limits,
        "schools_count": alone["schools_count"].to_numpy(),
        "cv_before": alone["cv_before"].to_numpy(),
        "floor_alone": alone["floor"].to_numpy(),
        "schools_raised_alone": alone["schools_raised"].to_numpy(),
        "floor_alone_add": totals["floor_alone_add"],
        "floor_alone_cost_yuan": totals["floor_alone_add"] * tiled_costs,
        "school_rule_add": totals["school_rule_add"],
        "school_rule_cost_yuan": totals["school_rule_add"] * tiled_costs,
        "cv_after_school_rule": cv_after_rule,
        "floor": after_rule["floor"].to_numpy(),
        "schools_raised": after_rule["schools_raised"].to_numpy(),
        "floor_add": totals["floor_add"],
        "floor_cost_yuan": totals["floor_add"] * tiled_costs,
        "cv_after": np.where(np.isnan(cv_after_rule), np.nan, cv_after),
    })
    out["plan_add"] = out["school_rule_add"] + out["floor_add"]
    out["plan_cost_yuan"] = out["school_rule_cost_yuan"] + out["floor_cost_yuan"]
    return out


def _county_rows(indicators: pd.DataFrame, arrays: _PartArrays, year: int) -> pd.DataFrame:
    """Totals per county (see :class:`GapPlan`): costs by kind, failing and unjudged parts, CVs over."""
    frame = indicators.assign(
        one_off=np.where(indicators["cost_basis"] == "one_off", indicators["plan_cost_yuan"], 0.0),
        per_year=np.where(indicators["cost_basis"] == "per_year", indicators["plan_cost_yuan"], 0.0),
        over=(indicators["cv_before"] > indicators["limit"]).astype(float))
    out = frame.groupby("county_code", sort=True).agg(
        school_rule_cost_yuan=("school_rule_cost_yuan", "sum"), floor_cost_yuan=("floor_cost_yuan", "sum"),
        plan_cost_yuan=("plan_cost_yuan", "sum"), one_off_cost_yuan=("one_off", "sum"),
        per_year_cost_yuan=("per_year", "sum"), cvs_over_limit=("over", "sum")).reset_index()
    passes = arrays.verdicts["passes"]
    parts = pd.DataFrame({"county_code": arrays.parts["county_code"].astype("str").to_numpy(),
                          "failing": (~passes).fillna(False).astype(float).to_numpy(),
                          "not_judged": passes.isna().astype(float).to_numpy()})
    counts = parts.groupby("county_code", sort=True).agg(parts_failing=("failing", "sum"),
                                                         parts_not_judged=("not_judged", "sum"))
    out = out.join(counts, on="county_code")
    for column in ("parts_failing", "parts_not_judged", "cvs_over_limit"):
        out[column] = out[column].fillna(0).astype("int64")
    out.insert(1, "year", np.int64(year))
    return out


def _resource_rows(indicators: pd.DataFrame) -> pd.DataFrame:
    """Plan additions and costs per county × resource, both levels together, in catalogue order."""
    out = indicators.groupby(["county_code", "year", "indicator", "add_unit", "cost_basis"], sort=False).agg(
        plan_add=("plan_add", "sum"), plan_cost_yuan=("plan_cost_yuan", "sum")).reset_index()
    order = {code: i for i, code in enumerate(INDICATOR_CODES)}
    return out.sort_values(["county_code", "indicator"], key=lambda s: s.map(order) if s.name == "indicator"
                           else s, ignore_index=True)


def resource_totals(by_resource: pd.DataFrame) -> pd.DataFrame:
    """Plan additions and costs per resource summed over counties (the city's cost by resource).

    Σ over the counties of :attr:`GapPlan.by_resource` ``plan_add`` and
    ``plan_cost_yuan``, per indicator, in catalogue order; ``counties`` is how
    many counties need some of the resource (``plan_add`` > 0).

    Returns:
        ``indicator, add_unit, cost_basis, plan_add, plan_cost_yuan, counties``.
    """
    frame = by_resource.assign(needs=(by_resource["plan_add"] > 0).astype("int64"))
    out = frame.groupby(["indicator", "add_unit", "cost_basis"], sort=False, observed=True).agg(
        plan_add=("plan_add", "sum"), plan_cost_yuan=("plan_cost_yuan", "sum"), counties=("needs", "sum"))
    out = out.reset_index()
    order = {code: i for i, code in enumerate(INDICATOR_CODES)}
    return out.sort_values("indicator", key=lambda s: s.map(order), ignore_index=True)
