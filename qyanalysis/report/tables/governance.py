"""Section 6 (governance, items 31–33): the private-school share of enrollment as context for item 31.

Items 31–33 are mostly qualitative (their tasks are shown with each item);
the numbers here come from ``qyanalysis.measures.provision`` (the enrollment
table and :func:`~qyanalysis.measures.provision.private_share_table`).
"""

from __future__ import annotations

import pandas as pd

from qyanalysis.contract.columns import SCHOOL_LEVELS
from qyanalysis.measures.provision import WHOLLY_COMPULSORY_LEVELS, enrollment_table, private_share_table
from qyanalysis.present.labels import t
from qyanalysis.report.frames import labelled
from qyanalysis.report.page import Page
from qyanalysis.report.registry import builder

K = "report.staffing."
_LEVEL_ORDER = {level: i for i, level in enumerate(SCHOOL_LEVELS)}


def _enrollment(page: Page) -> pd.DataFrame:
    """The page's enrollment table rows (every year): the county's, or every county's on the city page.

    The region's table is computed once per kernel (``page.memo``).
    """
    table = page.memo(("enrollment_table",), lambda: enrollment_table(page.dataset))
    return table if page.is_city else table[table["county_code"] == page.county_code]


def _headers(page: Page, *columns: str) -> dict[str, str]:
    return {c: t(f"{K}column.{c}", page.lang) for c in columns}


@builder
def private_schools(page: Page) -> pd.DataFrame:
    """Private schools' share of pupils by level in the page's year (item 31 context).

    Returns:
        ``level, schools, private_schools, pupils, private_pupils, private_share``,
        levels in the census order; pupil counts of 1–4 hidden.
    """
    enrollment = _enrollment(page)
    rows = private_share_table(enrollment[enrollment["year"] == page.year], ["level"])
    rows = rows.sort_values("level", key=lambda s: s.map(_LEVEL_ORDER), kind="stable").reset_index(drop=True)
    columns = ("level", "schools", "private_schools", "pupils", "private_pupils", "private_share")
    return labelled(rows, page.lang, title=t(f"{K}private", page.lang), columns=columns,
                    headers={**_headers(page, *columns[1:]), "level": t(f"{K}column.level_name", page.lang)},
                    units={"schools": "count", "private_schools": "count", "private_share": "share"},
                    counts=("pupils", "private_pupils"), links={"schools": [], "private_schools": []},
                    note=t(f"{K}private_note", page.lang))


@builder
def private_share_over_years(page: Page) -> pd.DataFrame:
    """Private schools' share of the pupils of schools wholly in compulsory education (primary, junior,
    nine-year), year by year.

    Returns:
        ``year, pupils, private_pupils, private_share`` (and the school counts, not shown).
    """
    enrollment = _enrollment(page)
    rows = private_share_table(enrollment[enrollment["level"].isin(WHOLLY_COMPULSORY_LEVELS)], ["year"])
    return labelled(rows, page.lang, title=t(f"{K}private_years", page.lang),
                    columns=("year", "pupils", "private_pupils", "private_share"),
                    headers={**_headers(page, "pupils", "private_pupils", "private_share"),
                             "year": t("column.year", page.lang)},
                    units={"private_share": "share"}, counts=("pupils", "private_pupils"))
