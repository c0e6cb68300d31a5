"""Scorecard at national scale: load + ``qy.scorecard(dataset, None, year)`` for N counties.

Generates synthetic regions of 100 and 2,846 counties (``qyanalysis demo-data
--counties N``), then times, in a fresh process each, loading and validating
the data and scoring every county. Prints seconds and the cost per county, and
the ratio of the per-county cost at 2,846 to that at 100 (target <= 1.5), and
the total at 2,846 (target <= 40 s on 2 cores), and each child's peak memory.

Usage: ``python benchmarks/scorecard_scale.py [--sizes 100 2846] [--year 2022] [--workdir DIR]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from region import generate, run_child

_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import qyanalysis as qy
t1 = time.perf_counter()
ds = qy.load_dataset(sys.argv[1])
t2 = time.perf_counter()
card = qy.scorecard(ds, None, int(sys.argv[2]))
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "scorecard_s": t3 - t2,
                  "rows": len(card), "school_rows": len(ds.schools),
                  "counties": len(ds.counties.codes)}))
"""


def measure(folder: Path, year: int) -> dict:
    """Load + scorecard in a fresh interpreter (no warm caches); returns the child's timings."""
    return run_child(_CHILD, folder, year)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 2846])
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "qyanalysis-scale")
    args = parser.parse_args()

    results = {}
    for n in args.sizes:
        folder = args.workdir / f"counties-{n}"
        start = time.perf_counter()
        generate(n, folder)
        generate_s = time.perf_counter() - start
        timing = measure(folder, args.year)
        timing["generate_s"] = generate_s
        timing["total_s"] = timing["load_s"] + timing["scorecard_s"]
        timing["per_county_ms"] = 1000 * timing["total_s"] / timing["counties"]
        results[n] = timing

    print(f"{'counties':>8} {'school rows':>12} {'load s':>8} {'score s':>8} {'total s':>8} "
          f"{'ms/county':>10} {'rows':>8} {'peak MB':>8}")
    for n, r in results.items():
        print(f"{n:>8} {r['school_rows']:>12,} {r['load_s']:>8.2f} {r['scorecard_s']:>8.2f} "
              f"{r['total_s']:>8.2f} {r['per_county_ms']:>10.2f} {r['rows']:>8,} {r['peak_rss_mb']:>8.0f}")
    if len(results) >= 2:
        small, large = min(results), max(results)
        ratio = results[large]["per_county_ms"] / results[small]["per_county_ms"]
        print(f"per-county cost at {large} / at {small}: {ratio:.2f} (target <= 1.5)")
        print(f"load + scorecards at {large}: {results[large]['total_s']:.1f} s (target <= 40 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
