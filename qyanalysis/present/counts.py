"""A unit's targets by status in words, without pandas (the index pages of a run with nothing to do use it).

The counts are those of :func:`qyanalysis.contract.tallies.target_counts`: a
county's own targets, and the city's shown beside them counted apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from qyanalysis.contract.statuses import TARGET_STATUSES, TOTAL
from qyanalysis.present.labels import check_lang, status_label, t
from qyanalysis.present.numbers import format_number


def counts_sentence(parts: Sequence[tuple[str, Mapping[str, int]]], lang: str) -> str:
    """A unit's targets and their statuses in words, the county's own apart from the city's.

    "本县区 45 项目标：达标 33 项、有望达标 3 项、存在风险 2 项、未达标 7 项；另有全市目标 19 项：达标 5 项、…"
    — the counts of :func:`qyanalysis.contract.tallies.target_counts` (or
    :func:`~qyanalysis.contract.tallies.unit_counts`); statuses without a
    target are left out.

    Args:
        parts: ``(scope, counts)`` in order: ``scope`` ``county`` or ``city``, ``counts`` status →
            targets with ``total`` (a missing ``total`` is the sum of the statuses).
        lang: "zh" or "en".
    """
    check_lang(lang)
    sentences = []
    for index, (scope, counts) in enumerate(parts):
        total = counts.get(TOTAL, sum(int(counts.get(s, 0)) for s in TARGET_STATUSES))
        words = [t("counts.part", lang, status=status_label(status, lang),
                   count=format_number(int(counts[status]), "count"))
                 for status in TARGET_STATUSES if int(counts.get(status, 0))]
        key = "counts.first" if index == 0 else "counts.also"
        sentences.append(t(key, lang, scope=t(f"counts.scope.{scope}", lang),
                           total=format_number(int(total), "count"),
                           parts=t("counts.part_separator", lang).join(words)))
    return t("counts.separator", lang).join(sentences)
