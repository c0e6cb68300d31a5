"""The end of a run, begun while the last kernels still render (README, “The batch runner”).

After the last page a run writes the index pages, the methods page and the
subset CJK font of every page (:mod:`qyanalysis.present.webfont`). Done in
sequence that was ~6 s in which one core waited. Here

- the characters of each page are read as the page is written (not all at once at the end);
- a county's index page is written as soon as its pages and the scorecards are done (its
  footer time is its own pages' latest, so it is final then);
- when fewer pages are left than workers (a worker is idle), the methods page and the city
  index are written provisionally and the font is subset in a thread, from the characters
  of every page written so far;
- at the end the index and methods pages are written as before (only what changed is
  rewritten: a footer time), the characters of every page on disk are taken again (a page
  read before is read again only when its file changed), and the font made early is used
  only when it was made of exactly these characters — else it is made again.

So the outputs are the bytes a sequential end would write (tested).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from qyanalysis.present.webfont import cjk_characters, font_is_current, subset_font, write_font_characters
from qyanalysis.runner.languages import switch_characters, tree_pages

Stamp = tuple[int, int, int]


def _stamp(path: Path) -> Stamp | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


class RunTail:
    """The characters of the pages of ``year_dir`` and the font made from them while the run ends.

    Args:
        year_dir: The root of the language's tree (``OUT/YEAR``, ``OUT/YEAR/en``).
        jobs: ``(county_code, notebook)`` of every page this run renders in it.
        workers: How many pages render at once.
        lang: The tree's language (its pages are those of :func:`~.languages.tree_pages`).
    """

    def __init__(self, year_dir: Path, jobs: list[tuple[str, str]], workers: int, lang: str = "zh") -> None:
        self.year_dir = year_dir
        self.lang = lang
        self.jobs = list(jobs)
        self.done: set[tuple[str, str]] = set()
        self.left = Counter(code for code, _ in jobs)  # pages still to come, per county
        self.pending = len(jobs)
        self.workers = max(1, workers)
        self._seen: dict[Path, tuple[Stamp, frozenset[str]]] = {}
        self._early: set[str] | None = None
        self._font: Future[bytes] | None = None
        self._thread: ThreadPoolExecutor | None = None
        self.indexes_written: set[str] = set()

    # -- characters ----------------------------------------------------------------------------
    def read(self, path: Path) -> None:
        """Take the characters of ``path`` as it is now (forgotten when it does not exist)."""
        stamp = _stamp(path)
        if stamp is None:
            self._seen.pop(path, None)
            return
        known = self._seen.get(path)
        if known is None or known[0] != stamp:
            text = path.read_text(encoding="utf-8")
            self._seen[path] = (stamp, frozenset(cjk_characters([text])))

    def characters(self, skip: Callable[[Path], bool] = lambda path: False) -> set[str]:
        """The CJK characters of every page now in the tree (but those ``skip`` names), and those of the
        language links (:func:`~.languages.switch_characters`)."""
        pages = [p for p in tree_pages(self.year_dir, self.lang) if not skip(p)]
        for path in set(self._seen) - set(pages):
            del self._seen[path]
        for path in pages:
            self.read(path)
        return set().union(switch_characters(), *(chars for _, chars in self._seen.values()))

    # -- the run's progress --------------------------------------------------------------------
    def page_done(self, county_code: str, notebook: str) -> bool:
        """Count a finished page and read it; True when it was its county's last page of the run."""
        self.read(self.year_dir / county_code / f"{notebook}.html")
        self.done.add((county_code, notebook))
        self.pending -= 1
        self.left[county_code] -= 1
        return self.left[county_code] == 0

    def complete_counties(self) -> list[str]:
        """Counties of the run whose pages are all done and whose index page is not written yet."""
        return [code for code, left in self.left.items() if left <= 0 and code not in self.indexes_written]

    def worker_idle(self) -> bool:
        """Whether fewer pages are left than workers (a worker has nothing more to do)."""
        return 0 < self.pending < self.workers or self.pending == 0

    def running(self) -> set[Path]:
        """The page files of the run's pages not yet done."""
        return {self.year_dir / code / f"{notebook}.html" for code, notebook in self.jobs
                if (code, notebook) not in self.done}

    # -- the font ------------------------------------------------------------------------------
    @property
    def font_started(self) -> bool:
        """Whether :meth:`start_font` ran."""
        return self._early is not None

    def start_font(self) -> None:
        """Subset the font in a thread from the characters of every page on disk but those still rendering
        (whose earlier versions will be replaced); once per run."""
        if self._early is not None:
            return
        running = self.running()
        characters = self.characters(skip=lambda path: path in running)
        self._early = characters
        if not characters or font_is_current(self.year_dir, characters):
            return
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qyanalysis-font")
        self._font = self._thread.submit(subset_font, characters)

    def _subset(self, characters: set[str]) -> bytes:
        if self._font is not None and characters == self._early:
            return self._font.result()
        return subset_font(characters)

    def write_font(self) -> Path | None:
        """Write the font of every page now in ``year_dir`` (:func:`write_font_characters`)."""
        try:
            return write_font_characters(self.year_dir, self.characters(), subset=self._subset)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the font thread (waiting for a subset under way)."""
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
            self._thread = None


def merged(manifest: Mapping[str, Any], written: Mapping[str, Any]) -> dict[str, Any]:
    """``manifest`` with the scorecard and workbook entries of this run (as merged at its end)."""
    return {**manifest, **written}

