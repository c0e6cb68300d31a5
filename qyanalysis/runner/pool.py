"""Where jobs run: a bounded local pool of threads (each driving its own kernel) or a Dask cluster.

Both yield :class:`~qyanalysis.runner.execute.JobRecord` objects as jobs finish;
the caller (the batch) writes the outputs. Threads suffice locally because the
notebooks run in kernel processes; a thread only relays messages and renders
the finished page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from qyanalysis.errors import UsageError
from qyanalysis.runner.execute import JobRecord, JobSpec, execute_spec, execute_spec_remote, shutdown_kernels
from qyanalysis.runner.kernels import kill_live_kernels


def run_local(specs: Sequence[JobSpec], jobs: int) -> Iterator[JobRecord]:
    """Run ``specs`` on ``jobs`` worker threads, yielding records in completion order.

    When the caller stops early — Ctrl-C while waiting, or ``close()`` after an
    error of its own — the jobs not started are cancelled and the kernels of
    those still running are killed, so the run ends at once instead of after
    the slowest notebook (up to its cell timeout); their records are dropped.
    """
    if not specs:
        return
    workers = max(1, min(jobs, len(specs)))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="qyanalysis-worker")
    pending: set[Future[JobRecord]] = set()
    try:
        pending = {pool.submit(execute_spec, spec) for spec in specs}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    except BaseException:  # KeyboardInterrupt, GeneratorExit (closed by the caller), …
        running = {future for future in pending if not future.cancel()}
        while running:  # again until they end: a kernel may have been starting at the first kill
            kill_live_kernels()
            _, running = wait(running, timeout=0.5)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shutdown_kernels()


def run_dask(specs: Sequence[JobSpec], address: str, *,
             connect_timeout_s: float = 30.0) -> Iterator[JobRecord]:
    """Submit ``specs`` to the Dask scheduler at ``address``; yield records as tasks finish.

    Each task executes one notebook on a worker (which needs qyanalysis installed
    and the data folder readable at the same path). A task that dies with its
    worker becomes a failed record; the other jobs go on.
    """
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - the dask extra is not installed
        raise UsageError("--scheduler needs the 'dask' extra: pip install 'qyanalysis[dask]'") from exc
    if not specs:
        return
    try:
        client = Client(address, timeout=connect_timeout_s)
    except OSError as exc:
        raise UsageError(f"--scheduler {address}: cannot connect ({exc})") from exc
    try:
        futures = {client.submit(execute_spec_remote, spec, pure=False,
                                 key=f"qyanalysis-{spec.county_code}-{spec.notebook}-{spec.key[:12]}"): spec
                   for spec in specs}
        for future in as_completed(futures):
            spec = futures[future]
            try:
                yield JobRecord(**future.result())
            except Exception as exc:  # noqa: BLE001 - a lost worker fails only its jobs
                yield JobRecord(spec.county_code, spec.notebook, spec.key, "failed", 0.0, 0.0,
                                error={"kind": "internal", "cell_index": None, "ename": type(exc).__name__,
                                       "evalue": str(exc)[:2000]},
                                log=f"# {spec.county_code}/{spec.notebook}\nDask task failed: {exc!r}\n",
                                lang=spec.lang)
    finally:
        client.close()
