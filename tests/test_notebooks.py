"""The notebooks: paired with their .py files, committed clean, parameterised per docs/design.md, and
executing without errors or warnings on the demo data."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from qyanalysis.contract.plan import (
    CITY_NOTEBOOK,
    COUNTY_NOTEBOOKS,
    EXPLORE_NOTEBOOK,
    GETTING_STARTED_NOTEBOOK,
    READINESS_NOTEBOOK,
    TUTORIAL_NOTEBOOKS,
)

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
ALL = (*COUNTY_NOTEBOOKS, CITY_NOTEBOOK, *TUTORIAL_NOTEBOOKS)
# Report notebooks import only the public API; the researchers' tutorials may also use the stdlib, the
# methods text generator and the tools the package is built on (pandas, numpy, seaborn, statsmodels' formulas).
REPORT_IMPORTS = (r"import qyanalysis as qy$", r"from qyanalysis(\.report)? import ")
STDLIB_IMPORTS = r"(import (shutil|tempfile)|from pathlib import Path)$"
TOOL_IMPORTS = (r"import (pandas as pd|numpy as np|seaborn as sns|statsmodels\.formula\.api as smf)$",
                r"from IPython\.display import Markdown$")
TUTORIAL_IMPORTS = (*REPORT_IMPORTS, STDLIB_IMPORTS, *TOOL_IMPORTS, r"from qyanalysis\.report import methods$")
PARAMETERS = {"county": "str", "year": "int", "data_dir": "str", "lang": "str", "as_of": "str"}


def _sources(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


@pytest.mark.parametrize("stem", ALL)
def test_notebook_and_its_py_file_are_in_sync(stem):
    ipynb = jupytext.read(NOTEBOOKS / f"{stem}.ipynb")
    py = jupytext.read(NOTEBOOKS / f"{stem}.py")
    assert _sources(ipynb) == _sources(py), f"run `make sync-notebooks` ({stem})"
    assert ipynb.metadata["jupytext"]["formats"] == "ipynb,py:percent"


@pytest.mark.parametrize("stem", ALL)
def test_notebook_is_committed_without_outputs(stem):
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, stem


@pytest.mark.parametrize("stem", ALL)
def test_parameters_cell_is_first_typed_and_commented(stem):
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    first = code[0]
    assert "parameters" in first.metadata.get("tags", []), stem
    declared = {}
    for node in ast.parse(first.source).body:
        assert isinstance(node, ast.AnnAssign), f"{stem}: only typed assignments in the parameters cell"
        declared[node.target.id] = ast.unparse(node.annotation)
    assert declared == PARAMETERS, stem
    for line in first.source.splitlines():
        assert "#" in line, f"{stem}: every parameter is commented: {line!r}"
    assert re.search(r'^lang: str = "zh"', first.source, re.M)


@pytest.mark.parametrize("stem", ALL)
def test_notebooks_hold_no_literal_paths_and_import_only_the_public_api(stem):
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not re.search(r"['\"](/|\.\./|data/|reports/)", cell.source), stem
        for line in cell.source.splitlines():
            if line.startswith(("import ", "from ")):
                allowed = TUTORIAL_IMPORTS if stem in TUTORIAL_NOTEBOOKS else REPORT_IMPORTS
                assert any(re.match(pattern, line) for pattern in allowed), line


def _execute(stem: str, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    import papermill as pm

    out = tmp_path / f"{stem}.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / f"{stem}.ipynb"), str(out), parameters=parameters,
                        progress_bar=False, kernel_name="python3", cwd=str(tmp_path))
    return nbformat.read(out, as_version=4)


def _problems(nb) -> list[str]:
    problems = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(f"cell {index}: {output.ename}: {output.evalue}")
            if output.output_type == "stream" and output.name == "stderr":
                problems.append(f"cell {index}: stderr: {output.text[:300]}")
    return problems


def _text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(data.get("text/html", "") + data.get("text/markdown", "") + output.get("text", ""))
    return "\n".join(parts)


def _images(nb) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.slow
def test_a_county_notebook_executes_cleanly_under_papermill(tmp_path):
    """A county notebook as papermill runs it on its own, in a fresh kernel.

    Every county notebook of 441826 (zh, 2022) is executed by ``qyanalysis run`` in
    tests/test_reports_e2e.py, which asserts the same of each: no error or stderr output
    (test_executed_notebooks_have_no_error_and_no_warning), the county name
    (test_section_pages_show_figures_and_the_county_name), the demonstration banner, no
    traceback and no missing glyph (test_pages_are_clean_offline_and_labelled_as_demonstration_data).
    """
    stem = COUNTY_NOTEBOOKS[0]
    nb = _execute(stem, tmp_path, county="441826", year=2022, data_dir="", lang="zh")
    assert _problems(nb) == []
    text = _text(nb)
    assert "连南瑶族自治县" in text
    assert "合成演示数据" in text  # the demonstration banner
    assert "Traceback" not in text and "missing from font" not in text


def _executed(run: Path, unit: str, stem: str) -> nbformat.NotebookNode:
    """A notebook as a session's run executed it (tests/run_helpers.py)."""
    return nbformat.read(run / unit / f"{stem}.ipynb", as_version=4)


@pytest.mark.slow
def test_city_notebook_executes_cleanly_in_english(en_run):
    nb = _executed(en_run, "city", CITY_NOTEBOOK)
    assert _problems(nb) == []
    text = _text(nb)
    assert "Qingyuan City" in text and "synthetic demonstration data" in text
    assert _images(nb) >= 3


@pytest.mark.slow
def test_getting_started_executes(tmp_path):
    nb = _execute(GETTING_STARTED_NOTEBOOK, tmp_path, county="清城区", year=2022, data_dir="", lang="zh")
    assert _problems(nb) == []
    assert _images(nb) >= 1


def test_tutorials_are_not_rendered_by_the_batch():
    from qyanalysis.runner.jobs import select_notebooks

    county_stems, include_city = select_notebooks(None, NOTEBOOKS)
    assert include_city and not set(TUTORIAL_NOTEBOOKS) & set(county_stems)


@pytest.mark.slow
def test_explore_executes_and_shows_each_question_as_a_frame_and_a_chart(tmp_path):
    """Executed once: in English, the county given by its Chinese name (every label has both languages:
    tests/test_labels.py; the other notebooks run in Chinese)."""
    nb = _execute(EXPLORE_NOTEBOOK, tmp_path, county="连南瑶族自治县", year=2022, data_dir="", lang="en")
    assert _problems(nb) == []
    # small multiples, league, dropout groups, urban–town–rural gaps, the distribution, the model's odds
    assert _images(nb) >= 6
    text = _text(nb)
    assert "odds_ratio" in text and "not an effect" in text  # the model
    assert "&lt;5" in text and "[c]" in text  # the school drill-down under disclosure control (HTML-escaped)
    assert "t08_junior_dropout_rate" in text and "**: `junior_dropout_rate`" in text  # the added indicator
    assert "Junior-school dropout rate" in text
    assert "Traceback" not in text and "missing from font" not in text


@pytest.mark.slow
def test_readiness_notebook_executes_for_the_city_in_english(en_run):
    nb = _executed(en_run, "city", READINESS_NOTEBOOK)
    assert _problems(nb) == []
    text = _text(nb)
    assert "Liannan Yao Autonomous County" in text and "synthetic demonstration data" in text
    assert "Counties that could apply for the national assessment this year" in text
    assert _images(nb) >= 4
