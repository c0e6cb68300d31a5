"""Jobs (county × notebook) and the validation of what the user asked for.

Everything here runs before anything is written: a bad county, year,
language or notebook name, or anything that could escape the output folder
(``../``, an absolute path, a path separator) raises
:class:`qyanalysis.errors.UsageError` (exit 2).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qyanalysis.contract.plan import CITY_NOTEBOOK, CITY_NOTEBOOKS, COUNTY_NOTEBOOKS, READINESS_NOTEBOOK, SECTIONS
from qyanalysis.errors import UsageError

if TYPE_CHECKING:
    from qyanalysis.contract.counties import CountyRegistry

CITY = "city"
LANGS = ("zh", "en")
NOTEBOOKS_ENV = "QYANALYSIS_NOTEBOOKS_DIR"
# A name that can be a folder or file stem: no separator, no "..", no leading dot.
_SAFE_NAME = re.compile(r"^[0-9A-Za-z_][0-9A-Za-z_.-]{0,63}$")


@dataclass(frozen=True)
class Job:
    """One notebook rendered for one county (or for the city).

    Attributes:
        county_code: County code, or ``"city"``.
        notebook: Notebook stem, e.g. ``01_party_leadership``.
        source: Path of the source ``.ipynb``.
    """

    county_code: str
    notebook: str
    source: Path

    @property
    def name(self) -> str:
        """``<county>/<notebook>``, the job's key in ``run.json``."""
        return f"{self.county_code}/{self.notebook}"


def is_safe_name(value: str) -> bool:
    """Whether ``value`` can be used as one path component (no separator, no ``..``)."""
    return bool(_SAFE_NAME.match(value)) and ".." not in value


def _looks_like_path(value: str) -> bool:
    return (os.sep in value or "/" in value or "\\" in value or ".." in value
            or os.path.isabs(value) or value.startswith("~") or "\x00" in value)


def check_lang(lang: str) -> str:
    """``lang`` if it is a report language, else UsageError."""
    if lang not in LANGS:
        raise UsageError(f"--lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def resolve_notebooks_dir(explicit: str | os.PathLike[str] | None) -> Path:
    """The folder of source notebooks: the argument, ``$QYANALYSIS_NOTEBOOKS_DIR``, or ``notebooks/``."""
    from qyanalysis.paths import NOTEBOOKS_DIR

    chosen = explicit or os.environ.get(NOTEBOOKS_ENV) or NOTEBOOKS_DIR
    folder = Path(chosen).expanduser().resolve()
    if not folder.is_dir():
        raise UsageError(f"notebooks folder {str(folder)!r} does not exist")
    return folder


def resolve_counties(values: Sequence[str] | None, registry: CountyRegistry) -> list[str]:
    """County codes (and ``"city"``) for ``--county`` values; default every county plus the city.

    Raises:
        UsageError: for a value that is not a county of the registry, or looks like a path.
    """
    if not values:
        return [*registry.codes, CITY]
    chosen: list[str] = []
    for value in values:
        text = str(value).strip()
        if _looks_like_path(text):
            raise UsageError(f"--county {text!r}: a county code or name is expected, not a path")
        code = CITY if registry.is_city_word(text) else registry.normalise(text)
        if code is None or (code != CITY and code not in registry.codes):
            known = ", ".join(registry.codes)
            raise UsageError(f"--county {text!r} is not a county of the registry (codes: {known}; or 'city')")
        if code not in chosen:
            chosen.append(code)
    return chosen


def check_registry_codes(registry: CountyRegistry) -> None:
    """Refuse county codes (from a data folder's ``counties`` table) that are unsafe as folder names."""
    from qyanalysis.runner.languages import LANG_FOLDERS

    bad = [c for c in registry.codes if not is_safe_name(c) or c == CITY or c in LANG_FOLDERS.values()]
    if bad:
        raise UsageError(f"county codes unusable as folder names: {bad!r}")


def _nearest_existing(path: Path) -> Path:
    """``path`` or its closest ancestor that exists (a file among the parents stops the walk there)."""
    while not path.exists() and not path.is_symlink() and path.parent != path:
        path = path.parent
    return path


def check_output_folder(folder: Path, option: str = "--out") -> None:
    """Refuse a folder the run could not write, before anything is written.

    Refused: a file where the folder (or one of its parents) is expected, and a
    folder the process may not write (permissions, a read-only file system,
    as ``os.access`` reports it; root passes permission checks but not
    ``EROFS``). A folder that does not exist yet is judged by its closest
    existing parent.

    Raises:
        UsageError: naming the folder and the reason.
    """
    existing = _nearest_existing(folder)
    if not existing.is_dir():
        raise UsageError(f"{option} {str(folder)!r}: {str(existing)!r} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {str(folder)!r}: cannot write in {str(existing)!r} "
                         "(read-only file system or no permission)")


def check_out_and_data(out_dir: Path, data_dir: Path, written: Sequence[Path] = ()) -> None:
    """Refuse an output folder that is, or is inside, the data folder, and data inside a written folder.

    (A workbook's own folder may hold the reports: only the workbook is data.)
    Raw inputs are read-only (STYLE.md habit 6): reports written into the data
    folder would mix derived files with the bureau's tables (and a later run
    could read them as data). ``written`` lists the folders a run writes
    (``OUT/YEAR``, ``OUT/.qyanalysis``); data inside one of them could be overwritten.

    Raises:
        UsageError: for either overlap.
    """
    out_dir, data_dir = out_dir.resolve(), data_dir.resolve()
    if data_dir.is_dir() and (out_dir == data_dir or data_dir in out_dir.parents):
        raise UsageError(f"--out {str(out_dir)!r} is inside the data folder {str(data_dir)!r}; "
                         "write the reports elsewhere (the data folder is never written)")
    for folder in written:
        folder = folder.resolve()
        if data_dir == folder or folder in data_dir.parents:
            raise UsageError(f"--data {str(data_dir)!r} is inside {str(folder)!r}, which the run writes; "
                             "keep the data outside the output folder")


def resolve_year(year: int | None, years: Sequence[int]) -> int:
    """``year`` if the data has it (default: the latest year), else UsageError."""
    if not years:
        raise UsageError("the data has no year")
    if year is None:
        return int(max(years))
    if int(year) not in {int(y) for y in years}:
        raise UsageError(f"--year {year}: the data covers {', '.join(str(y) for y in sorted(years))}")
    return int(year)


def select_notebooks(stems: Sequence[str] | None, notebooks_dir: Path) -> tuple[list[str], bool]:
    """The county notebook stems to render and whether the city notebook is rendered.

    ``--notebook`` may name any notebook of the folder; names other than the
    city notebook are rendered for each county.
    """
    if not stems:
        county_stems, include_city = list(COUNTY_NOTEBOOKS), True
    else:
        county_stems, include_city = [], False
        for stem in stems:
            stem = stem.removesuffix(".ipynb")
            if not is_safe_name(stem):
                raise UsageError(f"--notebook {stem!r}: a notebook name is expected, not a path")
            if stem == CITY_NOTEBOOK:
                include_city = True
            elif stem not in county_stems:
                county_stems.append(stem)
    wanted = county_stems + ([CITY_NOTEBOOK] if include_city else [])
    missing = [s for s in wanted if not (notebooks_dir / f"{s}.ipynb").is_file()]
    if missing:
        names = ", ".join(f"{s}.ipynb" for s in missing)
        raise UsageError(f"notebook(s) not found in {notebooks_dir}: {names}")
    return county_stems, include_city


def city_stems(county_stems: Sequence[str], include_city: bool) -> list[str]:
    """The city's notebooks, in page order: the city notebook (when asked for) and the county
    notebooks asked for that also render for the city (``CITY_NOTEBOOKS``)."""
    return [stem for stem in CITY_NOTEBOOKS
            if (stem == CITY_NOTEBOOK and include_city) or (stem != CITY_NOTEBOOK and stem in county_stems)]


def plan_jobs(counties: Sequence[str], county_stems: Sequence[str], include_city: bool,
              notebooks_dir: Path) -> list[Job]:
    """Jobs in page order: each county's notebooks, then the city's (:func:`city_stems`)."""
    jobs: list[Job] = []
    for code in counties:
        stems = city_stems(county_stems, include_city) if code == CITY else county_stems
        jobs.extend(Job(code, stem, notebooks_dir / f"{stem}.ipynb") for stem in stems)
    return jobs


def page_nav(unit: str, stem: str, lang: str, other: bool = False) -> tuple:
    """The navigation bar of the page ``unit/stem``: the unit's index, the previous and next page in the
    reports' page order (``COUNTY_NOTEBOOKS``; the city's ``CITY_NOTEBOOKS``), the city comparison (from a
    county's page), the city's index of every county, the methods page, and (``other``) the same page in
    the other language.

    A function of the page alone, so that a run of some pages re-renders no other: every link is a file
    of a full run (a run of some pages leaves the others where an earlier run put them, or missing). A
    notebook outside the page order has no previous or next page. The link to the other language is
    given only when that page is there (``qyanalysis.runner.languages``).

    Returns:
        ``qyanalysis.present.html.NavLink`` tuples, in bar order.
    """
    from qyanalysis.present.html import COUNTY_METHODS_HREF, INDEX_PAGE, YEAR_INDEX_HREF, NavLink
    from qyanalysis.present.labels import t

    links = [NavLink(INDEX_PAGE, t("html.nav.city_unit_index" if unit == CITY else "html.nav.unit_index", lang))]
    stems = list(CITY_NOTEBOOKS if unit == CITY else COUNTY_NOTEBOOKS)
    at = stems.index(stem) if stem in stems else -1
    if at > 0:
        links.append(NavLink(f"{stems[at - 1]}.html", t("html.nav.previous", lang,
                                                         title=page_title(stems[at - 1], lang)), "prev"))
    if 0 <= at < len(stems) - 1:
        links.append(NavLink(f"{stems[at + 1]}.html", t("html.nav.next", lang,
                                                         title=page_title(stems[at + 1], lang)), "next"))
    if unit != CITY:
        links.append(NavLink(f"../{CITY}/{CITY_NOTEBOOK}.html", t("html.nav.city_page", lang)))
    links += [NavLink(YEAR_INDEX_HREF, t("html.nav.all_counties", lang)),
              NavLink(COUNTY_METHODS_HREF, t("html.nav.methods", lang))]
    return tuple(links) + _other_language(f"{unit}/{stem}.html", lang, other)


def index_nav(rel: str, lang: str, other: bool = False) -> tuple:
    """The navigation bar of a tree's other pages, ``rel`` relative to its root: the list of reports
    (``index.html``: the methods page), the methods page (``methods.html``: the list of reports), a unit's
    index (``<unit>/index.html``: both); then (``other``) the same page in the other language."""
    from qyanalysis.present.html import (
        COUNTY_METHODS_HREF,
        INDEX_PAGE,
        METHODS_PAGE,
        YEAR_INDEX_HREF,
        NavLink,
    )
    from qyanalysis.present.labels import t

    reports, methods = t("html.nav.all_counties", lang), t("html.nav.methods", lang)
    if rel == INDEX_PAGE:
        links = (NavLink(METHODS_PAGE, methods),)
    elif rel == METHODS_PAGE:
        links = (NavLink(INDEX_PAGE, reports),)
    else:
        links = (NavLink(YEAR_INDEX_HREF, reports), NavLink(COUNTY_METHODS_HREF, methods))
    return links + _other_language(rel, lang, other)


def _other_language(rel: str, lang: str, other: bool) -> tuple:
    """The link to page ``rel`` of the other language's tree, in that language's words (none unless
    ``other``)."""
    if not other:
        return ()
    from qyanalysis.present.html import HTML_LANG, NavLink
    from qyanalysis.present.labels import t
    from qyanalysis.runner.languages import other_lang, other_lang_href

    return (NavLink(other_lang_href(rel, lang), t("html.nav.other_lang", lang), "alternate",
                    HTML_LANG[other_lang(lang)], t("html.nav.other_lang_title", lang)),)


def page_title(notebook: str, lang: str) -> str:
    """Display title of a notebook's page."""
    for section in SECTIONS:
        if section.notebook == notebook:
            if lang == "en":
                return f"{section.number}. {section.title_en}"
            return f"{section.numeral_zh}、{section.title_zh}"
    fixed = {
        ("00_overview", "zh"): "总览", ("00_overview", "en"): "Overview",
        (CITY_NOTEBOOK, "zh"): "全市对比", (CITY_NOTEBOOK, "en"): "City-wide comparison",
    }
    if notebook == READINESS_NOTEBOOK:
        from qyanalysis.present.labels import t

        return t("readiness.page_title", lang)  # the heading the page shows (one home)
    return fixed.get((notebook, lang), notebook)
