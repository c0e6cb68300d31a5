"""County 差异系数 floors: the least levelling-up that brings a weighted CV within its limit.

The 优质均衡 assessment (《县域义务教育优质均衡发展督导评估办法》, 教督〔2017〕6号)
requires the enrollment-weighted 差异系数 of each resource indicator to be at
most 0.50 among a county's primary schools and 0.45 among its junior schools.
A county over a limit can level up its weakest schools: raise every school
below a floor ``f`` to ``f``. :func:`cv_floor` finds the smallest such floor
and the resources it takes; :func:`cv_floors` does the same for many groups
(county × level × indicator) at once, without a Python loop over groups.

Why the smallest floor is well defined (the argument the solver relies on).
Write ``yᵢ(f) = max(xᵢ, f)``, weights ``wᵢ = Pᵢ/P`` (P = ΣPᵢ), ``A(f) = {i : xᵢ < f}``
and ``W(f) = Σ_{A(f)} wᵢ``. Then

    μ(f)  = Σ wᵢ yᵢ           dμ/df = W(f) ≥ 0
    V(f)  = Σ wᵢ yᵢ² − μ²     dV/df = 2·f·W − 2·μ·W = 2·W·(f − μ) ≤ 0,

because every yᵢ ≥ f, so μ ≥ f. The standard deviation √V does not grow and
the mean X̄ = μ does not fall, so CV(f) = √V/μ is non-increasing in f
(μ > 0 once f > 0). It is constant for f ≤ min x (nothing is raised),
continuous, and 0 at f = max x. Hence for a limit L ≥ 0 the set
{f : CV(f) ≤ L} is an interval [f*, ∞) and f* is unique. Equivalently
g(f) = V(f) − L²·μ(f)² is non-increasing and f* is where it reaches 0.

Between two consecutive sorted values x₍ₖ₋₁₎ ≤ f ≤ x₍ₖ₎ the raised set is
fixed (the k smallest), so with W = Σ_{i<k} wᵢ, M₁ = Σ_{i≥k} wᵢxᵢ and
M₂ = Σ_{i≥k} wᵢxᵢ²::

    g(f) = W·f² + M₂ − (1 + L²)·(W·f + M₁)²

a quadratic in closed form. The solver evaluates g at every sorted value
(cumulative sums), takes the first value where g ≤ 0 — f* lies in the
segment just below it — and bisects g on that segment to a relative width
of 1e-13, vectorised over every group. The floor returned is the upper end of
the final bracket, so the CV after levelling up is within the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from qyanalysis.measures.inequality import as_float_array

# Relative width of the bisection bracket at which the floor is returned.
_FLOOR_RELATIVE_TOLERANCE = 1e-13
_MAX_BISECTIONS = 200


@dataclass(frozen=True)
class CvFloor:
    """The floor that brings one group's weighted 差异系数 within its limit.

    Attributes:
        floor: The smallest floor f (in the indicator's unit, e.g. m² per
            pupil); ``None`` when the CV is already within the limit or cannot
            be computed.
        cv_before: The weighted CV of the values as given (NaN when it cannot
            be computed: no school, total enrollment 0, or mean 0).
        cv_after: The weighted CV of max(xᵢ, f) (= ``cv_before`` when nothing
            is raised).
        limit: The limit L (inclusive: CV ≤ L is within).
        schools_count: Schools with both a value and an enrollment.
        schools_raised: Schools whose value is below the floor.
        resources_needed: Σ Pᵢ·max(0, f − xᵢ), in the indicator's unit × pupils
            (m² for a per-pupil area; for a "per 100 pupils" indicator divide
            by 100 to get persons or rooms); 0 when nothing is raised, NaN when
            the CV cannot be computed.
    """

    floor: float | None
    cv_before: float
    cv_after: float
    limit: float
    schools_count: int
    schools_raised: int
    resources_needed: float


def cv_floor(values, enrollment, limit: float) -> CvFloor:
    """The smallest floor f with enrollment-weighted 差异系数 of max(xᵢ, f) at most ``limit``.

    The 差异系数 is that of :func:`qyanalysis.measures.equity.difference_coefficient`
    (教督〔2017〕6号): X̄ = ΣPᵢXᵢ/P, S = sqrt(Σ(Pᵢ/P)(Xᵢ − X̄)²), CV = S/X̄.
    Levelling up to f raises every school below f to f; the cost in the
    resource is Σ Pᵢ·max(0, f − xᵢ). CV(f) is non-increasing in f (module
    docstring), so the smallest f is unique; it is solved on the closed form
    of each segment between sorted values, to a relative 1e-13.

    Example: values 1 and 3 with 100 pupils each have X̄ = 2, S = 1, CV = 0.5;
    for a limit of 0.2 the floor f solves (3 − f)/2 / ((f + 3)/2) = 0.2,
    f = 2, raising one school by 1 for 100 pupils: resources 100.

    Args:
        values: Xᵢ, one indicator's per-pupil (or per-100-pupil) values.
        enrollment: Pᵢ, pupils, same length. Pairs with a missing side are
            left out (as for the 差异系数).
        limit: L, the inclusive limit (0.50 primary, 0.45 junior).

    Returns:
        A :class:`CvFloor`; ``floor`` None when CV ≤ L already (no raise) or
        the CV cannot be computed (then ``resources_needed`` is NaN).

    Raises:
        ValueError: lengths differ, an enrollment or value is negative, or the
            limit is negative.
    """
    x = as_float_array(values)
    p = as_float_array(enrollment)
    if x.shape != p.shape:
        raise ValueError(f"values and enrollment differ in length ({x.size} vs {p.size})")
    frame = cv_floors(x, p, np.array([float(limit)]), np.zeros(x.size, dtype=np.int64))
    row = frame.iloc[0]
    floor = None if np.isnan(row["floor"]) else float(row["floor"])
    return CvFloor(floor=floor, cv_before=float(row["cv_before"]), cv_after=float(row["cv_after"]),
                   limit=float(limit), schools_count=int(row["schools_count"]),
                   schools_raised=int(row["schools_raised"]), resources_needed=float(row["resources_needed"]))


def weighted_cv(x: np.ndarray, p: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Enrollment-weighted 差异系数 per group, two-pass (NaN when the total weight or the mean is 0).

    CV = sqrt(Σ(Pᵢ/P)(Xᵢ − X̄)²)/X̄ with X̄ = ΣPᵢXᵢ/P (教督〔2017〕6号), as
    :func:`qyanalysis.measures.balance.grouped_difference_coefficient` for one
    column; ``x`` and ``p`` must hold no NaN (give a zero weight instead).
    """
    total = np.bincount(codes, weights=p, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(codes, weights=p * x, minlength=n_groups) / total
        variance = np.bincount(codes, weights=p * (x - mean[codes]) ** 2, minlength=n_groups) / total
        return np.where((total > 0) & (mean != 0), np.sqrt(variance) / mean, np.nan)


def _g(f: np.ndarray, raised: np.ndarray, m1: np.ndarray, m2: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """g(f) = W·f² + M₂ − (1 + L²)(W·f + M₁)², ≤ 0 exactly when CV(f) ≤ L on the segment."""
    mean = raised * f + m1
    return raised * f * f + m2 - (1.0 + limit * limit) * mean * mean


def _bisect(lo: np.ndarray, hi: np.ndarray, raised: np.ndarray, m1: np.ndarray, m2: np.ndarray,
            limit: np.ndarray) -> np.ndarray:
    """Vectorised bisection of the non-increasing g on [lo, hi]; returns the upper bracket end."""
    lo, hi = lo.copy(), hi.copy()
    for _ in range(_MAX_BISECTIONS):
        width = hi - lo
        if not (width > _FLOOR_RELATIVE_TOLERANCE * np.maximum(np.abs(hi), 1e-300)).any():
            break
        mid = lo + width / 2
        within = _g(mid, raised, m1, m2, limit) <= 0
        hi = np.where(within, mid, hi)
        lo = np.where(within, lo, mid)
    return hi


def cv_floors(values, weights, limits, codes) -> pd.DataFrame:
    """:func:`cv_floor` for many groups at once (vectorised, no loop over groups).

    Args:
        values: Xᵢ of every row (all groups stacked), float array.
        weights: Pᵢ, same length.
        limits: The limit of each group, length n_groups.
        codes: Group code 0..n_groups−1 of every row.

    Returns:
        One row per group (index = group code): ``cv_before, limit, floor``
        (NaN when no raise is needed or the CV cannot be computed),
        ``cv_after, schools_count, schools_raised, resources_needed``
        (Σ Pᵢ·max(0, f − xᵢ); NaN when the CV cannot be computed).

    Raises:
        ValueError: a negative value, weight or limit, or mismatched lengths.
    """
    x = np.asarray(values, dtype="float64")
    p = np.asarray(weights, dtype="float64")
    limit = np.asarray(limits, dtype="float64")
    codes = np.asarray(codes, dtype=np.int64)
    if not x.shape == p.shape == codes.shape:
        raise ValueError("values, weights and codes must have the same length")
    if (x < 0).any() or (p < 0).any() or (limit < 0).any():
        raise ValueError("values, enrollments and limits must be non-negative")
    n_groups = limit.size
    keep = ~np.isnan(x) & ~np.isnan(p)
    x, p, codes = x[keep], p[keep], codes[keep]
    cv_before = weighted_cv(x, p, codes, n_groups)
    floor = _floors(x, p, codes, limit, cv_before)
    raised = x < floor[codes]  # NaN floor → False
    y = np.where(raised, floor[codes], x)
    cv_after = np.where(np.isnan(floor), cv_before, weighted_cv(y, p, codes, n_groups))
    needed = np.bincount(codes, weights=np.where(raised, p * (y - x), 0.0), minlength=n_groups)
    return pd.DataFrame({
        "cv_before": cv_before,
        "limit": limit,
        "floor": floor,
        "cv_after": cv_after,
        "schools_count": np.bincount(codes, minlength=n_groups).astype("int64"),
        "schools_raised": np.bincount(codes, weights=raised.astype(float),
                                      minlength=n_groups).astype("int64"),
        "resources_needed": np.where(np.isnan(cv_before), np.nan, needed),
    })


def cv_floor_table(frame: pd.DataFrame, by: list[str], value: str = "value", weight: str = "students",
                   limit: str = "limit") -> pd.DataFrame:
    """:func:`cv_floors` on a long frame: one floor per group of ``by``.

    E.g. on :func:`qyanalysis.measures.gaps.school_gaps` rows with a ``limit``
    column added, ``by=["county_code", "level", "indicator"]`` gives every
    county's floors at once.

    Args:
        frame: One row per school (part) and group.
        by: The grouping columns.
        value: Column of Xᵢ.
        weight: Column of Pᵢ (enrollment).
        limit: Column of the limit; its first value in each group is used.

    Returns:
        The ``by`` keys then the columns of :func:`cv_floors`, one row per group
        (sorted by the keys).
    """
    grouped = frame.groupby(by, sort=True, observed=True)
    codes = grouped.ngroup().to_numpy()
    limits = grouped[limit].first().to_numpy(dtype="float64")
    result = cv_floors(frame[value].to_numpy(dtype="float64", na_value=np.nan),
                       frame[weight].to_numpy(dtype="float64", na_value=np.nan), limits, codes)
    keys = grouped.size().index.to_frame(index=False)
    return pd.concat([keys, result.drop(columns="limit").assign(limit=limits)], axis=1)


def _floors(x: np.ndarray, p: np.ndarray, codes: np.ndarray, limit: np.ndarray,
            cv_before: np.ndarray) -> np.ndarray:
    """The floor f* of every group over its limit (NaN for the others); see the module docstring."""
    n_groups = limit.size
    floor = np.full(n_groups, np.nan)
    over = cv_before > limit  # NaN CV → False
    if not over.any():
        return floor
    mask = over[codes]
    x, p, codes = x[mask], p[mask], codes[mask]
    order = np.lexsort((x, codes))
    x, p, codes = x[order], p[order], codes[order]
    total = np.bincount(codes, weights=p, minlength=n_groups)
    w = p / total[codes]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    group_of_start = codes[starts]

    def exclusive_prefix(a: np.ndarray) -> np.ndarray:
        running = np.cumsum(a)
        before = np.r_[0.0, running[:-1]]
        return before - np.repeat(before[starts], np.diff(np.r_[starts, a.size]))

    raised = exclusive_prefix(w)  # W at position k: weight of the k smallest
    m1 = np.bincount(codes, weights=w * x, minlength=n_groups)[codes] - exclusive_prefix(w * x)
    m2 = np.bincount(codes, weights=w * x * x, minlength=n_groups)[codes] - exclusive_prefix(w * x * x)
    lim = limit[codes]
    at_value = _g(x, raised, m1, m2, lim)
    position = np.arange(x.size)
    first_within = np.minimum.reduceat(np.where(at_value <= 0, position, x.size), starts)
    # g ≤ 0 at the largest value (CV 0) in exact arithmetic; guard against rounding all the same.
    ends = np.r_[starts[1:], x.size] - 1
    k = np.minimum(first_within, ends)
    k = np.maximum(k, starts + 1)  # f* lies above the smallest value when the CV is over the limit
    k = np.minimum(k, ends)
    lo, hi = x[k - 1], x[k]
    root = _bisect(lo, hi, raised[k], m1[k], m2[k], lim[k])
    floor[group_of_start] = root
    return floor
