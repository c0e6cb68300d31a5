"""Walking the report floor's two layers: every table builder, every view with the builder it draws, and
a builder called with sample arguments taken from the page (test_report_layers.py, test_sparse_data.py)."""

from __future__ import annotations

import inspect

import pandas as pd

from qyanalysis.report import tables, views
from qyanalysis.report.page import Page


def builders() -> list[tuple[str, object]]:
    """Every table builder: a public function of a ``tables.MODULES`` module, first parameter ``page``,
    returning a frame (by its annotation)."""
    found = []
    for module in tables.MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            signature = inspect.signature(function)
            parameters = list(signature.parameters)
            if parameters and parameters[0] == "page" and signature.return_annotation in ("pd.DataFrame",
                                                                                          pd.DataFrame):
                found.append((f"{module.__name__.rsplit('.', 1)[1]}.{name}", function))
    return found


def drawn_views() -> list[tuple[str, object, str]]:
    """Every view of ``views.MODULES`` with the name of the table builder whose frame it draws."""
    return [(f"{module.__name__.rsplit('.', 1)[1]}.{name}", getattr(module, name), builder)
            for module in views.MODULES for name, builder in module.DRAWS.items()]


def call(builder, page: Page) -> pd.DataFrame:
    """A builder called on the page; arguments beyond the page are taken from the page's own rows
    (the first item with targets and tasks, the first target with an in-year forecast; for a comparison of
    one indicator, the first target of item 13 with a value)."""
    parameters = [p for p in inspect.signature(builder).parameters.values()
                  if p.name != "page" and p.default is inspect.Parameter.empty]
    arguments = {}
    card = page.scorecard
    names = {p.name for p in parameters}
    if "indicator" in names:
        row = card[(card["item"] == 13) & card["value"].notna()].iloc[0]
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
