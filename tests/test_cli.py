"""The ``qyanalysis`` command as a new user meets it (the acceptance commands of the foundation issue)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qyanalysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qyanalysis", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)


def test_validate_the_bundled_demo_data():
    result = _cli("validate", str(DEMO))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "synthetic demonstration data" in result.stdout


def test_validate_a_gb18030_copy_with_chinese_headers(tmp_path):
    copy = tmp_path / "gb"
    shutil.copytree(DEMO, copy)
    text = (DEMO / "schools.csv").read_text(encoding="utf-8")
    (copy / "schools.csv").write_bytes(text.encode("gb18030"))  # what Excel on Chinese Windows writes
    result = _cli("validate", str(copy))
    assert result.returncode == 0, result.stderr


def test_targets_lists_every_target_with_its_quote():
    result = _cli("targets")
    assert result.returncode == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) >= 25
    plan = (ROOT / "qyanalysis" / "verdicts" / "targets" / "plan.zh.txt").read_text(encoding="utf-8")
    assert all(r["quote"] and r["quote"] in plan for r in rows)


def test_a_bad_folder_gives_exit_2_one_line_per_problem_and_no_traceback(tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(DEMO, bad)
    lines = (bad / "schools.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("students")] = "-3"
    row[header.index("county")] = "北京市"
    lines[1] = ",".join(row)
    (bad / "schools.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _cli("validate", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "schools.csv:2:students:" in result.stderr and "schools.csv:2:county:" in result.stderr


def test_a_region_too_large_for_a_teacher_roster_generates_and_validates(tmp_path, monkeypatch):
    # The code path of a national-scale region (no roster above ROSTER_MAX_COUNTIES) at a few counties;
    # the 2,846 counties themselves are generated and validated by `make benchmark`
    # (benchmarks/national_region.py; a shared machine's load would make them slow here).
    import qyanalysis.demo

    monkeypatch.setattr(qyanalysis.demo, "ROSTER_MAX_COUNTIES", 2)
    assert main(["demo-data", str(tmp_path / "big"), "--counties", "3"]) == 0
    assert not (tmp_path / "big" / "teachers.parquet").exists()
    assert main(["validate", str(tmp_path / "big")]) == 0


def test_usage_errors_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--lang", "fr"])
    assert exit_info.value.code == 2
    assert main(["run", "--out", str(tmp_path / "o"), "--county", "Atlantis"]) == 2
    assert not (tmp_path / "o").exists()


def test_repeated_county_and_notebook_options_accumulate():
    from qyanalysis.cli import build_parser

    args = build_parser().parse_args(["run", "--county", "清新区", "--county", "佛冈县", "连州",
                                      "--notebook", "00_overview", "--notebook", "05_teachers", "--as-of", "2022-06"])
    assert args.county == ["清新区", "佛冈县", "连州"]
    assert args.notebook == ["00_overview", "05_teachers"]
    assert args.as_of == "2022-06"


def test_a_malformed_as_of_month_exits_2(tmp_path, capsys):
    assert main(["run", "--out", str(tmp_path / "out"), "--as-of", "2022-13", "--quiet"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err and not (tmp_path / "out").exists()
