"""The plan's target registry, its default tasks and county overrides.

``registry.csv`` (shipped data) holds one row per quantitative target of
清远市2022年教育工作要点 (``plan.zh.txt``) and of the national standards the
plan relies on (优质均衡, 教督〔2017〕6号, and the older 基本均衡 reference,
教督〔2012〕3号; docs/methods.md). Every row quotes the exact plan sentence it
comes from; national standards tied to item 8 quote item 8 and name the
national document in ``source``.

Columns: ``target_id`` (``t{item:02d}_{indicator}``), ``item`` (1–37),
``section`` (1–7), ``theme``, ``indicator`` (catalogue code), ``scope``
(``city`` | ``county``), ``comparator`` (``>= <= > < ==``), ``threshold``
(float, in the indicator's unit), ``unit`` (the catalogue unit), ``rule``,
``quote``, ``source``, ``label_zh``, ``label_en``.

Rules (how ``qyanalysis.verdicts.attainment`` reads a row):

* ``absolute`` — the indicator's value is compared with the threshold.
* ``change_vs_previous`` — the value compared is the change against the
  previous year: the ``*_change`` indicator itself when the measures supply
  it, else computed from its base indicator (relative change for unit
  ``change``, difference for the others).
* ``item27`` — plan item 27: where the previous year's temporary-teacher
  ratio exceeds 5 %, the number of temporary teachers must fall by at least
  ``threshold`` (0.20) of the part above the 5 % line (docs/methods.md, “Item 27”).
* ``all_counties`` — a city target met only when every county meets it.
* ``tasks`` — plan item 34: the number of key tasks completed, read with the
  ``tasks`` table's due months against the data's as-of month (before
  December: no overdue task and enough tasks still to come → ``on_track``).

Scope follows the plan's sentence: a target whose sentence says 全市 is a
city target (``scope = city``), scored on the city's pooled value; a city
target on a rate, share or change is also read per county (rows marked
``scope_note = city_target``; :func:`qyanalysis.verdicts.targets.overrides.county_reading`).

Chinese bounds are inclusive (民法典 第1259条): 以上 → ``>=``, 以下 → ``<=``.

The complete 优质均衡 assessment (教督〔2017〕6号: four parts and the veto
items) is ``assessment.csv`` beside this registry, loaded and checked by
:mod:`qyanalysis.verdicts.targets.assessment`; its rows point to registry targets
where the registry already has them, so every threshold keeps one home.

A target for a new indicator is one more row of ``registry.csv`` (README,
"Adding an indicator"); at run time :func:`register_targets` adds rows without
editing the package, checked by the same rules.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from qyanalysis.contract import indicators, plan
from qyanalysis.errors import QyAnalysisError
from qyanalysis.verdicts.targets.overrides import COMPARATORS, check_overrides, target_rows
from qyanalysis.verdicts.targets.tasks import load_default_tasks, tasks_for

TARGETS_DIR = Path(__file__).resolve().parent
REGISTRY_CSV = TARGETS_DIR / "registry.csv"
PLAN_TEXT = TARGETS_DIR / "plan.zh.txt"

REGISTRY_COLUMNS = ("target_id", "item", "section", "theme", "indicator", "scope", "comparator", "threshold",
                    "unit", "rule", "quote", "source", "label_zh", "label_en")
THEMES = ("equity", "quality", "staffing", "provision", "reform", "governance", "funding")
SCOPES = ("city", "county")
RULES = ("absolute", "change_vs_previous", "item27", "all_counties", "tasks")
_TARGET_ID = re.compile(r"^t(\d{2})_([a-z0-9_]+)$")


class TargetRegistryError(QyAnalysisError):
    """The shipped target registry (or an override of it) is inconsistent."""


@lru_cache(maxsize=1)
def plan_text() -> str:
    """The plan's text (清远市2022年教育工作要点), as shipped in ``plan.zh.txt``."""
    return PLAN_TEXT.read_text(encoding="utf-8")


def _registry_problems(frame: pd.DataFrame, label: str = "registry.csv") -> list[str]:
    """Every inconsistency of a registry frame, one message per problem (``label`` names the rows' origin)."""
    problems: list[str] = []
    missing = [c for c in REGISTRY_COLUMNS if c not in frame.columns]
    if missing:
        return [f"{label}: missing columns {missing}"]
    text = plan_text()
    duplicated = frame["target_id"][frame["target_id"].duplicated()].tolist()
    if duplicated:
        problems.append(f"duplicate target_id {duplicated}")
    for row in frame.itertuples(index=False):
        where = f"{label} target {row.target_id!r}"
        match = _TARGET_ID.match(str(row.target_id))
        if not match or int(match.group(1)) != row.item or match.group(2) != row.indicator:
            problems.append(f"{where}: target_id must be t{{item:02d}}_{{indicator}}")
        if row.indicator not in indicators.CATALOGUE:
            problems.append(f"{where}: indicator {row.indicator!r} is not in the catalogue")
        elif indicators.get(row.indicator).unit != row.unit:
            expected = indicators.get(row.indicator).unit
            problems.append(f"{where}: unit {row.unit!r}, catalogue says {expected!r}")
        if not 1 <= row.item <= len(plan.ITEMS):
            problems.append(f"{where}: item {row.item} outside 1–37")
        elif plan.section_of_item(row.item).number != row.section:
            problems.append(f"{where}: item {row.item} is in section {plan.section_of_item(row.item).number}")
        for column, allowed in (("theme", THEMES), ("scope", SCOPES), ("comparator", COMPARATORS),
                                ("rule", RULES)):
            if getattr(row, column) not in allowed:
                problems.append(f"{where}: {column} {getattr(row, column)!r} not one of {allowed}")
        if pd.isna(row.threshold):
            problems.append(f"{where}: threshold is missing")
        if not isinstance(row.quote, str) or row.quote not in text:
            problems.append(f"{where}: quote is not a sentence of plan.zh.txt")
        for column in ("source", "label_zh", "label_en"):
            if not isinstance(getattr(row, column), str) or not getattr(row, column).strip():
                problems.append(f"{where}: {column} is empty")
    return problems


def check_registry(frame: pd.DataFrame, label: str = "registry.csv") -> None:
    """Raise :class:`TargetRegistryError` listing every problem of a registry frame."""
    problems = _registry_problems(frame, label)
    if problems:
        raise TargetRegistryError("target registry is inconsistent:\n" + "\n".join(problems))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Registry rows with the documented dtypes (``item``/``section`` int64, ``threshold`` float64)."""
    frame = frame.copy()
    frame["item"] = pd.to_numeric(frame["item"], errors="coerce").fillna(0).astype("int64")
    frame["section"] = pd.to_numeric(frame["section"], errors="coerce").fillna(0).astype("int64")
    frame["threshold"] = pd.to_numeric(frame["threshold"], errors="coerce").astype("float64")
    for column in set(REGISTRY_COLUMNS) - {"item", "section", "threshold"}:
        frame[column] = frame[column].fillna("").astype("str")
    return frame


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.loc[:, list(REGISTRY_COLUMNS)].sort_values(["item", "target_id"], kind="stable") \
        .reset_index(drop=True)


@lru_cache(maxsize=1)
def _load_registry() -> pd.DataFrame:
    frame = _typed(pd.read_csv(REGISTRY_CSV, dtype=str, keep_default_na=False, encoding="utf-8"))
    check_registry(frame)
    return _sorted(frame)


# Rows added at run time by register_targets (a notebook, a test): checked with the shipped ones; and a
# counter that changes with them, for caches of results that depend on the registry.
_ADDED: list[pd.DataFrame] = []
_VERSION = [0]


def version() -> int:
    """A number that changes whenever :func:`register_targets` or :func:`unregister_targets` change the
    registry."""
    return _VERSION[0]


def register_targets(rows) -> pd.DataFrame:
    """Add targets to the registry at run time, without editing ``registry.csv``.

    Every later :func:`load_targets` (so every scorecard, the methods text and
    ``qyanalysis targets``) includes them. The rows are checked with the shipped
    registry by the same rules (a catalogue indicator of the same unit, the
    ``t{item:02d}_{indicator}`` id, a quote that is a sentence of the plan …).
    Registering rows already registered (same ids, same content) does nothing.

    Args:
        rows: A frame, a list of dicts or one dict with the columns :data:`REGISTRY_COLUMNS`.

    Returns:
        The rows as added (typed).

    Raises:
        TargetRegistryError: A column is missing or a row breaks a rule (all problems listed).
    """
    frame = pd.DataFrame([rows] if isinstance(rows, dict) else rows)
    missing = [c for c in REGISTRY_COLUMNS if c not in frame.columns]
    if missing:
        raise TargetRegistryError("target registry is inconsistent:\n"
                                  f"registered rows: missing columns {missing}")
    frame = _sorted(_typed(frame))
    known = load_targets().set_index("target_id")
    same = frame["target_id"].isin(known.index)
    if same.all() and known.loc[frame["target_id"]].reset_index().equals(frame):
        return frame
    check_registry(pd.concat([known.reset_index(), frame], ignore_index=True), "registered")
    _ADDED.append(frame)
    _VERSION[0] += 1
    return frame


def unregister_targets(target_ids) -> None:
    """Remove targets added by :func:`register_targets` (shipped targets stay).

    Raises:
        KeyError: An id was not added by :func:`register_targets`.
    """
    ids = {target_ids} if isinstance(target_ids, str) else set(target_ids)
    added = set().union(*(set(f["target_id"]) for f in _ADDED)) if _ADDED else set()
    if not ids <= added:
        raise KeyError(f"targets {sorted(ids - added)} were not added by register_targets()")
    kept = [f[~f["target_id"].isin(ids)] for f in _ADDED]
    _ADDED[:] = [f for f in kept if len(f)]
    _VERSION[0] += 1


def load_targets() -> pd.DataFrame:
    """The plan's target registry, checked, with any rows added by :func:`register_targets`.

    Returns:
        One row per target, columns :data:`REGISTRY_COLUMNS`, sorted by item
        then ``target_id``; ``item``/``section`` int64, ``threshold`` float64
        (in the unit of the indicator catalogue), the rest ``str``.

    Raises:
        TargetRegistryError: when the shipped file is inconsistent (unknown
            indicator, wrong unit, a quote not found in the plan, …).
    """
    if not _ADDED:
        return _load_registry().copy()
    return _sorted(pd.concat([_load_registry(), *_ADDED], ignore_index=True))

__all__ = [
    "COMPARATORS",
    "REGISTRY_COLUMNS",
    "RULES",
    "SCOPES",
    "THEMES",
    "TargetRegistryError",
    "check_overrides",
    "check_registry",
    "load_default_tasks",
    "load_targets",
    "plan_text",
    "register_targets",
    "target_rows",
    "tasks_for",
    "unregister_targets",
    "version",
]
