"""The overview page (every section at a glance): target statuses by section, every item and its page.

Builders take a :class:`~qyanalysis.report.page.Page` and return labelled,
safe frames (:func:`qyanalysis.report.frames.labelled`); the tallies are
:func:`qyanalysis.measures.tallies.status_counts` of the page's scorecard.
Targets and statuses are not persons: no disclosure control applies.
"""

from __future__ import annotations

import pandas as pd

from qyanalysis.contract.plan import SECTIONS, item_title, section_of_item
from qyanalysis.measures.tallies import status_counts
from qyanalysis.present.labels import t
from qyanalysis.present.style import STATUSES
from qyanalysis.report.frames import labelled
from qyanalysis.report.page import Page


def status_by_section(page: Page) -> pd.DataFrame:
    """How many of the page's targets are met, not met, at risk … in each plan section.

    Returns:
        ``section`` (its number as text, worded as the title), one count column
        per status (``present.style.STATUSES``) and ``total``: one row per
        section, zeros for a section without targets.
    """
    counts = status_counts(page.scorecard, "section", STATUSES, groups=[s.number for s in SECTIONS])
    counts["section"] = counts["section"].astype("str")  # a code the table words as the section's title
    return labelled(counts, page.lang, title=t("report.status_by_section", page.lang),
                    columns=("section", *STATUSES),
                    headers={s: t(f"status.{s}", page.lang) for s in STATUSES},
                    units=dict.fromkeys([*STATUSES, "total"], "count"))


def section_links(page: Page) -> pd.DataFrame:
    """Every plan item: its title, the section page that reports it, its targets and how many are met.

    Returns:
        ``item, title, section`` (number as text, worded as the title), ``met, targets`` in plan order.
    """
    items = list(page.items)
    counts = status_counts(page.scorecard, "item", STATUSES, groups=items)
    frame = pd.DataFrame({"item": items, "title": [item_title(item, page.lang) for item in items],
                          "section": [str(section_of_item(item).number) for item in items],
                          "met": counts["met"].to_numpy(), "targets": counts["total"].to_numpy()})
    return labelled(frame, page.lang,
                    headers={"title": t("report.item_title", page.lang),
                             "met": t("report.met_count", page.lang),
                             "targets": t("report.target_count", page.lang)},
                    units={"met": "count", "targets": "count"})
