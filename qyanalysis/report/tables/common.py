"""What several table modules share: county names, which counties a comparison lists, thresholds in force,
reported inputs side by side, and the city-scope count targets (sections 3 and 4).

Selections and labels only: the numbers come from the measure frame and the
scorecard of the page.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from qyanalysis.present.labels import indicator_label, t
from qyanalysis.report.frames import labelled
from qyanalysis.report.page import Page

# Counties a county comparison (league chart, city-targets table) shows at most: the page's county and its
# neighbours in rank, so a region of 2,846 counties still gives a readable chart.
RANK_WINDOW = 25
# Counties a city page's by-county tables list at most: all of them, or the largest by pupils.
MAX_COUNTIES_SHOWN = 16


def county_names(page: Page, codes: Sequence[str] | pd.Series, mark_own: bool = False) -> pd.Series:
    """Display names of county codes in the page's language (escaped by the table that shows them).

    Args:
        page: The page (its language and county).
        codes: County codes.
        mark_own: Mark the page's own county "(本县)" / "(this county)".

    Returns:
        A string series aligned with ``codes`` (its index when a series).
    """
    codes = pd.Series(codes) if not isinstance(codes, pd.Series) else codes
    names = codes.map(lambda code: page.dataset.counties.name(code, page.lang)).astype("str")
    if mark_own:
        own = codes == page.county_code
        names = names.where(~own, names.map(lambda name: t("report.quality.this_county", page.lang, name=name)))
    return names


def shown_counties(page: Page) -> list[str]:
    """Counties a city page's by-county tables list: all, or the :data:`MAX_COUNTIES_SHOWN` with most pupils.

    A county page lists its own county only. Computed once per kernel (``page.memo``).
    """
    if not page.is_city:
        return [page.county_code]
    size = MAX_COUNTIES_SHOWN

    def largest() -> list[str]:
        codes = page.dataset.counties.codes
        if len(codes) <= size:
            return list(codes)
        pupils = page.schools.groupby("county_code")["students"].sum()
        ranked = pupils.reindex(codes).fillna(0).sort_values(ascending=False, kind="stable")
        return sorted(ranked.index[:size])

    return page.memo(("shown_counties", page.year, size), largest)


def counties_cut_note(page: Page) -> str:
    """On the city page of a large region, the sentence saying how many counties a table lists ("" otherwise)."""
    shown, total = len(shown_counties(page)), len(page.dataset.counties.codes)
    if page.is_city and shown < total:
        return t("report.staffing.counties_cut", page.lang, shown=shown, total=total)
    return ""


def nearest_in_rank(frame: pd.DataFrame, column: str, county_code: str, size: int = RANK_WINDOW) -> pd.DataFrame:
    """At most ``size`` rows of a county comparison, ranked on ``column`` (largest first).

    All rows when there are no more than ``size``; else the county and its
    neighbours in rank (a window of ``size`` around it), or, when the county
    is not in the frame (the city page), the first ``size // 2`` and the last
    ``size − size // 2``.
    """
    ranked = frame.sort_values(column, ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    if len(ranked) <= size:
        return ranked
    at = np.flatnonzero(ranked["county_code"].to_numpy() == county_code)
    if not len(at):
        return pd.concat([ranked.head(size // 2), ranked.tail(size - size // 2)])
    start = int(min(max(at[0] - size // 2, 0), len(ranked) - size))
    return ranked.iloc[start:start + size]


def window_note(page: Page, shown: int, total: int) -> str:
    """The sentence under a ranked comparison that shows only part of the counties ("" when all are shown)."""
    return t("report.quality.counties_shown", page.lang, shown=shown, total=total) if shown < total else ""


def threshold_of(page: Page, target_id: str) -> float | None:
    """The threshold of ``target_id`` on this page (the county's override wins), else the registry's.

    None when the registry has no such target.
    """
    from qyanalysis.targets import load_targets

    card = page.scorecard
    rows = card.loc[(card["target_id"] == target_id) & card["threshold"].notna()]
    if rows.empty:
        registry = load_targets()
        rows = registry[registry["target_id"] == target_id]
    return float(rows["threshold"].iloc[0]) if not rows.empty else None


def wide_inputs(measures: pd.DataFrame, codes: Sequence[str], county_codes: Sequence[str],
                years: Sequence[int]) -> pd.DataFrame:
    """Annual measure-frame values of ``codes`` side by side, one row per county × year.

    Args:
        measures: The measure frame (``page.measures``).
        codes: Indicator codes (become columns; absent ones are all-NaN columns).
        county_codes: Counties kept.
        years: Years kept.

    Returns:
        ``county_code, year`` and one float column per code, sorted.
    """
    rows = measures[measures["indicator"].isin(codes) & (measures["period"] == "")
                    & measures["county_code"].isin(county_codes) & measures["year"].isin(years)]
    wide = rows.pivot_table(index=["county_code", "year"], columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(codes)).reset_index()
    wide.columns.name = None
    return wide.astype({code: "float64" for code in codes}).sort_values(["county_code", "year"]).reset_index(
        drop=True)


def latest_inputs(measures: pd.DataFrame, codes: Sequence[str], county_codes: Sequence[str],
                  year: int) -> pd.DataFrame:
    """Each county's latest value of ``codes`` in ``year``, side by side, with the period it is for.

    The latest value is the annual (year-end) one when there is one, else the
    last month or quarter reported (an in-year snapshot, e.g. "2022-Q3").

    Returns:
        ``county_code, year, period`` ("" for year-end values; the periods,
        comma-separated, when the codes differ) and one float column per code.
    """
    from qyanalysis.report.show import latest_rows

    rows = latest_rows(measures, codes, county_codes, year)
    periods = rows.groupby("county_code")["period"].agg(lambda p: ", ".join(sorted(set(p) - {""})))
    wide = wide_inputs(rows.assign(period=""), codes, county_codes, [year])
    return wide.assign(period=wide["county_code"].map(periods).fillna(""))[
        ["county_code", "year", "period", *codes]]


def city_targets(page: Page) -> pd.DataFrame:
    """City-scope count targets of the page's section: each county's reported count, the city figure, the target.

    A county's count is its latest of the year (year-end, else the last month
    or quarter of an in-year snapshot), the figures the city row is made of;
    at most :data:`RANK_WINDOW` counties (the page's and its neighbours in rank
    on the first target). The last two rows are the city's figure and target.

    Returns:
        ``county_code, county_name`` and one column per target indicator
        (counts of schools, groups or pilots — not of persons); empty when the
        section has no city-scope count target.
    """
    title = t("report.quality.city_targets", page.lang)
    card = page.section_scorecard()
    targets = card[(card["scope"] == "city") & (card["unit"] == "count") & (card["level"] == "city")]
    if targets.empty:
        return labelled(pd.DataFrame(columns=["county_code", "county_name"]), page.lang, title=title)
    codes = list(targets["indicator"])
    parts = latest_inputs(page.measures, codes, page.dataset.counties.codes, page.year)
    window = nearest_in_rank(parts[["county_code", *codes]], codes[0], page.county_code).sort_values("county_code")
    window = window.assign(county_name=county_names(page, window["county_code"], mark_own=True).to_numpy())
    by_code = targets.set_index("indicator")
    city = {"county_code": "", "county_name": t("report.quality.city_total", page.lang),
            **by_code["value"].to_dict()}
    goal = {"county_code": "", "county_name": t("report.quality.city_target", page.lang),
            **by_code["threshold"].to_dict()}
    table = pd.concat([window, pd.DataFrame([city, goal])], ignore_index=True)
    notes = [t("report.quality.city_targets_note", page.lang), window_note(page, len(window), len(parts))]
    return labelled(table, page.lang, title=title, columns=("county_name", *codes),
                    headers={"county_name": t("column.county_name", page.lang),
                             **{c: indicator_label(c, page.lang) for c in codes}},
                    units=dict.fromkeys(codes, "count"), note=" ".join(n for n in notes if n))


def ranked_counties(page: Page, indicator: str, target_id: str) -> pd.DataFrame:
    """City page: the listed counties ranked on ``indicator`` (scorecard values and statuses), with the
    target's threshold as the chart's ``line``; empty on a county page."""
    card = page.all_counties_scorecard
    rows = card[(card["target_id"] == target_id) & card["county_code"].isin(shown_counties(page))
                & card["value"].notna()]
    if not page.is_city:
        rows = rows.iloc[0:0]
    rows = rows[["county_code", "indicator", "value", "threshold", "status"]].sort_values(
        "value", ascending=False, kind="stable").reset_index(drop=True)
    line = threshold_of(page, target_id)
    rows = rows.assign(county_name=county_names(page, rows["county_code"]).to_numpy(),
                       line=float("nan") if line is None else line)
    return labelled(rows, page.lang, title=t(f"indicator.{indicator}", page.lang),
                    columns=("county_name", "value", "threshold", "status"),
                    headers={"county_name": t("column.county_name", page.lang),
                             "value": t(f"indicator.{indicator}", page.lang)},
                    units={"value": "ratio", "threshold": "ratio"},
                    empty_text="" if page.is_city else t("report.staffing.city_only", page.lang))


def unit_rows(page: Page, codes: Sequence[str]) -> pd.DataFrame:
    """Reported inputs side by side: on a county page the county over every year, on the city page every
    listed county this year; ``unit_name`` names the row (year or county)."""
    if page.is_city:
        frame = wide_inputs(page.measures, codes, shown_counties(page), [page.year])
        names = county_names(page, frame["county_code"])
    else:
        frame = wide_inputs(page.measures, codes, [page.county_code], page.dataset.years)
        names = frame["year"].astype("str")
    return frame.assign(unit_name=names.to_numpy())


def unit_header(page: Page) -> str:
    """Header of :func:`unit_rows`' ``unit_name``: county (city page) or year (county page)."""
    return t("column.county_name" if page.is_city else "column.year", page.lang)
