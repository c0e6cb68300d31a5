"""Classes and teachers of the demonstration census.

Calibration (2021年广东省教育事业发展统计公报): pupils per full-time teacher
18.22 in primary and 13.62 in junior schools (the county ``ptr`` multiplier
moves a county around these, urban Qingcheng above, the mountain counties
below); 99.19 % of primary teachers hold 大专+ and 93.74 % of junior teachers
本科+ (the county ``qual_p`` / ``qual_j`` around these). Senior 13.0,
kindergarten 15, special 4 and vocational 19 pupils per teacher, and the
teaching-point figure of 9, are demonstration settings.

``teachers`` are established full-time teachers (专任教师, 在编);
``temporary_teachers`` (临聘) exist only in public primary and secondary
schools and are left empty for kindergartens, where they are not collected.
"""

from __future__ import annotations

import numpy as np

from qyanalysis.demo.panel import Effects, Rows, level_sum, masked

PUPILS_PER_TEACHER = {"primary": 18.2, "junior": 13.6, "senior": 13.0}
PUPILS_PER_TEACHER_OTHER = {"kindergarten": 15.0, "special": 4.0, "vocational": 19.0}
TEACHING_POINT_PUPILS_PER_TEACHER = 9.0
CLASS_LOCATION = {"urban": 1.05, "town": 0.95, "rural": 0.75}
CLASS_SIZE_OTHER = {"kindergarten": 28.0, "special": 9.0, "vocational": 45.0}
TEACHING_POINT_CLASS = 12.0
TEACHING_POINT_MAX_CLASSES = 6
# Share of teachers above the required qualification where the county profile does not set it.
QUALIFIED_OTHER = {"senior": 0.10, "vocational": 0.08, "special": 0.93, "kindergarten": 0.85}
BACKBONE_TYPE = {"kindergarten": 0.4, "teaching_point": 0.3, "special": 0.6, "vocational": 0.7}
BACKBONE_LOCATION = {"urban": 1.15, "town": 1.0, "rural": 0.8}


def _classes(rows: Rows, effects: Effects) -> np.ndarray:
    """Classes = pupils ÷ class size (county size × location factor × school effect)."""
    size_effect = rows.by_location(CLASS_LOCATION) * effects.lognormal(0.07)
    class_p = rows.county_value("class_p") * size_effect
    class_j = rows.county_value("class_j") * size_effect
    other = rows.by_type(CLASS_SIZE_OTHER, 1.0) * np.where(rows.type == "kindergarten", size_effect, 1.0)
    expected = (rows.primary / class_p + rows.junior / class_j + rows.senior / class_j
                + np.divide(rows.other, other, out=np.zeros_like(other), where=other > 0))
    point = rows.type == "teaching_point"
    expected = np.where(point, np.minimum(np.ceil(rows.students / TEACHING_POINT_CLASS),
                                          TEACHING_POINT_MAX_CLASSES), expected)
    return np.clip(np.round(expected), 1, rows.students).astype(np.int64)


def _teachers(rows: Rows, effects: Effects, classes: np.ndarray) -> np.ndarray:
    """Established teachers = Σ part pupils ÷ pupils-per-teacher; primary schools keep one per class."""
    ratio = rows.county_value("ptr") * effects.lognormal(0.1)
    ratio = ratio * np.where(rows.ownership == "private", 1.1, 1.0)
    expected = level_sum(rows, 1 / PUPILS_PER_TEACHER["primary"], 1 / PUPILS_PER_TEACHER["junior"],
                         1 / PUPILS_PER_TEACHER["senior"],
                         {k: 1 / v for k, v in PUPILS_PER_TEACHER_OTHER.items()}) / ratio
    point = rows.type == "teaching_point"
    expected = np.where(point, rows.students / TEACHING_POINT_PUPILS_PER_TEACHER, expected)
    teachers = np.maximum(effects.dither(expected), 1)
    one_per_class = np.isin(rows.type, ("primary", "teaching_point"))
    return np.where(one_per_class, np.maximum(teachers, classes), teachers)


def _temporary(rows: Rows, effects: Effects, teachers: np.ndarray) -> np.ndarray:
    """Temporary teachers so that temporary ÷ (established + temporary) ≈ the county's ratio that year."""
    ratio = np.clip(rows.county_value("temp") + rows.county_value("temp_tr") * rows.dt, 0.0, 0.4)
    expected = teachers * ratio / (1.0 - ratio) * effects.lognormal(0.5)
    return effects.dither(expected)


def _qualified(rows: Rows, effects: Effects, teachers: np.ndarray) -> np.ndarray:
    """Teachers above the required qualification (primary 大专+, junior and combined 本科+)."""
    share = rows.by_type(QUALIFIED_OTHER)
    share = np.where(np.isin(rows.type, ("primary", "teaching_point")), rows.county_value("qual_p"), share)
    share = np.where(np.isin(rows.type, ("junior", "nine_year", "complete_secondary", "twelve_year")),
                     rows.county_value("qual_j"), share)
    share = np.where(rows.type == "teaching_point", share - 0.03, share)
    unqualified = (1.0 - share) * effects.lognormal(0.6)
    return np.minimum(effects.dither(teachers * np.clip(1.0 - unqualified, 0.0, 1.0)), teachers)


def _backbone(rows: Rows, effects: Effects, teachers: np.ndarray) -> np.ndarray:
    """County-level backbone teachers; primary schools spread by the county's ``sig_b``."""
    primary_type = np.isin(rows.type, ("primary", "teaching_point"))
    sigma = np.where(primary_type, rows.county_value("sig_b"), 0.25)
    share = (rows.county_value("backbone") * rows.by_type(BACKBONE_TYPE, 1.0)
             * rows.by_location(BACKBONE_LOCATION) * effects.lognormal(sigma))
    return np.minimum(effects.dither(teachers * share), teachers)


def staffing_columns(rows: Rows, effects: Effects) -> dict[str, object]:
    """``classes, teachers, teachers_above_required_qualification, backbone_teachers,
    pe_arts_teachers, temporary_teachers, teachers_senior_title, staff`` per school × year."""
    classes = _classes(rows, effects)
    teachers = _teachers(rows, effects, classes)
    kindergarten = rows.type == "kindergarten"
    public_school = (rows.ownership == "public") & ~kindergarten
    temporary = np.where(public_school, _temporary(rows, effects, teachers), 0)
    pe_arts = np.minimum(effects.dither(teachers * rows.county_value("pe_arts") * effects.lognormal(0.15)),
                         teachers)
    rural = rows.location == "rural"
    titled_share = np.clip(0.38 + 0.12 * rural + 0.05 * effects.normal(), 0.05, 0.95)
    support_share = np.where(kindergarten, 0.55, 0.14) * effects.lognormal(0.2)
    return {
        "classes": classes,
        "teachers": teachers,
        "teachers_above_required_qualification": _qualified(rows, effects, teachers),
        "backbone_teachers": _backbone(rows, effects, teachers),
        "pe_arts_teachers": masked(pe_arts, ~kindergarten),
        "temporary_teachers": masked(temporary, ~kindergarten),
        "teachers_senior_title": np.minimum(effects.dither(teachers * titled_share), teachers),
        "staff": teachers + effects.dither(teachers * support_share),
    }
