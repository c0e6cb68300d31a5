"""Inequality of resources across schools: Theil T with its decomposition, Gini, urban/rural gaps.

Formulas: docs/methods.md, “Inequality measures”. Every function takes a resource total Yᵢ (m²,
元, teachers …) and a population Pᵢ (students) per unit, so that resource
shares are compared with population shares; units whose resource or
population is missing are left out (pairwise).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qyanalysis.contract.columns import LOCATIONS
from qyanalysis.contract.indicators import BALANCE_LEVELS
from qyanalysis.dataset import Dataset
from qyanalysis.measures.balance import BALANCE_SOURCES, balance_parts

# Resources whose inequality between schools :func:`resource_inequality` decomposes by default
# (优质均衡 codes: resource ÷ students).
INEQUALITY_RESOURCES = ("equipment_value_per_student", "teaching_area_per_student",
                        "qualified_teachers_per_100")
_INEQUALITY_COLUMNS = ("theil_total", "theil_between", "theil_within", "between_share", "gini")


def as_float_array(values) -> np.ndarray:
    """A 1-d float64 array; missing values (None, NaN, pd.NA) become NaN."""
    return pd.to_numeric(pd.Series(values), errors="raise").to_numpy(dtype="float64", na_value=np.nan)


def _clean_pairs(resource, population) -> tuple[np.ndarray, np.ndarray]:
    """Float arrays with the pairs where either side is missing dropped; negatives refused."""
    y = as_float_array(resource)
    p = as_float_array(population)
    if y.shape != p.shape:
        raise ValueError(f"resource and population differ in length ({y.size} vs {p.size})")
    keep = ~np.isnan(y) & ~np.isnan(p)
    y, p = y[keep], p[keep]
    if (y < 0).any() or (p < 0).any():
        raise ValueError("resources and populations must be non-negative")
    return y, p


def _theil_terms(y: np.ndarray, p: np.ndarray) -> float:
    """Σ sᵢ·ln(sᵢ/πᵢ) with sᵢ = Yᵢ/Y, πᵢ = Pᵢ/P; 0·ln 0 = 0; NaN when Y or P is 0."""
    total_y, total_p = y.sum(), p.sum()
    if total_y <= 0 or total_p <= 0:
        return float("nan")
    s, pi = y / total_y, p / total_p
    if ((s > 0) & (pi == 0)).any():
        return float("inf")
    positive = s > 0
    return float(np.sum(s[positive] * np.log(s[positive] / pi[positive])))


def theil_index(resource, population) -> float:
    """Population-weighted Theil T index of a resource.

    T = Σᵢ (Yᵢ/Y)·ln[(Yᵢ/Y)/(Pᵢ/P)] (Theil 1967), with Y = ΣYᵢ, P = ΣPᵢ.
    0 when every unit has the same resource per head; grows with inequality;
    dimensionless (natural logarithm). Units with Yᵢ = 0 contribute 0
    (limit of s·ln s); a unit with resource but no population makes T infinite.

    Args:
        resource: Yᵢ, resource totals (e.g. equipment value in 元).
        population: Pᵢ, students.

    Returns:
        T, or NaN when the total resource or population is 0 or nothing is left.
    """
    y, p = _clean_pairs(resource, population)
    return _theil_terms(y, p)


def theil_decomposition(frame: pd.DataFrame, value_col: str, pop_col: str, group_col: str) -> dict:
    """Theil T split exactly into between-group and within-group parts.

    T = T_between + Σ_g (Y_g/Y)·T_g (docs/methods.md), where T_between is the
    Theil index of the group totals (Y_g, P_g) and T_g the index within group g.
    The identity is exact: Σᵢ sᵢ ln(sᵢ/πᵢ) = Σ_g s_g ln(s_g/π_g) + Σ_g s_g Σ_{i∈g}
    (sᵢ/s_g) ln[(sᵢ/s_g)/(πᵢ/π_g)].

    Args:
        frame: One row per unit (school, or school × level).
        value_col: Resource Yᵢ.
        pop_col: Population Pᵢ.
        group_col: Group of each unit (county, location …); rows without a group are dropped.

    Returns:
        ``{"total", "between", "within"}`` floats and ``"by_group"``, a frame
        indexed by group with ``theil``, ``resource_share`` (Y_g/Y),
        ``population_share`` (P_g/P) and ``within_contribution`` ((Y_g/Y)·T_g).
    """
    data = frame[[value_col, pop_col, group_col]].dropna()
    y, p = _clean_pairs(data[value_col], data[pop_col])
    groups = data[group_col]
    total = _theil_terms(y, p)
    sums = pd.DataFrame({"y": y, "p": p, "g": groups.to_numpy()}).groupby("g", sort=True)
    totals = sums[["y", "p"]].sum()
    between = _theil_terms(totals["y"].to_numpy(), totals["p"].to_numpy())
    by_group = pd.DataFrame({
        "theil": sums.apply(lambda d: _theil_terms(d["y"].to_numpy(), d["p"].to_numpy()),
                            include_groups=False),
        "resource_share": totals["y"] / totals["y"].sum(),
        "population_share": totals["p"] / totals["p"].sum(),
    })
    by_group.index.name = group_col
    contribution = by_group["resource_share"] * by_group["theil"]
    # A group with no resource contributes nothing (its share is 0, its own T undefined).
    by_group["within_contribution"] = contribution.where(by_group["resource_share"] > 0, 0.0)
    within = float(by_group["within_contribution"].sum()) if not np.isnan(total) else float("nan")
    return {"total": total, "between": between, "within": within, "by_group": by_group}


def gini_student_weighted(resource, students) -> float:
    """Student-weighted Gini coefficient of a resource across schools.

    Units are sorted by resource per student Yᵢ/Pᵢ; with cumulative student
    shares W_k and cumulative resource shares Q_k (W_0 = Q_0 = 0),
    G = 1 − Σ_k (W_k − W_{k−1})(Q_k + Q_{k−1}) (docs/methods.md; the trapezoid
    area under the Lorenz curve). 0 = equal resource per student; 1 = all of
    it with a vanishing share of students. Not decomposable: use
    :func:`theil_decomposition` for between/within.

    Args:
        resource: Yᵢ, resource totals.
        students: Pᵢ, students; units with Pᵢ = 0 are dropped (no per-student value).

    Returns:
        G, or NaN when the total resource or student count is 0.
    """
    y, p = _clean_pairs(resource, students)
    keep = p > 0
    y, p = y[keep], p[keep]
    if y.sum() <= 0 or p.sum() <= 0:
        return float("nan")
    order = np.argsort(y / p, kind="stable")
    w = np.concatenate([[0.0], np.cumsum(p[order]) / p.sum()])
    q = np.concatenate([[0.0], np.cumsum(y[order]) / y.sum()])
    return float(1.0 - np.sum(np.diff(w) * (q[1:] + q[:-1])))


def location_gaps(dataset: Dataset, year: int, indicator_columns, level: str | None = None) -> pd.DataFrame:
    """Urban / town / rural gaps in resources per student, per county.

    The pooled value of a county × location is Σ resource ÷ Σ students over its
    compulsory-education school parts (combined schools split, the 优质均衡
    scope), times 100 for "per 100 pupils" codes; schools whose resource is
    missing are left out of both sums. ``ratio_to_urban`` = value ÷ the
    county's urban value (NaN when the county has no urban schools).

    Args:
        dataset: The dataset.
        year: Census year.
        indicator_columns: Resource columns of the schools table (e.g.
            ``"equipment_value_yuan"``, giving 元 per student) or 优质均衡 codes
            (e.g. ``"multimedia_rooms_per_100"``).
        level: "primary" or "junior" to restrict to one level; None pools both.

    Returns:
        ``county_code, location, indicator, value, students_count, urban_value,
        ratio_to_urban``, one row per county × location × indicator present.
    """
    columns = ["county_code", "location", "indicator", "value", "students_count", "urban_value",
               "ratio_to_urban"]
    schools = dataset.schools.loc[dataset.schools["year"] == year]
    if "location" not in schools.columns:
        return pd.DataFrame(columns=columns)
    parts = balance_parts(schools)
    if level is not None:
        parts = parts.loc[parts["level"] == level]
    parts = parts.loc[parts["location"].notna()]
    frames = []
    for name in indicator_columns:
        column, multiplier = BALANCE_SOURCES.get(name, (name, 1.0))
        if column not in parts.columns:
            raise KeyError(f"{name!r} is neither a schools resource column nor a 优质均衡 code")
        valid = parts[column].notna() & parts["students"].notna()
        sums = (parts.loc[valid].groupby(["county_code", "location"], sort=True)[[column, "students"]]
                .sum().reset_index())
        with np.errstate(invalid="ignore", divide="ignore"):
            sums["value"] = multiplier * sums[column] / sums["students"].where(sums["students"] > 0)
        sums["indicator"] = name
        frames.append(sums.rename(columns={"students": "students_count"}).drop(columns=column))
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)
    urban = out.loc[out["location"] == "urban", ["county_code", "indicator", "value"]]
    out = out.merge(urban.rename(columns={"value": "urban_value"}), on=["county_code", "indicator"],
                    how="left", validate="m:1")
    out["ratio_to_urban"] = out["value"] / out["urban_value"].where(out["urban_value"] > 0)
    out["location"] = pd.Categorical(out["location"], categories=list(LOCATIONS), ordered=True)
    out = out.sort_values(["county_code", "indicator", "location"], ignore_index=True)
    out["location"] = out["location"].astype("str")
    return out[columns]


def _inequality_row(units: pd.DataFrame, column: str) -> dict[str, float]:
    """Theil T (total, between and within counties, between share) and Gini of one resource over ``units``."""
    nan = float("nan")
    if units.empty:
        return dict.fromkeys(_INEQUALITY_COLUMNS, nan)
    split = theil_decomposition(units, column, "students", "county_code")
    total = split["total"]
    return {"theil_total": total, "theil_between": split["between"], "theil_within": split["within"],
            "between_share": split["between"] / total if total > 0 else nan,
            "gini": gini_student_weighted(units[column], units["students"])}


def resource_inequality(schools: pd.DataFrame, resources=INEQUALITY_RESOURCES) -> pd.DataFrame:
    """Theil T of resources per pupil across compulsory schools, split between and within counties, and Gini.

    Units are the 优质均衡 school parts of primary and junior level (combined
    schools split, small teaching points out: 教督〔2017〕6号,
    :func:`~qyanalysis.measures.balance.balance_parts`) with pupils; the
    resource Yᵢ of a part is its ``BALANCE_SOURCES`` column (元, m², teachers),
    the population Pᵢ its pupils. Per resource and level:

        T             = T_between + T_within           (docs/methods.md, :func:`theil_decomposition`
                                                        grouped by ``county_code``)
        between_share = T_between ÷ T                  (NaN when T is 0 or missing)
        gini          = student-weighted Gini          (:func:`gini_student_weighted`)

    All are dimensionless (T in natural-log units, the share and G in 0–1). A
    resource and level without any part gives NaN, never 0.

    Args:
        schools: School rows of one year (the counties to compare).
        resources: 优质均衡 codes (keys of ``balance.BALANCE_SOURCES``).

    Returns:
        One row per resource × level (primary, junior): ``resource, level,
        theil_total, theil_between, theil_within, between_share, gini, parts_count``.
    """
    parts = balance_parts(schools)
    parts = parts[parts["students"] > 0]  # a part without pupils has no per-pupil value
    rows = []
    for code in resources:
        column = BALANCE_SOURCES[code][0]
        for level in BALANCE_LEVELS:
            units = parts.loc[(parts["level"] == level) & parts[column].notna(),
                              [column, "students", "county_code"]]
            rows.append({"resource": code, "level": level, **_inequality_row(units, column),
                         "parts_count": len(units)})
    return pd.DataFrame(rows)


def pool_locations(gaps: pd.DataFrame) -> pd.DataFrame:
    """The counties of :func:`location_gaps` pooled into one value per location × indicator.

    Each county's value is Σ resource ÷ Σ students of its schools, so the
    pooled value is the student-weighted mean Σ (value × students) ÷ Σ students
    (= Σ resource ÷ Σ students over every county's schools of that location).
    A county × location without students (value missing) adds nothing.

    Args:
        gaps: Rows of :func:`location_gaps` (``location, indicator, value, students_count``).

    Returns:
        ``location, indicator, value, students_count``, one row per location × indicator.
    """
    valid = gaps[gaps["value"].notna() & (gaps["students_count"] > 0)]
    weighted = valid.assign(_weighted=valid["value"] * valid["students_count"])
    sums = weighted.groupby(["location", "indicator"], sort=True)[["_weighted", "students_count"]].sum()
    sums["value"] = sums["_weighted"] / sums["students_count"]
    return sums.reset_index()[["location", "indicator", "value", "students_count"]]
