"""Jupyter kernels for the runner: fresh ones, and warm ones reused from notebook to notebook.

A :class:`Kernel` owns one ipykernel process, talks to it over the ``ipc``
transport (Unix sockets in a private temporary folder, so parallel kernels
never race for TCP ports — papermill issue #511) and executes notebooks in it
with nbclient. Each kernel has its own asyncio loop, so it may live in any
thread, but only one thread may use it at a time.

Warm reuse (the default; ``--isolated`` turns it off). A warm kernel imports
the heavy modules once (:data:`WARM_MODULES`), then before every notebook runs
:func:`qyanalysis.runner.warm.reset` with history off, which

- clears the user namespace and the input/output history (what ``%reset -f``
  does, without its alias reload and second garbage collection: 0.12 s
  instead of 0.21 s per notebook, measured),
- closes every matplotlib figure and restores ``rcParams`` (so seaborn themes
  and style changes do not carry over),
- restores pandas options and the ``warnings`` filters,
- changes back to the working folder, and
- runs the garbage collector.

It does NOT isolate: module-level state of imported libraries (caches such as
``functools.lru_cache`` inside qyanalysis, monkeypatches, registered codecs or
fonts), ``sys.modules`` and ``sys.path``, environment variables, the global
NumPy / ``random`` generators, threads or open files a notebook left behind,
IPython configuration changed by magics, and memory growth. A notebook that
times out or kills its kernel leaves nothing behind: the kernel is discarded
and the next notebook gets a new one.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

KERNEL_NAME = "python3"
STARTUP_TIMEOUT_S = 120.0
LIVENESS_POLL_S = 0.5
# Imported once per warm kernel; optional ones are skipped when absent.
WARM_MODULES: tuple[str, ...] = (
    "numpy", "pandas", "matplotlib", "matplotlib.pyplot", "IPython.display",
    "qyanalysis", "qyanalysis.io", "qyanalysis.verdicts.attainment", "qyanalysis.measures",
    "qyanalysis.present.charts", "qyanalysis.present.labels", "qyanalysis.present.narrative",
    "qyanalysis.report", "qyanalysis.verdicts.forecast",
)
STDERR_FILE = "kernel-stderr.log"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# Kernels started by this process and not yet shut down, whatever thread drives them.
_LIVE: set["Kernel"] = set()
_LIVE_LOCK = threading.Lock()
# Each kernel's folder (connection file, sockets, stderr log) in the temporary folder, with the pid of the
# process that drives it: a run killed outright cannot remove its folders, the next one does.
KERNEL_DIR_PREFIX = "qyanalysis-kernel-"
OWNER_FILE = "runner.pid"


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_orphaned_kernel_folders(folder: str | None = None) -> int:
    """Remove the kernel folders in ``folder`` (default: the temporary folder) whose driving process no
    longer exists (a run killed outright); a folder of a live process, or without its owner file, is
    kept. Returns how many were removed."""
    removed = 0
    for path in Path(folder or tempfile.gettempdir()).glob(f"{KERNEL_DIR_PREFIX}*"):
        try:
            pid = int((path / OWNER_FILE).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        if pid != os.getpid() and not _process_exists(pid):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


@functools.cache
def _remove_orphaned_kernel_folders_once() -> int:
    """:func:`remove_orphaned_kernel_folders` once per process, before its first kernel's folder."""
    return remove_orphaned_kernel_folders()


def kill_live_kernels() -> int:
    """Kill the process of every live kernel of this process at once; return how many were signalled.

    Safe from any thread: it sends a signal and touches no kernel's event loop.
    Used when a run is interrupted (Ctrl-C) or abandoned (a write error): a
    notebook still executing would otherwise be waited for, up to its cell
    timeout. Its worker thread then sees a dead kernel and returns at once.
    """
    with _LIVE_LOCK:
        kernels = list(_LIVE)
    return sum(kernel.kill_process() for kernel in kernels)


def kernel_environment() -> dict[str, str]:
    """Environment of a kernel process: inline figures even under ``MPLBACKEND=Agg``."""
    env = dict(os.environ)
    env["MPLBACKEND"] = INLINE_BACKEND
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # silences the debugger's frozen-modules notice
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def _warm_code(modules: tuple[str, ...]) -> str:
    return (
        "import importlib as _il\n"
        f"for _m in {list(modules)!r}:\n"
        "    try:\n"
        "        _il.import_module(_m)\n"
        "    except ImportError:\n"
        "        pass\n"
        "from qyanalysis.runner import warm as _qy_warm\n"
        "_qy_warm.snapshot()\n"
    )


def _preload_code(data_dir: str) -> str:
    """Load and validate the run's data in a warm kernel before its first notebook (kept per kernel by
    ``qyanalysis.report.page.load_data``); a failure is left for the first notebook to report."""
    return ("try:\n"
            "    from qyanalysis.report.page import load_data as _qy_load\n"
            f"    _qy_load({data_dir!r})\n"
            "except Exception:\n"
            "    pass\n"
            "_qy_load = None\n")


def _reset_code(cwd: str) -> str:
    return f"from qyanalysis.runner import warm as _qy_warm\n_qy_warm.reset({cwd!r})\n"


class KernelSetupError(RuntimeError):
    """The kernel could not be started or prepared."""


class Kernel:
    """One ipykernel process driven over ``ipc`` sockets.

    Args:
        warm: Pre-import :data:`WARM_MODULES` and reset state between notebooks.
        data_dir: With ``warm``, a data folder to load once started ("" = the demo data; None: none).
    """

    def __init__(self, *, warm: bool = True, data_dir: str | None = None) -> None:
        self.warm = warm
        self.data_dir = data_dir
        self.notebooks_run = 0
        self._loop = asyncio.new_event_loop()
        _remove_orphaned_kernel_folders_once()
        self._dir = tempfile.mkdtemp(prefix=KERNEL_DIR_PREFIX)
        Path(self._dir, OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
        self.km: Any = None
        self.kc: Any = None
        self.pid: int | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, stop: threading.Event | None = None) -> "Kernel":
        """Start the kernel process (and warm it up); :class:`KernelSetupError` when ``stop`` is set by the
        time the process is up (a kernel started ahead for a run that was refused meanwhile)."""
        self._loop.run_until_complete(self._start())
        with _LIVE_LOCK:
            _LIVE.add(self)
        if stop is not None and stop.is_set():
            raise KernelSetupError("no longer needed")
        if self.warm:
            self.run_code(_warm_code(WARM_MODULES), timeout=STARTUP_TIMEOUT_S)
            if self.data_dir is not None:
                self.run_code(_preload_code(self.data_dir), timeout=STARTUP_TIMEOUT_S)
        return self

    async def _start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager

        connection_file = os.path.join(self._dir, f"kernel-{uuid.uuid4().hex}.json")
        self.km = AsyncKernelManager(kernel_name=KERNEL_NAME, transport="ipc",
                                     connection_file=connection_file)
        # The kernel process writes to files of its own, not to the runner's stdout/stderr: whoever reads
        # the runner's output (a terminal, a script capturing it) never waits for a kernel to end, and a
        # kernel's low-level messages do not break the progress bar. A dead kernel's last words are kept
        # for its notebook's error (:meth:`stderr_tail`).
        with open(os.path.join(self._dir, STDERR_FILE), "wb") as stderr:
            await self.km.start_kernel(env=kernel_environment(), stdout=subprocess.DEVNULL, stderr=stderr,
                                       extra_arguments=["--HistoryManager.hist_file=:memory:"])
        self.pid = getattr(self.km.provisioner, "pid", None)
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            await self.kc.wait_for_ready(timeout=STARTUP_TIMEOUT_S)
        except RuntimeError as exc:
            await self._shutdown()
            raise KernelSetupError(f"kernel did not start: {exc}") from exc
        self.kc.allow_stdin = False

    def stderr_tail(self, limit: int = 2000) -> str:
        """The last ``limit`` characters the kernel process wrote to its stderr ("" when none)."""
        try:
            with open(os.path.join(self._dir, STDERR_FILE), "rb") as stream:
                stream.seek(0, os.SEEK_END)
                stream.seek(max(0, stream.tell() - limit))
                return stream.read().decode("utf-8", "replace").strip()
        except OSError:
            return ""

    def is_alive(self) -> bool:
        """Whether the kernel process still runs."""
        return self.km is not None and bool(self._loop.run_until_complete(self.km.is_alive()))

    def kill_process(self) -> bool:
        """Send SIGKILL to the kernel process (from any thread); False when it is not running."""
        if self.pid is None or self._loop.is_closed():
            return False
        try:
            os.kill(self.pid, getattr(signal, "SIGKILL", signal.SIGTERM))
        except (ProcessLookupError, PermissionError):
            return False
        return True

    def shutdown(self) -> None:
        """Stop the kernel at once and remove its sockets."""
        with _LIVE_LOCK:
            _LIVE.discard(self)
        if self._loop.is_closed():
            return
        try:
            self._loop.run_until_complete(self._shutdown())
        finally:
            self._loop.close()
            shutil.rmtree(self._dir, ignore_errors=True)

    async def _shutdown(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            try:
                if await self.km.is_alive():
                    await self.km.shutdown_kernel(now=True)
            except RuntimeError:
                pass
            finally:
                await self.km.cleanup_resources()
                self.km = None

    # -- execution ---------------------------------------------------------------------------
    def run_code(self, code: str, *, timeout: float) -> None:
        """Run ``code`` silently (no history); :class:`KernelSetupError` if it fails or the kernel dies."""
        reply = self._loop.run_until_complete(self._run_code(code, timeout))
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise KernelSetupError(f"{content.get('ename')}: {content.get('evalue')}")

    async def _run_code(self, code: str, timeout: float) -> dict[str, Any]:
        """The reply to ``code``; a kernel dying meanwhile is noticed within a second."""
        reply = asyncio.ensure_future(self.kc.execute_interactive(code, store_history=False, timeout=timeout,
                                                                  output_hook=lambda msg: None))
        try:
            while True:
                done, _ = await asyncio.wait({reply}, timeout=LIVENESS_POLL_S)
                if done:
                    return reply.result()
                if not await self.km.is_alive():
                    raise KernelSetupError("the kernel died")
        finally:
            if not reply.done():
                reply.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await reply

    def prepare(self, cwd: str) -> None:
        """Reset the state a previous notebook left (warm kernels only)."""
        if self.warm and self.notebooks_run:
            self.run_code(_reset_code(cwd), timeout=60.0)
        elif self.notebooks_run == 0:
            self.run_code(f"import os as _os\n_os.chdir({cwd!r})\ndel _os\n", timeout=60.0)

    def execute(self, nb: Any, *, timeout: float | None,
                on_cell_start: Callable[[int], None] | None = None) -> Any:
        """Execute every code cell of ``nb`` (in place) and return it.

        Raises whatever nbclient raises: ``CellExecutionError``, ``CellTimeoutError``,
        ``DeadKernelError``.
        """
        from nbclient import NotebookClient

        async def hook(cell: Any, cell_index: int) -> None:
            if on_cell_start is not None:
                on_cell_start(cell_index)

        client = NotebookClient(nb, km=self.km, timeout=timeout, kernel_name=KERNEL_NAME,
                                allow_errors=False, interrupt_on_timeout=False,
                                record_timing=True, on_cell_start=hook)
        client.kc = self.kc
        self.notebooks_run += 1
        return self._loop.run_until_complete(client.async_execute())
