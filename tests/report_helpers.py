"""Walking the report floor's two layers: every table builder, every view with the builder it draws, and
a builder called with sample arguments taken from the page (test_report_layers.py, test_sparse_data.py)."""

from __future__ import annotations

import importlib
import inspect

import pandas as pd

from qyanalysis.report import tables, views
from qyanalysis.report.page import Page
from qyanalysis.report.registry import BUILDERS, VIEWS


def table_modules() -> list:
    """The section modules of ``qyanalysis.report.tables``, in file order."""
    return [importlib.import_module(f"{tables.__name__}.{name}") for name in tables.MODULE_NAMES]


def view_modules() -> list:
    """The section modules of ``qyanalysis.report.views``, in file order."""
    return [importlib.import_module(f"{views.__name__}.{name}") for name in views.MODULE_NAMES]


def builders() -> list[tuple[str, object]]:
    """Every registered table builder as ("module.name", function) (``@builder``)."""
    return [(f"{function.__module__.rsplit('.', 1)[-1]}.{name}", function) for name, function in BUILDERS.items()]


def drawn_views() -> list[tuple[str, object, str]]:
    """Every registered view as ("module.name", function, the name of the builder whose frame it draws)."""
    return [(f"{entry.function.__module__.rsplit('.', 1)[-1]}.{name}", entry.function, entry.draws)
            for name, entry in VIEWS.items()]


def looks_like_builder(module, name: str, function) -> bool:
    """A public function of a table module whose first parameter is ``page`` and that returns a frame."""
    signature = inspect.signature(function)
    parameters = list(signature.parameters)
    return (function.__module__ == module.__name__ and not name.startswith("_") and parameters[:1] == ["page"]
            and signature.return_annotation in ("pd.DataFrame", pd.DataFrame))


def call(builder, page: Page) -> pd.DataFrame:
    """A builder called on the page; arguments beyond the page are taken from the page's own rows
    (the first item with targets and tasks, the first target with an in-year forecast; for a comparison of
    one indicator, the first target of item 13 with a value, else its first target)."""
    parameters = [p for p in inspect.signature(builder).parameters.values()
                  if p.name != "page" and p.default is inspect.Parameter.empty]
    arguments = {}
    card = page.scorecard
    names = {p.name for p in parameters}
    if "indicator" in names:
        item = card[card["item"] == 13].sort_values("value", key=lambda v: v.isna(), kind="stable")
        row = item.iloc[0]
        arguments["indicator"] = str(row["indicator"])
        if "target_id" in names:
            arguments["target_id"] = str(row["target_id"])
        parameters = [p for p in parameters if p.name not in ("indicator", "target_id")]
    for parameter in parameters:
        if parameter.name == "item":
            arguments["item"] = int(card.loc[card["forecast"].notna(), "item"].iloc[0])
        elif parameter.name == "target_id":
            row = card[card["forecast"].notna()].iloc[0]
            arguments.update(target_id=str(row["target_id"]), county_code=str(row["county_code"]))
        else:
            raise AssertionError(f"{builder.__name__}: no sample value for parameter {parameter.name!r}")
    return builder(page, **arguments)


def without_table_script(page_html: str) -> str:
    """A page's HTML without its one table script (``present/templates/sort.js``, exactly as the package ships
    it); fails when the page carries it more than once. Any other script, or this one changed by a byte,
    stays for the caller's checks."""
    from qyanalysis.present.html import TABLE_SCRIPT

    ours = f"<script>{TABLE_SCRIPT}</script>"
    assert page_html.count(ours) <= 1, "the table script appears more than once"
    return page_html.replace(ours, "")
