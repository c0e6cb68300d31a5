"""The blocks every report page opens with: header, summary, and the plan items one by one.

These are composites, kept on purpose: every section notebook shows a header,
a summary and each of its items (targets, sentences, in-year trends, tasks),
and written out as build / show / draw cells that is some forty cells of the
same plumbing per notebook. Each block here builds its frames with
``qyanalysis.report.tables`` (:mod:`~qyanalysis.report.tables.common`) and
draws them with ``qyanalysis.report.views`` (:mod:`~qyanalysis.report.views.common`);
a researcher who wants one item's numbers calls ``tables.item_targets(page, 8)`` in a cell, and one who
wants to change them changes the section's frame (``targets = tables.section_targets(page)``, every item's
rows) and shows the items from it (``show_items(page, targets)``). Data-derived strings are escaped;
figures are displayed then closed.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, Image, Markdown, display
from matplotlib.figure import Figure

from qyanalysis.contract.plan import item_title
from qyanalysis.measures.periods import latest_rows  # noqa: F401 - imported from here by sections 3, 5–7's views
from qyanalysis.present.html import contents_nav_html
from qyanalysis.present.labels import demo_banner, section_title, t
from qyanalysis.present.narrative import act_first_markdown, scorecard_summary_markdown
from qyanalysis.present.style import figure_alt, png_bytes
from qyanalysis.report import tables, views
from qyanalysis.report.frames import frame_html
from qyanalysis.report.page import Page

BANNER_STYLE = ("background:#fff3cd;border:1px solid #e0c36c;color:#5c4400;padding:8px 12px;"
                "border-radius:4px;font-weight:600;margin:4px 0 12px 0;")


def show_figure(fig: Figure) -> None:
    """Display a figure once, as an embedded PNG, and release it.

    The PNG is rendered here (not by the notebook's matplotlib backend), so a
    page looks the same under JupyterLab, papermill or a warm batch kernel.
    """
    show_png(png_bytes(fig), figure_alt(fig))
    fig.clear()


def show_png(png: bytes, alt: str = "") -> None:
    """Display PNG bytes (a chart rendered once and kept, e.g. by :meth:`Page.memo`); ``alt``, the chart's
    title, is the output's ``alt`` metadata (the page's ``<img alt>``)."""
    display(Image(data=png, format="png", alt=alt or None))


def show_view(shown: Figure | HTML) -> None:
    """Display what a view returned: a figure as the house PNG (then released), HTML as it is."""
    if isinstance(shown, Figure):
        show_figure(shown)
    else:
        display(shown)


def show_frame(frame) -> None:
    """Display a labelled frame as the house table (whether or not the IPython formatter is installed)."""
    display(HTML(frame_html(frame)))


def banner_html(page: Page) -> str:
    """The demonstration-data banner (empty for real data)."""
    if not page.dataset.is_demo:
        return ""
    return f'<div class="qy-demo-banner" style="{BANNER_STYLE}">{html.escape(demo_banner(page.lang))}</div>'


def page_title(page: Page) -> str:
    """What the page is about: its section's title, the city comparison, or the overview."""
    if page.section is not None:
        return section_title(page.section.number, page.lang)
    return t("report.city.title" if page.is_city else "report.overview", page.lang)


def show_header(page: Page, title: str | None = None) -> None:
    """Banner (demo data), the page title (county · section or ``title`` · year), the data's snapshot month;
    on the city page of a large region, which counties the tables list."""
    heading = t("report.page_title", page.lang, county=page.county_name, title=title or page_title(page),
                year=page.year)
    as_of = page.as_of
    snapshot = t("report.as_of", page.lang, month=as_of) if as_of else t("report.as_of_year_end", page.lang)
    cut = tables.counties_cut_note(page, whole_page=True)
    display(HTML(banner_html(page) + f"<h1>{html.escape(heading)}</h1>"
                 + f'<p class="qy-as-of">{html.escape(snapshot)}</p>'
                 + (f"<p>{html.escape(cut)}</p>" if cut else "")))


def show_summary(page: Page) -> None:
    """The page's answer: the counts of its targets, what to act on first (targets not met or at risk, each
    with its shortfall), then a chart of the targets with values."""
    card = page.section_scorecard()
    if card.empty:
        display(Markdown(t("report.no_targets", page.lang)))
        return
    display(Markdown(scorecard_summary_markdown(card, page.county_name, page.lang)))
    display(Markdown(act_first_markdown(card, page.lang)))
    drawn = tables.summary_targets(page)
    note = views.note_of(drawn)
    if note:
        display(Markdown(note))
    if not drawn.empty:
        show_view(views.summary_chart(drawn))


def show_item(page: Page, item: int, section: pd.DataFrame | None = None) -> None:
    """One plan item: heading, its targets (table, sentences with the plan's words), trends, tasks.

    The targets are ``tables.item_targets(page, item)``, or the item's rows of ``section`` (a
    ``tables.section_targets`` frame a researcher may have changed).
    """
    heading = item_heading(item, page.lang)
    display(HTML(f"<h2 id=\"item-{item}\">{html.escape(heading)}</h2>"))
    targets = tables.item_targets(page, item) if section is None else tables.item_rows(section, item)
    if not targets.empty:
        show_frame(targets)
        display(views.target_sentences(targets))
        show_in_year_trends(page, targets)
    tasks = tables.item_tasks(page, item)
    if not tasks.empty:
        show_frame(tasks)


def item_heading(item: int, lang: str) -> str:
    """An item's heading: "第 5 项 …" / "Item 5 …" with the plan's title."""
    return f"{t('item', lang, item=item)} {item_title(item, lang)}"


def page_contents_html(page: Page) -> str:
    """The page's contents: a list of links to its items (``#item-N``), "" for a page of one item or none."""
    if len(page.items) < 2:
        return ""
    return contents_nav_html(t("html.page_contents", page.lang),
                             [(f"item-{item}", item_heading(item, page.lang)) for item in page.items])


def show_items(page: Page, section: pd.DataFrame | None = None) -> None:
    """The page's contents (:func:`page_contents_html`), then every item of its section, in plan order: each
    item's targets from ``section`` (``tables.section_targets(page)``, every item's in one frame, changed or
    not) when it is given."""
    contents = page_contents_html(page)
    if contents:
        display(HTML(contents))
    for item in page.items:
        show_item(page, item, section)


def show_in_year_trends(page: Page, targets) -> None:
    """The in-year trend chart of each forecast target of ``targets`` (scorecard rows).

    Each chart is drawn once per kernel (``page.memo``): a city row's chart
    appears on every county's page of a batch.
    """
    in_year = targets[targets["forecast"].notna()]
    keys = in_year[["target_id", "county_code", "indicator"]].astype("str")
    for target_id, unit, indicator in keys.itertuples(index=False):
        key = ("in_year_trend_png", page.lang, page.year, page.as_of, target_id, indicator, unit)
        chart = page.memo(key, lambda target=target_id, unit=unit: trend_png(page, target, unit))
        if chart is not None:
            show_png(*chart)


def trend_png(page: Page, target_id: str, county_code: str) -> tuple[bytes, str] | None:
    """The in-year trend chart of one forecast row as PNG bytes and its title (None: fewer than two periods)."""
    series = tables.in_year_trend(page, target_id, county_code)
    if series.empty:
        return None
    fig = views.in_year_trend_chart(series)
    chart = png_bytes(fig), figure_alt(fig)
    fig.clear()
    return chart
