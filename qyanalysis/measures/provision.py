"""Provision: places, access and funding (plan items 6, 7, 8, 10, 34, 35).

``measures(dataset)`` returns the measure frame (docs/design.md) of every
county and year:

* ``preschool_public_share``, ``preschool_inclusive_share`` — the "5080" pair
  (中发〔2018〕39号), from the school census;
* ``purchased_seats_change`` — item 7, from ``indicators``;
* ``migrant_public_share`` — item 8, from the school census;
* ``disabled_enrollment_rate`` — item 10, from ``indicators``;
* ``resource_room_coverage`` — item 10, from the school census;
* ``new_public_seats_*`` — item 6, the ``indicators`` rows passed through with
  their monthly periods (the attainment layer forecasts them);
* ``per_student_funding_ratio`` — item 35, from ``indicators``;
* ``key_tasks_completed`` — item 34, from the ``tasks`` table.

Shares are pooled from counts with ``rates.pooled_rate`` (Σ numerator ÷
Σ denominator over the schools that report both, Wilson interval). A measure
whose inputs are absent is absent; a rule that does not apply gives a NaN row
whose note starts with ``not_applicable``. The context tables for the
notebooks are :func:`enrollment_table` and :func:`seat_table`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qyanalysis import settings
from qyanalysis.contract.columns import COMPULSORY_LEVELS
from qyanalysis.dataset import Dataset
from qyanalysis.measures.coverage import tally, whole
from qyanalysis.measures.rates import as_measure_frame, concat_measure_frames, pooled_rate, with_rate

KEYS = ["county_code", "year"]
PERIOD_KEYS = ["county_code", "year", "period"]
PRESCHOOL_LEVEL = "kindergarten"
SPECIAL_LEVEL = "special"
INCLUSIVE_OWNERSHIP = "private_inclusive"  # 普惠性民办, counted with 公办 in the "80" share
PRIVATE_OWNERSHIPS = ("private_inclusive", "private")  # 民办: 普惠性民办 and other
# Census levels whose every pupil is in compulsory education (combined schools with a senior or preschool
# part, complete_secondary and twelve_year, are left out of pupil sums that must count compulsory pupils only).
WHOLLY_COMPULSORY_LEVELS = ("primary", "junior", "nine_year")
RESOURCE_ROOM_MIN_DISABLED_COUNT = 5  # "招收5人以上残疾儿童少年" — 以上 is inclusive: 5 counts
SEAT_INDICATORS = ("new_public_seats_preschool", "new_public_seats_compulsory", "new_public_seats_senior")
NO_RESOURCE_ROOM_SCHOOL_NOTE = "not_applicable: no school with 5+ disabled pupils"


def _share_rows(rows: pd.DataFrame, mask: pd.Series, count_col: str, empty_note: str) -> pd.DataFrame:
    """Pooled share of ``count_col`` in the ``mask`` rows among all rows, by county × year.

    The numerator column is ``count_col`` where ``mask`` else 0 (a school outside
    the numerator contributes no persons to it — a structural zero, not a
    missing value); ``pooled_rate`` then keeps only schools reporting the count.
    A group whose denominator is 0 gets NaN and ``empty_note``.
    """
    frame = rows[KEYS].copy()
    frame["part"] = rows[count_col].where(mask, 0.0).where(rows[count_col].notna())
    frame["whole"] = rows[count_col]
    out = pooled_rate(frame, "part", "whole", KEYS, confidence=settings.CONFIDENCE)
    out["note"] = np.where(out["denominator"] == 0, empty_note, "")
    return out


def preschool_shares(schools: pd.DataFrame) -> pd.DataFrame:
    """The "5080" kindergarten shares per county × year.

    Formulas (docs/methods.md; 中发〔2018〕39号 sets >= 50 % and >= 80 %)::

        preschool_public_share    = Σ students(public kindergartens) ÷ Σ students(all kindergartens)
        preschool_inclusive_share = Σ students(public + private_inclusive) ÷ Σ students(all kindergartens)

    Only schools of level ``kindergarten`` count: the census has no separate
    enrollment for kindergarten classes attached to primary schools. Units:
    fractions 0–1 of children, Wilson interval at ``settings.CONFIDENCE``
    (95 %). Public = ``settings.PUBLIC_OWNERSHIPS``.

    Args:
        schools: The school census (``Dataset.schools``).

    Returns:
        Measure frame rows of both indicators.
    """
    kindergartens = schools[schools["level"] == PRESCHOOL_LEVEL]
    note = "not_applicable: no kindergarten children"
    ownership = kindergartens["ownership"]
    public = _share_rows(kindergartens, ownership.isin(settings.PUBLIC_OWNERSHIPS), "students", note)
    inclusive = _share_rows(kindergartens, ownership.isin([*settings.PUBLIC_OWNERSHIPS, INCLUSIVE_OWNERSHIP]),
                            "students", note)
    return concat_measure_frames([as_measure_frame(public, "preschool_public_share"),
                                  as_measure_frame(inclusive, "preschool_inclusive_share")])


def migrant_public_share(schools: pd.DataFrame) -> pd.DataFrame:
    """Share of migrant children (随迁子女) in compulsory education who attend public schools.

    Formula (plan item 8, ">= 85 %"; 优质均衡, 教督〔2017〕6号)::

        migrant_public_share = Σ migrant_students(public compulsory schools)
                               ÷ Σ migrant_students(all compulsory schools)

    Compulsory schools are the levels of ``COMPULSORY_LEVELS``. The census
    reports migrant pupils per school, so a complete-secondary or twelve-year
    school's senior migrant pupils are included. Government-purchased places
    in private schools (which the national rule also counts) are not in the
    census: a county that has them supplies the figure in ``indicators``.

    Args:
        schools: The school census; needs the optional ``migrant_students``.

    Returns:
        Measure frame rows (empty when the column is absent); a county with no
        migrant pupils gets a ``not_applicable`` row.
    """
    if "migrant_students" not in schools:
        return as_measure_frame(schools.iloc[:0].assign(value=np.nan), "migrant_public_share")
    compulsory = schools[schools["level"].isin(COMPULSORY_LEVELS)]
    is_public = compulsory["ownership"].isin(settings.PUBLIC_OWNERSHIPS)
    rows = _share_rows(compulsory, is_public, "migrant_students",
                       "not_applicable: no migrant students")
    return as_measure_frame(rows, "migrant_public_share")


def resource_room_coverage(schools: pd.DataFrame) -> pd.DataFrame:
    """Share of ordinary schools with >= 5 disabled pupils that have a resource room.

    Formula (plan item 10, "督促各地完成招收5人以上残疾儿童少年普通学校资源教室建设";
    以上 is inclusive, so exactly 5 pupils counts)::

        resource_room_coverage = #{ordinary schools, disabled_students >= 5, has_resource_room}
                                 ÷ #{ordinary schools, disabled_students >= 5, status known}

    Ordinary = every level except ``special``. A school whose
    ``has_resource_room`` is missing is left out of both counts (it is not a
    "no") and the row's coverage says how many schools are incomplete (an ordinary
    school is complete when its disabled pupils are known and, with 5 or more, its room status). A county-year with no
    eligible school gets NaN and ``not_applicable: no school with 5+ disabled
    pupils`` — but only when every ordinary school reported its disabled
    pupils; otherwise the measure is absent (the count is unknown).

    Args:
        schools: The school census; needs ``disabled_students`` (and
            ``has_resource_room`` for a value).

    Returns:
        Measure frame rows with numerator/denominator in schools and no
        interval (a share of institutions, not of persons: the catalogue's
        ``interval`` flag).
    """
    if "disabled_students" not in schools:
        return as_measure_frame(schools.iloc[:0].assign(value=np.nan), "resource_room_coverage")
    ordinary = schools[schools["level"] != SPECIAL_LEVEL]
    disabled = ordinary["disabled_students"]
    eligible = (disabled >= RESOURCE_ROOM_MIN_DISABLED_COUNT).to_numpy()
    status = (ordinary["has_resource_room"].astype("boolean") if "has_resource_room" in ordinary
              else pd.Series(pd.NA, index=ordinary.index, dtype="boolean"))
    known = status.notna().to_numpy()
    counts = ordinary[KEYS].assign(
        eligible=eligible,
        numerator=eligible & known & status.fillna(False).to_numpy(),
        denominator=eligible & known,
        unknown_status=eligible & ~known,
        unknown_disabled=disabled.isna().to_numpy(),
    ).groupby(KEYS, sort=True).sum().reset_index()
    counts["value"] = counts["numerator"] / counts["denominator"].where(counts["denominator"] > 0)
    none_eligible = (counts["eligible"] == 0) & (counts["unknown_disabled"] == 0)
    counts["note"] = np.where(none_eligible, NO_RESOURCE_ROOM_SCHOOL_NOTE, "")
    judged = disabled.notna().to_numpy() & (~eligible | known)
    counts = counts.merge(tally(ordinary, KEYS, pd.Series(judged, index=ordinary.index)), on=KEYS, validate="1:1")
    return as_measure_frame(counts, "resource_room_coverage")


def _indicator_wide(indicators: pd.DataFrame, codes: tuple[str, ...],
                    annual_only: bool = False) -> pd.DataFrame:
    """Indicator rows of ``codes`` as one column per code, keyed by county × year × period."""
    rows = indicators[indicators["indicator"].isin(codes)]
    if annual_only:
        rows = rows[rows["period"] == ""]
    # unstack raises on a duplicated key: the indicators table's key is unique after validation.
    wide = rows.set_index([*PERIOD_KEYS, "indicator"])["value"].unstack("indicator")
    wide = wide.reindex(columns=list(codes)).reset_index()
    wide.columns.name = None
    return wide


def purchased_seats_change(indicators: pd.DataFrame) -> pd.DataFrame:
    """Relative change of government-purchased preschool seats against the previous year.

    Formula (plan item 7, "购买学位总数比上一年度减少5%以上", target <= −0.05)::

        purchased_seats_change = (purchased_seats_y − purchased_seats_{y−1}) ÷ purchased_seats_{y−1}

    Annual ``purchased_seats`` rows only (period ""). ``numerator`` holds the
    difference in seats and ``denominator`` the previous year's seats, so the
    city change is Σ differences ÷ Σ previous seats. No interval (not a
    proportion). Previous year 0 and this year 0: ``not_applicable``; previous
    year 0 and this year > 0: no relative change exists, the row is absent.

    Args:
        indicators: ``Dataset.indicators``.

    Returns:
        Measure frame rows of ``purchased_seats_change`` (unit: change).
    """
    seats = _indicator_wide(indicators, ("purchased_seats",), annual_only=True)
    previous = seats.assign(year=seats["year"] + 1).rename(columns={"purchased_seats": "previous_seats"})
    both = seats.merge(previous, on=PERIOD_KEYS, how="inner", validate="1:1")
    both["numerator"] = both["purchased_seats"] - both["previous_seats"]
    both["denominator"] = both["previous_seats"]
    both["value"] = both["numerator"] / both["denominator"].where(both["denominator"] > 0)
    both["note"] = np.where((both["denominator"] == 0) & (both["purchased_seats"] == 0),
                            "not_applicable: no purchased seats in either year", "")
    return as_measure_frame(whole(both), "purchased_seats_change")


def disabled_enrollment_rate(indicators: pd.DataFrame) -> pd.DataFrame:
    """Compulsory-education enrollment rate of school-age disabled children.

    Formula (plan item 10, ">= 95 %"; 优质均衡, 教督〔2017〕6号)::

        disabled_enrollment_rate = disabled_children_enrolled ÷ disabled_children_school_age

    Both counts come from ``indicators`` (same county, year and period). A
    numerator above the denominator is kept as reported (children enrolled
    from outside the county) with no interval and the note
    ``numerator_exceeds_denominator``; a denominator of 0 is ``not_applicable``.

    Args:
        indicators: ``Dataset.indicators``.

    Returns:
        Measure frame rows, Wilson interval at ``settings.CONFIDENCE`` (95 %).
    """
    wide = _indicator_wide(indicators, ("disabled_children_enrolled", "disabled_children_school_age"))
    wide = wide.rename(columns={"disabled_children_enrolled": "numerator",
                                "disabled_children_school_age": "denominator"})
    wide = with_rate(wide, settings.CONFIDENCE)
    above = np.where(wide["numerator"] > wide["denominator"], "numerator_exceeds_denominator", "")
    nobody = "not_applicable: no school-age disabled children"
    wide["note"] = np.where(wide["denominator"] == 0, nobody, above)
    return as_measure_frame(whole(wide), "disabled_enrollment_rate")


def per_student_funding_ratio(indicators: pd.DataFrame, city_code: str | None = None) -> pd.DataFrame:
    """Actual per-student public funding relative to the provincial standard.

    Formula (plan item 35, "落实中小学生均公用经费省定标准", target >= 1.0)::

        per_student_funding_ratio = per_student_funding_yuan ÷ per_student_funding_standard_yuan

    Both amounts (元 per student per year) are inputs: Guangdong's standard is
    not confirmed by a public document, so it is never hard-coded. A county
    without its own standard row uses the city row (``city_code``) of the same
    year and period — the provincial standard is the same for every county.

    Args:
        indicators: ``Dataset.indicators``.
        city_code: The city's code in the registry, or None.

    Returns:
        Measure frame rows (unit: ratio; no numerator/denominator, no interval).
    """
    codes = ("per_student_funding_yuan", "per_student_funding_standard_yuan")
    wide = _indicator_wide(indicators, codes)
    if city_code is not None:
        city = wide.loc[wide["county_code"] == city_code, ["year", "period", codes[1]]].dropna()
        wide = wide.merge(city.rename(columns={codes[1]: "city_standard"}), on=["year", "period"],
                          how="left", validate="m:1")
        wide[codes[1]] = wide[codes[1]].fillna(wide["city_standard"])
    standard = wide[codes[1]]
    wide["value"] = wide[codes[0]] / standard.where(standard > 0)
    return as_measure_frame(whole(wide), "per_student_funding_ratio")


def key_tasks_completed(tasks: pd.DataFrame | None, city_code: str | None = None) -> pd.DataFrame:
    """Number of the year's key tasks (重点工作) completed, per county and for the city.

    Formula (plan item 34, "推进2022年60项教育重点工作落地落实")::

        key_tasks_completed = #{tasks: is_key_task and status == "completed"}

    Every county (and year) present in ``tasks`` gets a row, 0 when none of
    its key tasks is completed; a task whose ``is_key_task`` is missing is not
    counted as key. The city row (``city_code``) is the sum over every task of
    the table, including tasks filed under the city code itself.

    Args:
        tasks: ``Dataset.tasks`` (None when not supplied → no rows).
        city_code: The city's code in the registry, or None (no city row).

    Returns:
        Measure frame rows (unit: count).
    """
    needed = {"county_code", "year", "is_key_task", "status"}
    if tasks is None or not needed <= set(tasks.columns):
        empty = pd.DataFrame({"county_code": [], "year": [], "value": []})
        return as_measure_frame(empty, "key_tasks_completed")
    done = tasks["is_key_task"].astype("boolean").fillna(False) & (tasks["status"] == "completed")
    frame = tasks[KEYS].assign(value=done.astype("float64").to_numpy())
    by_county = frame.groupby(KEYS, sort=True)["value"].sum().reset_index()
    parts = [by_county]
    if city_code is not None:
        city = frame.groupby("year", sort=True)["value"].sum().reset_index().assign(
            county_code=city_code, note="city_sum")
        parts = [by_county[by_county["county_code"] != city_code], city]
    return as_measure_frame(whole(pd.concat(parts, ignore_index=True)), "key_tasks_completed")


def new_public_seats(indicators: pd.DataFrame) -> pd.DataFrame:
    """New public seats (plan item 6), passed through from ``indicators``.

    Values are cumulative within the year; monthly (``YYYY-MM``) and
    quarterly periods are kept so that the attainment layer can forecast the
    year-end figure. Targets: preschool >= 2000 (excluding purchased seats),
    compulsory >= 20500, senior >= 2000.

    Args:
        indicators: ``Dataset.indicators``.

    Returns:
        Measure frame rows of the three ``new_public_seats_*`` codes.
    """
    rows = indicators[indicators["indicator"].isin(SEAT_INDICATORS)]
    frames = [as_measure_frame(whole(group), code) for code, group in rows.groupby("indicator", sort=True)]
    return concat_measure_frames(frames)


def measures(dataset: Dataset) -> pd.DataFrame:
    """Every provision measure of every county and year (the measure frame).

    Args:
        dataset: The validated dataset.

    Returns:
        Measure frame sorted by county_code, year, period, indicator.
    """
    city_code = dataset.counties.city_code
    schools, indicators = dataset.schools, dataset.indicators
    return concat_measure_frames([
        preschool_shares(schools),
        migrant_public_share(schools),
        resource_room_coverage(schools),
        purchased_seats_change(indicators),
        disabled_enrollment_rate(indicators),
        new_public_seats(indicators),
        per_student_funding_ratio(indicators, city_code),
        key_tasks_completed(dataset.tasks, city_code),
    ])


def enrollment_table(dataset: Dataset) -> pd.DataFrame:
    """Enrollment context: schools and students by level × ownership × location per county-year.

    Args:
        dataset: The validated dataset.

    Returns:
        Columns ``county_code, year, level, ownership, location,
        schools_count, students_count``; a missing ``location`` stays missing
        (its own group). ``students_count`` is NaN when any school of the
        group lacks its enrollment (never a partial sum).
    """
    schools = dataset.schools
    keys = [*KEYS, "level", "ownership", "location"]
    frame = schools[[c for c in keys if c in schools] + ["students"]]
    if "location" not in frame:
        frame = frame.assign(location=pd.Series(pd.NA, index=frame.index, dtype="str"))
    frame = frame.assign(incomplete=frame["students"].isna())
    out = frame.groupby(keys, sort=True, dropna=False, observed=True).agg(
        schools_count=("students", "size"), students_count=("students", "sum"),
        incomplete=("incomplete", "any")).reset_index()
    out["schools_count"] = out["schools_count"].astype("float64")
    out["students_count"] = out["students_count"].where(~out["incomplete"])
    return out.drop(columns="incomplete")


def seat_table(dataset: Dataset) -> pd.DataFrame:
    """Seat context: new public seats (by period) and purchased seats per county-year.

    Args:
        dataset: The validated dataset.

    Returns:
        Columns ``county_code, year, period`` and one column per code of
        ``SEAT_INDICATORS`` plus ``purchased_seats`` (NaN where not supplied).
    """
    return _indicator_wide(dataset.indicators, (*SEAT_INDICATORS, "purchased_seats"))


def enrollment_by_ownership(dataset: Dataset, year: int, level: str, county_code: str | None = None
                           ) -> pd.DataFrame:
    """Schools and pupils of one level by ownership (public, inclusive private, private) in a year.

    Sums :func:`enrollment_table` over locations (and counties, for the city:
    ``county_code`` None). A group whose enrollment is missing in any of its
    parts has a missing ``students_count`` — never a partial sum.

    Returns:
        ``ownership, schools_count, students_count``, one row per ownership present.
    """
    table = enrollment_table(dataset)
    rows = table[(table["year"] == year) & (table["level"] == level)]
    if county_code is not None:
        rows = rows[rows["county_code"] == county_code]
    grouped = rows.groupby("ownership", sort=True, observed=True)
    out = grouped.agg(schools_count=("schools_count", "sum"),
                      students_count=("students_count", lambda s: s.sum(min_count=len(s)))).reset_index()
    return out[["ownership", "schools_count", "students_count"]]


def private_share_table(enrollment: pd.DataFrame, by) -> pd.DataFrame:
    """Pupils and schools in private schools (普惠性民办 and other 民办) and their share of all pupils.

    private_share = Σ pupils of private schools ÷ Σ pupils of all schools, per
    group (a composition of the census, so no sampling interval; the context
    of plan item 31, 民办教育). A group with any school lacking its enrollment
    has no pupil total and no share (the enrollment table's ``students_count``
    is NaN then) — never a partial sum.

    Args:
        enrollment: :func:`enrollment_table` rows.
        by: Grouping, e.g. ``["year", "level"]``.

    Returns:
        ``by`` columns, ``schools``, ``private_schools``, ``pupils``,
        ``private_pupils``, ``private_share``.
    """
    by = list(by)
    is_private = enrollment["ownership"].isin(PRIVATE_OWNERSHIPS)
    frame = enrollment[by].assign(
        schools=enrollment["schools_count"], private_schools=enrollment["schools_count"].where(is_private, 0.0),
        pupils=enrollment["students_count"], private_pupils=enrollment["students_count"].where(is_private, 0.0),
        incomplete=enrollment["students_count"].isna())
    out = frame.groupby(by, sort=True, observed=True).agg(
        schools=("schools", "sum"), private_schools=("private_schools", "sum"), pupils=("pupils", "sum"),
        private_pupils=("private_pupils", "sum"), incomplete=("incomplete", "any")).reset_index()
    for column in ("pupils", "private_pupils"):
        out[column] = out[column].where(~out["incomplete"])
    out = out.drop(columns="incomplete")
    out["private_share"] = out["private_pupils"] / out["pupils"].where(out["pupils"] > 0)
    return out


def funding_against_standard(funding: pd.DataFrame) -> pd.DataFrame:
    """Per-student public funding against the standard in force (plan item 35, 生均公用经费).

    ``standard_yuan`` is the county's own standard
    (``per_student_funding_standard_yuan``), else the one its ratio was
    measured against (a county without its own is measured against the
    city's, :func:`per_student_funding_ratio`): actual ÷ ratio. ``gap_yuan`` =
    actual − standard (元 per student; negative: short of it).

    Args:
        funding: Rows with ``per_student_funding_yuan``,
            ``per_student_funding_standard_yuan``, ``per_student_funding_ratio``.

    Returns:
        A copy with ``standard_yuan`` and ``gap_yuan`` (missing when an input is).
    """
    implied = funding["per_student_funding_yuan"] / funding["per_student_funding_ratio"]
    standard = funding["per_student_funding_standard_yuan"].fillna(implied)
    return funding.assign(standard_yuan=standard, gap_yuan=funding["per_student_funding_yuan"] - standard)


def against_floor(values: pd.Series, floor: float) -> pd.DataFrame:
    """Amounts against a floor (以上 / 不低于: value >= floor meets it), e.g. special-education funding
    per student against 6,000 元 (plan item 35; 教督〔2017〕6号).

    Args:
        values: Amounts (NaN = not reported).
        floor: The floor in force (the target's threshold after overrides).

    Returns:
        ``gap_yuan`` (value − floor) and ``meets`` (nullable boolean; NA for a
        missing value), aligned with ``values``.
    """
    meets = (values >= floor).astype("boolean").mask(values.isna())
    return pd.DataFrame({"gap_yuan": values - floor, "meets": meets}, index=values.index)
