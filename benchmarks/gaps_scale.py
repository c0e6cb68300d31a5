"""Gap-closing at national scale: ``school_gaps`` and ``county_plan`` for every county of N.

Generates a synthetic region (``qyanalysis demo-data OUT --counties N``,
default 2,846 counties), then, in a fresh process, loads it and times
``qy.equity.school_gaps(ds, None, year)`` (every school part × indicator) and
``qy.equity.county_plan(ds, None, year)`` (school gaps, 差异系数 floors of every
county × level × indicator, totals). Prints the seconds of each, and whether
their sum stays within the target (≤ 30 s on 2 cores; loading not counted),
with the CPU seconds and the machine's load average (the wall time depends on
what else runs).

Usage: ``python benchmarks/gaps_scale.py [--counties 2846] [--year 2022] [--workdir DIR]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from region import generate, run_child

TARGET_SECONDS = 30.0

_CHILD = r"""
import json, sys, time
import qyanalysis as qy
t0 = time.perf_counter()
ds = qy.load_dataset(sys.argv[1])
t1 = time.perf_counter()
c1 = time.process_time()
gaps = qy.equity.school_gaps(ds, None, int(sys.argv[2]))
t2 = time.perf_counter()
plan = qy.equity.county_plan(ds, None, int(sys.argv[2]))
t3 = time.perf_counter()
c3 = time.process_time()
floors = plan.indicators
print(json.dumps({"load_s": t1 - t0, "school_gaps_s": t2 - t1, "county_plan_s": t3 - t2, "cpu_s": c3 - c1,
                  "gap_rows": len(gaps), "school_parts": int(len(gaps) // 7),
                  "cv_groups": len(floors),
                  "cvs_over_limit": int((floors["cv_before"] > floors["limit"]).sum()),
                  "floors_set": int(floors["floor"].notna().sum()),
                  "counties": int(plan.by_county.shape[0]),
                  "plan_cost_yuan": float(plan.by_county["plan_cost_yuan"].sum())}))
"""


def measure(folder: Path, year: int) -> dict:
    """Load + school_gaps + county_plan in a fresh interpreter; returns the child's timings."""
    return run_child(_CHILD, folder, year)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=2846)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "qyanalysis-scale")
    args = parser.parse_args()

    folder = args.workdir / f"counties-{args.counties}"
    start = time.perf_counter()
    generate(args.counties, folder)
    generate_s = time.perf_counter() - start
    r = measure(folder, args.year)
    work_s = r["school_gaps_s"] + r["county_plan_s"]
    print(f"counties {r['counties']:,}; school parts {r['school_parts']:,}; gap rows {r['gap_rows']:,}; "
          f"CV groups {r['cv_groups']:,} ({r['cvs_over_limit']:,} over their limit, "
          f"{r['floors_set']:,} floors after the school rule)")
    print(f"generate {generate_s:.1f} s, load {r['load_s']:.1f} s (not counted)")
    print(f"school_gaps {r['school_gaps_s']:.2f} s, county_plan {r['county_plan_s']:.2f} s, "
          f"together {work_s:.2f} s (target <= {TARGET_SECONDS:.0f} s); CPU {r['cpu_s']:.2f} s; "
          f"peak memory {r['peak_rss_mb']:.0f} MB; load average {os.getloadavg()[0]:.1f}")
    return 0 if work_s <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
