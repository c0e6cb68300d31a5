"""Status colours, with no plotting import.

The charts (:mod:`qyanalysis.present.style`, which re-exports these names), the
HTML tables and the Excel workbooks share one palette. It lives apart from
``style`` so that the batch runner can write workbooks without importing
matplotlib and seaborn (about 3 s of import time).

Colours follow the Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008,
"Color Universal Design").
"""

from __future__ import annotations

STATUSES: tuple[str, ...] = ("met", "not_met", "on_track", "at_risk", "no_data", "not_applicable")
STATUS_COLOURS: dict[str, str] = {
    "met": "#009E73",
    "not_met": "#D55E00",
    "on_track": "#56B4E9",
    "at_risk": "#E69F00",
    "no_data": "#BBBBBB",
    "not_applicable": "#F0F0F0",
}
# Readable text colour on each status background (HTML tables, workbook cells).
STATUS_TEXT_COLOURS: dict[str, str] = {
    "met": "#FFFFFF",
    "not_met": "#FFFFFF",
    "on_track": "#000000",
    "at_risk": "#000000",
    "no_data": "#000000",
    "not_applicable": "#000000",
}


def check_status(status: str) -> str:
    """Return ``status`` if it is one of :data:`STATUSES`, else raise ValueError."""
    if status not in STATUS_COLOURS:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    return status
# The non-colour cue of a status in an HTML table cell, before its word: a grid or a printed page in
# greyscale reads the same (the charts use hatches and markers, ``style.STATUS_HATCHES``).
STATUS_SYMBOLS: dict[str, str] = {
    "met": "✓",
    "not_met": "✗",
    "on_track": "↗",
    "at_risk": "!",
    "no_data": "?",
    "not_applicable": "–",
}
# A value cell that fails its standard (a shortfall table): the not-met colour, lightened so that the
# number stays legible in dark text, and the not-met symbol before the number.
FAIL_SYMBOL = STATUS_SYMBOLS["not_met"]
FAIL_TEXT_COLOUR = "#000000"


def tint(colour: str, share: float) -> str:
    """``colour`` (``#RRGGBB``) mixed with white: ``share`` of the colour, the rest white."""
    channels = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(share * c + (1 - share) * 255):02X}" for c in channels)


FAIL_BACKGROUND = tint(STATUS_COLOURS["not_met"], 0.25)
