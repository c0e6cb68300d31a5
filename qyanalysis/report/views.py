"""Deep-dive views of the overview and equity/provision pages (sections 2 and the overview).

Thin: each view asks a ``qyanalysis.measures`` function for a tidy frame,
applies disclosure control where persons are counted, and shows a chart or a
table through ``qyanalysis.present``.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML, Markdown, display

from qyanalysis.contract.indicators import BALANCE_INDICATORS, BALANCE_LEVELS
from qyanalysis.contract.plan import SECTIONS
from qyanalysis.present.charts import cv_chart, gap_chart
from qyanalysis.present.labels import t
from qyanalysis.present.numbers import format_number, format_value
from qyanalysis.present.tables import html_table
from qyanalysis.report.page import Page
from qyanalysis.report.safe_tables import heading
from qyanalysis.report.show import show_figure, show_table

# Resources compared across urban, town and rural schools (per student / per 100 pupils).
GAP_INDICATORS = ("qualified_teachers_per_100", "teaching_area_per_student", "equipment_value_per_student",
                  "multimedia_rooms_per_100")
# How many schools falling short are listed at most.
MAX_SCHOOLS_LISTED = 15


def show_status_by_section(page: Page) -> None:
    """Counts of target statuses per plan section (the overview's at-a-glance table)."""
    heading(t("report.status_by_section", page.lang))
    card = page.scorecard
    rows = []
    for section in SECTIONS:
        counts = card.loc[card["section"] == section.number, "status"].value_counts()
        rows.append({"section": section.number,
                     **{status: int(counts.get(status, 0)) for status in
                        ("met", "not_met", "on_track", "at_risk", "no_data", "not_applicable")}})
    frame = pd.DataFrame(rows)
    statuses = ["met", "not_met", "on_track", "at_risk", "no_data", "not_applicable"]
    display(HTML(html_table(frame, page.lang, columns=["section", *statuses],
                            headers={s: t(f"status.{s}", page.lang) for s in statuses},
                            units=dict.fromkeys(statuses, "count"))))


# The 14 差异系数 targets' indicators: ``balance_cv_<indicator>_<level>``.
CV_CODES = tuple(f"balance_cv_{code}_{level}" for code in BALANCE_INDICATORS for level in BALANCE_LEVELS)


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


def show_balance_cvs(page: Page) -> None:
    """The 14 差异系数 (7 indicators × primary/junior), each against its scorecard threshold, with statuses.

    The limits are the ``threshold`` of the page's scorecard rows (targets
    ``t08_balance_cv_<indicator>_<level>``, after the county's overrides),
    handed to the chart as data and written in the sentence below it.
    """
    heading(t("report.balance_cv", page.lang))
    rows = page.scorecard[page.scorecard["indicator"].isin(CV_CODES)]
    if rows.empty or rows["value"].isna().all():
        display(Markdown(t("report.no_data_table", page.lang)))
        return
    show_figure(cv_chart(rows[["indicator", "value", "threshold", "status"]], page.lang))
    display(Markdown(balance_rule_text(rows, page.lang)))


def missing_balance_columns(page: Page) -> list[str]:
    """Census columns the 优质均衡 school rule needs that the county's census of the year lacks.

    A column counts as lacking when no school of the county and year has a
    value (an absent optional column is loaded as all-missing). Named by the
    template's Chinese header (zh) or the English column name (en).
    """
    from qyanalysis.contract.columns import SCHOOLS
    from qyanalysis.measures.balance import BALANCE_SOURCES

    schools = page.dataset.schools
    rows = schools[(schools["county_code"] == page.county_code) & (schools["year"] == page.year)]
    needed = dict.fromkeys(column for column, _ in BALANCE_SOURCES.values())
    lacking = [c for c in needed if c not in rows.columns or rows[c].isna().all()]
    return [SCHOOLS.column(c).label_zh if page.lang == "zh" else c for c in lacking]


def show_schools_short_of_balance(page: Page) -> None:
    """Schools that fail the 优质均衡 school rule (6 of 7 standards, the 7th at 85 %), weakest first."""
    from qyanalysis.measures.equity import school_balance_table

    heading(t("report.schools_short", page.lang))
    if page.is_city:
        display(Markdown(t("report.county_only", page.lang)))
        return
    table = school_balance_table(page.dataset, page.county_code, page.year)
    judged = table[table["passes"].notna()]
    missing = missing_balance_columns(page)
    if judged.empty and missing:
        display(Markdown(t("report.schools_short_not_in_data", page.lang, unjudged=len(table),
                           columns=t("narrative.list_separator", page.lang).join(missing))))
        return
    failing = judged[judged["passes"] == False]  # noqa: E712 - nullable boolean column
    display(Markdown(t("report.schools_short_count", page.lang, failing=format_number(len(failing), "count"),
                       judged=format_number(len(judged), "count"),
                       unjudged=format_number(int(table["passes"].isna().sum()), "count"))))
    if failing.empty:
        return
    shown = failing.head(MAX_SCHOOLS_LISTED)
    columns = ["school_name", "level", "location", "indicators_met_count", *BALANCE_INDICATORS]
    units = {code: spec[4] for code, spec in BALANCE_INDICATORS.items()}  # the catalogue's unit of each
    headers = {code: t(f"balance.{code}", page.lang) for code in BALANCE_INDICATORS}
    headers.update({"school_name": t("report.school_name", page.lang),
                    "indicators_met_count": t("report.indicators_met", page.lang)})
    show_table(page, shown, columns, headers=headers, units={**units, "indicators_met_count": "count"})


def show_location_gaps(page: Page) -> None:
    """Urban, town and rural schools of the county: pooled resources per student."""
    from qyanalysis.measures.equity import location_gaps

    heading(t("report.location_gaps", page.lang))
    gaps = location_gaps(page.dataset, page.year, list(GAP_INDICATORS))
    gaps = gaps[gaps["county_code"] == page.county_code] if not page.is_city else gaps
    if page.is_city:
        gaps = (gaps.groupby(["location", "indicator"], as_index=False)
                .apply(lambda g: pd.Series({"value": (g["value"] * g["students_count"]).sum()
                                            / g["students_count"].sum()}), include_groups=False))
    if gaps.empty:
        display(Markdown(t("report.no_data_table", page.lang)))
        return
    show_figure(gap_chart(gaps[["indicator", "location", "value"]], page.lang))


def show_preschool_enrolment(page: Page) -> None:
    """Kindergarten children by ownership (public, inclusive private, private), with small counts suppressed."""
    from qyanalysis.measures.provision import enrolment_table

    heading(t("report.preschool_enrolment", page.lang))
    table = enrolment_table(page.dataset)
    rows = table[(table["year"] == page.year) & (table["level"] == "kindergarten")]
    if not page.is_city:
        rows = rows[rows["county_code"] == page.county_code]
    rows = rows.groupby("ownership", as_index=False)[["schools_count", "students_count"]].sum(min_count=1)
    rows["ownership"] = rows["ownership"].map(lambda o: t(f"ownership.{o}", page.lang))
    show_table(page, rows, ["ownership", "schools_count", "students_count"], count_columns=("students_count",),
               headers={"ownership": t("report.ownership", page.lang),
                        "schools_count": t("report.schools_count", page.lang),
                        "students_count": t("report.students_count", page.lang)},
               units={"schools_count": "count"})
