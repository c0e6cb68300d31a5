"""What every page builds: its targets, each item's targets and tasks, in-year series, task progress.

Builders take a :class:`~qyanalysis.report.page.Page` and return a frame made
safe and labelled by :func:`qyanalysis.report.frames.labelled`; the numbers
are the scorecard's and ``qyanalysis.measures``' (task tallies, in-year
periods), nothing is computed here that belongs there. The views of
``qyanalysis.report.views.common`` draw these frames; the page blocks of
``qyanalysis.report.show`` (header, summary, items) put them together.

The county helpers (:func:`shown_counties`, :func:`listed_counties`,
:func:`county_names`) are the one home of "which counties does a page list,
and under what name" for every table module.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from qyanalysis.contract.plan import item_title
from qyanalysis.measures.periods import as_month_periods, city_monthly_totals, latest_rows
from qyanalysis.measures.tasks import task_status_counts
from qyanalysis.present.charts_base import marked, wrap
from qyanalysis.present.charts_quality import TASK_STATUS_ORDER
from qyanalysis.present.labels import indicator_label, t
from qyanalysis.present.map_names import tile_name
from qyanalysis.present.narrative import coverage_label
from qyanalysis.present.shown import shown_row, whole_threshold
from qyanalysis.report.frames import labelled, with_spec
from qyanalysis.report.page import Page
from qyanalysis.report.registry import builder

# A region with more counties than this is shown for the ones with most pupils (said on the page).
MAX_COUNTIES_SHOWN = 16
CHART_NAME_WIDTH = 24  # characters per line of an English county name on a chart
NAME_FORMS = ("table", "chart", "map")
# Scorecard columns shown in a table of targets.
TARGET_COLUMNS = ("indicator", "row_scope", "value", "comparator", "threshold", "status", "period")
TASK_COLUMNS = ("task_id", "title", "progress", "due")
# More targets than this in a page summary: the chart shows only those not met (phone-readable).
MAX_SUMMARY_BARS = 20
# Statuses whose targets have no value to draw.
UNDRAWN = ("no_data", "not_applicable")
# Scorecard columns the in-year trend chart reads beside the series.
FORECAST_COLUMNS = ("forecast", "forecast_low", "forecast_high", "threshold")
PLAN_DEFAULT = "plan default"


# --- counties --------------------------------------------------------------------------------------

def shown_counties(page: Page) -> list[str]:
    """Codes of the counties a city table lists: all, or the :data:`MAX_COUNTIES_SHOWN` with most pupils.

    Computed once per kernel (``page.memo``): every city table of a batch lists the same counties.
    """
    def largest() -> list[str]:
        codes = page.dataset.counties.codes
        if len(codes) <= MAX_COUNTIES_SHOWN:
            return list(codes)
        schools = page.dataset.schools
        pupils = schools.loc[schools["year"] == page.year].groupby("county_code")["students"].sum()
        ranked = pupils.reindex(codes).fillna(0).sort_values(ascending=False, kind="stable")
        return sorted(ranked.index[:MAX_COUNTIES_SHOWN])

    return list(page.memo(("shown_counties", page.year, MAX_COUNTIES_SHOWN), largest))


def listed_counties(page: Page) -> list[str]:
    """Counties whose rows a table lists: the page's own, or on the city page the :func:`shown_counties`."""
    return shown_counties(page) if page.is_city else [page.county_code]


def counties_cut_note(page: Page, whole_page: bool = False) -> str:
    """On the city page of a large region, the sentence saying how many counties are listed ("" otherwise).

    Args:
        page: The page.
        whole_page: The sentence of the page's header (every chart and table
            below) instead of one table's.
    """
    total, shown = len(page.dataset.counties.codes), len(listed_counties(page))
    if not page.is_city or shown >= total:
        return ""
    key = "report.city.counties_limited" if whole_page else "report.staffing.counties_cut"
    return t(key, page.lang, total=total, shown=shown)


def county_names(page: Page, codes: Sequence[str] | pd.Series, form: str = "table",
                 mark_own: bool = False) -> pd.Series:
    """Display names of county codes in the page's language (escaped later, by the table, chart or map).

    Args:
        page: The page (its registry and language).
        codes: County codes (the city code gives the city's name).
        form: ``"table"``: the full name (清城区, Qingcheng District);
            ``"chart"``: the short Chinese name (清城) or the English name
            wrapped to :data:`CHART_NAME_WIDTH` characters; ``"map"``: the
            tile name (:func:`qyanalysis.present.map_names.tile_name`).
        mark_own: Mark the page's own county "(本县)" / "(this county)".

    Returns:
        A string series aligned with ``codes`` (its index when a series).
    """
    codes = codes if isinstance(codes, pd.Series) else pd.Series(list(codes), dtype="str")
    if form not in NAME_FORMS:
        raise ValueError(f"unknown name form {form!r}; expected one of {', '.join(NAME_FORMS)}")
    registry = page.dataset.counties
    table = registry.counties.set_index("county_code")

    def name(code: str) -> str:
        if form == "table" or code not in table.index:
            return registry.name(code, page.lang)
        row = table.loc[code]
        if form == "map":
            return tile_name(row["name_zh"], row["short_zh"], row["name_en"], page.lang)
        if page.lang == "en":
            return wrap(str(row["name_en"]), "en", CHART_NAME_WIDTH)
        return tile_name(row["name_zh"], row["short_zh"], row["name_en"], "zh")

    names = {code: name(code) for code in pd.unique(codes.astype("str"))}
    shown = codes.astype("str").map(names).astype("str")
    if mark_own:
        own = codes.astype("str") == page.county_code
        shown = shown.where(~own, shown.map(lambda text: t("report.quality.this_county", page.lang, name=text)))
    return shown


# --- targets ---------------------------------------------------------------------------------------

def row_scope(card: pd.DataFrame) -> pd.Series:
    """Whose row each scorecard row is: ``city``, ``county`` or ``city_target`` (a county's reading of a city
    line)."""
    scope = np.where(card["level"] == "city", "city",
                     np.where(card["scope_note"] == "city_target", "city_target", "county"))
    return pd.Series(scope, index=card.index, dtype="str")


def with_scope(card: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Scorecard rows with ``row_scope`` and ``coverage_text`` (what an incomplete value covers, in words)."""
    return card.assign(row_scope=row_scope(card),
                       coverage_text=[coverage_label(str(c), lang) for c in card["coverage"].fillna("")])


def target_columns(rows: pd.DataFrame, first: Sequence[str] = ()) -> tuple[str, ...]:
    """The shown columns of a target table: :data:`TARGET_COLUMNS`, and the coverage where a row is incomplete."""
    partial = ("coverage_text",) if rows["coverage_text"].ne("").any() else ()
    return (*first, *TARGET_COLUMNS, *partial)


@builder
def section_targets(page: Page) -> pd.DataFrame:
    """The page's targets (its section's items; every item on an overview or the city page), scorecard rows.

    Returns:
        Every scorecard column plus ``row_scope`` and ``coverage_text``; shown: ``item`` and
        :data:`TARGET_COLUMNS` (and the coverage where a row is incomplete, :func:`target_columns`). The empty text says the section has no
        quantitative target.
    """
    card = with_scope(page.section_scorecard(), page.lang)
    return labelled(card, page.lang, columns=target_columns(card, ("item",)), units={"coverage_text": "text"},
                    empty_text=t("report.no_targets", page.lang))


@builder
def summary_targets(page: Page) -> pd.DataFrame:
    """The targets the page's summary chart draws: one row per indicator with a value to draw.

    More than :data:`MAX_SUMMARY_BARS` such targets and some need attention
    (not met, at risk, on track): only those, and the note says so. On a
    county's page a city row (the city's figure, e.g. the city's seats) has
    ``scope_mark`` "全市" / "city", which the chart adds to its name; else "".
    """
    card = page.section_scorecard()
    drawn = card[~card["status"].isin(UNDRAWN)].drop_duplicates("indicator")
    attention = drawn[drawn["status"] != "met"]
    note = ""
    if len(drawn) > MAX_SUMMARY_BARS and not attention.empty:
        note = t("report.summary_chart_attention", page.lang, shown=len(attention), total=len(drawn))
        drawn = attention
    city_rows = (drawn["level"] == "city") & (not page.is_city)
    drawn = drawn.assign(scope_mark=np.where(city_rows, t("counts.city_chart_mark", page.lang), ""))
    return labelled(drawn.reset_index(drop=True), page.lang,
                    columns=("indicator", "value", "threshold", "status"), note=note,
                    empty_text=t("report.no_targets", page.lang))


@builder
def item_targets(page: Page, item: int) -> pd.DataFrame:
    """The scorecard rows of one plan item (the county's and the city's), with ``row_scope``."""
    card = page.scorecard
    rows = with_scope(card[card["item"] == item].reset_index(drop=True), page.lang)
    return labelled(rows, page.lang, columns=target_columns(rows), units={"coverage_text": "text"})


def item_rows(section: pd.DataFrame, item: int) -> pd.DataFrame:
    """One item's rows of a :func:`section_targets` frame, shown as :func:`item_targets` shows them (no
    ``item`` column); the rows keep their labels, so that their disclosure marks stay theirs."""
    rows = section[section["item"] == item]
    return with_spec(rows, columns=target_columns(rows))


@builder
def in_year_trend(page: Page, target_id: str, county_code: str | None = None) -> pd.DataFrame:
    """The in-year series of one forecast target: cumulative value by month, with the year-end forecast.

    The series is the measure frame's monthly or quarterly rows of the
    target's indicator and unit (quarters placed at the month they end:
    :func:`qyanalysis.measures.periods.as_month_periods`); a city row without
    its own in-year rows reads the sum of the counties' months
    (:func:`qyanalysis.measures.periods.city_monthly_totals`). Every row
    repeats the scorecard row's forecast, its interval, the threshold and its comparator.

    Args:
        page: The page.
        target_id: The scorecard row's target.
        county_code: Whose row (default the page's unit; a city row on a county page: the city code).

    Returns:
        ``period, value, indicator``, :data:`FORECAST_COLUMNS` and ``comparator`` (the threshold line's
        words, :func:`qyanalysis.present.shown.threshold_text`); empty when
        the target has no forecast or fewer than two periods.
    """
    unit = county_code or page.county_code
    card = page.scorecard
    rows = card[(card["target_id"] == target_id) & (card["county_code"] == unit) & card["forecast"].notna()]
    columns = ["period", "value", "indicator", *FORECAST_COLUMNS]
    empty = labelled(pd.DataFrame(columns=columns), page.lang, columns=("period", "value"))
    if rows.empty:
        return empty
    row = rows.iloc[0]
    m = page.measures
    series = m[(m["county_code"] == unit) & (m["year"] == page.year) & (m["indicator"] == row["indicator"])
               & (m["period"] != "")]
    if unit == page.dataset.counties.city_code and series.empty:
        series = city_monthly_totals(m, str(row["indicator"]), page.year, page.dataset.counties.codes)
    if len(series) < 2:
        return empty
    frame = as_month_periods(series[["period", "value", "indicator"]]).reset_index(drop=True)
    frame = frame.assign(**{c: float(row[c]) for c in FORECAST_COLUMNS}, comparator=str(row["comparator"]))
    unit_code, whose = str(row["unit"]), str(county_names(page, [unit]).iloc[0])
    return labelled(frame.assign(unit=unit_code, scope_mark=whose), page.lang, columns=("period", "value"),
                    title=marked(indicator_label(str(row["indicator"]), page.lang), whose, page.lang))


# --- tasks -----------------------------------------------------------------------------------------

def _page_tasks(page: Page) -> tuple[pd.DataFrame, bool]:
    """The tasks behind the page, and whether they are the plan's defaults.

    A county page: the county's tasks (``targets.tasks_for``). The city page:
    every task row of the data (each county's and the city's own), so that the
    summary is city-wide; the plan's list when no tasks table was supplied.
    """
    from qyanalysis.verdicts.targets import tasks_for

    own = page.dataset.tasks
    if page.is_city and own is not None and not own.empty:
        return own, False
    tasks = tasks_for(page.dataset, "city" if page.is_city else page.county_code)
    return tasks, bool((tasks["source"] == PLAN_DEFAULT).all())


@builder
def item_tasks(page: Page, item: int) -> pd.DataFrame:
    """The item's milestones (the bureau's ``tasks`` table, else the plan's default task list).

    Returns:
        The task rows (``status`` as ``task_status``) with ``title`` (the page's
        language, Chinese where no English title was given) and ``progress``
        (the status in words);
        shown: :data:`TASK_COLUMNS`. The note says when the plan's list stands
        in for missing progress data.
    """
    from qyanalysis.verdicts.targets import tasks_for

    tasks = tasks_for(page.dataset, "city" if page.is_city else page.county_code)
    tasks = tasks[tasks["item"] == item].reset_index(drop=True)
    title = tasks["title_zh"]
    if page.lang == "en" and "title_en" in tasks:
        title = tasks["title_en"].fillna(tasks["title_zh"])
    progress = tasks["status"].map(lambda status: t(f"task_status.{status}", page.lang))
    # ``task_status``: a task's status is not a target's (the table colours a ``status`` column as one).
    tasks = tasks.assign(title=title.astype("str"), progress=progress.astype("str")).rename(
        columns={"status": "task_status"})
    default = not tasks.empty and "source" in tasks and bool((tasks["source"] == PLAN_DEFAULT).all())
    return labelled(tasks, page.lang, title=t("report.tasks", page.lang),
                    columns=tuple(c for c in TASK_COLUMNS if c in tasks),
                    headers={"title": t("report.task_title", page.lang),
                             "progress": t("report.task_progress", page.lang),
                             "due": t("report.task_due", page.lang)},
                    note=t("report.tasks_default", page.lang) if default else "")


@builder
def task_progress(page: Page, items: Sequence[int] | None = None) -> pd.DataFrame:
    """Tasks of the page's items by progress status (:func:`qyanalysis.measures.tasks.task_status_counts`).

    The county's tasks, or on the city page every task the data holds (each
    county's and the city's). The note is the sentence of totals, and says
    when the plan's list stands in for missing data or that the city sums
    every county.

    Returns:
        ``item, title``, one count column per status (in the chart's order:
        done first) and ``total``; empty when the items have no task.
    """
    tasks, is_default = _page_tasks(page)
    counts = task_status_counts(tasks, list(items) if items is not None else page.items)
    statuses = list(TASK_STATUS_ORDER)
    counts = counts[["item", *statuses, "total"]].assign(
        title=[item_title(int(item), page.lang) for item in counts["item"]])
    title = t("report.quality.task_summary", page.lang)
    if counts["total"].sum() == 0:
        return labelled(counts.iloc[0:0], page.lang, title=title)
    totals = {k: int(v) for k, v in counts[[*statuses, "total"]].sum().items()}
    note = t("report.quality.task_sentence", page.lang, **totals)
    extra = ("report.tasks_default" if is_default
             else "report.quality.task_summary_city" if page.is_city else None)
    headers = {s: t(f"task_status.{s}", page.lang) for s in statuses}
    headers.update(title=t("report.item_title", page.lang), total=t("report.quality.task_total", page.lang))
    return labelled(counts, page.lang, title=title, columns=("item", "title", *statuses, "total"),
                    headers=headers,
                    units=dict.fromkeys([*statuses, "total"], "count"),
                    note=note + (f" {t(extra, page.lang)}" if extra else ""))


def _target_row(page: Page, target_id: str) -> pd.Series | None:
    """The scorecard row of ``target_id`` with a threshold on this page, else the registry's row; None."""
    from qyanalysis.verdicts.targets import load_targets

    card = page.scorecard
    rows = card.loc[(card["target_id"] == target_id) & card["threshold"].notna()]
    if rows.empty:
        registry = load_targets()
        rows = registry[registry["target_id"] == target_id]
    return rows.iloc[0] if not rows.empty else None


def target_threshold(page: Page, target_id: str) -> float | None:
    """The threshold of ``target_id`` on this page: its scorecard row's (overrides applied), else the registry's.

    For a line drawn or a sentence written when the page has no row of the
    target; None when the registry has no such target.
    """
    row = _target_row(page, target_id)
    return None if row is None else float(row["threshold"])


def target_threshold_digits(page: Page, target_id: str) -> str:
    """:func:`target_threshold`'s digits (no unit) by the one display rule: a count's line whole by its comparator
    (≥ 59.5 tasks: "60")."""
    row = _target_row(page, target_id)
    if row is None:
        return t("value.missing", page.lang)
    return shown_row(row).digits("threshold")


# --- county comparisons and reported inputs (sections 3–7) -----------------------------------------

# Counties a county comparison (league chart, city-targets table) shows at most: the page's county and its
# neighbours in rank, so a region of 2,846 counties still gives a readable chart.
RANK_WINDOW = 25


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
    rows = latest_rows(measures, codes, county_codes, year)
    periods = rows.groupby("county_code")["period"].agg(lambda p: ", ".join(sorted(set(p) - {""})))
    wide = wide_inputs(rows.assign(period=""), codes, county_codes, [year])
    return wide.assign(period=wide["county_code"].map(periods).fillna(""))[
        ["county_code", "year", "period", *codes]]


@builder
def city_count_targets(page: Page) -> pd.DataFrame:
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
    # the line as the scorecard prints it: whole, by its comparator (>= 7.5 schools is 8)
    lines = {code: whole_threshold(float(row["threshold"]), str(row["comparator"])) if pd.notna(row["threshold"])
             else float("nan") for code, row in by_code.iterrows()}
    goal = {"county_code": "", "county_name": t("report.quality.city_target", page.lang), **lines}
    table = pd.concat([window, pd.DataFrame([city, goal])], ignore_index=True)
    notes = [t("report.quality.city_targets_note", page.lang), window_note(page, len(window), len(parts))]
    return labelled(table, page.lang, title=title, columns=("county_name", *codes),
                    headers={"county_name": t("column.county_name", page.lang),
                             **{c: indicator_label(c, page.lang) for c in codes}},
                    units=dict.fromkeys(codes, "count"), note=" ".join(n for n in notes if n))


@builder
def ranked_counties(page: Page, indicator: str, target_id: str) -> pd.DataFrame:
    """City page: the listed counties ranked on ``indicator`` (scorecard values and statuses), with the
    target's threshold as the chart's ``line``; empty on a county page."""
    card = page.all_counties_scorecard
    rows = card[(card["target_id"] == target_id) & card["county_code"].isin(listed_counties(page))
                & card["value"].notna()]
    if not page.is_city:
        rows = rows.iloc[0:0]
    rows = rows[["county_code", "indicator", "value", "threshold", "status"]].sort_values(
        "value", ascending=False, kind="stable").reset_index(drop=True)
    line = target_threshold(page, target_id)
    rows = rows.assign(county_name=county_names(page, rows["county_code"]).to_numpy(),
                       line=float("nan") if line is None else line)
    return labelled(rows, page.lang, title=t(f"indicator.{indicator}", page.lang),
                    columns=("county_name", "value", "threshold", "status"),
                    headers={"county_name": t("column.county_name", page.lang),
                             "value": t(f"indicator.{indicator}", page.lang)},
                    units={"value": "ratio", "threshold": "ratio"},
                    empty_text="" if page.is_city else t("report.staffing.city_only", page.lang))


def _unit_rows(page: Page, codes: Sequence[str]) -> pd.DataFrame:
    """Reported inputs side by side: on a county page the county over every year, on the city page every
    listed county this year; ``unit_name`` names the row (year or county)."""
    if page.is_city:
        frame = wide_inputs(page.measures, codes, listed_counties(page), [page.year])
        names = county_names(page, frame["county_code"])
    else:
        frame = wide_inputs(page.measures, codes, [page.county_code], page.dataset.years)
        names = frame["year"].astype("str")
    return frame.assign(unit_name=names.to_numpy())


def unit_header(page: Page) -> str:
    """Header of :func:`_unit_rows`' ``unit_name``: county (city page) or year (county page)."""
    return t("column.county_name" if page.is_city else "column.year", page.lang)
