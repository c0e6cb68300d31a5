"""The page a notebook builds: parameters checked, data loaded once, results computed once.

A notebook's first cell after the parameters is ``page = open_page(county,
year, data_dir, lang, section=N)``. The page resolves the county (code or any
name, or ``"city"``), loads and validates the data, applies the house chart
style, and then serves the scorecard and the measure frame, each computed once
and cached. Display helpers (``qyanalysis.report.show``) take the page.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import pandas as pd

from qyanalysis import paths
from qyanalysis.contract.plan import SECTIONS, Section
from qyanalysis.dataset import Dataset
from qyanalysis.errors import UsageError
from qyanalysis.present.labels import check_lang

CITY = "city"


# Datasets already loaded in this process, keyed by folder and file stamps. A warm batch kernel
# renders many notebooks of the same data: each loads and validates it once, not once per page.
_LOADED: dict[tuple, Dataset] = {}
_MAX_LOADED = 2


def _stamp(path: Path) -> tuple:
    """Folder (or file) identity: resolved path plus every file's name, size and modification time."""
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    return (str(path.resolve()), *((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.is_file()))


T = TypeVar("T")

#: The folder where the processes of one batch run share the loaded dataset, its measure frame and every
#: unit's scorecard is named by this environment variable: computed by the first process that needs them,
#: read by the others. Unset (a notebook opened by hand): every process computes its own.
SHARED_RESULTS_ENV = paths.SHARED_RESULTS_ENV


def shared(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once across the processes that share :data:`SHARED_RESULTS_ENV`'s folder.

    The first process to ask for ``key`` computes the result under an exclusive file lock and pickles
    it there; the others wait for the lock and read it (a few milliseconds for a scorecard). Without
    the folder, without POSIX file locks, or when the file cannot be read or written, the result is
    computed here: sharing saves time, never changes a result.

    Args:
        key: Everything the result depends on (hashable, with a stable ``repr``): the data's
            fingerprint, the result's name and the settings in force.
        compute: Computes the result.
    """
    folder = os.environ.get(SHARED_RESULTS_ENV)
    if not folder:
        return compute()
    try:
        import fcntl
    except ImportError:  # not POSIX: no file locks, each process computes
        return compute()
    from qyanalysis import __version__

    name = hashlib.sha256(repr((__version__, key)).encode()).hexdigest()[:32]
    path = Path(folder) / f"{name}.pickle"
    try:
        lock = open(path.with_suffix(".lock"), "ab")  # noqa: SIM115 - held across the computation below
    except OSError:
        return compute()
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - not there yet (or unreadable): compute it
            pass
        value = compute()
        try:
            scratch = path.with_suffix(f".{os.getpid()}.tmp")
            scratch.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(scratch, path)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass
        return value


def load_data(data_dir: str | Path | None) -> Dataset:
    """The dataset of ``data_dir`` (empty or None: the bundled demonstration data), cached per process.

    The cache is keyed by the files' names, sizes and modification times, so
    edited data is loaded afresh; the returned dataset must be treated as
    read-only (every library function does). In a batch run the dataset is
    loaded and validated once for all its processes (:func:`shared`).
    """
    from qyanalysis.opening import load_dataset
    from qyanalysis.paths import demo_data_dir

    path = Path(data_dir) if data_dir else demo_data_dir()
    key = _stamp(path) if path.exists() else None
    if key is not None and key in _LOADED:
        return _LOADED[key]
    dataset = shared(("dataset", key), lambda: load_dataset(path)) if key is not None else load_dataset(path)
    if key is not None:
        while len(_LOADED) >= _MAX_LOADED:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = dataset
    return dataset


# Results already computed in this process (one warm kernel renders many pages of the same data):
# every page of a county, and every county page of a batch, reads the same city scorecard and draws
# the same city charts, so a kernel computes each once. The key holds the dataset's identity (the
# value keeps the dataset alive, so the id is not reused), the caller's name for the result and
# every setting's value (a notebook that changes a setting gets fresh results).
_MEMO: dict[tuple, tuple[Dataset, object]] = {}
_MAX_MEMO = 512

def settings_state() -> tuple:
    """Every ``qyanalysis.settings`` value and the run-time registrations, as a hashable tuple (in every memo key).

    An indicator, measure or target registered in the kernel (``measure``,
    ``indicators.register``, ``targets.register_targets``) changes the
    versions, so results computed before it are not served after it.
    """
    from qyanalysis import measures, settings
    from qyanalysis.verdicts import targets

    values = tuple((n, repr(getattr(settings, n))) for n in settings.names())
    return (*values, ("registrations", measures.version(), targets.version()))


def memo(dataset: Dataset, name: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per process for this dataset, ``name`` and the settings in force.

    Args:
        dataset: The data the result is computed from.
        name: Everything else the result depends on (unit, year, language …), hashable.
        compute: Computes the result; called only when it is not cached.

    Returns:
        The cached result: treat it as read-only (copy a frame before changing it).
    """
    key = (id(dataset), name, settings_state())
    if key not in _MEMO:
        value = compute()
        while len(_MEMO) >= _MAX_MEMO:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = (dataset, value)
    return _MEMO[key][1]


def shared_memo(dataset: Dataset, name: Hashable, compute: Callable[[], T]) -> T:
    """:func:`memo`, and in a batch run once for all its processes (:func:`shared`: keyed by the data's
    fingerprint, ``name`` and the settings in force; a dataset without a fingerprint is not shared)."""
    if not getattr(dataset, "data_hash", None):
        return memo(dataset, name, compute)
    return memo(dataset, name, lambda: shared((dataset.data_hash, name, settings_state()), compute))


def measure_frame(dataset: Dataset) -> pd.DataFrame:
    """``qyanalysis.measures.compute_all(dataset)``, in a batch run computed once for all its processes (a
    frame read from another process becomes this process's measure frame: :func:`measures.remember`)."""
    from qyanalysis import measures

    frame = shared_memo(dataset, ("measures",), lambda: measures.compute_all(dataset))
    measures.remember(dataset, frame)
    return measures.compute_all(dataset)


def cached_scorecard(dataset: Dataset, unit: str | None, year: int, as_of: str | None) -> pd.DataFrame:
    """``qyanalysis.scorecard(dataset, unit, year, as_of=as_of)``, computed once per process (a copy is
    returned) — the one "every unit scored once" helper of the pages and the runner.

    Every county and the city are scored together, once (``unit=None``; in a batch run once for all
    its processes, on the measure frame they share: :func:`measure_frame`); a unit's rows are sliced
    from that frame (:func:`qyanalysis.verdicts.attainment.unit_rows`). ``as_of`` "" and None are the same.
    """
    from qyanalysis.verdicts.attainment import scorecard, unit_rows

    as_of = as_of or None

    def every_unit() -> pd.DataFrame:
        measure_frame(dataset)
        return scorecard(dataset, None, year, as_of=as_of)

    every = shared_memo(dataset, ("scorecard", None, int(year), as_of), every_unit)
    if unit is None:
        return every.copy()
    return unit_rows(every, resolve_county(dataset, unit), dataset.counties.city_code)


def resolve_county(dataset: Dataset, county: str) -> str:
    """The county code for ``county`` (code, full/short/English name), or the city code for "city".

    The registry's one resolver (``qyanalysis.contract.counties.CountyNames.resolve``), as the scorecard's.

    Raises:
        UsageError: ``county`` is not in the dataset's registry.
    """
    return dataset.counties.resolve(county)


def resolve_year(dataset: Dataset, year: int | None) -> int:
    """``year`` checked against the census years (None = the latest).

    Raises:
        UsageError: the data has no school census for ``year``.
    """
    if year is None:
        return dataset.latest_year
    if int(year) != year or int(year) not in dataset.years:
        raise UsageError(f"year {year!r} is not in the data; expected one of {dataset.years}")
    return int(year)


@dataclass
class Page:
    """One report page: a county (or the city), a year, a language and optionally a plan section.

    Attributes:
        dataset: The validated data.
        county_code: County code, or the city code for the city report.
        year: Report year.
        lang: "zh" or "en".
        section: The plan section the page covers (None for overview pages).
    """

    dataset: Dataset
    county_code: str
    year: int
    lang: str = "zh"
    section: Section | None = None
    as_of_month: str = ""
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def as_of(self) -> str | None:
        """The data's snapshot month ``YYYY-MM`` the page reads (the notebook's ``as_of``, else the data's)."""
        return self.as_of_month or self.memo("data_as_of", lambda: self.dataset.as_of)

    @property
    def is_city(self) -> bool:
        """True for the city-wide report."""
        return self.county_code == self.dataset.counties.city_code

    @property
    def county_name(self) -> str:
        """Display name of the county (or city) in the page's language."""
        return self.dataset.counties.name(self.county_code, self.lang)

    @property
    def items(self) -> tuple[int, ...]:
        """Plan items on this page (all 37 for an overview page)."""
        if self.section is not None:
            return self.section.items
        return tuple(i for s in SECTIONS for i in s.items)

    @cached_property
    def schools(self) -> pd.DataFrame:
        """The census rows of the page's year: the county's schools (every county's for the city page)."""
        schools = self.dataset.schools
        rows = schools[schools["year"] == self.year]
        if not self.is_city:
            rows = rows[rows["county_code"] == self.county_code]
        return rows.reset_index(drop=True)

    @cached_property
    def measures(self) -> pd.DataFrame:
        """The measure frame of every county and year (``measures.compute_all``, via :func:`measure_frame`)."""
        return measure_frame(self.dataset)

    @cached_property
    def city_scorecard(self) -> pd.DataFrame:
        """City-scope scorecard rows of the year."""
        return cached_scorecard(self.dataset, CITY, self.year, self.as_of)

    @cached_property
    def all_counties_scorecard(self) -> pd.DataFrame:
        """Every county's rows plus the city's, for comparisons."""
        return cached_scorecard(self.dataset, None, self.year, self.as_of)

    @cached_property
    def scorecard(self) -> pd.DataFrame:
        """The page's targets: the county's rows, plus the city's row of every city-wide target.

        A county page shows a city-scope target (e.g. the city's 100 studios,
        the city-wide dropout rate) as the city's figure, marked by its
        ``level``; beside it the county's own row where it has one: its
        reading of a city-wide rate (``scope_note = city_target``) or the
        quota the city set it (``targets_override``). Sorted city row first.
        """
        if self.is_city:
            return self.city_scorecard
        own = cached_scorecard(self.dataset, self.county_code, self.year, self.as_of)
        city = self.city_scorecard
        rows = pd.concat([city, own], ignore_index=True) if not city.empty else own
        return rows.sort_values(["item", "target_id"], kind="stable").reset_index(drop=True)

    def memo(self, name: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per kernel for the page's data and ``name`` (see :func:`memo`).

        For anything several pages of a batch need: ``name`` must say what
        the result depends on besides the data and the settings, e.g.
        ``("trend_png", lang, year, as_of, indicator, county_code)``.
        """
        return memo(self.dataset, name, compute)

    def on_measures(self, compute: Callable[[], T]) -> Callable[[], T]:
        """``compute`` preceded by the page's measure frame (:attr:`measures`): a library function that
        reads ``compute_all(dataset)`` (readiness, trajectories) then gets it — in a batch run the frame
        its processes share, not a second computation in the kernel (~2 s)."""
        def after_measures() -> T:
            self.measures  # noqa: B018 - made (or read from the run's processes) before compute reads it
            return compute()

        return after_measures

    def section_scorecard(self) -> pd.DataFrame:
        """Scorecard rows of the page's items."""
        card = self.scorecard
        return card[card["item"].isin(self.items)].reset_index(drop=True)

    def county_measures(self, indicators: list[str] | tuple[str, ...] | None = None,
                        all_years: bool = False) -> pd.DataFrame:
        """Measure rows of the page's county (this year unless ``all_years``), optionally some indicators."""
        m = self.measures
        rows = m[m["county_code"] == self.county_code]
        if not all_years:
            rows = rows[rows["year"] == self.year]
        if indicators is not None:
            rows = rows[rows["indicator"].isin(indicators)]
        return rows.reset_index(drop=True)


def open_page(county: str, year: int | None, data_dir: str | Path | None = "", lang: str = "zh",
              section: int | None = None, as_of: str = "") -> Page:
    """Check the notebook parameters, load the data and start a page.

    Args:
        county: County code or name, or "city".
        year: Report year (None = the latest census year).
        data_dir: Data folder; "" = the bundled demonstration data.
        lang: "zh" or "en".
        section: Plan section number 1–7, or None for an overview page.
        as_of: The data's snapshot month ``YYYY-MM``; "" = the latest in-year
            period of the data's indicators table.

    Raises:
        UsageError: Unknown county, year, language or section.
        DataValidationError: The data breaks the contract.
    """
    from qyanalysis.present.style import use_house_style
    from qyanalysis.report.frames import install_display

    try:
        check_lang(lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if section is not None and section not in {s.number for s in SECTIONS}:
        raise UsageError(f"section {section!r} does not exist; expected 1–7")
    dataset = load_data(data_dir)
    if as_of and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(as_of)):
        raise UsageError(f"as_of must be a month YYYY-MM, not {as_of!r}")
    page = Page(dataset, resolve_county(dataset, county), resolve_year(dataset, year), lang,
                SECTIONS[section - 1] if section else None, str(as_of or ""))
    use_house_style()
    install_display()
    return page
