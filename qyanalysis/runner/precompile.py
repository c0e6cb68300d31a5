"""``python -m qyanalysis.runner.precompile``: compile what a report run imports, once, at install time.

``make install`` installs the dependencies with uv, which (unlike pip) does not
compile their bytecode; compiling every installed package takes about 25 s on
2 cores. Importing, with bytecode writing on, just the modules a run imports —
those its kernels import (:data:`~qyanalysis.runner.kernels.WARM_MODULES`) and
those of the runner itself — compiles them in about 10 s, so that no later
process compiles them again (on a machine where ``PYTHONDONTWRITEBYTECODE``
is set, every process would otherwise do so: ~5 s more per kernel start).
"""

from __future__ import annotations

import importlib
import sys

from qyanalysis.runner.kernels import WARM_MODULES

#: What the runner's own process imports to render the pages, scorecards and workbooks.
RUNNER_MODULES: tuple[str, ...] = (
    "qyanalysis.cli", "qyanalysis.runner.batch", "qyanalysis.runner.execute", "qyanalysis.present.html",
    "qyanalysis.present.workbook", "qyanalysis.present.webfont", "nbclient", "nbformat", "papermill.parameterize",
    "jupyter_client.manager", "ipykernel.kernelapp", "ipykernel_launcher", "matplotlib_inline.backend_inline",
    "openpyxl", "tqdm",
)


def main() -> int:
    """Import :data:`WARM_MODULES` and :data:`RUNNER_MODULES` with bytecode writing on; 0, or 1 if one is missing."""
    sys.dont_write_bytecode = False
    missing = []
    for name in (*WARM_MODULES, *RUNNER_MODULES):
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        print(f"not importable: {', '.join(missing)}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
