"""Display helpers shared by every report notebook: header, summary, plan items, tasks.

Each function takes a :class:`~qyanalysis.report.page.Page`, selects what the
library already computed, and displays it with the presentation helpers.
Every data-derived string is escaped (``html.escape`` here, the table and
narrative helpers escape their own); figures are displayed then closed.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from IPython.display import HTML, Image, Markdown, display
from matplotlib.figure import Figure

from qyanalysis.attainment_rules import period_month
from qyanalysis.contract.plan import item_title, section_of_item
from qyanalysis.disclosure import apply_sdc
from qyanalysis.present.charts import target_chart, trend_chart
from qyanalysis.present.labels import demo_banner, section_title, t
from qyanalysis.present.narrative import scorecard_summary_markdown, target_sentence_markdown
from qyanalysis.present.style import png_bytes
from qyanalysis.present.tables import html_table
from qyanalysis.report.page import Page

BANNER_STYLE = ("background:#fff3cd;border:1px solid #e0c36c;color:#5c4400;padding:8px 12px;"
                "border-radius:4px;font-weight:600;margin:4px 0 12px 0;")
# Scorecard columns shown in an item's target table.
TARGET_COLUMNS = ("indicator", "row_scope", "value", "comparator", "threshold", "status", "period")
TASK_COLUMNS = ("task_id", "title", "progress", "due")
# More targets than this in a section summary: the chart shows only those not met (phone-readable).
MAX_SUMMARY_BARS = 20
# Statuses whose targets have no value to draw.
_UNDRAWN = ("no_data", "not_applicable")


def show_figure(fig: Figure) -> None:
    """Display a figure once, as an embedded PNG, and release it.

    The PNG is rendered here (not by the notebook's matplotlib backend), so a
    page looks the same under JupyterLab, papermill or a warm batch kernel.
    """
    show_png(png_bytes(fig))
    fig.clear()


def show_png(png: bytes) -> None:
    """Display PNG bytes (a chart rendered once and kept, e.g. by :meth:`Page.memo`)."""
    display(Image(data=png, format="png"))


def banner_html(page: Page) -> str:
    """The demonstration-data banner (empty for real data)."""
    if not page.dataset.is_demo:
        return ""
    return f'<div class="qy-demo-banner" style="{BANNER_STYLE}">{html.escape(demo_banner(page.lang))}</div>'


def row_scope(card: pd.DataFrame) -> pd.Series:
    """Whose row each scorecard row is: ``city``, ``county``, or ``city_target`` (a county's reading of a city line)."""
    scope = np.where(card["level"] == "city", "city",
                     np.where(card["scope_note"] == "city_target", "city_target", "county"))
    return pd.Series(scope, index=card.index, dtype="str")


def show_header(page: Page, title: str | None = None) -> None:
    """Banner (demo data), then the page title: county · section (or ``title``) · year."""
    if title is None:
        title = section_title(page.section.number, page.lang) if page.section else t("report.overview",
                                                                                       page.lang)
    heading = t("report.page_title", page.lang, county=page.county_name, title=title, year=page.year)
    as_of = page.as_of
    snapshot = t("report.as_of", page.lang, month=as_of) if as_of else t("report.as_of_year_end", page.lang)
    display(HTML(banner_html(page) + f"<h1>{html.escape(heading)}</h1>"
                 + f'<p class="qy-as-of">{html.escape(snapshot)}</p>'))


def show_summary(page: Page) -> None:
    """The narrative summary of the page's targets and a chart of those with values."""
    card = page.section_scorecard()
    if card.empty:
        display(Markdown(t("report.no_targets", page.lang)))
        return
    display(Markdown(scorecard_summary_markdown(card, page.county_name, page.lang)))
    drawn = card[~card["status"].isin(_UNDRAWN)].drop_duplicates("indicator")
    attention = drawn[drawn["status"] != "met"]
    if len(drawn) > MAX_SUMMARY_BARS and not attention.empty:
        # A phone cannot show dozens of bars legibly: draw the targets that need attention.
        display(Markdown(t("report.summary_chart_attention", page.lang, shown=len(attention), total=len(drawn))))
        drawn = attention
    if not drawn.empty:
        show_figure(target_chart(drawn, page.lang))


def show_item(page: Page, item: int) -> None:
    """One plan item: heading, its targets (table, sentences with the plan's words), trends, tasks."""
    heading = f"{t('item', page.lang, item=item)} {item_title(item, page.lang)}"
    display(HTML(f"<h2 id=\"item-{item}\">{html.escape(heading)}</h2>"))
    rows = page.scorecard[page.scorecard["item"] == item]
    if not rows.empty:
        display(HTML(html_table(rows.assign(row_scope=row_scope(rows)), page.lang, columns=list(TARGET_COLUMNS))))
        sentences = [f"- {target_sentence_markdown(row, page.lang)}" for _, row in rows.iterrows()]
        display(Markdown("\n".join(sentences)))
        show_in_year_trends(page, rows)
    show_tasks(page, item)


def show_items(page: Page) -> None:
    """Every item of the page's section, in plan order."""
    for item in page.items:
        show_item(page, item)


def show_in_year_trends(page: Page, rows: pd.DataFrame) -> None:
    """Monthly (or quarterly) cumulative progress with the year-end forecast, for each in-year target of ``rows``.

    Each chart is drawn once per kernel: a city row's chart appears on every
    county's page of a batch.
    """
    in_year = rows[rows["forecast"].notna()]
    for _, row in in_year.iterrows():
        key = ("in_year_trend_png", page.lang, page.year, page.as_of, str(row["target_id"]),
               str(row["indicator"]), str(row["county_code"]))
        png = page.memo(key, lambda row=row: in_year_trend_png(page, row))
        if png is not None:
            show_png(png)


def in_year_trend_png(page: Page, row: pd.Series) -> bytes | None:
    """The in-year trend chart of one forecast scorecard row as PNG bytes (None: fewer than 2 periods)."""
    series = page.measures
    series = series[(series["county_code"] == row["county_code"]) & (series["year"] == page.year)
                    & (series["indicator"] == row["indicator"]) & (series["period"] != "")]
    if row["county_code"] == page.dataset.counties.city_code and series.empty:
        series = city_monthly_totals(page, str(row["indicator"]))
    if len(series) < 2:
        return None
    fig = trend_chart(as_month_periods(series[["period", "value", "indicator"]]), forecast=row,
                      threshold=float(row["threshold"]), lang=page.lang)
    png = png_bytes(fig)
    fig.clear()
    return png


def as_month_periods(series: pd.DataFrame) -> pd.DataFrame:
    """The series with quarterly periods ("2022-Q3") written as the month the quarter ends ("2022-09").

    The monthly trend chart then places a quarterly cumulative series at months 3, 6, 9, 12.
    """
    periods = series["period"].astype("str")
    quarterly = periods.str.fullmatch(r"\d{4}-Q[1-4]")
    if not quarterly.any():
        return series
    months = period_month(periods).fillna(0).astype(int).map("{:02d}".format)
    return series.assign(period=periods.where(~quarterly, periods.str[:4] + "-" + months))


def latest_rows(measures: pd.DataFrame, codes, county_codes, year: int) -> pd.DataFrame:
    """Measure rows of ``codes`` in ``year``: per county and code, the latest one.

    The latest row is the annual (year-end) value when there is one, else the
    last month or quarter reported — what an in-year snapshot knows.
    """
    rows = measures[measures["indicator"].isin(list(codes)) & (measures["year"] == year)
                    & measures["county_code"].isin(list(county_codes))]
    end = period_month(rows["period"].astype("str")).replace(0.0, 12.5)  # annual after December's month
    rows = rows.assign(_end=end).sort_values("_end", kind="stable")
    return rows.drop_duplicates(["county_code", "indicator"], keep="last").drop(columns="_end")


def city_monthly_totals(page: Page, indicator: str) -> pd.DataFrame:
    """Monthly cumulative city totals of a count: the sum over counties of the months every county reported."""
    m = page.measures
    rows = m[(m["indicator"] == indicator) & (m["year"] == page.year) & (m["period"] != "")
             & m["county_code"].isin(page.dataset.counties.codes)]
    reporting = rows["county_code"].nunique()
    per_month = rows.groupby("period").agg(value=("value", "sum"), counties=("county_code", "nunique"))
    per_month = per_month[per_month["counties"] == reporting].reset_index()
    return per_month.assign(indicator=indicator)[["period", "value", "indicator"]]


def item_tasks(page: Page, item: int) -> pd.DataFrame:
    """The page's task rows of ``item`` with a title in the page's language."""
    from qyanalysis.targets import tasks_for

    tasks = tasks_for(page.dataset, "city" if page.is_city else page.county_code)
    tasks = tasks[tasks["item"] == item]
    title = tasks["title_en"] if page.lang == "en" and "title_en" in tasks else tasks["title_zh"]
    if page.lang == "en" and "title_en" in tasks:
        title = title.fillna(tasks["title_zh"])
    progress = tasks["status"].map(lambda status: t(f"task_status.{status}", page.lang))
    return tasks.assign(title=title, progress=progress)


def show_tasks(page: Page, item: int) -> None:
    """The item's milestones (the bureau's ``tasks`` table, else the plan's default task list)."""
    tasks = item_tasks(page, item)
    if tasks.empty:
        return
    columns = [c for c in TASK_COLUMNS if c in tasks]
    source_note = ""
    if "source" in tasks and (tasks["source"] == "plan default").all():
        source_note = f"<p><em>{html.escape(t('report.tasks_default', page.lang))}</em></p>"
    display(HTML(f"<h3>{html.escape(t('report.tasks', page.lang))}</h3>" + source_note
                 + html_table(tasks[columns], page.lang, columns=columns,
                              headers={"title": t("report.task_title", page.lang),
                                       "progress": t("report.task_progress", page.lang),
                                       "due": t("report.task_due", page.lang)})))


def show_table(page: Page, frame: pd.DataFrame, columns: list[str], *, count_columns: tuple[str, ...] = (),
               headers: dict[str, str] | None = None, caption: str | None = None,
               units: dict[str, str] | None = None) -> None:
    """A table after disclosure control: counts under the threshold shown as "<5"."""
    if frame.empty:
        display(Markdown(t("report.no_data_table", page.lang)))
        return
    shown = apply_sdc(frame[columns], list(count_columns)) if count_columns else frame[columns]
    display(HTML(html_table(shown, page.lang, columns=columns, headers=headers, caption=caption, units=units)))


def show_section_links(page: Page) -> None:
    """For an overview page: a compact table of every item and where its section page is."""
    rows = []
    for item in page.items:
        section = section_of_item(item)
        card = page.scorecard[page.scorecard["item"] == item]
        counts = card["status"].value_counts()
        rows.append({"item": item, "title": item_title(item, page.lang),
                     "section": section.number,
                     "met": int(counts.get("met", 0)), "targets": int(len(card))})
    frame = pd.DataFrame(rows)
    display(HTML(html_table(frame, page.lang, columns=["item", "title", "section", "met", "targets"],
                            headers={"title": t("report.item_title", page.lang),
                                     "met": t("report.met_count", page.lang),
                                     "targets": t("report.target_count", page.lang)},
                            units={"met": "count", "targets": "count"})))
