"""The notebooks' toolkit: a page (parameters, data, results computed once), its tables and views.

``from qyanalysis.report import open_page, show, tables, views`` is all a
report notebook imports: ``tables.x(page)`` builds a labelled, disclosure-safe
frame (shown by naming it), ``views.y(frame)`` draws it; ``show`` puts
together the header, summary and plan items every page opens with.
"""

from qyanalysis.report import tables, views  # noqa: I001 - before show, which builds on them
from qyanalysis.report import show
from qyanalysis.report.page import Page, open_page

__all__ = [
    "Page",
    "open_page",
    "show",
    "tables",
    "views",
]
