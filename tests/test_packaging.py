"""pyproject.toml and environment.yml declare the same dependencies; the Makefile documents itself."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names where they differ from PyPI's.
CONDA_NAMES = {"dask[distributed]": ["dask", "distributed"]}
NOT_ON_CONDA = {"pylopdf-fonts-zh-cn"}  # installed by environment.yml's pip section


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;]", requirement, maxsplit=1)[0].strip().lower()


def _pyproject_requirements() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in ("dask", "test"):
        reqs += project["optional-dependencies"][extra]
    names: set[str] = set()
    for req in reqs:
        names.update(CONDA_NAMES.get(_name(req), [_name(req)]))
    return names


def _environment_requirements() -> tuple[set[str], set[str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = set(), set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.update(_name(p) for p in dep["pip"] if not p.startswith("-e"))
        else:
            conda.add(_name(dep))
    return conda - {"python", "pip"}, pip


def test_environment_yml_matches_pyproject():
    conda, pip = _environment_requirements()
    expected = _pyproject_requirements()
    assert conda | pip == expected, (
        f"only in pyproject: {sorted(expected - conda - pip)}; "
        f"only in environment.yml: {sorted((conda | pip) - expected)}"
    )
    assert pip == NOT_ON_CONDA


def test_environment_yml_installs_the_package_editable():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section


def test_versions_in_both_files_agree():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_pins = {_name(d): d[len(_name(d)):] for d in env["dependencies"] if isinstance(d, str)}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for req in project["dependencies"]:
        name = _name(req)
        if name in conda_pins:
            assert req[len(name):] == conda_pins[name], name


def test_make_help_lists_the_quick_start_targets():
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for target in ("reports", "test", "help"):
        assert re.search(rf"\b{target}\b", out), target


def test_ci_calls_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_what_make_install_precompiles_is_importable_and_named_once():
    """`make install` compiles the modules a run imports (qyanalysis.runner.precompile): every name resolves."""
    from qyanalysis.runner import precompile
    from qyanalysis.runner.kernels import WARM_MODULES

    names = (*WARM_MODULES, *precompile.RUNNER_MODULES)
    assert len(set(names)) == len(names)
    done = subprocess.run([sys.executable, "-m", "qyanalysis.runner.precompile"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "PYTHONDONTWRITEBYTECODE= $(BIN)/python -m qyanalysis.runner.precompile" in (ROOT / "Makefile").read_text()
