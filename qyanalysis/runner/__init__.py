"""The batch runner: jobs (county × notebook), kernels, Dask, cache and manifest, atomic writes.

The only part of the package that knows about kernels, processes, Dask or the
output folder layout (docs/design.md, “Output layout”). ``qyanalysis run`` calls
:func:`run_from_cli`; Python callers use :func:`run_batch` with
:class:`RunOptions`.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any


def defer_iri_grammars() -> bool:
    """Load ``rfc3987_syntax`` when jsonschema first checks an IRI, not when nbformat imports jsonschema.

    jsonschema (imported by nbformat, nbclient and nbconvert) imports ``rfc3987_syntax`` where it is
    installed (jupyterlab's ``jsonschema[format-nongpl]``), and that module compiles its 38 grammars on
    import: about 3 s of CPU in every run, though a run never checks an IRI (jsonschema issue #1428). A
    stand-in module is registered whose ``is_valid_syntax`` imports the real one on its first call and
    gives its answer, so every check gives what it gave. True when the stand-in was registered.
    """
    name = "rfc3987_syntax"
    if name in sys.modules or "jsonschema" in sys.modules or importlib.util.find_spec(name) is None:
        return False
    stand_in = types.ModuleType(name)

    def is_valid_syntax(*args: Any, **kwargs: Any) -> bool:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        return importlib.import_module(name).is_valid_syntax(*args, **kwargs)

    stand_in.is_valid_syntax = is_valid_syntax
    sys.modules[name] = stand_in
    return True


defer_iri_grammars()

from qyanalysis.runner.batch import (  # noqa: E402 - after the stand-in
    RunOptions, RunStoppedError, RunSummary, format_summary, run_batch)

__all__ = ["RunOptions", "RunStoppedError", "RunSummary", "format_summary", "run_batch", "run_from_cli"]


def run_from_cli(args: Any, *, load_dataset: Callable[[Path], Any] | None = None,
                 scorecard: Callable[[Any, str, int], Any] | None = None) -> int:
    """Run ``qyanalysis run`` with the parsed ``args``; print the summary; return the exit code.

    UsageError and DataValidationError propagate to ``qyanalysis.cli.main`` (exit 2).
    A run that could not go on writing (:class:`RunStoppedError`) prints one
    line and exits 1: some reports were not made, those finished are kept.
    """
    options = RunOptions.from_args(args)
    if getattr(args, "pdf", False):
        from qyanalysis.runner.chromium import find_chromium

        find_chromium(getattr(args, "chromium", None))  # no browser: say so before rendering anything
    try:
        summary = run_batch(options, load_dataset=load_dataset, scorecard=scorecard)
    except RunStoppedError as exc:
        print(f"qyanalysis: error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(format_summary(summary), file=sys.stderr if summary.failures else sys.stdout)
    if not getattr(args, "pdf", False):
        return summary.exit_code
    from qyanalysis.runner.pdf import pdf_from_cli

    # The run's year (--year may have been left to the data) and counties (by code, as run.json lists them).
    printed = pdf_from_cli(_pdf_args(args, summary.year))
    return max(summary.exit_code, printed)


def _pdf_args(args: Any, year: int) -> Any:
    """The ``qyanalysis pdf`` options of a ``run --pdf``."""
    from argparse import Namespace

    from qyanalysis.runner.pdf import run_codes

    langs = RunOptions.from_args(args).langs
    counties = run_codes(Path(args.out), year, langs[0]) if args.county else None
    return Namespace(out=args.out, year=year, county=counties, chromium=getattr(args, "chromium", None),
                     force=args.force, lang=list(langs))
