"""What the scale benchmarks share: a synthetic region written once, a measurement in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def generate(n_counties: int, folder: Path) -> None:
    """Write a synthetic region of ``n_counties`` counties into ``folder`` (skipped when present)."""
    if (folder / "schools.csv").exists():
        return
    from qyanalysis.demo import generate_demo_data

    generate_demo_data(folder, n_counties=n_counties)


# Appended to a child's code: its peak resident memory (Linux reports ``ru_maxrss`` in KiB), as a JSON line.
_PEAK = ("\nimport json as _json, resource as _resource\n"
         "print(_json.dumps({'peak_rss_mb': _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss / 1024}))\n")


def run_child(code: str, folder: Path, year: int) -> dict:
    """Run ``code`` (argv: folder, year) in a fresh interpreter (no warm caches): its last JSON line, with
    ``peak_rss_mb``, the child's peak resident memory."""
    out = subprocess.run([sys.executable, "-c", code + _PEAK, str(folder), str(year)], check=True,
                         capture_output=True, text=True).stdout
    *_, result, peak = out.strip().splitlines()
    return {**json.loads(result), **json.loads(peak)}
