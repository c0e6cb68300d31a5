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


def run_child(code: str, folder: Path, year: int) -> dict:
    """Run ``code`` (argv: folder, year) in a fresh interpreter (no warm caches); its last JSON line."""
    out = subprocess.run([sys.executable, "-c", code, str(folder), str(year)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])
