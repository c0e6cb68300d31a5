"""Staffing measures from the school census and indicator inputs (中央编办发〔2014〕72号; docs/methods.md).

Two different ratios, never mixed:

* **pupil–teacher ratio (full-time teachers)** = students ÷ 专任教师
  (``teachers``), shown beside Guangdong's 2021 figures (primary 18.22,
  junior 13.62; 广东省教育事业发展统计公报) as a reference;
* **students per staff member** = students ÷ 教职工 (``staff``), the only
  ratio that may be compared with the staff-establishment norms 1:19 / 1:13.5 /
  1:12.5 (中央编办发〔2014〕72号), and only when ``staff`` is in the census.

Roster-based measures (age, certificates, rotation) live in
:mod:`qyanalysis.measures.teachers`; :func:`measures` includes them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from qyanalysis import settings
from qyanalysis.contract.columns import COMPULSORY_LEVELS
from qyanalysis.dataset import Dataset
from qyanalysis.measures import teachers as roster
from qyanalysis.measures.coverage import COVERAGE_COLUMNS, combine, whole
from qyanalysis.measures.rates import (
    as_measure_frame,
    concat_measure_frames,
    indicator_columns,
    pooled_rate,
    pooled_ratio,
    round_difference,
)

COUNTY_YEAR = ["county_code", "year"]
STAGES = ("primary", "junior", "senior")
# The stages taught in each kind of school; combined schools are split by enrollment.
_STAGES_OF_LEVEL = {
    "primary": ("primary",),
    "junior": ("junior",),
    "senior": ("senior",),
    "nine_year": ("primary", "junior"),
    "complete_secondary": ("junior", "senior"),
    "twelve_year": ("primary", "junior", "senior"),
}
_QUALIFICATION_STAGES = ("primary", "junior")  # the census column is defined for these (大专+ / 本科+)
SUPPORT_INDICATORS = ("support_teachers_received", "support_teachers_sent")


def _has(frame: pd.DataFrame, *columns: str) -> bool:
    return all(c in frame.columns for c in columns)


def split_by_stage(schools: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """One row per school × stage (primary / junior / senior), counts apportioned by enrollment.

    A single-level school keeps its counts. A combined school (nine-year,
    complete secondary, twelve-year) is split in proportion to its per-level
    enrollment ``students_<stage>``: stage share = students_<stage> ÷ Σ of the
    school's per-level enrollments, and each count in ``columns`` is multiplied
    by that share. This assumes equal staffing per pupil across the school's
    stages (the simple enrollment split asked for pupil–teacher ratios; the
    优质均衡 resource split of 教督〔2017〕6号 weighs juniors 1.1 instead). A
    combined school without all its per-level enrollments cannot be split and
    is left out. Other levels (kindergarten, special, vocational) are left out.

    Args:
        schools: The census (``county_code, year, level, students`` and the
            per-level enrollments; ``location``/``ownership`` kept when present).
        columns: Count columns to apportion (those absent are skipped).

    Returns:
        ``school_id, county_code, year, location, ownership, level, stage,
        students`` and the apportioned ``columns``.
    """
    present = [c for c in columns if c in schools.columns]
    keys = [c for c in ("school_id", "county_code", "year", "location", "ownership", "level") if c in schools]
    parts = []
    for level, stages in _STAGES_OF_LEVEL.items():
        rows = schools.loc[schools["level"] == level]
        if rows.empty:
            continue
        if len(stages) == 1:
            part = rows[[*keys, "students", *present]].assign(stage=stages[0])
            parts.append(part)
            continue
        enrollment_cols = [f"students_{stage}" for stage in stages]
        if not _has(rows, *enrollment_cols):
            continue
        total = rows[enrollment_cols].sum(axis=1, min_count=len(stages))
        for stage in stages:
            share = rows[f"students_{stage}"] / total.where(total > 0)
            part = rows[keys].assign(stage=stage, students=rows[f"students_{stage}"])
            for col in present:
                part[col] = rows[col] * share
            parts.append(part.loc[share.notna()])
    if not parts:
        return pd.DataFrame(columns=[*keys, "stage", "students", *present])
    out = pd.concat(parts, ignore_index=True)
    for col in ("location", "ownership"):
        if col not in out:
            out[col] = pd.NA
    return out


def pupil_teacher_table(dataset: Dataset, by: Sequence[str] = ("county_code", "year", "location")) -> pd.DataFrame:
    """Pupil–teacher ratio (full-time teachers) by stage and any grouping.

    value = Σ students ÷ Σ full-time teachers (专任教师, ``teachers``) over the
    schools reporting both, combined schools split by :func:`split_by_stage`.
    ``reference_guangdong_2021`` gives Guangdong's 2021 ratio where known
    (settings.GUANGDONG_2021_PUPIL_TEACHER_RATIOS) — a reference, not a norm.
    Never compare this ratio with the staff-establishment norms, which count all
    staff (教职工): use :func:`establishment_table` for that.

    Returns:
        ``by`` columns, ``stage``, ``numerator`` (students), ``denominator``
        (teachers), ``value`` (pupils per teacher), ``reference_guangdong_2021``,
        ``difference_from_reference`` (value − reference; NaN without a
        reference); no rows when the census lacks ``teachers``.
    """
    keys = [*by, "stage"]
    if not _has(dataset.schools, "teachers"):
        return pd.DataFrame(columns=[*keys, "numerator", "denominator", "value", "reference_guangdong_2021",
                                     "difference_from_reference"])
    split = split_by_stage(dataset.schools, ["teachers"])
    out = pooled_ratio(split, "students", "teachers", keys)
    out["reference_guangdong_2021"] = out["stage"].map(dict(settings.GUANGDONG_2021_PUPIL_TEACHER_RATIOS))
    out = out.astype({"reference_guangdong_2021": "float64"})
    out["difference_from_reference"] = out["value"] - out["reference_guangdong_2021"]
    return out


def establishment_table(dataset: Dataset, by: Sequence[str] = ("county_code", "year", "location")) -> pd.DataFrame:
    """Students per staff member (教职工) against the establishment norms.

    value = Σ students ÷ Σ staff (``staff``) by stage; ``norm`` is the national
    establishment ratio (students per staff member: primary 19, junior 13.5,
    senior 12.5; 中央编办发〔2014〕72号, settings.STAFF_ESTABLISHMENT_NORMS) and
    ``within_norm`` is value <= norm (no more pupils per staff member than the
    norm allows). Only computed from ``staff``; full-time teachers are never
    compared with these norms.

    Returns:
        ``by`` columns, ``stage``, ``numerator`` (students), ``denominator``
        (staff), ``value``, ``norm``, ``within_norm``; no rows without ``staff``.
    """
    keys = [*by, "stage"]
    if not _has(dataset.schools, "staff"):
        return pd.DataFrame(columns=[*keys, "numerator", "denominator", "value", "norm", "within_norm"])
    split = split_by_stage(dataset.schools, ["staff"])
    out = pooled_ratio(split, "students", "staff", keys)
    out["norm"] = out["stage"].map(dict(settings.STAFF_ESTABLISHMENT_NORMS)).astype("float64")
    out["within_norm"] = (out["value"] <= out["norm"]).astype("boolean").mask(out["value"].isna())
    return out


def qualification_table(dataset: Dataset, by: Sequence[str] = ("county_code", "year", "location")) -> pd.DataFrame:
    """Share of full-time teachers above the required qualification, primary and junior.

    value = Σ ``teachers_above_required_qualification`` ÷ Σ ``teachers``
    (primary 大专+, junior 本科+; 教督〔2017〕6号), combined schools split by
    enrollment, Wilson interval; ``reference_guangdong_2021`` = 0.9919 / 0.9374
    (settings.GUANGDONG_2021_QUALIFIED_SHARES).

    Returns:
        ``by`` columns, ``stage``, ``numerator``, ``denominator``, ``value``,
        ``ci_low``, ``ci_high``, ``reference_guangdong_2021``.
    """
    keys = [*by, "stage"]
    columns = ["teachers", "teachers_above_required_qualification"]
    if not _has(dataset.schools, *columns):
        return pd.DataFrame(columns=[*keys, "numerator", "denominator", "value", "ci_low", "ci_high",
                                     "reference_guangdong_2021"])
    split = split_by_stage(dataset.schools, columns)
    split = split.loc[split["stage"].isin(_QUALIFICATION_STAGES)]
    out = pooled_rate(split, columns[1], columns[0], keys, settings.CONFIDENCE)
    out["reference_guangdong_2021"] = out["stage"].map(dict(settings.GUANGDONG_2021_QUALIFIED_SHARES))
    return out.astype({"reference_guangdong_2021": "float64"})


def per_100_pupils_table(
    dataset: Dataset, column: str, by: Sequence[str] = ("county_code", "year", "location")
) -> pd.DataFrame:
    """Teachers of a kind per 100 pupils, primary and secondary schools.

    value = 100 × Σ ``column`` ÷ Σ students over the schools of
    ``settings.PRIMARY_SECONDARY_LEVELS`` reporting ``column`` (e.g.
    ``backbone_teachers``, ``pe_arts_teachers``; 优质均衡 standards 1.0 and 0.9
    per 100 pupils per school, 教督〔2017〕6号).

    Returns:
        ``by`` columns, ``numerator`` (teachers), ``denominator`` (students),
        ``value``; no rows when the census lacks ``column``.
    """
    by = list(by)
    if not _has(dataset.schools, column):
        return pd.DataFrame(columns=[*by, "numerator", "denominator", "value"])
    schools = dataset.schools.loc[dataset.schools["level"].isin(settings.PRIMARY_SECONDARY_LEVELS)]
    return pooled_ratio(schools, column, "students", by, scale=100.0)


def temporary_teacher_counts(schools: pd.DataFrame, levels: Sequence[str] | None = None) -> pd.DataFrame:
    """Established and temporary teachers of public primary and secondary schools by county and year.

    公办中小学 (plan item 27): ownership in ``settings.PUBLIC_OWNERSHIPS``, level
    in ``levels`` (default ``settings.PRIMARY_SECONDARY_LEVELS``); established =
    full-time teachers (``teachers``, 专任教师 in established posts), temporary =
    ``temporary_teachers`` (临聘教师); schools reporting both.

    Returns:
        ``county_code, year, established, temporary`` and the coverage (schools reporting
        both counts of the public primary and secondary schools); empty without the columns.
    """
    if not _has(schools, "teachers", "temporary_teachers"):
        return pd.DataFrame(columns=[*COUNTY_YEAR, "established", "temporary", *COVERAGE_COLUMNS])
    levels = settings.PRIMARY_SECONDARY_LEVELS if levels is None else levels
    public = schools.loc[schools["ownership"].isin(settings.PUBLIC_OWNERSHIPS)
                         & schools["level"].isin(levels)]
    sums = pooled_ratio(public, "temporary_teachers", "teachers", COUNTY_YEAR)
    return sums.rename(columns={"numerator": "temporary", "denominator": "established"})[
        [*COUNTY_YEAR, "established", "temporary", *COVERAGE_COLUMNS]]


def compulsory_temporary_teachers(schools: pd.DataFrame) -> pd.DataFrame:
    """Temporary teachers of public compulsory schools by county and year, and their share of all teachers.

    What the census says beside the 优质均衡 veto on vacant posts left
    unfilled or non-established teachers employed long-term (存在"有编不补"或
    长期聘用编外教师的情况, 教督〔2017〕6号): public schools (``settings.PUBLIC_OWNERSHIPS``)
    of the compulsory levels (``COMPULSORY_LEVELS``; a combined school counts
    whole, the census does not split its teachers by stage); established =
    ``teachers`` (在编专任教师), temporary = ``temporary_teachers`` (临聘教师).
    share = temporary ÷ (established + temporary), whatever item 27's
    denominator setting. Whether posts go unfilled needs the approved
    establishment, which the census lacks: the figures inform the veto, they
    do not decide it.

    Returns:
        ``county_code, year, established, temporary, teachers`` (established +
        temporary), ``share`` (NaN without teachers); empty without the columns.
    """
    counts = temporary_teacher_counts(schools, COMPULSORY_LEVELS)
    teachers = (counts["established"] + counts["temporary"]).astype("float64")
    return counts.assign(teachers=teachers, share=counts["temporary"].astype("float64")
                         / teachers.where(teachers > 0))


def _denominator_choice(denominator: str | None) -> str:
    """The temporary-ratio denominator in force: the argument, else the setting (validated)."""
    choice = settings.TEMPORARY_RATIO_DENOMINATOR if denominator is None else denominator
    if choice not in settings.TEMPORARY_RATIO_DENOMINATORS:
        raise ValueError(f"TEMPORARY_RATIO_DENOMINATOR must be one of "
                         f"{settings.TEMPORARY_RATIO_DENOMINATORS}, got {choice!r}")
    return choice


def temporary_teacher_ratio(counts: pd.DataFrame, denominator: str | None = None) -> pd.DataFrame:
    """Temporary-teacher ratio (临聘教师比例), plan item 27.

    value = T ÷ D with T the temporary teachers and D, per
    ``settings.TEMPORARY_RATIO_DENOMINATOR`` (the province's denominator is
    unconfirmed, docs/methods.md “Item 27”): ``established_plus_temporary`` (default) D = E + T, or
    ``established`` D = E. An administrative share (posts the bureau filled
    with temporary staff), so no interval (the catalogue's ``interval`` flag).

    Args:
        counts: Output of :func:`temporary_teacher_counts`.
        denominator: Overrides the setting for this call.

    Returns:
        ``county_code, year, numerator`` (T), ``denominator`` (D), ``value``.
    """
    choice = _denominator_choice(denominator)
    everyone = (counts["established"] + counts["temporary"]).astype("float64")
    out = counts[[c for c in (*COUNTY_YEAR, *COVERAGE_COLUMNS) if c in counts.columns]].copy()
    out["numerator"] = counts["temporary"].astype("float64")
    out["denominator"] = counts["established"].astype("float64") if choice == "established" else everyone
    out["value"] = out["numerator"] / out["denominator"].where(out["denominator"] > 0)
    return out


#: Float tolerance of the item-27 comparisons (the same as the scorecard's, qyanalysis.verdicts.attainment).
_TOLERANCE = 1e-9


def item27_steps(counts: pd.DataFrame, year: int, cut_share, denominator: str | None = None) -> pd.DataFrame:
    """Plan item 27 worked out, one row per county with counts in ``year − 1`` and ``year`` — the rule's one home.

    With T0, E0 last year's temporary and established teachers of public
    primary and secondary schools, D0 the ratio's denominator
    (``settings.TEMPORARY_RATIO_DENOMINATOR``: E0 + T0 by default, or E0; the
    province's choice is unconfirmed, see docs/methods.md), T1 this year's
    temporary teachers and s the target's share of the excess to cut (the
    registry's threshold of ``t27_temporary_teacher_excess_cut`` after
    overrides, 0.20 in the plan)::

        ratio_previous = T0 ÷ D0
        applies        = ratio_previous > 5 %          (超过 = strictly above)
        excess         = T0 − 5 % × D0                  (teachers above the line)
        required_cut   = s × excess                     (plan: 减少超过规定比例部分的20%)
        actual_cut     = T0 − T1                        (negative when the number grew)

    The verdict (actual_cut ≥ required_cut) is the scorecard's
    (``qyanalysis.verdicts.attainment``), not computed here. 5 % is
    ``settings.TEMPORARY_RATIO_LIMIT_SHARE``. Source: 清远市2022年教育工作要点
    第27条 ("临聘教师比例超过5%的地区,临聘教师数量减少超过规定比例部分的20%").

    Example: E0 = 950, T0 = 100, D0 = 1050: ratio 0.095238, excess = 100 −
    52.5 = 47.5, required = 0.20 × 47.5 = 9.5; with D0 = E0 = 950: ratio
    0.105263, excess = 52.5, required = 10.5.

    Args:
        counts: ``county_code, year, established, temporary`` rows
            (:func:`temporary_teacher_counts`, or the measure frame's counts).
        year: The year scored.
        cut_share: s, a number or a Series indexed by county code.
        denominator: Overrides the setting (``established_plus_temporary`` | ``established``).

    Returns:
        ``county_code, established_previous, temporary_previous, base_previous,
        ratio_previous, applies, excess, cut_share, required_cut, temporary_now,
        ratio_now, actual_cut`` (``excess``/``required_cut`` NaN where the rule
        does not apply; ``temporary_now``/``actual_cut`` NaN without this
        year's count); counties without last year's counts are absent.
    """
    choice = _denominator_choice(denominator)
    ratios = temporary_teacher_ratio(counts, choice).merge(counts[[*COUNTY_YEAR, "established", "temporary"]],
                                                           on=COUNTY_YEAR, validate="1:1")
    before = ratios[ratios["year"] == year - 1]
    now = ratios.loc[ratios["year"] == year, ["county_code", "temporary", "value"]]
    out = pd.DataFrame({"county_code": before["county_code"].astype("str"),
                        "established_previous": before["established"], "temporary_previous": before["temporary"],
                        "base_previous": before["denominator"], "ratio_previous": before["value"]})
    now = now.rename(columns={"temporary": "temporary_now", "value": "ratio_now"})
    out = out.merge(now, on="county_code", how="left", validate="1:1")
    line = settings.TEMPORARY_RATIO_LIMIT_SHARE
    out["applies"] = out["ratio_previous"] > line + _TOLERANCE
    out["excess"] = round_difference(out["temporary_previous"] - line * out["base_previous"]).where(out["applies"])
    share = (cut_share.reindex(out["county_code"]).to_numpy(dtype="float64") if isinstance(cut_share, pd.Series)
             else float(cut_share))
    out["cut_share"] = share
    out["required_cut"] = round_difference(out["cut_share"] * out["excess"])
    out["actual_cut"] = out["temporary_previous"] - out["temporary_now"]
    columns = ["county_code", "established_previous", "temporary_previous", "base_previous", "ratio_previous",
               "applies", "excess", "cut_share", "required_cut", "temporary_now", "ratio_now", "actual_cut"]
    return out.loc[:, columns].sort_values("county_code").reset_index(drop=True)


def temporary_teacher_excess_cut(counts: pd.DataFrame) -> pd.DataFrame:
    """The item-27 cut achieved: T0 − T1 temporary teachers (``temporary_teacher_excess_cut``).

    Only where last year's ratio is above the 5 % line (see :func:`item27_steps`);
    elsewhere value NaN with note ``not_applicable: ratio <= 5%``. The cut
    required depends on the target's threshold, so it is the scorecard's.

    Returns:
        ``county_code, year, value, note`` and the coverage of the less complete of the two
        years' counts, for every year that has a previous one.
    """
    frames = []
    for year in sorted(set(counts["year"]) & {y + 1 for y in counts["year"]}):
        steps = item27_steps(counts, year, cut_share=np.nan)
        limit = settings.TEMPORARY_RATIO_LIMIT_SHARE
        note = np.where(steps["applies"] | steps["ratio_previous"].isna(), "", f"not_applicable: ratio <= {limit:.0%}")
        coverage = combine(*(steps[["county_code"]].merge(counts.loc[counts["year"] == y], on="county_code",
                                                           how="left")[list(COVERAGE_COLUMNS)]
                             for y in (year - 1, year)))
        frames.append(pd.concat([pd.DataFrame({"county_code": steps["county_code"], "year": year,
                                               "value": steps["actual_cut"].where(steps["applies"]),
                                               "note": note}), coverage], axis=1))
    if not frames:
        return pd.DataFrame(columns=[*COUNTY_YEAR, "value", "note", *COVERAGE_COLUMNS])
    out = pd.concat(frames, ignore_index=True)
    return out[out["value"].notna() | (out["note"] != "")].reset_index(drop=True)


def teacher_salary_ratio(indicators: pd.DataFrame | None) -> pd.DataFrame:
    """Teacher pay relative to local civil servants (plan item 30).

    value = ``teacher_avg_pay_yuan`` ÷ ``civil_servant_avg_pay_yuan`` (both
    yuan per year, from the indicators table); >= 1.0 means teachers are not
    paid less (义务教育法 第三十一条; 教师法: "不低于"). Averages, not counts:
    no numerator, denominator or interval.

    Returns:
        ``county_code, year, period, value``; empty when either input is absent.
    """
    codes = ("teacher_avg_pay_yuan", "civil_servant_avg_pay_yuan")
    wide = indicator_columns(indicators, codes)
    pay = wide[codes[1]].astype("float64")
    wide["value"] = wide[codes[0]].astype("float64") / pay.where(pay > 0)
    return whole(wide[["county_code", "year", "period", "value"]])


def pay_comparison(pay: pd.DataFrame) -> pd.DataFrame:
    """Teacher pay against local civil servants' (plan item 30, 义务教育教师平均工资收入水平不低于当地公务员).

    gap_yuan = ``teacher_avg_pay_yuan`` − ``civil_servant_avg_pay_yuan`` (元 a
    year; negative: teachers earn less); missing when either is missing.

    Args:
        pay: Rows with ``teacher_avg_pay_yuan`` and ``civil_servant_avg_pay_yuan``.

    Returns:
        A copy with ``gap_yuan``.
    """
    return pay.assign(gap_yuan=pay["teacher_avg_pay_yuan"] - pay["civil_servant_avg_pay_yuan"])


def support_teachers(indicators: pd.DataFrame | None) -> list[pd.DataFrame]:
    """Item-29 counts (support teachers received / sent), passed through from indicators."""
    if indicators is None:
        return []
    return [as_measure_frame(whole(indicators.loc[indicators["indicator"] == code]), code)
            for code in SUPPORT_INDICATORS]


_STAGE_INDICATORS = (
    # (table function, indicator prefix, stages)
    (pupil_teacher_table, "pupil_teacher_ratio", STAGES),
    (establishment_table, "students_per_staff", STAGES),
    (qualification_table, "qualified_teacher_share", _QUALIFICATION_STAGES),
)
_PER_100_INDICATORS = {
    "backbone_teachers_per_100_pupils": "backbone_teachers",
    "pe_arts_teachers_per_100_pupils": "pe_arts_teachers",
}


def measures(dataset: Dataset) -> pd.DataFrame:
    """Staffing measures of every county and year, as a measure frame.

    School census: ``pupil_teacher_ratio_<stage>`` (full-time teachers),
    ``students_per_staff_<stage>`` (all staff, only with ``staff``),
    ``qualified_teacher_share_<primary|junior>``,
    ``backbone_teachers_per_100_pupils``, ``pe_arts_teachers_per_100_pupils``,
    ``temporary_teachers_count`` and ``established_teachers_count`` (public
    primary and secondary schools, :func:`temporary_teacher_counts`),
    ``temporary_teacher_ratio``, ``temporary_teacher_excess_cut`` (the
    required cut is the scorecard's: it needs the target's threshold). Indicators: ``teacher_salary_ratio``,
    ``support_teachers_received``, ``support_teachers_sent``. Teacher roster
    (when supplied): see :func:`qyanalysis.measures.teachers.measures`.

    Returns:
        The measure frame (docs/design.md); absent inputs give absent rows.
    """
    frames = []
    for table_function, prefix, stages in _STAGE_INDICATORS:
        table = table_function(dataset, COUNTY_YEAR)
        for stage in stages:
            frames.append(as_measure_frame(table.loc[table["stage"] == stage], f"{prefix}_{stage}"))
    for indicator, column in _PER_100_INDICATORS.items():
        frames.append(as_measure_frame(per_100_pupils_table(dataset, column, COUNTY_YEAR), indicator))
    counts = temporary_teacher_counts(dataset.schools)
    for code, column in (("temporary_teachers_count", "temporary"), ("established_teachers_count", "established")):
        frames.append(as_measure_frame(counts.rename(columns={column: "value"}), code))
    frames.append(as_measure_frame(temporary_teacher_ratio(counts), "temporary_teacher_ratio"))
    frames.append(as_measure_frame(temporary_teacher_excess_cut(counts), "temporary_teacher_excess_cut"))
    frames.append(as_measure_frame(teacher_salary_ratio(dataset.indicators), "teacher_salary_ratio"))
    frames.extend(support_teachers(dataset.indicators))
    frames.append(roster.measures(dataset))
    return concat_measure_frames(frames)
