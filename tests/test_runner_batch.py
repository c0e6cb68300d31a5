"""End-to-end runs of the batch runner on the test notebooks, with fake data (``test_runner_fakes``)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from qyanalysis import cli
from qyanalysis.contract.plan import CITY_NOTEBOOKS, COUNTY_NOTEBOOKS
from qyanalysis.runner import RunOptions, run_batch, run_from_cli
from qyanalysis.runner import batch as batch_module
from nav_helpers import broken_links, counterpart, language_pairs
from test_runner_fakes import TEST_NOTEBOOKS, fake_load_dataset, fake_scorecard, light_kernels, make_data

pytestmark = pytest.mark.slow
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?\s*(?:https?:)?//""",
                      re.IGNORECASE)
EVIL = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def _test_notebook_kernels(monkeypatch):
    light_kernels(monkeypatch)


def options(data: Path, out: Path, **overrides) -> RunOptions:
    base = dict(data=data, out=out, notebooks_dir=TEST_NOTEBOOKS, jobs=2, quiet=True, timeout=60.0,
                counties=["441802", "city"],
                notebooks=["00_overview", "01_party_leadership", "city_comparison"])
    return RunOptions(**(base | overrides))


def run(opts: RunOptions):
    return run_batch(opts, load_dataset=fake_load_dataset, scorecard=fake_scorecard)


def snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def check_pages(folder: Path) -> list[Path]:
    """Every page parses, is complete and requests nothing from the network."""
    pages = sorted(folder.rglob("*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.rstrip().endswith("</html>"), page
        HTMLParser().feed(text)
        assert not EXTERNAL.search(text), (page, EXTERNAL.search(text))
    return pages


def test_incremental_skip_rerun_after_data_change_and_force(tmp_path):
    data, out = make_data(tmp_path / "data"), tmp_path / "out"
    first = run(options(data, out, jobs=1))  # one warm kernel runs all three (leak checks inside)
    assert first.exit_code == 0 and len(first.executed) == 3 and first.skipped == 0
    year_dir = out / "2022"
    for rel in ("index.html", "run.json", "441802/index.html", "441802/00_overview.html",
                "441802/00_overview.ipynb", "441802/logs/00_overview.log", "441802/scorecard.csv",
                "city/city_comparison.html", "city/index.html", "city/scorecard.csv"):
        assert (year_dir / rel).is_file(), rel
    manifest = json.loads((year_dir / "run.json").read_text())
    entry = manifest["notebooks"]["441802/00_overview"]
    assert entry["status"] == "ok" and entry["warm_kernel"] and len(entry["key"]) == 64
    assert manifest["data"]["data_hash"] and manifest["versions"]["qyanalysis"]
    assert len({e["worker"] for e in manifest["notebooks"].values()}) == 1
    assert "a warning that belongs in the log" in (year_dir / "441802/logs/00_overview.log").read_text()
    assert "a warning that belongs in the log" not in (year_dir / "441802/00_overview.html").read_text()
    check_pages(out)

    before = snapshot(out)
    clock = time.perf_counter()
    again = run(options(data, out))
    assert time.perf_counter() - clock < 1.0
    assert again.executed == [] and again.skipped == 3 and again.exit_code == 0
    assert snapshot(out) == before  # nothing rewritten, not even run.json
    assert heavy_modules_of_a_run_with_nothing_to_do(data, out) == []
    assert snapshot(out) == before

    csv = data / "schools.csv"
    csv.write_text(csv.read_text() + "S99,441802,2022,7\n")
    changed = run(options(data, out))
    assert len(changed.executed) == 3
    scorecard = pd.read_csv(year_dir / "441802" / "scorecard.csv")
    assert scorecard.loc[scorecard["target_id"] == "T2", "value"].item() == 108.0  # 101 + 7

    forced = run(options(data, out, force=True, isolated=True, notebooks=["00_overview"],
                         counties=["441802"]))
    assert len(forced.executed) == 1 and forced.executed[0]["warm_kernel"] is False


def test_zh_and_en_side_by_side_every_link_resolves_and_a_rerun_is_a_no_op(tmp_path):
    """``--lang zh --lang en``: both trees in one run (``OUT/YEAR``, ``OUT/YEAR/en``), every page linking the
    same page in the other language; a rerun in either language or both is a no-op; a page re-rendered from
    new data in one language loses its link to the other (no longer the same report), and gets it back."""
    data, out = make_data(tmp_path / "data"), tmp_path / "out"
    both = options(data, out, lang=["zh", "en"], notebooks=None)  # every page of a county and the city
    first = run(both)
    pages = len(COUNTY_NOTEBOOKS) + len(CITY_NOTEBOOKS)
    assert first.exit_code == 0 and first.skipped == 0
    assert sorted(e["lang"] for e in first.executed) == ["en"] * pages + ["zh"] * pages
    year_dir = out / "2022"
    assert first.trees == {"zh": year_dir, "en": year_dir / "en"}
    for lang, tree in first.trees.items():
        for rel in ("index.html", "methods.html", "run.json", "assets/qy-cjk.otf", "441802/index.html",
                    "441802/00_overview.html", "441802/00_overview.ipynb", "441802/scorecard.csv",
                    "441802/scorecard.xlsx", "city/index.html", "city/city_comparison.html",
                    "city/scorecards.xlsx"):
            assert (tree / rel).is_file(), (lang, rel)
        manifest = json.loads((tree / "run.json").read_text(encoding="utf-8"))
        assert manifest["params"]["lang"] == lang and len(manifest["notebooks"]) == pages
        html_lang = 'lang="en"' if lang == "en" else 'lang="zh-CN"'
        assert f"<html {html_lang}>" in (tree / "441802" / "05_teachers.html").read_text(encoding="utf-8")
    assert not (year_dir / "en" / "en").exists()
    # every link of every page resolves, and every page (section, index, methods) links its counterpart
    assert broken_links(year_dir) == {}
    pairs = language_pairs(year_dir)
    assert len(pairs) == 2 * (pages + 4)  # the section pages, two unit indexes, the list and methods page
    assert {page: target for page, target in pairs.items() if target != counterpart(page)} == {}

    before = snapshot(out)
    for again in (both, options(data, out, lang="en", notebooks=None), options(data, out, notebooks=None)):
        clock = time.perf_counter()
        summary = run(again)
        assert time.perf_counter() - clock < 1.0
        assert summary.executed == [] and summary.exit_code == 0
        assert snapshot(out) == before  # nothing rewritten in either tree, not even run.json

    # New data, one page re-rendered in Chinese alone: the English one is left as it was (not re-run), and the
    # two no longer show the same report, so neither links the other; the other pages keep their links.
    english = json.loads((year_dir / "en" / "run.json").read_text(encoding="utf-8"))["notebooks"]
    csv = data / "schools.csv"
    csv.write_text(csv.read_text() + "S99,441802,2022,7\n")
    one = dict(counties=["441802"], notebooks=["00_overview"])
    assert len(run(options(data, out, **one)).executed) == 1
    after = json.loads((year_dir / "en" / "run.json").read_text(encoding="utf-8"))["notebooks"]
    assert {name: e["key"] for name, e in after.items()} == {name: e["key"] for name, e in english.items()}
    pairs = language_pairs(year_dir)
    assert pairs["441802/00_overview.html"] is None and pairs["en/441802/00_overview.html"] is None
    assert pairs["441802/05_teachers.html"] == "en/441802/05_teachers.html"
    assert broken_links(year_dir) == {}
    assert len(run(options(data, out, lang="en", **one)).executed) == 1  # the English page of the new data
    assert language_pairs(year_dir)["441802/00_overview.html"] == "en/441802/00_overview.html"
    assert language_pairs(year_dir)["en/441802/00_overview.html"] == "441802/00_overview.html"
    # The English tree deleted by hand: a run with nothing new takes the links away, re-rendering nothing.
    shutil.rmtree(year_dir / "en")
    assert run(options(data, out, **one)).executed == []
    assert broken_links(year_dir) == {} and set(language_pairs(year_dir).values()) == {None}


NO_OP_RUN = """
import sys
from pathlib import Path
from qyanalysis.runner import RunOptions, run_batch

def never(*args):
    raise AssertionError("a run with nothing to do loaded the data or computed a scorecard")

opts = RunOptions(data=Path(sys.argv[1]), out=Path(sys.argv[2]), notebooks_dir=Path(sys.argv[3]), quiet=True,
                  counties=["441802", "city"], notebooks=["00_overview", "01_party_leadership", "city_comparison"])
summary = run_batch(opts, load_dataset=never, scorecard=never)
assert summary.skipped == 3 and not summary.executed, summary
print(" ".join(m for m in ("pandas", "numpy", "matplotlib", "nbclient", "openpyxl") if m in sys.modules))
"""


def heavy_modules_of_a_run_with_nothing_to_do(data: Path, out: Path) -> list[str]:
    """The heavy libraries a fresh interpreter imports for a run whose every page is up to date."""
    done = subprocess.run([sys.executable, "-c", NO_OP_RUN, str(data), str(out), str(TEST_NOTEBOOKS)],
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.split()


def test_failures_fail_only_their_notebook(tmp_path, capsys):
    data, out = make_data(tmp_path / "data"), tmp_path / "out"
    args = cli.build_parser().parse_args([
        "run", "--data", str(data), "--out", str(out), "--notebooks-dir", str(TEST_NOTEBOOKS),
        "--county", "清城", "--jobs", "1", "--timeout", "2", "--quiet",
        "--notebook", "raises", "dies", "00_overview", "sleeps", "01_party_leadership"])
    code = run_from_cli(args, load_dataset=fake_load_dataset, scorecard=fake_scorecard)
    assert code == 1
    printed = capsys.readouterr().err
    assert "3 failed" in printed and "deliberate failure for 441802" in printed
    year_dir = out / "2022"
    manifest = json.loads((year_dir / "run.json").read_text())["notebooks"]
    errors = {name.split("/")[1]: e["error"] for name, e in manifest.items()}
    assert errors["raises"] == {"kind": "exception", "cell_index": 2, "ename": "ValueError",
                                "evalue": "deliberate failure for 441802"}
    assert errors["dies"]["kind"] == "kernel_died" and errors["dies"]["cell_index"] == 1
    assert errors["sleeps"]["kind"] == "timeout" and errors["sleeps"]["cell_index"] == 1
    assert errors["00_overview"] is None and errors["01_party_leadership"] is None
    assert (year_dir / "441802/01_party_leadership.html").is_file()
    assert not (year_dir / "441802/raises.html").exists() and (year_dir / "441802/raises.ipynb").is_file()
    city_index = (year_dir / "index.html").read_text()
    assert "deliberate failure for 441802" in city_index and "CellTimeoutError" in city_index
    check_pages(out)
    # a re-run retries only the failed notebooks
    again = run(RunOptions(data=data, out=out, notebooks_dir=TEST_NOTEBOOKS, counties=["441802"], jobs=1,
                           timeout=2.0, quiet=True, notebooks=["raises", "00_overview"]))
    assert [e["notebook"] for e in again.executed] == ["raises"] and again.skipped == 1


@pytest.mark.parametrize("extra", [
    ["--county", "../441802"], ["--county", "/etc/passwd"], ["--county", "999999"], ["--year", "1999"],
    ["--notebook", "../raises"], ["--notebook", "no_such_notebook"], ["--jobs", "0"],
    ["--notebooks-dir", "/nonexistent/folder"],
])
def test_bad_usage_exits_2_and_writes_nothing(tmp_path, monkeypatch, capsys, extra):
    monkeypatch.setattr(batch_module, "_default_loader", fake_load_dataset)
    monkeypatch.setattr(batch_module, "_default_scorecard", fake_scorecard)
    data, out = make_data(tmp_path / "data"), tmp_path / "out"
    argv = ["run", "--data", str(data), "--out", str(out), "--notebooks-dir", str(TEST_NOTEBOOKS), "--quiet",
            *extra]
    assert cli.main(argv) == 2
    assert "error" in capsys.readouterr().err
    assert not out.exists()


def test_invalid_data_and_bad_language_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(batch_module, "_default_loader", fake_load_dataset)
    data, out = make_data(tmp_path / "data", invalid=True), tmp_path / "out"
    assert cli.main(["run", "--data", str(data), "--out", str(out), "--notebooks-dir",
                     str(TEST_NOTEBOOKS)]) == 2
    assert "schools.csv:2:students" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", "--data", str(data), "--out", str(out), "--lang", "fr"])
    assert exc.value.code == 2
    assert not out.exists()


def test_kernels_started_ahead_of_refused_data_are_stopped_at_once(tmp_path, monkeypatch, capsys):
    """New data: the kernels start while it loads. When it is refused (exit 2), the kernel still starting is
    killed then — not left to import the warm modules and load the data for seconds after the exit."""
    psutil = pytest.importorskip("psutil")
    started: list = []

    def kernels() -> list:
        found = []
        for child in psutil.Process().children(recursive=True):
            try:
                if "ipykernel" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.Error:
                pass
        return found

    def refused_once_a_kernel_runs(path: Path):
        deadline = time.monotonic() + 120
        while not started and time.monotonic() < deadline:
            started.extend(kernels())
            time.sleep(0.05)
        time.sleep(1.0)  # the runner has its process id
        return fake_load_dataset(path)  # invalid data: DataValidationError

    monkeypatch.setattr(batch_module, "_default_loader", refused_once_a_kernel_runs)
    data, out = make_data(tmp_path / "data", invalid=True), tmp_path / "out"
    assert cli.main(["run", "--data", str(data), "--out", str(out), "--notebooks-dir", str(TEST_NOTEBOOKS),
                     "--jobs", "1", "--quiet"]) == 2
    assert "schools.csv:2:students" in capsys.readouterr().err and started
    # killed, not still importing (its warm-up takes a few seconds of CPU): gone or a zombie within a second
    deadline = time.monotonic() + 1.0
    while any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in started):
        assert time.monotonic() < deadline, [p.status() for p in started]
        time.sleep(0.02)


def test_malicious_county_name_is_escaped_on_index_pages(tmp_path):
    counties = pd.DataFrame({"county_code": ["441802", "441803"], "name_zh": [EVIL, "清新区"],
                             "name_en": [EVIL, "Qingxin"]})
    data, out = make_data(tmp_path / "data", counties=counties), tmp_path / "out"
    summary = run(options(data, out, counties=["441802"], notebooks=["00_overview"]))
    assert summary.exit_code == 0
    from report_helpers import without_table_script

    for page in ("index.html", "441802/index.html", "441802/00_overview.html"):
        text = without_table_script((out / "2022" / page).read_text())
        assert "<script>" not in text and "&lt;script&gt;" in text, page


def test_jobs_run_longest_expected_first_and_a_new_city_page_leads():
    from qyanalysis.runner.batch import longest_first
    from qyanalysis.runner.execute import JobSpec

    def spec(county: str, notebook: str) -> JobSpec:
        return JobSpec(county_code=county, notebook=notebook, source="", parameters={}, key="", timeout=None,
                       isolated=False, cwd="", title="", lang="zh", banner=None, data_hash="")

    specs = [spec("441802", "00_overview"), spec("441802", "05_teachers"), spec("441803", "05_teachers"),
             spec("441803", "04_reform"), spec("city", "city_comparison")]
    manifest = {"notebooks": {"441802/00_overview": {"execute_s": 1.0}, "441802/05_teachers": {"execute_s": 5.0},
                              "441803/05_teachers": {"execute_s": 5.0}, "441803/04_reform": {"execute_s": 2.0}}}
    order = [f"{s.county_code}/{s.notebook}" for s in longest_first(specs, manifest)]
    # the city page has no previous time: first; equal times keep the page order
    assert order == ["city/city_comparison", "441802/05_teachers", "441803/05_teachers", "441803/04_reform",
                     "441802/00_overview"]
    manifest["notebooks"]["city/city_comparison"] = {"execute_s": 3.0}
    assert [s.notebook for s in longest_first(specs, manifest)][2] == "city_comparison"
    # the city's other pages never run before come next (its readiness page is long), before timed pages
    order = longest_first([*specs, spec("city", "08_balance_readiness")], manifest)
    assert [f"{s.county_code}/{s.notebook}" for s in order][:2] == ["city/08_balance_readiness", "441802/05_teachers"]


def test_the_end_begun_early_writes_what_a_sequential_end_writes(tmp_path, monkeypatch):
    """The index pages, methods page and font written while the last kernels render (runner.tail) are those
    of a run that writes them after its last page: the same bytes but the footers' times."""
    data = make_data(tmp_path / "data")
    early = run(options(data, tmp_path / "early"))
    assert early.exit_code == 0
    monkeypatch.setattr(batch_module, "_write_early", lambda *args: None)
    monkeypatch.setattr(batch_module, "_tables_then_warm", batch_module._tables)
    sequential = run(options(data, tmp_path / "sequential"))
    assert sequential.exit_code == 0
    early_dir, sequential_dir = tmp_path / "early" / "2022", tmp_path / "sequential" / "2022"
    font = "assets/qy-cjk.otf"
    assert (early_dir / font).read_bytes() == (sequential_dir / font).read_bytes()
    pages = sorted(str(p.relative_to(sequential_dir)) for p in sequential_dir.rglob("index.html"))
    assert pages == sorted(str(p.relative_to(early_dir)) for p in early_dir.rglob("index.html")) and len(pages) >= 3
    time = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\dZ")
    for page in [*pages, "methods.html"]:
        early_text, sequential_text = ((d / page).read_text(encoding="utf-8") for d in (early_dir, sequential_dir))
        assert time.sub("T", early_text) == time.sub("T", sequential_text), page


def test_a_font_made_early_is_used_only_for_the_same_characters(tmp_path, monkeypatch):
    from qyanalysis.present import webfont
    from qyanalysis.runner import tail as tail_module
    from qyanalysis.runner.languages import switch_characters

    made, links = [], switch_characters()  # the language links' characters (中文) are in every font
    monkeypatch.setattr(tail_module, "subset_font",
                        lambda chars: made.append(set(chars)) or "".join(sorted(chars)).encode())
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "00.html").write_text("<p>清远</p>", encoding="utf-8")
    tail = tail_module.RunTail(tmp_path, [("a", "00"), ("a", "01")], workers=2)
    tail.page_done("a", "00")
    assert tail.worker_idle() and tail.complete_counties() == []
    tail.start_font()
    (tmp_path / "a" / "01.html").write_text("<p>清远</p>", encoding="utf-8")  # nothing new: the early font
    tail.page_done("a", "01")
    tail.write_font()
    font = "".join(sorted({"清", "远"} | links)).encode()
    assert made == [{"清", "远"} | links] and (tmp_path / "assets" / webfont.FONT_FILE).read_bytes() == font
    tail = tail_module.RunTail(tmp_path, [("a", "01")], workers=2)
    tail.start_font()  # the font on disk is of these characters: nothing made
    (tmp_path / "a" / "01.html").write_text("<p>连南</p>", encoding="utf-8")  # new characters: made again
    tail.page_done("a", "01")
    tail.write_font()
    assert made[1:] == [{"清", "远", "连", "南"} | links]
