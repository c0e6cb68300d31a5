"""Equity of compulsory education: 差异系数, 优质均衡 / 基本均衡, class and school size.

Public API (``qy.equity``, README “Python API”):

* :func:`difference_coefficient` — the enrollment-weighted 差异系数 (教督〔2017〕6号).
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
    BASIC_BALANCE_SOURCES,
    balance_cvs,
    balance_parts,
    basic_balance_cvs,
    county_balance_verdict,
    compulsory_enrollment,
    in_balance_scope,
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
    pool_locations,
    theil_decomposition,
    theil_index,
)
from qyanalysis.measures.coverage import COVERAGE_COLUMNS, tally
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
    "pool_locations",
    "school_balance_table",
    "school_gaps",
    "school_size_table",
    "split_combined_schools",
    "theil_decomposition",
    "theil_index",
    "unit_cost_table",
]


# Class size limits, pupils per class (教督〔2017〕6号: 小学、初中所有班级学生数分别不超过45人、50人 —
# every class). Where the census gives the count of classes above the limit (the optional
# ``classes_over_limit``) that is the exact check. Otherwise only ``classes`` and ``students``
# are known and a school is judged on its average class: a combined school's whole-school
# average against the largest limit of its levels (50), so that no school is flagged wrongly
# (if that average is above 50, some class is above its own limit). An average within the
# limit does not show that every class is: the measure's note says the check was on averages.
# Schools with a senior section (complete secondary, twelve-year) include their senior
# classes in the average — an approximation the census cannot avoid.
CLASS_SIZE_LIMITS = {"primary": 45.0, "junior": 50.0, "nine_year": 50.0, "complete_secondary": 50.0,
                     "twelve_year": 50.0}
# School size limits on the compulsory enrollment (义务教育阶段规模), pupils. 县域义务教育优质均衡发展
# 督导评估办法 (教督〔2017〕6号), 政府保障程度: "义务教育学校规模不超过2000人，九年一贯制学校、
# 十二年一贯制学校义务教育阶段规模不超过2500人". A twelve-year school is held to 2500 on its
# primary + junior pupils (its senior pupils are not counted); a complete secondary school
# (完全中学), not named by the standard, on its junior pupils against the 2000 of a junior school.
SCHOOL_SIZE_LIMITS = {"primary": 2000.0, "junior": 2000.0, "nine_year": 2500.0,
                      "complete_secondary": 2000.0, "twelve_year": 2500.0}
# Note of ``schools_over_class_size_count`` when some school was judged on its average class.
CLASS_SIZE_AVERAGE_NOTE = "class_size_average"


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
    """Enrollment-weighted 差异系数 (coefficient of variation) across schools.

    With Xᵢ school i's value and Pᵢ its enrollment, P = ΣPᵢ (教督〔2017〕6号,
    docs/methods.md)::

        X̄  = Σ Pᵢ·Xᵢ / P          (county total resource ÷ county total students)
        S  = sqrt( Σ (Pᵢ/P)·(Xᵢ − X̄)² )
        CV = S / X̄

    Dimensionless; the county limits are 0.50 (primary) and 0.45 (junior).

    Args:
        values: Xᵢ, per-student (or per-100-student) values of one indicator.
        enrollment: Pᵢ, students, same length.

    Returns:
        CV. Pairs where either side is missing are left out; NaN when nothing
        is left, the total enrollment is 0, or X̄ is 0.

    Raises:
        ValueError: lengths differ or an enrollment is negative.
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
    deviation, i.e. :func:`difference_coefficient` with equal enrollments).

    Args:
        values: Xᵢ.
        enrollment: Optional Pᵢ; when given, schools whose enrollment is missing
            are left out too, so that both coefficients cover the same schools.

    Returns:
        CV, NaN when no value is left or X̄ is 0.
    """
    x = as_float_array(values)
    if enrollment is not None:
        x, _p = _pairs(x, enrollment)
    x = x[~np.isnan(x)]
    return difference_coefficient(x, np.ones_like(x))


def _rows(groups: pd.DataFrame, indicator, value, numerator=np.nan, denominator=np.nan,
          note="") -> pd.DataFrame:
    """Measure-frame rows for ``groups`` (county_code, year and the coverage of :func:`coverage.tally`)."""
    out = groups[["county_code", "year", *COVERAGE_COLUMNS]].reset_index(drop=True).copy()
    out["period"] = ""
    out["indicator"] = indicator if isinstance(indicator, str) else np.asarray(indicator, dtype=object)
    for name, column in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        out[name] = np.asarray(column, dtype="float64") if np.ndim(column) else float(column)
    out["ci_low"] = np.nan
    out["ci_high"] = np.nan
    out["note"] = note if isinstance(note, str) else np.asarray(note, dtype=object)
    return out


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.loc[:, list(MEASURE_COLUMNS)].copy()
    for column in ("county_code", "period", "indicator", "note", "units_missing"):
        frame[column] = frame[column].astype("str")
    frame["year"] = frame["year"].astype("int64")
    for column in ("value", "numerator", "denominator", "ci_low", "ci_high", "units_reporting", "units_expected"):
        frame[column] = frame[column].astype("float64")
    return frame.reset_index(drop=True)


LEVEL_KEYS = ["county_code", "year", "level"]


def _cv_coverage(parts: pd.DataFrame, sources: dict[str, tuple[str, float]]) -> pd.DataFrame:
    """Coverage of each 差异系数 per county × year × level × indicator code: parts whose value is known.

    A part counts as reporting an indicator when its per-pupil value can be computed (the
    resource and the enrollment are given); every part of the level is expected.
    """
    values = per_student_indicators(parts, sources)
    return pd.concat([tally(parts.assign(code=code), [*LEVEL_KEYS, "code"], values[code].notna())
                      for code in sources], ignore_index=True)


def _balance_cv_rows(parts: pd.DataFrame) -> pd.DataFrame:
    cvs = balance_cvs(parts).merge(_cv_coverage(parts, BALANCE_SOURCES), on=[*LEVEL_KEYS, "code"],
                                   how="left", validate="1:1")
    cvs = cvs.loc[cvs["cv"].notna()]
    indicator = "balance_cv_" + cvs["code"] + "_" + cvs["level"]
    note = np.where(cvs["schools_count"] == 1, "single_school", "")
    return _rows(cvs, indicator, cvs["cv"], note=note)


def _passing_share_rows(parts: pd.DataFrame) -> pd.DataFrame:
    """Share of school parts passing the school rule, of those judged; coverage: judged of all parts."""
    verdicts = school_verdicts(per_student_indicators(parts, BALANCE_SOURCES), parts["level"])
    judged = verdicts["passes"].notna()
    frame = pd.DataFrame({"county_code": parts["county_code"], "year": parts["year"],
                          "passing": verdicts["passes"].fillna(False).astype(float)})
    counts = frame.groupby(["county_code", "year"], sort=True).agg(passing=("passing", "sum")).reset_index()
    counts = counts.merge(tally(parts, ["county_code", "year"], judged), on=["county_code", "year"])
    counts = counts.loc[counts["units_reporting"] > 0]
    return _rows(counts, "balance_schools_passing_share", counts["passing"] / counts["units_reporting"],
                 counts["passing"], counts["units_reporting"])


def _basic_balance_rows(parts: pd.DataFrame) -> pd.DataFrame:
    """基本均衡 comprehensive CV; coverage: parts whose eight values are all known."""
    values = per_student_indicators(parts, BASIC_BALANCE_SOURCES)
    coverage = tally(parts, LEVEL_KEYS, values.notna().all(axis=1))
    cvs = basic_balance_cvs(parts).merge(coverage, on=LEVEL_KEYS, how="left", validate="1:1")
    return _rows(cvs, "basic_balance_cv_" + cvs["level"], cvs["cv"])


def school_size_table(schools: pd.DataFrame) -> pd.DataFrame:
    """Class size and school size of each compulsory school, against the limits.

    Class size (教督〔2017〕6号: every class within 45 primary / 50 junior pupils):

    * where ``classes_over_limit`` is given, the school is over when it has at
      least one class above the limit (basis ``every_class``, exact);
    * otherwise average class size = students ÷ classes (NaN when classes are
      missing or 0), over when above :data:`CLASS_SIZE_LIMITS` (inclusive: 45
      pupils in a primary class is within; basis ``average``).

    School size = the compulsory enrollment
    (:func:`qyanalysis.measures.balance.compulsory_enrollment`: a twelve-year
    school's primary + junior pupils, a complete secondary school's junior
    pupils), over when above :data:`SCHOOL_SIZE_LIMITS` (2000; 2500 for nine-
    and twelve-year schools, 教督〔2017〕6号: "义务教育学校规模不超过2000人，
    九年一贯制学校、十二年一贯制学校义务教育阶段规模不超过2500人"). E.g. a
    twelve-year school of 1800 compulsory and 900 senior pupils is within.

    Returns:
        ``school_id, county_code, year, level, average_class_size,
        class_size_limit, classes_over_limit, class_size_basis,
        is_over_class_size, school_size, school_size_limit, is_over_size``
        (booleans <NA> and basis "" when the school cannot be judged).
    """
    schools = schools.loc[schools["level"].isin(list(SCHOOL_SIZE_LIMITS))]
    students = schools["students"].astype("float64")
    nan = pd.Series(np.nan, index=schools.index)
    classes = schools["classes"].astype("float64") if "classes" in schools.columns else nan
    over_classes = (schools["classes_over_limit"].astype("float64") if "classes_over_limit" in schools.columns
                    else nan)
    average = students / classes.where(classes > 0)
    out = schools[["school_id", "county_code", "year", "level"]].copy()
    out["average_class_size"] = average
    out["class_size_limit"] = schools["level"].map(CLASS_SIZE_LIMITS).astype(float)
    out["classes_over_limit"] = over_classes
    exact = over_classes.notna()
    by_average = ~exact & average.notna()
    out["class_size_basis"] = np.where(exact, "every_class", np.where(by_average, "average", ""))
    over = (over_classes > 0).where(exact, average > out["class_size_limit"])
    out["is_over_class_size"] = over.astype("boolean").mask(~exact & ~by_average)
    size = compulsory_enrollment(schools)
    out["school_size"] = size
    out["school_size_limit"] = schools["level"].map(SCHOOL_SIZE_LIMITS).astype(float)
    out["is_over_size"] = (size > out["school_size_limit"]).astype("boolean").mask(size.isna())
    return out


def _size_rows(schools: pd.DataFrame) -> pd.DataFrame:
    """Counts of schools over the class-size and the school-size limits; coverage: schools judged."""
    table = school_size_table(schools)
    frames = []
    for flag, indicator in (("is_over_class_size", "schools_over_class_size_count"),
                            ("is_over_size", "schools_over_size_count")):
        frame = pd.DataFrame({"county_code": table["county_code"], "year": table["year"],
                              "over": table[flag].fillna(False).astype(float),
                              "average": (table["class_size_basis"] == "average").astype(float)})
        counts = frame.groupby(["county_code", "year"], sort=True).agg(
            over=("over", "sum"), average=("average", "sum")).reset_index()
        counts = counts.merge(tally(table, ["county_code", "year"], table[flag].notna()), on=["county_code", "year"])
        counts = counts.loc[counts["units_reporting"] > 0]
        on_average = np.where((counts["average"] > 0) & (indicator == "schools_over_class_size_count"),
                              CLASS_SIZE_AVERAGE_NOTE, "")
        frames.append(_rows(counts, indicator, counts["over"], note=on_average))
    return pd.concat(frames, ignore_index=True)


def measures(dataset: Dataset) -> pd.DataFrame:
    """Every equity measure for all counties and years, as a measure frame (docs/design.md).

    Scope: the county's compulsory-education schools, special-education
    schools and teaching points under 50 pupils excluded, combined schools
    split into primary and junior parts (教督〔2017〕6号). Indicators:

    * ``balance_cv_<code>_<primary|junior>`` — weighted 差异系数 of each of the
      7 优质均衡 indicators (their limits are registry targets, judged in the scorecard); note ``single_school`` when
      one school makes the level.
    * ``balance_schools_passing_share`` — school parts meeting the school rule
      ÷ parts that can be judged (numerator, denominator given).
    * ``basic_balance_cv_<primary|junior>`` — 基本均衡 comprehensive CV (limits: registry targets).
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


def _verdict_order(passes: pd.Series) -> np.ndarray:
    """Sort key of a school verdict: 0 failing, 1 not judged (<NA>), 2 passing.

    Works on an all-missing nullable boolean too (a census without the
    optional 优质均衡 resource columns judges no school).
    """
    verdict = passes.astype("boolean")
    return np.where(verdict.isna().to_numpy(), 1, np.where(verdict.fillna(False).to_numpy(dtype=bool), 2, 0))


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
    order = _verdict_order(table["passes"])
    table = table.assign(_order=order).sort_values(["_order", "indicators_met_count", "level", "school_id"],
                                                    na_position="last", kind="stable")
    ordered = context + [c for code_ in BALANCE_INDICATORS for c in (code_, f"{code_}_meets")]
    return table[ordered + ["indicators_met_count", "passes"]].reset_index(drop=True)
