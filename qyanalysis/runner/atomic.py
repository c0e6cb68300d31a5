"""Atomic file writes: a reader (or a killed run) never sees a half-written file.

Every file goes to a hidden temporary file in the same folder, is flushed to
disk, then ``os.replace``-d over the target (atomic on POSIX and Windows).
``tempfile.mkstemp`` creates that file ``rw-------`` whatever the umask; it is
given the permissions an ordinary ``open`` would (``0o666`` less the umask:
``rw-r--r--`` under the usual 022), so that the pages, workbooks, PDFs and
``run.json`` can be read by whoever may read the folder. Folders are made by
``mkdir``, which applies the umask itself (``rwxr-xr-x`` under 022).
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

TMP_PREFIX = ".qy-"
TMP_SUFFIX = ".tmp"
# What ``open(path, "w")`` asks of the system for a new file, before the umask.
FILE_MODE = 0o666
_PROC_STATUS = Path("/proc/self/status")
_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux ≥ 4.7).

    Elsewhere it is set and set back at once (``os.umask`` can only be read by
    setting it), under a lock so that two writing threads of this process do
    not interleave.
    """
    try:
        with _PROC_STATUS.open(encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def new_file_mode() -> int:
    """Permissions of a new file under the current umask (``0o644`` under 022, ``0o640`` under 027)."""
    return FILE_MODE & ~current_umask()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` (str is UTF-8 encoded) to ``path`` atomically, creating its folder."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TMP_PREFIX}{path.name}.", suffix=TMP_SUFFIX)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, new_file_mode())
        else:  # Windows keeps only the read-only flag, which mkstemp does not set
            os.chmod(tmp, new_file_mode())
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
