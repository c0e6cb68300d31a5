"""What the generated census shows on 优质均衡, measured the way the reports measure it.

Used by the README writer, so that the calibration the README states is read
off the files it describes rather than copied from the county profiles. The
rules are those of ``qyanalysis.measures.balance`` (教督〔2017〕6号): a school
part passes when at least 6 of the 7 resource indicators reach their standard
and the remaining one reaches 85 % of it; the county's enrollment-weighted
差异系数 of each indicator must stay at or below 0.50 among primary and 0.45
among junior school parts.
"""

from __future__ import annotations

import pandas as pd

from qyanalysis.measures.balance import (
    BALANCE_SOURCES,
    balance_cvs,
    balance_parts,
    per_student_indicators,
    school_verdicts,
)

NEAR_LIMIT = 0.05  # a CV within this distance of its limit is "just inside" or "just outside"


def _parts(schools: pd.DataFrame, year: int) -> pd.DataFrame:
    latest = schools.loc[schools["year"] == year].rename(columns={"county": "county_code"})
    return balance_parts(latest)


def passing_shares(schools: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per county: school parts in scope, parts judged, parts passing the 6-of-7 rule and their share.

    Args:
        schools: The demo ``schools`` table (``county`` holds the county code).
        year: Census year.

    Returns:
        Index ``county_code``; columns ``parts``, ``judged``, ``passing`` and
        ``passing_share`` = passing ÷ judged (combined schools split into their
        primary and junior parts, small teaching points out of scope).
    """
    parts = _parts(schools, year)
    verdicts = school_verdicts(per_student_indicators(parts, BALANCE_SOURCES), parts["level"])
    frame = pd.DataFrame({"county_code": parts["county_code"],
                          "judged": verdicts["passes"].notna(),
                          "passing": verdicts["passes"].fillna(False).astype(bool)})
    out = frame.groupby("county_code", sort=True).agg(
        parts=("judged", "size"), judged=("judged", "sum"), passing=("passing", "sum"))
    out["passing_share"] = out["passing"] / out["judged"].where(out["judged"] > 0)
    return out


def registry_cv_limits() -> dict[str, float]:
    """The 差异系数 limit per level as the target registry sets it (``t08_balance_cv_*_<level>``).

    The demo region has no overrides, so one limit per level (primary 0.50,
    junior 0.45 nationally) describes every county.
    """
    from qyanalysis.verdicts.targets import load_targets

    targets = load_targets()
    rows = targets[targets["target_id"].str.match(r"^t08_balance_cv_.+_(primary|junior)$")]
    levels = rows["target_id"].str.rsplit("_", n=1).str[1]
    return {level: float(limit) for level, limit in rows.groupby(levels)["threshold"].first().items()}


def near_limit_cvs(schools: pd.DataFrame, year: int) -> pd.DataFrame:
    """The 差异系数 above their limit or within :data:`NEAR_LIMIT` below it.

    Returns:
        ``county_code, level, code, cv, limit, gap`` (gap = cv − limit, > 0
        when over), sorted by county, level and code.
    """
    cvs = balance_cvs(_parts(schools, year), registry_cv_limits())
    cvs = cvs.assign(gap=cvs["cv"] - cvs["limit"])
    near = cvs.loc[cvs["gap"] >= -NEAR_LIMIT, ["county_code", "level", "code", "cv", "limit", "gap"]]
    return near.sort_values(["county_code", "level", "code"], kind="stable").reset_index(drop=True)


#: The city's published totals at the start of the 2022–23 school year (schools, pupils) by stage:
#: 清远市教育局, 清远市2023—2025年学位建设规划(征求意见稿), as reported by 清远日报. Teaching points are
#: not counted among the schools; 普通高中 only (vocational schools apart).
PUBLISHED_2022 = {"primary": (354, 422_369), "junior": (159, 179_987), "senior": (34, 76_891),
                  "kindergarten": (835, 169_466)}
PUBLISHED_SOURCE = ("清远市教育局, 清远市2023—2025年学位建设规划(征求意见稿) (the city's 2023–2025 "
                    "school-places plan, consultation draft), as reported by 清远日报 (Qingyuan Daily)")
#: Which stage's school count a school of each level joins, as Chinese education statistics count them:
#: a nine-year school (九年一贯制) among the junior schools (初中学校), a complete secondary (完全中学) or
#: twelve-year school (十二年一贯制) among the regular senior schools (普通高中学校).
STAGE_OF_LEVEL = {"kindergarten": "kindergarten", "primary": "primary", "junior": "junior",
                  "nine_year": "junior", "senior": "senior", "complete_secondary": "senior",
                  "twelve_year": "senior"}
STAGES = ("primary", "junior", "senior", "kindergarten")


def city_totals_by_stage(schools: pd.DataFrame, year: int) -> pd.DataFrame:
    """The city's schools and pupils by stage in ``year``, counted as the published figures count them.

    Schools: each school once, in the stage of :data:`STAGE_OF_LEVEL`;
    teaching points (``is_teaching_point``) are not schools. Pupils: every
    pupil in the stage they are in — a single-level school's ``students``
    (teaching points' pupils among the primary pupils), a combined school's
    ``students_primary``, ``students_junior`` and ``students_senior`` each in
    its own stage. Special and vocational schools count in no stage.

    Args:
        schools: A ``schools`` table (``level``, ``year``, ``students``, the
            three part columns, ``is_teaching_point``).
        year: Census year.

    Returns:
        Index ``stage`` (:data:`STAGES` order); columns ``schools`` and ``pupils`` (int).
    """
    rows = schools.loc[schools["year"] == year]
    stage = rows["level"].map(STAGE_OF_LEVEL)
    point = rows["is_teaching_point"].fillna(False).astype(bool)
    counted = stage[stage.notna() & ~point].value_counts()
    single = rows["level"].isin(("kindergarten", "primary", "junior", "senior"))
    pupils = rows["students"].where(single, 0).groupby(stage).sum()
    for part in ("primary", "junior", "senior"):
        pupils[part] = pupils.get(part, 0) + rows[f"students_{part}"].fillna(0).sum()
    return pd.DataFrame({"schools": counted.reindex(STAGES, fill_value=0),
                         "pupils": pupils.reindex(STAGES, fill_value=0)}).astype("int64").rename_axis("stage")
