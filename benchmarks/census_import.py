"""Benchmark: import 500 per-school census workbooks (教基 forms) — the README's figure.

Writes 500 schools of the demonstration data (2022) with ``export_census`` into a
temporary folder (not timed), then times ``read_census`` on it.

    PYTHONPATH=. python benchmarks/census_import.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from qyanalysis.opening import load_demo
from qyanalysis.io.census import read_census
from qyanalysis.io.census_export import export_census


def main(n: int = 500) -> float:
    schools = load_demo().schools
    chosen = schools[(schools["year"] == 2022) & (schools["level"] != "vocational")].head(n)
    with tempfile.TemporaryDirectory() as folder:
        export_census(chosen, Path(folder), "2021")
        start = time.perf_counter()
        census = read_census(folder)
        seconds = time.perf_counter() - start
    assert not census.errors and len(census.schools) == len(chosen)
    print(f"read_census: {len(chosen)} school workbooks in {seconds:.1f} s "
          f"({1000 * seconds / len(chosen):.0f} ms per workbook)")
    return seconds


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
