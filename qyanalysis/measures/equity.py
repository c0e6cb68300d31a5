"""Equity of compulsory education: 差异系数, 优质均衡 / 基本均衡, class and school size.

Public API (``qy.equity``, CONTRACT.md §6):

* :func:`difference_coefficient` — the enrolment-weighted 差异系数 (STANDARDS.md §2).
* :func:`measures` — every equity measure, all counties and years, as a measure
  frame (docs/design.md): ``balance_cv_<code>_<level>``,
  ``balance_schools_passing_share``, ``basic_balance_cv_<level>``,
  ``schools_over_class_size_count``, ``schools_over_size_count``.
* :func:`school_balance_table` — one county's schools against the 优质均衡
  school rule (who falls short, on what).
* :func:`school_gaps`, :func:`cv_floor` (:func:`cv_floors`, :func:`cv_floor_table`
  for many groups), :func:`county_plan`, :func:`unit_cost_table` — the least
  resources (and their cost) that make every school pass the school rule and
  every 差异系数 fall within its limit (``gaps.py``, ``floors.py``).
* Re-exported building blocks: :func:`split_combined_schools`,
  :func:`balance_cvs`, :func:`county_balance_verdict`, :func:`basic_balance_cvs`
  (``balance.py``) and :func:`theil_index`, :func:`theil_decomposition`,
  :func:`gini_student_weighted`, :func:`location_gaps` (``inequality.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qyanalysis.contract.indicators import BALANCE_INDICATORS
from qyanalysis.dataset import Dataset
from qyanalysis.errors import UsageError
from qyanalysis.measures.balance import (
    BALANCE_SOURCES,
    balance_cvs,
    balance_parts,
    basic_balance_cvs,
    county_balance_verdict,
    in_balance_scope,
    level_enrolments,
    per_student_indicators,
    school_verdicts,
    split_combined_schools,
)
from qyanalysis.measures.gaps import (
    CvFloor,
    GapPlan,
    county_plan,
    cv_floor,
    cv_floor_table,
    cv_floors,
    school_gaps,
    unit_cost_table,
)
from qyanalysis.measures.inequality import (
    as_float_array,
    gini_student_weighted,
    location_gaps,
    theil_decomposition,
    theil_index,
)
from qyanalysis.measures.rates import MEASURE_COLUMNS, empty_measure_frame

__all__ = [
    "CLASS_SIZE_LIMITS",
    "MEASURE_COLUMNS",
    "SCHOOL_SIZE_LIMITS",
    "CvFloor",
    "GapPlan",
    "balance_cvs",
    "basic_balance_cvs",
    "county_balance_verdict",
    "county_plan",
    "cv_floor",
    "cv_floor_table",
    "cv_floors",
    "difference_coefficient",
    "difference_coefficient_unweighted",
    "gini_student_weighted",
    "location_gaps",
    "measures",
    "school_balance_table",
    "school_gaps",
    "school_size_table",
    "split_combined_schools",
    "theil_decomposition",
    "theil_index",
    "unit_cost_table",
]


# Average class size limits, pupils per class (优质均衡, STANDARDS.md §2): primary <= 45,
# junior <= 50. The census gives one class count per school, so a combined school is
# judged on its whole-school average against the largest limit of its levels (50):
# if that average is above 50, at least one level's average class is above its own
# limit, so no school is flagged wrongly (a school may be missed). Schools with a
# senior section (complete secondary, twelve-year) include their senior classes in
# the average — an approximation the census cannot avoid.
CLASS_SIZE_LIMITS = {"primary": 45.0, "junior": 50.0, "nine_year": 50.0, "complete_secondary": 50.0,
                     "twelve_year": 50.0}
# School size limits, pupils (STANDARDS.md §2): primary or junior <= 2000, nine-year and
# twelve-year <= 2500. The standard names no limit for complete secondary schools
# (完全中学): their junior section is a junior school, so its junior enrolment is
# held to the junior limit and the senior section is left out.
SCHOOL_SIZE_LIMITS = {"primary": 2000.0, "junior": 2000.0, "nine_year": 2500.0,
                      "complete_secondary": 2000.0, "twelve_year": 2500.0}


def _pairs(values, enrollment) -> tuple[np.ndarray, np.ndarray]:
    x = as_float_array(values)
    p = as_float_array(enrollment)
    if x.shape != p.shape:
        raise ValueError(f"values and enrollment differ in length ({x.size} vs {p.size})")
    keep = ~np.isnan(x) & ~np.isnan(p)
    if (p[keep] < 0).any():
        raise ValueError("enrollment must be non-negative")
    return x[keep], p[keep]


def difference_coefficient(values, enrollment) -> float:
    """Enrolment-weighted 差异系数 (coefficient of variation) across schools.

    With Xᵢ school i's value and Pᵢ its enrolment, P = ΣPᵢ (教督〔2017〕6号,
    STANDARDS.md §2)::

        X̄  = Σ Pᵢ·Xᵢ / P          (county total resource ÷ county total students)
        S  = sqrt( Σ (Pᵢ/P)·(Xᵢ − X̄)² )
        CV = S / X̄

    Dimensionless; the county limits are 0.50 (primary) and 0.45 (junior).

    Args:
        values: Xᵢ, per-student (or per-100-student) values of one indicator.
        enrollment: Pᵢ, students, same length.

    Returns:
        CV. Pairs where either side is missing are left out; NaN when nothing
        is left, the total enrolment is 0, or X̄ is 0.

    Raises:
        ValueError: lengths differ or an enrolment is negative.
    """
    x, p = _pairs(values, enrollment)
    total = p.sum()
    if x.size == 0 or total <= 0:
        return float("nan")
    mean = float(np.sum(p * x) / total)
    if mean == 0:
        return float("nan")
    return float(np.sqrt(np.sum(p / total * (x - mean) ** 2)) / mean)


def difference_coefficient_unweighted(values, enrollment=None) -> float:
    """Unweighted coefficient of variation, for comparison with :func:`difference_coefficient`.

    CV = S/X̄ with X̄ = ΣXᵢ/n and S = sqrt(Σ(Xᵢ − X̄)²/n) (population standard
    deviation, i.e. :func:`difference_coefficient` with equal enrolments).

    Args:
        values: Xᵢ.
        enrollment: Optional Pᵢ; when given, schools whose enrolment is missing
            are left out too, so that both coefficients cover the same schools.

    Returns:
        CV, NaN when no value is left or X̄ is 0.
    """
    x = as_float_array(values)
    if enrollment is not None:
        x, _p = _pairs(x, enrollment)
    x = x[~np.isnan(x)]
    return difference_coefficient(x, np.ones_like(x))


def _rows(keys: pd.DataFrame, indicator, value, numerator=np.nan, denominator=np.nan,
          note="") -> pd.DataFrame:
    """Measure-frame rows for ``keys`` (county_code, year)."""
    out = keys[["county_code", "year"]].reset_index(drop=True).copy()
    out["period"] = ""
    out["indicator"] = indicator if isinstance(indicator, str) else np.asarray(indicator, dtype=object)
    for name, column in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        out[name] = np.asarray(column, dtype="float64") if np.ndim(column) else float(column)
    out["ci_low"] = np.nan
    out["ci_high"] = np.nan
    out["note"] = note if isinstance(note, str) else np.asarray(note, dtype=object)
    out["units_reporting"] = np.nan
    out["units_expected"] = np.nan
    return out


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.loc[:, list(MEASURE_COLUMNS)].copy()
    for column in ("county_code", "period", "indicator", "note"):
        frame[column] = frame[column].astype("str")
    frame["year"] = frame["year"].astype("int64")
    for column in ("value", "numerator", "denominator", "ci_low", "ci_high", "units_reporting", "units_expected"):
        frame[column] = frame[column].astype("float64")
    return frame.reset_index(drop=True)


def _balance_cv_rows(parts: pd.DataFrame) -> pd.DataFrame:
    cvs = balance_cvs(parts)
    cvs = cvs.loc[cvs["cv"].notna()]
    indicator = "balance_cv_" + cvs["code"] + "_" + cvs["level"]
    note = np.where(cvs["schools_count"] == 1, "single_school", "")
    return _rows(cvs, indicator, cvs["cv"], note=note)


def _passing_share_rows(parts: pd.DataFrame) -> pd.DataFrame:
    verdicts = school_verdicts(per_student_indicators(parts, BALANCE_SOURCES), parts["level"])
    frame = pd.DataFrame({"county_code": parts["county_code"], "year": parts["year"],
                          "judged": verdicts["passes"].notna().astype(float),
                          "passing": verdicts["passes"].fillna(False).astype(float)})
    counts = frame.groupby(["county_code", "year"], sort=True).agg(
        judged=("judged", "sum"), passing=("passing", "sum"), parts=("judged", "size")).reset_index()
    counts = counts.loc[counts["judged"] > 0]
    not_judged = counts["parts"] - counts["judged"]
    note = np.where(not_judged > 0, "schools_not_judged=" + not_judged.astype(int).astype(str), "")
    return _rows(counts, "balance_schools_passing_share", counts["passing"] / counts["judged"],
                 counts["passing"], counts["judged"], note)


def _basic_balance_rows(parts: pd.DataFrame) -> pd.DataFrame:
    cvs = basic_balance_cvs(parts)
    return _rows(cvs, "basic_balance_cv_" + cvs["level"], cvs["cv"])


def school_size_table(schools: pd.DataFrame) -> pd.DataFrame:
    """Average class size and school size of each compulsory school, against the limits.

    Average class size = students ÷ classes (NaN when classes are missing or 0);
    over the limit when it is above :data:`CLASS_SIZE_LIMITS` (limits are
    inclusive: 45 pupils in a primary class is within). The school size is
    ``students`` (for a complete secondary school its junior enrolment),
    over when above :data:`SCHOOL_SIZE_LIMITS` (STANDARDS.md §2, 教督〔2017〕6号).

    Returns:
        ``school_id, county_code, year, level, average_class_size,
        class_size_limit, is_over_class_size, school_size, school_size_limit,
        is_over_size`` (booleans <NA> when the school cannot be judged).
    """
    schools = schools.loc[schools["level"].isin(list(SCHOOL_SIZE_LIMITS))]
    students = schools["students"].astype("float64")
    classes = (schools["classes"].astype("float64") if "classes" in schools.columns
               else pd.Series(np.nan, index=schools.index))
    average = students / classes.where(classes > 0)
    # 义务教育阶段规模: the senior pupils of a complete-secondary or twelve-year school do not count.
    by_level = level_enrolments(schools)
    size = students.where(schools["level"] != "complete_secondary", pd.Series(by_level[:, 1], index=schools.index))
    size = size.where(schools["level"] != "twelve_year",
                      pd.Series(by_level[:, 0] + by_level[:, 1], index=schools.index))
    out = schools[["school_id", "county_code", "year", "level"]].copy()
    out["average_class_size"] = average
    out["class_size_limit"] = schools["level"].map(CLASS_SIZE_LIMITS).astype(float)
    out["is_over_class_size"] = (average > out["class_size_limit"]).astype("boolean").mask(average.isna())
    out["school_size"] = size
    out["school_size_limit"] = schools["level"].map(SCHOOL_SIZE_LIMITS).astype(float)
    out["is_over_size"] = (size > out["school_size_limit"]).astype("boolean").mask(size.isna())
    return out


def _size_rows(schools: pd.DataFrame) -> pd.DataFrame:
    table = school_size_table(schools)
    frames = []
    for flag, indicator in (("is_over_class_size", "schools_over_class_size_count"),
                            ("is_over_size", "schools_over_size_count")):
        frame = pd.DataFrame({"county_code": table["county_code"], "year": table["year"],
                              "judged": table[flag].notna().astype(float),
                              "over": table[flag].fillna(False).astype(float)})
        counts = frame.groupby(["county_code", "year"], sort=True).agg(
            judged=("judged", "sum"), over=("over", "sum"), schools=("judged", "size")).reset_index()
        counts = counts.loc[counts["judged"] > 0]
        missing = counts["schools"] - counts["judged"]
        note = np.where(missing > 0, "schools_not_judged=" + missing.astype(int).astype(str), "")
        frames.append(_rows(counts, indicator, counts["over"], note=note))
    return pd.concat(frames, ignore_index=True)


def measures(dataset: Dataset) -> pd.DataFrame:
    """Every equity measure for all counties and years, as a measure frame (docs/design.md).

    Scope: the county's compulsory-education schools, special-education
    schools and teaching points under 50 pupils excluded, combined schools
    split into primary and junior parts (STANDARDS.md §2). Indicators:

    * ``balance_cv_<code>_<primary|junior>`` — weighted 差异系数 of each of the
      7 优质均衡 indicators (limits 0.50 / 0.45); note ``single_school`` when
      one school makes the level.
    * ``balance_schools_passing_share`` — school parts meeting the school rule
      ÷ parts that can be judged (numerator, denominator given).
    * ``basic_balance_cv_<primary|junior>`` — 基本均衡 comprehensive CV (limits 0.65 / 0.55).
    * ``schools_over_class_size_count``, ``schools_over_size_count`` — counts of
      schools over the limits of :data:`CLASS_SIZE_LIMITS` / :data:`SCHOOL_SIZE_LIMITS`.

    A measure whose inputs are missing is absent (the scorecard says ``no_data``).
    """
    schools = dataset.schools.loc[in_balance_scope(dataset.schools)]
    if schools.empty:
        return empty_measure_frame()
    parts = split_combined_schools(schools)
    frames = [_balance_cv_rows(parts), _passing_share_rows(parts), _basic_balance_rows(parts),
              _size_rows(schools)]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return empty_measure_frame()
    out = _typed(pd.concat(frames, ignore_index=True))
    return out.sort_values(["county_code", "year", "indicator"], ignore_index=True)


def _county_code(dataset: Dataset, county) -> str:
    code = dataset.counties.normalise(county)
    if code is None and str(county) in set(dataset.schools["county_code"].astype("str").unique()):
        code = str(county)
    if code is None:
        raise UsageError(f"unknown county {county!r}: give a county code or name of the registry")
    return code


def school_balance_table(dataset: Dataset, county_code, year: int) -> pd.DataFrame:
    """One county's schools against the 优质均衡 school rule, weakest first.

    Args:
        dataset: The dataset.
        county_code: County code or name (normalised with the dataset's registry).
        year: Census year.

    Returns:
        One row per school × level in scope (combined schools split):
        ``school_id, school_name, level, school_level, location, students``,
        the 7 indicator values (``BALANCE_INDICATORS`` codes), a boolean
        ``<code>_meets`` for each (<NA> when missing), ``indicators_met_count``
        and ``passes`` (<NA> when the school cannot be judged), sorted so that
        failing schools come first, then those not judged, then passing ones.
    """
    code = _county_code(dataset, county_code)
    schools = dataset.schools
    schools = schools.loc[(schools["county_code"] == code) & (schools["year"] == year)]
    parts = balance_parts(schools)
    values = per_student_indicators(parts, BALANCE_SOURCES)
    verdicts = school_verdicts(values, parts["level"])
    context = [c for c in ("school_id", "school_name", "level", "school_level", "location", "students")
               if c in parts.columns]
    table = pd.concat([parts[context], values, verdicts], axis=1)
    order = table["passes"].map({False: 0, True: 2}).fillna(1).astype(int)
    table = table.assign(_order=order).sort_values(["_order", "indicators_met_count", "level", "school_id"],
                                                    na_position="last", kind="stable")
    ordered = context + [c for code_ in BALANCE_INDICATORS for c in (code_, f"{code_}_meets")]
    return table[ordered + ["indicators_met_count", "passes"]].reset_index(drop=True)
