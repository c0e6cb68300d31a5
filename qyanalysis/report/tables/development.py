"""Section 2 (high-quality development, items 5–11): the page's analyses as labelled frames.

Each builder takes a :class:`~qyanalysis.report.page.Page` and returns a
frame made safe and labelled by :func:`qyanalysis.report.frames.labelled`;
the numbers come from ``qyanalysis.measures`` and the scorecard, nothing is
computed here that belongs there. Views in ``qyanalysis.report.views.development``
draw these frames.
"""

from __future__ import annotations

import pandas as pd

from qyanalysis.contract.indicators import BALANCE_INDICATORS, BALANCE_LEVELS
from qyanalysis.present.labels import comparator_symbol, indicator_label, indicator_short_label, t
from qyanalysis.present.numbers import format_number, format_value
from qyanalysis.report.frames import labelled
from qyanalysis.report.page import Page
from qyanalysis.report.registry import builder

# The 14 差异系数 targets' indicators: ``balance_cv_<indicator>_<level>``.
CV_CODES = tuple(f"balance_cv_{code}_{level}" for code in BALANCE_INDICATORS for level in BALANCE_LEVELS)
# Resources compared across urban, town and rural schools (per student / per 100 pupils).
GAP_INDICATORS = ("qualified_teachers_per_100", "teaching_area_per_student", "equipment_value_per_student",
                  "multimedia_rooms_per_100")
# How many schools falling short are listed at most.
MAX_SCHOOLS_LISTED = 15


def cv_level(code: str) -> str:
    """The level ("primary" / "junior") of a ``balance_cv_*`` or ``basic_balance_cv_*`` code."""
    return code.rsplit("_", 1)[1]


def limits_text(rows: pd.DataFrame, level: str, lang: str) -> str:
    """The limits of one level's 差异系数 rows as the scorecard holds them: "0.5", or "0.3 / 0.5" when they differ.

    Args:
        rows: Scorecard rows with ``indicator, threshold`` (the registry's value after county overrides).
        level: "primary" or "junior".
        lang: "zh" or "en".
    """
    at_level = rows[rows["indicator"].map(lambda code: cv_level(str(code)) == level)]
    distinct = sorted(at_level["threshold"].dropna().astype(float).unique())
    return " / ".join(format_value(limit, "ratio", lang) for limit in distinct) or format_value(None, "ratio", lang)


def balance_rule_text(rows: pd.DataFrame, lang: str) -> str:
    """The sentence that says how the 差异系数 are judged, with the limits of ``rows`` (scorecard thresholds)."""
    return t("report.balance_rule", lang, **{level: limits_text(rows, level, lang) for level in BALANCE_LEVELS})


@builder
def balance_cvs(page: Page) -> pd.DataFrame:
    """The 14 差异系数 (7 indicators × primary/junior) of the page's county with their limits and statuses.

    The limits are the ``threshold`` of the page's scorecard rows (targets
    ``t08_balance_cv_<indicator>_<level>``, after the county's overrides),
    never a copy of the registry's; the sentence under the table names them.

    Returns:
        ``indicator, value, threshold, status`` (scorecard rows); empty when no
        差异系数 has a value.
    """
    card = page.scorecard
    rows = card.loc[card["indicator"].isin(CV_CODES), ["indicator", "value", "threshold", "status", "rule"]]
    if rows["value"].isna().all():
        rows = rows.iloc[0:0]
    return labelled(rows.reset_index(drop=True), page.lang, title=t("report.balance_cv", page.lang),
                    columns=("indicator", "value", "threshold", "status"),
                    units={"value": "ratio", "threshold": "ratio"},
                    note=balance_rule_text(rows, page.lang) if not rows.empty else "")


def missing_balance_columns(page: Page) -> list[str]:
    """Census columns the 优质均衡 school rule needs that the county's census of the year lacks.

    A column counts as lacking when no school of the county and year has a
    value (an absent optional column is loaded as all-missing). Named by the
    template's Chinese header (zh) or the English column name (en).
    """
    from qyanalysis.contract.columns import SCHOOLS
    from qyanalysis.measures.balance import BALANCE_SOURCES

    schools = page.schools
    needed = dict.fromkeys(column for column, _ in BALANCE_SOURCES.values())
    lacking = [c for c in needed if c not in schools.columns or schools[c].isna().all()]
    return [SCHOOLS.column(c).label_zh if page.lang == "zh" else c for c in lacking]


def school_standard_notes(lang: str) -> dict[str, str]:
    """Each 优质均衡 indicator's school standard as a header's second line: "标准 小学 ≥ 4.20、初中 ≥ 5.30".

    The standards the school rule judges by, per level
    (:func:`qyanalysis.measures.balance.balance_standards`); one figure where both levels share it.
    """
    from qyanalysis.measures.balance import balance_standards
    from qyanalysis.report.tables.balance_readiness import STANDARD_COMPARATOR

    standards = balance_standards(pd.Series(BALANCE_LEVELS))
    symbol = comparator_symbol(STANDARD_COMPARATOR)
    notes = {}
    for code, spec in BALANCE_INDICATORS.items():
        values = standards[code].tolist()
        texts = [f"{symbol} {format_value(values[0], spec.unit, lang)}"] if len(set(values)) == 1 else [
            f"{t(f'table.standard_level.{level}', lang)} {symbol} {format_value(value, spec.unit, lang)}"
            for level, value in zip(BALANCE_LEVELS, values, strict=True)]
        separator = t("narrative.list_separator", lang)
        notes[code] = t("table.standard_note", lang, standards=separator.join(texts))
    return notes


@builder
def schools_short_of_balance(page: Page) -> pd.DataFrame:
    """Schools that fail the 优质均衡 school rule (6 of 7 standards, the 7th at ≥ 85 %), weakest first.

    Schools are institutions, so their names are shown; the table holds no
    count of persons. At most :data:`MAX_SCHOOLS_LISTED` rows; the note says
    how many failed, were judged and could not be judged (missing inputs).
    Each indicator's header gives its standard (:func:`school_standard_notes`)
    and a value below it is marked failing, as the rule judges it
    (``<code>_meets`` of :func:`qyanalysis.measures.equity.school_balance_table`).

    Returns:
        ``school_name, level, location, indicators_met_count`` and the seven
        indicators' values (county pages only; empty for the city).
    """
    from qyanalysis.measures.equity import school_balance_table

    columns = ["school_name", "level", "location", "indicators_met_count", *BALANCE_INDICATORS]
    units = {code: spec.unit for code, spec in BALANCE_INDICATORS.items()}  # the catalogue's unit of each
    headers = {code: indicator_short_label(code, page.lang) for code in BALANCE_INDICATORS}
    headers.update({"school_name": t("report.school_name", page.lang),
                    "indicators_met_count": t("report.indicators_met", page.lang)})
    title = t("report.schools_short", page.lang)
    if page.is_city:
        return labelled(pd.DataFrame(columns=columns), page.lang, title=title, headers=headers,
                        empty_text=t("report.county_only", page.lang))
    table = school_balance_table(page.dataset, page.county_code, page.year)
    judged = table[table["passes"].notna()]
    missing = missing_balance_columns(page)
    if judged.empty and missing:
        return labelled(pd.DataFrame(columns=columns), page.lang, title=title, headers=headers, empty_text=t(
            "report.schools_short_not_in_data", page.lang, unjudged=len(table),
            columns=t("narrative.list_separator", page.lang).join(missing)))
    failing = judged[judged["passes"] == False]  # noqa: E712 - nullable boolean column
    note = t("report.schools_short_count", page.lang, failing=format_number(len(failing), "count"),
             judged=format_number(len(judged), "count"),
             unjudged=format_number(int(table["passes"].isna().sum()), "count"))
    listed = failing.head(MAX_SCHOOLS_LISTED).reset_index(drop=True)
    return labelled(listed[columns], page.lang, title=title, headers=headers,
                    units={**units, "indicators_met_count": "count"}, note=note, empty_text=note,
                    failing={code: listed[f"{code}_meets"].eq(False) for code in BALANCE_INDICATORS},
                    header_notes=school_standard_notes(page.lang),
                    header_titles={code: indicator_label(code, page.lang) for code in BALANCE_INDICATORS})


@builder
def location_gaps(page: Page) -> pd.DataFrame:
    """Urban, town and rural schools of the county (all counties pooled for the city): resources per student.

    Returns:
        ``indicator, location, value, students_count, unit`` (pooled Σ resource ÷ Σ students;
        the unit of each indicator from the catalogue).
    """
    from qyanalysis.measures.equity import location_gaps as gaps_of, pool_locations

    gaps = gaps_of(page.dataset, page.year, list(GAP_INDICATORS))
    if page.is_city:
        gaps = pool_locations(gaps)
    else:
        gaps = gaps[gaps["county_code"] == page.county_code]
    rows = gaps[["indicator", "location", "value", "students_count"]].reset_index(drop=True)
    rows["unit"] = rows["indicator"].map(lambda code: BALANCE_INDICATORS[code].unit).astype("str")
    return labelled(rows, page.lang, title=t("report.location_gaps", page.lang),
                    columns=("indicator", "location", "value", "students_count"),
                    headers={"students_count": t("report.students_count", page.lang)},
                    units={"students_count": "count"})


@builder
def preschool_enrollment(page: Page) -> pd.DataFrame:
    """Kindergartens and kindergarten children by ownership (public, inclusive private, private).

    Returns:
        ``ownership, schools_count, students_count``; children counts of 1–4
        (and their complements) hidden.
    """
    from qyanalysis.measures.provision import enrollment_by_ownership

    rows = enrollment_by_ownership(page.dataset, page.year, "kindergarten",
                                  None if page.is_city else page.county_code)
    return labelled(rows, page.lang, title=t("report.preschool_enrollment", page.lang),
                    headers={"ownership": t("report.ownership", page.lang),
                             "schools_count": t("report.schools_count", page.lang),
                             "students_count": t("report.students_count", page.lang)},
                    units={"schools_count": "count"}, counts=("students_count",),
                    links={"schools_count": []})  # schools are not persons: never hidden with the children
