"""Atomic writes give files the umask's permissions, not mkstemp's ``rw-------`` (issue 19)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from qyanalysis.runner import atomic

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    """Set the process umask for one test and restore it after."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield os.umask
    os.umask(previous)


@pytest.mark.parametrize(("mask", "file_mode", "dir_mode"), [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750),
                                                             (0o077, 0o600, 0o700)])
def test_written_files_and_folders_follow_the_umask(tmp_path, umask, mask, file_mode, dir_mode):
    umask(mask)
    target = tmp_path / "county" / "page.html"
    atomic.write_atomic(target, "<html></html>")
    assert _mode(target) == file_mode
    assert _mode(target.parent) == dir_mode
    # a rewrite (os.replace of a new temporary) keeps them; so does write_if_changed
    atomic.write_atomic(target, "<html>2</html>")
    assert _mode(target) == file_mode
    assert atomic.write_if_changed(tmp_path / "run.json", "{}") is True
    assert _mode(tmp_path / "run.json") == file_mode


def test_current_umask_reads_without_changing_it(umask):
    umask(0o027)
    assert atomic.current_umask() == 0o027
    assert atomic.new_file_mode() == 0o640
    assert os.umask(0o027) == 0o027  # still what it was


def test_umask_without_proc_falls_back_to_setting_it_back(umask, monkeypatch, tmp_path):
    umask(0o027)
    monkeypatch.setattr(atomic, "_PROC_STATUS", tmp_path / "missing")
    assert atomic.current_umask() == 0o027
    assert os.umask(0o027) == 0o027
