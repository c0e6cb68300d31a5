"""Deep-dive views of the overview and equity/provision pages (sections 2 and the overview).

Thin: each view asks a ``qyanalysis.measures`` function for a tidy frame,
applies disclosure control where persons are counted, and shows a chart or a
table through ``qyanalysis.present``.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML, Markdown, display

from qyanalysis.contract.indicators import BALANCE_CV_LIMITS, BALANCE_INDICATORS
from qyanalysis.contract.plan import SECTIONS
from qyanalysis.present.charts import cv_chart, gap_chart
from qyanalysis.present.labels import t
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


def show_balance_cvs(page: Page) -> None:
    """The 14 差异系数 (7 indicators × primary/junior) against 0.50 / 0.45, with statuses."""
    heading(t("report.balance_cv", page.lang))
    codes = [f"balance_cv_{code}_{level}" for code in BALANCE_INDICATORS for level in BALANCE_CV_LIMITS]
    rows = page.scorecard[page.scorecard["indicator"].isin(codes)]
    rows = rows[rows["value"].notna()]
    if rows.empty:
        display(Markdown(t("report.no_data_table", page.lang)))
        return
    show_figure(cv_chart(rows[["indicator", "value", "status"]], page.lang))
    display(Markdown(t("report.balance_rule", page.lang)))


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
    display(Markdown(t("report.schools_short_count", page.lang, failing=len(failing), judged=len(judged),
                       unjudged=int(table["passes"].isna().sum()))))
    if failing.empty:
        return
    shown = failing.head(MAX_SCHOOLS_LISTED)
    columns = ["school_name", "level", "location", "indicators_met_count", *BALANCE_INDICATORS]
    units = {code: ("yuan_per_student" if code.startswith("equipment") else
                    "m2_per_student" if code.endswith("per_student") else "per100") for code in BALANCE_INDICATORS}
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
