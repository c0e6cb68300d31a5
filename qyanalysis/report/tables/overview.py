"""The overview page (every section at a glance): target statuses by section, every item and its page.

Builders take a :class:`~qyanalysis.report.page.Page` and return labelled,
safe frames (:func:`qyanalysis.report.frames.labelled`); the tallies are
:func:`qyanalysis.contract.tallies.target_counts` of the page's scorecard:
the unit's own targets, and the city's shown beside a county's counted apart.
Targets and statuses are not persons: no disclosure control applies.
"""

from __future__ import annotations

import pandas as pd

from qyanalysis.contract.plan import SECTIONS, item_title, section_of_item
from qyanalysis.contract.tallies import TARGET_STATUSES, target_counts
from qyanalysis.present.labels import t
from qyanalysis.report.frames import labelled
from qyanalysis.report.page import Page
from qyanalysis.report.registry import builder


def _own_scope(page: Page) -> str:
    """Whose the page's own targets are: ``city`` on the city's page, else ``county``."""
    return "city" if page.is_city else "county"


def _by_group(page: Page, column: str, groups: list[int]) -> tuple[pd.DataFrame, pd.Series]:
    """The page unit's own targets by status per group (zeros for a group without one), and the
    city's targets per group (zeros on the city's page, whose own targets they are)."""
    counts = target_counts(page.scorecard, by=(column,))
    scope = _own_scope(page)
    own = counts[counts["scope"] == scope].set_index(column)[[*TARGET_STATUSES, "total"]]
    own = own.reindex(groups, fill_value=0).astype("int64")
    city = counts[counts["scope"] == "city"].set_index(column)["total"] if scope == "county" else None
    city_totals = (city.reindex(groups, fill_value=0) if city is not None
                   else pd.Series(0, index=groups)).astype("int64")
    return own.reset_index(), city_totals.reset_index(drop=True)


@builder
def status_by_section(page: Page) -> pd.DataFrame:
    """How many of the unit's own targets are met, not met, at risk … in each plan section.

    Returns:
        ``section`` (its number as text, worded as the title), one count column
        per status (:data:`~qyanalysis.contract.tallies.TARGET_STATUSES`),
        ``total`` (the unit's own targets) and ``city`` (the city's targets a
        county's page shows beside them, counted apart): one row per section,
        zeros for a section without targets.
    """
    own, city = _by_group(page, "section", [s.number for s in SECTIONS])
    counts = own.assign(section=own["section"].astype("str"), city=city.to_numpy())
    scope = _own_scope(page)
    columns = ("section", *TARGET_STATUSES, "total", *(("city",) if scope == "county" else ()))
    return labelled(counts, page.lang, title=t(f"report.status_by_section.{scope}", page.lang),
                    columns=columns,
                    headers={**{s: t(f"status.{s}", page.lang) for s in TARGET_STATUSES},
                             "total": t(f"counts.column.{scope}", page.lang),
                             "city": t("counts.column.city", page.lang)},
                    units=dict.fromkeys([*TARGET_STATUSES, "total", "city"], "count"))


@builder
def section_links(page: Page) -> pd.DataFrame:
    """Every plan item: its title, the section page that reports it, its targets and how many are met.

    Returns:
        ``item, title, section`` (number as text, worded as the title), ``met, targets`` (the
        unit's own targets) and ``city`` (the city's targets shown beside a county's) in plan order.
    """
    items = list(page.items)
    own, city = _by_group(page, "item", items)
    scope = _own_scope(page)
    frame = pd.DataFrame({"item": items, "title": [item_title(item, page.lang) for item in items],
                          "section": [str(section_of_item(item).number) for item in items],
                          "met": own["met"].to_numpy(), "targets": own["total"].to_numpy(),
                          "city": city.to_numpy()})
    columns = ("item", "title", "section", "met", "targets", *(("city",) if scope == "county" else ()))
    return labelled(frame, page.lang, columns=columns,
                    headers={"title": t("report.item_title", page.lang),
                             "met": t("report.met_count", page.lang),
                             "targets": t(f"counts.column.{scope}", page.lang),
                             "city": t("counts.column.city", page.lang)},
                    units={"met": "count", "targets": "count", "city": "count"})
