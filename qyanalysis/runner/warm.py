"""State reset between notebooks in a warm kernel (runs INSIDE the kernel).

:func:`snapshot` is called once after the heavy imports; :func:`reset` before
every later notebook. The snapshot lives in this module, which ``%reset -f``
does not touch. See :mod:`qyanalysis.runner.kernels` for what is and is not
isolated.
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from typing import Any

_SNAPSHOT: dict[str, Any] = {}


def _pandas_options() -> dict[str, Any]:
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return {}
    try:
        keys = list(pandas._config.config._registered_options)  # the option registry
    except AttributeError:  # pragma: no cover - pandas internals moved
        return {}
    values: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key in keys:
            try:
                values[key] = pandas.get_option(key)
            except Exception:  # noqa: BLE001 - deprecated or removed options
                continue
    return values


def snapshot() -> None:
    """Remember rcParams, pandas options, ``qyanalysis.settings`` and warning filters as they are now."""
    _SNAPSHOT.clear()
    _SNAPSHOT["warnings"] = list(warnings.filters)
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None:
        if "matplotlib.pyplot" in sys.modules:  # resolve the backend before copying rcParams
            sys.modules["matplotlib.pyplot"].close("all")
        _SNAPSHOT["rcparams"] = matplotlib.rcParams.copy()
    _SNAPSHOT["pandas"] = _pandas_options()
    settings = sys.modules.get("qyanalysis.settings")
    if settings is not None:
        _SNAPSHOT["settings"] = {name: getattr(settings, name) for name in settings.names()}


def _clear_namespace(shell: Any) -> None:
    """What ``%reset -f`` does to user state, without its second garbage collection and alias reload:
    every user name goes, the output cache (``Out``, ``_``, ``__``, ``___``) and input history too."""
    namespace, hidden = shell.user_ns, shell.user_ns_hidden
    for name in [n for n in namespace if n not in hidden]:
        del namespace[name]
    history = shell.history_manager
    if history is not None:
        history.output_hist.clear()
        history.output_hist_reprs.clear()
        history.input_hist_parsed[:] = [""]
        history.input_hist_raw[:] = [""]
    displayhook = shell.displayhook
    for name in ("_", "__", "___"):
        namespace[name] = ""
        setattr(displayhook, name, "")
    for name in ("_i", "_ii", "_iii"):
        namespace[name] = ""
    for name in ("Out", "_oh"):
        if isinstance(namespace.get(name), dict):
            namespace[name].clear()


def reset(cwd: str) -> None:
    """Bring the kernel back to the state of :func:`snapshot` and ``cd`` to ``cwd``."""
    from IPython import get_ipython

    shell = get_ipython()
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
    if shell is not None:
        _clear_namespace(shell)
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None and "rcparams" in _SNAPSHOT:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matplotlib.rcParams.update(_SNAPSHOT["rcparams"])
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key, value in _SNAPSHOT.get("pandas", {}).items():
                try:
                    if pandas.get_option(key) != value:
                        pandas.set_option(key, value)
                except Exception:  # noqa: BLE001 - read-only or deprecated options
                    continue
    settings = sys.modules.get("qyanalysis.settings")
    if settings is not None and "settings" in _SNAPSHOT:
        # a notebook may assign qyanalysis.settings.NAME; the next one starts from the defaults
        for name in set(settings.names()) - set(_SNAPSHOT["settings"]):
            delattr(settings, name)
        for name, value in _SNAPSHOT["settings"].items():
            setattr(settings, name, value)
    if "warnings" in _SNAPSHOT:
        warnings.filters[:] = _SNAPSHOT["warnings"]
        getattr(warnings, "_filters_mutated", lambda: None)()  # drop the per-module "once" registries
    os.chdir(cwd)
    _collect_garbage()


#: Every this many notebooks a warm kernel's garbage collection scans the whole heap again.
FULL_SWEEP_EVERY = 25
_RESETS = [0]


def _collect_garbage() -> None:
    """Free the previous notebook's garbage (figures and frames in reference cycles) without rescanning
    what the kernel keeps from notebook to notebook.

    The objects that survive a collection (the imported modules, the loaded
    dataset, the memoised results) are frozen (:func:`gc.freeze`), so the next
    collection scans only what the next notebook makes: a full collection of a
    warm kernel's heap takes 0.15–0.3 s, about a tenth of a short notebook.
    Every :data:`FULL_SWEEP_EVERY` notebooks the frozen objects are thawed and
    the whole heap is collected, so that a cycle among them that has become
    garbage (a memoised result evicted, say) is freed too.
    """
    _RESETS[0] += 1
    if _RESETS[0] % FULL_SWEEP_EVERY == 0:
        gc.unfreeze()
    gc.collect()
    gc.freeze()
