"""Reading the links of rendered pages: every link resolves, and each page's link to the other language
(``qyanalysis.runner.languages``) leads to the same page of the other tree."""

from __future__ import annotations

import html
import re
from pathlib import Path

from qyanalysis.runner.languages import LANG_FOLDERS, other_lang, tree_dir, tree_pages

LINK = re.compile(r'<a\s[^>]*?href="([^"#]*)(?:#[^"]*)?"[^>]*>')
NAV = re.compile(r'<nav class="qy-page-nav".*?</nav>', re.S)
LANGUAGE_LINK = re.compile(r'<a href="([^"]+)" rel="alternate" hreflang="([^"]+)"')


def links_of(text: str) -> list[str]:
    """The relative hrefs of a page's links (no anchors within the page, no ``scheme:`` URLs)."""
    return [html.unescape(href) for href in LINK.findall(text) if href and not re.match(r"[a-z]+:", href)]


def language_links(text: str) -> list[tuple[str, str]]:
    """``(href, hreflang)`` of the links to the other language in the page's navigation bar."""
    bar = NAV.search(text)
    return LANGUAGE_LINK.findall(bar.group(0)) if bar else []


def broken_links(year_dir: Path, not_rendered: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Page (relative to ``year_dir``) → its links to no file, in every language's tree; a link to a page
    named in ``not_rendered`` (file names of pages this run did not render) is not counted."""
    found = {}
    for lang in LANG_FOLDERS:
        tree = tree_dir(year_dir, lang)
        for page in tree_pages(tree, lang) if tree.is_dir() else []:
            missing = [href for href in links_of(page.read_text(encoding="utf-8"))
                       if not (page.parent / href).exists() and Path(href).name not in not_rendered]
            if missing:
                found[str(page.relative_to(year_dir))] = missing
    return found


def language_pairs(year_dir: Path) -> dict[str, str | None]:
    """Page (relative to ``year_dir``) → the page its bar's language link leads to (relative to ``year_dir``),
    or None without one; every page of both trees. Fails on a link of the wrong language or several."""
    from qyanalysis.present.html import HTML_LANG

    pairs = {}
    for lang in LANG_FOLDERS:
        tree = tree_dir(year_dir, lang)
        for page in tree_pages(tree, lang) if tree.is_dir() else []:
            links = language_links(page.read_text(encoding="utf-8"))
            assert len(links) <= 1, (page, links)
            assert all(hreflang == HTML_LANG[other_lang(lang)] for _, hreflang in links), (page, links)
            target = (page.parent / links[0][0]).resolve().relative_to(year_dir.resolve()) if links else None
            pairs[str(page.relative_to(year_dir))] = None if target is None else str(target)
    return pairs


def counterpart(rel: str) -> str:
    """The same page in the other tree: ``en/x/y.html`` ↔ ``x/y.html`` (relative to ``OUT/YEAR``)."""
    folder = LANG_FOLDERS["en"] + "/"
    return rel[len(folder):] if rel.startswith(folder) else folder + rel
