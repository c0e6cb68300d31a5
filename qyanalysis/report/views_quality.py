"""Deep-dive views of education quality (section 3) and of the city-scope targets (sections 3 and 4).

Thin, like :mod:`qyanalysis.report.views`: each view asks the library for a
tidy frame (``measures.quality.rate_table``, the scorecard), applies
disclosure control where persons are counted, and shows a table and a chart
(:mod:`qyanalysis.present.charts_quality`). Rates come pooled from counts
with Wilson 95 % intervals (docs/methods.md, “Intervals”); a city page pools every
county's schools. Task progress is in :mod:`qyanalysis.report.views_tasks`.

Public views: :func:`show_fitness_by_group`, :func:`show_fitness_tested_by_group`,
:func:`show_myopia_by_group`, :func:`show_quality_trends`,
:func:`show_quality_league`, :func:`show_city_targets`; and the pure helpers
:func:`rate_change` and :func:`nearest_in_rank`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd
from IPython.display import HTML, Markdown, display

from qyanalysis import disclosure
from qyanalysis.contract.columns import LOCATIONS, SCHOOL_LEVELS
from qyanalysis.measures.quality import rate_table
from qyanalysis.measures.rates import newcombe_difference_interval, round_difference
from qyanalysis.present.charts import league_chart
from qyanalysis.present.charts_quality import change_points_text, group_rate_chart, quality_trends_chart
from qyanalysis.present.labels import indicator_label, t
from qyanalysis.present.numbers import format_value
from qyanalysis.present.tables import html_table
from qyanalysis.report.page import Page
from qyanalysis.report.safe_tables import heading
from qyanalysis.report.show import latest_rows, show_figure

# Targets of item 13 whose thresholds the trend charts draw, and the counties compared.
FITNESS_TARGET = "t13_fitness_good_rate"
MYOPIA_TARGET = "t13_myopia_rate_change"
LEAGUE_INDICATORS = ("fitness_good_rate", "fitness_tested_share", "myopia_rate_change")
# Counties shown at most in a comparison (a region of 2,846 counties gets the page's neighbours in rank).
MAX_COUNTIES_SHOWN = 25


def _no_data(page: Page) -> None:
    display(Markdown(t("report.no_data_table", page.lang)))


def _note(text: str) -> None:
    """A catalogue sentence as an escaped paragraph (some hold "<5", which Markdown could misread)."""
    display(HTML(f"<p><em>{html.escape(text)}</em></p>"))


# --- pure helpers ---------------------------------------------------------------------------------


def rate_change(rates: pd.DataFrame, keys: Sequence[str] = ()) -> pd.DataFrame:
    """Year-on-year change of a pooled rate within each group, in fraction points.

    value = rate(y) − rate(y − 1), e.g. a myopia rate going from 0.4637 to
    0.4595 is −0.0042 (−0.42 points; plan item 13 asks for <= −0.005,
    综合防控儿童青少年近视实施方案, 教体艺〔2018〕3号). The 95 %
    interval is Newcombe's hybrid score interval from the two years' counts
    (Newcombe 1998, method 10), the years treated as independent samples.
    The same computation as ``measures.quality.myopia_rate_change``, for any
    grouping (location, level) rather than county only.

    Args:
        rates: Pooled rates (``rate_table`` output): ``keys``, ``year``,
            ``numerator``, ``denominator``, ``value``.
        keys: Group columns other than ``year`` (empty: one series).

    Returns:
        ``keys, year, previous_value, value, ci_low, ci_high`` for every group
        and year whose previous year is present (no row otherwise).
    """
    on = [*keys, "year"]
    previous = rates[[*on, "numerator", "denominator", "value"]].assign(year=rates["year"] + 1)
    both = rates.merge(previous, on=on, suffixes=("", "_previous"), validate="1:1")
    low, high = newcombe_difference_interval(both["numerator"], both["denominator"],
                                             both["numerator_previous"], both["denominator_previous"])
    return both[on].assign(previous_value=both["value_previous"],
                           value=round_difference(both["value"] - both["value_previous"]),
                           ci_low=low, ci_high=high).reset_index(drop=True)


# --- fitness and myopia by location and level (item 13) ------------------------------------------


def _rates(page: Page, indicator: str, by: Sequence[str] = ()) -> pd.DataFrame:
    """Pooled rate of the page's county (or of the whole city) by year and ``by``, with Wilson intervals."""
    keys = ["year", *by] if page.is_city else ["county_code", "year", *by]
    table = rate_table(page.dataset, indicator, by=keys)
    if not page.is_city:
        table = table[table["county_code"] == page.county_code]
    return table.reset_index(drop=True)


def _in_display_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered urban → town → rural, then by school level as the census lists them."""
    order = {"location": {v: i for i, v in enumerate(LOCATIONS)},
             "level": {v: i for i, v in enumerate(SCHOOL_LEVELS)}}
    return frame.sort_values(["location", "level"], key=lambda col: col.map(order[col.name]),
                             kind="stable").reset_index(drop=True)


def _target_threshold(page: Page, target_id: str) -> float | None:
    """Threshold of a target for the page (the county's override if any), else the registry's."""
    from qyanalysis.targets import load_targets

    rows = page.scorecard[page.scorecard["target_id"] == target_id]
    if rows.empty:
        rows = load_targets()
        rows = rows[rows["target_id"] == target_id]
    return float(rows["threshold"].iloc[0]) if not rows.empty else None


def _drawable(rows: pd.DataFrame) -> pd.DataFrame:
    """Groups that may be drawn: neither count describes 1 to threshold − 1 persons (disclosure)."""
    counts = rows[["numerator", "denominator"]]
    small = ((counts > 0) & (counts < disclosure.SUPPRESSION_THRESHOLD)).any(axis=1)
    return rows[~small & rows["value"].notna()]


def _group_table(page: Page, rows: pd.DataFrame, count_headers: tuple[str, str]) -> None:
    """Location × level table: counts under disclosure control, the rate, its interval and any change."""
    change = [c for c in ("change", "change_low", "change_high") if c in rows]
    shown = disclosure.apply_sdc(rows, count_columns=["denominator", "numerator"],
                                 rate_columns=["value", "ci_low", "ci_high"], numerator_col="numerator",
                                 denominator_col="denominator", lang=page.lang)
    hidden = shown["value"].isin([disclosure.SECONDARY_MARK, disclosure.small_count_label()])
    shown[change] = rows[change].mask(hidden)  # a change on hidden counts could give them away
    headers = {"denominator": t(count_headers[0], page.lang), "numerator": t(count_headers[1], page.lang),
               "value": t("report.quality.rate", page.lang)}
    headers.update({c: t(f"report.quality.{c}", page.lang) for c in change})
    columns = ["location", "level", "denominator", "numerator", "value", "ci_low", "ci_high", *change]
    display(HTML(html_table(shown, page.lang, columns=columns, headers=headers,
                            units=dict.fromkeys(change, "pp"))))


def _value_in(frame: pd.DataFrame, year: int) -> float | None:
    """The ``value`` of a one-row-per-year frame in ``year`` (None when absent)."""
    values = frame.loc[frame["year"] == year, "value"]
    return float(values.iloc[0]) if not values.empty else None


def _group_rates(page: Page, indicator: str) -> tuple[pd.DataFrame, float | None]:
    """The report year's rate by location × level (display order) and the county's (city's) overall rate."""
    groups = _rates(page, indicator, ("location", "level"))
    overall = _value_in(_rates(page, indicator), page.year)
    return _in_display_order(groups[groups["year"] == page.year]), overall


def _show_rate_groups(page: Page, indicator: str, heading_key: str, count_headers: tuple[str, str],
                      target_id: str) -> None:
    """One rate of the report year by location × level against its target: chart, then table."""
    heading(t(heading_key, page.lang))
    groups, overall = _group_rates(page, indicator)
    if groups.empty:
        _no_data(page)
        return
    drawable = _drawable(groups)
    if not drawable.empty:
        show_figure(group_rate_chart(drawable, indicator, page.lang, _target_threshold(page, target_id),
                                     overall, page.county_name))
    _note(t("report.quality.interval_note", page.lang, threshold=disclosure.SUPPRESSION_THRESHOLD))
    _group_table(page, groups, count_headers)


def show_fitness_by_group(page: Page) -> None:
    """体质健康优良率 (优秀 + 良好 ÷ tested) by location and level, with Wilson intervals and the 50 % target."""
    _show_rate_groups(page, "fitness_good_rate", "report.quality.fitness_groups",
                      ("report.quality.fitness_tested_count", "report.quality.fitness_good_count"),
                      FITNESS_TARGET)


def show_fitness_tested_by_group(page: Page) -> None:
    """Share of pupils fitness-tested (tested ÷ enrolled) by location and level, against 100 %."""
    _show_rate_groups(page, "fitness_tested_share", "report.quality.tested_groups",
                      ("report.quality.enrolled_count", "report.quality.fitness_tested_count"),
                      "t13_fitness_tested_share")


def show_myopia_by_group(page: Page) -> None:
    """Myopia rate by location and level, and its change on the previous year against −0.5 points.

    Two charts (the rates with Wilson intervals; the changes with Newcombe
    intervals, the target line and the county's overall change) and one table
    with both, under disclosure control.
    """
    heading(t("report.quality.myopia_groups", page.lang))
    keys = ["location", "level"]
    groups, overall = _group_rates(page, "myopia_rate")
    if groups.empty:
        _no_data(page)
        return
    change = rate_change(_rates(page, "myopia_rate", keys), keys)
    change = change.loc[change["year"] == page.year, [*keys, "value", "ci_low", "ci_high"]]
    groups = groups.merge(change.set_axis([*keys, "change", "change_low", "change_high"], axis=1), on=keys,
                          how="left", validate="1:1")
    drawable = _drawable(groups)
    if not drawable.empty:
        show_figure(group_rate_chart(drawable, "myopia_rate", page.lang, None, overall, page.county_name))
    drawn = drawable[drawable["change"].notna()]
    if not drawn.empty:
        drawn = drawn.assign(value=drawn["change"], ci_low=drawn["change_low"], ci_high=drawn["change_high"])
        overall_change = _value_in(rate_change(_rates(page, "myopia_rate")), page.year)
        target = _target_threshold(page, MYOPIA_TARGET)
        show_figure(group_rate_chart(drawn, "myopia_rate_change", page.lang, target, overall_change,
                                     page.county_name))
    else:
        _note(t("report.quality.no_previous_year", page.lang))
    _note(t("report.quality.interval_note", page.lang, threshold=disclosure.SUPPRESSION_THRESHOLD)
          + " " + t("report.quality.change_note", page.lang))
    _group_table(page, groups, ("report.quality.myopia_screened_count", "report.quality.myopia_cases_count"))


# --- trends over the years (item 13) -------------------------------------------------------------


def show_quality_trends(page: Page) -> None:
    """优良率 and myopia rate over the census years up to the report year, against the national targets.

    The fitness panel draws the 50 % line (健康中国行动 2019; plan item 13);
    the myopia panel marks, for each year, the previous year's rate minus
    0.5 points — the rate that year had to reach (教体艺〔2018〕3号). A table
    gives the yearly changes with their Newcombe intervals.
    """
    fitness = _rates(page, "fitness_good_rate")
    myopia = _rates(page, "myopia_rate")
    fitness, myopia = fitness[fitness["year"] <= page.year], myopia[myopia["year"] <= page.year]
    years = sorted(set(fitness["year"]) | set(myopia["year"]))
    if not years:
        heading(t("report.quality.trends", page.lang, first=page.year, last=page.year))
        _no_data(page)
        return
    heading(t("report.quality.trends", page.lang, first=years[0], last=years[-1]))
    fitness_target = _target_threshold(page, FITNESS_TARGET)
    myopia_target = _target_threshold(page, MYOPIA_TARGET)
    change = rate_change(myopia)
    path = change.assign(target=change["previous_value"] + (myopia_target or 0.0))
    show_figure(quality_trends_chart(fitness, myopia, page.lang, fitness_target,
                                     path if myopia_target is not None else None, myopia_target))
    _note(t("report.quality.trend_note", page.lang, fitness=format_value(fitness_target, "share", page.lang),
            myopia=change_points_text(myopia_target, page.lang)))
    _trend_table(page, fitness, myopia, change, myopia_target)


def _trend_table(page: Page, fitness: pd.DataFrame, myopia: pd.DataFrame, change: pd.DataFrame,
                 myopia_target: float | None) -> None:
    """Year by year: 优良率, myopia rate, its change with the Newcombe interval, and the change target."""
    table = pd.DataFrame({"year": sorted(set(fitness["year"]) | set(myopia["year"]))})
    for code, rows in (("fitness_good_rate", fitness), ("myopia_rate", myopia)):
        table = table.merge(rows[["year", "value"]].rename(columns={"value": code}), on="year", how="left",
                            validate="1:1")
    table = table.merge(change[["year", "value", "ci_low", "ci_high"]], on="year", how="left", validate="1:1")
    table = table.assign(unit="pp", threshold=myopia_target)
    columns = ["year", "fitness_good_rate", "myopia_rate", "value", "ci_low", "ci_high", "threshold"]
    display(HTML(html_table(table, page.lang, columns=columns,
                            headers={"fitness_good_rate": indicator_label("fitness_good_rate", page.lang),
                                     "myopia_rate": indicator_label("myopia_rate", page.lang),
                                     "value": t("report.quality.change", page.lang)},
                            units={"fitness_good_rate": "share", "myopia_rate": "share"})))
    _note(t("report.quality.change_note", page.lang))


# --- the county against the others ---------------------------------------------------------------


def _county_names(page: Page, codes: Sequence[str]) -> list[str]:
    """Display names of counties, the page's own marked "(本县)"."""
    names = [page.dataset.counties.name(code, page.lang) for code in codes]
    return [t("report.quality.this_county", page.lang, name=name) if code == page.county_code else name
            for code, name in zip(codes, names, strict=True)]


def nearest_in_rank(frame: pd.DataFrame, column: str, county_code: str,
                    size: int = MAX_COUNTIES_SHOWN) -> pd.DataFrame:
    """At most ``size`` rows of a county comparison, ranked on ``column`` (largest first).

    All rows when there are no more than ``size``; else the county and its
    neighbours in rank (a window of ``size`` around it), or, when the county
    is not in the frame (the city page), the first ``size // 2`` and the last
    ``size − size // 2`` — so a region of 2,846 counties still gives a
    readable chart.
    """
    ranked = frame.sort_values(column, ascending=False, na_position="last", kind="stable")
    ranked = ranked.reset_index(drop=True)
    if len(ranked) <= size:
        return ranked
    at = np.flatnonzero(ranked["county_code"].to_numpy() == county_code)
    if not len(at):
        return pd.concat([ranked.head(size // 2), ranked.tail(size - size // 2)])
    start = int(min(max(at[0] - size // 2, 0), len(ranked) - size))
    return ranked.iloc[start:start + size]


def _window_note(page: Page, shown: int, total: int) -> None:
    if shown < total:
        _note(t("report.quality.counties_shown", page.lang, shown=shown, total=total))


def _league_rows(page: Page, indicator: str) -> pd.DataFrame:
    """Every county's scorecard row of one indicator, named, the page's county marked.

    Intervals the scorecard does not carry (a change target) are taken from
    the measure frame of the same county, year and indicator.
    """
    card = page.all_counties_scorecard
    rows = card[(card["indicator"] == indicator) & (card["level"] == "county")]
    rows = rows[["county_code", "indicator", "value", "threshold", "status", "ci_low", "ci_high"]]
    m = page.measures
    intervals = m[(m["indicator"] == indicator) & (m["year"] == page.year) & (m["period"] == "")]
    intervals = intervals[["county_code", "ci_low", "ci_high"]]
    rows = rows.merge(intervals, on="county_code", how="left", suffixes=("", "_measure"), validate="1:1")
    for bound in ("ci_low", "ci_high"):
        rows[bound] = rows[bound].fillna(rows[f"{bound}_measure"])
    return rows.drop(columns=["ci_low_measure", "ci_high_measure"])


def show_quality_league(page: Page, indicators: Sequence[str] = LEAGUE_INDICATORS) -> None:
    """The county against the other counties on each item-13 target, status-coloured, with intervals."""
    title = "report.quality.league_city" if page.is_city else "report.quality.league"
    heading(t(title, page.lang, county=page.county_name))
    shown = False
    for indicator in indicators:
        rows = _league_rows(page, indicator)
        if rows["value"].notna().any():
            thresholds = rows["threshold"].dropna().unique()  # one line unless counties have own quotas
            threshold = float(thresholds[0]) if len(thresholds) == 1 else None
            window = nearest_in_rank(rows, "value", page.county_code)
            window = window.assign(county_name=_county_names(page, list(window["county_code"])))
            show_figure(league_chart(window, indicator, threshold, page.lang))
            _window_note(page, len(window), len(rows))
            shown = True
    if not shown:
        _no_data(page)


# --- city-scope targets shown as city figures (sections 3 and 4) ---------------------------------


def show_city_targets(page: Page) -> None:
    """City-scope count targets of the section: each county's reported count, the city figure, the target.

    A county's count is its latest of the year (year-end, else the last month or quarter of an in-year
    snapshot), the figure the city row is made of.
    """
    heading(t("report.quality.city_targets", page.lang))
    card = page.section_scorecard()
    targets = card[(card["scope"] == "city") & (card["unit"] == "count") & (card["level"] == "city")]
    if targets.empty:
        _no_data(page)
        return
    display(Markdown(t("report.quality.city_targets_note", page.lang)))
    codes = list(targets["indicator"])
    parts = latest_rows(page.measures, codes, page.dataset.counties.codes, page.year)
    wide = parts.pivot_table(index="county_code", columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=codes).reset_index()
    window = nearest_in_rank(wide, codes[0], page.county_code).sort_values("county_code")
    window = window.assign(county_name=_county_names(page, list(window["county_code"])))
    by_code = targets.set_index("indicator")
    city = {"county_name": t("report.quality.city_total", page.lang), **by_code["value"].to_dict()}
    goal = {"county_name": t("report.quality.city_target", page.lang), **by_code["threshold"].to_dict()}
    table = pd.concat([window, pd.DataFrame([city, goal])], ignore_index=True)
    display(HTML(html_table(table, page.lang, columns=["county_name", *codes],
                            headers={c: indicator_label(c, page.lang) for c in codes},
                            units=dict.fromkeys(codes, "count"))))
    _window_note(page, len(window), len(wide))
