"""Sparse but valid data renders: every report notebook runs on a census with only the required
columns, and every page's tables and charts are made for censuses each missing optional schools
columns, without an error; what cannot be computed says so on the page.

The census of required columns only is rendered in full: the notebooks are executed in-process, cell
by cell, in one IPython shell (the way the warm batch kernel runs them: the same code as papermill,
without starting a kernel per notebook), on a two-county extract of the demonstration data, charts
drawn as PNG.

The matrix of censuses each missing optional columns runs what those notebooks run, without the
notebooks: the extract is loaded once, and each case blanks a group of its columns (what the loader
makes of absent optional columns: test_an_absent_optional_column_loads_as_a_blank_one) — every
optional column in one case, the columns of a case never inputs of the same indicator, so each
indicator meets at most one missing input, as with one column missing (a location or teaching-point
column, read by every measure, alone) — then, for the county and the
city, shows every page's header, summary and plan items (``report.show``), every table builder's
frame and every view of its frame (the registered builders and views: what the notebooks call and
more). Each chart is built but not drawn (drawing is covered by the full rendering above and by
tests/test_notebooks.py), and the measure sources that give no indicator declaring the blanked column
are taken from the full extract (tests/measure_helpers.py: tests/test_inputs.py proves that sound).
"""

from __future__ import annotations

import functools
import sys
from dataclasses import replace
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from measure_helpers import disjoint_groups, reuse_for_columns, sources
from report_helpers import builders, call, drawn_views

from qyanalysis.contract.columns import SCHOOLS, TABLES
from qyanalysis.contract.plan import CITY_NOTEBOOK, COUNTY_NOTEBOOKS, SECTIONS
from qyanalysis.dataset import Dataset
from qyanalysis.io.validate import _typed_missing
from qyanalysis.opening import load_dataset
from qyanalysis.report import show, tables, views
from qyanalysis.report.page import Page, resolve_county
from qyanalysis.report.registry import VIEWS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DEMO = ROOT / "data" / "demo"
COUNTIES = ("441802", "441826")  # urban Qingcheng and the mountain Liannan county
COUNTY = "441826"
YEARS = (2021, 2022)
YEAR = 2022
OPTIONAL_SCHOOL_COLUMNS = tuple(c.name for c in SCHOOLS.columns if not c.required)
# The matrix's cases: 31 optional columns in 13 groups (2026-12-07; one case of about 10 s each).
BLANKED_GROUPS = disjoint_groups("schools", OPTIONAL_SCHOOL_COLUMNS)
# Words a page uses for a figure it cannot compute (zh and en catalogue entries).
NO_DATA_WORDS = ("暂无数据", "无数据", "数据中没有", "不在数据中", "no data", "not in the data")


def _extract(frame: pd.DataFrame, county_column: str = "county") -> pd.DataFrame:
    """The rows of :data:`COUNTIES` (and of :data:`YEARS` where the table has a year)."""
    rows = frame[county_column].astype(str).isin(COUNTIES)
    if "year" in frame:
        rows &= frame["year"].astype(str).isin([str(y) for y in YEARS])
    return frame[rows]


def _write(folder: Path, frames: dict[str, pd.DataFrame]) -> Path:
    """Each frame written as ``<name>.csv`` into a new ``folder``."""
    folder.mkdir(parents=True)
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def demo_tables() -> dict[str, pd.DataFrame]:
    """The two-county extract of every demo table, read as text (values written back unchanged)."""
    read = {"dtype": str, "keep_default_na": False}
    tables = {name: _extract(pd.read_csv(DEMO / f"{name}.csv", **read))
              for name in ("schools", "indicators", "tasks")}
    tables["targets_override"] = _extract(pd.read_csv(DEMO / "targets_override.csv", **read))
    teachers = pd.read_parquet(DEMO / "teachers.parquet")
    tables["teachers"] = _extract(teachers.astype({"county": str}))
    return tables


def _minimal(demo_tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Only the required tables, each with only its required columns (annual indicator rows)."""
    out = {}
    for name in ("schools", "indicators"):
        frame = demo_tables[name]
        if name == "indicators":
            frame = frame[frame["period"] == ""]
        out[name] = frame[[c for c in TABLES[name].required_columns]]
    return out


def _blank(dataset: Dataset, *columns: str) -> Dataset:
    """The loaded ``dataset`` with ``columns`` of the schools table all missing (typed as the loader types an
    absent optional column)."""
    schools = dataset.schools.copy()
    for column in columns:
        schools[column] = _typed_missing(SCHOOLS.column(column), len(schools)).set_axis(schools.index)
    return replace(dataset, schools=schools)


def _code_cells(stem: str) -> list[str]:
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"
            and "parameters" not in cell.metadata.get("tags", [])]


def render(stem: str, county: str, data_dir: Path, shell) -> str:
    """Run a notebook's cells after setting its parameters; the text of everything it displayed.

    Raises:
        AssertionError: a cell failed (the notebook would show a traceback).
    """
    from IPython.utils.capture import capture_output

    shell.user_ns.update(county=county, year=YEAR, data_dir=str(data_dir), lang="zh", as_of="")
    texts = []
    for source in _code_cells(stem):
        with capture_output() as captured:
            result = shell.run_cell(source, store_history=False, silent=True)
        if not result.success:
            error = result.error_in_exec or result.error_before_exec
            raise AssertionError(f"{stem} ({data_dir.name}): {type(error).__name__}: {error}\n{source}")
        texts += [output.data.get("text/html", output.data.get("text/plain", ""))
                  for output in captured.outputs]
        texts.append(captured.stdout)
    return "\n".join(texts)


def _render_all(data_dir: Path, shell) -> dict[str, str]:
    pages = {stem: render(stem, COUNTY, data_dir, shell) for stem in COUNTY_NOTEBOOKS}
    pages[CITY_NOTEBOOK] = render(CITY_NOTEBOOK, "city", data_dir, shell)
    return pages


def test_every_notebook_renders_a_census_of_required_columns_only(demo_tables, tmp_path, ipython_shell):
    folder = _write(tmp_path / "minimal", _minimal(demo_tables))
    pages = _render_all(folder, ipython_shell)
    # sections whose figures need optional columns say that they are missing
    for stem in ("02_development", "03_moral_education", "05_teachers"):
        assert any(word in pages[stem] for word in NO_DATA_WORDS), stem


class Draws:
    """How many charts were asked for as PNG (``stubbed``) and how many were painted (``painted``)."""

    def __init__(self) -> None:
        self.stubbed = 0
        self.painted = 0


@pytest.fixture()
def quick_pages(monkeypatch) -> Draws:
    """Charts built but not drawn (a 1×1 PNG is shown instead).

    A chart becomes PNG in :func:`qyanalysis.present.style.png_bytes`: a laid-out figure through
    ``style._draw_once``, any other through ``Figure.savefig``; both are stubbed. Every Agg paint
    is counted, so that a new way of drawing a chart shows up as ``painted > 0`` (see
    test_the_chart_stub_draws_nothing and the matrix below).
    """
    import io

    import matplotlib.figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    from qyanalysis.present import style

    buffer = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buffer, format="png")
    tiny_png = buffer.getvalue()
    draws = Draws()

    def built_only(figure, target, *args, **kwargs):
        draws.stubbed += 1
        target.write(tiny_png)

    paint = FigureCanvasAgg.draw

    def counted_paint(canvas, *args, **kwargs):
        draws.painted += 1
        return paint(canvas, *args, **kwargs)

    monkeypatch.setattr(style, "_draw_once", built_only)
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", built_only)
    monkeypatch.setattr(FigureCanvasAgg, "draw", counted_paint)
    return draws


@pytest.mark.parametrize("laid_out", [True, False], ids=["constrained-layout", "other-layout"])
def test_the_chart_stub_draws_nothing(quick_pages, laid_out):
    """The stub catches both ways png_bytes turns a chart into PNG; nothing is painted."""
    from matplotlib.figure import Figure

    from qyanalysis.present.style import new_figure, png_bytes

    if laid_out:
        fig, ax = new_figure()
    else:
        fig = Figure()
        ax = fig.subplots()
    ax.bar(["a", "b"], [1, 2])
    png = png_bytes(fig)
    assert png.startswith(b"\x89PNG") and quick_pages.stubbed == 1 and quick_pages.painted == 0


@pytest.fixture(scope="module")
def extract(demo_tables, tmp_path_factory) -> Dataset:
    """The two-county extract with every table, written as CSV and loaded once."""
    return load_dataset(_write(tmp_path_factory.mktemp("sparse") / "extract", demo_tables))


@pytest.fixture(scope="module")
def extract_sources(extract) -> list:
    """What each source of the measure frame gives for the whole extract (reused where sound)."""
    return sources(extract)


def test_an_absent_optional_column_loads_as_a_blank_one(demo_tables, extract, tmp_path):
    """What the matrix stands on: a census without its optional schools columns loads as the full census
    with those columns all missing (each of the loader's types), the other tables as they were."""
    required = list(TABLES["schools"].required_columns)
    only_required = {**demo_tables, "schools": demo_tables["schools"][required]}
    folder = _write(tmp_path / "schools_required", only_required)
    loaded = load_dataset(folder)
    pd.testing.assert_frame_equal(loaded.schools, _blank(extract, *OPTIONAL_SCHOOL_COLUMNS).schools)
    for name in ("indicators", "teachers", "tasks", "targets_override"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(extract, name), obj=name)


def _page(dataset: Dataset, county: str, section: int | None = None) -> Page:
    """The page a notebook opens (``open_page`` on the dataset already loaded)."""
    return Page(dataset, resolve_county(dataset, county), YEAR, "zh",
                SECTIONS[section - 1] if section else None)


# Builders whose frame depends on the page's section (its items): made on every section's page.
SECTION_BUILDERS = (tables.section_targets, tables.summary_targets, tables.task_progress,
                    tables.city_count_targets)


def _show_frames_and_views(page: Page, modules: set[str]) -> None:
    """The frame of every table builder of ``modules`` (``tables.MODULE_NAMES``) shown, and every
    view drawing one of them drawn from it."""
    frames = {}
    for name, builder in builders():
        module, short = name.split(".")
        if module in modules:
            frames[short] = frame = call(builder, page)
            show.show_frame(frame)
    for _name, view, builder_name in drawn_views():
        if builder_name in frames:
            show.show_view(view(frames[builder_name]))


# The table modules whose builders the county's pages and the city page show (beyond them, each league of
# section 3, and on the city page the targets' sentences and in-year trends and the balance trends'
# panels: test_the_matrix_shows_what_the_notebooks_call checks that this is what the notebooks call).
COUNTY_MODULES = set(tables.MODULE_NAMES) - {"city"}
CITY_MODULES = {"city"}


def show_all(dataset: Dataset) -> None:
    """What the report notebooks show for the county (every section's page: header, summary, items, every
    builder but the city page's, their views) and the city (the city page's builders and views)."""
    from IPython.utils.capture import capture_output

    with capture_output():
        for section in (None, *(s.number for s in SECTIONS)):
            page = _page(dataset, COUNTY, section)
            show.show_header(page)
            show.show_summary(page)
            if section is None:
                continue
            show.show_items(page, tables.section_targets(page))
            for builder in SECTION_BUILDERS:
                show.show_frame(builder(page))
            show.show_view(views.task_progress_chart(tables.task_progress(page)))
        readiness = _page(dataset, COUNTY, 2)
        show.show_header(readiness, title=tables.balance_readiness.title(readiness))
        county = _page(dataset, COUNTY)
        _show_frames_and_views(county, COUNTY_MODULES)
        for indicator in tables.moral_education.LEAGUE_INDICATORS:
            show.show_view(views.quality_league_chart(tables.quality_league(county, indicator)))
        city = _page(dataset, "city")
        show.show_header(city)
        show.show_summary(city)
        _show_frames_and_views(city, CITY_MODULES)
        targets = tables.city_targets(city)
        show.show_view(views.target_sentences(targets))
        show.show_in_year_trends(city, targets)
        show.show_view(views.trend_panels(tables.balance_cv_trends(city)))


def _called(stem: str) -> dict[str, set[str]]:
    """The names a notebook calls of ``tables``, ``views`` and ``show`` (``tables.x(...)``, ``views.y``)."""
    import ast

    called: dict[str, set[str]] = {"tables": set(), "views": set(), "show": set()}
    for node in ast.walk(ast.parse((NOTEBOOKS / f"{stem}.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in called:
            called[node.value.id].add(node.attr)
    return called


def _covered(modules: set[str], shows: set[str], extra_views: set[str]) -> dict[str, set[str]]:
    """What :func:`show_all` shows for a page kind: the builders of ``modules``, the views of their frames,
    ``extra_views`` and the ``show`` blocks ``shows``."""
    built = {name.split(".")[1] for name, _ in builders() if name.split(".")[0] in modules}
    drawn = {name.split(".")[1] for name, _, builder in drawn_views() if builder in built}
    return {"tables": built | modules, "views": drawn | extra_views, "show": shows}


def test_the_matrix_shows_what_the_notebooks_call():
    """A builder, view or show block a notebook starts to call is in :func:`show_all` (else the matrix
    would prove less than rendering the notebooks)."""
    county = _covered(COUNTY_MODULES, {"show_header", "show_summary", "show_items"},
                      {"task_progress_chart", "quality_league_chart"})
    city = _covered(CITY_MODULES, {"show_header", "show_summary", "show_in_year_trends"},
                    {"target_sentences", "trend_panels"})
    for stem, covered in [*((stem, county) for stem in COUNTY_NOTEBOOKS), (CITY_NOTEBOOK, city)]:
        for floor, names in _called(stem).items():
            assert names <= covered[floor], f"{stem} calls {floor}.{sorted(names - covered[floor])}"


@pytest.fixture(scope="module")
def made() -> dict:
    """What each view (and the house table) made of each frame so far, by the frame's pickled bytes."""
    return {}


@pytest.fixture()
def once_per_frame(monkeypatch, made) -> None:
    """Each view, and ``frame_html``, called once per distinct frame: a frame equal in every value, dtype,
    label and display spec to one already drawn gives what it gave then (a view draws its frame alone and
    computes nothing: tests/test_report_layers.py); most frames do not read the blanked column."""
    import pickle

    from matplotlib.figure import Figure

    def cached(name, function):
        @functools.wraps(function)  # the view's own name and module (tests/report_helpers reads them)
        def once(frame, *args, **kwargs):
            try:
                key = (name, pickle.dumps((frame, args, kwargs)))
            except Exception:  # noqa: BLE001 - an unpicklable frame is drawn every time
                return function(frame, *args, **kwargs)
            if key not in made:
                made[key] = function(frame, *args, **kwargs)
            shown = made[key]
            return Figure() if isinstance(shown, Figure) else shown  # a figure is released once shown

        return once

    for name, entry in VIEWS.items():
        once = cached(name, entry.function)
        monkeypatch.setattr(sys.modules[entry.function.__module__], name, once)
        monkeypatch.setitem(VIEWS, name, replace(entry, function=once))
    monkeypatch.setattr(show, "frame_html", cached("frame_html", show.frame_html))


def test_the_matrix_blanks_every_optional_column_once_and_no_indicator_s_inputs_together():
    from measure_helpers import declared

    assert sorted(sum(BLANKED_GROUPS, ())) == sorted(OPTIONAL_SCHOOL_COLUMNS)
    assert len(BLANKED_GROUPS) < len(OPTIONAL_SCHOOL_COLUMNS)
    by_column = declared("schools")
    for group in BLANKED_GROUPS:
        for n, column in enumerate(group):
            for other in group[n + 1:]:
                assert not by_column.get(column, set()) & by_column.get(other, set()), (column, other)


@pytest.mark.parametrize("columns", BLANKED_GROUPS, ids="+".join)
def test_every_page_renders_without_optional_schools_columns(extract, extract_sources, ipython_shell,
                                                             quick_pages, once_per_frame, monkeypatch,
                                                             columns):
    reuse_for_columns(monkeypatch, extract_sources, "schools", columns)
    show_all(_blank(extract, *columns))
    # the charts were built and shown, none drawn (drawing is what the required-columns census proves)
    assert quick_pages.stubbed > 0 and quick_pages.painted == 0
