"""The complete 优质均衡 assessment as data (``assessment.csv``).

《县域义务教育优质均衡发展督导评估办法》(教育部, 教督〔2017〕6号) judges a
county on four parts — ``resources`` (资源配置: 7 indicators, each per school
and as a 差异系数), ``government`` (政府保障程度: 15), ``quality`` (教育质量: 9),
``recognition`` (社会认可度: ≥ 85 %) — and vetoes (一票否决) a county where
certain events occurred. The plan ties all of it to item 8, "推动义务教育优质均衡
发展。".

Why a file of its own beside ``registry.csv``: the registry holds the plan's
targets, scored on every county page, each quoting a plan sentence; the
assessment is a national checklist read together (a county is ready only
when every row is met), with parts, numbers, veto items and rows whose
wording is not yet confirmed. Rows that the registry already holds (the 14
差异系数 limits, the school rule, class and school sizes, certificates,
retention, rotation, pay, special-education funding, disabled enrollment,
migrant children) point to their registry ``target_id`` and take their
threshold from it — after ``targets_override`` — so every threshold still has
one home; the other rows carry their own comparator and threshold.

Columns: ``assessment_id`` (unique), ``part`` (:data:`PARTS`), ``number``
(the indicator's number within its part as text: "1"–"15", "1–7" for the
school rule, "V1"… for veto items), ``indicator`` (catalogue code),
``target_id`` (a registry row, or empty), ``comparator``/``threshold``
(empty when ``target_id`` is given, else required), ``veto`` (是/否: the
row vetoes the county when not met), ``label_zh`` (the 办法's wording, as far
as confirmed), ``label_en``, ``source`` (the document; says "not confirmed"
when the wording comes from public summaries only) and ``wording``
(``confirmed`` | ``summary``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from qyanalysis.contract import indicators
from qyanalysis.verdicts.targets.overrides import COMPARATORS

ASSESSMENT_CSV = Path(__file__).resolve().parent / "assessment.csv"
ASSESSMENT_COLUMNS = ("assessment_id", "part", "number", "indicator", "target_id", "comparator", "threshold",
                      "veto", "label_zh", "label_en", "source", "wording")
PARTS = ("resources", "government", "quality", "recognition", "veto")
PART_LABELS = {"resources": ("资源配置", "Resources"), "government": ("政府保障程度", "Government support"),
               "quality": ("教育质量", "Quality"), "recognition": ("社会认可度", "Public recognition"),
               "veto": ("一票否决", "Veto items")}
#: How many numbered indicators each part has in the 办法.
PART_SIZES = {"resources": 7, "government": 15, "quality": 9, "recognition": 1}
WORDINGS = ("confirmed", "summary")
ITEM8_QUOTE = "推动义务教育优质均衡发展。"
NOT_CONFIRMED = "not confirmed"


class AssessmentError(ValueError):
    """The shipped assessment file is inconsistent."""


def _numbers(frame: pd.DataFrame, part: str) -> set[str]:
    return set(frame.loc[frame["part"] == part, "number"])


def assessment_problems(frame: pd.DataFrame, registry: pd.DataFrame) -> list[str]:
    """Every inconsistency of an assessment frame against the registry, one message each."""
    missing = [c for c in ASSESSMENT_COLUMNS if c not in frame.columns]
    if missing:
        return [f"assessment.csv: missing columns {missing}"]
    problems: list[str] = []
    duplicated = frame["assessment_id"][frame["assessment_id"].duplicated()].tolist()
    if duplicated:
        problems.append(f"duplicate assessment_id {duplicated}")
    known = registry.set_index("target_id")["indicator"]
    for row in frame.itertuples(index=False):
        where = f"assessment.csv {row.assessment_id!r}"
        if row.part not in PARTS:
            problems.append(f"{where}: part {row.part!r} not one of {PARTS}")
        if row.indicator not in indicators.CATALOGUE:
            problems.append(f"{where}: indicator {row.indicator!r} is not in the catalogue")
        if row.target_id:
            if row.target_id not in known.index:
                problems.append(f"{where}: target_id {row.target_id!r} is not in registry.csv")
            elif known[row.target_id] != row.indicator:
                problems.append(f"{where}: target {row.target_id} measures {known[row.target_id]}, not {row.indicator}")
            if row.comparator or row.threshold:
                problems.append(f"{where}: a registry row gives the threshold; leave comparator/threshold empty")
        else:
            if row.comparator not in COMPARATORS:
                problems.append(f"{where}: comparator {row.comparator!r} not one of {COMPARATORS}")
            if pd.isna(pd.to_numeric(row.threshold, errors="coerce")):
                problems.append(f"{where}: threshold {row.threshold!r} is not a number")
        if row.veto not in ("是", "否"):
            problems.append(f"{where}: veto {row.veto!r} is not 是 or 否")
        if row.wording not in WORDINGS:
            problems.append(f"{where}: wording {row.wording!r} not one of {WORDINGS}")
        elif row.wording == "summary" and NOT_CONFIRMED not in row.source:
            problems.append(f"{where}: wording from summaries must say '{NOT_CONFIRMED}' in source")
        for column in ("label_zh", "label_en", "source"):
            if not str(getattr(row, column)).strip():
                problems.append(f"{where}: {column} is empty")
    for part, size in PART_SIZES.items():
        expected = {str(n) for n in range(1, size + 1)}
        absent = expected - _numbers(frame, part)
        if absent:
            problems.append(f"assessment.csv: part {part} lacks numbers {sorted(absent, key=int)}")
    if not (frame["part"] == "veto").any():
        problems.append("assessment.csv: no veto item")
    return problems


@lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    from qyanalysis.verdicts.targets import load_targets

    frame = pd.read_csv(ASSESSMENT_CSV, dtype=str, keep_default_na=False, encoding="utf-8")
    problems = assessment_problems(frame, load_targets())
    if problems:
        raise AssessmentError("assessment.csv is inconsistent:\n" + "\n".join(problems))
    frame["veto"] = frame["veto"] == "是"
    frame["order"] = range(len(frame))
    return frame


def load_assessment() -> pd.DataFrame:
    """The assessment rows, checked (see the module docstring); ``veto`` bool, ``order`` the file order.

    Raises:
        AssessmentError: the shipped file is inconsistent.
    """
    return _load().copy()


def assessment_targets() -> pd.DataFrame:
    """The assessment as registry rows (``qyanalysis.verdicts.targets.REGISTRY_COLUMNS``) for ``attainment.evaluate``.

    A row pointing to the registry is that registry row, read per county
    (``scope = county``: the 办法 judges a county on its own figures, also
    where the plan's target is city-wide). Every other row becomes
    ``t08_<indicator>``, item 8, quoting item 8's sentence, with the
    assessment's comparator and threshold. ``assessment_id`` is added.
    """
    from qyanalysis.verdicts.targets import REGISTRY_COLUMNS, check_registry, load_targets

    rows = load_assessment()
    registry = load_targets().set_index("target_id")
    linked = rows[rows["target_id"] != ""]
    from_registry = registry.loc[linked["target_id"]].reset_index()
    from_registry["assessment_id"] = linked["assessment_id"].to_numpy()
    own = rows[rows["target_id"] == ""]
    units = own["indicator"].map(lambda code: indicators.get(code).unit)
    built = pd.DataFrame({
        "target_id": "t08_" + own["indicator"], "item": 8, "section": 2, "theme": "equity",
        "indicator": own["indicator"], "scope": "county", "comparator": own["comparator"],
        "threshold": pd.to_numeric(own["threshold"]).astype("float64"), "unit": units, "rule": "absolute",
        "quote": ITEM8_QUOTE, "source": own["source"], "label_zh": own["label_zh"], "label_en": own["label_en"],
        "assessment_id": own["assessment_id"],
    })
    check_registry(built[list(REGISTRY_COLUMNS)])
    out = pd.concat([from_registry, built], ignore_index=True)
    out["scope"] = "county"
    out["rule"] = "absolute"
    return out[[*REGISTRY_COLUMNS, "assessment_id"]]


__all__ = ["ASSESSMENT_COLUMNS", "AssessmentError", "PARTS", "PART_LABELS", "PART_SIZES", "assessment_problems",
           "assessment_targets", "load_assessment"]
