"""A national-scale region from the command line: ``qyanalysis demo-data --counties 2846``, then ``validate``.

What the suite checks at a small N (tests/test_cli.py and tests/test_demo.py, the teacher roster cap
lowered to reach the same code path), checked here at the scale of the country: both commands exit 0,
the generator writes 2,846 counties without a teacher roster (above ``ROSTER_MAX_COUNTIES``) and takes
less than 120 s (about 10 s on an idle 2-core machine). Prints the seconds of each step; exits 1 when a
check fails.

Usage: ``python benchmarks/national_region.py [--counties 2846] [--workdir DIR]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

GENERATE_LIMIT_S = 120.0


def main() -> int:
    from qyanalysis.cli import main as cli
    from qyanalysis.demo import ROSTER_MAX_COUNTIES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=2846)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="kept afterwards (default: a temporary folder)")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="qyanalysis-national-"))
    folder = workdir / f"counties-{args.counties}"
    shutil.rmtree(folder, ignore_errors=True)
    failures = []
    try:
        start = time.perf_counter()
        if cli(["demo-data", str(folder), "--counties", str(args.counties)]) != 0:
            failures.append("demo-data did not exit 0")
        generate_s = time.perf_counter() - start
        record = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        roster_expected = args.counties <= ROSTER_MAX_COUNTIES
        if record["counties"] != args.counties:
            failures.append(f"metadata.json says {record['counties']} counties")
        roster_written = (folder / "teachers.parquet").exists()
        if record["teachers_roster"] is not roster_expected or roster_written != roster_expected:
            failures.append(f"a teacher roster {'missing' if roster_expected else 'written'}")
        if generate_s >= GENERATE_LIMIT_S:
            failures.append(f"generation took {generate_s:.1f} s (limit {GENERATE_LIMIT_S:.0f} s)")
        start = time.perf_counter()
        if cli(["validate", str(folder)]) != 0:
            failures.append("validate did not exit 0")
        validate_s = time.perf_counter() - start
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)

    print(f"{args.counties} counties: demo-data {generate_s:.1f} s, validate {validate_s:.1f} s")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
