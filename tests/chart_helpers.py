"""Helpers of the chart tests: render a figure cleanly (no warning, house layout), list its texts."""

from __future__ import annotations

import gc
import io
import warnings
from collections.abc import Callable

import matplotlib.pyplot as plt
from matplotlib.figure import Figure


def render_cleanly(make_figure: Callable[[], Figure]) -> bytes:
    """Build a figure and render it to PNG, asserting no warning, 7 in × 110 dpi and no pyplot registration.

    Returns:
        The PNG bytes.
    """
    before = plt.get_fignums()
    # Earlier tests' unreachable objects are collected first: a cycle freed by a collection the chart's
    # allocations happen to trigger could otherwise finalise (and warn, e.g. ResourceWarning) in here.
    gc.collect()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = make_figure()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    assert [f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})" for w in caught] == []
    assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    assert fig.get_size_inches()[0] >= 7.0 and fig.dpi == 110
    assert plt.get_fignums() == before  # not registered with pyplot: nothing to leak
    plt.close(fig)
    return buffer.getvalue()


def figure_texts(fig: Figure) -> set[str]:
    """Every non-empty text drawn on a figure (titles, labels, tick labels, legend entries, notes)."""
    return {text.get_text() for text in fig.findobj(lambda a: hasattr(a, "get_text")) if text.get_text()}
