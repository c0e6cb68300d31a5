"""Section 7 (safeguards): charts of the frames of ``qyanalysis.report.tables.safeguards``."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from qyanalysis.report.views.common import league_chart
from qyanalysis.report.registry import view



@view("funding_league")
def funding_league_chart(league: pd.DataFrame) -> Figure | HTML:
    """Counties of :func:`~qyanalysis.report.tables.safeguards.funding_league` ranked on the funding ratio."""
    return league_chart(league)
