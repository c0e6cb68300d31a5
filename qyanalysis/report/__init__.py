"""The notebooks' toolkit: a page (parameters, data, results computed once), its tables and views.

``from qyanalysis.report import open_page, show, tables, views`` is all a
report notebook imports: ``tables.x(page)`` builds a labelled, disclosure-safe
frame (shown by naming it), ``views.y(frame)`` draws it.
"""

from qyanalysis.report import (
    show,
    tables,
    views,
    views_city,
    views_funding,
    views_map,
    views_staffing,
    views_tasks,
)
from qyanalysis.report.page import Page, open_page

__all__ = [
    "Page",
    "open_page",
    "show",
    "tables",
    "views",
    "views_city",
    "views_funding",
    "views_map",
    "views_staffing",
    "views_tasks",
]
