"""The report floor's two layers, walked whole: every table builder gives a labelled, safe frame; every view
draws the frame it is given and computes nothing.

The walks read the registers (``@builder``, ``@view``: :mod:`qyanalysis.report.registry`) and every
module of both packages, so a module or a function added to either is checked without a new test.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pandas as pd
import pytest
from IPython.display import HTML
from matplotlib.figure import Figure
from report_helpers import builders, call, drawn_views, looks_like_builder, table_modules, view_modules

from qyanalysis.present.labels import has_label
from qyanalysis.report import open_page, tables, views
from qyanalysis.report.frames import frame_html, is_small_count, spec_of
from qyanalysis.report.page import Page

YEAR = 2022
COUNTY = "441803"
UNITS = [(COUNTY, "zh"), (COUNTY, "en"), ("city", "zh"), ("city", "en")]
# Views draw in either language the same way: a county page in Chinese and the city page in English.
VIEW_UNITS = [(COUNTY, "zh"), ("city", "en")]
# Imports a view module may not make: the computing floors, the page, and (below) any other view module.
FORBIDDEN_IN_VIEWS = ("qyanalysis.measures", "qyanalysis.verdicts.attainment", "qyanalysis.report.page",
                      "qyanalysis.report.tables")


@pytest.fixture(scope="module")
def pages() -> dict[tuple[str, str], Page]:
    return {(county, lang): open_page(county, YEAR, "", lang) for county, lang in UNITS}


def test_the_walks_find_the_builders_and_views():
    names = {name for name, _ in builders()}
    assert {"common.item_targets", "overview.status_by_section", "city.county_context",
            "development.balance_cvs"} <= names
    assert {name for name, _, _ in drawn_views()} >= {"common.summary_chart", "city.county_maps"}


@pytest.mark.parametrize("county,lang", UNITS)
def test_every_table_builder_gives_a_labelled_frame_without_small_counts(pages, county, lang):
    page = pages[(county, lang)]
    for name, builder in builders():
        frame = call(builder, page)
        assert isinstance(frame, pd.DataFrame), name
        spec = spec_of(frame)
        assert spec is not None, f"{name}: no display spec (build it with frames.labelled)"
        assert spec.lang == lang, name
        shown = spec.columns or tuple(frame.columns)
        unlabelled = [c for c in shown if c not in spec.headers and not has_label(f"column.{c}")]
        assert not unlabelled, f"{name}: columns without a header {unlabelled}"
        for column in spec.counts:
            assert not is_small_count(frame[column].astype("float64")).any(), f"{name}: a count of 1–4 in {column}"
        frame_html(frame)  # the frame can be shown


@pytest.mark.parametrize("county,lang", VIEW_UNITS)
def test_every_view_draws_its_frame_alone(pages, county, lang):
    page = pages[(county, lang)]
    available = dict(builders())
    by_name = {name.rsplit(".", 1)[1]: builder for name, builder in available.items()}
    for name, view, builder_name in drawn_views():
        assert builder_name in by_name, f"{name} draws {builder_name!r}, which is no table builder"
        frame = call(by_name[builder_name], page)
        shown = view(frame)  # given the frame only: nothing else to compute from
        assert isinstance(shown, (Figure, HTML)), f"{name} returned {type(shown).__name__}"
        if isinstance(shown, Figure):
            shown.clear()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("module", view_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_no_view_module_imports_a_computing_floor_or_another_view(module):
    imported = _imports(Path(module.__file__))
    own = module.__name__
    siblings = {m.__name__ for m in view_modules() if m.__name__ not in (own, "qyanalysis.report.views.common")}
    bad = {name for name in imported
           if any(name == f or name.startswith(f + ".") for f in (*FORBIDDEN_IN_VIEWS, *siblings))
           or name in ("qyanalysis.verdicts.rules", "qyanalysis.report.show")}
    assert not bad, f"{own} imports {sorted(bad)}"


@pytest.mark.parametrize("module", table_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_every_builder_of_a_table_module_is_registered(module):
    """A public function page → frame is a builder, so it registers (``@builder``): the walks, the sparse
    matrix and ``tables.<name>`` see it; a view draws only a registered builder's frame."""
    registered = {name for name, _ in builders()}
    short = module.__name__.rsplit(".", 1)[1]
    for name, function in vars(module).items():
        if callable(function) and getattr(function, "__module__", "") == module.__name__ \
                and inspect.isfunction(function) and looks_like_builder(module, name, function):
            assert f"{short}.{name}" in registered, f"{short}.{name} is not registered (@builder)"
    assert {draws for _, _, draws in drawn_views()} <= {name.split(".")[1] for name in registered}


@pytest.mark.parametrize("module", table_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_no_table_module_imports_a_view(module):
    imported = _imports(Path(module.__file__))
    assert not {name for name in imported if name.startswith("qyanalysis.report.views")
                or name == "qyanalysis.report.show"}, module.__name__


def test_adding_a_chart_is_a_builder_a_view_and_a_notebook_cell(request):
    """The three places of a new chart: a builder and a view that register themselves, and the cell a
    notebook runs (``tables.<name>(page)``, then ``views.<name>(frame)``); the walks above see both."""
    from qyanalysis.report.frames import labelled
    from qyanalysis.report.registry import BUILDERS, VIEWS, builder, view

    @builder
    def pupils_by_level(page) -> pd.DataFrame:
        schools = page.dataset.schools
        rows = schools[schools["year"] == page.year].groupby("level", as_index=False)["students"].sum()
        return labelled(rows, page.lang, counts=("students",))

    @view("pupils_by_level")
    def pupils_by_level_chart(frame: pd.DataFrame) -> Figure:
        from qyanalysis.present.style import new_figure

        fig, ax = new_figure()
        ax.barh(frame["level"].astype(str), frame["students"].fillna(0))
        return fig

    request.addfinalizer(lambda: (BUILDERS.pop("pupils_by_level"), VIEWS.pop("pupils_by_level_chart")))
    cell = "frame = tables.pupils_by_level(page)\nchart = views.pupils_by_level_chart(frame)\n"
    namespace = {"tables": tables, "views": views, "page": open_page("441826", 2022, "", "en")}
    exec(compile(cell, "<notebook cell>", "exec"), namespace)  # noqa: S102 - the cell a notebook would run
    assert isinstance(namespace["chart"], Figure) and namespace["frame"]["students"].sum() > 0
    assert ("test_report_layers.pupils_by_level_chart", pupils_by_level_chart, "pupils_by_level") in drawn_views()
