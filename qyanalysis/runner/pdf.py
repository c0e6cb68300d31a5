"""``qyanalysis pdf``: one PDF per county and one for the city, from an already rendered report folder.

For each county (or ``city``) this module gathers the rendered pages of
``OUT/YEAR/<code>/`` in plan order (the same list as its index page), joins
their bodies behind a contents page into one document
(:func:`qyanalysis.present.printing.book_html`) and prints it with headless
Chromium (:mod:`qyanalysis.runner.chromium`, offline, scripts off) to
``OUT/YEAR/<code>/<code>-<year>.pdf``, written atomically. The year in the
name keeps a PDF that is mailed or attached on its own recognisable. English
pages (``OUT/YEAR/en/…``, :mod:`qyanalysis.runner.languages`) print the same way
to ``OUT/YEAR/en/<code>/<code>-<year>-en.pdf``; by default every language
rendered is printed.

Fonts: the book gets its own subset of the bundled Noto Sans SC (OFL) holding
every CJK character of the book — the contents page and running headers
included — written beside it in a temporary folder; Chromium embeds the glyphs
it uses in the PDF, so the Chinese text prints and stays extractable on a
machine without any CJK font.

Page numbers on the contents page: Chromium has no ``target-counter()``, so
the book is printed twice. The first print's named destinations (one for each
contents link: every page and plan item) give the sheet each starts on; the
second print shows them. Should the destinations not be readable (another
PDF writer), the first print is kept, with the contents linked but unnumbered.

A PDF is printed again only when one of its pages is newer than it (or with
``--force``).
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qyanalysis.errors import UsageError
from qyanalysis.present.html import COUNTY_ASSETS_HREF, counts_text, stylesheet
from qyanalysis.present.labels import demo_banner, t
from qyanalysis.present.printing import (
    BookSection,
    book_html,
    html_title,
    main_content,
    page_footer,
    running_head,
)
from qyanalysis.present.webfont import (
    ASSETS_DIR,
    FONT_FILE,
    cjk_characters,
    subset_font,
    write_font_characters,
)
from qyanalysis.runner import manifest as mf
from qyanalysis.runner.atomic import remove_stale_temporaries, write_atomic
from qyanalysis.runner.chromium import Chromium, PrintError, find_chromium
from qyanalysis.runner.jobs import CITY, check_lang, page_title
from qyanalysis.runner.languages import LANG_FOLDERS, switch_characters, tree_dir, tree_pages
from qyanalysis.runner.outputs import index_notebooks, pdf_name, refresh_county_index

BOOK_FOLDER = "book"


# -- reading the PDF Chromium wrote -----------------------------------------------------------------

_OBJECT = re.compile(rb"(\d+) 0 obj\b(.*?)\bendobj", re.S)
_REF = re.compile(rb"(\d+) 0 R")
_DEST = re.compile(rb"/((?:[^\s/\[\]<>(){}%#]|#[0-9A-Fa-f]{2})+)\s*\[\s*(\d+) 0 R")


def _objects(pdf: bytes) -> dict[int, bytes]:
    """Object number → its text up to ``stream`` (dictionaries only; a later definition wins)."""
    found = {}
    for match in _OBJECT.finditer(pdf):
        body = match.group(2)
        found[int(match.group(1))] = body.split(b"stream", 1)[0]
    return found


def _ref(body: bytes, key: bytes) -> int | None:
    found = re.search(re.escape(key) + rb"\s+(\d+) 0 R", body)
    return int(found.group(1)) if found else None


def _decode_name(raw: bytes) -> str:
    """A PDF name's text (``#2D`` → ``-``)."""
    plain = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    return plain.decode("utf-8", "replace")


def page_objects(pdf: bytes) -> list[int]:
    """The page objects of a PDF in reading order (the page tree walked from the catalogue).

    Works on PDFs whose objects are not compressed into object streams (Chromium's
    Skia writer). Returns [] when the tree cannot be read.
    """
    objects = _objects(pdf)
    root = _ref(pdf[pdf.rfind(b"trailer"):], b"/Root") if b"trailer" in pdf else None
    catalog = objects.get(root) if root is not None else None
    top = _ref(catalog, b"/Pages") if catalog else None
    pages: list[int] = []

    def walk(number: int, depth: int) -> None:
        node = objects.get(number, b"")
        if depth > 32 or not node:
            return
        if re.search(rb"/Type\s*/Pages\b", node):
            kids = re.search(rb"/Kids\s*\[(.*?)\]", node, re.S)
            for kid in _REF.findall(kids.group(1) if kids else b""):
                walk(int(kid), depth + 1)
        elif re.search(rb"/Type\s*/Page\b", node):
            pages.append(number)

    if top is not None:
        walk(top, 0)
    return pages


def destination_pages(pdf: bytes) -> dict[str, int]:
    """Named destination → page number (1-based) from the catalogue's ``/Dests`` dictionary."""
    pages = {number: index for index, number in enumerate(page_objects(pdf), start=1)}
    objects = _objects(pdf)
    root = _ref(pdf[pdf.rfind(b"trailer"):], b"/Root") if b"trailer" in pdf else None
    catalog = objects.get(root, b"") if root is not None else b""
    dests_ref = _ref(catalog, b"/Dests")
    if dests_ref is None or not pages:
        return {}
    found = {}
    for name, page in _DEST.findall(objects.get(dests_ref, b"")):
        if int(page) in pages:
            found[_decode_name(name)] = pages[int(page)]
    return found


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF written by Chromium (0 when its page tree cannot be read)."""
    return len(page_objects(pdf))


# -- what to print --------------------------------------------------------------------------------

@dataclass
class Book:
    """One county's (or the city's) printable document, before printing."""

    code: str
    title: str
    subtitle: str
    head: str
    notice: str | None
    lang: str
    sections: list[BookSection]
    footer: str
    sources: list[Path] = field(default_factory=list)
    item_per_sheet: bool = False
    counts: str = ""

    def html(self, page_numbers: Mapping[str, int] | None = None) -> str:
        """The book as one HTML document (see :func:`qyanalysis.present.printing.book_html`)."""
        return book_html(title=self.title, subtitle=self.subtitle, head=self.head, notice=self.notice,
                         lang=self.lang, css=stylesheet(COUNTY_ASSETS_HREF), sections=self.sections,
                         footer=self.footer, page_numbers=page_numbers, item_per_sheet=self.item_per_sheet,
                         counts=self.counts)


def _as_of(manifest: Mapping[str, Any], folder: Path) -> str | None:
    """The data's as-of month: the run's ``as_of`` parameter, else the latest of the scorecard's column."""
    month = (manifest.get("params") or {}).get("as_of")
    if month:
        return str(month)
    path = folder / "scorecard.csv"
    if not path.is_file():
        return None
    with open(path, encoding="utf-8", newline="") as handle:
        months = [row.get("as_of") or "" for row in csv.DictReader(handle)]
    months = [m for m in months if m]
    return max(months) if months else None


def build_book(year_dir: Path, code: str, manifest: Mapping[str, Any], year: int) -> Book:
    """Gather the rendered pages of ``code`` (in index order) into a :class:`Book`.

    Raises:
        UsageError: ``code`` has no rendered page at all.
    """
    lang = str((manifest.get("params") or {}).get("lang") or "zh")
    folder = year_dir / code
    index = folder / "index.html"
    index_text = index.read_text(encoding="utf-8") if index.is_file() else ""
    place = html_title(index_text).rsplit(" · ", 1)[0] if index_text else code
    sections, sources = [], []
    for notebook in index_notebooks(code, manifest):
        entry = manifest.get("notebooks", {}).get(f"{code}/{notebook}") or {}
        page = folder / f"{notebook}.html"
        if entry.get("status") == "ok" and page.is_file():
            sections.append(BookSection(notebook, page_title(notebook, lang),
                                        main_content(page.read_text(encoding="utf-8"))))
            sources.append(page)
        else:
            sections.append(BookSection(notebook, page_title(notebook, lang), None,
                                        entry.get("status") or "pending"))
    if not sources:
        raise UsageError(f"{folder}: no rendered page to print; run `qyanalysis run` first")
    is_demo = bool((manifest.get("data") or {}).get("is_demo"))
    as_of = _as_of(manifest, folder)
    return Book(code=code, title=t("print.book_title", lang, place=place, year=year),
                subtitle=running_head(place, year, as_of, lang), head=running_head(place, year, as_of, lang),
                notice=demo_banner(lang) if is_demo else None, lang=lang, sections=sections,
                footer=page_footer(index_text or sources[0].read_text(encoding="utf-8")),
                sources=sources + ([index] if index_text else []), counts=_counts(manifest, code, lang))


def _counts(manifest: Mapping[str, Any], code: str, lang: str) -> str:
    """The unit's targets by status in words, as its index page says them ("" without a scorecard)."""
    score = (manifest.get("scorecards") or {}).get(code) or {}
    if score.get("status") != "ok" or not score.get("counts"):
        return ""
    city = score.get("city_counts") if code != CITY else None
    return counts_text(score["counts"], "city" if code == CITY else "county", city, lang)


# -- printing -------------------------------------------------------------------------------------

def _write_print_files(workdir: Path, html_text: str) -> Path:
    """Write the book and a subset font covering its characters; return the book's path."""
    book = workdir / BOOK_FOLDER / "book.html"
    book.parent.mkdir(parents=True, exist_ok=True)
    font = workdir / ASSETS_DIR / FONT_FILE
    if not font.is_file():
        font.parent.mkdir(parents=True, exist_ok=True)
        font.write_bytes(subset_font(cjk_characters([html_text])))
    book.write_text(html_text, encoding="utf-8")
    return book


def print_book(browser: Chromium, book: Book) -> bytes:
    """Print ``book`` twice (see the module docstring) and return the PDF with a numbered contents page."""
    first = book.html()
    with tempfile.TemporaryDirectory(prefix="qy-pdf-") as tmp:
        workdir = Path(tmp)
        path = _write_print_files(workdir, first)
        pdf = browser.print_pdf(path)
        numbers = destination_pages(pdf)
        if not numbers:
            return pdf
        # Page numbers are digits only: the font made for the first print covers the second.
        _write_print_files(workdir, book.html(numbers))
        return browser.print_pdf(path)


def up_to_date(target: Path, sources: Sequence[Path]) -> bool:
    """Whether ``target`` exists and is at least as new as every source."""
    if not target.is_file():
        return False
    made = target.stat().st_mtime
    return all(source.stat().st_mtime <= made for source in sources if source.is_file())


@dataclass
class PdfResult:
    """What happened to one county's PDF."""

    code: str
    path: Path
    status: str  # "written", "up_to_date" or "failed"
    pages: int = 0
    seconds: float = 0.0
    error: str = ""
    lang: str = "zh"


def run_codes(out: Path, year: int, lang: str = "zh") -> list[str]:
    """The counties (codes, and ``city``) of the last run into ``lang``'s tree of ``OUT/YEAR`` (``run.json``
    params)."""
    manifest = _read_manifest(tree_dir(out.expanduser().resolve() / str(year), lang))
    return [str(c) for c in (manifest.get("params") or {}).get("counties") or []]


def rendered_codes(year_dir: Path, manifest: Mapping[str, Any]) -> list[str]:
    """Counties (then ``city``) with a rendered page in ``year_dir``, in the run's order."""
    listed = [str(c) for c in (manifest.get("params") or {}).get("counties") or []]
    seen = {e.get("county_code") for e in manifest.get("notebooks", {}).values() if e.get("status") == "ok"}
    order = [c for c in listed if c in seen] + sorted(c for c in seen if c not in listed and c != CITY)
    if CITY in seen and CITY not in order:
        order.append(CITY)
    return [c for c in order if (year_dir / c).is_dir()]


def rendered_langs(year_dir: Path) -> list[str]:
    """The languages rendered in ``OUT/YEAR``: those whose tree holds a ``run.json``."""
    return [lang for lang in LANG_FOLDERS if (tree_dir(year_dir, lang) / mf.MANIFEST_NAME).is_file()]


def resolve_year_dir(out: Path, year: int | None) -> tuple[int, Path]:
    """``OUT/YEAR`` of a rendered report, in either language (by default the latest year with a
    ``run.json``)."""
    out = out.expanduser().resolve()
    if year is None:
        years = sorted({int(p.name) for p in out.glob("*") if p.name.isdigit() and rendered_langs(p)})
        if not years:
            raise UsageError(f"--out {str(out)!r} holds no rendered report (no YEAR/{mf.MANIFEST_NAME}); "
                             "run `qyanalysis run` first")
        year = years[-1]
    year_dir = out / str(year)
    if not rendered_langs(year_dir):
        raise UsageError(f"{year_dir} holds no rendered report (no {mf.MANIFEST_NAME}); "
                         "run `qyanalysis run` first")
    return year, year_dir


def resolve_langs(year_dir: Path, langs: Sequence[str] | None) -> list[str]:
    """The languages to print: those asked for (each must be rendered), by default every one rendered."""
    rendered = rendered_langs(year_dir)
    if not langs:
        return rendered
    chosen = list(dict.fromkeys(check_lang(lang) for lang in langs))
    missing = [lang for lang in chosen if lang not in rendered]
    if missing:
        raise UsageError(f"--lang {', '.join(missing)}: no pages of that language in {year_dir} "
                         f"(rendered: {', '.join(rendered)}); run `qyanalysis run --lang …` first")
    return chosen


def _read_manifest(year_dir: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((year_dir / mf.MANIFEST_NAME).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise UsageError(f"{year_dir / mf.MANIFEST_NAME}: not readable JSON ({exc})") from exc
    manifest.setdefault("notebooks", {})
    manifest.setdefault("scorecards", {})
    return manifest


def _builtin_code(name: str) -> str | None:
    """The code of a Qingyuan county named ``name`` in either language (the built-in registry), or 'city'."""
    from qyanalysis.contract.counties import CountyRegistry

    if name.strip().lower() == CITY:
        return CITY
    return CountyRegistry.builtin().normalise(name.strip())


def resolve_codes(wanted: Sequence[str] | None, year_dir: Path, manifest: Mapping[str, Any]) -> list[str]:
    """The codes to print: every rendered one by default; each of ``wanted`` by code or display name."""
    available = rendered_codes(year_dir, manifest)
    if not wanted:
        return available
    names = {}
    for code in available:
        index = year_dir / code / "index.html"
        if index.is_file():
            names[html_title(index.read_text(encoding="utf-8")).rsplit(" · ", 1)[0].casefold()] = code
    chosen = []
    for raw in wanted:
        code = raw if raw in available else names.get(raw.strip().casefold()) or _builtin_code(raw)
        if code not in available:
            raise UsageError(f"--county {raw!r} has no rendered report in {year_dir}; rendered: "
                             f"{', '.join(available) or 'none'}")
        if code not in chosen:
            chosen.append(code)
    return chosen


def print_reports(out: Path, *, year: int | None = None, counties: Sequence[str] | None = None,
                  chromium: str | None = None, force: bool = False, item_per_sheet: bool = False,
                  browser: Chromium | None = None, langs: Sequence[str] | None = None) -> Iterator[PdfResult]:
    """Print the PDF of each county (and the city) of a rendered report folder, yielding each result;
    in each language of ``langs`` (default: every language rendered), from that language's tree.

    Raises (before anything is printed):
        UsageError: no rendered report, an unknown county or language, or no Chromium (ChromiumMissingError).
    """
    year, year_dir = resolve_year_dir(out, year)
    trees = []
    for lang in resolve_langs(year_dir, langs):
        tree = tree_dir(year_dir, lang)
        manifest = _read_manifest(tree)
        trees.append((lang, tree, manifest, resolve_codes(counties, tree, manifest)))
    books = [(lang, tree, manifest, build_book(tree, code, manifest, year))
             for lang, tree, manifest, codes in trees for code in codes]
    for *_, book in books:
        book.item_per_sheet = item_per_sheet
    executable = None if browser else find_chromium(chromium)
    todo = []
    for lang, tree, manifest, book in books:
        target = tree / book.code / pdf_name(book.code, year, lang)
        if not force and up_to_date(target, book.sources):
            yield PdfResult(book.code, target, "up_to_date", lang=lang)
        else:
            todo.append((lang, tree, manifest, book, target))
    if not todo:
        return
    own = browser is None
    browser = browser or Chromium(executable or "")
    try:
        for lang, tree, manifest, book, target in todo:
            clock = time.perf_counter()
            remove_stale_temporaries(target.parent)
            try:
                pdf = print_book(browser, book)
            except PrintError as exc:
                yield PdfResult(book.code, target, "failed", error=str(exc),
                                seconds=time.perf_counter() - clock, lang=lang)
                continue
            write_atomic(target, pdf)
            if refresh_county_index(tree, book.code, manifest, year):  # the index now offers the PDF
                pages = [path.read_text(encoding="utf-8") for path in sorted(tree_pages(tree, lang))]
                write_font_characters(tree, cjk_characters(pages) | switch_characters())
                os.utime(target)  # the PDF stays newer than its pages: the index changed by its link alone
            yield PdfResult(book.code, target, "written", pages=page_count(pdf),
                            seconds=time.perf_counter() - clock, lang=lang)
    finally:
        if own:
            browser.close()


def pdf_from_cli(args: Any) -> int:
    """``qyanalysis pdf`` (and ``run --pdf``): print, report each PDF; exit code 1 if one failed, else 0."""
    failed = 0
    for result in print_reports(Path(args.out), year=args.year, counties=args.county,
                                chromium=getattr(args, "chromium", None), force=getattr(args, "force", False),
                                item_per_sheet=getattr(args, "item_per_sheet", False),
                                langs=getattr(args, "lang", None)):
        if result.status == "failed":
            failed += 1
            print(f"{result.code}: printing failed: {result.error}", file=sys.stderr)
        elif result.status == "up_to_date":
            print(f"{result.path}: up to date")
        else:
            print(f"wrote {result.path} ({result.pages} pages, {result.seconds:.1f} s)")
    return 1 if failed else 0
