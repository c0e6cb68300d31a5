"""Task progress (the bureau's ``tasks`` table, or the plan's default list): tasks by item and status.

Tasks are units of work, not persons: their counts need no disclosure control.
The key tasks of item 34 (重点工作) are the rows whose ``is_key_task`` is true;
a missing flag is not a key task, as in
:func:`qyanalysis.measures.provision.key_tasks_completed`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from qyanalysis.contract.columns import TASK_STATUSES
from qyanalysis.contract.tallies import status_counts


def task_status_counts(tasks: pd.DataFrame, items: Sequence[int]) -> pd.DataFrame:
    """Number of tasks of each plan item in each progress status.

    Args:
        tasks: Task rows with ``item`` and ``status`` (``contract.columns.TASK_STATUSES``).
        items: The items to count, in display order; an item without tasks
            gets a row of zeros (it has no task, which is known, not missing).

    Returns:
        One row per item: ``item``, one count column per status (in the
        contract's order) and ``total``.
    """
    rows = tasks[tasks["item"].isin(list(items))]
    rows = rows.assign(item=rows["item"].astype("int64"))
    return status_counts(rows, "item", TASK_STATUSES, groups=[int(i) for i in items])


def key_task_counts(tasks: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """Key tasks (重点工作) of the year by county and status.

    Returns:
        ``county_code``, one count column per status of
        ``contract.columns.TASK_STATUSES`` and ``total`` (float64, as counts of
        the measure frame); empty without a tasks table or its columns.
    """
    columns = ["county_code", *TASK_STATUSES, "total"]
    if tasks is None or not {"county_code", "year", "is_key_task", "status"} <= set(tasks.columns):
        return pd.DataFrame(columns=columns)
    key = tasks[tasks["is_key_task"].astype("boolean").fillna(False).astype(bool) & (tasks["year"] == year)]
    counts = status_counts(key, "county_code", TASK_STATUSES)
    return counts.astype({c: "float64" for c in (*TASK_STATUSES, "total")})[columns]
