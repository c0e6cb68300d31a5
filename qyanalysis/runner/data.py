"""The run's dataset: loaded and validated once, or known from a previous run without loading.

A run needs the data's hash, years, county registry and demo flag before it
can validate the arguments and decide what is up to date. After a successful
load these facts are cached under ``OUT/.qyanalysis/`` keyed by the data
folder's fingerprint (its files' bytes) and the package version, so a run
with nothing to do never parses the tables. The full dataset is loaded only
when a scorecard must be (re)computed. Data that failed validation is never
cached, so it fails again (exit 2) on the next run.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qyanalysis.contract.counties import CountyNames
from qyanalysis.runner.atomic import write_if_changed
from qyanalysis.runner.manifest import folder_fingerprint, manifest_text

if TYPE_CHECKING:
    from qyanalysis.contract.counties import CountyRegistry

CACHE_FOLDER = ".qyanalysis"
Loader = Callable[[Path], Any]


class CachedRegistry(CountyNames):
    """The county registry as the cache keeps it: codes and the resolver at once, the table on first use.

    A run with nothing to do needs only the county codes and, for
    ``--county``, the resolver (both work on the cached rows); the full
    :class:`~qyanalysis.contract.counties.CountyRegistry` (a pandas table) is
    built when anything else is asked for (a county's name for a page title),
    so that such a run never imports pandas.
    """

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self._rows = rows
        self._full: CountyRegistry | None = None

    def records(self) -> list[dict[str, Any]]:
        """The cached rows."""
        return self._rows

    def full(self) -> CountyRegistry:
        """The registry itself (built once)."""
        if self._full is None:
            import pandas as pd

            from qyanalysis.contract.counties import CountyRegistry

            self._full = CountyRegistry.from_frame(pd.DataFrame.from_records(self._rows))
        return self._full

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full(), name)


@dataclass(frozen=True)
class DatasetInfo:
    """What the runner needs to know about the data without its tables."""

    data_hash: str
    years: tuple[int, ...]
    is_demo: bool
    registry: CountyNames  # a CountyRegistry, or a CachedRegistry read from the cache
    fingerprint: str
    as_of: str = ""  # the data's snapshot month (Dataset.as_of), "" for complete years

    def to_json(self) -> str:
        """Cache file content."""
        return manifest_text({"data_hash": self.data_hash, "years": list(self.years), "is_demo": self.is_demo,
                              "fingerprint": self.fingerprint, "as_of": self.as_of,
                              "registry": self.registry.records()})

    @classmethod
    def from_json(cls, text: str) -> "DatasetInfo":
        """Inverse of :meth:`to_json`."""
        raw = json.loads(text)
        registry = CachedRegistry(list(raw["registry"]))
        return cls(raw["data_hash"], tuple(int(y) for y in raw["years"]), bool(raw["is_demo"]), registry,
                   raw["fingerprint"], str(raw.get("as_of") or ""))


class DataHandle:
    """The data folder of a run, loaded lazily.

    Args:
        data_dir: The data folder (or workbook).
        loader: ``load_dataset``-like function: path → Dataset (raises DataValidationError).
        cache_dir: Where the facts of valid data folders are cached (``OUT/.qyanalysis``).
        version: Package version (part of the cache key: validation rules change with it).
        before_load: Called before the data is loaded (not when its facts are cached).
    """

    def __init__(self, data_dir: Path, loader: Loader, cache_dir: Path, version: str,
                 before_load: Callable[[], None] | None = None) -> None:
        self.data_dir = data_dir
        self._loader = loader
        self._dataset: Any = None
        fingerprint = folder_fingerprint(data_dir)
        self._cache_path = cache_dir / f"dataset-{fingerprint[:24]}-{version}.json"
        cached = self._read_cache(fingerprint)
        if cached is None:
            if before_load is not None:  # new data: the run will render, so its kernels may start meanwhile
                before_load()
            self._dataset = loader(data_dir)
            cached = DatasetInfo(str(self._dataset.data_hash), tuple(int(y) for y in self._dataset.years),
                                 bool(self._dataset.is_demo), self._dataset.counties, fingerprint,
                                 str(getattr(self._dataset, "as_of", "") or ""))
        self.info = cached

    def _read_cache(self, fingerprint: str) -> DatasetInfo | None:
        try:
            info = DatasetInfo.from_json(self._cache_path.read_text(encoding="utf-8"))
        except Exception:  # noqa: BLE001 - a missing, unreadable or mangled cache only means: load the data
            return None
        return info if info.fingerprint == fingerprint else None

    @property
    def dataset(self) -> Any:
        """The loaded dataset (loaded now if the run so far needed only the cached facts)."""
        if self._dataset is None:
            self._dataset = self._loader(self.data_dir)
        return self._dataset

    def save_cache(self) -> None:
        """Remember the facts of this (valid) data folder; call only once the run writes outputs.

        Best effort: the cache only saves time, so a cache folder that cannot be
        written (a file in its place, say) is left alone and the data is loaded
        again next time.
        """
        with contextlib.suppress(OSError):
            write_if_changed(self._cache_path, self.info.to_json())
