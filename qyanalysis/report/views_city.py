"""Transitional: ``shown_counties`` for :mod:`qyanalysis.report.views_funding` until that module is converted.

The city page's tables and views are ``qyanalysis.report.tables.city`` and
``qyanalysis.report.views.city``; which counties a city table lists is
:func:`qyanalysis.report.tables.common.shown_counties`. Delete this module
with ``views_funding`` (its last user), as ``safe_tables``.
"""

from qyanalysis.report.tables.common import shown_counties

__all__ = ["shown_counties"]
