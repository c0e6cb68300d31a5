"""``qyanalysis run``: validate, plan, skip what is up to date, execute, write (README, “The batch runner”).

Order of work: (1) validate the language, notebooks, data, counties and year
and load the data — any problem raises UsageError / DataValidationError before
a single file is written (exit 2); (2) compute each job's content key and skip
the jobs that are up to date; (3) write scorecards and their workbooks (in a
thread of this process, while the kernels work) and (4) execute the rest on the
local pool or a Dask cluster, longest first, writing each job's files
atomically and ``run.json`` as each job finishes (a killed run resumes where it
stopped);
(5) write the index pages and the methods page. Exit 1 when a notebook failed, after everything
else was written.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from qyanalysis.contract.plan import CITY_NOTEBOOK
from qyanalysis.errors import QyAnalysisError, UsageError
from qyanalysis.present.html import METHODS_PAGE
from qyanalysis.present.labels import demo_banner
from qyanalysis.present.webfont import ASSETS_DIR, FONT_FILE
from qyanalysis.runner import manifest as mf
from qyanalysis.runner.atomic import remove_stale_temporaries, write_if_changed
from qyanalysis.runner.data import CACHE_FOLDER, DataHandle
from qyanalysis.runner.execute import JobRecord, JobSpec, prestart_kernels, shutdown_kernels
from qyanalysis.runner.jobs import (
    CITY,
    Job,
    check_lang,
    check_out_and_data,
    check_output_folder,
    check_registry_codes,
    page_nav,
    page_title,
    plan_jobs,
    resolve_counties,
    resolve_notebooks_dir,
    resolve_year,
    select_notebooks,
)
from qyanalysis.runner.languages import (
    LANG_FOLDERS,
    counterpart_ok,
    links_current,
    other_lang,
    other_tree,
    tree_dir,
    year_dir_of,
)
from qyanalysis.runner.outputs import (
    GAP_LIST_NAME,
    check_map_settings,
    county_display_name,
    gap_list_table,
    link_languages,
    outputs_exist,
    status_counts,
    workbook_name,
    write_city_index,
    write_city_workbook,
    write_county_index,
    write_county_workbook,
    write_gap_list,
    write_job_outputs,
    write_methods_page,
    write_scorecard,
)
from qyanalysis.runner.tail import RunTail, merged

Scorecard = Callable[[Any, str, int], Any]


class RunStoppedError(QyAnalysisError):
    """The run could not go on writing (disk full, read-only file system, I/O error): exit 1.

    Raised only after writing began. Every file is written atomically, so the
    pages already finished are complete and listed in ``run.json`` (the next
    run resumes there); temporary files are removed; nothing half-written stays.
    """

    exit_code = 1


@dataclass
class RunOptions:
    """The options of ``qyanalysis run`` (see ``runner/options.py``)."""

    data: Path | None = None
    out: Path = Path("reports")
    year: int | None = None
    counties: list[str] | None = None
    jobs: int = os.cpu_count() or 1
    force: bool = False
    lang: str | Sequence[str] = "zh"
    as_of: str = ""
    scheduler: str | None = None
    isolated: bool = False
    timeout: float | None = 600.0
    quiet: bool = False
    notebooks: list[str] | None = None
    notebooks_dir: Path | None = None

    @classmethod
    def from_args(cls, args: Any) -> "RunOptions":
        """From the argparse namespace of ``qyanalysis run``."""
        timeout = getattr(args, "timeout", 600.0)
        return cls(data=Path(args.data) if args.data else None, out=Path(args.out), year=args.year,
                   counties=args.county, jobs=args.jobs, force=args.force, lang=args.lang or "zh",
                   as_of=getattr(args, "as_of", "") or "",
                   scheduler=args.scheduler, isolated=args.isolated,
                   timeout=timeout if timeout and timeout > 0 else None, quiet=args.quiet,
                   notebooks=args.notebook, notebooks_dir=getattr(args, "notebooks_dir", None))

    @property
    def langs(self) -> tuple[str, ...]:
        """The run's languages, each once, in the order asked for (``--lang zh --lang en``; default zh)."""
        values = [self.lang] if isinstance(self.lang, str) else list(self.lang or ())
        return tuple(dict.fromkeys(values)) or ("zh",)


@dataclass
class RunSummary:
    """What a run did (``out_dir``: ``OUT/YEAR``; ``trees``: the root of each language's tree).

    ``executed`` and ``failures`` name each page's language (``lang``).
    """

    year: int
    out_dir: Path
    executed: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    elapsed_s: float = 0.0
    trees: dict[str, Path] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 when everything is done, 1 when some notebook or scorecard failed."""
        return 1 if self.failures else 0


def most_pages(counties: list[str] | None, county_stems: list[str], include_city: bool) -> int:
    """At most how many pages a run renders, known before the data is read: each named unit (a county or
    the city) renders at most every selected notebook; without named counties, no bound (a large number)."""
    if not counties:
        return sys.maxsize
    return len(counties) * (len(county_stems) + int(include_city))


def _default_loader(path: Path) -> Any:
    """The dataset of ``path``, loaded once for the run's processes (``qyanalysis.report.page.load_data``)."""
    from qyanalysis.report.page import load_data

    return load_data(path)


def _default_scorecard(dataset: Any, county: str, year: int, as_of: str | None = None) -> Any:
    """``qyanalysis.scorecard`` of one unit, sliced from every unit's, scored once for the run's processes
    (``qyanalysis.report.page.cached_scorecard``, the pages' own)."""
    from qyanalysis.report.page import cached_scorecard

    return cached_scorecard(dataset, county, year, as_of)


@contextlib.contextmanager
def _shared_results():
    """A folder where the run's processes share the dataset, measures and scorecards they compute
    (``qyanalysis.report.page.shared``), named in the environment the kernels inherit; removed after."""
    from qyanalysis.paths import SHARED_RESULTS_ENV

    before = os.environ.get(SHARED_RESULTS_ENV)
    folder = tempfile.mkdtemp(prefix="qyanalysis-shared-")
    os.environ[SHARED_RESULTS_ENV] = folder
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(SHARED_RESULTS_ENV, None)
        else:
            os.environ[SHARED_RESULTS_ENV] = before
        shutil.rmtree(folder, ignore_errors=True)


def _data_dir(options: RunOptions) -> tuple[Path, str]:
    """The data folder and the ``data_dir`` parameter injected into notebooks ("" = bundled demo)."""
    if options.data is None:
        from qyanalysis import paths

        folder = paths.demo_data_dir()
        if paths.has_demo_data(folder):  # a lookup only: a run with nothing to do imports no reader
            return folder, ""
        from qyanalysis.opening import ensure_demo_data

        return ensure_demo_data(), ""
    path = options.data.expanduser().resolve()
    if not path.exists():
        raise UsageError(f"--data {str(options.data)!r} does not exist")
    return path, str(path)


@dataclass
class _Plan:
    """The run in one language: its tree (``year_dir``: ``OUT/YEAR``, ``OUT/YEAR/en``), its pages to render
    (``specs``), and for each page of the run its pair key (``pairs``) and whether its bar links the other
    language (``links``; :mod:`qyanalysis.runner.languages`)."""

    year: int
    year_dir: Path
    counties: list[str]
    county_stems: list[str]
    jobs: list[Job]
    specs: list[JobSpec]
    skipped: int
    banner: str | None
    as_of: str = ""
    lang: str = "zh"
    pairs: dict[str, str] = field(default_factory=dict)
    links: dict[str, bool] = field(default_factory=dict)


def _validate_and_plan(options: RunOptions, handle: DataHandle, data_param: str,
                       notebooks_dir: Path, county_stems: list[str], include_city: bool) -> list[_Plan]:
    """One :class:`_Plan` per language of the run, in the order asked for."""
    info = handle.info
    check_registry_codes(info.registry)
    counties = resolve_counties(options.counties, info.registry)
    year = resolve_year(options.year, info.years)
    root = options.out.expanduser().resolve() / str(year)
    jobs = plan_jobs(counties, county_stems, include_city, notebooks_dir)
    sources = {path: path.read_bytes() for path in dict.fromkeys(job.source for job in jobs)}
    plans = []
    for lang in options.langs:
        plan = _Plan(year, tree_dir(root, lang), counties, county_stems, jobs, [], 0,
                     demo_banner(lang) if info.is_demo else None, options.as_of, lang)
        _plan_pages(plan, options, info, data_param, notebooks_dir, sources)
        plans.append(plan)
    return plans


def _plan_pages(plan: _Plan, options: RunOptions, info: Any, data_param: str, notebooks_dir: Path,
                sources: Mapping[Path, bytes]) -> None:
    """The pages of ``plan`` that are out of date (``specs``), their pair keys and language links."""
    from qyanalysis import __version__

    lang, year = plan.lang, plan.year
    manifest = mf.read_manifest(plan.year_dir / mf.MANIFEST_NAME, year)
    other, other_root = other_lang(lang), other_tree(plan.year_dir, lang)
    # the other language's pages: rendered in this run too, or already there from the same inputs
    other_manifest = None if other in options.langs else mf.read_manifest(other_root / mf.MANIFEST_NAME, year)
    for job in plan.jobs:
        source = sources[job.source]
        params = {"county": job.county_code, "year": year, "data_dir": data_param, "lang": lang,
                  "as_of": options.as_of}
        keyed = {**params, **_map_choice(job.notebook)}
        key = mf.content_key(source, keyed, info.data_hash, __version__, lang)
        pair = plan.pairs[job.name] = mf.pair_key(source, keyed, info.data_hash, __version__)
        entry = manifest["notebooks"].get(job.name)
        if (not options.force and entry and entry.get("key") == key and entry.get("status") == "ok"
                and outputs_exist(plan.year_dir, entry)):
            plan.skipped += 1
            continue
        link = plan.links[job.name] = (other_manifest is None
                                       or counterpart_ok(other_manifest, job.name, pair, other_root))
        county_name = county_display_name(info.registry, job.county_code, lang)
        shown = {"county": job.county_code, "year": year, "lang": lang,
                 "as_of": options.as_of or info.as_of,
                 "data": Path(data_param).name if data_param else "demo"}
        plan.specs.append(JobSpec(
            county_code=job.county_code, notebook=job.notebook, source=source.decode("utf-8"),
            parameters=params, key=key, timeout=options.timeout, isolated=options.isolated,
            cwd=str(notebooks_dir), title=f"{county_name} · {page_title(job.notebook, lang)}",
            lang=lang, banner=plan.banner, data_hash=info.data_hash,
            display_parameters=tuple((k, str(v)) for k, v in shown.items()),
            nav=page_nav(job.county_code, job.notebook, lang, other=link)))
    plan.specs = longest_first(plan.specs, manifest)


#: The expected time of a city page never run before, other than the city comparison (which leads): the
#: city's readiness page takes two to three times a county's, so a first run must not leave it for last.
NEW_CITY_PAGE_S = 1e9


def longest_first(specs: list[JobSpec], manifest: Mapping[str, Any],
                  by_lang: Mapping[str, Mapping[str, Any]] | None = None) -> list[JobSpec]:
    """The jobs, longest expected first, so that no worker is left alone with a long page at the end.

    The expected time of a page is its execution time in the previous run
    (``run.json``); a page never run before counts as long when it is the
    city's (it compares every county: the city comparison first, then the
    city's other pages) and as short otherwise. Ties keep the page order
    (stable sort). Longest-processing-time-first is the classic greedy
    schedule for identical workers (Graham 1969). ``by_lang``: the ``run.json`` of each language's tree,
    for the pages of a run in several (``manifest`` then serves a language it lacks).
    """
    def expected_s(spec: JobSpec) -> float:
        own = (by_lang or {}).get(spec.lang, manifest)
        entry = own["notebooks"].get(f"{spec.county_code}/{spec.notebook}") or {}
        previous = entry.get("execute_s")
        if isinstance(previous, (int, float)):
            return float(previous)
        if spec.notebook == CITY_NOTEBOOK:
            return float("inf")
        return NEW_CITY_PAGE_S if spec.county_code == CITY else 0.0

    return sorted(specs, key=expected_s, reverse=True)


def _scorecard_key(handle: DataHandle, code: str, plan: _Plan) -> str:
    from qyanalysis import __version__

    return mf.scorecard_key(handle.info.data_hash, __version__, code, plan.year, plan.as_of)


def _map_choice(notebook: str) -> dict[str, str]:
    """For the city page (which draws county maps), the map settings, so that changing them re-renders it."""
    if notebook != CITY_NOTEBOOK:
        return {}
    from qyanalysis import settings

    return {"map_backend": str(settings.MAP_BACKEND), "map_geojson": str(settings.MAP_GEOJSON)}


def _update_scorecards(plan: _Plan, handle: DataHandle, scorecard: Scorecard, manifest: dict[str, Any],
                       force: bool, frames: dict[str, Any],
                       stop: threading.Event | None = None) -> list[dict[str, Any]]:
    """Write the scorecards that are out of date; keep each frame computed in ``frames`` (by code).

    Stops between two scorecards when ``stop`` is set (the run was interrupted).
    """
    failures = []
    for code in plan.counties:
        if stop is not None and stop.is_set():
            break
        key = _scorecard_key(handle, code, plan)
        entry = manifest["scorecards"].get(code)
        path = plan.year_dir / code / "scorecard.csv"
        if not force and entry and entry.get("key") == key and entry.get("status") == "ok" and path.is_file():
            continue
        try:  # a scorecard is the same in every language: computed once a run
            frame = frames[code] = (frames[code] if code in frames
                                    else scorecard(handle.dataset, code, plan.year))
            write_scorecard(plan.year_dir / code, frame)
            manifest["scorecards"][code] = {"key": key, "status": "ok", "counts": status_counts(frame),
                                            "rows": int(len(frame))}
            if code != CITY:  # the city's targets, which the county's pages show beside its own
                if CITY not in frames:
                    frames[CITY] = scorecard(handle.dataset, CITY, plan.year)
                manifest["scorecards"][code]["city_counts"] = status_counts(frames[CITY])
        except QyAnalysisError:
            raise
        except Exception as exc:  # noqa: BLE001 - a scorecard bug fails that county's scorecard only
            manifest["scorecards"][code] = {"key": key, "status": "failed",
                                            "error": f"{type(exc).__name__}: {exc}"}
            failures.append({"county_code": code, "notebook": "scorecard.csv", "error": {
                "kind": "exception", "cell_index": None, "ename": type(exc).__name__, "evalue": str(exc)}})
    return failures


def _workbook_units(plan: _Plan, handle: DataHandle) -> dict[str, list[str]]:
    """The workbooks this run keeps up to date: unit code → the scorecards it shows.

    Each county of the run has its own; the city's (when the city is in the
    run) shows every county of the registry, then the city.
    """
    units = {code: [code] for code in plan.counties if code != CITY}
    if CITY in plan.counties:
        units[CITY] = [*handle.info.registry.codes, CITY]
    return units


def _update_workbooks(plan: _Plan, handle: DataHandle, scorecard: Scorecard, manifest: dict[str, Any],
                      lang: str, force: bool, frames: dict[str, Any],
                      stop: threading.Event | None = None) -> list[dict[str, Any]]:
    """Write ``scorecard.xlsx`` of each county and ``scorecards.xlsx`` of the city when out of date,
    and beside each the unit's whole school gap list ``school_gaps.csv`` (also a sheet of the workbook).

    A workbook's key (``run.json`` → ``workbooks``) covers the keys of the
    scorecards it shows and the language, so a run with nothing new neither
    loads the data nor writes a workbook (``--force`` rebuilds them; an
    unchanged one is still not rewritten). Scorecards computed earlier in the
    run are reused from ``frames``; a workbook whose scorecard failed is left
    as it was (that failure is reported once, as the scorecard's). A workbook
    that fails (a bug, not a full disk) fails alone, like a scorecard.
    """
    failures = []
    info = handle.info
    for unit, codes in _workbook_units(plan, handle).items():
        if stop is not None and stop.is_set():
            break
        key = mf.workbook_key([_scorecard_key(handle, code, plan) for code in codes], lang)
        entry = manifest["workbooks"].get(unit)
        path = plan.year_dir / unit / workbook_name(unit)
        # an entry says whether the unit has a gap list (none when the census lacks its columns)
        gaps_there = entry and (entry.get("gaps") is False
                                or (entry.get("gaps") and (plan.year_dir / unit / GAP_LIST_NAME).is_file()))
        if (not force and entry and entry.get("key") == key and entry.get("status") == "ok" and path.is_file()
                and gaps_there):
            continue
        if any(code in plan.counties and manifest["scorecards"].get(code, {}).get("status") == "failed"
               for code in codes):
            continue
        try:
            for code in codes:
                if code not in frames:
                    frames[code] = scorecard(handle.dataset, code, plan.year)
            named = [(code, county_display_name(info.registry, code, lang), frames[code]) for code in codes]
            city_code = info.registry.city_code or CITY
            # the unit's whole school gap list: school_gaps.csv and a sheet of the workbook
            gaps = gap_list_table(handle.dataset, city_code if unit == CITY else unit, plan.year, lang)
            write_gap_list(plan.year_dir / unit, gaps)
            common = {"lang": lang, "is_demo": info.is_demo, "data_hash": info.data_hash, "gaps": gaps}
            if unit == CITY:
                write_city_workbook(plan.year_dir / unit, named[:-1], (city_code, *named[-1][1:]), **common)
            else:
                write_county_workbook(plan.year_dir / unit, frames[unit], named[0][1], **common)
            manifest["workbooks"][unit] = {"key": key, "status": "ok", "gaps": gaps is not None}
        except (QyAnalysisError, OSError):
            raise
        except Exception as exc:  # noqa: BLE001 - a workbook bug fails that workbook only
            manifest["workbooks"][unit] = {"key": key, "status": "failed",
                                           "error": f"{type(exc).__name__}: {exc}"}
            failures.append({"county_code": unit, "notebook": workbook_name(unit), "error": {
                "kind": "exception", "cell_index": None, "ename": type(exc).__name__, "evalue": str(exc)}})
    return failures


def _records(specs: list[JobSpec], options: RunOptions) -> Iterator[JobRecord]:
    from qyanalysis.runner.pool import run_dask, run_local

    if options.scheduler:
        return run_dask(specs, options.scheduler)
    return run_local(specs, options.jobs)


def _progress(total: int, quiet: bool, stream: TextIO) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="nb", disable=quiet or total == 0, file=stream, dynamic_ncols=True,
                desc="notebooks")


def _record_params(manifest: dict[str, Any], options: RunOptions, plan: _Plan, handle: DataHandle,
                   data_param: str) -> None:
    manifest["year"] = plan.year
    manifest["params"] = {"year": plan.year, "lang": plan.lang, "data_dir": data_param,
                          "as_of": options.as_of or handle.info.as_of,
                          "counties": plan.counties, "notebooks": list(plan.county_stems),
                          "jobs": options.jobs, "isolated": options.isolated, "timeout": options.timeout,
                          "scheduler": options.scheduler}
    manifest["data"] = {"data_hash": handle.info.data_hash, "fingerprint": handle.info.fingerprint,
                        "is_demo": handle.info.is_demo}
    manifest["versions"] = mf.versions()


def run_batch(options: RunOptions, *, load_dataset: Callable[[Path], Any] | None = None,
              scorecard: Scorecard | None = None, stream: TextIO | None = None) -> RunSummary:
    """Render the reports; see the module docstring for the order of work.

    Args:
        options: What to render and how.
        load_dataset: Path → Dataset (default ``qyanalysis.opening.load_dataset``).
        scorecard: (dataset, county, year) → scorecard frame (default ``qyanalysis.scorecard``).
        stream: Where the progress bar goes (default stderr).

    Raises:
        UsageError, DataValidationError: before anything is written (an output folder
            that is a file, not writable, or inside the data folder, included).
        RunStoppedError: writing failed part-way (what was finished is kept).
    """
    with _shared_results():
        return _run_batch(options, load_dataset, scorecard, stream)


def _run_batch(options: RunOptions, load_dataset: Callable[[Path], Any] | None, scorecard: Scorecard | None,
               stream: TextIO | None) -> RunSummary:
    """:func:`run_batch` within the run's shared-results folder."""
    clock = time.perf_counter()
    stream = stream or sys.stderr
    for lang in options.langs:
        check_lang(lang)
    if options.as_of and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", options.as_of):
        raise UsageError(f"--as-of must be a month YYYY-MM, not {options.as_of!r}")
    if options.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {options.jobs}")
    notebooks_dir = resolve_notebooks_dir(options.notebooks_dir)
    county_stems, include_city = select_notebooks(options.notebooks, notebooks_dir)
    data_dir, data_param = _data_dir(options)
    check_map_settings()
    from qyanalysis import __version__

    out_dir = options.out.expanduser().resolve()
    check_output_folder(out_dir)
    check_out_and_data(out_dir, data_dir)
    # Kernels start while the data loads when the run will surely render: --force, or data not seen before;
    # no more of them than the run can have pages (when its counties are named). The languages share them.
    kernels = min(options.jobs, most_pages(options.counties, county_stems, include_city) * len(options.langs))
    prestart = (None if options.isolated or options.scheduler
                else functools.partial(prestart_kernels, kernels, data_param))
    try:
        if prestart is not None and options.force:
            prestart()
            prestart = None
        handle = DataHandle(data_dir, load_dataset or _default_loader, out_dir / CACHE_FOLDER, __version__,
                            before_load=prestart)
        plans = _validate_and_plan(options, handle, data_param, notebooks_dir, county_stems, include_city)
    except BaseException:
        shutdown_kernels()
        raise
    if not any(plan.specs for plan in plans):
        shutdown_kernels()
    root = year_dir_of(plans[0].year_dir, plans[0].lang)
    check_out_and_data(out_dir, data_dir, written=(root, out_dir / CACHE_FOLDER))
    for plan in plans:
        for folder in (plan.year_dir, *(plan.year_dir / code for code in plan.counties)):
            check_output_folder(folder)
    # ---- from here on, files are written ------------------------------------------------------
    try:
        if scorecard is None:
            scorecard = (functools.partial(_default_scorecard, as_of=options.as_of) if options.as_of
                         else _default_scorecard)
        return _write_run(plans, options, handle, scorecard, data_param, stream, clock)
    except OSError as exc:  # disk full, file system turned read-only, I/O error, a file in the way …
        with contextlib.suppress(OSError):
            for plan in plans:
                _remove_temporaries(plan)
        raise RunStoppedError(_stopped_message(exc, root)) from exc


def _stopped_message(exc: OSError, year_dir: Path) -> str:
    what = f"{exc.strerror or exc} ({exc.filename})" if exc.filename else str(exc.strerror or exc)
    return (f"the run stopped: {what}. The reports finished before are complete and kept in "
            f"{year_dir}; fix the problem and run again to render the rest.")


def _remove_temporaries(plan: _Plan) -> None:
    """Delete the temporary files a killed or failed run left in the folders this run writes."""
    for folder in {plan.year_dir, plan.year_dir / ASSETS_DIR, *(plan.year_dir / c for c in plan.counties)}:
        remove_stale_temporaries(folder)
        remove_stale_temporaries(folder / "logs")


def _failure(record: JobRecord, kept: bool) -> dict[str, Any]:
    """A failed job as listed in the run summary."""
    return {"county_code": record.county_code, "notebook": record.notebook, "lang": record.lang,
            "status": "failed", "error": record.error, "kept_previous_page": kept}


def _write_run(plans: list[_Plan], options: RunOptions, handle: DataHandle, scorecard: Scorecard,
               data_param: str, stream: TextIO, clock: float) -> RunSummary:
    """Steps (3)–(5) of the module docstring: scorecards, notebooks, index pages, font, manifest."""
    tails = {plan.lang: RunTail(plan.year_dir, [(s.county_code, s.notebook) for s in plan.specs],
                                options.jobs, plan.lang) for plan in plans}
    try:
        return _write_outputs(plans, options, handle, scorecard, data_param, stream, clock, tails)
    finally:
        for tail in tails.values():
            tail.close()


def _write_outputs(plans: list[_Plan], options: RunOptions, handle: DataHandle, scorecard: Scorecard,
                   data_param: str, stream: TextIO, clock: float, tails: Mapping[str, RunTail]) -> RunSummary:
    by_lang = {plan.lang: plan for plan in plans}
    manifests = {plan.lang: mf.read_manifest(plan.year_dir / mf.MANIFEST_NAME, plan.year) for plan in plans}
    before = {lang: mf.manifest_text(manifest) for lang, manifest in manifests.items()}
    root = year_dir_of(plans[0].year_dir, plans[0].lang)
    summary = RunSummary(plans[0].year, root, skipped=sum(plan.skipped for plan in plans),
                         trees={plan.lang: plan.year_dir for plan in plans})
    for plan in plans:
        _remove_temporaries(plan)
    specs = longest_first([spec for plan in plans for spec in plan.specs], {"notebooks": {}},
                          by_lang=manifests)
    # The scorecards and workbooks are written in the main process while the kernels render the
    # pages (they need each other's outputs only for the index pages, written after both); the end of the
    # run is begun while the last pages render (:mod:`qyanalysis.runner.tail`).
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="qyanalysis-scorecards") as side:
        tables = side.submit(_tables_then_warm, plans, handle, scorecard, manifests, options, stop)
        with _stop_on_error(stop), _progress(len(specs), options.quiet, stream) as bar, \
                contextlib.closing(_records(specs, options)) as records:
            for record in records:
                plan, manifest, tail = by_lang[record.lang], manifests[record.lang], tails[record.lang]
                name = f"{record.county_code}/{record.notebook}"
                entry = write_job_outputs(plan.year_dir, record, previous=manifest["notebooks"].get(name))
                if entry.get("key") == record.key:  # this run's page (not an earlier one kept)
                    entry.update(pair=plan.pairs[name], lang_link=plan.links[name])
                manifest["notebooks"][name] = entry
                write_if_changed(plan.year_dir / mf.MANIFEST_NAME, mf.manifest_text(manifest))
                summary.executed.append({**entry, "lang": record.lang})
                if record.status != "ok":
                    summary.failures.append(_failure(record, kept=entry["status"] == "ok"))
                tail.page_done(record.county_code, record.notebook)
                if tables.done() and tables.exception() is None:
                    written = tables.result()[record.lang][0]
                    _write_early(plan, merged(manifest, written), handle, options, tail)
                bar.set_postfix_str(f"{record.lang} {record.county_code} {record.notebook}", refresh=False)
                bar.update(1)
        tables_written = tables.result()
    changed = False
    for plan in plans:
        written, failures = tables_written[plan.lang]
        manifests[plan.lang].update(written)
        summary.failures[:0] = [{**failure, "lang": plan.lang} for failure in failures]
        if plan.specs or mf.manifest_text(manifests[plan.lang]) != before[plan.lang]:
            if not changed:
                handle.save_cache()
            changed = True
            _record_params(manifests[plan.lang], options, plan, handle, data_param)
    indexes_changed = {plan.lang: _write_tree_pages(plan, manifests[plan.lang], handle, options,
                                                    before[plan.lang]) for plan in plans}
    _link_languages(root, plans, manifests, changed or any(plan.specs for plan in plans))
    for plan in plans:
        manifest, tail = manifests[plan.lang], tails[plan.lang]
        if plan.specs or indexes_changed[plan.lang] or not (plan.year_dir / ASSETS_DIR / FONT_FILE).is_file():
            tail.write_font()  # of every page: those read as they were written, the rest read now
        if plan.specs:
            executed = [e for e in summary.executed if e["lang"] == plan.lang]
            manifest["last_run"] = {"finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                    "executed": len(executed), "skipped": plan.skipped,
                                    "failed": sum(1 for f in summary.failures if f.get("lang") == plan.lang),
                                    "elapsed_s": round(time.perf_counter() - clock, 3)}
        if mf.manifest_text(manifest) != before[plan.lang]:
            write_if_changed(plan.year_dir / mf.MANIFEST_NAME, mf.manifest_text(manifest))
    summary.elapsed_s = time.perf_counter() - clock
    return summary


def _write_tree_pages(plan: _Plan, manifest: dict[str, Any], handle: DataHandle, options: RunOptions,
                      before: str) -> bool:
    """Step (5) in ``plan``'s tree: its index pages and methods page, when something changed or is missing;
    True when an index page changed (its text may need new glyphs)."""
    # The index pages are drawn from run.json alone: a run that changed nothing leaves them as they are.
    indexes_changed = False
    if plan.specs or mf.manifest_text(manifest) != before or not _indexes_exist(plan):
        indexes_changed = _write_indexes(plan, manifest, handle, options)
    if plan.specs or not (plan.year_dir / METHODS_PAGE).is_file():
        # Before the font subset, which must cover the methods page's characters too.
        write_methods_page(plan.year_dir, manifest=manifest, year=plan.year, lang=plan.lang,
                           banner=plan.banner, data_hash=handle.info.data_hash)
    return indexes_changed


def _link_languages(root: Path, plans: list[_Plan], manifests: dict[str, dict[str, Any]],
                    changed: bool) -> None:
    """Each page's link to the other language, in both trees (:func:`~.outputs.link_languages`); the
    ``run.json`` of a tree outside the run is rewritten when its pages' links changed. A run that ``changed``
    nothing only checks the section pages' links (a tree deleted by hand)."""
    every = dict(manifests)
    year = plans[0].year
    for lang in LANG_FOLDERS:
        path = tree_dir(root, lang) / mf.MANIFEST_NAME
        if lang not in every and path.is_file():
            every[lang] = mf.read_manifest(path, year)
    if not changed and links_current(root, every):
        return
    for lang in link_languages(root, every):
        if lang not in manifests:
            write_if_changed(tree_dir(root, lang) / mf.MANIFEST_NAME, mf.manifest_text(every[lang]))


@contextlib.contextmanager
def _stop_on_error(stop: threading.Event) -> Iterator[None]:
    """Set ``stop`` when the block ends by an exception (Ctrl-C, a failure), so that the scorecard thread
    ends after its current scorecard instead of keeping an interrupted run alive."""
    try:
        yield
    except BaseException:
        stop.set()
        raise


def _scorecards_and_workbooks(plan: _Plan, handle: DataHandle, scorecard: Scorecard, manifest: dict[str, Any],
                              options: RunOptions, frames: dict[str, Any], stop: threading.Event | None = None
                              ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Step (3) in ``plan``'s tree: the out-of-date scorecards and workbooks, on copies of their ``run.json``
    entries; ``frames`` keeps the scorecards computed (the same in every language).

    Runs beside the notebooks, so it never touches ``manifest`` itself (the
    notebook loop writes it); the caller merges the returned entries.

    Returns:
        ``({"scorecards": …, "workbooks": …}, failures)``.
    """
    part = {name: copy.deepcopy(manifest[name]) for name in ("scorecards", "workbooks")}
    failures = _update_scorecards(plan, handle, scorecard, part, options.force, frames, stop)
    failures += _update_workbooks(plan, handle, scorecard, part, plan.lang, options.force, frames, stop)
    return part, failures


def _tables(plans: list[_Plan], handle: DataHandle, scorecard: Scorecard,
            manifests: Mapping[str, dict[str, Any]], options: RunOptions, stop: threading.Event | None = None
            ) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Language → what :func:`_scorecards_and_workbooks` returns for its tree (each scorecard computed
    once)."""
    frames: dict[str, Any] = {}
    return {plan.lang: _scorecards_and_workbooks(plan, handle, scorecard, manifests[plan.lang], options,
                                                 frames, stop) for plan in plans}


def _tables_then_warm(plans: list[_Plan], handle: DataHandle, scorecard: Scorecard,
                      manifests: Mapping[str, dict[str, Any]], options: RunOptions, stop: threading.Event
                      ) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    """:func:`_tables`, then (when pages render) what the end of the run will need and can make now: the
    city index's map (drawn from the scorecards' counts and kept in ``assets/``) and the methods page's
    body (kept in this process), in each language."""
    done = _tables(plans, handle, scorecard, manifests, options, stop)
    for plan in plans:
        if plan.specs and not stop.is_set():
            from qyanalysis.report.methods import methods_body_html
            from qyanalysis.runner.outputs import city_map

            try:
                city_map(plan.year_dir, handle.info.registry, done[plan.lang][0], plan.lang)
                methods_body_html(plan.lang)
            except Exception:  # noqa: BLE001 - made ahead only: the end of the run makes them again
                pass
    return done


def _write_early(plan: _Plan, manifest: dict[str, Any], handle: DataHandle, options: RunOptions,
                 tail: RunTail) -> None:
    """The index pages whose inputs are ready (``manifest``: with this run's scorecards), and, once a worker is
    idle, the methods page and the city index for now, and the font from the pages so far (:mod:`.tail`)."""
    info = handle.info
    common = {"year": plan.year, "lang": plan.lang, "banner": plan.banner, "data_hash": info.data_hash}
    for code in tail.complete_counties():
        write_county_index(plan.year_dir, code=code, manifest=manifest, registry=info.registry, **common)
        tail.indexes_written.add(code)
        tail.read(plan.year_dir / code / "index.html")
    if tail.worker_idle() and not tail.font_started:
        write_methods_page(plan.year_dir, manifest=manifest, **common)
        write_city_index(plan.year_dir, manifest=manifest, registry=info.registry, **common)
        tail.start_font()


def _index_pages(plan: _Plan) -> list[Path]:
    """The index pages of this run: one per county (or city) it renders pages for, and the city's list."""
    codes = dict.fromkeys(job.county_code for job in plan.jobs)
    return [plan.year_dir / "index.html", *(plan.year_dir / code / "index.html" for code in codes)]


def _indexes_exist(plan: _Plan) -> bool:
    return all(path.is_file() for path in _index_pages(plan))


def _write_indexes(plan: _Plan, manifest: dict[str, Any], handle: DataHandle, options: RunOptions) -> bool:
    """Write the county and city index pages; True when any of them changed (its text may need new glyphs)."""
    info = handle.info
    changed = False
    for code in plan.counties:
        if not any(j.county_code == code for j in plan.jobs):
            continue
        changed |= write_county_index(plan.year_dir, code=code, manifest=manifest,
                                      registry=info.registry, year=plan.year, lang=plan.lang,
                                      banner=plan.banner, data_hash=info.data_hash)
    changed |= write_city_index(plan.year_dir, manifest=manifest, registry=info.registry, year=plan.year,
                                lang=plan.lang, banner=plan.banner, data_hash=info.data_hash)
    return changed


def format_summary(summary: RunSummary) -> str:
    """The table printed at the end of a run."""
    ok = sum(1 for e in summary.executed if e["status"] == "ok" and not e.get("last_failure"))
    lines = [f"qyanalysis run {summary.year}: {ok} notebook(s) rendered, {summary.skipped} up to date, "
             f"{len(summary.failures)} failed — {summary.out_dir} ({summary.elapsed_s:.1f} s)"]
    if summary.failures:
        rows = [("county", "notebook", "cell", "error")]
        for f in summary.failures:
            err = f.get("error") or {}
            cell = err.get("cell_index")
            first_line = str(err.get("evalue") or "").splitlines()[:1]
            rows.append((f["county_code"], f["notebook"], "-" if cell is None else str(cell),
                         f"{err.get('ename')}: {''.join(first_line)}"[:100]))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines += ["  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3] for r in rows]
    return "\n".join(lines)
