"""Section 7 (safeguards, items 34–37): the key tasks of item 34 by county and progress.

Builders take a :class:`~qyanalysis.report.page.Page` and return labelled,
safe frames (:func:`qyanalysis.report.frames.labelled`); the tallies are
:func:`qyanalysis.measures.tasks.key_task_counts`. Tasks are not persons: no
disclosure control applies. The task progress of the section's items is
:func:`qyanalysis.report.tables.common.task_progress`.
"""

from __future__ import annotations

import pandas as pd

from qyanalysis.measures.tasks import key_task_counts
from qyanalysis.present.charts_quality import TASK_STATUS_ORDER
from qyanalysis.present.labels import t
from qyanalysis.present.numbers import format_value
from qyanalysis.report.frames import labelled
from qyanalysis.report.page import Page
from qyanalysis.report.tables.common import counties_cut_note, county_names, listed_counties, target_threshold

KEY_TASKS_TARGET = "t34_key_tasks_completed"
K = "report.staffing."


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
             target=format_value(target_threshold(page, KEY_TASKS_TARGET), "count", page.lang))
    cut = t(f"{K}counties_cut", page.lang, shown=len(listed_counties(page)),
            total=len(page.dataset.counties.codes)) if counties_cut_note(page) else ""
    headers = {"total": t(f"{K}column.key_tasks", page.lang), **{s: t(f"task_status.{s}", page.lang)
                                                                  for s in statuses}}
    return labelled(listed[["county_code", "county_name", "total", *statuses]], page.lang, title=title,
                    columns=("county_name", "total", *statuses), headers=headers,
                    units=dict.fromkeys(["total", *statuses], "count"),
                    note=" ".join(p for p in (cut, note) if p))
