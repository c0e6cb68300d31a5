"""The overview page's status table (to be split into a table builder and a view)."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML, display

from qyanalysis.contract.plan import SECTIONS
from qyanalysis.present.labels import t
from qyanalysis.present.tables import html_table
from qyanalysis.report.page import Page
from qyanalysis.report.safe_tables import heading


def show_status_by_section(page: Page) -> None:
    """Counts of target statuses per plan section (the overview's at-a-glance table)."""
    heading(t("report.status_by_section", page.lang))
    card = page.scorecard
    rows = []
    for section in SECTIONS:
        counts = card.loc[card["section"] == section.number, "status"].value_counts()
        rows.append({"section": section.number,
                     **{status: int(counts.get(status, 0)) for status in
                        ("met", "not_met", "on_track", "at_risk", "no_data", "not_applicable")}})
    frame = pd.DataFrame(rows)
    statuses = ["met", "not_met", "on_track", "at_risk", "no_data", "not_applicable"]
    display(HTML(html_table(frame, page.lang, columns=["section", *statuses],
                            headers={s: t(f"status.{s}", page.lang) for s in statuses},
                            units=dict.fromkeys(statuses, "count"))))
