"""Views of task progress: the tasks of a section's items (sections 1, 4, 6, 7) and the key tasks (item 34).

Thin, like :mod:`qyanalysis.report.views`: each view counts the task rows of
the page (the county's, or every county's on the city page) by progress
status and shows a sentence, a table and a chart. Tasks are not persons: the
counts need no disclosure control.

Public views: :func:`show_task_progress`, :func:`show_key_tasks`; and the
pure helpers :func:`task_status_counts` and :func:`key_task_counts`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from IPython.display import HTML, Markdown, display

from qyanalysis.contract.plan import item_title
from qyanalysis.present.charts_quality import TASK_STATUS_ORDER, task_progress_chart
from qyanalysis.present.labels import t
from qyanalysis.present.numbers import format_value
from qyanalysis.present.tables import html_table
from qyanalysis.report.page import Page
from qyanalysis.report.safe_tables import display_frame, heading, paragraph, show_safe_table
from qyanalysis.report.show import show_figure
from qyanalysis.report.views_funding import county_names, listed_counties, note_if_cut
from qyanalysis.report.views_staffing import K, registry_threshold


# --- pure helpers ---------------------------------------------------------------------------------


def task_status_counts(tasks: pd.DataFrame, items: Sequence[int]) -> pd.DataFrame:
    """Number of tasks of each plan item in each progress status.

    Args:
        tasks: Task rows with ``item`` and ``status`` (``columns.TASK_STATUSES``).
        items: The items to count, in display order; an item without tasks
            gets a row of zeros (it has no task, which is known, not missing).

    Returns:
        One row per item: ``item``, one count column per status (in the
        order of :data:`TASK_STATUS_ORDER`) and ``total``.
    """
    rows = tasks[tasks["item"].isin(list(items))]
    counts = pd.crosstab(rows["item"].astype("int64"), rows["status"])
    counts = counts.reindex(index=list(items), columns=list(TASK_STATUS_ORDER), fill_value=0).fillna(0)
    counts = counts.astype("int64")
    counts["total"] = counts.sum(axis=1)
    counts.columns.name = None
    return counts.rename_axis("item").reset_index()


def key_task_counts(tasks: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """Key tasks (重点工作) of the year by county and status.

    A task counts as key only when ``is_key_task`` is true (missing = not key,
    as in :func:`qyanalysis.measures.provision.key_tasks_completed`).

    Returns:
        ``county_code``, one count column per status of :data:`TASK_STATUS_ORDER`
        and ``total``; empty without a tasks table.
    """
    columns = ["county_code", *TASK_STATUS_ORDER, "total"]
    if tasks is None or not {"county_code", "year", "is_key_task", "status"} <= set(tasks.columns):
        return pd.DataFrame(columns=columns)
    key = tasks[tasks["is_key_task"].astype("boolean").fillna(False).astype(bool) & (tasks["year"] == year)]
    counts = pd.crosstab(key["county_code"], key["status"]).reindex(columns=list(TASK_STATUS_ORDER),
                                                                    fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts.columns.name = None
    return counts.reset_index().astype({c: "float64" for c in (*TASK_STATUS_ORDER, "total")})[columns]


# --- task progress of the section's items (sections 1, 4, 6, 7) ------------------------------------


def _page_tasks(page: Page) -> tuple[pd.DataFrame, bool]:
    """The tasks behind the page, and whether they are the plan's defaults.

    A county page: the county's tasks (``targets.tasks_for``). The city page:
    every task row of the data (each county's and the city's own), so that the
    summary is city-wide; the plan's list when no tasks table was supplied.
    """
    from qyanalysis.targets import tasks_for

    own = page.dataset.tasks
    if page.is_city and own is not None and not own.empty:
        return own, False
    tasks = tasks_for(page.dataset, "city" if page.is_city else page.county_code)
    return tasks, bool((tasks["source"] == "plan default").all())


def show_task_progress(page: Page) -> None:
    """Task counts of the page's items by progress status: a sentence, a table and a stacked bar chart."""
    heading(t("report.quality.task_summary", page.lang))
    tasks, is_default = _page_tasks(page)
    counts = task_status_counts(tasks, page.items)
    if counts["total"].sum() == 0:
        display(Markdown(t("report.no_data_table", page.lang)))
        return
    note = ("report.tasks_default" if is_default else
            "report.quality.task_summary_city" if page.is_city else None)
    totals = counts[[*TASK_STATUS_ORDER, "total"]].sum()
    sentence = t("report.quality.task_sentence", page.lang, **{k: int(v) for k, v in totals.items()})
    display(Markdown(sentence + (f" {t(note, page.lang)}" if note else "")))
    shown = counts.assign(title=[item_title(item, page.lang) for item in counts["item"]])
    headers = {s: t(f"task_status.{s}", page.lang) for s in TASK_STATUS_ORDER}
    headers.update(title=t("report.item_title", page.lang), total=t("report.quality.task_total", page.lang))
    columns = ["item", "title", *TASK_STATUS_ORDER, "total"]
    display(HTML(html_table(shown, page.lang, columns=columns, headers=headers,
                            units=dict.fromkeys([*TASK_STATUS_ORDER, "total"], "count"))))
    show_figure(task_progress_chart(counts, page.lang))


# --- item 34: key tasks ----------------------------------------------------------------------------


def show_key_tasks(page: Page) -> None:
    """Item 34: the year's key tasks by county and progress, and the city's completed count against 60."""
    heading(t(f"{K}key_tasks", page.lang))
    counts = key_task_counts(page.dataset.tasks, page.year)
    if counts.empty:
        paragraph(t(f"{K}no_key_tasks", page.lang))
        return
    units = [*listed_counties(page), *([page.dataset.counties.city_code] if page.is_city else [])]
    listed = counts[counts["county_code"].isin(units)]
    listed = listed.assign(county_name=county_names(page, listed["county_code"]))
    shown = display_frame(listed, [], {c: "count" for c in (*TASK_STATUS_ORDER, "total")}, page.lang)
    headers = {"county_name": t("column.county_name", page.lang),
               "total": t(f"{K}column.key_tasks", page.lang),
               **{s: t(f"task_status.{s}", page.lang) for s in TASK_STATUS_ORDER}}
    show_safe_table(page, shown, ["county_name", "total", *TASK_STATUS_ORDER], headers)
    note_if_cut(page)
    done, total = counts["completed"].sum(), counts["total"].sum()
    paragraph(t(f"{K}key_tasks_total", page.lang, done=format_value(done, "count", page.lang),
                total=format_value(total, "count", page.lang),
                target=format_value(registry_threshold(page, "t34_key_tasks_completed"), "count", page.lang)))
