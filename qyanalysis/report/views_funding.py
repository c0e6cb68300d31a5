"""What ``views_tasks`` still reads from here until it is converted to a table and a view.

Sections 5–7 are now ``qyanalysis.report.tables`` (``teachers``, ``governance``,
``safeguards``) and ``qyanalysis.report.views``; these names delegate to
``tables.common``. Delete this module when nothing imports it.
"""

from __future__ import annotations

import pandas as pd

from qyanalysis.report.page import Page
from qyanalysis.report.safe_tables import paragraph
from qyanalysis.report.tables import common


def county_names(page: Page, codes: pd.Series) -> pd.Series:
    """:func:`qyanalysis.report.tables.common.county_names`."""
    return common.county_names(page, codes)


def listed_counties(page: Page) -> list[str]:
    """:func:`qyanalysis.report.tables.common.shown_counties`."""
    return common.shown_counties(page)


def note_if_cut(page: Page) -> None:
    """On the city page of a large region, the line saying how many counties a table lists."""
    text = common.counties_cut_note(page)
    if text:
        paragraph(text)
