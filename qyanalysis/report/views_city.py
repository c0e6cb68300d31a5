"""Views of the city comparison page: every county side by side.

Thin, like :mod:`qyanalysis.report.views`: each view selects from what the
page computed once (``page.city_scorecard``, ``page.all_counties_scorecard``,
``page.measures``), or asks a ``qyanalysis.measures`` function, and shows it
through ``qyanalysis.present``. Data-derived strings are escaped; counts of
persons go through disclosure control.

A region with many counties would give unreadable charts and huge tables, so
every view shows at most :data:`MAX_COUNTIES_SHOWN` counties: all of them in
Qingyuan, else the largest by pupils (:func:`shown_counties`, said on the page).
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, Markdown, display

from qyanalysis import settings
from qyanalysis.contract.indicators import BALANCE_LEVELS
from qyanalysis.contract.plan import SECTIONS
from qyanalysis.measures.inequality import resource_inequality
from qyanalysis.present.charts import league_chart, small_multiples, status_heatmap
from qyanalysis.present.charts_base import wrap
from qyanalysis.present.labels import indicator_label, section_title, t
from qyanalysis.present.narrative import escape_markdown, target_sentence_markdown
from qyanalysis.present.numbers import format_value
from qyanalysis.present.style import STATUS_COLOURS, STATUS_TEXT_COLOURS, STATUSES
from qyanalysis.present.tables import html_table
from qyanalysis.report.page import Page
from qyanalysis.report.safe_tables import heading
from qyanalysis.report.show import show_figure, show_header, show_in_year_trends, show_table
from qyanalysis.report.tables.development import CV_CODES, balance_rule_text, cv_level

MAX_COUNTIES_SHOWN = 16
CHART_NAME_WIDTH = 24  # characters per line of an English county name on a chart
_SHOWN_KEY = "views_city.shown_counties"
# League tables: key county indicators (plan items 7, 8, 13, 27); a 差异系数 is added by the view.
LEAGUE_INDICATORS = ("compulsory_dropout_rate", "migrant_public_share", "preschool_public_share",
                     "fitness_good_rate", "temporary_teacher_ratio")
TREND_INDICATORS = ("compulsory_dropout_rate", "preschool_public_share", "fitness_good_rate",
                    "temporary_teacher_ratio")
# Reference lines of indicators that are not scorecard targets: the ``qyanalysis.settings`` name
# (read at call time), e.g. plan item 27's 5 % temporary-teacher line.
REFERENCE_SETTINGS = {"temporary_teacher_ratio": "TEMPORARY_RATIO_LIMIT_SHARE"}
TARGET_COLUMNS = ("item", "indicator", "value", "comparator", "threshold", "status", "period")
_CELL = "border-bottom:1px solid #ddd;padding:4px 8px;text-align:right;white-space:nowrap;"
_HEAD = "border-bottom:2px solid #444;padding:4px 8px;text-align:left;white-space:nowrap;"


def county_names(page: Page, chart: bool = False) -> dict[str, str]:
    """Display name of every county; for charts the short Chinese name (清城) or the English one wrapped."""
    table = page.dataset.counties.counties
    if page.lang == "en":
        names = table["name_en"].astype(str)
        names = names.map(lambda name: wrap(name, "en", CHART_NAME_WIDTH)) if chart else names
    else:
        names = (table["short_zh"].fillna(table["name_zh"]) if chart else table["name_zh"]).astype(str)
    return dict(zip(table["county_code"], names, strict=True))


def shown_counties(page: Page) -> list[str]:
    """Codes of the counties the page shows: all, or the :data:`MAX_COUNTIES_SHOWN` with most pupils."""
    if _SHOWN_KEY not in page._cache:
        codes = page.dataset.counties.codes
        if len(codes) > MAX_COUNTIES_SHOWN:
            schools = page.dataset.schools
            pupils = schools.loc[schools["year"] == page.year].groupby("county_code")["students"].sum()
            largest = pupils.reindex(codes).fillna(0).sort_values(ascending=False, kind="stable")
            codes = sorted(largest.index[:MAX_COUNTIES_SHOWN])
        page._cache[_SHOWN_KEY] = codes
    return page._cache[_SHOWN_KEY]


def county_rows(page: Page, frame: pd.DataFrame, chart: bool = False) -> pd.DataFrame:
    """Rows of the shown counties, with their ``county_name`` (chart-ready names when ``chart``)."""
    rows = frame[frame["county_code"].isin(shown_counties(page))]
    return rows.assign(county_name=rows["county_code"].map(county_names(page, chart)))


def show_city_header(page: Page) -> None:
    """Banner and title, and which counties the page covers when not all of them fit."""
    show_header(page, title=t("report.city.title", page.lang))
    total, shown = len(page.dataset.counties.codes), len(shown_counties(page))
    if shown < total:
        display(Markdown(t("report.city.counties_limited", page.lang, total=total, shown=shown)))


def show_city_scorecard(page: Page) -> None:
    """City-scope targets: table, one sentence each with the plan's words, in-year forecasts."""
    heading(t("report.city.scorecard", page.lang))
    card = page.city_scorecard
    if card.empty:
        display(Markdown(t("report.no_data_table", page.lang)))
        return
    display(HTML(html_table(card, page.lang, columns=list(TARGET_COLUMNS))))
    sentences = [f"- {target_sentence_markdown(row, page.lang)}" for _, row in card.iterrows()]
    display(Markdown("\n".join(sentences)))
    show_in_year_trends(page, card)


def show_county_quotas(page: Page) -> None:
    """Each county's part of the city-wide targets it has a row for (e.g. its seat quota)."""
    card = page.all_counties_scorecard
    rows = county_rows(page, card[(card["scope"] == "city") & (card["level"] == "county")])
    if rows.empty:
        return
    heading(t("report.city.quotas", page.lang), 3)
    rows = rows.sort_values(["item", "indicator", "county_code"], kind="stable")
    display(HTML(html_table(rows, page.lang,
                            columns=["county_name", "indicator", "value", "threshold", "status", "period"])))


def county_context_table(page: Page) -> pd.DataFrame:
    """Schools, pupils and full-time teachers of each shown county in the page's year (missing stays NaN)."""
    schools = page.dataset.schools
    grouped = schools[schools["year"] == page.year].groupby("county_code")
    table = grouped.size().rename("schools_count").to_frame()
    for name, column in (("students_count", "students"), ("teachers_count", "teachers")):
        if column in schools:
            table[name] = grouped[column].sum(min_count=1)
    return county_rows(page, table.reset_index()).reset_index(drop=True)


def show_county_context(page: Page) -> None:
    """The counties at a glance: schools, pupils, full-time teachers (small counts suppressed)."""
    heading(t("report.city.context", page.lang))
    table = county_context_table(page)
    counts = tuple(c for c in ("students_count", "teachers_count") if c in table)
    show_table(page, table, ["county_name", "schools_count", *counts], count_columns=counts,
               headers={"schools_count": t("report.schools_count", page.lang),
                        "students_count": t("report.students_count", page.lang),
                        "teachers_count": t("report.city.teachers_count", page.lang)},
               units={"schools_count": "count"})


def county_target_rows(page: Page) -> pd.DataFrame:
    """The shown counties' rows of county-scope targets, with ``county_name``."""
    card = page.all_counties_scorecard
    return county_rows(page, card[(card["scope"] == "county") & (card["level"] == "county")])


def status_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Targets per status for each county (``county_code``, ``county_name`` and one column per status)."""
    counts = pd.crosstab([rows["county_code"], rows["county_name"]], rows["status"])
    counts = counts.reindex(columns=list(STATUSES), fill_value=0).reset_index()
    counts.columns.name = None
    return counts.sort_values(["met", "county_code"], ascending=[False, True], kind="stable",
                              ignore_index=True)


def show_status_counts(page: Page) -> None:
    """How many county targets each county meets, misses, or cannot be judged on."""
    heading(t("report.city.status_counts", page.lang))
    rows = county_target_rows(page)
    if rows.empty:
        display(Markdown(t("report.no_data_table", page.lang)))
        return
    counts = status_counts(rows)
    display(HTML(html_table(counts, page.lang, columns=["county_name", *STATUSES],
                            headers={s: t(f"status.{s}", page.lang) for s in STATUSES},
                            units=dict.fromkeys(STATUSES, "count"))))


def show_status_heatmaps(page: Page) -> None:
    """Status of every county-scope target in every county, one heat map per plan section.

    The 14 差异系数 are left out here: they have their own table (:func:`show_balance_cv_table`).
    """
    heading(t("report.city.heatmaps", page.lang))
    rows = county_target_rows(page)
    rows = rows[~rows["indicator"].isin(CV_CODES)]
    if rows.empty:
        display(Markdown(t("report.no_data_table", page.lang)))
        return
    display(Markdown(t("report.city.heatmap_note", page.lang)))
    for section in SECTIONS:
        part = rows[rows["section"] == section.number]
        if not part.empty:
            heading(section_title(section.number, page.lang), 3)
            part = part.sort_values(["item", "target_id", "county_code"], kind="stable")
            show_figure(status_heatmap(county_rows(page, part, chart=True), page.lang))


def reference_threshold(page: Page, indicator: str) -> float | None:
    """The line drawn for an indicator: its target threshold when all counties share one, else a reference."""
    if indicator in REFERENCE_SETTINGS:
        return float(getattr(settings, REFERENCE_SETTINGS[indicator]))
    card = page.all_counties_scorecard
    rows = card[(card["indicator"] == indicator) & (card["level"] == "county")]
    thresholds = rows["threshold"].dropna()
    return float(thresholds.iloc[0]) if thresholds.nunique() == 1 else None


def league_rows(page: Page, indicator: str) -> pd.DataFrame:
    """One row per shown county: the scorecard row (status, interval) of a target, else the measure row."""
    card = page.all_counties_scorecard
    rows = card[(card["indicator"] == indicator) & (card["level"] == "county")]
    if rows.empty:
        m = page.measures
        rows = m[(m["indicator"] == indicator) & (m["year"] == page.year) & (m["period"] == "")]
    return county_rows(page, rows[["county_code", "indicator", "value", "ci_low", "ci_high",
                                   *(["status"] if "status" in rows else [])]], chart=True)


def binding_cv(rows: pd.DataFrame, level: str | None = None) -> str | None:
    """The 差异系数 closest to (or furthest over) its limit in any county: max of value ÷ threshold.

    Args:
        rows: Scorecard rows with ``indicator, value, threshold`` (each county's
            limit after its overrides).
        level: "primary" or "junior" to choose within one level; None = either.

    Returns:
        The ``balance_cv_*`` code, or None when no CV has both a value and a limit.
    """
    cvs = rows[rows["indicator"].isin(CV_CODES) & rows["value"].notna() & (rows["threshold"] > 0)]
    if level is not None:
        cvs = cvs[cvs["indicator"].map(lambda code: cv_level(str(code)) == level)]
    if cvs.empty:
        return None
    return str(cvs.loc[(cvs["value"] / cvs["threshold"]).idxmax(), "indicator"])


def show_league_tables(page: Page) -> None:
    """Counties ranked on the key indicators and on the binding 差异系数, with target / reference lines."""
    heading(t("report.city.league", page.lang))
    cv = binding_cv(county_target_rows(page))
    for indicator in (*LEAGUE_INDICATORS, *([cv] if cv else [])):
        rows = league_rows(page, indicator)
        if rows["value"].notna().any():
            show_figure(league_chart(rows, indicator, reference_threshold(page, indicator), page.lang))
    display(Markdown(t("report.city.league_note", page.lang,
                       limit=format_value(settings.TEMPORARY_RATIO_LIMIT_SHARE, "share", page.lang))))


def show_resource_inequality(page: Page) -> None:
    """How much of the inequality of resources between schools lies between counties (Theil) and the Gini."""
    heading(t("report.city.inequality", page.lang))
    schools = page.dataset.schools
    table = resource_inequality(schools[(schools["year"] == page.year)
                                        & schools["county_code"].isin(page.dataset.counties.codes)])
    if table["theil_total"].isna().all():
        display(Markdown(t("report.no_data_table", page.lang)))
        return
    lines = []
    for code, rows in table.groupby("resource", sort=False):
        share = dict(zip(rows["level"], rows["between_share"], strict=True))
        gini = dict(zip(rows["level"], rows["gini"], strict=True))
        lines.append("- " + t("report.city.inequality_sentence", page.lang,
                              resource=escape_markdown(indicator_label(code, page.lang)),
                              primary=format_value(share.get("primary"), "share", page.lang),
                              junior=format_value(share.get("junior"), "share", page.lang),
                              gini_primary=format_value(gini.get("primary"), "ratio", page.lang),
                              gini_junior=format_value(gini.get("junior"), "ratio", page.lang)))
    display(Markdown("\n".join(lines)))
    shown = table.assign(resource=table["resource"].map(lambda code: indicator_label(code, page.lang)))
    columns = ["theil_total", "theil_between", "theil_within", "between_share", "gini"]
    display(HTML(html_table(shown, page.lang, columns=["resource", "level", *columns, "parts_count"],
                            headers={c: t(f"report.city.{c}", page.lang)
                                     for c in ("resource", *columns, "parts_count")},
                            units={**dict.fromkeys(columns, "ratio"), "between_share": "share",
                                   "parts_count": "count"})))
    display(Markdown(t("report.city.inequality_method", page.lang)))


def cv_matrix(rows: pd.DataFrame) -> pd.DataFrame:
    """The 14 差异系数 as a matrix: one row per CV code (in catalogue order), one column per county name.

    Cells are ``(value, status, threshold)`` triples, the threshold being the
    county's scorecard limit; a county without a row for a CV gets
    ``(NaN, "no_data", NaN)``.
    """
    cvs = rows[rows["indicator"].isin(CV_CODES)]
    cells = pd.Series(list(zip(cvs["value"], cvs["status"], cvs["threshold"], strict=True)), index=cvs.index)
    grid = cvs.assign(cell=cells).pivot(index="indicator", columns="county_name", values="cell")
    names = list(pd.unique(cvs.sort_values("county_code")["county_name"]))
    grid = grid.reindex(index=list(CV_CODES), columns=names)
    return grid.map(lambda cell: cell if isinstance(cell, tuple) else (float("nan"), "no_data", float("nan")))


def _row_limits(cells: pd.Series) -> list[float]:
    """The distinct limits of one CV across the counties, ascending."""
    return sorted({float(limit) for _value, _status, limit in cells if pd.notna(limit)})


def _matrix_html(grid: pd.DataFrame, lang: str) -> str:
    """An escaped HTML table of :func:`cv_matrix`: status-coloured cells and each CV's limit(s).

    The limit column lists the counties' scorecard limits of the CV; where
    they differ (a county override), each cell also names its own limit.
    """
    head = "".join(f'<th style="{_HEAD}">{html.escape(str(text))}</th>'
                   for text in (t("column.indicator", lang), t("report.city.limit", lang), *grid.columns))
    body = []
    for code, cells in grid.iterrows():
        limits = _row_limits(cells)
        limit_text = " / ".join(format_value(limit, "ratio", lang) for limit in limits) or format_value(
            None, "ratio", lang)
        tds = [f'<td style="{_CELL}text-align:left;white-space:normal;">'
               f"{html.escape(indicator_label(str(code), lang))}</td>",
               f'<td style="{_CELL}">≤ {html.escape(limit_text)}</td>']
        for value, status, limit in cells:
            style = f"background:{STATUS_COLOURS[status]};color:{STATUS_TEXT_COLOURS[status]};"
            text = format_value(value, "ratio", lang)
            if len(limits) > 1 and pd.notna(limit):
                text += f" (≤ {format_value(limit, 'ratio', lang)})"
            tds.append(f'<td style="{_CELL}{style}" title="{html.escape(t(f"status.{status}", lang))}">'
                       f"{html.escape(text)}</td>")
        body.append(f"<tr>{''.join(tds)}</tr>")
    return (f'<div class="qy-table" style="overflow-x:auto;max-width:100%;">'
            f'<table style="border-collapse:collapse;font-size:0.85em;"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def show_balance_cv_table(page: Page) -> None:
    """The 14 差异系数 of every county against its scorecard limits, coloured by status; how many counties pass."""
    heading(t("report.city.cv_table", page.lang))
    rows = county_target_rows(page)
    rows = rows[rows["indicator"].isin(CV_CODES)]
    if rows.empty or rows["value"].isna().all():
        display(Markdown(t("report.no_data_table", page.lang)))
        return
    display(HTML(_matrix_html(cv_matrix(rows), page.lang)))
    met = rows["status"].eq("met").groupby(rows["county_code"]).sum()
    display(Markdown(t("report.city.cv_passing", page.lang, passing=int((met == len(CV_CODES)).sum()),
                       counties=len(met), cvs=len(CV_CODES))
                     + " " + balance_rule_text(rows, page.lang)))


def annual_rows(page: Page, indicator: str) -> pd.DataFrame:
    """Annual values of an indicator for the shown counties, every year up to the page's year."""
    m = page.measures
    rows = m[(m["indicator"] == indicator) & (m["period"] == "") & (m["year"] <= page.year)]
    return county_rows(page, rows[["county_code", "year", "indicator", "value"]], chart=True)


def _show_small_multiples(page: Page, indicator: str) -> None:
    rows = annual_rows(page, indicator)
    rows = rows[rows["value"].notna()]
    if rows["year"].nunique() >= 2:
        show_figure(small_multiples(rows, indicator, page.lang, reference_threshold(page, indicator)))


def show_balance_cv_trends(page: Page) -> None:
    """Over the years, in every county, the primary and the junior 差异系数 closest to the limit."""
    rows = county_target_rows(page)
    codes = [code for level in BALANCE_LEVELS if (code := binding_cv(rows, level))]
    if codes:
        heading(t("report.city.cv_trends", page.lang), 3)
    for code in codes:
        _show_small_multiples(page, code)


def show_trends(page: Page) -> None:
    """Key indicators over the years, one panel per county, with the target line."""
    years = page.measures.loc[page.measures["year"] <= page.year, "year"]
    heading(t("report.city.trends", page.lang, first=int(years.min()), last=page.year))
    for indicator in TREND_INDICATORS:
        _show_small_multiples(page, indicator)
