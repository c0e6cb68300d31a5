"""Section 3 (moral education and whole-person development, items 12–17): the quality analyses as labelled frames.

Rates come pooled from counts with Wilson 95 % intervals
(``qyanalysis.measures.quality.rate_table``, docs/methods.md “Intervals”) and
changes with Newcombe intervals (``measures.quality.rate_change``); a city page
pools every county's schools. Thresholds are the page's scorecard's (registry
after overrides). Views in ``qyanalysis.report.views.moral_education`` draw
these frames; the columns a chart needs beyond the table (the target, the
county's overall value) ride along in the frame, not shown.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from qyanalysis import disclosure
from qyanalysis.contract.columns import LOCATIONS, SCHOOL_LEVELS
from qyanalysis.contract.indicators import get
from qyanalysis.measures.quality import rate_change, rate_table
from qyanalysis.present.charts_quality import change_points_text
from qyanalysis.present.labels import indicator_label, t
from qyanalysis.present.numbers import format_value
from qyanalysis.report.frames import labelled
from qyanalysis.report.page import Page
from qyanalysis.report.tables.common import county_names, nearest_in_rank, target_threshold, window_note
from qyanalysis.report.registry import builder

# Targets of item 13 whose thresholds the charts draw, and the indicators the counties are compared on.
FITNESS_TARGET = "t13_fitness_good_rate"
TESTED_TARGET = "t13_fitness_tested_share"
MYOPIA_TARGET = "t13_myopia_rate_change"
LEAGUE_INDICATORS = ("fitness_good_rate", "fitness_tested_share", "myopia_rate_change")
GROUP_KEYS = ("location", "level")
# What a group table shows: counts (the header key of each by indicator), the rate and its interval.
_COUNT_HEADERS = {
    "fitness_good_rate": ("report.quality.fitness_tested_count", "report.quality.fitness_good_count"),
    "fitness_tested_share": ("report.quality.enrolled_count", "report.quality.fitness_tested_count"),
    "myopia_rate": ("report.quality.myopia_screened_count", "report.quality.myopia_cases_count"),
}
_CHANGE = ("change", "change_low", "change_high")


def _rates(page: Page, indicator: str, by: Sequence[str] = ()) -> pd.DataFrame:
    """Pooled rate of the page's county (or of the whole city) by year and ``by``, with Wilson intervals.

    Computed once per kernel for the whole region (``page.memo``), then the page's county kept.
    """
    keys = ("year", *by) if page.is_city else ("county_code", "year", *by)
    table = page.memo(("rate_table", indicator, keys), lambda: rate_table(page.dataset, indicator, by=list(keys)))
    if not page.is_city:
        table = table[table["county_code"] == page.county_code]
    return table.reset_index(drop=True)


def _in_display_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered urban → town → rural, then by school level as the census lists them."""
    order = {"location": {v: i for i, v in enumerate(LOCATIONS)},
             "level": {v: i for i, v in enumerate(SCHOOL_LEVELS)}}
    return frame.sort_values(list(GROUP_KEYS), key=lambda col: col.map(order[col.name]),
                             kind="stable").reset_index(drop=True)


def _value_in(frame: pd.DataFrame, year: int) -> float:
    """The ``value`` of a one-row-per-year frame in ``year`` (NaN when absent)."""
    values = frame.loc[frame["year"] == year, "value"]
    return float(values.iloc[0]) if not values.empty else float("nan")


def _group_frame(page: Page, indicator: str, rows: pd.DataFrame, title_key: str, note: str) -> pd.DataFrame:
    """Location × level rows labelled: counts under disclosure control, the rate, its interval, any change."""
    change = [c for c in _CHANGE if c in rows]
    tested, positive = _COUNT_HEADERS[indicator]
    headers = {"denominator": t(tested, page.lang), "numerator": t(positive, page.lang),
               "value": t("report.quality.rate", page.lang),
               **{c: t(f"report.quality.{c}", page.lang) for c in change}}
    units = {"value": "share", "ci_low": "share", "ci_high": "share", **dict.fromkeys(change, "pp")}
    return labelled(rows, page.lang, title=t(title_key, page.lang),
                    columns=("location", "level", "denominator", "numerator", "value", "ci_low", "ci_high",
                             *change),
                    headers=headers, units=units, counts=("denominator", "numerator"), note=note)


def _group_rates(page: Page, indicator: str, target_id: str | None) -> pd.DataFrame:
    """The report year's rate by location × level (display order), with the chart's target and overall lines."""
    groups = _rates(page, indicator, GROUP_KEYS)
    groups = _in_display_order(groups[groups["year"] == page.year])
    threshold = target_threshold(page, target_id) if target_id else None
    return groups.assign(threshold=float("nan") if threshold is None else threshold,
                         overall=_value_in(_rates(page, indicator), page.year), place=page.county_name)


def _interval_note(page: Page) -> str:
    return t("report.quality.interval_note", page.lang, threshold=disclosure.SUPPRESSION_THRESHOLD)


@builder
def fitness_by_group(page: Page) -> pd.DataFrame:
    """体质健康优良率 ((优秀 + 良好) ÷ tested) by location and level, Wilson intervals, the 50 % target.

    Returns:
        ``location, level, denominator`` (tested), ``numerator`` (优良), ``value,
        ci_low, ci_high`` and, for the chart, ``threshold, overall, place``.
    """
    rows = _group_rates(page, "fitness_good_rate", FITNESS_TARGET)
    return _group_frame(page, "fitness_good_rate", rows, "report.quality.fitness_groups", _interval_note(page))


@builder
def fitness_tested_by_group(page: Page) -> pd.DataFrame:
    """Share of pupils fitness-tested (tested ÷ enrolled) by location and level, against 100 %.

    Returns:
        As :func:`fitness_by_group` (``denominator`` enrolled, ``numerator`` tested).
    """
    rows = _group_rates(page, "fitness_tested_share", TESTED_TARGET)
    return _group_frame(page, "fitness_tested_share", rows, "report.quality.tested_groups", _interval_note(page))


@builder
def myopia_by_group(page: Page) -> pd.DataFrame:
    """Myopia rate by location and level, and its change on the previous year against −0.5 points.

    The change of each group is ``measures.quality.rate_change`` (Newcombe
    interval); the chart of the changes draws the target and the county's
    overall change.

    Returns:
        ``location, level, denominator`` (screened), ``numerator`` (myopic),
        ``value, ci_low, ci_high, change, change_low, change_high`` and, for
        the charts, ``threshold`` (the change target), ``overall``,
        ``overall_change``, ``place``.
    """
    rows = _group_rates(page, "myopia_rate", MYOPIA_TARGET)
    change = rate_change(_rates(page, "myopia_rate", GROUP_KEYS), GROUP_KEYS)
    change = change.loc[change["year"] == page.year, [*GROUP_KEYS, "value", "ci_low", "ci_high"]]
    rows = rows.merge(change.set_axis([*GROUP_KEYS, *_CHANGE], axis=1), on=list(GROUP_KEYS), how="left",
                      validate="1:1")
    rows["overall_change"] = _value_in(rate_change(_rates(page, "myopia_rate")), page.year)
    note = _interval_note(page) + " " + t("report.quality.change_note", page.lang)
    if not rows.empty and rows["change"].isna().all():
        note += " " + t("report.quality.no_previous_year", page.lang)
    return _group_frame(page, "myopia_rate", rows, "report.quality.myopia_groups", note)


@builder
def quality_trends(page: Page) -> pd.DataFrame:
    """优良率 and myopia rate over the census years up to the report year, with the yearly myopia change.

    The fitness target is the 50 % line (健康中国行动 2019; plan item 13);
    for the myopia rate, each year's ``target`` is the previous year's rate
    plus the change target (−0.5 points, 教体艺〔2018〕3号) — the rate that
    year had to reach.

    Returns:
        ``year, fitness_good_rate, fitness_low, fitness_high, myopia_rate,
        myopia_low, myopia_high, value`` (the myopia change) ``, ci_low,
        ci_high`` (its Newcombe interval) ``, threshold`` (the change target),
        ``target`` (the rate to reach), ``fitness_threshold``.
    """
    fitness, myopia = _rates(page, "fitness_good_rate"), _rates(page, "myopia_rate")
    fitness, myopia = fitness[fitness["year"] <= page.year], myopia[myopia["year"] <= page.year]
    years = sorted(set(fitness["year"]) | set(myopia["year"]))
    first, last = (years[0], years[-1]) if years else (page.year, page.year)
    title = t("report.quality.trends", page.lang, first=first, last=last)
    fitness_target, myopia_target = target_threshold(page, FITNESS_TARGET), target_threshold(page, MYOPIA_TARGET)
    table = pd.DataFrame({"year": years}, dtype="int64")
    for code, part, prefix in (("fitness_good_rate", fitness, "fitness"), ("myopia_rate", myopia, "myopia")):
        renamed = part[["year", "value", "ci_low", "ci_high"]].set_axis(
            ["year", code, f"{prefix}_low", f"{prefix}_high"], axis=1)
        table = table.merge(renamed, on="year", how="left", validate="1:1")
    change = rate_change(myopia)
    table = table.merge(change[["year", "previous_value", "value", "ci_low", "ci_high"]], on="year", how="left",
                        validate="1:1")
    nan = float("nan")
    table["threshold"] = nan if myopia_target is None else myopia_target
    table["target"] = table.pop("previous_value") + (nan if myopia_target is None else myopia_target)
    table["fitness_threshold"] = nan if fitness_target is None else fitness_target
    note = " ".join([t("report.quality.trend_note", page.lang,
                       fitness=format_value(fitness_target, "share", page.lang),
                       myopia=change_points_text(myopia_target, page.lang)),
                     t("report.quality.change_note", page.lang)])
    return labelled(table, page.lang, title=title,
                    columns=("year", "fitness_good_rate", "myopia_rate", "value", "ci_low", "ci_high", "threshold"),
                    headers={"fitness_good_rate": indicator_label("fitness_good_rate", page.lang),
                             "myopia_rate": indicator_label("myopia_rate", page.lang),
                             "value": t("report.quality.change", page.lang)},
                    units={"fitness_good_rate": "share", "myopia_rate": "share", "value": "pp",
                           "ci_low": "pp", "ci_high": "pp", "threshold": "pp"}, note=note)


def _league_rows(page: Page, indicator: str) -> pd.DataFrame:
    """Every county's scorecard row of one indicator (intervals a change target lacks from the measure frame)."""
    card = page.all_counties_scorecard
    rows = card[(card["indicator"] == indicator) & (card["level"] == "county")]
    rows = rows[["county_code", "indicator", "value", "threshold", "status", "ci_low", "ci_high"]]
    m = page.measures
    intervals = m[(m["indicator"] == indicator) & (m["year"] == page.year) & (m["period"] == "")]
    rows = rows.merge(intervals[["county_code", "ci_low", "ci_high"]], on="county_code", how="left",
                      suffixes=("", "_measure"), validate="1:1")
    for bound in ("ci_low", "ci_high"):
        rows[bound] = rows[bound].fillna(rows[f"{bound}_measure"])
    return rows.drop(columns=["ci_low_measure", "ci_high_measure"])


@builder
def quality_league(page: Page, indicator: str = LEAGUE_INDICATORS[0]) -> pd.DataFrame:
    """The county against the other counties on one item-13 indicator: scorecard values, statuses, intervals.

    At most ``tables.common.RANK_WINDOW`` counties: the page's county and its
    neighbours in rank (the first and the last on the city page). ``line`` is
    the threshold the chart draws: the target's, unless counties have quotas
    of their own (then none).

    Returns:
        ``county_code, county_name, indicator, value, threshold, status,
        ci_low, ci_high, line``, ranked; empty when no county has a value.
    """
    key = "report.quality.league_city" if page.is_city else "report.quality.league"
    title = t(key, page.lang, county=page.county_name) + " — " + indicator_label(indicator, page.lang)
    rows = _league_rows(page, indicator)
    if rows["value"].isna().all():
        rows = rows.iloc[0:0]
    thresholds = rows["threshold"].dropna().unique()
    window = nearest_in_rank(rows, "value", page.county_code)
    window = window.assign(county_name=county_names(page, window["county_code"], mark_own=True).to_numpy(),
                           line=float(thresholds[0]) if len(thresholds) == 1 else float("nan"))
    window = window.reset_index(drop=True)
    unit = get(indicator).unit
    return labelled(window, page.lang, title=title,
                    columns=("county_name", "value", "ci_low", "ci_high", "threshold", "status"),
                    headers={"county_name": t("column.county_name", page.lang),
                             "value": indicator_label(indicator, page.lang)},
                    units={"value": unit, "ci_low": unit, "ci_high": unit, "threshold": unit},
                    note=window_note(page, len(window), len(rows)))
