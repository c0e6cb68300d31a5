"""Section 6 (governance): the frames of ``qyanalysis.report.tables.governance`` are shown as tables only."""

from __future__ import annotations

DRAWS: dict[str, str] = {}
