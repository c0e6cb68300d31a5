"""Sparse but valid data renders: every report notebook runs on a census with only the required
columns, and on censuses each missing one optional schools column, without an error; what cannot
be computed says so on the page.

The notebooks are executed in-process, cell by cell, in one IPython shell (the way the warm batch
kernel runs them: the same code as papermill, without starting a kernel per notebook), on a
two-county extract of the demonstration data. The census of required columns only is rendered
in full (PNG charts). To keep the matrix of one-column-missing censuses within minutes, there
each chart is built but not drawn (drawing is covered by the full rendering above and by
tests/test_notebooks.py) and a scorecard is computed once per dataset, county and year (every
section notebook of a county asks for the same one).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

import qyanalysis.attainment as attainment
from qyanalysis.contract.columns import SCHOOLS, TABLES
from qyanalysis.contract.plan import CITY_NOTEBOOK, COUNTY_NOTEBOOKS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DEMO = ROOT / "data" / "demo"
COUNTIES = ("441802", "441826")  # urban Qingcheng and the mountain Liannan county
COUNTY = "441826"
YEARS = (2021, 2022)
YEAR = 2022
OPTIONAL_SCHOOL_COLUMNS = tuple(c.name for c in SCHOOLS.columns if not c.required)
# Words a page uses for a figure it cannot compute (zh and en catalogue entries).
NO_DATA_WORDS = ("暂无数据", "无数据", "数据中没有", "不在数据中", "no data", "not in the data")


def _extract(frame: pd.DataFrame, county_column: str = "county") -> pd.DataFrame:
    rows = frame[county_column].astype(str).isin(COUNTIES)
    if "year" in frame:
        rows &= frame["year"].astype(str).isin([str(y) for y in YEARS])
    return frame[rows]


def _write(folder: Path, tables: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir(parents=True)
    for name, frame in tables.items():
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


def _without(demo_tables: dict[str, pd.DataFrame], column: str) -> dict[str, pd.DataFrame]:
    """Every table of the extract; the schools table without ``column`` (the demo may not have it)."""
    return {**demo_tables, "schools": demo_tables["schools"].drop(columns=[column], errors="ignore")}


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
    """Charts built but not drawn (a 1×1 PNG is shown instead); scorecards computed once.

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

    computed: dict = {}
    scorecard = attainment.scorecard

    def once(dataset, county, year, *args, **kwargs):
        key = (id(dataset), county, year, args, tuple(sorted(kwargs.items())))
        if key not in computed:
            computed[key] = scorecard(dataset, county, year, *args, **kwargs)
        return computed[key].copy()

    monkeypatch.setattr(style, "_draw_once", built_only)
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", built_only)
    monkeypatch.setattr(FigureCanvasAgg, "draw", counted_paint)
    monkeypatch.setattr(attainment, "scorecard", once)
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


@pytest.mark.parametrize("column", OPTIONAL_SCHOOL_COLUMNS)
def test_every_notebook_renders_without_one_optional_schools_column(demo_tables, tmp_path, ipython_shell,
                                                                    quick_pages, column):
    folder = _write(tmp_path / f"without_{column}", _without(demo_tables, column))
    _render_all(folder, ipython_shell)
    # the charts were built and shown, none drawn (drawing is what the required-columns census proves)
    assert quick_pages.stubbed > 0 and quick_pages.painted == 0
