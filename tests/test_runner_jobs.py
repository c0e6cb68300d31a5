"""Job planning, argument validation, content keys, atomic writes (fast, no kernels)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.contract.plan import CITY_NOTEBOOK, CITY_NOTEBOOKS, COUNTY_NOTEBOOKS, READINESS_NOTEBOOK
from qyanalysis.errors import UsageError
from qyanalysis.runner import manifest as mf
from qyanalysis.runner.atomic import remove_stale_temporaries, write_atomic, write_if_changed
from qyanalysis.runner.execute import _source_index, parameterize
from qyanalysis.runner.jobs import (
    check_lang,
    check_registry_codes,
    page_title,
    plan_jobs,
    resolve_counties,
    resolve_year,
    select_notebooks,
)
from qyanalysis.runner.outputs import scorecard_csv, status_counts

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"
REGISTRY = CountyRegistry.builtin()


def test_counties_accept_codes_names_and_city_and_default_to_all():
    assert resolve_counties(["清城", "441803", "Fogang County", "CITY", "清城区"], REGISTRY) == [
        "441802", "441803", "441821", "city"]
    assert resolve_counties(["Liannan Yao Autonomous County"], REGISTRY) == ["441826"]
    assert resolve_counties(None, REGISTRY) == [*REGISTRY.codes, "city"]


@pytest.mark.parametrize("value", ["../441802", "/etc", "441802/..", "a\\b", "~root", "..", "nowhere"])
def test_bad_counties_and_path_tricks_are_usage_errors(value):
    with pytest.raises(UsageError):
        resolve_counties([value], REGISTRY)


@pytest.mark.parametrize("code", ["../x", "en"])  # en: the English tree's folder (OUT/YEAR/en)
def test_registry_codes_that_are_paths_are_refused(code):
    frame = pd.DataFrame({"county_code": [code], "name_zh": ["坏"], "name_en": ["Bad"]})
    with pytest.raises(UsageError, match="folder names"):
        check_registry_codes(CountyRegistry.from_frame(frame))


def test_the_link_to_the_other_language_leads_to_the_same_page_of_the_other_tree():
    from qyanalysis.runner.jobs import index_nav, page_nav
    from qyanalysis.runner.languages import other_lang_href, replace_nav

    assert other_lang_href("441802/05_teachers.html", "zh") == "../en/441802/05_teachers.html"
    assert other_lang_href("441802/05_teachers.html", "en") == "../../441802/05_teachers.html"
    assert other_lang_href("index.html", "zh") == "en/index.html"
    assert other_lang_href("methods.html", "en") == "../methods.html"
    bar = page_nav("441802", "05_teachers", "en", other=True)
    assert bar[:-1] == page_nav("441802", "05_teachers", "en")  # the page's bar, then the link
    assert (bar[-1].href, bar[-1].text, bar[-1].hreflang) == ("../../441802/05_teachers.html", "中文", "zh-CN")
    assert index_nav("city/index.html", "zh", other=True)[-1].text == "English"
    assert [link.href for link in index_nav("index.html", "en")] == ["methods.html"]
    page = '<body><nav class="qy-page-nav" aria-label="x"><ul><li>a</li></ul></nav><main>..</main>'
    assert replace_nav(page, "<nav class=\"qy-page-nav\">b</nav>\n") == (
        '<body><nav class="qy-page-nav">b</nav><main>..</main>')
    assert replace_nav("<main>no bar</main>", "<nav></nav>") is None


def test_year_defaults_to_latest_and_must_exist():
    assert resolve_year(None, [2021, 2022]) == 2022
    assert resolve_year(2021, [2021, 2022]) == 2021
    with pytest.raises(UsageError, match="2021, 2022"):
        resolve_year(2019, [2022, 2021])


def test_lang_is_zh_or_en():
    assert check_lang("en") == "en"
    with pytest.raises(UsageError):
        check_lang("fr")


def test_notebook_selection_and_job_order():
    stems, city = select_notebooks(None, NOTEBOOKS)
    assert stems == list(COUNTY_NOTEBOOKS) and city
    jobs = plan_jobs(["441802", "city"], stems, city, NOTEBOOKS)
    assert [j.name for j in jobs][:2] == ["441802/00_overview", "441802/01_party_leadership"]
    assert [j.name for j in jobs][2:4] == ["441802/02_development", "441802/08_balance_readiness"]
    assert [j.name for j in jobs if j.county_code == "city"] == [f"city/{stem}" for stem in CITY_NOTEBOOKS]
    assert CITY_NOTEBOOKS[0] == CITY_NOTEBOOK and len(jobs) == len(COUNTY_NOTEBOOKS) + len(CITY_NOTEBOOKS)
    # a county notebook that also renders for the city: asked for alone, the city gets it too
    stems, city = select_notebooks([READINESS_NOTEBOOK], NOTEBOOKS)
    assert [j.name for j in plan_jobs(["441802", "city"], stems, city, NOTEBOOKS)] == [
        f"441802/{READINESS_NOTEBOOK}", f"city/{READINESS_NOTEBOOK}"]
    stems, city = select_notebooks(["raises.ipynb"], NOTEBOOKS)
    assert (stems, city) == (["raises"], False)
    assert [j.name for j in plan_jobs(["441802", "city"], stems, city, NOTEBOOKS)] == ["441802/raises"]
    for bad in (["../raises"], ["/tmp/x"], ["missing_notebook"]):
        with pytest.raises(UsageError):
            select_notebooks(bad, NOTEBOOKS)


def test_page_titles():
    assert page_title("01_party_leadership", "zh") == "一、加强党对教育工作的全面领导"
    assert page_title("00_overview", "en") == "Overview"
    assert page_title("raises", "zh") == "raises"


def test_content_key_changes_with_each_input():
    base = dict(source=b"nb", parameters={"county": "441802", "year": 2022}, data_hash="h", version="1",
                lang="zh")
    key = mf.content_key(**base)
    assert key == mf.content_key(**base)  # deterministic
    for change in ({"source": b"nb2"}, {"parameters": {"county": "441802", "year": 2021}},
                   {"data_hash": "h2"}, {"version": "2"}, {"lang": "en"}):
        assert mf.content_key(**(base | change)) != key, change


def test_folder_fingerprint_sees_bytes_and_names(tmp_path):
    (tmp_path / "schools.csv").write_text("a\n1\n")
    first = mf.folder_fingerprint(tmp_path)
    (tmp_path / ".hidden.csv").write_text("ignored")
    assert mf.folder_fingerprint(tmp_path) == first
    (tmp_path / "schools.csv").write_text("a\n2\n")
    assert mf.folder_fingerprint(tmp_path) != first


def test_atomic_writes_leave_no_temporaries_and_skip_identical_content(tmp_path):
    target = tmp_path / "sub" / "page.html"
    write_atomic(target, "<html></html>")
    assert target.read_text() == "<html></html>"
    assert sorted(p.name for p in target.parent.iterdir()) == ["page.html"]
    mtime = target.stat().st_mtime_ns
    assert write_if_changed(target, "<html></html>") is False and target.stat().st_mtime_ns == mtime
    assert write_if_changed(target, "<html>2</html>") is True
    (target.parent / ".qy-page.html.abc.tmp").write_text("half")
    assert remove_stale_temporaries(target.parent) == 1
    assert sorted(p.name for p in target.parent.iterdir()) == ["page.html"]


def test_manifest_round_trip_and_bad_files(tmp_path):
    path = tmp_path / "run.json"
    assert mf.read_manifest(path, 2022)["notebooks"] == {}
    path.write_text("{not json")
    assert mf.read_manifest(path, 2022) == mf.empty_manifest(2022)
    data = mf.empty_manifest(2022) | {"notebooks": {"a/b": {"status": "ok"}}}
    path.write_text(mf.manifest_text(data))
    assert mf.read_manifest(path, 2022)["notebooks"] == {"a/b": {"status": "ok"}}


def test_scorecard_csv_is_sorted_without_index():
    frame = pd.DataFrame({"target_id": ["T2", "T1"], "item": [7, 6], "county_code": "441802", "year": 2022,
                          "status": ["met", "no_data"], "level": "county"})
    assert scorecard_csv(frame) == ("target_id,item,county_code,year,status,level\n"
                                    "T1,6,441802,2022,no_data,county\nT2,7,441802,2022,met,county\n")
    # Every status of a target, zeros too, and the total (qyanalysis.contract.tallies.target_counts).
    assert status_counts(frame) == {"met": 1, "on_track": 0, "at_risk": 0, "not_met": 0, "no_data": 1,
                                    "not_applicable": 0, "total": 2}
    with pytest.raises(ValueError, match="rows of 2 units"):
        status_counts(pd.concat([frame, frame.assign(county_code="441803")]))


def test_parameters_are_injected_as_typed_literals_after_the_parameters_cell():
    source = (NOTEBOOKS / "raises.ipynb").read_text()
    nb = parameterize(source, {"county": "441802", "year": 2022, "data_dir": "", "lang": "en"})
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert tags[0] == ["parameters"] and tags[1] == ["injected-parameters"]
    injected = nb.cells[1].source
    assert 'county = "441802"' in injected and "year = 2022" in injected and 'lang = "en"' in injected
    # executed index → source index: the injected cell (1) has none; later cells shift back by one
    assert [_source_index(nb, i) for i in (0, 1, 2, 3)] == [0, None, 1, 2]
    assert nbformat.validate(nb) is None


def test_a_kept_page_whose_last_attempt_failed_is_listed_among_the_failures():
    from qyanalysis.runner.outputs import failures_of

    error = {"cell_index": 3, "ename": "ValueError", "evalue": "boom"}
    manifest = {"notebooks": {
        "441802/02_development": {"county_code": "441802", "notebook": "02_development", "status": "ok",
                                  "last_failure": {"error": error, "finished_at": "2022-01-01T00:00Z"}},
        "441802/00_overview": {"county_code": "441802", "notebook": "00_overview", "status": "ok"},
        "441803/05_teachers": {"county_code": "441803", "notebook": "05_teachers", "status": "failed",
                               "error": error},
    }, "scorecards": {}}
    failures = failures_of(manifest)
    assert [(f.county, f.notebook) for f in failures] == [("441802", "02_development"), ("441803", "05_teachers")]


# -- the runner's imports --------------------------------------------------------------------------

def test_the_iri_grammars_wait_for_the_first_iri_check(monkeypatch):
    """The stand-in ``rfc3987_syntax`` (qyanalysis.runner.defer_iri_grammars) answers as the real module,
    which it imports on its first call."""
    import sys

    from jsonschema import FormatChecker

    from qyanalysis import runner

    pytest.importorskip("rfc3987_syntax")
    monkeypatch.delitem(sys.modules, "rfc3987_syntax")
    monkeypatch.delitem(sys.modules, "jsonschema")  # as before nbformat imports it
    assert runner.defer_iri_grammars()
    stand_in = sys.modules["rfc3987_syntax"]
    assert stand_in.is_valid_syntax("iri", "http://例子.测试/路径") is True
    assert stand_in.is_valid_syntax("iri_reference", "a b") is False
    assert sys.modules["rfc3987_syntax"] is not stand_in  # the real one, from now on
    monkeypatch.undo()
    checker = FormatChecker()
    assert checker.conforms("http://例子.测试/路径", "iri") and not checker.conforms("a b", "iri-reference")


def test_a_run_and_its_kernels_import_no_module_they_do_not_use():
    """The runner with nbformat, nbclient and nbconvert compiles no IRI grammar (lark, about 3 s of CPU); a
    warm kernel's modules import neither seaborn nor scipy.stats (about 1 s) nor statsmodels' models."""
    import subprocess
    import sys

    code = ("import importlib, sys, qyanalysis.runner, nbformat, nbclient, nbconvert\n"
            "from qyanalysis.runner.kernels import WARM_MODULES\n"
            "[importlib.import_module(name) for name in WARM_MODULES]\n"
            "print(sorted(n for n in ('lark', 'seaborn', 'scipy.stats', 'statsmodels.regression') "
            "if n in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "[]", (done.stdout, done.stderr)


def test_kernel_folders_of_a_killed_run_are_removed_by_the_next(tmp_path):
    """A kernel folder whose driving process is gone goes; one of a live process, or without an owner file,
    stays (qyanalysis.runner.kernels.remove_orphaned_kernel_folders)."""
    import os
    import subprocess
    import sys

    from qyanalysis.runner.kernels import KERNEL_DIR_PREFIX, OWNER_FILE, remove_orphaned_kernel_folders

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    owners = {"killed": str(gone.pid), "live": str(os.getpid()), "unknown": None}
    for name, pid in owners.items():
        folder = tmp_path / f"{KERNEL_DIR_PREFIX}{name}"
        folder.mkdir()
        (folder / "kernel-1.json").write_text("{}")
        if pid is not None:
            (folder / OWNER_FILE).write_text(pid)
    assert remove_orphaned_kernel_folders(str(tmp_path)) == 1
    kept = sorted(p.name.removeprefix(KERNEL_DIR_PREFIX) for p in tmp_path.iterdir())
    assert kept == ["live", "unknown"]
