"""The report floor's registers: every table builder and every view declares itself, once, where it is written.

A table builder (a page → a labelled frame, ``qyanalysis.report.tables``) is marked ``@builder``; a view
(a frame → a figure or HTML, ``qyanalysis.report.views``) is marked ``@view("builder_name")``, naming the
builder whose frame it draws. ``tables.<name>`` and ``views.<name>`` read these registers (each package
imports its modules, which registers them), so adding a chart is three places: a builder, a view, a
notebook cell — no import list, no ``__all__``, no table of which view draws what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

F = TypeVar("F", bound=Callable)

#: Builder name → the builder (its function name; one name, one builder across the section modules).
BUILDERS: dict[str, Callable] = {}


@dataclass(frozen=True)
class View:
    """A registered view: the function and the name of the builder whose frame it draws."""

    function: Callable
    draws: str


#: View name → the view and what it draws.
VIEWS: dict[str, View] = {}


def _add(register: dict, name: str, entry: object, same: Callable[[object], bool]) -> None:
    """Put ``entry`` under ``name``; a second, different entry under one name is an error (re-importing a
    module registers the same function again, which is allowed)."""
    if name in register and not same(register[name]):
        raise ValueError(f"two report functions named {name!r}: names are unique across the section modules")
    register[name] = entry


def builder(function: F) -> F:
    """Register a table builder under its function name (a decorator)."""
    _add(BUILDERS, function.__name__, function,
         lambda known: known.__qualname__ == function.__qualname__ and known.__module__ == function.__module__)
    return function


def view(draws: str) -> Callable[[F], F]:
    """Register a view under its function name, drawing the frame of the builder ``draws`` (a decorator)."""

    def register(function: F) -> F:
        _add(VIEWS, function.__name__, View(function, draws),
             lambda known: known.function.__module__ == function.__module__)
        return function

    return register


def lookup(register: dict, name: str, package: str) -> object:
    """``register[name]`` for a package's ``__getattr__``; an unknown name is an AttributeError."""
    try:
        return register[name]
    except KeyError:
        raise AttributeError(f"module {package!r} has no attribute {name!r}") from None


def import_modules(package: str, path: list[str]) -> list[str]:
    """Import every module of a package (each registers what it defines); their names, in file order."""
    import importlib
    import pkgutil

    names = sorted(info.name for info in pkgutil.iter_modules(path) if not info.name.startswith("_"))
    for name in names:
        importlib.import_module(f"{package}.{name}")
    return names
