"""The report charts: each takes tidy frames and ``lang`` and returns a matplotlib ``Figure``.

Charts draw and word what the measures and the scorecard computed; they
compute no measure. Every text comes from the zh/en label catalogue. Figures
are 7 in wide at 110 dpi (phone-readable), use constrained layout, and are
not registered with pyplot (no leak, no double display in notebooks).
The house style (CJK fonts) is applied on first use if a notebook has not
called :func:`qyanalysis.present.style.use_house_style`.

| function | shows |
|---|---|
| ``target_chart(scorecard_rows, lang)`` | actual vs threshold per target, status-coloured |
| ``league_chart(frame, indicator, threshold, lang)`` | counties ranked on one indicator |
| ``cv_chart(scorecard_rows, lang)`` | the 7 优质均衡 CVs per level, each against its scorecard threshold |
| ``trend_chart(series, forecast, threshold, lang)`` | monthly cumulative values and the year-end forecast |
| ``gap_chart(frame, lang)`` | urban / town / rural values per indicator |
| ``small_multiples(frame, indicator, lang)`` | one panel per county over the years |
| ``small_multiples_matrix(frame, lang, thresholds)`` | several indicators: a row per county, a column per indicator |
| ``status_heatmap(scorecard, lang)`` | status of every target in every county |
| ``task_progress_chart(counts, lang)`` | tasks of each plan item by progress status |
| ``group_rate_chart(rows, indicator, lang, …)`` | a rate by location × level with intervals and targets |
| ``quality_trends_chart(fitness, myopia, lang, …)`` | 优良率 and myopia rate over the years against targets |

``new_figure()`` gives a house-style figure and axes for a chart of one's own (seaborn draws on them).
"""

from __future__ import annotations

from qyanalysis.present.charts_equity import cv_chart, gap_chart
from qyanalysis.present.charts_quality import group_rate_chart, quality_trends_chart, task_progress_chart
from qyanalysis.present.charts_targets import league_chart, status_heatmap, target_chart
from qyanalysis.present.charts_time import small_multiples, small_multiples_matrix, trend_chart
from qyanalysis.present.style import new_figure

__all__ = [
    "cv_chart",
    "gap_chart",
    "group_rate_chart",
    "league_chart",
    "new_figure",
    "quality_trends_chart",
    "small_multiples",
    "small_multiples_matrix",
    "status_heatmap",
    "target_chart",
    "task_progress_chart",
    "trend_chart",
]
