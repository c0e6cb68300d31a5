"""Analysis settings: named, sourced, overridable constants.

Every number an analysis relies on that is not data lives here, with the
document it comes from (``docs`` = ``/work/shared/reference/STANDARDS.md``
sections). Targets with thresholds live in the target registry, not here;
this module holds definitions, norms and reference values.

Functions read these names at call time (``settings.NAME``), so a notebook or
script may change them for a block of code::

    import qyanalysis.settings as settings

    with settings.override(TEMPORARY_RATIO_DENOMINATOR="established"):
        frame = qy.staffing.measures(dataset)

Assigning ``settings.NAME = value`` also works and lasts for the process.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

# --- Statistics ----------------------------------------------------------------

#: Confidence level of the intervals on rates computed from counts (Wilson score
#: interval, E. B. Wilson 1927; Newcombe 1998 for differences).
CONFIDENCE = 0.95

# --- Which schools a measure covers --------------------------------------------

#: Primary and secondary schools (中小学): every census level except
#: kindergartens, special-education and vocational schools.
PRIMARY_SECONDARY_LEVELS: tuple[str, ...] = (
    "primary", "junior", "nine_year", "senior", "complete_secondary", "twelve_year",
)

#: Schools whose pupils take the National Student Fitness Standard test.
#: 国家学生体质健康标准(2014年修订) (教体艺〔2014〕5号) applies to full-time
#: primary, junior, senior-high and secondary-vocational pupils.
FITNESS_LEVELS: tuple[str, ...] = (*PRIMARY_SECONDARY_LEVELS, "vocational")

#: Schools whose pupils count in the overall myopia rate (总体近视率) and its change:
#: primary level and above. Kindergartens are left out: the screening definition
#: (WS/T 663-2020, 中小学生屈光不正筛查规范) concerns children over 6, and the
#: national 总体近视率 of 综合防控儿童青少年近视实施方案 (2018) is reported for
#: primary, junior and senior pupils.
MYOPIA_LEVELS: tuple[str, ...] = (*PRIMARY_SECONDARY_LEVELS, "special", "vocational")

#: Ownership values counted as 公办 (public) — plan item 27 "公办中小学".
PUBLIC_OWNERSHIPS: tuple[str, ...] = ("public",)

# --- Temporary teachers (plan item 27; STANDARDS.md §5) ------------------------

#: Denominator of the temporary-teacher ratio (临聘教师比例). The one used by the
#: Guangdong Department of Education could not be confirmed (STANDARDS.md §5):
#: ``"established_plus_temporary"`` (default) = temporary ÷ (established
#: full-time teachers + temporary); ``"established"`` = temporary ÷ established.
TEMPORARY_RATIO_DENOMINATOR = "established_plus_temporary"
TEMPORARY_RATIO_DENOMINATORS: tuple[str, ...] = ("established_plus_temporary", "established")

#: The ratio above which a county must cut (plan item 27: "临聘教师比例超过5%的地区";
#: 超过 = strictly greater than).
TEMPORARY_RATIO_LIMIT_SHARE = 0.05

#: Share of the excess above the limit to be cut within the year (plan item 27:
#: "临聘教师数量减少超过规定比例部分的20%").
TEMPORARY_EXCESS_CUT_SHARE = 0.20

# --- Staffing norms and references (STANDARDS.md §5) ---------------------------

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


def names() -> list[str]:
    """The names of every setting (upper-case module attributes)."""
    module = sys.modules[__name__]
    return sorted(n for n in vars(module) if n.isupper() and not n.startswith("_"))


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
