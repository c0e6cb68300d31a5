"""The notebooks' toolkit: a page (parameters, data, results computed once) and its views.

``from qyanalysis.report import open_page, show, views`` is all a report
notebook imports.
"""

from qyanalysis.report import (
    show,
    views,
    views_city,
    views_funding,
    views_map,
    views_quality,
    views_staffing,
    views_tasks,
)
from qyanalysis.report.page import Page, open_page

__all__ = [
    "Page",
    "open_page",
    "show",
    "views",
    "views_city",
    "views_funding",
    "views_map",
    "views_quality",
    "views_staffing",
    "views_tasks",
]
