"""Section 5 (the "New Strong Teachers" programme): charts of the frames of ``qyanalysis.report.tables.teachers``."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from qyanalysis.present.charts import gap_chart
from qyanalysis.report.views.common import lang_of, league_chart, nothing_to_draw
from qyanalysis.report.registry import view



@view("location_profile")
def location_profile_chart(profile: pd.DataFrame) -> Figure | HTML:
    """Urban, town and rural values of :func:`~qyanalysis.report.tables.teachers.location_profile`, one panel
    per indicator."""
    drawn = profile[profile["value"].notna()]
    if drawn.empty:
        return nothing_to_draw(profile)
    return gap_chart(drawn[["indicator", "location", "value"]], lang_of(profile))


@view("pay_league")
def pay_league_chart(league: pd.DataFrame) -> Figure | HTML:
    """Counties of :func:`~qyanalysis.report.tables.teachers.pay_league` ranked on the pay ratio, against 1.0."""
    return league_chart(league)
