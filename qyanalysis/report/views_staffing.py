"""What ``views_tasks`` still reads from here until it is converted to a table and a view.

Section 5 is now ``qyanalysis.report.tables.teachers`` and
``qyanalysis.report.views.teachers``. Delete this module when nothing imports it.
"""

from __future__ import annotations

from qyanalysis.report.tables.common import threshold_of as registry_threshold

K = "report.staffing."

__all__ = ["K", "registry_threshold"]
