"""Atomic file writes: a reader (or a killed run) never sees a half-written file.

Every file goes to a hidden temporary file in the same folder, is flushed to
disk, then ``os.replace``-d over the target (atomic on POSIX and Windows).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TMP_PREFIX = ".qy-"
TMP_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` (str is UTF-8 encoded) to ``path`` atomically, creating its folder."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TMP_PREFIX}{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """Write atomically unless ``path`` already holds exactly ``data``; return whether it wrote."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == payload:
            return False
    except (FileNotFoundError, IsADirectoryError):
        pass
    write_atomic(path, payload)
    return True


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files a killed run left in ``folder`` (not recursive); return how many."""
    if not folder.is_dir():
        return 0
    removed = 0
    for entry in folder.iterdir():
        if entry.name.startswith(TMP_PREFIX) and entry.name.endswith(TMP_SUFFIX) and entry.is_file():
            entry.unlink(missing_ok=True)
            removed += 1
    return removed
