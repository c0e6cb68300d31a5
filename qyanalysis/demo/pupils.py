"""Pupil outcomes of the demonstration census: migrants, disability, dropouts, fitness, myopia.

Settings (demonstration values, not statistics):

* Migrant children (随迁子女) are recorded for compulsory schools only. Each
  county's ``migrant`` share of compulsory pupils is split between public
  schools (``mig_pub``, target >= 85 %) and private ones, and spread over
  schools by location (urban 2 : town 1 : rural 0.3).
* Disabled pupils: Poisson with 1.5 per 1,000 compulsory pupils; 7 % of
  compulsory schools with 200+ pupils are hubs with 5 or more; a county's
  ``rr_cov`` of those hubs have a resource room by 2022 (built 2016–2022).
  Special-school pupils are all disabled.
* Dropouts (all but kindergartens): binomial with the county ``dropout`` rate
  × 0.6 for primary and × 1.7 for junior pupils (so the compulsory rate is
  about the county's), senior × 1.2, vocational × 2.5; 12 % higher per year
  back from 2022.
* Fitness (国家学生体质健康标准) and myopia screening for primary and
  secondary schools: about 95–100 % tested (every pupil since 2021 in the
  more urban counties, rurality below 0.5); 优良率 = county ``fitness`` (primary
  × 1.05, junior × 0.95, senior × 0.85), rising 1.2 points a year, 28 % of it
  优秀; myopia = national 2018 rates by level (primary 36 %, junior 71.6 %,
  senior 81 %; 教体艺〔2018〕3号 baseline) × county ``myopia``, moving ``myo_tr`` points
  a year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qyanalysis.demo.panel import HEALTH_LEVELS, Effects, Rows, compulsory, level_mix, masked

MIGRANT_LOCATION = {"urban": 2.0, "town": 1.0, "rural": 0.3}
MIGRANT_CAP = {"public": 0.7, "private": 0.9}
DISABLED_PER_PUPIL = {"kindergarten": 0.0006, "senior": 0.0005, "vocational": 0.0008}
DISABLED_PER_COMPULSORY_PUPIL = 0.0015
HUB_SHARE, HUB_MIN_PUPILS = 0.07, 200
RESOURCE_ROOM_WITHOUT_HUB = 0.04
RESOURCE_ROOM_FIRST_YEAR = 2016
DROPOUT_LEVEL = (0.6, 1.7, 1.2, {"special": 1.0, "vocational": 2.5})
DROPOUT_YEARLY_DECLINE = 0.12
FITNESS_LEVEL = (1.05, 0.95, 0.85)
FITNESS_YEARLY_GAIN = 0.012
FITNESS_EXCELLENT_SHARE = 0.28
FULL_TESTING_MAX_RURAL = 0.5  # the more urban counties test every pupil (全员体质测试) since 2021
MYOPIA_LEVEL = (0.36, 0.716, 0.81)  # national 2018 baseline by level (教体艺〔2018〕3号)


def _per_group_total(group: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    return np.bincount(group, weights=values, minlength=n_groups)


def _migrants(rows: Rows, effects: Effects, in_compulsory: np.ndarray) -> np.ndarray:
    """Migrant pupils: each county's total split public / private, spread by location weight."""
    pupils = np.where(in_compulsory, rows.primary + rows.junior, 0.0)
    base = rows.base_rows
    private = (rows.ownership != "public").astype(int)
    group = rows.county * 2 + private
    n_groups = 2 * len(rows.profiles)
    weight = rows.by_location(MIGRANT_LOCATION)
    county_pupils = _per_group_total(rows.county[base], pupils[base], len(rows.profiles))
    county_migrants = county_pupils * rows.profiles["migrant"].to_numpy()
    public_share = rows.profiles["mig_pub"].to_numpy()
    wanted = np.column_stack([county_migrants * public_share, county_migrants * (1 - public_share)]).ravel()
    capacity = _per_group_total(group[base], (pupils * weight)[base], n_groups)
    scale = np.divide(wanted, capacity, out=np.zeros(n_groups), where=capacity > 0)
    cap = np.where(private == 1, MIGRANT_CAP["private"], MIGRANT_CAP["public"])
    share = np.minimum(scale[group] * weight, cap)
    return np.minimum(effects.dither(pupils * share), pupils.astype(np.int64))


def _disabled(rows: Rows, effects: Effects, in_compulsory: np.ndarray) -> np.ndarray:
    """Disabled pupils, a lasting count per school (hub schools have 5 or more)."""
    base = rows.base_rows
    rate = np.where(in_compulsory, DISABLED_PER_COMPULSORY_PUPIL, rows.by_type(DISABLED_PER_PUPIL))
    rate = np.where(rows.type == "teaching_point", DISABLED_PER_COMPULSORY_PUPIL / 2, rate)
    mean = (rate * rows.students)[base]
    hub_candidate = (in_compulsory & (rows.type != "teaching_point")
                     & (rows.students >= HUB_MIN_PUPILS))[base]
    lasting = effects.poisson(mean)
    is_hub = (effects.uniform() < HUB_SHARE) & hub_candidate[rows.school]
    hub_extra = 4 + effects.poisson(np.full(len(base), 3.0))
    disabled = lasting + np.where(is_hub, hub_extra, 0)
    disabled = np.where(rows.type == "special", rows.students, disabled)
    return np.minimum(disabled, rows.students)


def _resource_rooms(rows: Rows, effects: Effects, disabled: np.ndarray,
                    in_compulsory: np.ndarray) -> np.ndarray:
    """Whether a resource room exists that year (built once, kept); special schools always True."""
    hub_2022 = (disabled[rows.base_rows] >= 5)[rows.school]
    has_by_2022 = np.where(hub_2022, effects.uniform() < rows.county_value("rr_cov"),
                           (effects.uniform() < RESOURCE_ROOM_WITHOUT_HUB) & in_compulsory)
    has_by_2022 &= rows.type != "teaching_point"
    built = RESOURCE_ROOM_FIRST_YEAR + np.floor(effects.uniform(0.0, 2023 - RESOURCE_ROOM_FIRST_YEAR))
    return (has_by_2022 & (rows.dt + 2022 >= built)) | (rows.type == "special")


def _health(rows: Rows, effects: Effects) -> dict[str, np.ndarray]:
    """Fitness-test and myopia-screening counts (only meaningful where the level is tested)."""
    tested = np.minimum(effects.dither(rows.students * effects.uniform(0.95, 1.0)), rows.students)
    everyone = (rows.county_value("rural") < FULL_TESTING_MAX_RURAL) & (rows.dt >= -1)
    tested = np.where(everyone, rows.students, tested)
    good_plus_rate = np.clip(rows.county_value("fitness") * level_mix(rows, *FITNESS_LEVEL)
                             * effects.lognormal(0.12) + FITNESS_YEARLY_GAIN * rows.dt, 0.05, 0.95)
    good_plus = np.round(tested * good_plus_rate).astype(np.int64)
    excellent = np.round(good_plus * FITNESS_EXCELLENT_SHARE * effects.lognormal(0.1)).astype(np.int64)
    excellent = np.minimum(excellent, good_plus)
    screened = np.minimum(effects.dither(rows.students * effects.uniform(0.92, 1.0)), rows.students)
    myopia_level = level_mix(rows, *MYOPIA_LEVEL) * rows.county_value("myopia") * effects.lognormal(0.08)
    myopia_rate = np.clip(myopia_level + rows.county_value("myo_tr") * rows.dt, 0.02, 0.97)
    return {
        "fitness_tested": tested,
        "fitness_excellent": excellent,
        "fitness_good": good_plus - excellent,
        "myopia_screened": screened,
        "myopia_cases": np.round(screened * myopia_rate).astype(np.int64),
    }


def pupil_columns(rows: Rows, effects: Effects) -> dict[str, object]:
    """``migrant_students, disabled_students, has_resource_room, dropouts`` and the fitness/myopia counts."""
    in_compulsory = compulsory(rows)
    disabled = _disabled(rows, effects, in_compulsory)
    primary, junior, senior, other = DROPOUT_LEVEL
    dropout_rate = (rows.county_value("dropout") * (1.0 - DROPOUT_YEARLY_DECLINE * rows.dt)
                    * level_mix(rows, primary, junior, senior, other))
    not_kindergarten = rows.type != "kindergarten"
    tested_level = rows.is_level(HEALTH_LEVELS)
    columns: dict[str, object] = {
        "migrant_students": masked(_migrants(rows, effects, in_compulsory), in_compulsory),
        "disabled_students": disabled,
        "has_resource_room": pd.array(_resource_rooms(rows, effects, disabled, in_compulsory),
                                      dtype="boolean"),
        "dropouts": masked(effects.binomial(rows.students, dropout_rate), not_kindergarten),
    }
    for name, values in _health(rows, effects).items():
        columns[name] = masked(values, tested_level)
    return columns
