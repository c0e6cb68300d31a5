"""``--scheduler``: the same jobs on a real Dask cluster on the loopback interface."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qyanalysis.runner import RunOptions, run_batch
from test_runner_fakes import TEST_NOTEBOOKS, fake_load_dataset, fake_scorecard, make_data

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_workers(address: str, count: int, timeout_s: float = 60.0) -> None:
    from distributed import Client

    with Client(address, timeout=timeout_s) as client:
        client.wait_for_workers(count, timeout=timeout_s)


@pytest.fixture
def cluster(tmp_path):
    dask = BIN / "dask"
    if not dask.exists():
        pytest.skip("dask distributed is not installed")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False")
    procs = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        time.sleep(0.5)
        procs.append(subprocess.Popen([str(dask), "worker", address, "--host", "127.0.0.1", "--nworkers", "1",
                                       "--nthreads", "2", "--no-dashboard", "--memory-limit", "4GiB",
                                       "--local-directory", str(tmp_path / "dask-worker")],
                                      cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        wait_for_workers(address, 1)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_two_counties_render_through_a_dask_cluster(tmp_path, cluster):
    data, out = make_data(tmp_path / "data"), tmp_path / "out"
    opts = RunOptions(data=data, out=out, notebooks_dir=TEST_NOTEBOOKS, counties=["441802", "清新"],
                      notebooks=["00_overview", "01_party_leadership", "raises"], scheduler=cluster,
                      quiet=True, timeout=60.0)
    summary = run_batch(opts, load_dataset=fake_load_dataset, scorecard=fake_scorecard)
    assert len(summary.executed) == 6
    assert [f["notebook"] for f in summary.failures] == ["raises", "raises"] and summary.exit_code == 1
    manifest = json.loads((out / "2022" / "run.json").read_text())
    assert manifest["params"]["scheduler"] == cluster
    workers = {e["worker"] for e in manifest["notebooks"].values()}
    assert os.getpid() not in {int(w.rsplit(":", 1)[1]) for w in workers}  # ran in the Dask worker
    for county in ("441802", "441803"):
        for notebook in ("00_overview", "01_party_leadership"):
            page = (out / "2022" / county / f"{notebook}.html").read_text()
            assert page.rstrip().endswith("</html>") and f"county={county}" in page
        assert (out / "2022" / county / "index.html").is_file()
    again = run_batch(opts, load_dataset=fake_load_dataset, scorecard=fake_scorecard)
    assert [e["notebook"] for e in again.executed] == ["raises", "raises"] and again.skipped == 4
