"""Section 7 (safeguards, items 34–37): per-student public funding and special-education funding (item 35).

Reported inputs from the measure frame of the page (a county over the years,
or every listed county of the year on the city page); the gaps to the
standard and to the floor come from ``qyanalysis.measures.provision``; the
floor is the target's threshold in force. The key tasks of item 34 by county and progress
come from :func:`qyanalysis.measures.tasks.key_task_counts` (tasks are not
persons: no disclosure control applies); the task progress of the section's
items is :func:`qyanalysis.report.tables.common.task_progress`.
"""

from __future__ import annotations

import pandas as pd

from qyanalysis.measures.provision import against_floor, funding_against_standard
from qyanalysis.measures.tasks import key_task_counts
from qyanalysis.present.charts_quality import TASK_STATUS_ORDER
from qyanalysis.present.labels import t
from qyanalysis.present.numbers import format_value
from qyanalysis.report.frames import labelled
from qyanalysis.report.page import Page
from qyanalysis.report.tables.common import (
    counties_cut_note,
    county_names,
    listed_counties,
    ranked_counties,
    target_threshold,
    target_threshold_digits,
    unit_header,
    _unit_rows,
)
from qyanalysis.report.registry import builder

K = "report.staffing."
SPECIAL_TARGET = "t35_special_education_funding_per_student_yuan"


def _notes(*texts: str) -> str:
    return " ".join(text for text in texts if text)


@builder
def funding(page: Page) -> pd.DataFrame:
    """Item 35: per-student public funding against the provincial standard — amounts, gap and ratio.

    Returns:
        ``unit_name`` (year or county), ``per_student_funding_yuan,
        standard_yuan, gap_yuan, per_student_funding_ratio``; empty without any value.
    """
    codes = ("per_student_funding_yuan", "per_student_funding_standard_yuan", "per_student_funding_ratio")
    table = funding_against_standard(_unit_rows(page, codes))
    if table[list(codes)].isna().all().all():
        table = table.iloc[0:0]
    return labelled(table, page.lang, title=t(f"{K}funding", page.lang),
                    columns=("unit_name", "per_student_funding_yuan", "standard_yuan", "gap_yuan",
                             "per_student_funding_ratio"),
                    headers={"unit_name": unit_header(page),
                             "per_student_funding_yuan": t(f"indicator.{codes[0]}", page.lang),
                             "standard_yuan": t(f"indicator.{codes[1]}", page.lang),
                             "gap_yuan": t(f"{K}column.funding_gap", page.lang),
                             "per_student_funding_ratio": t(f"indicator.{codes[2]}", page.lang)},
                    units={"unit_name": "text", "per_student_funding_yuan": "yuan", "standard_yuan": "yuan",
                           "gap_yuan": "yuan", "per_student_funding_ratio": "ratio"},
                    note=_notes(counties_cut_note(page), t(f"{K}funding_note", page.lang)))


@builder
def funding_league(page: Page) -> pd.DataFrame:
    """City page: counties ranked on the funding ratio against the standard (1.0); empty on a county page."""
    return ranked_counties(page, "per_student_funding_ratio", "t35_per_student_funding_ratio")


@builder
def special_education_funding(page: Page) -> pd.DataFrame:
    """Item 35: special-education funding per student against the floor (6,000 元, 教督〔2017〕6号).

    Returns:
        ``unit_name``, the amount, ``gap_yuan`` (amount − floor), ``meets``
        and ``verdict`` (its words).
    """
    code = "special_education_funding_per_student_yuan"
    floor = target_threshold(page, SPECIAL_TARGET)
    rows = _unit_rows(page, (code,))
    table = pd.concat([rows, against_floor(rows[code], floor)], axis=1)
    if table[code].isna().all():
        table = table.iloc[0:0]
    table["verdict"] = pd.Series([t("value.missing", page.lang) if pd.isna(v) else
                                  t(f"status.{'met' if v else 'not_met'}", page.lang) for v in table["meets"]],
                                 index=table.index, dtype="object")
    return labelled(table, page.lang, title=t(f"{K}special", page.lang),
                    columns=("unit_name", code, "gap_yuan", "verdict"),
                    headers={"unit_name": unit_header(page), code: t(f"indicator.{code}", page.lang),
                             "gap_yuan": t(f"{K}column.special_gap", page.lang,
                                           floor=format_value(floor, "yuan", page.lang)),
                             "verdict": t("column.status", page.lang)},
                    units={"unit_name": "text", code: "yuan", "gap_yuan": "yuan", "verdict": "text"},
                    note=counties_cut_note(page))


KEY_TASKS_TARGET = "t34_key_tasks_completed"


@builder
def key_tasks(page: Page) -> pd.DataFrame:
    """Item 34: the year's key tasks (重点工作) of the listed counties by progress status.

    The county's own row (county page), or every listed county's and the
    city's own (city page). The note gives the city's completed count over
    every county against the target (the scorecard's threshold of
    ``t34_key_tasks_completed``), and says when a large region's table is cut.

    Returns:
        ``county_code, county_name, total`` and one count column per status;
        empty (with its own line) without a tasks table.
    """
    statuses = list(TASK_STATUS_ORDER)
    counts = key_task_counts(page.dataset.tasks, page.year)
    title = t(f"{K}key_tasks", page.lang)
    if counts.empty:
        return labelled(counts.assign(county_name=pd.Series(dtype="str")), page.lang, title=title,
                        empty_text=t(f"{K}no_key_tasks", page.lang))
    units = [*listed_counties(page), *([page.dataset.counties.city_code] if page.is_city else [])]
    listed = counts[counts["county_code"].isin(units)].reset_index(drop=True)
    listed = listed.assign(county_name=county_names(page, listed["county_code"]))
    done, total = counts["completed"].sum(), counts["total"].sum()
    note = t(f"{K}key_tasks_total", page.lang, done=format_value(done, "count", page.lang),
             total=format_value(total, "count", page.lang),
             target=target_threshold_digits(page, KEY_TASKS_TARGET))
    cut = counties_cut_note(page)
    headers = {"total": t(f"{K}column.key_tasks", page.lang), **{s: t(f"task_status.{s}", page.lang)
                                                                  for s in statuses}}
    return labelled(listed[["county_code", "county_name", "total", *statuses]], page.lang, title=title,
                    columns=("county_name", "total", *statuses), headers=headers,
                    units=dict.fromkeys(["total", *statuses], "count"),
                    note=" ".join(p for p in (cut, note) if p))
