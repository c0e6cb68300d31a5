"""Content keys, the data-folder fingerprint and ``run.json`` (docs/design.md, “Output layout”).

A job's key is the SHA-256 of everything its page depends on: the notebook's
bytes, the injected parameters, ``Dataset.data_hash``, the package version,
the report language and the HTML templates. A job whose key is unchanged,
whose last status was ``ok`` and whose outputs exist is skipped.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

MANIFEST_NAME = "run.json"
SCHEMA_VERSION = 1
_VERSIONED_PACKAGES = ("pandas", "numpy", "matplotlib", "papermill", "nbclient", "nbconvert",
                       "ipykernel", "jupyter_client")
_DATA_SUFFIXES = frozenset({".csv", ".xlsx", ".xls", ".parquet", ".json", ".txt", ".tsv"})


def _sha256(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON bytes (sorted keys, no spaces)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# Package files whose content shapes a page: code, labels, the target registry, templates and CSS.
_PACKAGE_SUFFIXES = (".py", ".json", ".csv", ".txt", ".j2", ".css", ".tpl", ".js")


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """Hash of the installed package's own files (code, labels, registry, HTML templates, stylesheet).

    Part of every job's key, so that any change to the library — not only a
    version bump — re-renders the pages it affects (a development checkout
    keeps its version number while its code changes). About 5 ms.
    """
    package = Path(__file__).resolve().parents[1]
    files = sorted(p for p in package.rglob("*") if p.suffix in _PACKAGE_SUFFIXES and p.is_file()
                   and "__pycache__" not in p.parts)
    return _sha256(*(p.relative_to(package).as_posix().encode() + b"\0" + p.read_bytes() for p in files))


def content_key(source: bytes, parameters: Mapping[str, Any], data_hash: str, version: str, lang: str) -> str:
    """SHA-256 over a notebook's bytes, parameters, data hash, package version, language and templates."""
    return _sha256(b"notebook", source, canonical_json(dict(parameters)), data_hash.encode(),
                   version.encode(), lang.encode(), renderer_fingerprint().encode())


def pair_key(source: bytes, parameters: Mapping[str, Any], data_hash: str, version: str) -> str:
    """The key a page shares with the same page in the other language: :func:`content_key` without the
    language (``run.json`` → ``pair``; ``qyanalysis.runner.languages``)."""
    return content_key(source, {k: v for k, v in parameters.items() if k != "lang"}, data_hash, version, "")


def scorecard_key(data_hash: str, version: str, county: str, year: int, as_of: str = "") -> str:
    """Key of one ``scorecard.csv``: data, package version, county, year and the as-of month asked for."""
    return _sha256(b"scorecard", data_hash.encode(), version.encode(), county.encode(), str(year).encode(),
                   as_of.encode())


def workbook_key(scorecard_keys: Sequence[str], lang: str) -> str:
    """Key of a scorecard workbook: the keys of the scorecards it shows, the language and the templates.

    A county's workbook shows one scorecard, the city's every county's and
    the city's; whatever changes a scorecard's key (data, package version,
    county, year) therefore changes its workbooks' keys too.
    """
    return _sha256(b"workbook", *(key.encode() for key in scorecard_keys), lang.encode(),
                   renderer_fingerprint().encode())


def folder_fingerprint(data_dir: Path) -> str:
    """SHA-256 over the names and bytes of a data folder's table files (or of one file).

    Cheap enough to run on every invocation; lets a no-op run skip loading the data.
    """
    if data_dir.is_file():
        files = [data_dir]
        base = data_dir.parent
    else:
        files = sorted(p for p in data_dir.iterdir()
                       if p.is_file() and p.suffix.lower() in _DATA_SUFFIXES and not p.name.startswith("."))
        base = data_dir
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    """Versions of qyanalysis, Python and the libraries that shape the pages."""
    from qyanalysis import __version__

    found = {"qyanalysis": __version__, "python": platform.python_version()}
    for name in _VERSIONED_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def empty_manifest(year: int) -> dict[str, Any]:
    """A ``run.json`` with no notebook yet."""
    return {"schema": SCHEMA_VERSION, "year": year, "params": {}, "data": {}, "versions": {},
            "last_run": {}, "notebooks": {}, "scorecards": {}, "workbooks": {}}


def read_manifest(path: Path, year: int) -> dict[str, Any]:
    """The ``run.json`` at ``path``, or an empty one when missing, unreadable or of another schema.

    Malformed entries are dropped (their notebooks simply run again).
    """
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, OSError):
        return empty_manifest(year)
    if not isinstance(loaded, dict) or loaded.get("schema") != SCHEMA_VERSION:
        return empty_manifest(year)
    base = empty_manifest(year)
    base.update(loaded)
    for section in ("notebooks", "scorecards", "workbooks"):  # drop entries a hand edit or a bad disk mangled
        entries = base[section] if isinstance(base[section], dict) else {}
        base[section] = {name: entry for name, entry in entries.items() if isinstance(entry, dict)}
    return base


def manifest_text(manifest: Mapping[str, Any]) -> str:
    """``run.json`` as written: sorted keys, indented, UTF-8 text."""
    return json.dumps(manifest, sort_keys=True, ensure_ascii=False, indent=1) + "\n"
