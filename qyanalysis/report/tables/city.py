"""The city comparison page: every county side by side, as labelled frames.

Builders take the city :class:`~qyanalysis.report.page.Page` and select from
what it computed once (``page.city_scorecard``, ``page.all_counties_scorecard``,
``page.measures``) or ask ``qyanalysis.measures`` (:mod:`~qyanalysis.measures.city`,
:mod:`~qyanalysis.contract.tallies`, :mod:`~qyanalysis.measures.inequality`);
person counts go through disclosure control in :func:`~qyanalysis.report.frames.labelled`.
The views of ``qyanalysis.report.views.city`` draw these frames.

A region with many counties would give unreadable charts and huge tables, so
every table lists at most ``tables.common.MAX_COUNTIES_SHOWN`` counties: all
of them in Qingyuan, else the largest by pupils (said under the page title).
"""

from __future__ import annotations

import pandas as pd

from qyanalysis import settings
from qyanalysis.contract.indicators import BALANCE_LEVELS
from qyanalysis.contract.indicators import get as indicator_entry
from qyanalysis.measures import city
from qyanalysis.measures.inequality import resource_inequality as inequality_of
from qyanalysis.contract.tallies import TARGET_STATUSES, target_counts, unit_counts
from qyanalysis.present.labels import indicator_label, t
from qyanalysis.present.map_names import MAX_MAP_COUNTIES
from qyanalysis.present.numbers import format_number, format_value
from qyanalysis.report.frames import labelled
from qyanalysis.report.page import Page
from qyanalysis.report.tables.common import county_names, section_targets, shown_counties, target_columns
from qyanalysis.report.tables.development import CV_CODES, balance_rule_text, cv_level
from qyanalysis.report.registry import builder

# League tables: key county indicators (plan items 7, 8, 13, 27); the binding 差异系数 is added.
LEAGUE_INDICATORS = ("compulsory_dropout_rate", "migrant_public_share", "preschool_public_share",
                     "fitness_good_rate", "temporary_teacher_ratio")
TREND_INDICATORS = ("compulsory_dropout_rate", "preschool_public_share", "fitness_good_rate",
                    "temporary_teacher_ratio")
# Reference lines of indicators that are not scorecard targets: the ``qyanalysis.settings`` name
# (read at call time), e.g. plan item 27's 5 % temporary-teacher line.
REFERENCE_SETTINGS = {"temporary_teacher_ratio": "TEMPORARY_RATIO_LIMIT_SHARE"}
# Fewest years a trend panel needs.
MIN_TREND_YEARS = 2
_K = "report.city."


def _shown(page: Page, rows: pd.DataFrame, form: str = "table") -> pd.DataFrame:
    """Rows of the shown counties, with their ``county_name`` (in ``form``: table, chart or map)."""
    rows = rows[rows["county_code"].isin(shown_counties(page))]
    return rows.assign(county_name=county_names(page, rows["county_code"], form))


def _county_target_rows(page: Page) -> pd.DataFrame:
    """The shown counties' scorecard rows of county-scope targets (a selection, not a frame to show)."""
    card = page.all_counties_scorecard
    return _shown(page, card[(card["scope"] == "county") & (card["level"] == "county")])


def reference_threshold(page: Page, indicator: str) -> float | None:
    """The line drawn for an indicator: its target threshold when all counties share one, else a reference."""
    if indicator in REFERENCE_SETTINGS:
        return float(getattr(settings, REFERENCE_SETTINGS[indicator]))
    card = page.all_counties_scorecard
    rows = card[(card["indicator"] == indicator) & (card["level"] == "county")]
    thresholds = rows["threshold"].dropna()
    return float(thresholds.iloc[0]) if thresholds.nunique() == 1 else None


@builder
def city_targets(page: Page) -> pd.DataFrame:
    """The city-scope targets: the city's row of each (seats, studios, support teachers, key tasks …)."""
    targets = section_targets(page)
    return labelled(targets, page.lang, title=t(f"{_K}scorecard", page.lang),
                    columns=target_columns(targets, ("item",)), units={"coverage_text": "text"})


@builder
def county_quotas(page: Page) -> pd.DataFrame:
    """Each county's part of the city-wide targets it has a row for (e.g. its seat quota)."""
    card = page.all_counties_scorecard
    rows = _shown(page, card[(card["scope"] == "city") & (card["level"] == "county")])
    rows = rows.sort_values(["item", "indicator", "county_code"], kind="stable").reset_index(drop=True)
    return labelled(rows, page.lang, title=t(f"{_K}quotas", page.lang),
                    columns=("county_name", "indicator", "value", "threshold", "status", "period"))


@builder
def county_context(page: Page) -> pd.DataFrame:
    """The counties at a glance: schools, pupils, full-time teachers (``measures.city.county_context_table``).

    Pupils and teachers are persons: counts of 1–4 and their complements are hidden.
    """
    table = _shown(page, city.county_context_table(page.dataset, page.year)).reset_index(drop=True)
    counts = tuple(c for c in ("students_count", "teachers_count") if c in table)
    return labelled(table, page.lang, title=t(f"{_K}context", page.lang),
                    columns=("county_name", "schools_count", *counts),
                    headers={"schools_count": t("report.schools_count", page.lang),
                             "students_count": t("report.students_count", page.lang),
                             "teachers_count": t(f"{_K}teachers_count", page.lang)},
                    units={"schools_count": "count"}, counts=counts)


def _county_target_counts(page: Page) -> pd.DataFrame:
    """Every shown county's own targets by status (:func:`qyanalysis.contract.tallies.target_counts`).

    A county's own targets are its county-level rows (its county targets and
    its part of city-wide ones); the city's targets are not in any county's
    count. Returns ``county_code, county_name`` and the counts (``total`` too), by county code.
    """
    counts = target_counts(page.all_counties_scorecard)
    counts = counts[counts["scope"] == "county"].drop(columns="scope")
    return _shown(page, counts).reset_index(drop=True)


@builder
def county_status_counts(page: Page) -> pd.DataFrame:
    """How many of its own targets each county meets, misses, or cannot be judged on; most met first.

    The counts of :func:`_county_target_counts` (the city's targets apart: the note says how many).
    """
    counts = _county_target_counts(page)
    counts = counts.sort_values(["met", "county_code"], ascending=[False, True], kind="stable",
                                ignore_index=True)
    city = unit_counts(target_counts(page.city_scorecard), page.dataset.counties.city_code, "city")
    note = t(f"{_K}status_counts_note", page.lang, city=format_number(city["total"] if city else 0, "count"))
    return labelled(counts, page.lang, title=t(f"{_K}status_counts", page.lang),
                    columns=("county_name", *TARGET_STATUSES, "total"),
                    headers={**{s: t(f"status.{s}", page.lang) for s in TARGET_STATUSES},
                             "total": t("counts.column.county", page.lang)},
                    units=dict.fromkeys([*TARGET_STATUSES, "total"], "count"), note=note)


@builder
def county_statuses(page: Page) -> pd.DataFrame:
    """The status of every county-scope target in every shown county, for the heat maps by section.

    The 14 差异系数 are left out: they have their own table (:func:`balance_cv_matrix`).

    Returns:
        ``section, item, target_id, indicator, county_code, county_name`` (chart names), ``status``,
        sorted by section, item, target and county.
    """
    card = page.all_counties_scorecard
    rows = card[(card["scope"] == "county") & (card["level"] == "county") & ~card["indicator"].isin(CV_CODES)]
    rows = _shown(page, rows, "chart").sort_values(["section", "item", "target_id", "county_code"],
                                                   kind="stable")
    kept = ["section", "item", "target_id", "indicator", "county_code", "county_name", "status"]
    columns = ("section", "item", "indicator", "county_name", "status")
    return labelled(rows[kept].reset_index(drop=True), page.lang, title=t(f"{_K}heatmaps", page.lang),
                    columns=columns, note=t(f"{_K}heatmap_note", page.lang))


def mapped_counties(page: Page) -> list[str]:
    """Codes of the counties the maps show: all of them, or the page's shown ones in a large region."""
    codes = page.dataset.counties.codes
    return list(codes) if len(codes) <= MAX_MAP_COUNTIES else shown_counties(page)


@builder
def county_map_values(page: Page) -> pd.DataFrame:
    """What the two county maps colour: the 差异系数 verdict and the number of targets not met.

    Per mapped county: ``status`` (:func:`qyanalysis.measures.city.cv_verdict`
    of its 14 差异系数), ``cv_met`` and its words ``cv_text`` ("12/14 项达标"),
    ``not_met`` (the county's own targets not met, as every count of targets counts them:
    :func:`qyanalysis.contract.tallies.target_counts`; NaN: the county has no target).
    """
    card = page.all_counties_scorecard
    rows = card[(card["scope"] == "county") & (card["level"] == "county")]
    codes = pd.Series(mapped_counties(page), dtype="str")
    counts = target_counts(card)
    not_met = counts[counts["scope"] == "county"].set_index("county_code")["not_met"]
    cvs = rows[rows["indicator"].isin(CV_CODES)].groupby("county_code")["status"]
    verdicts = cvs.apply(lambda statuses: city.cv_verdict(statuses, len(CV_CODES)))
    met = cvs.apply(lambda statuses: int(statuses.eq("met").sum()))
    texts = {code: t("map.cv_text", page.lang, met=int(met[code]), total=len(CV_CODES)) for code in met.index}
    frame = pd.DataFrame({"county_code": codes, "county_name": county_names(page, codes, "map"),
                          "status": codes.map(verdicts).fillna("no_data").astype("str"),
                          "cv_met": codes.map(met).astype("float64"),
                          "cv_text": codes.map(texts).fillna("").astype("str"),
                          "not_met": codes.map(not_met).astype("float64")})
    return labelled(frame, page.lang, title=t("map.heading", page.lang),
                    columns=("county_name", "status", "cv_met", "not_met"),
                    headers={"status": t("map.cv_title", page.lang),
                             "cv_met": t("report.met_count", page.lang),
                             "not_met": t("map.not_met_legend", page.lang)},
                    units={"cv_met": "count", "not_met": "count"})


def _league_rows(page: Page, indicator: str) -> pd.DataFrame:
    """One row per shown county: the scorecard row (status, interval) of a target, else the measure row."""
    card = page.all_counties_scorecard
    rows = card[(card["indicator"] == indicator) & (card["level"] == "county")]
    if rows.empty:
        m = page.measures
        rows = m[(m["indicator"] == indicator) & (m["year"] == page.year) & (m["period"] == "")]
    rows = rows.reindex(columns=["county_code", "indicator", "value", "ci_low", "ci_high", "status"])
    rows = _shown(page, rows)
    return rows.assign(chart_name=county_names(page, rows["county_code"], "chart"),
                       threshold=reference_threshold(page, indicator))


@builder
def league_tables(page: Page) -> pd.DataFrame:
    """The counties on the key indicators and on the binding 差异系数 (``measures.city.binding_cv``).

    Returns:
        ``indicator, county_code, county_name, chart_name, value, ci_low,
        ci_high, status`` (NaN where the indicator is no target) and
        ``threshold`` (the line drawn: the shared target, else the setting's
        reference, else NaN); indicators without any value are left out.
    """
    cv = city.binding_cv(_county_target_rows(page), CV_CODES)
    parts = [_league_rows(page, indicator) for indicator in (*LEAGUE_INDICATORS, *([cv] if cv else []))]
    parts = [part for part in parts if part["value"].notna().any()]
    columns = ["indicator", "county_code", "county_name", "chart_name", "value", "ci_low", "ci_high",
               "status", "threshold"]
    rows = pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
    rows["unit"] = rows["indicator"].map(lambda code: _unit(str(code))).astype("str")
    return labelled(rows, page.lang, title=t(f"{_K}league", page.lang),
                    columns=("indicator", "county_name", "value", "ci_low", "ci_high", "status"),
                    note=t(f"{_K}league_note", page.lang,
                           limit=format_value(settings.TEMPORARY_RATIO_LIMIT_SHARE, "share", page.lang)))


def _unit(code: str) -> str:
    """The catalogue unit of an indicator code."""
    return indicator_entry(code).unit


@builder
def resource_inequality(page: Page) -> pd.DataFrame:
    """How much of the inequality of resources between schools lies between counties (Theil T), and the Gini.

    :func:`qyanalysis.measures.inequality.resource_inequality` over every
    county's compulsory schools of the year; the note says it per resource in
    words, then the method.
    """
    schools = page.dataset.schools
    table = inequality_of(schools[(schools["year"] == page.year)
                                  & schools["county_code"].isin(page.dataset.counties.codes)])
    measures = ["theil_total", "theil_between", "theil_within", "between_share", "gini"]
    title = t(f"{_K}inequality", page.lang)
    if table["theil_total"].isna().all():
        return labelled(table.iloc[0:0], page.lang, title=title)
    sentences = []
    for code, rows in table.groupby("resource", sort=False):
        share = dict(zip(rows["level"], rows["between_share"], strict=True))
        gini = dict(zip(rows["level"], rows["gini"], strict=True))
        sentences.append(t(f"{_K}inequality_sentence", page.lang, resource=indicator_label(code, page.lang),
                           primary=format_value(share.get("primary"), "share", page.lang),
                           junior=format_value(share.get("junior"), "share", page.lang),
                           gini_primary=format_value(gini.get("primary"), "ratio", page.lang),
                           gini_junior=format_value(gini.get("junior"), "ratio", page.lang)))
    shown = table.assign(resource_name=table["resource"].map(lambda code: indicator_label(code, page.lang)))
    headers = {c: t(f"{_K}{c}", page.lang) for c in (*measures, "parts_count")}
    headers["resource_name"] = t(f"{_K}resource", page.lang)
    return labelled(shown, page.lang, title=title,
                    columns=("resource_name", "level", *measures, "parts_count"),
                    headers=headers, units={**dict.fromkeys(measures, "ratio"), "between_share": "share",
                                            "parts_count": "count"},
                    note=" ".join([*sentences, t(f"{_K}inequality_method", page.lang)]))


@builder
def balance_cv_matrix(page: Page) -> pd.DataFrame:
    """The 14 差异系数 of every shown county against its scorecard limits (``measures.city.cv_matrix``).

    Returns:
        One row per 差异系数 (catalogue order): ``indicator``, ``limit`` (the
        counties' limits in words, "0.30 / 0.50" when an override makes them
        differ) and, per county code ``c``: ``c`` (the value),
        ``status_c``, ``own_limit_c`` (the county's own limit, only where
        the limits differ), ``threshold_c`` and ``comparator_c`` (its limit and
        comparison, by which the value is printed: ``qyanalysis.present.shown``).
        Shown: indicator, limit and the county values under the counties' short names. The note says
        how many counties keep all 14 within their limits and the rule.
    """
    rows = _county_target_rows(page)
    rows = rows[rows["indicator"].isin(CV_CODES)]
    title = t(f"{_K}cv_table", page.lang)
    if rows.empty or rows["value"].isna().all():
        return labelled(pd.DataFrame(columns=["indicator", "limit"]), page.lang, title=title)
    cells = city.cv_matrix(rows, CV_CODES)
    codes = list(pd.unique(cells["county_code"]))
    wide = pd.DataFrame({"indicator": list(CV_CODES)})
    limits = []
    for code in CV_CODES:
        distinct = sorted(cells.loc[cells["indicator"] == code, "threshold"].dropna().astype(float).unique())
        limits.append(distinct)
    wide["limit"] = ["≤ " + (" / ".join(format_value(v, "ratio", page.lang) for v in distinct)
                             or format_value(None, "ratio", page.lang)) for distinct in limits]
    differ = pd.Series([len(distinct) > 1 for distinct in limits])
    for county in codes:
        own = cells[cells["county_code"] == county].set_index("indicator").reindex(list(CV_CODES))
        wide[county] = own["value"].to_numpy(dtype="float64")
        wide[f"status_{county}"] = own["status"].to_numpy()
        wide[f"own_limit_{county}"] = own["threshold"].where(differ.to_numpy()).to_numpy(dtype="float64")
        wide[f"threshold_{county}"] = own["threshold"].to_numpy(dtype="float64")
        compared = rows[rows["county_code"].astype("str") == str(county)].drop_duplicates("indicator")
        comparators = compared.set_index("indicator")["comparator"]
        wide[f"comparator_{county}"] = comparators.reindex(list(CV_CODES)).to_numpy()
    # the short names (清城, Qingcheng): fourteen rows of eight counties in view at 1400 px and on A4
    names = dict(zip(codes, county_names(page, pd.Series(codes, dtype="str"), "map"), strict=True))
    met = rows["status"].eq("met").groupby(rows["county_code"]).sum()
    note = t(f"{_K}cv_passing", page.lang, passing=int((met == len(CV_CODES)).sum()), counties=len(met),
             cvs=len(CV_CODES)) + " " + balance_rule_text(rows, page.lang)
    return labelled(wide, page.lang, title=title, columns=("indicator", "limit", *codes),
                    headers={"limit": t(f"{_K}limit", page.lang), **names},
                    units={"limit": "text", **dict.fromkeys(codes, "ratio")}, note=note)


def _annual_rows(page: Page, indicators: list[str]) -> pd.DataFrame:
    """Annual values of indicators for the shown counties, every year up to the page's year, with the line.

    An indicator with fewer than :data:`MIN_TREND_YEARS` years of values is left out (no trend to draw).
    """
    m = page.measures
    rows = m[m["indicator"].isin(indicators) & (m["period"] == "") & (m["year"] <= page.year)
             & m["value"].notna()]
    rows = _shown(page, rows[["county_code", "year", "indicator", "value"]], "chart")
    years = rows.groupby("indicator")["year"].nunique()
    rows = rows[rows["indicator"].map(years).fillna(0) >= MIN_TREND_YEARS]
    order = {code: i for i, code in enumerate(indicators)}
    rows = rows.sort_values(["indicator", "county_code", "year"], kind="stable",
                            key=lambda s: s.map(order) if s.name == "indicator" else s).reset_index(drop=True)
    lines = {code: reference_threshold(page, code) for code in indicators}
    return rows.assign(threshold=rows["indicator"].map(lines).astype("float64"),
                       unit=rows["indicator"].map(lambda code: _unit(str(code))).astype("str"))


@builder
def balance_cv_trends(page: Page) -> pd.DataFrame:
    """Over the years, in every shown county, the primary and the junior 差异系数 closest to the limit."""
    rows = _county_target_rows(page)
    codes = [code for level in BALANCE_LEVELS
             if (code := city.binding_cv(rows, [c for c in CV_CODES if cv_level(c) == level]))]
    return labelled(_annual_rows(page, codes), page.lang, title=t(f"{_K}cv_trends", page.lang),
                    columns=("indicator", "county_name", "year", "value"))


@builder
def key_trends(page: Page) -> pd.DataFrame:
    """Key indicators over the years, per shown county, with the target (or reference) line."""
    years = page.measures.loc[page.measures["year"] <= page.year, "year"]
    first = int(years.min()) if not years.empty else page.year
    return labelled(_annual_rows(page, list(TREND_INDICATORS)), page.lang,
                    title=t(f"{_K}trends", page.lang, first=first, last=page.year),
                    columns=("indicator", "county_name", "year", "value"))
