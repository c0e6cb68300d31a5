"""优质均衡 readiness: every indicator of the national assessment, per county, and the trajectory.

Source: 教育部《县域义务教育优质均衡发展督导评估办法》(教督〔2017〕6号), as data in
``qyanalysis/verdicts/targets/assessment.csv`` (:mod:`qyanalysis.verdicts.targets.assessment`).

* :func:`readiness` — one row per indicator of the 办法 for a county (or every
  county): its part, number, wording, value, standard and status, scored by
  :func:`qyanalysis.verdicts.attainment.evaluate` (the scorecard's own rule: inclusive
  bounds, ``no_data`` for missing or partial inputs, ``targets_override`` on
  registry rows). ``county="city"`` gives :func:`verdicts` for every county.
* :func:`verdicts` — "ready to apply" only when every indicator is met (or not
  applicable) and no veto applies; otherwise what is not met and what lacks data.
* :func:`trajectory` — the year each standard would be met at the 2019–2022
  pace (OLS on yearly values, with a prediction interval) and the year the
  county would be ready, or why there is none: "not before
  ``READINESS_HORIZON_YEAR``", an unmet yes/no item, or too few years
  (:func:`county_years`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.special import stdtrit

from qyanalysis import settings
from qyanalysis.verdicts.attainment import compare, evaluate
from qyanalysis.verdicts.targets.assessment import PART_LABELS, assessment_targets, load_assessment

if TYPE_CHECKING:
    from qyanalysis.dataset import Dataset

READINESS_COLUMNS = (
    "county_code", "year", "part", "part_zh", "number", "assessment_id", "indicator", "label_zh", "label_en",
    "value", "comparator", "standard", "unit", "status", "veto", "veto_applies", "coverage", "ci_low",
    "ci_high", "note", "target_id", "source", "wording",
)
VERDICTS = ("ready", "vetoed", "not_met", "no_data")
VERDICT_COLUMNS = ("county_code", "year", "verdict", "ready", "vetoed", "indicators", "met", "not_met",
                   "in_year", "no_data", "not_applicable", "vetoes", "missing", "lacking_data")
#: In-year statuses: not met yet, so not met for the readiness verdict.
IN_YEAR_STATUSES = ("on_track", "at_risk")
TRAJECTORY_STATUSES = ("met_now", "on_pace", "not_before_horizon", "yes_no_unmet", "too_few_years",
                       "not_applicable")
COUNTY_OUTCOMES = ("ready_now", "on_pace", "not_before_horizon", "blocked", "unknown")
COUNTY_TRAJECTORY_COLUMNS = (
    "county_code", "ready_year", "ready_year_optimistic", "ready_year_pessimistic", "horizon", "outcome",
    "ready_year_at_least", "not_by_horizon", "yes_no_unmet", "too_few_years", "blocked_by", "summary",
)
TRAJECTORY_COLUMNS = (
    "county_code", "assessment_id", "part", "number", "indicator", "comparator", "standard", "years_used",
    "last_year", "last_value", "slope_per_year", "met_now", "year_met", "year_met_optimistic",
    "year_met_pessimistic", "status",
)


def _scope(dataset: Dataset, county) -> tuple[list[str], bool]:
    """County codes to score and whether the city summary is wanted."""
    registry = dataset.counties
    if county is None:
        return list(registry.codes), False
    code = registry.resolve(county)
    if code == registry.city_code:
        return list(registry.codes), True
    return [code], False


def _overrides_for(targets: pd.DataFrame, overrides: pd.DataFrame | None) -> pd.DataFrame | None:
    """The ``targets_override`` rows of the registry targets the assessment uses (others would be unknown ids)."""
    if overrides is None:
        return None
    return overrides[overrides["target_id"].isin(targets["target_id"])].reset_index(drop=True)


def score(targets: pd.DataFrame, measure_frame: pd.DataFrame, county_codes, year: int,
          overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """The pure core of :func:`readiness`: assessment targets × measure frame → readiness rows.

    Args:
        targets: :func:`qyanalysis.verdicts.targets.assessment.assessment_targets` (or a
            frame like it, e.g. in tests).
        measure_frame: The tidy measure frame.
        county_codes: Counties to score.
        year: The year (a complete year: no in-year forecast).
        overrides: A ``targets_override`` table, or None.

    Returns:
        One row per county × assessment row, columns :data:`READINESS_COLUMNS`,
        in the assessment's order; ``veto_applies`` is True where a veto row is
        ``not_met`` or its event was reported in any period of the year (:func:`_veto_events`).
    """
    codes = [str(c) for c in county_codes]
    wanted = (measure_frame["indicator"].isin(targets["indicator"].unique())
              & measure_frame["year"].isin([int(year) - 1, int(year)]))
    if len(codes) < 64:
        wanted &= measure_frame["county_code"].isin(codes)
    card = evaluate(targets.drop(columns=["assessment_id"]), measure_frame.loc[wanted], codes, None, int(year),
                    _overrides_for(targets, overrides))
    rows = load_assessment()
    link = targets[["target_id", "assessment_id"]].merge(
        rows[["assessment_id", "part", "number", "veto", "wording", "order", "label_zh", "label_en", "source"]],
        on="assessment_id", how="inner", validate="1:1")
    frame = card.drop(columns=["label_zh", "label_en"]).merge(link, on="target_id", how="inner", validate="m:1")
    frame = frame.rename(columns={"threshold": "standard"})
    frame["part_zh"] = frame["part"].map(lambda p: PART_LABELS[p][0])
    frame["source"] = frame["source"].astype("str")
    reported = _veto_events(targets, measure_frame, int(year))
    event = pd.MultiIndex.from_frame(frame[["county_code", "target_id"]]).isin(reported)
    frame["veto_applies"] = frame["veto"] & (frame["status"].eq("not_met") | event)
    frame = frame.sort_values(["county_code", "order"], kind="stable").reset_index(drop=True)
    return frame.loc[:, list(READINESS_COLUMNS)]


def _veto_events(targets: pd.DataFrame, measure_frame: pd.DataFrame, year: int) -> pd.MultiIndex:
    """(county, target) of every veto event reported in any period of ``year``.

    A veto (以考试方式招生 …) applies when the event happened at any time in the year: a
    value reported for any month or quarter that breaks the veto row's rule (``<= 0``) counts,
    even if a later period reports 0 or the year has no year-end figure yet.
    """
    vetoes = targets.loc[targets["assessment_id"].isin(
        load_assessment().loc[lambda rows: rows["veto"], "assessment_id"]),
        ["target_id", "indicator", "comparator", "threshold"]]
    rows = measure_frame.loc[(measure_frame["year"] == year) & measure_frame["value"].notna(),
                             ["county_code", "indicator", "value"]].merge(vetoes, on="indicator")
    broken = ~compare(rows["value"], rows["comparator"], rows["threshold"])
    return pd.MultiIndex.from_frame(rows.loc[broken, ["county_code", "target_id"]].drop_duplicates())


def readiness(dataset: Dataset, county=None, year: int | None = None) -> pd.DataFrame:
    """Every indicator of the 优质均衡 assessment for a county, every county, or the city summary.

    Args:
        dataset: A loaded dataset.
        county: A county code or name; None for every county; ``"city"`` (or
            the city's code or name) for :func:`verdicts` of every county —
            which counties could apply.
        year: The year (default: the dataset's latest census year).

    Returns:
        Per county: columns :data:`READINESS_COLUMNS`, one row per indicator
        (``status`` met / not_met / no_data / not_applicable; ``standard``
        the threshold in force; ``veto`` the row is a veto item;
        ``wording`` ``confirmed`` or ``summary``). For the city: the frame of
        :func:`verdicts`.

    Raises:
        qyanalysis.UsageError: an unknown county.
    """
    from qyanalysis.measures import compute_all

    year = dataset.latest_year if year is None else int(year)
    codes, city = _scope(dataset, county)
    frame = score(assessment_targets(), compute_all(dataset), codes, year, dataset.targets_override)
    return verdicts(frame) if city else frame


def _joined(frame: pd.DataFrame, mask: pd.Series) -> pd.Series:
    """Per county: the ``part number`` of the masked rows, "; "-joined ("" when none)."""
    labels = frame["part_zh"] + " " + frame["number"].astype("str") + " " + frame["indicator"]
    joined = labels[mask].groupby(frame.loc[mask, "county_code"]).agg("; ".join)
    keys = frame["county_code"].drop_duplicates()
    return keys.map(joined.astype("object")).astype("object").fillna("").astype("str").reset_index(drop=True)


def verdicts(frame: pd.DataFrame) -> pd.DataFrame:
    """One verdict per county from :func:`readiness` rows.

    ``verdict``: ``vetoed`` when a veto applies; else ``not_met`` when an
    indicator is not met or only in-year (``on_track``/``at_risk``: not met yet,
    counted in ``in_year``); else ``no_data`` when one lacks data; else
    ``ready`` — every indicator met or not applicable (ready to apply). Every row
    is counted once: met + not_met + in_year + no_data + not_applicable = indicators.
    ``missing`` lists the indicators not met (in-year ones included), ``lacking_data``
    those without data (``part number indicator``, "; "-separated).

    Returns:
        Columns :data:`VERDICT_COLUMNS`, one row per county, by county code.
    """
    status = frame["status"]
    in_year = status.isin(IN_YEAR_STATUSES)
    tally = pd.DataFrame({"county_code": frame["county_code"], "year": frame["year"], "indicators": 1,
                          "met": status.eq("met").astype(int), "not_met": status.eq("not_met").astype(int),
                          "in_year": in_year.astype(int), "no_data": status.eq("no_data").astype(int),
                          "not_applicable": status.eq("not_applicable").astype(int),
                          "vetoes": frame["veto_applies"].astype(int)})
    out = tally.groupby("county_code", sort=True).agg(
        year=("year", "first"), indicators=("indicators", "sum"), met=("met", "sum"), not_met=("not_met", "sum"),
        in_year=("in_year", "sum"), no_data=("no_data", "sum"), not_applicable=("not_applicable", "sum"),
        vetoes=("vetoes", "sum")).reset_index()
    ordered = frame.sort_values("county_code", kind="stable").reset_index(drop=True)
    out["missing"] = _joined(ordered, ordered["status"].eq("not_met") | ordered["status"].isin(IN_YEAR_STATUSES))
    out["lacking_data"] = _joined(ordered, ordered["status"].eq("no_data"))
    out["vetoed"] = out["vetoes"] > 0
    out["verdict"] = np.select([out["vetoed"], out["not_met"] + out["in_year"] > 0, out["no_data"] > 0],
                               ["vetoed", "not_met", "no_data"], default="ready")
    out["ready"] = out["verdict"].eq("ready")
    return out.loc[:, list(VERDICT_COLUMNS)]


def readiness_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """Counties × indicators of :func:`readiness` rows, as one row per indicator and one column per county.

    A pivot, nothing more: the status of every county (columns, by county
    code) for every indicator of the assessment (rows, in the assessment's
    order), with the indicator's ``assessment_id, part, part_zh, number,
    indicator, label_zh, label_en, veto``. A county without a row for an
    indicator gets a missing cell.

    Returns:
        Columns ``assessment_id, part, part_zh, number, indicator, label_zh,
        label_en, veto`` then one status column per county code (sorted).
    """
    keys = ["assessment_id", "part", "part_zh", "number", "indicator", "label_zh", "label_en", "veto"]
    rows = frame[keys].drop_duplicates("assessment_id").reset_index(drop=True)
    codes = sorted(frame["county_code"].astype("str").unique())
    wide = frame.assign(county_code=frame["county_code"].astype("str")).pivot(
        index="assessment_id", columns="county_code", values="status")
    statuses = wide.reindex(index=rows["assessment_id"], columns=codes).reset_index(drop=True)
    statuses.columns = list(codes)
    return pd.concat([rows, statuses.astype("object")], axis=1)


# --- trajectory ------------------------------------------------------------------------------------


def trend_fits(series: pd.DataFrame, min_years: int | None = None) -> pd.DataFrame:
    """Ordinary least squares ``value = a + b·(year − ȳ)`` per group, vectorised across groups.

    The same estimates as ``statsmodels.OLS(value, [1, year]).fit()`` fitted
    group by group (tests compare them): with n points, x = year − x̄,
    b = Σx·y ÷ Σx², a = ȳ, residual variance s² = Σ(y − a − b·x)² ÷ (n − 2).

    Args:
        series: ``key, year, value`` (one value per key and year).
        min_years: Fewest points a group needs (default
            ``settings.READINESS_MIN_YEARS``; at least 3 so that s² exists).

    Returns:
        Per key (index): ``n, x_mean, a, b, s2, sxx, last_year, last_value``.
    """
    min_years = max(3, settings.READINESS_MIN_YEARS if min_years is None else min_years)
    data = series.dropna(subset=["value"])
    codes, keys = pd.factorize(data["key"], sort=True)
    k = len(keys)
    year = data["year"].to_numpy(dtype="float64")
    value = data["value"].to_numpy(dtype="float64")

    def total(weights: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=weights, minlength=k)

    n = total(np.ones_like(year))
    with np.errstate(invalid="ignore", divide="ignore"):
        x_mean = total(year) / n
        y_mean = total(value) / n
        x = year - x_mean[codes]
        y = value - y_mean[codes]
        sxx = total(x * x)
        b = np.where(sxx > 0, total(x * y) / np.where(sxx > 0, sxx, 1.0), np.nan)
        s2 = np.where(n > 2, total((y - b[codes] * x) ** 2) / np.where(n > 2, n - 2, 1.0), np.nan)
    last = np.lexsort((year, codes))  # by key, then year: the last row of each key is its latest year
    is_last = np.r_[codes[last][1:] != codes[last][:-1], True]
    latest = last[is_last]
    fits = pd.DataFrame({"n": n, "x_mean": x_mean, "a": y_mean, "b": b, "s2": s2, "sxx": sxx,
                         "last_year": year[latest], "last_value": value[latest]}, index=pd.Index(keys, name="key"))
    return fits[fits["n"] >= min_years]


def prediction_band(fits: pd.DataFrame, years: np.ndarray, interval: float | None = None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point prediction and prediction interval of each fit at each year (groups × years).

    ŷ = a + b·(t − x̄); half-width = t₍₁₋α/2, n−2₎ · s · sqrt(1 + 1/n + (t − x̄)²/Σx²)
    — statsmodels' ``get_prediction(...).summary_frame()["obs_ci_*"]``.
    """
    interval = settings.READINESS_INTERVAL if interval is None else interval
    t = np.asarray(years, dtype="float64")[None, :]
    n = fits["n"].to_numpy(dtype="float64")[:, None]
    dx = t - fits["x_mean"].to_numpy(dtype="float64")[:, None]
    centre = fits["a"].to_numpy(dtype="float64")[:, None] + fits["b"].to_numpy(dtype="float64")[:, None] * dx
    quantile = stdtrit(n - 2.0, 0.5 + interval / 2.0)  # Student's t quantile
    s = np.sqrt(fits["s2"].to_numpy(dtype="float64"))[:, None]
    half = quantile * s * np.sqrt(1.0 + 1.0 / n + dx**2 / fits["sxx"].to_numpy(dtype="float64")[:, None])
    return centre, centre - half, centre + half


def first_year_met(values: np.ndarray, comparators: np.ndarray, standards: np.ndarray,
                   years: np.ndarray) -> np.ndarray:
    """First year (column) whose value meets the standard, per row; NaN when none does."""
    shape = values.shape
    meets = compare(pd.Series(values.ravel()), pd.Series(np.repeat(comparators, shape[1])),
                    pd.Series(np.repeat(standards, shape[1]))).reshape(shape)
    first = np.argmax(meets, axis=1)
    return np.where(meets.any(axis=1), np.asarray(years, dtype="float64")[first], np.nan)


def trajectory(dataset: Dataset, county=None, year: int | None = None,
               horizon: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """When each standard would be met at the current pace, and when the county would be ready.

    For every numeric indicator of the assessment (the 差异系数, the school
    rule, class and school sizes, rates, funding …) with yearly values in at
    least ``settings.READINESS_MIN_YEARS`` years up to ``year``, a straight
    line is fitted (:func:`trend_fits`) and projected year by year to
    ``horizon``: ``year_met`` is the first year after ``year`` whose point
    prediction meets the standard (``year`` itself when the latest value
    already meets it); ``year_met_optimistic`` / ``_pessimistic`` the first
    years at which the favourable / unfavourable bound of the
    ``settings.READINESS_INTERVAL`` prediction interval meets it. An unmet
    indicator without a trend says why: ``yes_no_unmet`` (a yes/no item: it
    is met when the county does it, not at a pace) or ``too_few_years``
    (fewer yearly values than the fit needs: its year is unknown, and
    ``years_used`` says how many there are).

    A county is ready in the latest of its indicators' years — every
    indicator must be met. Its ``outcome`` (:func:`county_outcome`):
    ``ready_now``; ``on_pace`` (``ready_year`` and its interval);
    ``not_before_horizon`` when an indicator with a trend is not met by
    ``horizon`` (whatever the others do); else ``blocked`` when a yes/no item
    is unmet; else ``unknown`` when the only indicators without a year have
    too few years (``ready_year_at_least``: the latest year of the others).
    The blockers are named by reason: ``not_by_horizon``, ``yes_no_unmet``,
    ``too_few_years`` ("part number indicator", "; "-joined) and all of them
    in ``blocked_by``.

    Args:
        dataset: A loaded dataset.
        county: A county code or name; None or ``"city"`` for every county.
        year: The last year used (default: the latest census year).
        horizon: The last year looked at (default ``settings.READINESS_HORIZON_YEAR``).

    Returns:
        ``(indicators, counties)``: columns :data:`TRAJECTORY_COLUMNS` (``status``
        one of :data:`TRAJECTORY_STATUSES`), and per county :data:`COUNTY_TRAJECTORY_COLUMNS`.
    """
    from qyanalysis.measures import compute_all

    year = dataset.latest_year if year is None else int(year)
    horizon = int(settings.READINESS_HORIZON_YEAR if horizon is None else horizon)
    codes, _ = _scope(dataset, county)
    targets = assessment_targets()
    now = score(targets, compute_all(dataset), codes, year, dataset.targets_override)
    measures = compute_all(dataset)
    annual = measures[(measures["period"] == "") & (measures["year"] <= year)
                      & measures["county_code"].isin(codes)
                      & measures["indicator"].isin(targets["indicator"])]
    per = now[["county_code", "assessment_id", "part", "number", "indicator", "comparator", "standard", "unit",
               "status"]].rename(columns={"status": "status_now"})
    per["key"] = per["county_code"] + "|" + per["indicator"]
    series = annual.assign(key=annual["county_code"] + "|" + annual["indicator"])[["key", "year", "value"]]
    fits = trend_fits(series).reindex(per["key"].unique())
    fits = fits[fits["n"].notna()]
    years_known = series.dropna(subset=["value"]).groupby("key")["year"].nunique()
    horizon_years = np.arange(year + 1, max(horizon, year + 1) + 1)
    rows = per.merge(fits, left_on="key", right_index=True, how="left")
    has_fit = rows["n"].notna() & rows["unit"].ne("flag") & rows["b"].notna() & rows["s2"].notna()
    out = rows.assign(years_used=rows["key"].map(years_known).fillna(0).astype("float64"),
                      slope_per_year=rows["b"], met_now=rows["status_now"].eq("met"))
    for name in ("year_met", "year_met_optimistic", "year_met_pessimistic"):
        out[name] = np.nan
    fitted = out[has_fit & ~out["met_now"]]
    if not fitted.empty:
        centre, low, high = prediction_band(fitted, horizon_years)
        upper = fitted["comparator"].isin([">=", ">"]).to_numpy()[:, None]
        favourable, unfavourable = np.where(upper, high, low), np.where(upper, low, high)
        comparators = fitted["comparator"].to_numpy(dtype=object)
        standards = fitted["standard"].to_numpy(dtype="float64")
        out.loc[fitted.index, "year_met"] = first_year_met(centre, comparators, standards, horizon_years)
        out.loc[fitted.index, "year_met_optimistic"] = first_year_met(favourable, comparators, standards, horizon_years)
        out.loc[fitted.index, "year_met_pessimistic"] = first_year_met(unfavourable, comparators, standards,
                                                                       horizon_years)
    out.loc[out["met_now"], ["year_met", "year_met_optimistic", "year_met_pessimistic"]] = float(year)
    out["status"] = np.select(
        [out["met_now"], out["status_now"].eq("not_applicable"), out["unit"].eq("flag"), ~has_fit,
         out["year_met"].notna()],
        ["met_now", "not_applicable", "yes_no_unmet", "too_few_years", "on_pace"], default="not_before_horizon")
    indicators_frame = out.loc[:, list(TRAJECTORY_COLUMNS)].reset_index(drop=True)
    return indicators_frame, county_years(out, year, horizon)


# Why an unmet indicator holds back the county's year, in the order the outcome takes them.
BLOCKING_STATUSES = {"not_before_horizon": "not_by_horizon", "yes_no_unmet": "yes_no_unmet",
                     "too_few_years": "too_few_years"}


def county_outcome(statuses: pd.Series) -> str:
    """What a county's indicator statuses (:data:`TRAJECTORY_STATUSES`) say about the year it could apply.

    ``not_before_horizon`` as soon as one indicator with a trend is not met
    by the horizon (that alone rules out every earlier year); else
    ``blocked`` when a yes/no item is unmet (no pace to project: it is met
    when the county does it); else ``unknown`` when an indicator has too few
    years (its year, hence the county's, cannot be told); else ``on_pace``
    when one is still to be met, ``ready_now`` when all are met (or not
    applicable).

    Example: statuses (met_now, too_few_years, on_pace) → ``unknown``;
    (too_few_years, not_before_horizon) → ``not_before_horizon``.
    """
    present = set(statuses)
    for status, outcome in (("not_before_horizon", "not_before_horizon"), ("yes_no_unmet", "blocked"),
                            ("too_few_years", "unknown"), ("on_pace", "on_pace")):
        if status in present:
            return outcome
    return "ready_now"


def county_years(frame: pd.DataFrame, year: int, horizon: int) -> pd.DataFrame:
    """Per county (:data:`COUNTY_TRAJECTORY_COLUMNS`): the latest year_met, the outcome, the blockers by reason.

    Args:
        frame: One row per county × indicator with ``county_code, part, number,
            indicator, status`` (:data:`TRAJECTORY_STATUSES`) and ``year_met,
            year_met_optimistic, year_met_pessimistic`` (the report year when met
            now, NaN when no year).
        year: The report year.
        horizon: The last year looked at.

    Example: a county with one indicator met now (2022), one on pace for
    2027 and one with too few years is ``unknown``, ``ready_year`` NaN,
    ``ready_year_at_least`` 2027, ``too_few_years`` naming the third.
    """
    relevant = frame[~frame["status"].isin(["not_applicable"])]
    g = relevant.groupby("county_code", sort=True)

    def latest(column: str) -> pd.Series:
        worst = g[column].max()
        never = relevant[column].isna().groupby(relevant["county_code"]).any()
        return worst.where(~never)

    names = relevant["part"] + " " + relevant["number"].astype("str") + " " + relevant["indicator"]
    out = pd.DataFrame({"ready_year": latest("year_met"), "ready_year_optimistic": latest("year_met_optimistic"),
                        "ready_year_pessimistic": latest("year_met_pessimistic")})
    out["horizon"] = horizon
    out["outcome"] = g["status"].agg(county_outcome).reindex(out.index)
    dated = relevant["year_met"].where(relevant["status"].isin(["met_now", "on_pace"]))
    out["ready_year_at_least"] = dated.groupby(relevant["county_code"]).max().reindex(out.index).where(
        out["outcome"].eq("unknown"))
    for status, column in BLOCKING_STATUSES.items():
        hit = relevant["status"].eq(status)
        joined = names[hit].groupby(relevant.loc[hit, "county_code"]).agg("; ".join)
        out[column] = out.index.map(joined.astype("object")).astype("object").fillna("").astype("str")
    blocked = relevant["status"].isin(list(BLOCKING_STATUSES))
    blocked_by = names[blocked].groupby(relevant.loc[blocked, "county_code"]).agg("; ".join)
    out["blocked_by"] = out.index.map(blocked_by.astype("object")).astype("object").fillna("").astype("str")
    out["summary"] = [_summary(row, year, horizon) for row in out.itertuples()]
    return out.reset_index()[list(COUNTY_TRAJECTORY_COLUMNS)]


def _summary(row, year: int, horizon: int) -> str:
    """One line on a county's outcome, naming its blockers with their reasons (English, for the API)."""
    reasons = [f"not met by {horizon} at the current pace: {row.not_by_horizon}" * bool(row.not_by_horizon),
               f"unmet yes/no items (no pace to project): {row.yes_no_unmet}" * bool(row.yes_no_unmet),
               f"too few years to fit a trend: {row.too_few_years}" * bool(row.too_few_years)]
    because = "; ".join(r for r in reasons if r)
    if row.outcome == "ready_now":
        return f"ready now ({year})"
    if row.outcome == "on_pace":
        text = _year_text(horizon)
        return (f"ready in {int(row.ready_year)} at the current pace ({text(row.ready_year_optimistic)}–"
                f"{text(row.ready_year_pessimistic)})")
    if row.outcome == "not_before_horizon":
        return f"not before {horizon} — {because}"
    if row.outcome == "blocked":
        return f"no year at the current pace — {because}"
    earliest = f"; the others met by {int(row.ready_year_at_least)}" if pd.notna(row.ready_year_at_least) else ""
    return f"year unknown — {because}{earliest}"


def _year_text(horizon: int):
    return lambda y: f"after {horizon}" if pd.isna(y) else str(int(y))


__all__ = ["COUNTY_OUTCOMES", "COUNTY_TRAJECTORY_COLUMNS", "READINESS_COLUMNS", "TRAJECTORY_COLUMNS",
           "TRAJECTORY_STATUSES", "VERDICTS", "VERDICT_COLUMNS", "county_outcome", "county_years",
           "first_year_met", "prediction_band", "readiness", "readiness_matrix", "score", "trajectory",
           "trend_fits", "verdicts"]
