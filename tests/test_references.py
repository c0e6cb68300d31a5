"""No file of the repository refers to a document that is not in the repository.

Readers of the code, the docs and the reports can open every document cited:
public sources are cited by their names, the package's own rules by
``docs/methods.md``. Checked: the names of working notes that were never part
of the repository, relative Markdown links, and ``docs/…`` / ``*.md`` paths
written in the text.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEXT_SUFFIXES = {".py", ".md", ".ipynb", ".csv", ".txt", ".j2", ".json", ".toml", ".cfg", ".yml", ".yaml",
                 ".css", ".html", ".tpl", ""}
# Built from parts so that this file does not name them itself.
OUTSIDE_NAMES = ("STANDARDS" + ".md", "CONTRACT" + ".md", "../" + "shared", "/work/" + "shared")
MARKDOWN_LINK = re.compile(r"\]\(\s*([^)\s#]+\.md)(?:#[^)\s]*)?\s*\)")
REPO_PATH = re.compile(r"(?<![\w./-])((?:docs|data|notebooks|qyanalysis|tests|benchmarks)/[\w./-]+\.md)\b")


def repository_files() -> list[Path]:
    """The files under version control (every file but caches and the virtual environment without git)."""
    try:
        names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True,
                               text=True).stdout.split("\0")
        files = [ROOT / n for n in names if n]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "reports", "__pycache__", ".pytest_cache", ".hypothesis"}
        files = [p for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]
    return [p for p in files if p.is_file() and p.suffix in TEXT_SUFFIXES]


def read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


FILES = repository_files()


def test_the_repository_is_found():
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert {"README.md", "docs/methods.md", "qyanalysis/verdicts/attainment.py"} <= names


def test_no_file_names_a_document_outside_the_repository():
    found = []
    for path in FILES:
        text = read(path)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            found += [f"{path.relative_to(ROOT)}:{number}: {name}" for name in OUTSIDE_NAMES if name in line]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("pattern", [MARKDOWN_LINK, REPO_PATH], ids=["markdown-links", "repository-paths"])
def test_every_referenced_markdown_document_exists(pattern):
    missing = []
    for path in FILES:
        text = read(path)
        if text is None:
            continue
        for match in pattern.finditer(text):
            target = match.group(1)
            base = path.parent if pattern is MARKDOWN_LINK else ROOT
            if not (base / target).resolve().is_file():
                missing.append(f"{path.relative_to(ROOT)}: {target}")
    assert not missing, "\n".join(missing)
