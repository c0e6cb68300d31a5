"""HTML pages of the reports: executed notebooks and the index pages (docs/design.md, “Output layout”).

Pages open offline: the notebook pages use the ``qyreport`` nbconvert template
(JupyterLab's cell markup from ``lab/base.html.j2`` inside a page of our own,
without require.js, MathJax, mermaid or widget scripts) and every page inlines
the one small stylesheet ``templates/report.css``. Code, prompts and the
``parameters`` / ``injected-parameters`` cells are removed; images stay
embedded as data URIs; stderr streams (warnings) are left to the run logs.

Every string that this module inserts (banner, titles, county names,
parameters, errors) is escaped by Jinja2's autoescaping; notebook outputs are
trusted as produced by the library, which escapes its own tables.
"""

from __future__ import annotations

import base64
import copy
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from qyanalysis.contract.statuses import TARGET_STATUSES, TOTAL
from qyanalysis.present.counts import counts_sentence
from qyanalysis.present.labels import status_label, t
from qyanalysis.present.numbers import format_number
from qyanalysis.present.printing import margin_rules, page_params, running_head
from qyanalysis.present.webfont import ASSETS_DIR, FIRST_CJK_CODEPOINT, FONT_FAMILY, font_face_css

TEMPLATES_DIR = Path(__file__).with_name("templates")
NOTEBOOK_TEMPLATE = "qyreport"
REMOVED_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell", "remove_cell"})
STATUS_ORDER: tuple[str, ...] = TARGET_STATUSES
HTML_LANG = {"zh": "zh-CN", "en": "en"}
# Relative path from a page to OUT/YEAR/assets: county and city pages sit one folder down.
COUNTY_ASSETS_HREF = "../" + ASSETS_DIR
YEAR_ASSETS_HREF = ASSETS_DIR
# The methods page (OUT/YEAR/methods.html), linked from every page's footer: from a county or city
# folder one level up, from OUT/YEAR/index.html beside it.
METHODS_PAGE = "methods.html"
COUNTY_METHODS_HREF = "../" + METHODS_PAGE
YEAR_METHODS_HREF = METHODS_PAGE
# The downloads beside a unit's pages (OUT/YEAR/<county>/ and OUT/YEAR/city/), linked from its index page.
SCORECARD_FILE = "scorecard.csv"
GAP_LIST_FILE = "school_gaps.csv"
# A unit's index page (OUT/YEAR/<county>/index.html), the city's index (OUT/YEAR/index.html) from a unit's folder.
INDEX_PAGE = "index.html"
YEAR_INDEX_HREF = "../" + INDEX_PAGE
#: The one script of a report page (``templates/sort.js``): its tables sortable by a click on a header and,
#: when long, filterable; it reads and moves only the page's own table rows. Without script (or in
#: print) a table stays the plain table it is.
TABLE_SCRIPT = (TEMPLATES_DIR / "sort.js").read_text(encoding="utf-8")
# CSS class of the demonstration banner a report notebook displays itself (qyanalysis.report.show).
BANNER_CLASS = "qy-demo-banner"

# Keys of the page chrome in the zh/en catalogue (``labels_html.json``); statuses use ``status.*``.
_UI_KEYS = ("generated", "package", "data_hash", "parameters", "back_to_city", "scorecard_summary", "status",
            "targets", "no_scorecard", "scorecard_csv", "sections", "reports", "city_report", "county",
            "failed_notebooks", "notebook", "cell", "error", "methods", "downloads", "print")
_PAGE_STATUSES = ("failed", "pending", "ok")
_STATUSES = ("met", "not_met", "on_track", "at_risk", "no_data", "not_applicable")


@dataclass(frozen=True)
class Provenance:
    """What a page was made from, shown in its footer.

    Attributes:
        data_hash: ``Dataset.data_hash`` (SHA-256 of the input files).
        version: qyanalysis version.
        parameters: ``(name, value)`` pairs as displayed.
        generated_at: Generation time, ISO 8601 in UTC (minutes).
    """

    data_hash: str
    version: str
    parameters: tuple[tuple[str, str], ...] = ()
    generated_at: str = ""


@dataclass(frozen=True)
class PageLink:
    """A section page listed on a county index (``href`` None when not rendered)."""

    title: str
    href: str | None
    status: str = "ok"


@dataclass(frozen=True)
class Download:
    """A file offered on a unit's index page: its label, its href (beside the page) and what it holds."""

    label: str
    href: str
    about: str = ""


@dataclass(frozen=True)
class CountyEntry:
    """A county row of the city index (``counts`` None when no scorecard exists yet)."""

    code: str
    name: str
    href: str | None
    counts: Mapping[str, int] | None


@dataclass(frozen=True)
class CountyMap:
    """The county map of the city index: PNG bytes and where its outlines come from ("" = tile grid)."""

    png: bytes
    source: str = ""

    def data_uri(self) -> str:
        """The PNG as a ``data:`` URI (embedded, so the page needs no other file)."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def size_px(self) -> tuple[int, int]:
        """Width and height of the PNG (its IHDR chunk), so the page reserves the space before decoding."""
        if self.png[:8] != b"\x89PNG\r\n\x1a\n" or len(self.png) < 24:
            raise ValueError("the county map is not a PNG")
        return int.from_bytes(self.png[16:20], "big"), int.from_bytes(self.png[20:24], "big")


@dataclass(frozen=True)
class Failure:
    """A failed notebook on the city index."""

    county: str
    notebook: str
    cell: int | None
    error: str


def utc_timestamp(moment: datetime | None = None) -> str:
    """``moment`` (default now) as ``YYYY-MM-DDTHH:MMZ`` in UTC."""
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def make_provenance(data_hash: str, parameters: Mapping[str, object], *,
                    generated_at: str | None = None, version: str | None = None) -> Provenance:
    """Build a :class:`Provenance`; values are shown as ``str`` (escaped at render time)."""
    if version is None:
        from qyanalysis import __version__ as version
    pairs = tuple((str(k), str(v)) for k, v in parameters.items())
    return Provenance(data_hash=data_hash, version=version, parameters=pairs,
                      generated_at=generated_at or utc_timestamp())


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """The templates' environment; its ``count_text`` filter is the pages' number format for a count."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
    )
    environment.filters["count_text"] = lambda value: format_number(value, "count")
    return environment


# The subset font serves CJK code points only (Latin text keeps the reader's fonts).
CJK_UNICODE_RANGE = f"U+{FIRST_CJK_CODEPOINT:X}-10FFFF"
_BODY_FONT_LIST = re.compile(r"(\bbody\s*\{[^}]*?font-family:\s*)")


def subset_font_first(face_css: str, page_css: str) -> str:
    """The ``@font-face`` rule limited to CJK code points; ``page_css`` with that family first in ``body``.

    Why first: Chromium (156, seen headless on a machine without a CJK font)
    lays text out before a *fallback* web font — the last of the list — has
    loaded and does not always lay it out again, so parts of a page stayed
    missing-glyph boxes until the window was resized (``tests/test_browser.py``
    compares the first paint with a forced re-layout). A family that leads the
    list is loaded before its text is shown. ``unicode-range`` keeps Latin text
    in the reader's fonts; for Chinese the subset's design (Noto Sans SC) is
    the one the list prefers anyway. The later mention of the family stays.
    """
    face = face_css.rstrip()
    if face.endswith("}") and "unicode-range" not in face:
        face = face[:-1] + f"unicode-range:{CJK_UNICODE_RANGE};}}"
    return face + "\n" + _BODY_FONT_LIST.sub(lambda m: f'{m.group(1)}"{FONT_FAMILY}", ', page_css, count=1)


@lru_cache(maxsize=2)
def stylesheet(assets_href: str = COUNTY_ASSETS_HREF) -> str:
    """The inlined stylesheet of every page, with the ``@font-face`` of the local subset CJK font.

    Args:
        assets_href: Relative path from the page to ``OUT/YEAR/assets`` (see
            :mod:`qyanalysis.present.webfont`).
    """
    return subset_font_first(font_face_css(assets_href),
                             (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8"))


def carries_own_banner(nb: Any) -> bool:
    """True when the notebook already displays the demonstration banner (so the page does not repeat it)."""
    return any(BANNER_CLASS in str(o.get("data", {}).get("text/html", ""))
               for cell in nb.cells if cell.get("cell_type") == "code" for o in cell.get("outputs", []))


def _ui(lang: str) -> dict[str, Any]:
    """The page-chrome strings of ``lang``, from the one zh/en catalogue."""
    ui: dict[str, Any] = {key: t(f"html.{key}", lang) for key in _UI_KEYS}
    ui["status_labels"] = {status: status_label(status, lang) for status in _STATUSES}
    ui["status_labels"][TOTAL] = t("counts.total", lang)
    ui["city_targets"] = t("counts.column.city", lang)
    ui["page_status"] = {status: t(f"html.page_status.{status}", lang) for status in _PAGE_STATUSES}
    return ui


def print_rules(place_title: str, lang: str, provenance: Provenance, notice: str | None) -> str:
    """The page's running header and footer in print (:func:`qyanalysis.present.printing.margin_rules`).

    Top left: ``place_title`` and, when the page's parameters hold them and the title does not,
    the year and the as-of month (``as_of``); bottom left the demonstration-data notice.
    """
    params = page_params(provenance.parameters)
    year = params.get("year")
    shown_year = None if year is None or place_title.endswith(f" · {year}") else year
    head = running_head(place_title, shown_year, params.get("as_of") or None, lang)
    return margin_rules(head=head, lang=lang, notice=notice)


@dataclass(frozen=True)
class NavLink:
    """One link of a page's navigation bar: where (relative to the page), its words, its ``rel``; for the
    link to the other language, that language (``hreflang``, and the words' ``lang``) and a tooltip."""

    href: str
    text: str
    rel: str = ""
    hreflang: str = ""
    title: str = ""


def contents_nav_html(title: str, links: Sequence[tuple[str, str]]) -> str:
    """A contents list: ``title`` over an ordered list of ``(anchor, text)`` links (escaped); "" for none."""
    if not links:
        return ""
    items = "".join(f'<li><a href="#{escape(anchor)}">{escape(text)}</a></li>' for anchor, text in links)
    label = escape(title)
    return f'<nav class="qy-contents" aria-label="{label}"><h2>{label}</h2><ol>{items}</ol></nav>'


def page_nav_html(links: Sequence[NavLink], lang: str) -> str:
    """The navigation bar above a page's content (escaped; hidden in print)."""
    module = _environment().get_template("_parts.html.j2").module
    return str(module.page_nav(links, t("html.nav", lang)))


def _parts(lang: str, banner: str | None, provenance: Provenance) -> tuple[str, str]:
    """The escaped banner and footer fragments."""
    module = _environment().get_template("_parts.html.j2").module
    return (str(module.banner(banner or "")),
            str(module.footer(provenance, _ui(lang), COUNTY_METHODS_HREF)))


_EXPORT_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _lean_exporter_class() -> type:
    """nbconvert's HTMLExporter without the pass that parses every page again with BeautifulSoup.

    ``HTMLExporter.from_notebook_node`` (nbconvert 7) renders the template, then parses the whole page
    (megabytes of base64 charts: ~0.1 s a page, ~5 s of a city run's main process) and serialises it
    again, only to give an ``<img>`` without ``alt`` a placeholder and a ``tabindex`` to the input and
    output areas inside a ``.jp-Notebook`` element. Here the template writes each image's ``alt`` itself
    (the chart's title, ``templates/qyreport``); a report page has no ``.jp-Notebook`` element (its
    cells sit in ``main.qy-main``), so the pass never added a ``tabindex`` to it. The filters are
    registered as nbconvert registers them.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class LeanHTMLExporter(HTMLExporter):
        def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None,
                               **kw: Any) -> tuple[str, dict[str, Any]]:
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                     resources=resources)
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return LeanHTMLExporter


@lru_cache(maxsize=1)
def _exporter() -> Any:
    """The one HTML exporter of this process (construction costs ~0.3 s): :func:`_lean_exporter_class`."""
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = _lean_exporter_class()(
        template_name=NOTEBOOK_TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        exclude_anchor_links=True,
        # Markdown cells are notes for notebook users (in English); everything a reader sees is
        # displayed by code in the page's language.
        exclude_markdown=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(REMOVED_CELL_TAGS), enabled=True), enabled=True)
    return exporter


def without_stderr(nb: Any) -> Any:
    """A copy of ``nb`` without stderr stream outputs (warnings belong in the run log, not the page)."""
    clean = copy.deepcopy(nb)
    for cell in clean.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    return clean


def notebook_to_html(nb: Any, *, title: str, lang: str, provenance: Provenance,
                     banner: str | None = None, nav: Sequence[NavLink] = ()) -> str:
    """Render an executed notebook as an offline HTML page.

    Args:
        nb: The executed notebook (``nbformat.NotebookNode``).
        title: Page title (escaped).
        lang: "zh" or "en" (the page's ``lang`` attribute and footer labels).
        provenance: Shown in the footer (escaped).
        banner: Text of the banner at the top (escaped), e.g. the demonstration-data
            notice; None for no banner.
        nav: The page's navigation bar (:func:`page_nav_html`), above its content.

    Returns:
        The complete page, ending with ``</html>``.
    """
    banner_html, footer_html = _parts(lang, None if carries_own_banner(nb) else banner, provenance)
    resources = {
        "qy": {
            "title": title,
            "html_lang": HTML_LANG[lang],
            "version": provenance.version,
            "css": stylesheet(COUNTY_ASSETS_HREF) + "\n" + print_rules(title, lang, provenance, banner),
            "banner_html": banner_html,
            "nav_html": page_nav_html(nav, lang),
            "script": TABLE_SCRIPT,
            "filter_label": t("html.filter_label", lang),
            "footer_html": footer_html,
        },
        "metadata": {"name": title},
    }
    clean = without_stderr(nb)
    with _EXPORT_LOCK:  # HTMLExporter re-registers filters on every call
        body, _ = _exporter().from_notebook_node(clean, resources=resources)
    return body


def _render(template: str, lang: str, banner: str | None, provenance: Provenance, *,
            assets_href: str = COUNTY_ASSETS_HREF, methods_href: str = COUNTY_METHODS_HREF,
            nav: Sequence[NavLink] = (), **context: Any) -> str:
    css = stylesheet(assets_href) + "\n" + print_rules(context["title"], lang, provenance, banner)
    nav_html = Markup(page_nav_html(nav, lang))  # escaped by the bar's own template
    return _environment().get_template(template).render(
        html_lang=HTML_LANG[lang], ui=_ui(lang), css=css, banner_text=banner or "",
        provenance=provenance, methods_href=methods_href, nav_html=nav_html, **context)


def ordered_counts(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Status counts in the scorecard's order (known statuses first, then any other, sorted; no ``total``)."""
    known = [(s, int(counts[s])) for s in STATUS_ORDER if s in counts]
    other = sorted((str(s), int(n)) for s, n in counts.items() if s not in STATUS_ORDER and s != TOTAL)
    return known + other


def counts_total(counts: Mapping[str, int]) -> int:
    """The ``total`` of a unit's counts (:func:`qyanalysis.runner.outputs.status_counts`), else their sum."""
    return int(counts[TOTAL]) if TOTAL in counts else sum(n for _, n in ordered_counts(counts))


def count_table(own: Mapping[str, int], city: Mapping[str, int] | None) -> list[tuple[str, int, int | None]]:
    """Rows of a county index's table: each status, the county's own targets and the city's, then the total."""
    statuses = [s for s, _ in ordered_counts({**(city or {}), **own})]
    rows = [(s, int(own.get(s, 0)), None if city is None else int(city.get(s, 0))) for s in statuses]
    return [*rows, (TOTAL, counts_total(own), None if city is None else counts_total(city))]


def counts_text(own: Mapping[str, int], own_scope: str, city: Mapping[str, int] | None, lang: str) -> str:
    """What an index page counts, in words (:func:`qyanalysis.present.counts.counts_sentence`)."""
    parts = [(own_scope, own), *([("city", city)] if city is not None else [])]
    sentence = counts_sentence([(scope, {**counts, TOTAL: counts_total(counts)}) for scope, counts in parts], lang)
    return sentence + t("narrative.full_stop", lang)


def render_county_index(*, county_name: str, year: int, lang: str, status_counts: Mapping[str, int] | None,
                        pages: Sequence[PageLink], provenance: Provenance, banner: str | None = None,
                        scorecard_href: str | None = SCORECARD_FILE,
                        city_counts: Mapping[str, int] | None = None, own_scope: str = "county",
                        downloads: Sequence[Download] | None = None, nav: Sequence[NavLink] = ()) -> str:
    """The county landing page: its targets by status, the city's apart, and a link to each section page.

    Args:
        county_name: Display name (escaped).
        year: Report year.
        lang: "zh" or "en".
        status_counts: The county's own targets per status (``run.json``'s counts of
            :func:`qyanalysis.contract.tallies.target_counts`), or None when there is no scorecard.
        pages: The section pages in page order.
        provenance: Footer content.
        banner: Demonstration-data notice, or None.
        scorecard_href: Link to the county's ``scorecard.csv`` (None for no link), when ``downloads``
            is not given.
        city_counts: The city's targets per status, which the county's pages show beside its own
            (counted apart), or None.
        own_scope: Whose targets ``status_counts`` are: ``county``, or ``city`` for the city's index.
        downloads: The files beside the page, listed under "Downloads" (labels and notes escaped);
            None: the scorecard link alone.
        nav: The page's navigation bar (``qyanalysis.runner.jobs.index_nav``); without one, a link back to
            the list of reports.
    """
    if downloads is None:
        downloads = ([Download(t("html.scorecard_csv", lang), scorecard_href)]
                     if scorecard_href and status_counts is not None else [])
    rows = count_table(status_counts, city_counts) if status_counts is not None else []
    text = counts_text(status_counts, own_scope, city_counts, lang) if status_counts is not None else ""
    return _render("county_index.html.j2", lang, banner, provenance, title=f"{county_name} · {year}",
                   county_name=county_name, year=year, count_rows=rows, counts_text=text,
                   has_city=city_counts is not None, own_header=t(f"counts.column.{own_scope}", lang),
                   pages=list(pages), downloads=list(downloads), nav=nav)


def map_notes(source: str, lang: str) -> list[str]:
    """Sentences under a county map: what it is (tile diagram or outlines and their source), and 审图号."""
    first = t("map.boundaries_note", lang, source=source) if source else t("map.tiles_note", lang)
    return [first, t("map.review_note", lang)]


def render_city_index(*, city_name: str, year: int, lang: str, counties: Sequence[CountyEntry],
                      city_href: str | None, failures: Iterable[Failure], provenance: Provenance,
                      banner: str | None = None, county_map: CountyMap | None = None,
                      city_counts: Mapping[str, int] | None = None,
                      downloads: Sequence[Download] = (), nav: Sequence[NavLink] = ()) -> str:
    """The city landing page: links to every county and the city report, counts per county, failures.

    Args:
        city_name: Display name of the city (escaped).
        year: Report year.
        lang: "zh" or "en".
        counties: One entry per county, in display order; its counts are the county's own targets.
        city_href: Link to the city report (None when it has not been rendered).
        failures: Failed notebooks; the table is shown only when there is at least one.
        provenance: Footer content.
        banner: Demonstration-data notice, or None.
        county_map: The map of targets not met per county (embedded as PNG), or None.
        city_counts: The city-wide targets per status (a last row of their own), or None.
        downloads: The city report's files, listed under "Downloads" (labels and notes escaped).
        nav: The page's navigation bar (``qyanalysis.runner.jobs.index_nav``).
    """
    units = list(counties)
    if city_counts is not None:
        units.append(CountyEntry("", t("counts.unit_city", lang, city=city_name), None, city_counts))
    seen = {s for c in units if c.counts for s, _ in ordered_counts(c.counts)}
    statuses = [s for s in STATUS_ORDER if s in seen] + sorted(seen - set(STATUS_ORDER))
    totals = {c.name: counts_total(c.counts) for c in units if c.counts is not None}
    return _render("city_index.html.j2", lang, banner, provenance, assets_href=YEAR_ASSETS_HREF,
                   methods_href=YEAR_METHODS_HREF, title=f"{city_name} · {year}",
                   city_name=city_name, year=year, counties=list(counties), units=units, totals=totals,
                   counts_note=t("counts.city_index_note", lang), total_label=t("counts.total", lang),
                   city_href=city_href, statuses=statuses or list(STATUS_ORDER), failures=list(failures),
                   county_map=county_map, map_uri=county_map.data_uri() if county_map else "",
                   map_size=county_map.size_px() if county_map else (0, 0),
                   map_notes=map_notes(county_map.source, lang) if county_map else [],
                   map_heading=t("map.heading", lang), map_alt=t("map.not_met_title", lang),
                   downloads=list(downloads), nav=nav)


def render_methods_page(*, title: str, body_html: str, lang: str, provenance: Provenance,
                        banner: str | None = None, nav: Sequence[NavLink] = ()) -> str:
    """The methods page ``OUT/YEAR/methods.html`` in the reports' style.

    Args:
        title: Page title (escaped).
        body_html: The document as HTML, already escaped (``qyanalysis.present.methods.markdown_to_html``
            renders Markdown with raw HTML disabled).
        lang: "zh" or "en".
        provenance: Footer content.
        banner: Demonstration-data notice, or None.
        nav: The page's navigation bar (``qyanalysis.runner.jobs.index_nav``).
    """
    return _render("methods.html.j2", lang, banner, provenance, assets_href=YEAR_ASSETS_HREF,
                   methods_href="", title=title, body_html=body_html, nav=nav)
