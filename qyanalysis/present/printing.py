"""Print layout (A4 portrait): the running header and footer of every page, and the printable book.

Two things are made here, both plain HTML/CSS (the runner drives the browser):

* :func:`margin_rules` — the ``@page`` margin boxes of one page: the place, year and
  as-of month top left, the page's title top right, the demonstration-data
  notice bottom left and "page N of M" bottom right. Chromium prints CSS page-margin
  boxes since version 131 (Debian bookworm ships 156); a browser without them
  prints the page without a running header, the content is the same. Every text
  goes into a CSS string through :func:`css_string`, which escapes quotes,
  backslashes, angle brackets and control characters (a county name cannot end
  the string or the ``<style>`` element).
* :func:`book_html` — one document holding a contents page and the bodies of a
  county's section pages in plan order, for ``qyanalysis pdf``. The contents page
  is a *named page* (its own sheet, "目录" in its header) with the provenance at
  its foot; the sections follow one another without a forced break, each headed
  by its title. (After the last section the provenance could be left alone on a
  sheet: once a document has had a forced break, Chromium no longer keeps a block
  at its end with what precedes it. A title per section in the running header
  would need a named page per section — Chromium has no ``string-set`` — and a
  named page starts a sheet: about one sheet in twenty more on the demonstration
  data.) Ids are prefixed with the section key, so the ``item-5`` of two pages
  never clash, and links between the pages become links inside the book.

The page rules themselves (A4, margins, breaks, repeated table headers, printed
link targets) are in ``templates/report.css`` under ``@page`` / ``@media print``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qyanalysis.present.labels import t

# Characters that may not appear as themselves inside a CSS string in a <style> element.
_CSS_UNSAFE = frozenset('"\\<>&\'')
_MAIN_OPEN = re.compile(r'<main\b[^>]*class="qy-main"[^>]*>')
_FOOTER = re.compile(r'<footer class="qy-footer">.*?</footer>', re.S)
_ID_ATTR = re.compile(r'\bid="([^"]*)"')
_HREF_ATTR = re.compile(r'\s\bhref="([^"]*)"')
_ITEM_HEADING = re.compile(r'<h2 id="item-(\d+)">(.*?)</h2>', re.S)
_TAG = re.compile(r"<[^>]+>")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
# Links kept as they are in a printed book: other sites (their address is printed after them) and mail.
_EXTERNAL_LINK = re.compile(r"^(https?:|mailto:)", re.I)


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string, safe inside a ``<style>`` element.

    Whitespace runs (line breaks included) become one space; quotes, backslashes, ``<``, ``>``, ``&``
    and control characters become six-digit CSS escapes (``\\00003c``). Other
    characters (Chinese included) stay as they are, so the subset web font,
    which is made from the characters of the page, covers them.
    """
    flat = re.sub(r"\s+", " ", str(text))
    escaped = "".join(f"\\{ord(c):06x}" if c in _CSS_UNSAFE or ord(c) < 0x20 or ord(c) == 0x7F else c
                      for c in flat)
    return f'"{escaped}"'


def page_number_content(lang: str) -> str:
    """The CSS ``content`` value "第 N 页 / 共 M 页" (``Page N of M``) from the catalogue's template."""
    template = t("print.page_of", lang, page="\x00page\x00", pages="\x00pages\x00")
    tokens = []
    for part in template.split("\x00"):
        if part in ("page", "pages"):
            tokens.append(f"counter({part})")
        elif part:
            tokens.append(css_string(part))
    return " ".join(tokens)


def running_head(place: str, year: int | str | None, as_of: str | None, lang: str) -> str:
    """``place · year · 数据截至 YYYY-MM`` (year and as-of month only when known)."""
    parts = [str(place)]
    if year not in (None, ""):
        parts.append(str(year))
    if as_of:
        parts.append(t("print.as_of", lang, month=as_of))
    return " · ".join(parts)


def margin_rules(*, head: str, lang: str, title: str | None = None, notice: str | None = None,
                 page_name: str | None = None) -> str:
    """The ``@page`` rule with the running header and footer of a page.

    Args:
        head: Top left: place, year and as-of month (see :func:`running_head`).
        lang: "zh" or "en" (the page-number wording).
        title: Top right: the page's or section's title, or None.
        notice: Bottom left: the demonstration-data notice, or None for real data.
        page_name: A CSS named page (``qy-contents``) these boxes belong to; None for every page.
    """
    boxes = {"top-left": css_string(head), "top-right": css_string(title) if title else None,
             "bottom-left": css_string(notice) if notice else None,
             "bottom-right": page_number_content(lang)}
    body = " ".join(f"@{box}{{content:{value};}}" for box, value in boxes.items() if value)
    selector = f"@page {page_name}" if page_name else "@page"
    return f"{selector}{{{body}}}"


def page_params(parameters: Sequence[tuple[str, str]]) -> dict[str, str]:
    """A page's displayed parameters (``Provenance.parameters``) as a dict."""
    return {str(k): str(v) for k, v in parameters}


# -- the book: contents page + section bodies ---------------------------------------------------------


@dataclass(frozen=True)
class BookSection:
    """A page of a county in the book.

    Attributes:
        key: The page's stem (``02_development``); ids in its body get this prefix.
        title: Its title (``二、全力推进教育高质量发展``).
        body: The inner HTML of the page's ``<main>`` (see :func:`main_content`), or None when
            the page was not rendered (it is then listed on the contents page as missing).
        status: The page's status when it is missing (``failed`` / ``pending``).
    """

    key: str
    title: str
    body: str | None
    status: str = "ok"


def main_content(page: str) -> str:
    """The inner HTML of a rendered page's ``<main class="qy-main">`` (its whole body when there is none)."""
    opened = _MAIN_OPEN.search(page)
    if opened is None:
        start = page.find("<body")
        start = page.find(">", start) + 1 if start >= 0 else 0
        end = page.rfind("</body>")
        return page[start:end if end >= 0 else len(page)]
    end = page.rfind("</main>")
    return page[opened.end():end if end > opened.end() else len(page)]


def page_footer(page: str) -> str:
    """The provenance ``<footer>`` of a rendered page ("" when it has none)."""
    found = _FOOTER.search(page)
    return found.group(0) if found else ""


def html_title(page: str) -> str:
    """The text of a rendered page's ``<title>`` (unescaped)."""
    found = _TITLE.search(page)
    return html.unescape(found.group(1)).strip() if found else ""


def anchor(key: str, ident: str) -> str:
    """The id in the book of ``ident`` on page ``key``."""
    return f"{key}--{ident}"


def section_anchor(key: str) -> str:
    """The id in the book of the start of page ``key``."""
    return f"sec-{key}"


def rebase_links(body: str, key: str, keys: Sequence[str]) -> str:
    """``body`` with its ids prefixed and its links pointing inside the book.

    ``#x`` → ``#<key>--x``; ``<other>.html#x`` → ``#<other>--x`` and ``<other>.html``
    → the start of that page when it is in the book; links to web sites and
    ``mailto:`` stay; any other link (the index, ``scorecard.csv`` …) would be
    dead in a PDF and loses its ``href`` (its text stays).
    """
    pages = set(keys)

    def _href(match: re.Match[str]) -> str:
        target = html.unescape(match.group(1))
        if _EXTERNAL_LINK.match(target):
            return match.group(0)
        path, _, fragment = target.partition("#")
        stem = path[:-5] if path.endswith(".html") else None
        if not path and fragment:
            return f' href="#{html.escape(anchor(key, fragment))}"'
        if stem in pages:
            ident = anchor(stem, fragment) if fragment else section_anchor(stem)
            return f' href="#{html.escape(ident)}"'
        return ""

    with_ids = _ID_ATTR.sub(lambda m: f'id="{html.escape(anchor(key, html.unescape(m.group(1))))}"', body)
    return _HREF_ATTR.sub(_href, with_ids)


def item_headings(body: str) -> list[tuple[str, str]]:
    """``(item id, heading HTML text)`` of the plan items on a page, in page order (tags stripped)."""
    return [(f"item-{number}", _TAG.sub("", text).strip()) for number, text in _ITEM_HEADING.findall(body)]


def _number(page_numbers: Mapping[str, int] | None, ident: str) -> str:
    if page_numbers is None:
        return ""
    found = page_numbers.get(ident)
    return str(found) if found is not None else ""


def contents_html(*, title: str, subtitle: str, notice: str | None, sections: Sequence[BookSection],
                  lang: str, page_numbers: Mapping[str, int] | None, counts: str = "",
                  footer: str = "") -> str:
    """The contents page: title, notice, the unit's targets by status, then each page and its plan items,
    linked, with page numbers, and at its foot the provenance ``footer`` (trusted HTML; "" for none).

    ``counts`` is the unit's targets in words, as its index page says them
    (:func:`qyanalysis.present.html.counts_text`); "" for none.

    ``page_numbers`` maps book ids (``sec-02_development``, ``02_development--item-5``) to page
    numbers; None before they are known (the numbers' places stay empty, same layout).
    """
    esc = html.escape
    lines = [f'<section class="qy-print-contents" id="qy-contents">',
             f"<h1>{esc(title)}</h1>", f'<p class="qy-print-subtitle">{esc(subtitle)}</p>']
    if notice:
        lines.append(f'<div class="qy-banner" role="note">{esc(notice)}</div>')
    if counts:
        lines.append(f'<p class="qy-counts">{esc(counts)}</p>')
    lines.append(f"<h2>{esc(t('print.contents', lang))}</h2>")
    lines.append('<ol class="qy-toc">')
    for section in sections:
        if section.body is None:
            state = t(f"html.page_status.{section.status}", lang) or t("html.page_status.pending", lang)
            lines.append(f'<li class="qy-toc-missing"><span class="qy-toc-title">{esc(section.title)}</span> '
                         f'<span class="qy-toc-note">({esc(state)} · {esc(t("print.not_included", lang))})'
                         f"</span></li>")
            continue
        ident = section_anchor(section.key)
        lines.append(f'<li><a class="qy-toc-entry" href="#{esc(ident)}"><span class="qy-toc-title">'
                     f'{esc(section.title)}</span><span class="qy-toc-page">{_number(page_numbers, ident)}'
                     f"</span></a>")
        items = item_headings(section.body)
        if items:
            lines.append('<ol class="qy-toc-items">')
            for item, text in items:
                target = anchor(section.key, item)
                # ``text`` comes from the rendered page, already escaped by the library.
                lines.append(f'<li><a class="qy-toc-entry" href="#{esc(target)}"><span class="qy-toc-title">'
                             f'{text}</span><span class="qy-toc-page">{_number(page_numbers, target)}</span>'
                             f"</a></li>")
            lines.append("</ol>")
        lines.append("</li>")
    lines.append("</ol>")
    if footer:
        lines.append(footer)
    lines.append("</section>")
    return "\n".join(lines)


def book_html(*, title: str, subtitle: str, head: str, notice: str | None, lang: str, css: str,
              sections: Sequence[BookSection], footer: str = "",
              page_numbers: Mapping[str, int] | None = None, item_per_sheet: bool = False,
              counts: str = "") -> str:
    """The printable book of one county (or the city): contents page, then every rendered page.

    Args:
        title: The book's title (contents page and ``<title>``), escaped here.
        subtitle: A line under it (e.g. the year and as-of month), escaped here.
        head: The running header, top left of every sheet (see :func:`running_head`).
        notice: The demonstration-data notice (bottom left of every sheet, and on the contents
            page), or None for real data.
        lang: "zh" or "en".
        css: The page stylesheet (``html.stylesheet``: report.css and the font face).
        sections: The pages in plan order; their bodies are trusted HTML made by the library.
        footer: The provenance footer, printed on the contents page (trusted HTML), or "".
        page_numbers: Book ids → page numbers for the contents page (see :func:`contents_html`).
        item_per_sheet: Start every page and plan item on a new sheet (else they follow one another,
            each heading kept with what follows it).
        counts: The unit's targets by status in words, on the contents page ("" for none).
    """
    keys = [s.key for s in sections if s.body is not None]
    rules = [margin_rules(head=head, lang=lang, notice=notice),
             margin_rules(head=head, lang=lang, notice=notice, title=t("print.contents", lang),
                          page_name="qy-contents")]
    parts = [contents_html(title=title, subtitle=subtitle, notice=notice, sections=sections, lang=lang,
                           page_numbers=page_numbers, counts=counts, footer=footer)]
    for section in sections:
        if section.body is not None:
            body = rebase_links(section.body, section.key, keys)
            parts.append(f'<section class="qy-print-section" id="{html.escape(section_anchor(section.key))}">'
                         f"\n{body}\n</section>")
    html_lang = "zh-CN" if lang == "zh" else "en"
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{html_lang}">', "<head>", '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>", "<style>", css, "\n".join(rules),
        ".qy-print-contents{page:qy-contents;}", "</style>", "</head>",
        f'<body class="qy-report qy-print-book{" qy-item-per-sheet" if item_per_sheet else ""}">',
        '<main class="qy-main">', *parts, "</main>",
        "</body>", "</html>", ""])
