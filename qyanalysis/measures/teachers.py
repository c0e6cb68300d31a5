"""Measures from the pseudonymous teacher roster (the optional ``teachers`` table).

Each teacher-year row is joined to its school of the same year (``school_id``,
``year`` → ``level``, ``location``) to place it. Shares count only teachers
whose flag is known (a missing flag is not a "no"), with Wilson intervals.
Without a roster every measure here is absent.

* ``teacher_certificate_share`` — holders of a teaching certificate ÷
  established full-time teachers (专任教师, ``is_established``) of compulsory
  education (优质均衡: 专任教师持证上岗率 100 %, 教督〔2017〕6号; plan item 8):
  teachers of primary, junior and nine-year schools, and the compulsory part
  of combined schools (:func:`compulsory_certificate_share`); temporary
  teachers (临聘) and kindergarten, senior, vocational and special-school
  teachers are left out.
* ``kindergarten_teacher_certified_share`` — the same over teachers of
  kindergartens (plan item 7).
* ``teacher_rotation_rate`` — rotated ÷ rotation-eligible teachers (优质均衡:
  >= 10 % a year; plan item 26).
* ``backbone_share_of_rotated`` — backbone teachers among those rotated
  (优质均衡: >= 20 %).
* ``older_teacher_share`` — teachers aged settings.OLDER_TEACHER_AGE_YEARS
  (50) or over; :func:`age_table` gives it with the mean age by location.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from qyanalysis import settings
from qyanalysis.dataset import Dataset
from qyanalysis.measures.balance import compulsory_resource_share
from qyanalysis.measures.coverage import COVERAGE_COLUMNS, tally
from qyanalysis.measures.rates import (
    as_measure_frame,
    concat_measure_frames,
    empty_measure_frame,
    newcombe_difference_interval,
    with_rate,
)

COUNTY_YEAR = ["county_code", "year"]
_SCHOOL_FIELDS = ("level", "location", "ownership", "students")


def roster(dataset: Dataset) -> pd.DataFrame | None:
    """The teacher roster with each teacher's school placed and age computed.

    Adds ``level``, ``location``, ``ownership``, ``school_students`` and
    ``compulsory_share`` (the school's share in compulsory education,
    :func:`qyanalysis.measures.balance.compulsory_resource_share`) from the
    school of the same year (NaN when the school is not in the census) and
    ``age_years`` = year − birth_year (NaN without a birth year).

    Returns:
        The joined roster, or None when the dataset has no teachers table.

    Raises:
        pandas.errors.MergeError: The census has duplicate (school_id, year) keys.
    """
    if dataset.teachers is None:
        return None
    teachers = dataset.teachers
    fields = [c for c in _SCHOOL_FIELDS if c in dataset.schools.columns]
    schools = dataset.schools[["school_id", "year", *fields]].rename(columns={"students": "school_students"})
    schools = schools.assign(compulsory_share=compulsory_resource_share(dataset.schools))
    fields = [*fields, "compulsory_share"]
    out = teachers.drop(columns=[c for c in fields if c in teachers.columns]).merge(
        schools, on=["school_id", "year"], how="left", validate="m:1")
    for col in ("level", "location", "ownership"):
        if col not in out:
            out[col] = pd.NA
    if "birth_year" in out:
        birth = pd.to_numeric(out["birth_year"], errors="coerce").astype("float64")
        out["age_years"] = out["year"].astype("float64") - birth
    else:
        out["age_years"] = float("nan")
    return out


def _empty_share(by: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=[*by, "numerator", "denominator", "value", "ci_low", "ci_high"])


def _flag(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(is_true, is_known) of a nullable boolean column."""
    values = series.astype("boolean")
    return values.fillna(False).astype("bool"), values.notna()


def flag_share(frame: pd.DataFrame, flag: str, by: Sequence[str], among: pd.Series | None = None,
               weight: str | None = None) -> pd.DataFrame:
    """Share of rows whose ``flag`` is true among rows where it is known.

    value = #(flag true) ÷ #(flag known), optionally within the rows where
    ``among`` is true; Wilson interval. With ``weight``, each row counts for
    its weight (e.g. the compulsory share of a combined school's teacher):
    value = Σ w·[flag true] ÷ Σ w·[flag known]; rows with a missing weight are
    left out.

    Returns:
        ``by`` columns, ``numerator``, ``denominator``, ``value``, ``ci_low``,
        ``ci_high``; empty when the column is absent.
    """
    by = list(by)
    if flag not in frame or (weight is not None and weight not in frame):
        return _empty_share(by)
    rows = frame if among is None else frame.loc[among]
    w = (pd.Series(1.0, index=rows.index) if weight is None
         else rows[weight].astype("float64"))
    is_true, known = _flag(rows[flag])
    known = known & w.notna()
    counts = rows[by].assign(numerator=is_true.astype("float64") * w, denominator=known.astype("float64") * w)
    summed = counts.loc[known].groupby(by, observed=True, sort=True)[["numerator", "denominator"]].sum()
    summed = summed.loc[summed["denominator"] > 0].reset_index()
    counted = w.isna() | (w > 0)  # who the share counts: every row with a weight other than 0
    coverage = tally(rows.loc[counted], by, known.loc[counted])
    return with_rate(summed.merge(coverage, on=by, how="left", validate="1:1"), settings.CONFIDENCE)


def compulsory_certificate_share(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Teaching-certificate holders among established full-time teachers of compulsory education.

    The 优质均衡 indicator is 专任教师持证上岗率 (教督〔2017〕6号, 100 %; plan
    item 8): it counts the established full-time teachers (专任教师, roster
    ``is_established`` true), not temporary teachers (临聘, ``is_established``
    false) — the census's own 专任教师 column (``teachers``) counts established
    posts only, and temporary teachers are counted apart (``temporary_teachers``).
    A teacher whose ``is_established`` is missing is left out (not read as
    either); without the column the share is absent (no data), never a count
    of everyone.

    value = Σ w·[holds a certificate] ÷ Σ w·[certificate known] over the
    established teachers, w = the compulsory share of the teacher's school
    (``compulsory_share`` of :func:`roster`): 1 in primary, junior and
    nine-year schools; in a twelve-year or complete secondary school the
    优质均衡 resource split of
    :func:`qyanalysis.measures.balance.compulsory_resource_share` (per-student
    weights 1 : 1.1 : 1.32, the same split as every other resource of such a
    school in the 差异系数) — the roster does not say which teacher teaches
    which stage; 0 in kindergartens, senior, vocational and special schools,
    whose teachers are left out. Teachers whose school is not in the census
    are left out (their stage is unknown).

    Example: a primary school of 10 established teachers (9 certified) and 2
    temporary ones (neither certified), and a kindergarten of 5 (none
    certified): 9 ÷ 10 = 0.9 — the temporary teachers and the kindergarten
    change nothing (counting the temporary ones would give 9 ÷ 12 = 0.75).
    """
    if "is_established" not in frame:
        return _empty_share(list(by))
    established, _known = _flag(frame["is_established"])
    return flag_share(frame, "has_teaching_certificate", by, among=established, weight="compulsory_share")


def rotation_rate(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Teacher rotation rate (交流轮岗比例): rotated ÷ rotation-eligible teachers.

    Over teachers whose ``rotated`` and ``is_rotation_eligible`` are both known:
    numerator = teachers rotated, denominator = teachers eligible (优质均衡:
    每年交流轮岗教师的比例不低于符合交流条件教师总数的10%, 教督〔2017〕6号).
    A rotated teacher not flagged eligible still counts as rotated, as in the
    official ratio, so the value can exceed 1 on inconsistent flags. No
    interval: the numerator is the bureau's own decision (who rotates), an
    administrative share (the catalogue's ``interval`` flag).

    Returns:
        ``by`` columns, ``numerator``, ``denominator``, ``value``.
    """
    by = list(by)
    if not {"rotated", "is_rotation_eligible"} <= set(frame.columns):
        return _without_interval(_empty_share(by))
    rotated, rotated_known = _flag(frame["rotated"])
    eligible, eligible_known = _flag(frame["is_rotation_eligible"])
    known = rotated_known & eligible_known
    counts = frame[by].assign(numerator=rotated.astype("float64"), denominator=eligible.astype("float64"))
    summed = counts.loc[known].groupby(by, observed=True, sort=True)[["numerator", "denominator"]].sum()
    summed = summed.reset_index().merge(tally(frame, by, known), on=by, how="left", validate="1:1")
    return _without_interval(with_rate(summed, settings.CONFIDENCE))


def _without_interval(frame: pd.DataFrame) -> pd.DataFrame:
    """A share table without ``ci_low``/``ci_high`` (administrative shares carry no interval)."""
    return frame.drop(columns=["ci_low", "ci_high"], errors="ignore")


def backbone_share_of_rotated(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Backbone teachers among rotated teachers (优质均衡: >= 20 %).

    value = #(rotated and backbone) ÷ #(rotated, backbone flag known); no
    interval (who is rotated is the bureau's decision: an administrative share).

    Returns:
        ``by`` columns, ``numerator``, ``denominator``, ``value``.
    """
    if "rotated" not in frame:
        return _without_interval(_empty_share(list(by)))
    rotated, _ = _flag(frame["rotated"])
    return _without_interval(flag_share(frame, "is_backbone", by, among=rotated))


def age_table(dataset: Dataset, by: Sequence[str] = ("county_code", "year", "location")) -> pd.DataFrame:
    """Age structure of the teaching workforce (the ageing rural workforce).

    ``teachers_count`` = teachers with a known age, ``mean_age_years`` their
    mean age (year − birth_year), ``value`` = share aged
    settings.OLDER_TEACHER_AGE_YEARS (50) or over, with Wilson interval.

    Returns:
        ``by`` columns, ``numerator`` (older teachers), ``denominator``,
        ``value``, ``ci_low``, ``ci_high``, ``teachers_count``, ``mean_age_years``;
        empty without a roster or birth years.
    """
    return _age_shares(roster(dataset), list(by))


def _age_shares(frame: pd.DataFrame | None, by: list[str]) -> pd.DataFrame:
    """:func:`age_table` on an already joined roster."""
    columns = [*by, "numerator", "denominator", "value", "ci_low", "ci_high", "teachers_count", "mean_age_years"]
    if frame is None or frame["age_years"].isna().all():
        return pd.DataFrame(columns=columns)
    aged = frame.loc[frame["age_years"].notna()]
    counts = aged[by].assign(
        numerator=(aged["age_years"] >= settings.OLDER_TEACHER_AGE_YEARS).astype("float64"),
        denominator=1.0,
        age_years=aged["age_years"],
    )
    grouped = counts.groupby(by, observed=True, sort=True).agg(
        numerator=("numerator", "sum"), denominator=("denominator", "sum"), mean_age_years=("age_years", "mean"))
    grouped = grouped.reset_index().merge(tally(frame, by, frame["age_years"].notna()), on=by, how="left",
                                          validate="1:1")
    out = with_rate(grouped, settings.CONFIDENCE)
    out["teachers_count"] = out["denominator"]
    return out[[*columns, *COVERAGE_COLUMNS]]


def subject_supply_table(
    dataset: Dataset,
    subjects: Sequence[str] | None = None,
    by: Sequence[str] = ("county_code", "year", "location"),
) -> pd.DataFrame:
    """Teachers of given subjects per 100 pupils (shortages of PE, music, fine arts).

    value = 100 × roster teachers of the subject ÷ pupils, over primary and
    secondary schools (settings.PRIMARY_SECONDARY_LEVELS). Pupils are those of
    the schools with at least one roster teacher that year, so a partial roster
    does not dilute the figure.

    Args:
        dataset: The dataset.
        subjects: Subject codes (default settings.SHORTAGE_SUBJECTS).
        by: Grouping among ``county_code, year, location, level``.

    Returns:
        ``by`` columns, ``subject``, ``numerator`` (teachers), ``denominator``
        (pupils), ``value``; empty without a roster or subjects.
    """
    by = list(by)
    subjects = list(settings.SHORTAGE_SUBJECTS if subjects is None else subjects)
    columns = [*by, "subject", "numerator", "denominator", "value"]
    frame = roster(dataset)
    if frame is None or "subject" not in frame:
        return pd.DataFrame(columns=columns)
    frame = frame.loc[frame["level"].isin(settings.PRIMARY_SECONDARY_LEVELS)]
    schools = frame.drop_duplicates(["school_id", "year"])
    pupils = schools.groupby(by, observed=True)["school_students"].sum(min_count=1).rename("denominator")
    chosen = frame.loc[frame["subject"].isin(subjects)]
    teachers = chosen.groupby([*by, "subject"], observed=True).size().rename("numerator")
    grid = pupils.reset_index().merge(pd.DataFrame({"subject": subjects}), how="cross")
    out = grid.merge(teachers.reset_index(), on=[*by, "subject"], how="left", validate="1:1")
    # A subject absent from a group's roster has no teacher there: a true zero, not a missing value.
    out["numerator"] = out["numerator"].fillna(0).astype("float64")
    out["denominator"] = out["denominator"].astype("float64")
    out["value"] = 100 * out["numerator"] / out["denominator"].where(out["denominator"] > 0)
    return out[columns]


def subject_table(supply: pd.DataFrame, key: str = "location") -> pd.DataFrame:
    """PE, music and fine-arts teachers per 100 pupils side by side, one row per ``key`` value.

    From :func:`subject_supply_table` rows of one year (roster teachers ÷
    pupils of the schools on the roster); ``combined_per100`` = 100 × Σ
    teachers of the three subjects ÷ pupils (the same pupils for every
    subject), the quantity the 优质均衡 standard of 0.9 per 100 pupils counts
    (教督〔2017〕6号).

    Args:
        supply: :func:`subject_supply_table` rows with ``key``, ``subject``,
            ``numerator``, ``denominator``, ``value``.
        key: The grouping column (one row per value).

    Returns:
        ``key, pupils, <subject>_teachers, <subject>_per100 …, combined_per100``
        for the subjects of ``settings.SHORTAGE_SUBJECTS``; empty for empty input.
    """
    subjects = settings.SHORTAGE_SUBJECTS
    columns = [key, "pupils", *(f"{s}_{part}" for s in subjects for part in ("teachers", "per100")),
               "combined_per100"]
    if supply.empty:
        return pd.DataFrame(columns=columns)
    wide = supply.pivot(index=key, columns="subject", values=["numerator", "value"])
    out = pd.DataFrame({key: wide.index})
    out["pupils"] = supply.groupby(key)["denominator"].first().reindex(wide.index).to_numpy()
    for subject in subjects:
        out[f"{subject}_teachers"] = wide[("numerator", subject)].to_numpy()
        out[f"{subject}_per100"] = wide[("value", subject)].to_numpy()
    out["combined_per100"] = out[[f"{s}_per100" for s in subjects]].sum(axis=1, min_count=1)
    return out[columns]


def older_share_gap(table: pd.DataFrame) -> dict[str, float] | None:
    """Rural minus urban share of teachers aged 50 or over, with Newcombe's interval.

    difference = x_rural ÷ n_rural − x_urban ÷ n_urban (fraction points);
    interval (``settings.CONFIDENCE``) by
    :func:`qyanalysis.measures.rates.newcombe_difference_interval` (Newcombe
    1998, method 10).

    Args:
        table: :func:`age_table` rows of one year with ``location``,
            ``numerator``, ``denominator``, ``value``, ``mean_age_years``.

    Returns:
        ``rural, urban, difference, low, high, rural_age, urban_age``, or None
        when either location is missing.
    """
    rows = table.set_index("location")
    if not {"rural", "urban"} <= set(rows.index):
        return None
    rural, urban = rows.loc["rural"], rows.loc["urban"]
    low, high = newcombe_difference_interval(rural["numerator"], rural["denominator"], urban["numerator"],
                                             urban["denominator"], settings.CONFIDENCE)
    return {"rural": float(rural["value"]), "urban": float(urban["value"]),
            "difference": float(rural["value"] - urban["value"]), "low": float(low), "high": float(high),
            "rural_age": float(rural["mean_age_years"]), "urban_age": float(urban["mean_age_years"])}


def measures(dataset: Dataset) -> pd.DataFrame:
    """Roster measures of every county and year (empty without a roster).

    Indicators: ``teacher_certificate_share``,
    ``kindergarten_teacher_certified_share``, ``teacher_rotation_rate``,
    ``backbone_share_of_rotated``, ``older_teacher_share``.
    """
    frame = roster(dataset)
    if frame is None:
        return empty_measure_frame()
    kindergarten = frame["level"].eq("kindergarten").fillna(False).astype("bool")
    tables = {
        "teacher_certificate_share": compulsory_certificate_share(frame, COUNTY_YEAR),
        "kindergarten_teacher_certified_share": flag_share(frame, "has_teaching_certificate", COUNTY_YEAR,
                                                           among=kindergarten),
        "teacher_rotation_rate": rotation_rate(frame, COUNTY_YEAR),
        "backbone_share_of_rotated": backbone_share_of_rotated(frame, COUNTY_YEAR),
        "older_teacher_share": _age_shares(frame, COUNTY_YEAR),
    }
    return concat_measure_frames([as_measure_frame(table, code) for code, table in tables.items()])
