"""The two languages side by side: ``OUT/YEAR/…`` in Chinese, ``OUT/YEAR/en/…`` in English (docs/design.md,
“Two languages”).

Each language has a tree of its own — pages, index pages, methods page, ``run.json``, scorecards,
workbooks, PDFs and the subset font under ``assets/`` — with the same layout below its root, so every
link inside a tree is the same in both. A page links the same page in the other language only when
that page is there: for a section page, when the other tree's ``run.json`` lists it as rendered (``ok``)
from the same notebook, data, parameters and package (the same *pair key*, :func:`counterpart_ok`) and
its file exists; for an index or the methods page, when the other tree has that file. The link is not
part of a page's content key (a run in one language re-renders nothing of the other): it is set when a
page is rendered, and ``qyanalysis.runner.outputs.link_languages`` adds or removes it afterwards, in both
trees, by rewriting the page's navigation bar alone (:func:`replace_nav`) — keeping the page's
modification time, as its printed form (the PDF) does not change.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from qyanalysis.runner.atomic import write_atomic

#: The folder of each language's tree below ``OUT/YEAR`` ("" = ``OUT/YEAR`` itself).
LANG_FOLDERS = {"zh": "", "en": "en"}
#: The pages of a tree that are not section pages: the list of reports and the methods page.
YEAR_PAGES = ("index.html", "methods.html")
_NAV = re.compile(r'<nav class="qy-page-nav"[^>]*>.*?</nav>', re.S)


def tree_dir(year_dir: Path, lang: str) -> Path:
    """The root of ``lang``'s tree in ``OUT/YEAR``."""
    folder = LANG_FOLDERS[lang]
    return year_dir / folder if folder else year_dir


def year_dir_of(tree: Path, lang: str) -> Path:
    """``OUT/YEAR`` of ``lang``'s tree ``tree``."""
    return tree.parent if LANG_FOLDERS[lang] else tree


def other_lang(lang: str) -> str:
    """The other report language."""
    return "en" if lang == "zh" else "zh"


def other_tree(tree: Path, lang: str) -> Path:
    """The root of the other language's tree, from ``lang``'s tree."""
    return tree_dir(year_dir_of(tree, lang), other_lang(lang))


def other_lang_href(rel: str, lang: str) -> str:
    """The link from the page ``rel`` (relative to its tree, e.g. ``441802/02_development.html``) of
    ``lang``'s tree to the same page of the other tree."""
    up = "../" * rel.count("/")
    target = LANG_FOLDERS[other_lang(lang)]
    return f"{up}{target}/{rel}" if target else f"{up}../{rel}"


def tree_pages(tree: Path, lang: str) -> list[Path]:
    """The HTML pages of ``lang``'s tree (not those of a tree nested in it: ``OUT/YEAR/en`` in Chinese's)."""
    nested = {tree / folder for other, folder in LANG_FOLDERS.items() if folder and other != lang}
    return [path for path in tree.rglob("*.html") if not any(n in path.parents for n in nested)]


def switch_characters() -> set[str]:
    """The CJK characters of the language links (``中文`` on English pages): every tree's font holds them,
    since a link may be added to a page after its tree's font was made."""
    from qyanalysis.present.labels import t
    from qyanalysis.present.webfont import cjk_characters

    return cjk_characters(t("html.nav.other_lang", lang) for lang in LANG_FOLDERS)


def page_key(county: str, notebook: str) -> str:
    """A section page's name in ``run.json`` (``<county>/<notebook>``)."""
    return f"{county}/{notebook}"


def counterpart_ok(other: Mapping[str, Any] | None, name: str, pair: str | None, other_root: Path) -> bool:
    """Whether the other tree holds page ``name`` rendered from the same inputs (pair key ``pair``).

    Args:
        other: The other tree's ``run.json`` (None when it has none).
        name: ``<county>/<notebook>``.
        pair: This page's pair key (:func:`qyanalysis.runner.manifest.pair_key`).
        other_root: The other tree's root.
    """
    if not other or not pair:
        return False
    entry = other.get("notebooks", {}).get(name)
    return (isinstance(entry, Mapping) and entry.get("status") == "ok" and entry.get("pair") == pair
            and (other_root / f"{name}.html").is_file())


def replace_nav(text: str, nav_html: str) -> str | None:
    """``text`` with its navigation bar (the first ``qy-page-nav`` element) replaced by ``nav_html``; None
    when it has none."""
    found = _NAV.search(text)
    if found is None:
        return None
    return text[:found.start()] + nav_html.strip() + text[found.end():]


def patch_nav(path: Path, nav_html: str) -> bool:
    """Give the page ``path`` the navigation bar ``nav_html``, keeping its modification time; True when
    it changed."""
    try:
        text = path.read_text(encoding="utf-8")
        stat = path.stat()
    except FileNotFoundError:
        return False
    patched = replace_nav(text, nav_html)
    if patched is None or patched == text:
        return False
    write_atomic(path, patched)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return True


def unit_indexes(tree: Path) -> list[str]:
    """The units' index pages of a tree (``<unit>/index.html``), relative to it."""
    nested = set(LANG_FOLDERS.values())
    return sorted(f"{path.parent.name}/index.html" for path in tree.glob("*/index.html")
                  if path.parent.name not in nested)


def stale_sections(year_dir: Path, manifests: Mapping[str, dict[str, Any]]
                    ) -> Iterator[tuple[str, str, dict[str, Any], bool]]:
    """``(lang, name, entry, want)`` of each rendered section page whose ``lang_link`` is not ``want``,
    whether the other language's page is there (:func:`counterpart_ok`)."""
    for lang, manifest in manifests.items():
        tree, other = tree_dir(year_dir, lang), other_lang(lang)
        other_root = tree_dir(year_dir, other)
        for name, entry in manifest.get("notebooks", {}).items():
            if entry.get("status") != "ok" or not (tree / f"{name}.html").is_file():
                continue
            want = counterpart_ok(manifests.get(other), name, entry.get("pair"), other_root)
            if bool(entry.get("lang_link")) != want:
                yield lang, name, entry, want


def links_current(year_dir: Path, manifests: Mapping[str, dict[str, Any]]) -> bool:
    """Whether every section page's link to the other language is as it should be (a few file checks: for a
    run that changed nothing, whose pages could have lost their counterpart only by hand)."""
    return next(stale_sections(year_dir, manifests), None) is None
