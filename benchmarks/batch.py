"""Batch runner benchmark: plain papermill+nbconvert loop vs ``qyanalysis run`` vs the compute floor.

Usage: ``python benchmarks/batch.py [--notebooks-dir DIR] [--data DIR] [--jobs N] [--scope county|city|both]
[--repeat N]``

In one run on the same notebooks and data it times
  (a) the plain loop: ``papermill`` CLI then ``jupyter nbconvert`` CLI per notebook, in sequence;
  (b) ``qyanalysis run`` from cold (a new process, empty output folder);
  (c) the same command again, with nothing to do;
  (d) the compute floor: every notebook's code cells exec'd as plain Python in one process;
for one county (its notebooks) and for the whole city batch (every county plus the city notebook),
and prints the timings and ratios against the targets (cold ≥ 7× / ≥ 15× faster than the plain
loop, no-op ≤ 0.5 s, cold within 1.5× of the floor). With ``--repeat N`` (b), (c) and (d) are measured N
times (each cold run into a new folder) and their medians reported; the plain loop, the slow baseline
(about 24 minutes for the city), is measured once.

When the package's notebooks or ``qyanalysis.io.load_dataset`` are not there yet, it falls back to
``tests/notebooks`` and the fake loader and scorecard of ``tests/test_runner_fakes.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO / "tests"))

from qyanalysis.contract.plan import CITY_NOTEBOOK, COUNTY_NOTEBOOKS  # noqa: E402

RUN_SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from qyanalysis.cli import build_parser
from qyanalysis.runner import run_from_cli
kwargs = {{}}
if {fakes!r}:
    from test_runner_fakes import fake_load_dataset, fake_scorecard
    kwargs = dict(load_dataset=fake_load_dataset, scorecard=fake_scorecard)
sys.exit(run_from_cli(build_parser().parse_args(sys.argv[1:]), **kwargs))
"""


def _real_setup(notebooks_dir: Path) -> bool:
    try:
        from qyanalysis.io import load_dataset  # noqa: F401
        from qyanalysis.verdicts.attainment import scorecard  # noqa: F401
    except ImportError:
        return False
    return all((notebooks_dir / f"{nb}.ipynb").is_file() for nb in (*COUNTY_NOTEBOOKS, CITY_NOTEBOOK))


def _jobs(counties: list[str]) -> list[tuple[str, str]]:
    jobs = [(c, nb) for c in counties if c != "city" for nb in COUNTY_NOTEBOOKS]
    return jobs + ([("city", CITY_NOTEBOOK)] if "city" in counties else [])


def plain_loop(jobs, notebooks_dir: Path, data_dir: str, year: int, work: Path) -> float:
    """papermill CLI + nbconvert CLI per notebook, in sequence."""
    clock = time.perf_counter()
    for county, notebook in jobs:
        executed = work / county / f"{notebook}.ipynb"
        executed.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(BIN / "papermill"), str(notebooks_dir / f"{notebook}.ipynb"), str(executed),
                        "-r", "county", county, "-p", "year", str(year), "-r", "data_dir", data_dir,
                        "-r", "lang", "zh", "--log-level", "ERROR"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - clock


def qyanalysis_run(counties, notebooks_dir: Path, data_dir: str, out: Path, jobs: int, fakes: bool) -> float:
    """``qyanalysis run`` in a new process; returns wall seconds."""
    argv = [sys.executable, "-c", RUN_SCRIPT.format(tests=str(REPO / "tests"), fakes=fakes), "run",
            "--out", str(out), "--notebooks-dir", str(notebooks_dir), "--county", *counties,
            "--jobs", str(jobs), "--quiet"] + (["--data", data_dir] if data_dir else [])
    clock = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True)
    elapsed = time.perf_counter() - clock
    if result.returncode not in (0, 1):
        raise SystemExit(f"qyanalysis run failed:\n{result.stderr}")
    return elapsed


def compute_floor(jobs, notebooks_dir: Path, data_dir: str, year: int) -> float:
    """Every code cell exec'd as plain Python in this process (no kernel, no HTML)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat

    sources = {nb: nbformat.read(notebooks_dir / f"{nb}.ipynb", as_version=4) for _, nb in jobs}
    saved_rc = matplotlib.rcParams.copy()
    clock = time.perf_counter()
    for county, notebook in jobs:
        namespace = {"__name__": "__main__"}
        params = {"county": county, "year": year, "data_dir": data_dir, "lang": "zh"}
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            for cell in sources[notebook].cells:
                if cell.cell_type != "code":
                    continue
                code = "\n".join(line for line in cell.source.splitlines()
                                 if not line.lstrip().startswith(("%", "!")))
                exec(compile(code, f"<{notebook}>", "exec"), namespace)
                if "parameters" in cell.metadata.get("tags", []):
                    namespace.update(params)
        plt.close("all")
        matplotlib.rcParams.update(saved_rc)
    return time.perf_counter() - clock


FLOOR_SCRIPT = """
import sys
sys.path.insert(0, {benchmarks!r})
from pathlib import Path
from batch import _jobs, compute_floor
print(compute_floor(_jobs({counties!r}), Path({notebooks!r}), {data!r}, {year!r}))
"""


def fresh_floor(counties, notebooks_dir: Path, data_dir: str, year: int) -> float:
    """:func:`compute_floor` in a new process (a second floor in one process would find its data loaded and
    its results computed)."""
    script = FLOOR_SCRIPT.format(benchmarks=str(Path(__file__).resolve().parent), counties=list(counties),
                                 notebooks=str(notebooks_dir), data=data_dir, year=year)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def measure(label, counties, args, fakes, data_dir, year, work) -> list[tuple[str, list[float]]]:
    """Each measurement's seconds: the plain loop once, the others ``args.repeat`` times."""
    jobs = _jobs(counties)
    rows = [("notebooks", [float(len(jobs))])]
    rows.append(("(a) plain loop papermill+nbconvert", [plain_loop(jobs, args.notebooks_dir, data_dir, year,
                                                                    work / f"plain-{label}")]))
    cold, noop, floor = [], [], []
    for attempt in range(args.repeat):
        out = work / f"out-{label}-{attempt}"
        cold.append(qyanalysis_run(counties, args.notebooks_dir, data_dir, out, args.jobs, fakes))
        noop.append(qyanalysis_run(counties, args.notebooks_dir, data_dir, out, args.jobs, fakes))
        floor.append(fresh_floor(counties, args.notebooks_dir, data_dir, year))
    return [*rows, ("(b) qyanalysis run, cold", cold), ("(c) qyanalysis run, no-op", noop),
            ("(d) compute floor (one process)", floor)]


def report(label: str, rows: list[tuple[str, list[float]]], batch_target: float) -> None:
    """Each measurement's median (and every run's seconds when repeated), then the ratios of the medians."""
    values = {name: statistics.median(times) for name, times in rows}
    plain, cold = values["(a) plain loop papermill+nbconvert"], values["(b) qyanalysis run, cold"]
    noop, floor = values["(c) qyanalysis run, no-op"], values["(d) compute floor (one process)"]
    print(f"\n{label}: {int(values['notebooks'])} notebooks")
    for name, times in rows[1:]:
        each = f"   (runs: {', '.join(f'{t:.2f}' for t in times)})" if len(times) > 1 else ""
        print(f"  {name:<38} {statistics.median(times):8.2f} s{each}")
    print(f"  plain / cold  = {plain / cold:5.1f}x   (target >= {batch_target:g}x)")
    print(f"  no-op         = {noop:5.2f} s  (target <= 0.5 s)")
    print(f"  cold / floor  = {cold / max(floor, 1e-9):5.2f}x  (target <= 1.5x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks-dir", type=Path, default=REPO / "notebooks")
    parser.add_argument("--data", default=None, help="data folder (default: bundled demo / fake data)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--scope", choices=("county", "city", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=1, help="runs of (b), (c) and (d); medians reported")
    args = parser.parse_args(argv)
    fakes = not _real_setup(args.notebooks_dir)
    work = Path(tempfile.mkdtemp(prefix="qyanalysis-bench-"))
    try:
        if fakes:
            from test_runner_fakes import make_data

            args.notebooks_dir = REPO / "tests" / "notebooks"
            data_dir = str(make_data(work / "data"))
            print("notebooks or qyanalysis.io not available yet: tests/notebooks with the fake loader")
        else:
            data_dir = str(Path(args.data).resolve()) if args.data else ""
        from qyanalysis.contract.counties import CountyRegistry

        codes = CountyRegistry.builtin().codes
        year = args.year
        if args.scope in ("county", "both"):
            report("one county", measure("county", codes[:1], args, fakes, data_dir, year, work), 7)
        if args.scope in ("city", "both"):
            rows = measure("city", [*codes, "city"], args, fakes, data_dir, year, work)
            report("whole city batch", rows, 15)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
