"""Execute one notebook and render its page: the unit of work of both the local pool and Dask.

:func:`execute_spec` takes a picklable :class:`JobSpec` (the notebook's text
travels with it, so a Dask worker needs no access to the notebooks folder)
and returns a :class:`JobRecord` with the executed notebook, its HTML page and
its log, or the failing cell and error. It never raises for a notebook's own
failure: an exception, a timeout or a dead kernel fails only that notebook.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import socket
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from qyanalysis.runner.kernels import Kernel

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class JobSpec:
    """Everything a worker needs to run one job.

    Attributes:
        county_code: County code or ``"city"``.
        notebook: Notebook stem.
        source: The source notebook (``.ipynb`` JSON text).
        parameters: Injected as typed literals (papermill's translator).
        key: The job's content key.
        timeout: Per-cell timeout in seconds (None: no limit).
        isolated: A fresh kernel for this notebook instead of a warm one.
        cwd: Working folder of the kernel (falls back to a temporary folder).
        title: Page title.
        lang: "zh" or "en".
        banner: Demonstration-data notice or None.
        data_hash: For the footer.
        display_parameters: ``(name, value)`` pairs shown in the footer.
        nav: The page's navigation bar (``qyanalysis.present.html.NavLink``; :func:`~.jobs.page_nav`).
    """

    county_code: str
    notebook: str
    source: str
    parameters: dict[str, Any]
    key: str
    timeout: float | None
    isolated: bool
    cwd: str
    title: str
    lang: str
    banner: str | None
    data_hash: str
    display_parameters: tuple[tuple[str, str], ...] = ()
    nav: tuple[Any, ...] = ()


@dataclass
class JobRecord:
    """The outcome of one job.

    Attributes:
        status: ``ok`` or ``failed``.
        error: None, or ``{"kind", "cell_index", "ename", "evalue"}``; ``kind`` is
            ``exception``, ``timeout``, ``kernel_died`` or ``internal``; ``cell_index``
            counts cells of the source notebook from 0 (None when not in a cell).
        ipynb: The executed notebook as JSON text (None if execution never started).
        html: The page (None when the job failed).
        log: Streams, errors and timings, as text.
        lang: The page's language (its spec's), which says which tree its files go to.
    """

    county_code: str
    notebook: str
    key: str
    status: str
    started_at: float
    elapsed_s: float
    execute_s: float = 0.0
    export_s: float = 0.0
    warm: bool = False
    worker: str = ""
    error: dict[str, Any] | None = None
    ipynb: str | None = None
    html: str | None = None
    log: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    lang: str = "zh"

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (for Dask transport)."""
        return asdict(self)


def parameterize(source: str, parameters: dict[str, Any]) -> Any:
    """The notebook with papermill's ``injected-parameters`` cell after its ``parameters`` cell."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.reads(source, as_version=4)
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("papermill", {})
    nb = parameterize_notebook(nb, parameters)
    nb.metadata["papermill"]["parameters"] = parameters
    return nb


def _source_index(nb: Any, executed_index: int | None) -> int | None:
    """Index in the source notebook of executed cell ``executed_index`` (None for the injected cell)."""
    if executed_index is None:
        return None
    tagged = (i for i, c in enumerate(nb.cells) if "injected-parameters" in c.metadata.get("tags", []))
    injected = next(tagged, None)
    if injected is None or executed_index < injected:
        return executed_index
    return None if executed_index == injected else executed_index - 1


def notebook_log(nb: Any, spec: JobSpec, error: dict[str, Any] | None) -> str:
    """Plain-text log: parameters, every stream and error output by cell, and the failure."""
    lines = [f"# {spec.county_code}/{spec.notebook}",
             f"parameters: {json.dumps(spec.parameters, ensure_ascii=False)}"]
    for index, cell in enumerate(nb.cells if nb is not None else []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            kind = output.get("output_type")
            if kind == "stream":
                lines.append(f"[cell {_source_index(nb, index)} {output.get('name')}]")
                lines.append(_ANSI.sub("", output.get("text", "")).rstrip("\n"))
            elif kind == "error":
                lines.append(f"[cell {_source_index(nb, index)} error] "
                             f"{output.get('ename')}: {output.get('evalue')}")
                lines.extend(_ANSI.sub("", line) for line in output.get("traceback", []))
    if error is not None:
        lines.append(f"FAILED ({error['kind']}) at cell {error['cell_index']}: "
                     f"{error['ename']}: {error['evalue']}")
    return "\n".join(lines) + "\n"


# -- kernels kept per thread -------------------------------------------------------------------
_local = threading.local()
_kernels: list[Kernel] = []
_kernels_lock = threading.Lock()


# Warm kernels started ahead of the jobs (while the run loads its data): ready ones, and the threads starting them.
_ready: list[Kernel] = []
_starting: list[threading.Thread] = []
_starting_kernels: set[Kernel] = set()  # the kernels those threads are starting
_abandoned = threading.Event()


def prestart_kernels(count: int, data_dir: str | None = None) -> None:
    """Start ``count`` warm kernels in background threads, for the worker threads to take (:func:`_warm_kernel`).

    For a run that will execute notebooks: the kernels start and import the heavy modules while
    the main process loads and validates the data, and load the data themselves (``data_dir``, the
    notebooks' parameter) before their first notebook. A kernel that fails to start is left out (its
    worker starts one itself, and reports the error there). :func:`shutdown_kernels` stops them, those
    still starting included: killed at once (a run refused for its data or arguments does not wait
    for them, nor leave them importing and loading).
    """
    _abandoned.clear()
    for _ in range(count):
        thread = threading.Thread(target=_prestart_one, args=(data_dir,), name="qyanalysis-kernel-start",
                                  daemon=True)
        with _kernels_lock:
            _starting.append(thread)
        thread.start()


def _prestart_one(data_dir: str | None) -> None:
    kernel = Kernel(warm=True, data_dir=data_dir)
    with _kernels_lock:
        if _abandoned.is_set():
            return
        _starting_kernels.add(kernel)
    try:
        kernel.start(stop=_abandoned)
    except Exception:  # noqa: BLE001 - the worker that would have taken it starts its own
        kernel.shutdown()
        return
    finally:
        with _kernels_lock:
            _starting_kernels.discard(kernel)
    with _kernels_lock:
        if not _abandoned.is_set():
            _kernels.append(kernel)
            _ready.append(kernel)
            return
    kernel.shutdown()


def _take_prestarted() -> Kernel | None:
    """A kernel started ahead, waiting for one still starting; None when there is none."""
    while True:
        with _kernels_lock:
            if _ready:
                return _ready.pop(0)
            starting = [thread for thread in _starting if thread.is_alive()]
            _starting[:] = starting
        if not starting:
            return None
        starting[0].join()


def _warm_kernel() -> Kernel:
    kernel = getattr(_local, "kernel", None)
    if kernel is None:
        kernel = _local.kernel = _take_prestarted()
    if kernel is None or not kernel.is_alive():
        if kernel is not None:
            _discard(kernel)
        kernel = Kernel(warm=True).start()
        _local.kernel = kernel
        with _kernels_lock:
            _kernels.append(kernel)
    return kernel


def _discard(kernel: Kernel) -> None:
    if getattr(_local, "kernel", None) is kernel:
        _local.kernel = None
    with _kernels_lock:
        if kernel in _kernels:
            _kernels.remove(kernel)
    kernel.shutdown()


def shutdown_kernels() -> None:
    """Stop every warm kernel of this process (each from the thread that is calling; loops are per kernel)."""
    _abandoned.set()  # a kernel still starting ahead is killed (below) or shuts itself down once started
    with _kernels_lock:
        kernels = list(_kernels)
        _kernels.clear()
        _ready.clear()
        starting = list(_starting_kernels)
    for kernel in starting:  # its thread sees it die and cleans up
        kernel.kill_process()
    for kernel in kernels:
        try:
            kernel.shutdown()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
    _local.kernel = None


atexit.register(shutdown_kernels)


def _error(kind: str, cell_index: int | None, ename: str, evalue: str) -> dict[str, Any]:
    return {"kind": kind, "cell_index": cell_index, "ename": ename, "evalue": evalue[:2000]}


def _run(spec: JobSpec, kernel: Kernel, nb: Any, current: list[int | None]) -> dict[str, Any] | None:
    """Execute ``nb`` in ``kernel``; return the error record, or None on success."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    cwd = spec.cwd if os.path.isdir(spec.cwd) else tempfile.gettempdir()
    kernel.prepare(cwd)
    try:
        kernel.execute(nb, timeout=spec.timeout, on_cell_start=lambda i: current.__setitem__(0, i))
    except CellExecutionError as exc:
        return _error("exception", _source_index(nb, current[0]), exc.ename, exc.evalue)
    except CellTimeoutError:
        return _error("timeout", _source_index(nb, current[0]), "CellTimeoutError",
                      f"cell did not finish within {spec.timeout:g} s")
    except DeadKernelError as exc:
        last_words = kernel.stderr_tail()
        return _error("kernel_died", _source_index(nb, current[0]), "DeadKernelError",
                      (str(exc) or "kernel died") + (f"; its stderr ended: {last_words}" if last_words else ""))
    return None


def execute_spec(spec: JobSpec) -> JobRecord:
    """Run one job in this thread's warm kernel (or a fresh one when ``spec.isolated``)."""
    import nbformat

    from qyanalysis.present.html import make_provenance, notebook_to_html

    started, clock = time.time(), time.perf_counter()
    record = JobRecord(spec.county_code, spec.notebook, spec.key, "failed", started, 0.0,
                       warm=not spec.isolated, worker=f"{socket.gethostname()}:{os.getpid()}", lang=spec.lang)
    nb = None
    current: list[int | None] = [None]
    try:
        nb = parameterize(spec.source, spec.parameters)
        kernel = Kernel(warm=False).start() if spec.isolated else _warm_kernel()
        # The page's own time, not its kernel's start: the next run orders its pages by it (longest first).
        run_clock = time.perf_counter()
        try:
            record.error = _run(spec, kernel, nb, current)
        finally:
            if spec.isolated:
                kernel.shutdown()
            elif record.error is not None and record.error["kind"] in ("timeout", "kernel_died"):
                _discard(kernel)  # busy or dead: the next notebook gets a new kernel
        record.execute_s = time.perf_counter() - run_clock
        if record.error is None:
            export_clock = time.perf_counter()
            provenance = make_provenance(spec.data_hash, dict(spec.display_parameters))
            record.html = notebook_to_html(nb, title=spec.title, lang=spec.lang, provenance=provenance,
                                           banner=spec.banner, nav=spec.nav)
            record.export_s = time.perf_counter() - export_clock
            record.status = "ok"
    except Exception as exc:  # noqa: BLE001 - one job's failure must not stop the batch
        record.error = _error("internal", _source_index(nb, current[0]) if nb is not None else None,
                              type(exc).__name__, str(exc))
    if nb is not None:
        record.ipynb = nbformat.writes(nb)
    record.log = notebook_log(nb, spec, record.error)
    record.elapsed_s = time.perf_counter() - clock
    return record


def execute_spec_remote(spec: JobSpec) -> dict[str, Any]:
    """Dask task: run one job on the worker and return the record as a plain dict."""
    return execute_spec(spec).to_dict()
