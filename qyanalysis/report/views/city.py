"""The city comparison page: charts, maps and the coloured 差异系数 table of ``report.tables.city``.

Each view takes the frame its builder returned and draws it through
``qyanalysis.present``; it computes nothing. A view that draws one chart per
indicator or section returns them as one HTML block (:func:`figures_html`).
Whether the maps show tiles or outlines is the setting
``qyanalysis.settings.MAP_BACKEND`` (read here, as presentation).
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from qyanalysis import settings
from qyanalysis.present import maps
from qyanalysis.present.charts import league_chart, small_multiples_matrix, status_heatmap
from qyanalysis.present.html import map_notes
from qyanalysis.present.labels import indicator_label, section_title, t
from qyanalysis.present.shown import shown_row
from qyanalysis.present.tables import SHORT_TEXT_WIDTH, text_width
from qyanalysis.present.style import STATUS_COLOURS, STATUS_TEXT_COLOURS
from qyanalysis.report.frames import spec_of
from qyanalysis.report.views.common import figures_html, lang_of, note_of, nothing_to_draw, title_of
from qyanalysis.report.registry import view

_NOWRAP = "white-space:nowrap;"
_CELL = "border-bottom:1px solid #ddd;padding:4px 8px;text-align:right;white-space:nowrap;"
_HEAD = "border-bottom:2px solid #444;padding:4px 8px;text-align:left;vertical-align:bottom;"


def _line(value: object) -> float | None:
    """A threshold cell as the chart's line (None: no line)."""
    return None if pd.isna(value) else float(value)


@view("county_statuses")
def status_heatmaps(statuses: pd.DataFrame) -> HTML:
    """One heat map per plan section of ``tables.city.county_statuses``, under its title."""
    if statuses.empty:
        return nothing_to_draw(statuses)
    lang = lang_of(statuses)
    parts = [(section_title(int(section), lang), status_heatmap(rows, lang))
             for section, rows in statuses.groupby("section", sort=False)]
    head = f"<h2>{html.escape(title_of(statuses))}</h2><p>{html.escape(note_of(statuses))}</p>"
    return HTML(head + figures_html(parts).data)


@view("county_map_values")
def county_maps(values: pd.DataFrame) -> HTML:
    """Two maps of :func:`~qyanalysis.report.tables.city.county_map_values`: the 差异系数 verdict and the
    number of targets not met, with what the maps are (tiles or outlines) and the 审图号 note."""
    if values.empty:
        return nothing_to_draw(values)
    lang = lang_of(values)
    boundaries = maps.boundaries_for(list(values["county_code"]), settings.MAP_BACKEND,
                                     settings.MAP_GEOJSON or None)
    cv = values[["county_code", "county_name", "status"]].assign(value_text=values["cv_text"])
    verdicts = maps.county_map(cv, lang, colour_by="status", boundaries=boundaries,
                               title=t("map.cv_title", lang))
    not_met = maps.county_map(values[["county_code", "county_name"]].assign(value=values["not_met"]), lang,
                              colour_by="value", unit="count", boundaries=boundaries,
                              title=t("map.not_met_title", lang), legend_title=t("map.not_met_legend", lang))
    notes = [t("map.cv_note", lang), t("map.not_met_note", lang),
             *map_notes(boundaries.source if boundaries else "", lang)]
    return figures_html([("", verdicts), ("", not_met)], notes)


@view("league_tables")
def league_charts(leagues: pd.DataFrame) -> HTML:
    """One ranked bar chart per indicator of ``tables.city.league_tables``, with its line."""
    if leagues.empty:
        return nothing_to_draw(leagues)
    lang = lang_of(leagues)
    parts = []
    for indicator, rows in leagues.groupby("indicator", sort=False):
        shown = rows.drop(columns="county_name").rename(columns={"chart_name": "county_name"})
        if shown["status"].isna().all():
            shown = shown.drop(columns="status")
        parts.append(("", league_chart(shown, str(indicator), _line(rows["threshold"].iloc[0]), lang)))
    return figures_html(parts)


@view("key_trends")
def trend_panels(trends: pd.DataFrame) -> HTML:
    """The indicators of a trends frame over the years as one figure of small multiples (a row per county,
    a column per indicator, each with its line), under the frame's title (``tables.city.key_trends``,
    ``tables.city.balance_cv_trends``)."""
    if trends.empty:
        return HTML("")
    lines = {str(indicator): _line(rows["threshold"].iloc[0])
             for indicator, rows in trends.groupby("indicator", sort=False)}
    figure = small_multiples_matrix(trends, lang_of(trends), lines)
    return HTML(f"<h3>{html.escape(title_of(trends))}</h3>" + figures_html([("", figure)]).data)


@view("balance_cv_matrix")
def cv_matrix_table(matrix: pd.DataFrame) -> HTML:
    """``tables.city.balance_cv_matrix`` as a table coloured by status, under its title.

    Each cell shows the county's value, coloured (and titled) by its status;
    where the counties' limits differ (an override), the cell names its own.
    """
    if matrix.empty:
        return nothing_to_draw(matrix)
    lang = lang_of(matrix)
    spec = spec_of(matrix)
    counties = [c for c in spec.columns if c not in ("indicator", "limit")]
    names = (t("column.indicator", lang), spec.headers["limit"], *(spec.headers[c] for c in counties))
    head = "".join(f'<th style="{_HEAD}{_NOWRAP if text_width(text) <= SHORT_TEXT_WIDTH else ""}">'
                   f"{html.escape(text)}</th>" for text in names)  # a long name wraps (A4)
    body = []
    for _, row in matrix.iterrows():
        tds = [(f'<td style="{_CELL}text-align:left;white-space:normal;">'
                f"{html.escape(indicator_label(str(row['indicator']), lang))}</td>"),
               f'<td style="{_CELL}">{html.escape(str(row["limit"]))}</td>']
        for county in counties:
            status, own = str(row[f"status_{county}"]), row[f"own_limit_{county}"]
            shown = shown_row({"unit": "ratio", "value": row[county], "threshold": row[f"threshold_{county}"],
                               "comparator": row[f"comparator_{county}"], "status": status})
            text = shown.text("value", lang)
            if pd.notna(own):
                text += f" (≤ {shown.text('threshold', lang)})"
            style = f"background:{STATUS_COLOURS[status]};color:{STATUS_TEXT_COLOURS[status]};"
            tds.append(f'<td style="{_CELL}{style}" title="{html.escape(t(f"status.{status}", lang))}">'
                       f"{html.escape(text)}</td>")
        body.append(f"<tr>{''.join(tds)}</tr>")
    note = f"<p>{html.escape(spec.note)}</p>" if spec.note else ""
    title = f"<h2>{html.escape(spec.title)}</h2>" if spec.title else ""
    return HTML(f'{title}<div class="qy-table" style="overflow-x:auto;max-width:100%;">'
                f'<table class="qy-compact" style="border-collapse:collapse;font-size:0.85em;">'
                f"<thead><tr>{head}</tr></thead>"
                f'<tbody>{"".join(body)}</tbody></table></div>{note}')
