"""County compulsory-education balance: 优质均衡 (2017) and 基本均衡 (2012).

Everything here works on the *balance parts*: one row per school × level
(primary, junior) of the county's compulsory-education schools, combined
schools split into their primary and junior parts (docs/methods.md,
教督〔2017〕6号). All functions are vectorised over every county and year at
once; the county × year × level grouping is done with integer group codes and
``numpy.bincount``, so a census of a million schools takes seconds.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from qyanalysis.contract.columns import teaching_point_flags
from qyanalysis.contract.indicators import BALANCE_INDICATORS, BALANCE_LEVELS

PART_LEVELS = BALANCE_LEVELS  # ("primary", "junior")
ENROLMENT_LEVELS = ("primary", "junior", "senior")

# Per-student resource weight of each level of a combined school (教督〔2017〕6号):
# nine-year primary : junior = 1 : 1.1; complete secondary junior : senior = 1 : 1.2;
# twelve-year 1 : 1.1 : 1.32. Single-level schools keep all their resources.
SPLIT_WEIGHTS: dict[str, tuple[float, float, float]] = {
    # level: (primary, junior, senior) weights; 0 = the school has no such level
    "primary": (1.0, 0.0, 0.0),
    "junior": (0.0, 1.0, 0.0),
    "nine_year": (1.0, 1.1, 0.0),
    "complete_secondary": (0.0, 1.0, 1.2),
    "twelve_year": (1.0, 1.1, 1.32),
}

# Resource columns split between the parts of a combined school.
RESOURCE_COLUMNS = (
    "teachers_above_required_qualification",
    "backbone_teachers",
    "pe_arts_teachers",
    "teaching_area_m2",
    "sports_area_m2",
    "equipment_value_yuan",
    "multimedia_rooms",
    "computers",
    "library_books",
    "teachers",
    "teachers_senior_title",
)
_CONTEXT_COLUMNS = ("school_id", "school_name", "county_code", "year", "ownership", "location",
                    "is_teaching_point")

# 优质均衡 indicator code -> (resource column, multiplier): value = multiplier · resource / students.
BALANCE_SOURCES: dict[str, tuple[str, float]] = {
    "qualified_teachers_per_100": ("teachers_above_required_qualification", 100.0),
    "backbone_teachers_per_100": ("backbone_teachers", 100.0),
    "pe_arts_teachers_per_100": ("pe_arts_teachers", 100.0),
    "teaching_area_per_student": ("teaching_area_m2", 1.0),
    "sports_area_per_student": ("sports_area_m2", 1.0),
    "equipment_value_per_student": ("equipment_value_yuan", 1.0),
    "multimedia_rooms_per_100": ("multimedia_rooms", 100.0),
}

# 基本均衡 (教督〔2012〕3号): the eight indicators, same form as above.
BASIC_BALANCE_SOURCES: dict[str, tuple[str, float]] = {
    "teaching_area_per_student": ("teaching_area_m2", 1.0),
    "sports_area_per_student": ("sports_area_m2", 1.0),
    "equipment_value_per_student": ("equipment_value_yuan", 1.0),
    "computers_per_100": ("computers", 100.0),
    "library_books_per_student": ("library_books", 1.0),
    "teachers_per_student": ("teachers", 1.0),  # 师生比 as teachers ÷ students
    "qualified_teachers_per_student": ("teachers_above_required_qualification", 1.0),
    "senior_title_teachers_per_student": ("teachers_senior_title", 1.0),
}
# The 差异系数 limits (优质均衡 0.50 / 0.45, 基本均衡 0.65 / 0.55) are registry targets, read from the
# scorecard after county overrides and passed in by the caller (``limits``): no copy here.

SMALL_TEACHING_POINT_STUDENTS = 50  # teaching points under 50 pupils are out of scope
SCHOOL_PASS_MIN_MET = 6  # of the 7 indicators
SCHOOL_PASS_REMAINDER_SHARE = 0.85  # the remaining indicator reaches >= 85 % of its standard
# Relative slack at the inclusive bounds, so that 100·21/500 >= 4.2 survives floating-point rounding.
BOUND_TOLERANCE = 1e-9


def _numeric(schools: pd.DataFrame, column: str) -> np.ndarray:
    """The column as float64, all-NaN when the optional column is absent."""
    if column not in schools.columns:
        return np.full(len(schools), np.nan)
    return schools[column].to_numpy(dtype="float64", na_value=np.nan)


def level_weights(levels: pd.Series) -> np.ndarray:
    """Per-student weights (primary, junior, senior) of each school's level, NaN for other levels."""
    table = np.vstack([np.array(list(SPLIT_WEIGHTS.values())), np.full((1, 3), np.nan)])
    codes = pd.Index(list(SPLIT_WEIGHTS)).get_indexer(levels.astype("object"))  # -1 = other level
    return table[codes]


def level_enrollments(schools: pd.DataFrame) -> np.ndarray:
    """Enrollment of each level of every school, shape (n, 3) for primary, junior, senior.

    A single-level school's ``students`` is its level's enrollment. A combined
    school reports ``students_primary/junior/senior``; when exactly one of its
    levels is missing it is inferred as ``students`` minus the others (NaN if
    that would be negative). Levels the school does not have are 0; schools
    outside :data:`SPLIT_WEIGHTS` get NaN everywhere.
    """
    weights = level_weights(schools["level"])
    students = _numeric(schools, "students")
    parts = np.column_stack([_numeric(schools, f"students_{lv}") for lv in ENROLMENT_LEVELS])
    has_level = weights > 0
    known = ~np.isnan(weights[:, 0])
    combined = has_level.sum(axis=1) > 1
    single = known & ~combined
    out = np.where(has_level, parts, 0.0)
    out[single] = np.where(has_level[single], students[single, None], 0.0)
    missing = has_level & np.isnan(out)
    fill_rows = combined & (missing.sum(axis=1) == 1)
    others = np.where(missing, 0.0, out).sum(axis=1)
    inferred = students - others
    inferred = np.where(inferred >= 0, inferred, np.nan)
    rows, cols = np.nonzero(missing & fill_rows[:, None])
    out[rows, cols] = inferred[rows]
    out[~known] = np.nan
    return out


def compulsory_enrollment(schools: pd.DataFrame) -> pd.Series:
    """Compulsory-education (义务教育) enrollment of each school, pupils.

    primary, junior and nine-year schools: ``students`` (all compulsory);
    complete secondary schools: their junior enrollment; twelve-year schools:
    primary + junior enrollment (senior pupils left out). Per-level enrollments
    come from :func:`level_enrollments` (one missing level inferred from
    ``students``). Other levels, and combined schools whose compulsory part is
    unknown: NaN.

    Example: a twelve-year school of 1200 primary, 600 junior and 900 senior
    pupils has a compulsory enrollment of 1800.
    """
    enroll = level_enrollments(schools)
    students = pd.Series(_numeric(schools, "students"), index=schools.index)
    compulsory = pd.Series(enroll[:, 0] + enroll[:, 1], index=schools.index)
    whole = schools["level"].isin(("primary", "junior", "nine_year"))
    combined = schools["level"].isin(("complete_secondary", "twelve_year"))
    return students.where(whole, compulsory.where(combined)).astype("float64")


def compulsory_resource_share(schools: pd.DataFrame) -> pd.Series:
    """Share of each school's resources (teachers, rooms …) that serves compulsory education.

    The 优质均衡 split of :func:`split_combined_schools`: share = Σ w_l·E_l over
    the primary and junior levels ÷ Σ w_l·E_l over all the school's levels,
    with the per-student weights of :data:`SPLIT_WEIGHTS` (twelve-year
    1 : 1.1 : 1.32, complete secondary junior : senior = 1 : 1.2). Primary,
    junior and nine-year schools: 1; kindergartens, senior, vocational and
    special schools: 0; a combined school whose per-level enrollment is unknown:
    NaN. E.g. a twelve-year school of 1200 primary, 600 junior and 900 senior
    pupils: (1200 + 1.1·600) ÷ (1200 + 1.1·600 + 1.32·900) = 1860 ÷ 3048 = 0.6102.
    """
    weights = level_weights(schools["level"])
    weighted = weights * level_enrollments(schools)
    total = weighted.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, (weighted[:, 0] + weighted[:, 1]) / total, np.nan)
    single = schools["level"].isin(("primary", "junior", "nine_year")).to_numpy()
    known = ~np.isnan(weights[:, 0])
    share = np.where(single, 1.0, np.where(known, share, 0.0))
    return pd.Series(share, index=schools.index, dtype="float64")


def split_combined_schools(schools: pd.DataFrame) -> pd.DataFrame:
    """One row per school × level (primary, junior), combined schools split.

    A combined school's resources go to its levels in proportion to weighted
    enrollment: level share = w_l·E_l / Σ_k w_k·E_k, with per-student weights
    nine-year primary : junior = 1 : 1.1, complete secondary junior : senior =
    1 : 1.2, twelve-year 1 : 1.1 : 1.32 (docs/methods.md, as applied by the
    provincial implementing rules of 教督〔2017〕6号). E.g. A = 300 primary and
    B = 200 junior pupils give the primary part 300 / (300 + 1.1·200) = 0.5769
    of every resource. Each part's
    ``students`` is the level's own enrollment; senior parts are not returned.

    Args:
        schools: The schools table (docs/data-dictionary.md); optional resource columns
            may be absent (they come out all-NaN).

    Returns:
        Columns ``school_id, school_name, county_code, year, ownership, location,
        is_teaching_point`` (those present), ``level`` (primary | junior, the
        part), ``school_level`` (the school's own level), ``students`` (the
        part's enrollment), ``school_students``, ``resource_share`` and every
        column of :data:`RESOURCE_COLUMNS` multiplied by the share. Only schools
        of a compulsory level (:data:`SPLIT_WEIGHTS`) appear; parts with zero
        enrollment are dropped, parts whose enrollment is unknown are kept (NaN).
    """
    enroll = level_enrollments(schools)
    weights = np.nan_to_num(level_weights(schools["level"]), nan=0.0)
    weighted = weights * enroll
    total = weighted.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(total[:, None] > 0, weighted / total[:, None], np.nan)
    context = [c for c in _CONTEXT_COLUMNS if c in schools.columns]
    resources = {c: _numeric(schools, c) for c in RESOURCE_COLUMNS}
    frames = []
    for k, part in enumerate(PART_LEVELS):
        keep = (weights[:, k] > 0) & (enroll[:, k] != 0)
        frame = schools.loc[keep, context].copy()
        frame["level"] = part
        frame["school_level"] = schools["level"].to_numpy()[keep]
        frame["students"] = enroll[keep, k]
        frame["school_students"] = _numeric(schools, "students")[keep]
        frame["resource_share"] = shares[keep, k]
        for column, values in resources.items():
            frame[column] = values[keep] * shares[keep, k]
        frames.append(frame)
    parts = pd.concat(frames, ignore_index=True)
    parts["level"] = parts["level"].astype("str")
    parts["school_level"] = parts["school_level"].astype("str")
    return parts


def in_balance_scope(schools: pd.DataFrame) -> pd.Series:
    """Boolean mask of the schools inside the 优质均衡 scope (教督〔2017〕6号).

    In scope: compulsory-education schools (primary, junior, nine-year,
    complete secondary, twelve-year). Out: special-education schools and
    teaching points (教学点) with fewer than 50 pupils (a teaching point of
    exactly 50 stays in). Teaching points are those flagged
    ``is_teaching_point``; where the flag is not given (no column, or an
    empty cell) a school whose name contains 教学点 is one
    (:func:`qyanalysis.contract.columns.teaching_point_flags`).
    """
    compulsory = schools["level"].isin(list(SPLIT_WEIGHTS))
    is_point, _inferred = teaching_point_flags(schools)
    small = is_point & (schools["students"] < SMALL_TEACHING_POINT_STUDENTS)
    return compulsory & ~small


def balance_parts(schools: pd.DataFrame) -> pd.DataFrame:
    """The school × level parts in scope: :func:`in_balance_scope` then :func:`split_combined_schools`."""
    return split_combined_schools(schools.loc[in_balance_scope(schools)])


def per_student_indicators(parts: pd.DataFrame, sources: dict[str, tuple[str, float]]) -> pd.DataFrame:
    """Per-school indicator values: multiplier · resource / students.

    "Per 100 pupils" indicators are 100·count/students, "per student" ones
    amount/students (教督〔2017〕6号). A part with zero or unknown enrollment,
    or an unknown resource, gives NaN.

    Returns:
        A frame aligned on ``parts.index`` with one column per code of ``sources``.
    """
    students = parts["students"].to_numpy(dtype="float64", na_value=np.nan)
    safe = np.where(students > 0, students, np.nan)
    out = {code: multiplier * parts[column].to_numpy(dtype="float64", na_value=np.nan) / safe
           for code, (column, multiplier) in sources.items()}
    return pd.DataFrame(out, index=parts.index)


def balance_standards(levels: pd.Series) -> pd.DataFrame:
    """The 优质均衡 standard of every indicator for each row's level (primary/junior)."""
    table = pd.DataFrame({code: {"primary": spec.primary, "junior": spec.junior}
                          for code, spec in BALANCE_INDICATORS.items()})
    return table.reindex(levels.to_numpy()).set_axis(levels.index)


def school_verdicts(values: pd.DataFrame, levels: pd.Series) -> pd.DataFrame:
    """Apply the 优质均衡 school rule to per-school indicator values.

    Rule (教督〔2017〕6号): at least 6 of the 7 indicators meet
    their standard (value >= standard) and the remaining one reaches at least
    85 % of its standard. A school with any indicator missing cannot be judged:
    its verdict is <NA>, not a failure.

    Args:
        values: One column per code of ``BALANCE_INDICATORS``.
        levels: "primary" or "junior" for each row (same index).

    Returns:
        ``<code>_meets`` (boolean, <NA> when the value is missing) for each
        code, ``indicators_met_count`` (float, NaN when any is missing) and
        ``passes`` (boolean, <NA> when the school cannot be judged).
    """
    codes = list(BALANCE_INDICATORS)
    standards = balance_standards(levels)[codes].to_numpy()
    x = values[codes].to_numpy(dtype="float64", na_value=np.nan)
    slack = 1.0 - BOUND_TOLERANCE
    missing = np.isnan(x)
    meets = x >= standards * slack
    near = x >= SCHOOL_PASS_REMAINDER_SHARE * standards * slack
    met_count = meets.sum(axis=1).astype(float)
    judged = ~missing.any(axis=1)
    passes = (met_count == len(codes)) | ((met_count >= SCHOOL_PASS_MIN_MET) & near.all(axis=1))
    out = pd.DataFrame(index=values.index)
    for k, code in enumerate(codes):
        out[f"{code}_meets"] = pd.arrays.BooleanArray(meets[:, k], missing[:, k].copy())
    out["indicators_met_count"] = np.where(judged, met_count, np.nan)
    out["passes"] = pd.arrays.BooleanArray(passes, ~judged)
    return out


def group_codes(frame: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group code of every row and the key of every group (sorted)."""
    grouped = frame.groupby(by, sort=True, observed=True)
    codes = grouped.ngroup().to_numpy()
    keys = grouped.size().index.to_frame(index=False)
    return codes, keys


def grouped_difference_coefficient(values: pd.DataFrame, weights: pd.Series, codes: np.ndarray,
                                   n_groups: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Enrollment-weighted 差异系数 of every column, within every group, vectorised.

    Same formula as :func:`qyanalysis.measures.equity.difference_coefficient`
    (教督〔2017〕6号): X̄ = ΣPᵢXᵢ/P, S = sqrt(Σ(Pᵢ/P)(Xᵢ − X̄)²), CV = S/X̄,
    rows with a missing value or weight dropped per column (pairwise), NaN
    when a group's total weight or X̄ is 0. Two passes (mean, then squared
    deviations) avoid the cancellation of the one-pass moment formula.

    Args:
        values: Xᵢ, one column per indicator.
        weights: Pᵢ (enrollment), aligned with ``values``.
        codes: Group code 0..n_groups−1 of every row.
        n_groups: Number of groups.

    Returns:
        ``(cv, n)``: CV and number of schools used, shape n_groups × columns.
    """
    x = values.to_numpy(dtype="float64", na_value=np.nan)
    p = weights.to_numpy(dtype="float64", na_value=np.nan)[:, None]
    valid = ~np.isnan(x) & ~np.isnan(p)
    w = np.where(valid, p, 0.0)
    xw = np.where(valid, x, 0.0)
    cv = np.full((n_groups, x.shape[1]), np.nan)
    n = np.zeros((n_groups, x.shape[1]))
    for k in range(x.shape[1]):
        total = np.bincount(codes, weights=w[:, k], minlength=n_groups)
        n[:, k] = np.bincount(codes, weights=valid[:, k].astype(float), minlength=n_groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.bincount(codes, weights=w[:, k] * xw[:, k], minlength=n_groups) / total
            deviation = np.where(valid[:, k], xw[:, k] - mean[codes], 0.0)
            variance = np.bincount(codes, weights=w[:, k] * deviation**2, minlength=n_groups) / total
            cv[:, k] = np.where((total > 0) & (mean != 0), np.sqrt(variance) / mean, np.nan)
    return (pd.DataFrame(cv, columns=values.columns), pd.DataFrame(n, columns=values.columns))


def level_cvs(parts: pd.DataFrame, sources: dict[str, tuple[str, float]]) -> pd.DataFrame:
    """Weighted CV of each indicator per county × year × level.

    Returns:
        Long frame ``county_code, year, level, code, cv, schools_count``; one
        row per group and code (cv NaN where it cannot be computed).
    """
    values = per_student_indicators(parts, sources)
    codes, keys = group_codes(parts, ["county_code", "year", "level"])
    cv, n = grouped_difference_coefficient(values, parts["students"], codes, len(keys))
    cv_long = pd.concat([keys, cv], axis=1).melt(["county_code", "year", "level"], var_name="code",
                                                   value_name="cv")
    cv_long["schools_count"] = n.to_numpy().ravel(order="F")
    return cv_long


def with_limits(cvs: pd.DataFrame, limits: Mapping[str, float]) -> pd.DataFrame:
    """Adds ``limit`` (from ``limits``, by level) and ``within_limit`` (cv <= limit, inclusive).

    ``within_limit`` is <NA> when the CV or the level's limit is missing.
    """
    out = cvs.copy()
    out["limit"] = out["level"].map(dict(limits)).astype(float)
    within = out["cv"] <= out["limit"]
    out["within_limit"] = within.astype("boolean").mask(out["cv"].isna() | out["limit"].isna())
    return out


def balance_cvs(parts: pd.DataFrame, limits: Mapping[str, float] | None = None) -> pd.DataFrame:
    """优质均衡 CVs of the 7 indicators per county × year × level, with the limit and verdict when given.

    The limits (inclusive) are targets of the registry: nationally 0.50 for
    primary and 0.45 for junior schools (教督〔2017〕6号), possibly overridden
    per county; the caller reads them from the scorecard (``threshold`` of
    ``t08_balance_cv_<indicator>_<level>``) and passes them here.

    Args:
        parts: :func:`balance_parts`.
        limits: Limit per level (``{"primary": 0.50, "junior": 0.45}``); None =
            no ``limit`` / ``within_limit`` columns.

    Returns:
        ``county_code, year, level, code, cv, schools_count`` and, with
        ``limits``, ``limit, within_limit`` (boolean, <NA> when the CV is missing).
    """
    out = level_cvs(parts, BALANCE_SOURCES)
    return out if limits is None else with_limits(out, limits)


def county_balance_verdict(parts: pd.DataFrame, limits: Mapping[str, float]) -> pd.DataFrame:
    """County verdict of 优质均衡 resources: all 14 CVs (7 indicators × 2 levels) within limits.

    Args:
        parts: :func:`balance_parts`.
        limits: Limit per level, from the scorecard (see :func:`balance_cvs`).

    Returns:
        One row per county × year: ``cvs_within_limit_count``, ``cvs_judged_count``
        and ``all_within_limits`` (True only when all 14 are judged and within;
        False as soon as one judged CV exceeds its limit; <NA> otherwise).
    """
    cvs = balance_cvs(parts, limits)
    flags = pd.DataFrame({"county_code": cvs["county_code"], "year": cvs["year"],
                          "within": cvs["within_limit"].fillna(False).astype(float),
                          "over": (~cvs["within_limit"]).fillna(False).astype(float),
                          "judged": cvs["within_limit"].notna().astype(float)})
    out = flags.groupby(["county_code", "year"], sort=True).agg(
        cvs_within_limit_count=("within", "sum"), cvs_judged_count=("judged", "sum"),
        any_over_limit=("over", "sum")).reset_index()
    out["any_over_limit"] = out["any_over_limit"] > 0
    expected = len(BALANCE_INDICATORS) * len(PART_LEVELS)
    verdict = pd.array(np.where(out["any_over_limit"], False,
                                np.where(out["cvs_judged_count"] == expected, True, None)), dtype="boolean")
    out["all_within_limits"] = verdict
    return out.drop(columns="any_over_limit")


def basic_balance_cvs(parts: pd.DataFrame, limits: Mapping[str, float] | None = None) -> pd.DataFrame:
    """基本均衡 comprehensive CV per county × year × level (教督〔2012〕3号).

    Comprehensive CV = mean of the 8 indicator CVs (:data:`BASIC_BALANCE_SOURCES`),
    each the enrollment-weighted 差异系数. When any of the 8 CVs cannot be
    computed (an input missing for the whole county and level) there is no
    comprehensive value. The limits (nationally 0.65 primary, 0.55 junior,
    inclusive) are the registry's ``t08_basic_balance_cv_<level>`` targets,
    passed in by the caller when a verdict is wanted.

    Returns:
        ``county_code, year, level, cv`` for the groups where all 8 exist, and
        with ``limits`` also ``limit, within_limit``.
    """
    long = level_cvs(parts, BASIC_BALANCE_SOURCES)
    grouped = long.groupby(["county_code", "year", "level"], sort=True)["cv"]
    out = pd.DataFrame({"cv": grouped.mean(), "complete": grouped.count() == len(BASIC_BALANCE_SOURCES)})
    out = out.loc[out["complete"]].drop(columns="complete").reset_index()
    return out if limits is None else with_limits(out, limits)
