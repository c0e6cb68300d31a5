"""Tasks and milestones: the qualitative side of the plan.

``default_tasks.csv`` turns every qualitative commitment of the 37 items (and
the qualitative parts of mixed items) into a task row, so that every item can
appear in a report even when a county has supplied no ``tasks`` table. The
defaults carry ``status = "not_started"`` and ``source = "plan default"``: they
say what the plan asks for, not what was done.

``is_key_task`` in the defaults marks tasks with a named deliverable (a
document issued, a body set up, a facility built or started). The city's own
list of 60 key tasks (item 34) is not public; a county's ``tasks`` table
replaces the defaults.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd


if TYPE_CHECKING:
    from qyanalysis.dataset import Dataset

DEFAULT_TASKS_CSV = Path(__file__).resolve().parent / "default_tasks.csv"
PLAN_YEAR = 2022
DEFAULT_SOURCE = "plan default"
DATASET_SOURCE = "tasks table"
TASK_COLUMNS = ("task_id", "item", "county_code", "year", "title_zh", "title_en", "is_key_task", "due",
                "status", "evidence", "source")


@lru_cache(maxsize=1)
def _default_tasks() -> pd.DataFrame:
    frame = pd.read_csv(DEFAULT_TASKS_CSV, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["item"] = frame["item"].astype("int64")
    frame["is_key_task"] = frame["is_key_task"].map({"true": True, "false": False}).astype("boolean")
    return frame


def load_default_tasks() -> pd.DataFrame:
    """The plan's default task list.

    Returns:
        ``task_id, item, title_zh, title_en, is_key_task, due, status`` — one
        row per qualitative commitment; every item 1–37 has at least one row.
    """
    return _default_tasks().copy()


def tasks_for(dataset: Dataset, county: object) -> pd.DataFrame:
    """The tasks of one county (or the city).

    The dataset's own ``tasks`` rows for the county when it has any, else the
    plan defaults (``source = "plan default"``, status ``not_started``).

    Args:
        dataset: The loaded dataset.
        county: A county code or name, or ``"city"``.

    Returns:
        Columns :data:`TASK_COLUMNS`, sorted by item then ``task_id``.
    """
    code = dataset.counties.resolve(county)
    own = dataset.tasks
    if own is not None and "county_code" in own:
        own = own[own["county_code"] == code]
    if own is not None and not own.empty:
        frame = own.copy()
        frame["source"] = DATASET_SOURCE
    else:
        frame = load_default_tasks()
        frame["county_code"] = code
        frame["year"] = PLAN_YEAR
        frame["source"] = DEFAULT_SOURCE
    for column in TASK_COLUMNS:
        if column not in frame:
            frame[column] = pd.NA
    frame["item"] = pd.to_numeric(frame["item"]).astype("Int64")
    frame["year"] = pd.to_numeric(frame["year"]).astype("Int64")
    frame = frame.loc[:, list(TASK_COLUMNS)].sort_values(["item", "task_id"], kind="stable")
    return frame.reset_index(drop=True)
