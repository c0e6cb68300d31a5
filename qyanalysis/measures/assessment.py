"""Measures of the 优质均衡 assessment that neither the equity nor the staffing modules give.

Source: 教育部《县域义务教育优质均衡发展督导评估办法》(教督〔2017〕6号); the
assessment's rows are in ``qyanalysis/verdicts/targets/assessment.csv``.

* ``schools_short_of_music_art_rooms_count`` — 政府保障程度 3: "每12个班级配备
  音乐、美术专用教室1间以上". A school of c classes needs ⌈c ÷ 12⌉ music rooms
  and as many art rooms (at least one each once it has a class); a school
  short of either counts. Scope: the compulsory-education schools of the
  resource indicators (teaching points under 50 pupils and special schools
  out). Needs the optional ``music_rooms``, ``art_rooms`` and ``classes``
  columns; schools lacking one of them are not judged (coverage k of n).
  The rooms' areas (≥ 96 m²) are not in the census and are not checked.
* ``survey_satisfaction_rate`` — 社会认可度, from the ``survey`` table, pooled
  over the respondent groups as ``settings.SURVEY_POOLING`` says (see
  :func:`pooled_satisfaction`), with a Wilson interval (the survey is a sample).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qyanalysis import settings
from qyanalysis.dataset import Dataset
from qyanalysis.measures.balance import in_balance_scope
from qyanalysis.measures.coverage import tally
from qyanalysis.measures.rates import as_measure_frame, concat_measure_frames, empty_measure_frame, wilson_interval

CLASSES_PER_ROOM = 12
POOLINGS = ("respondents", "equal_groups")


def rooms_needed(classes) -> np.ndarray:
    """Music (or art) rooms a school of ``classes`` classes needs: ⌈classes ÷ 12⌉, 0 without classes.

    "每12个班级配备音乐、美术专用教室1间以上" (教督〔2017〕6号, 政府保障程度 3):
    1–12 classes → 1 room, 13–24 → 2, 25 → 3.
    """
    c = np.asarray(classes, dtype="float64")
    return np.where(c > 0, np.ceil(c / CLASSES_PER_ROOM), 0.0)


def music_art_room_rows(schools: pd.DataFrame) -> pd.DataFrame:
    """``schools_short_of_music_art_rooms_count`` per county and year (see the module docstring)."""
    needed_columns = ("music_rooms", "art_rooms", "classes")
    if any(c not in schools.columns for c in needed_columns):
        return empty_measure_frame()
    scope = schools.loc[in_balance_scope(schools)]
    need = rooms_needed(scope["classes"])
    music = scope["music_rooms"].to_numpy(dtype="float64")
    art = scope["art_rooms"].to_numpy(dtype="float64")
    judged = ~np.isnan(music) & ~np.isnan(art) & ~np.isnan(scope["classes"].to_numpy(dtype="float64"))
    short = judged & ((music < need) | (art < need))
    frame = pd.DataFrame({"county_code": scope["county_code"].to_numpy(), "year": scope["year"].to_numpy(),
                          "short": short.astype(float)})
    counts = frame.groupby(["county_code", "year"], sort=True).agg(short=("short", "sum")).reset_index()
    counts = counts.merge(tally(scope, ["county_code", "year"], pd.Series(judged, index=scope.index)),
                          on=["county_code", "year"], validate="1:1")
    counts = counts.loc[counts["units_reporting"] > 0].assign(value=lambda c: c["short"])
    return as_measure_frame(counts, "schools_short_of_music_art_rooms_count")


def pooled_satisfaction(respondents, satisfied, groups, pooling: str | None = None,
                        confidence: float | None = None) -> pd.DataFrame:
    """The survey's satisfaction rate, pooled over respondent groups, with a Wilson interval.

    ``respondents``/``satisfied`` are per-group counts and ``groups`` labels the
    unit each group belongs to (e.g. county × year). With nᵍ respondents and
    xᵍ satisfied in group g (pᵍ = xᵍ/nᵍ):

    * ``respondents``: p = Σxᵍ ÷ Σnᵍ; Wilson interval on (Σxᵍ, Σnᵍ).
    * ``equal_groups``: p = (1/G)·Σpᵍ over the G groups with nᵍ > 0;
      var = (1/G²)·Σ pᵍ(1 − pᵍ)/nᵍ; effective size n* = p(1 − p)/var
      (Kish), and the Wilson interval on (p·n*, n*). When every pᵍ is 0 or 1
      the variance is 0 and n* = Σnᵍ is used.

    The 办法 sets "社会认可度达到85%以上" without saying how the groups are
    combined in the public copies we read, hence the setting
    ``settings.SURVEY_POOLING`` (docs/methods.md).

    Returns:
        One row per group label (index), columns ``value, numerator,
        denominator, ci_low, ci_high, groups``; ``numerator``/``denominator``
        are Σxᵍ and Σnᵍ in both poolings.
    """
    pooling = settings.SURVEY_POOLING if pooling is None else pooling
    if pooling not in POOLINGS:
        raise ValueError(f"SURVEY_POOLING {pooling!r} is not one of {POOLINGS}")
    confidence = settings.CONFIDENCE if confidence is None else confidence
    frame = pd.DataFrame({"key": np.asarray(groups), "n": np.asarray(respondents, dtype="float64"),
                          "x": np.asarray(satisfied, dtype="float64")})
    frame = frame.loc[frame["n"] > 0]
    frame["p"] = frame["x"] / frame["n"]
    frame["var"] = frame["p"] * (1.0 - frame["p"]) / frame["n"]
    sums = frame.groupby("key", sort=True).agg(x=("x", "sum"), n=("n", "sum"), p_sum=("p", "sum"),
                                               var_sum=("var", "sum"), groups=("n", "size"))
    if pooling == "respondents":
        value = sums["x"] / sums["n"]
        low, high = wilson_interval(sums["x"].to_numpy(), sums["n"].to_numpy(), confidence)
    else:
        g = sums["groups"]
        value = sums["p_sum"] / g
        variance = sums["var_sum"] / g**2
        n_eff = (value * (1.0 - value) / variance.where(variance > 0)).fillna(sums["n"])
        low, high = wilson_interval((value * n_eff).to_numpy(), n_eff.to_numpy(), confidence)
    return pd.DataFrame({"value": value, "numerator": sums["x"], "denominator": sums["n"],
                         "ci_low": np.asarray(low, dtype="float64"), "ci_high": np.asarray(high, dtype="float64"),
                         "groups": sums["groups"]}, index=sums.index)


def survey_rows(survey: pd.DataFrame | None) -> pd.DataFrame:
    """``survey_satisfaction_rate`` per county and year from the ``survey`` table (None → no rows)."""
    if survey is None or survey.empty:
        return empty_measure_frame()
    keys = survey["county_code"].astype("str") + "|" + survey["year"].astype("int64").astype("str")
    pooled = pooled_satisfaction(survey["respondents"], survey["satisfied"], keys)
    if pooled.empty:
        return empty_measure_frame()
    split = pooled.index.to_series().str.split("|", expand=True)
    frame = pooled.reset_index(drop=True).assign(
        county_code=split[0].to_numpy(), year=split[1].astype("int64").to_numpy(),
        note="pooled=" + settings.SURVEY_POOLING + "; groups=" + pooled["groups"].astype(int).astype(str).to_numpy())
    answered = survey["respondents"].notna() & survey["satisfied"].notna()
    coverage = tally(survey, ["county_code", "year"], answered, unit="group")
    frame = frame.merge(coverage.astype({"county_code": "str", "year": "int64"}), on=["county_code", "year"],
                        how="left", validate="1:1")
    return as_measure_frame(frame, "survey_satisfaction_rate")


def measures(dataset: Dataset) -> pd.DataFrame:
    """Both measures of this module for every county and year (a measure frame; absent inputs → no rows)."""
    frames = [music_art_room_rows(dataset.schools), survey_rows(getattr(dataset, "survey", None))]
    frames = [f for f in frames if not f.empty]
    return concat_measure_frames(frames) if frames else empty_measure_frame()


__all__ = ["CLASSES_PER_ROOM", "POOLINGS", "measures", "music_art_room_rows", "pooled_satisfaction",
           "rooms_needed", "survey_rows"]
