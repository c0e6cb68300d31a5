"""Reports are shared: no script from the data, no path escape, no code injection, no personal data,
no small counts (docs/data-dictionary.md, docs/methods.md “Disclosure control”).

One crafted data folder — a copy of ``data/demo`` whose folder name is a
Python-injection attempt, with hostile school names, a hostile task title, a
``counties`` table with hostile Chinese and English names, one kindergarten
ownership group of 3 children and a listed school with 3 disabled pupils — is
rendered once for 清城 (441802) with the real ``00_overview`` and
``02_development`` notebooks; the tests read those pages.

What is suppressed and what is not (checked below, or stated where nothing can be checked):

* Counts of persons in a table of groups go through ``disclosure.apply_sdc``:
  1–4 persons show as ``<5`` and one more cell of the same column as ``[c]``
  (complementary suppression), so the hidden count cannot be recovered from
  the county's published total. Zeros are shown.
* Counts of schools (``学校数``) are not suppressed: a school is not a person.
* Per-school counts of disabled pupils are never published: they only decide
  which schools need a resource room (>= 5 pupils, item 10) and reach the
  pages as a county share. A school with 3 disabled pupils is listed (by name)
  in the 优质均衡 table, whose columns are resources per pupil, never its 3.
* Scorecard values (seats built, teachers trained …) are shown as they are:
  they are the plan's published targets, not statistics about few persons.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from qyanalysis import cli
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.runner import batch as batch_module
from test_runner_fakes import TEST_NOTEBOOKS, fake_load_dataset, fake_scorecard, make_data, no_kernels_ahead

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "demo"
COUNTY, OTHER = "441802", "441803"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
SCHOOL_NAMES = (f"{SCRIPT}第一中学", f"{IMG}第二中学", f"{LINK}第三小学")
DISCLOSURE_SCHOOL = "披露测试学校"
TASK_TITLE = f"{SCRIPT}新建学校任务"
NAME_ZH = f"清城区{SCRIPT}{LINK}"
NAME_EN = f"{IMG}Qingcheng"
PWNED = Path(tempfile.gettempdir()) / f"qy-pwned-{uuid.uuid4().hex[:12]}"
# A folder name, so no "/": the file to create is spelt with chr(47).
INJECTION = (f'x"); import os, tempfile; os.system("touch " + tempfile.gettempdir() + chr(47) + '
             f'"{PWNED.name}"); ("')
NAME_EN_INJECTION = f'Qingxin"); import os; os.system("touch {PWNED}'  # the CONTRACT's example, with "/"
NAME_EN_INJECTION_NO_SLASH = f'Qingxin"); import os; os.system("touch {PWNED.name}'
# Elements and attributes that could run or load something; the pages must have none of them.
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "base", "form", "svg", "math"}


# -- the crafted data ---------------------------------------------------------------------------

def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def listed_schools(data: Path) -> list[str]:
    """The school ids the 02_development page lists as short of 优质均衡 (the view's own selection)."""
    from qyanalysis.io import load_dataset
    from qyanalysis.measures.equity import school_balance_table
    from qyanalysis.report.tables.development import MAX_SCHOOLS_LISTED

    table = school_balance_table(load_dataset(data), COUNTY, 2022)
    failing = table[table["passes"].notna() & (table["passes"] == False)]  # noqa: E712
    return list(dict.fromkeys(failing.head(MAX_SCHOOLS_LISTED)["school_id"]))


def craft(folder: Path) -> Path:
    """A copy of the demo data with hostile strings and small counts (see the module docstring)."""
    shutil.copytree(DEMO, folder)
    schools = _read(folder / "schools.csv")
    listed = listed_schools(DEMO)
    for school_id, name in zip(listed, (*SCHOOL_NAMES, DISCLOSURE_SCHOOL), strict=False):
        schools.loc[schools["school_id"] == school_id, "school_name"] = name
    schools.loc[(schools["school_id"] == listed[3]) & (schools["year"] == "2022"), "disabled_students"] = "3"
    # 清城's "other private" kindergartens: one of 3 children; the others become inclusive private.
    private = schools[(schools["county"] == COUNTY) & (schools["level"] == "kindergarten")
                      & (schools["ownership"] == "private")]["school_id"].unique()
    schools.loc[schools["school_id"].isin(private[1:]), "ownership"] = "private_inclusive"
    schools.loc[(schools["school_id"] == private[0]) & (schools["year"] == "2022"), "students"] = "3"
    schools.to_csv(folder / "schools.csv", index=False)
    tasks = _read(folder / "tasks.csv")
    row = (tasks["county"] == COUNTY) & (tasks["item"] == "6") & (tasks["year"] == "2022")
    assert row.any()
    tasks.loc[row.idxmax(), ["title_zh", "title_en"]] = TASK_TITLE
    tasks.to_csv(folder / "tasks.csv", index=False)
    counties = CountyRegistry.builtin().table.copy()
    counties.loc[counties["county_code"] == COUNTY, ["name_zh", "name_en"]] = [NAME_ZH, NAME_EN]
    counties.loc[counties["county_code"] == OTHER, "name_en"] = NAME_EN_INJECTION_NO_SLASH
    counties.to_csv(folder / "counties.csv", index=False)
    return folder


def qyanalysis(*argv: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qyanalysis", *argv], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


def crafted_render(tmp_path_factory) -> tuple[Path, Path]:
    """The crafted data folder and its rendered ``OUT/2022`` (one county, ``00_overview`` and
    ``02_development``, in Chinese), made once per test session (``test_browser`` opens these pages)."""
    base = tmp_path_factory.getbasetemp() / "crafted-render"
    data, out = base / INJECTION, base / "out"
    if not (base / "done").exists():
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir()
        craft(data)
        done = qyanalysis("run", "--data", str(data), "--out", str(out), "--county", COUNTY, "--notebook",
                          "00_overview", "02_development", "--jobs", "2", "--quiet")
        assert done.returncode == 0, done.stderr
        (base / "done").touch()
    return data, out / "2022"


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> Path:
    return craft(tmp_path_factory.mktemp("safe") / INJECTION)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """OUT/2022 of the crafted data: one county, two real notebooks, in Chinese."""
    return crafted_render(tmp_path_factory)[1]


# -- reading pages as a browser would ------------------------------------------------------------

URL_ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "data"}


# The files an index page offers under Downloads (qyanalysis.runner.outputs.downloads), beside it or in city/.
DOWNLOAD = re.compile(r"(city/)?(scorecards?\.xlsx|scorecard\.csv|school_gaps\.csv|\w+-\d{4}\.pdf)")
# The one handler our pages carry: the print button (qyanalysis/present/templates/_parts.html.j2).
PRINT_BUTTON = ("button", "onclick", "window.print()")


def _own_link(value: str) -> bool:
    """Links our pages make: embedded images, anchors, sibling pages, the downloads."""
    return (value.startswith(("data:", "#")) or bool(DOWNLOAD.fullmatch(value))
            or bool(re.fullmatch(r"[\w./-]+\.html", value)))


class PageScan(HTMLParser):
    """The text a reader sees, the tables, and anything active (scripts, handlers, javascript: URLs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.active: list[str] = []
        self.print_buttons = 0
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            self.active.append(f"<{tag}>")
        for name, value in attrs:
            value = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if (tag, name, value) == PRINT_BUTTON:
                self.print_buttons += 1
            elif name.startswith("on") or value.startswith(("javascript:", "vbscript:")):
                self.active.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and not _own_link(value):
                self.active.append(f"<{tag} {name}={value!r}>")
            if tag == "meta" and name == "http-equiv":
                self.active.append(f"<meta http-equiv={value!r}>")
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def scan(page: Path) -> PageScan:
    from report_helpers import without_table_script

    # Our one script, at most once; any other script — or this one changed by a byte — is reported below.
    raw = without_table_script(page.read_text(encoding="utf-8"))
    parser = PageScan()
    parser.feed(raw)
    parser.close()
    # Raw-text checks besides the parse: no script tag in any spelling of ours or the data's.
    if re.search(r"<\s*script", raw, re.IGNORECASE):
        parser.active.append("raw <script")
    return parser


def text_of(page: Path) -> str:
    return "".join(scan(page).text)


# -- scripts from the data -----------------------------------------------------------------------

@pytest.mark.slow
def test_no_page_carries_anything_active(rendered):
    pages = sorted(rendered.rglob("*.html"))
    assert {p.relative_to(rendered).as_posix() for p in pages} == {
        "index.html", "methods.html", f"{COUNTY}/index.html", f"{COUNTY}/00_overview.html",
        f"{COUNTY}/02_development.html"}
    for page in pages:
        found = scan(page)
        assert found.active == [] and found.print_buttons == 1, page


@pytest.mark.slow
def test_hostile_strings_are_shown_as_text(rendered):
    section = text_of(rendered / COUNTY / "02_development.html")
    for name in SCHOOL_NAMES:
        assert name in section, name  # shown literally, i.e. escaped in the HTML
    assert TASK_TITLE in section
    for page in ("index.html", f"{COUNTY}/index.html", f"{COUNTY}/00_overview.html",
                 f"{COUNTY}/02_development.html"):
        assert NAME_ZH in text_of(rendered / page), page
    raw = (rendered / COUNTY / "02_development.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;第一中学" in raw
    assert "&lt;img src=x onerror=alert(1)&gt;第二中学" in raw


@pytest.mark.slow
def test_injected_folder_name_never_runs(rendered):
    crafted = rendered.parent.parent / INJECTION
    assert not PWNED.exists()
    footer = text_of(rendered / COUNTY / "00_overview.html")
    assert f"data={crafted.name}" in footer  # the folder name is shown, as text
    notebook = (rendered / COUNTY / "00_overview.ipynb").read_text(encoding="utf-8")
    assert "chr(47)" in notebook  # it reached the kernel only as a string literal


@pytest.mark.slow
def test_english_names_and_the_injection_through_county_names(crafted, tmp_path):
    """Index pages in English (test notebook, real loader): names escaped, ``--county NAME`` not injected."""
    out = tmp_path / "out"
    notebooks = tmp_path / "notebooks"  # the kernels' working folder: a relative `touch` would land here
    shutil.copytree(TEST_NOTEBOOKS, notebooks)
    done = qyanalysis("run", "--data", str(crafted), "--out", str(out), "--lang", "en", "--notebooks-dir",
                      str(notebooks), "--notebook", "00_overview", "--county", NAME_EN_INJECTION_NO_SLASH,
                      NAME_EN, "--jobs", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    assert not PWNED.exists() and not (notebooks / PWNED.name).exists()
    english = out / "2022" / "en"  # English pages beside the Chinese ones (none here)
    city = english / "index.html"
    assert NAME_EN in text_of(city) and NAME_EN_INJECTION_NO_SLASH in text_of(city)
    assert NAME_EN in text_of(english / COUNTY / "index.html")
    for page in out.rglob("*.html"):
        assert scan(page).active == [], page
    # The test notebook prints its parameters: the county arrives as its code, never as the name.
    assert f"county={OTHER} " in text_of(english / OTHER / "00_overview.html")
    # The CONTRACT's spelling contains "/": refused as a path, before anything is written.
    refused = qyanalysis("run", "--data", str(crafted), "--out", str(tmp_path / "out2"), "--county",
                         NAME_EN_INJECTION)
    assert refused.returncode == 2 and "not a path" in refused.stderr
    assert not (tmp_path / "out2").exists() and not PWNED.exists()


# -- small counts ---------------------------------------------------------------------------------------

def _table_after(page: Path, heading: str) -> list[list[str]]:
    """The first table after the heading ``heading`` on ``page``, as rows of cell texts."""
    raw = page.read_text(encoding="utf-8")
    start = raw.index(heading)
    end = raw.index("</table>", start) + len("</table>")
    parser = PageScan()
    parser.feed(raw[start:end])
    return parser.tables[0]


@pytest.mark.slow
def test_a_group_of_three_children_shows_as_under_five(rendered):
    from qyanalysis.present.labels import t

    rows = _table_after(rendered / COUNTY / "02_development.html", t("report.preschool_enrollment", "zh"))
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    students = header.index(t("report.students_count", "zh"))
    private = body[t("ownership.private", "zh")]
    assert private[students] == "<5"
    assert "3" not in private[students]
    hidden = [row[students] for row in body.values()]
    assert hidden.count("[c]") == 1  # one complementary cell: the total cannot give the 3 back
    assert private[header.index(t("report.schools_count", "zh"))] == "1"  # schools are not persons


@pytest.mark.slow
def test_disabled_pupils_of_a_school_are_not_published(rendered):
    from qyanalysis.present.labels import t

    page = rendered / COUNTY / "02_development.html"
    rows = _table_after(page, t("report.schools_short", "zh"))
    row = next(r for r in rows if r and r[0] == DISCLOSURE_SCHOOL)  # the school is listed by name …
    assert "3" not in row[1:]  # … with no cell holding its 3 disabled pupils
    assert not any("残疾" in cell for cell in rows[0])  # and no column about disabled pupils
    assert text_of(page).count(DISCLOSURE_SCHOOL) == 1  # nowhere else on the page


# -- paths and data that are refused before anything is written ---------------------------------------

@pytest.fixture
def fake_run(monkeypatch, tmp_path):
    """``qyanalysis run`` in this process with the fake loader (argument checks only)."""
    monkeypatch.setattr(batch_module, "_default_loader", fake_load_dataset)
    monkeypatch.setattr(batch_module, "_default_scorecard", fake_scorecard)
    data = make_data(tmp_path / "data")

    def run(*argv: str, out: Path | None = None, data_dir: Path = data) -> int:
        out = out or tmp_path / "out"
        try:
            return cli.main(["run", "--data", str(data_dir), "--out", str(out), "--notebooks-dir",
                             str(TEST_NOTEBOOKS), "--quiet", *argv])
        except SystemExit as exc:  # argparse refuses before our code runs
            return int(exc.code)

    return run, data


@pytest.mark.parametrize("argv", [
    ["--year", "../1"], ["--lang", "../../x"], ["--county", ".."], ["--county", "441802/../441803"],
    ["--county", "441802\x00"], ["--notebook", "../../etc/passwd"], ["--county", "~"],
])
def test_path_tricks_in_arguments_exit_2_and_write_nothing(fake_run, tmp_path, capsys, argv):
    run, _ = fake_run
    assert run(*argv) == 2
    assert "error" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["equal", "inside"])
def test_out_inside_the_data_folder_is_refused(fake_run, capsys, where):
    """Raw inputs are read-only (STYLE.md habit 6): reports never go into the data folder."""
    run, data = fake_run
    before = sorted(p.name for p in data.rglob("*"))
    out = data if where == "equal" else data / "reports"
    assert run("--county", COUNTY, out=out) == 2
    assert "inside the data folder" in capsys.readouterr().err
    assert sorted(p.name for p in data.rglob("*")) == before


def test_data_inside_the_written_year_folder_is_refused(fake_run, tmp_path, capsys):
    run, data = fake_run
    inner = tmp_path / "out" / "2022" / "data"
    shutil.copytree(data, inner)
    assert run("--county", COUNTY, data_dir=inner) == 2
    assert "which the run writes" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["2022", "data", "schools.csv"]


def _copy_demo(folder: Path) -> Path:
    shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("teachers.parquet", "README.md"))
    return folder


def _refused_run(monkeypatch, capsys, *argv: str) -> str:
    """``qyanalysis run ARGV`` in this process (no kernel started ahead) exits 2 without a traceback: its
    stderr. (A refusal in a fresh process: tests/test_badinput.py; a refused run stopping the kernels it
    started ahead: tests/test_runner_batch.py.)"""
    no_kernels_ahead(monkeypatch)
    code = cli.main(["run", *argv, "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    return err


def test_registry_code_that_is_a_path_exits_2(tmp_path, monkeypatch, capsys):
    data = _copy_demo(tmp_path / "data")
    counties = CountyRegistry.builtin().table.copy()
    counties.loc[counties["county_code"] == COUNTY, "county_code"] = "../../x"
    counties.to_csv(data / "counties.csv", index=False)
    err = _refused_run(monkeypatch, capsys, "--data", str(data), "--out", str(tmp_path / "out"))
    assert "counties.csv" in err and "../../x" in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "x").exists()


def test_personal_data_column_exits_2_through_run(tmp_path, monkeypatch, capsys):
    data = _copy_demo(tmp_path / "data")
    schools = _read(data / "schools.csv")
    schools["身份证号"] = "44180219900101123X"
    schools.to_csv(data / "schools.csv", index=False)
    err = _refused_run(monkeypatch, capsys, "--data", str(data), "--out", str(tmp_path / "out"), "--county",
                       COUNTY)
    assert "身份证号" in err and "personal" in err
    assert not (tmp_path / "out").exists()


def test_the_crafted_folder_is_valid_data(crafted):
    """The hostile strings pass validation: they must be defused by escaping, not by luck."""
    done = qyanalysis("validate", str(crafted), timeout=120)
    assert done.returncode == 0, done.stderr
    assert os.path.basename(crafted) == INJECTION
