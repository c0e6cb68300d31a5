"""Task tallies (qyanalysis.measures.tasks) on hand-made task tables."""

from __future__ import annotations

import pandas as pd

from qyanalysis.contract.columns import TASK_STATUSES
from qyanalysis.measures.tasks import key_task_counts, task_status_counts

YEAR = 2022


def test_task_status_counts_tallies_each_item_and_keeps_items_without_tasks():
    tasks = pd.DataFrame({"item": [1.0, 1.0, 1.0, 3.0, 9.0],
                          "status": ["completed", "delayed", "completed", "not_started", "completed"]})
    counts = task_status_counts(tasks, [1, 2, 3])
    # Item 1: 2 completed + 1 delayed = 3; item 2: no task (zeros, not missing); item 3: 1 not started;
    # item 9 is not asked for.
    assert counts.columns.tolist() == ["item", *TASK_STATUSES, "total"]
    assert counts.set_index("item")[["completed", "delayed", "not_started", "total"]].to_numpy().tolist() == \
        [[2, 1, 0, 3], [0, 0, 0, 0], [0, 0, 1, 1]]


def test_key_task_counts_by_county_and_status():
    tasks = pd.DataFrame({"county_code": ["A", "A", "A", "B", "B"], "year": [YEAR, YEAR, YEAR, YEAR, 2021],
                          "is_key_task": pd.array([True, True, None, True, True], dtype="boolean"),
                          "status": ["completed", "delayed", "completed", "in_progress", "completed"]})
    counts = key_task_counts(tasks, YEAR).set_index("county_code")
    # A: 2 key tasks this year (a task with a missing flag is not key); B: 1 (its 2021 task is another year).
    assert counts.loc["A", ["completed", "delayed", "total"]].tolist() == [1.0, 1.0, 2.0]
    assert counts.loc["B", ["in_progress", "completed", "total"]].tolist() == [1.0, 0.0, 1.0]
    assert key_task_counts(None, YEAR).empty
