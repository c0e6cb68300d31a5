"""County maps of the city comparison page: a frame ``counties × value``, then the map.

Each ``*_frame`` function selects from what the page computed once
(``page.all_counties_scorecard``) and returns one row per county with
``county_code, county_name`` and ``status`` or ``value`` (what
:func:`qyanalysis.present.maps.county_map` colours); :func:`show_county_maps`
draws them. Whether the counties are tiles or real outlines is the setting
``qyanalysis.settings.MAP_BACKEND`` ("tiles" by default; see its docstring).
A region with more than :data:`MAX_MAP_COUNTIES` counties is mapped for the
counties the page shows (:func:`qyanalysis.report.views_city.shown_counties`).
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, display

from qyanalysis import settings
from qyanalysis.present import maps
from qyanalysis.present.html import map_notes
from qyanalysis.present.map_names import MAX_MAP_COUNTIES
from qyanalysis.present.labels import t
from qyanalysis.report.page import Page
from qyanalysis.report.safe_tables import heading
from qyanalysis.report.show import show_figure
from qyanalysis.report.views_city import CV_CODES, shown_counties



def mapped_counties(page: Page) -> list[str]:
    """Codes of the counties the maps show: all of them, or the page's shown ones in a large region."""
    codes = page.dataset.counties.codes
    return codes if len(codes) <= MAX_MAP_COUNTIES else shown_counties(page)


def _county_frame(page: Page) -> pd.DataFrame:
    names = maps.map_names(page.dataset.counties.counties, page.lang)
    codes = mapped_counties(page)
    return pd.DataFrame({"county_code": codes, "county_name": [names[code] for code in codes]})


def _county_target_rows(page: Page) -> pd.DataFrame:
    card = page.all_counties_scorecard
    return card[(card["scope"] == "county") & (card["level"] == "county")]


def not_met_frame(page: Page) -> pd.DataFrame:
    """Per county, ``value`` = county-scope targets whose status is ``not_met`` (NaN: no targets assessed)."""
    rows = _county_target_rows(page)
    counts = rows["status"].eq("not_met").groupby(rows["county_code"]).sum()
    frame = _county_frame(page)
    return frame.assign(value=frame["county_code"].map(counts).astype(float))


def cv_verdict(statuses: pd.Series) -> str:
    """One verdict on a county's 14 差异系数: ``not_met`` if any is over its limit, ``met`` if all 14
    are within, else ``no_data`` (the national 优质均衡 rule asks for all of them: 教督〔2017〕6号)."""
    if statuses.eq("not_met").any():
        return "not_met"
    return "met" if int(statuses.eq("met").sum()) == len(CV_CODES) else "no_data"


def cv_frame(page: Page) -> pd.DataFrame:
    """Per county, ``status`` = :func:`cv_verdict` of its 差异系数 and ``value_text`` = "12/14 项达标"."""
    rows = _county_target_rows(page)
    rows = rows[rows["indicator"].isin(CV_CODES)]
    by_county = rows.groupby("county_code")["status"]
    frame = _county_frame(page)
    verdicts = by_county.apply(cv_verdict)
    met = by_county.apply(lambda statuses: int(statuses.eq("met").sum()))
    texts = {code: t("map.cv_text", page.lang, met=int(met[code]), total=len(CV_CODES)) for code in met.index}
    return frame.assign(status=frame["county_code"].map(verdicts).fillna("no_data"),
                        value_text=frame["county_code"].map(texts).fillna(""))


def map_boundaries(codes: list[str]) -> maps.Boundaries | None:
    """Outlines per ``settings.MAP_BACKEND`` / ``MAP_GEOJSON`` (None: the tile grid)."""
    return maps.boundaries_for(codes, settings.MAP_BACKEND, settings.MAP_GEOJSON or None)


def show_county_maps(page: Page) -> None:
    """Two maps of the counties: the 优质均衡 差异系数 verdict, and the number of targets not met."""
    heading(t("map.heading", page.lang))
    boundaries = map_boundaries(mapped_counties(page))
    show_figure(maps.county_map(cv_frame(page), page.lang, colour_by="status", boundaries=boundaries,
                                title=t("map.cv_title", page.lang)))
    notes = [t("map.cv_note", page.lang)]
    show_figure(maps.county_map(not_met_frame(page), page.lang, colour_by="value", unit="count",
                                boundaries=boundaries, title=t("map.not_met_title", page.lang),
                                legend_title=t("map.not_met_legend", page.lang)))
    notes += [t("map.not_met_note", page.lang), *map_notes(boundaries.source if boundaries else "", page.lang)]
    display(HTML("".join(f"<p>{html.escape(note)}</p>" for note in notes)))
