"""What every view shares: the frame's language, and the no-data answer of an empty frame.

A view takes a labelled frame (``qyanalysis.report.tables``) and returns a
figure or an :class:`IPython.display.HTML`; it computes nothing and imports no
other view module.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from qyanalysis.present.labels import t
from qyanalysis.report.frames import spec_of


def lang_of(frame: pd.DataFrame) -> str:
    """The language the frame was built in (its spec's), "zh" for a plain frame."""
    spec = spec_of(frame)
    return spec.lang if spec is not None else "zh"


def nothing_to_draw(frame: pd.DataFrame) -> HTML:
    """The line shown instead of a chart of an empty frame (the frame's own empty text, else "no data")."""
    spec = spec_of(frame)
    lang = lang_of(frame)
    text = spec.empty_text if spec is not None and spec.empty_text else t("report.no_data_table", lang)
    return HTML(f'<p class="qy-no-chart">{html.escape(text)}</p>')


def league_chart(frame: pd.DataFrame):
    """Counties ranked on one indicator (``county_code, county_name, indicator, value, status``, optional
    ``ci_low, ci_high``), bars coloured by scorecard status, with the line of column ``line`` (NaN = none)."""
    from qyanalysis.present.charts import league_chart as draw_league

    drawn = frame[frame["value"].notna()]
    if drawn.empty:
        return nothing_to_draw(frame)
    line = drawn["line"].iloc[0] if "line" in drawn else float("nan")
    return draw_league(drawn, str(drawn["indicator"].iloc[0]), None if pd.isna(line) else float(line),
                       lang_of(frame))
