"""Demonstration inputs of the complete 优质均衡 assessment (教督〔2017〕6号).

Kept apart from the school-resource calibration (``resources.py``,
``profiles.py``): these functions only add inputs the rest of the generator
does not produce, each driven by one *readiness* knob per county in [0, 1]
(:func:`readiness_knob`):

* ``music_rooms``, ``art_rooms`` — added to the compulsory schools of the
  census: ⌈classes ÷ 12⌉ each, a school short of one with probability
  0.5 · (1 − knob), a little more in earlier years;
* yes/no indicators (``flag`` unit, written 是/否): each 是 when a uniform
  draw falls under the knob (minus 0.08 a year before 2022); veto events
  (``veto_*``) 否 everywhere except Liannan's key classes (重点班), and in a
  synthetic region a 3 % chance in the least ready counties; the 有编不补
  veto follows the census's temporary teachers instead
  (:func:`long_term_temporary`: 是 in Yingde, whose ratio is above 5 % and
  still grows);
* shares and the quality-monitoring difference rate, improving over 2019–2022;
* ``survey`` — six respondent groups per county and year, satisfaction
  0.75 + 0.18 · knob ± group offsets, binomial counts.

Qingcheng (441802) is close to ready (knob 1.0: every yes/no item met, every
school with its rooms, 92 % satisfied); the Yao autonomous counties Lianshan
(441825) and Liannan (441826) are far from it (0.30 and 0.25; Liannan keeps
key classes, a veto). All of it is invented.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qyanalysis.contract.columns import SCHOOLS, SURVEY_GROUPS
from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.demo.panel import NOT_GENERATED
from qyanalysis.measures.assessment import rooms_needed

YEARS = (2019, 2020, 2021, 2022)
#: Hand-set knobs of the eight Qingyuan counties (others: 1 − rurality ± noise).
QINGYUAN_KNOBS = {"441802": 1.0, "441803": 0.8, "441821": 0.75, "441823": 0.55, "441825": 0.30,
                  "441826": 0.25, "441881": 0.6, "441882": 0.65}
#: Counties whose schools keep key classes (重点班) — a veto — in the demonstration.
VETO_KEY_CLASSES = ("441826",)
#: The veto on vacant posts left unfilled or non-established teachers employed long-term (有编不补).
VETO_TEMPORARY_TEACHERS = "veto_unfilled_posts_or_temporary_teachers"
#: Temporary-teacher ratio above which, when it is not falling, a county relies on them long-term (item 27's line).
LONG_TERM_TEMPORARY_RATIO = 0.05
_COMPULSORY = ("primary", "junior", "nine_year", "complete_secondary", "twelve_year")
# respondents per group: (low, high) of a uniform draw
_GROUP_SIZES = {"government": (20, 40), "principals": (40, 120), "teachers": (300, 800), "pupils": (600, 1500),
                "parents": (800, 2000), "public": (200, 400)}
_GROUP_OFFSETS = {"government": 0.04, "principals": 0.03, "teachers": -0.02, "pupils": 0.01, "parents": -0.01,
                  "public": -0.04}
_SHARES = {  # indicator: (value at knob 0, value at knob 1) in 2022
    "teacher_training_360h_completion": (0.86, 1.0), "nearby_enrollment_primary_share": (0.95, 1.0),
    "nearby_enrollment_junior_share": (0.85, 0.99), "quality_senior_places_allocated_share": (0.38, 0.6),
    "quality_monitoring_difference_rate": (0.22, 0.11),
}


def readiness_knob(profiles: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """One knob per county in [0, 1]: the hand-set Qingyuan values, else 1 − rurality ± 0.1."""
    codes = profiles["county_code"].astype(str)
    drawn = np.clip(1.0 - profiles["rural"].to_numpy(dtype=float) + rng.normal(0.0, 0.1, len(profiles)), 0.0, 1.0)
    return np.where(codes.isin(list(QINGYUAN_KNOBS)), codes.map(QINGYUAN_KNOBS).fillna(0.0), drawn)


def add_music_art_rooms(schools: pd.DataFrame, profiles: pd.DataFrame, knob: np.ndarray,
                        rng: np.random.Generator) -> pd.DataFrame:
    """``schools`` with ``music_rooms`` and ``art_rooms`` (compulsory schools only; empty elsewhere)."""
    knob = pd.Series(knob, index=profiles["county_code"].astype(str).to_numpy())
    county_knob = schools["county"].astype(str).map(knob).to_numpy(dtype=float)
    compulsory = schools["level"].isin(_COMPULSORY).to_numpy()
    need = rooms_needed(schools["classes"].fillna(0).to_numpy())
    behind = 2022 - schools["year"].to_numpy()
    short_p = np.clip(0.5 * (1.0 - county_knob) + 0.05 * behind * (county_knob < 1.0), 0.0, 1.0)
    music_short = rng.random(len(schools)) < short_p
    art_short = rng.random(len(schools)) < short_p / 2
    music = np.where(compulsory, np.maximum(need - music_short, 0), np.nan)
    art = np.where(compulsory, np.maximum(need - art_short, 0), np.nan)
    return schools.assign(music_rooms=music, art_rooms=art)[[c.name for c in SCHOOLS.columns
                                                             if c.name not in NOT_GENERATED]]


def assessment_indicators(profiles: pd.DataFrame, knob: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """The ``indicators`` rows of the assessment's inputs (flags as 1/0), 2019–2022, one per county."""
    codes = profiles["county_code"].astype(str).to_numpy()
    flags = [c for c, e in CATALOGUE.items() if e.unit == "flag" and e.item == 8 and not c.startswith("veto_")]
    vetoes = [c for c, e in CATALOGUE.items()
              if e.unit == "flag" and c.startswith("veto_") and c != VETO_TEMPORARY_TEACHERS]
    draws = {code: rng.random(len(codes)) for code in flags}
    veto_draw = rng.random((len(vetoes), len(codes)))
    frames = []
    for year in YEARS:
        behind = 2022 - year
        level = knob - 0.08 * behind
        for code in flags:
            frames.append(_frame(codes, year, code, (draws[code] < level).astype(float)))
        for i, code in enumerate(vetoes):
            event = (veto_draw[i] < 0.03) & (knob < 0.3) & ~np.isin(codes, list(QINGYUAN_KNOBS))
            if code == "veto_key_schools_classes":
                event |= np.isin(codes, VETO_KEY_CLASSES)
            frames.append(_frame(codes, year, code, event.astype(float)))
        frames.append(_frame(codes, year, VETO_TEMPORARY_TEACHERS, long_term_temporary(profiles, year)))
        for code, (low, high) in _SHARES.items():
            value = low + (high - low) * knob
            step = -0.01 if code == "quality_monitoring_difference_rate" else 0.012
            noisy = value - step * behind + rng.normal(0.0, 0.004, len(codes)) * (behind > 0)
            frames.append(_frame(codes, year, code, np.round(np.clip(noisy, 0.0, 1.0), 3)))
    return pd.concat(frames, ignore_index=True)


def long_term_temporary(profiles: pd.DataFrame, year: int) -> np.ndarray:
    """The 有编不补 veto per county in ``year`` (1 = 是), set from the census's temporary-teacher profile.

    是 where the county's temporary-teacher ratio that year (``temp`` +
    ``temp_tr`` · (year − 2022), the ratio the census is drawn around) is above
    :data:`LONG_TERM_TEMPORARY_RATIO` and not falling (``temp_tr`` ≥ 0): temporary
    teachers kept on instead of posts filled. A county above the line whose
    ratio falls every year (Qingcheng) is filling its posts: 否.
    """
    ratio = profiles["temp"].to_numpy(dtype=float) + profiles["temp_tr"].to_numpy(dtype=float) * (year - 2022)
    rising = profiles["temp_tr"].to_numpy(dtype=float) >= 0.0
    return ((ratio > LONG_TERM_TEMPORARY_RATIO) & rising).astype(float)


def _frame(codes: np.ndarray, year: int, indicator: str, values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"county": codes, "year": year, "period": "", "indicator": indicator,
                         "value": np.asarray(values, dtype=float)})


def build_survey(profiles: pd.DataFrame, knob: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """The ``survey`` table: county × year (2019–2022) × respondent group, binomial satisfied counts."""
    codes = profiles["county_code"].astype(str).to_numpy()
    frames = []
    for year in YEARS:
        for group in SURVEY_GROUPS:
            low, high = _GROUP_SIZES[group]
            n = rng.integers(low, high + 1, len(codes))
            rate = np.clip(0.75 + 0.17 * knob + _GROUP_OFFSETS[group] - 0.012 * (2022 - year), 0.0, 1.0)
            frames.append(pd.DataFrame({"county": codes, "year": year, "respondent_group": group,
                                        "respondents": n, "satisfied": rng.binomial(n, rate),
                                        "source": "synthetic demo"}))
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["county", "year", "respondent_group"], kind="stable").reset_index(drop=True)


README_SECTION = """- `survey.csv` — the 社会认可度 survey of the 优质均衡 assessment: county ×
  year 2019–2022 × respondent group (government, principals, teachers, pupils,
  parents, public), `respondents` and `satisfied` drawn binomially around
  0.75 + 0.17 × the county's readiness knob (± a few points by group).
- The assessment's other inputs (教督〔2017〕6号): `music_rooms`/`art_rooms` in
  `schools.csv` (compulsory schools; ⌈classes ÷ 12⌉ each, some schools one
  short), yes/no rows in `indicators.csv` written 是/否 (layout, unified
  standards, small-school funding, performance pay, posts, left-behind care,
  charters, training budget, ICT use, moral education, curriculum, homework,
  monitoring level III; veto events `veto_*`), and shares (360-hour training,
  nearby enrollment, senior places allocated, the monitoring difference rate).
  The 有编不补 veto (`veto_unfilled_posts_or_temporary_teachers`: vacant posts
  left unfilled or non-established teachers employed long-term) follows the
  census: 是 where the temporary teachers of public compulsory schools are
  above 5 % of all their teachers and their share does not fall — Yingde
  (441881), every year; Qingcheng has the most, but its share falls every
  year as its posts are filled, so 否, as everywhere else.
  Calibration: **Qingcheng (441802) is close to ready** — every yes/no item 是,
  no veto, every school with its rooms, about 92 % satisfied — so what keeps
  it from applying is its census (class and school sizes, 差异系数);
  **Lianshan (441825) and Liannan (441826) are far from it** — most yes/no
  items 否, satisfaction near 80 %, and Liannan keeps key classes (重点班), a
  veto. Other counties lie between (knobs 0.55–0.8).
"""
