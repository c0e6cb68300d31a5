"""Printing: the A4 print rules of every page, the book of a county, and ``qyanalysis pdf`` with Chromium.

The fast tests check the pieces by hand-computed values (CSS string escapes,
page-number content, links rebased into the book, the page tree and named
destinations of a hand-written PDF, the command without a browser). The slow
ones render one county (the crafted data of ``test_safe_sharing``: a county name
holding ``<script>`` and a Markdown link), print it with headless Chromium and
read the PDF back with poppler (``pdfinfo``, ``pdftotext``, ``pdffonts``,
``pdfimages``, ``pdftoppm``). Two pages are kept as PNG under
``test-artifacts/pdf/`` (git-ignored; paths printed with ``pytest -s``).
"""

from __future__ import annotations

import http.server
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from qyanalysis.cli import main
from qyanalysis.present.printing import (
    BookSection,
    book_html,
    css_string,
    margin_rules,
    page_number_content,
    rebase_links,
    running_head,
)
from qyanalysis.runner import pdf as pdf_module
from qyanalysis.runner.chromium import ChromiumMissingError, find_chromium
from qyanalysis.runner.pdf import destination_pages, page_count, pdf_name

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "pdf"
A4_POINTS = (595.28, 841.89)
POPPLER = ("pdfinfo", "pdftotext", "pdffonts", "pdfimages", "pdftoppm")


# -- pieces, by hand ----------------------------------------------------------------------------------

def test_css_string_escapes_what_could_end_the_string_or_the_style_element():
    assert css_string('a"b') == '"a\\000022b"'
    assert css_string("x\\y") == '"x\\00005cy"'
    assert css_string("</style>") == '"\\00003c/style\\00003e"'
    assert css_string("清城区\n 2022") == '"清城区 2022"'  # Chinese as is (the subset font sees it)
    assert css_string(" 页") == '" 页"'  # spaces kept at the ends


def test_page_number_content_in_both_languages():
    assert page_number_content("zh") == '"第 " counter(page) " 页 / 共 " counter(pages) " 页"'
    assert page_number_content("en") == '"Page " counter(page) " of " counter(pages)'


def test_running_head_and_margin_rules():
    head = running_head("连南瑶族自治县", 2022, "2022-09", "zh")
    assert head == "连南瑶族自治县 · 2022 · 数据截至 2022-09"
    assert running_head("Liannan", 2022, None, "en") == "Liannan · 2022"
    rule = margin_rules(head='清城区<script>"', lang="zh", title="二、发展", notice="演示数据", page_name="qy-s2")
    assert rule.startswith("@page qy-s2{")
    assert '@top-left{content:"清城区\\00003cscript\\00003e\\000022";}' in rule
    assert '@top-right{content:"二、发展";}' in rule and '@bottom-left{content:"演示数据";}' in rule
    assert "<" not in rule
    assert "@bottom-left" not in margin_rules(head="x", lang="en")  # real data: no notice


def test_links_are_rebased_into_the_book():
    body = ('<h2 id="item-5">x</h2><a href="#item-5">a</a><a href="02_development.html#item-6">b</a>'
            '<a href="02_development.html">c</a><a href="../index.html">d</a><a href="scorecard.csv">e</a>'
            '<a href="https://example.org/plan">f</a>')
    out = rebase_links(body, "00_overview", ["00_overview", "02_development"])
    assert '<h2 id="00_overview--item-5">' in out
    assert '<a href="#00_overview--item-5">a</a>' in out
    assert '<a href="#02_development--item-6">b</a>' in out
    assert '<a href="#sec-02_development">c</a>' in out
    assert "<a>d</a>" in out and "<a>e</a>" in out  # dead in a PDF: text only
    assert '<a href="https://example.org/plan">f</a>' in out


def test_the_book_has_a_contents_page_named_pages_and_lists_a_missing_page():
    sections = [BookSection("00_overview", "总览", '<h1>总览</h1><h2 id="item-1">第 1 项 甲</h2>'),
                BookSection("01_party_leadership", "一、党建", None, "failed")]
    text = book_html(title="连南 2022", subtitle="连南 · 2022", head="连南 · 2022", notice="演示", lang="zh",
                     css="body{}", sections=sections, page_numbers={"sec-00_overview": 2,
                                                                    "00_overview--item-1": 3})
    assert '<section class="qy-print-section" id="sec-00_overview" style="page:qy-s1">' in text
    assert '@page qy-s1{@top-left{content:"连南 · 2022";} @top-right{content:"总览";}' in text
    assert re.search(r'href="#sec-00_overview">.*?<span class="qy-toc-page">2</span>', text)
    assert re.search(r'href="#00_overview--item-1">.*?第 1 项 甲.*?<span class="qy-toc-page">3</span>', text)
    assert "一、党建" in text and "生成失败" in text and "未收入本文件" in text
    assert "qy-s2" not in text  # a missing page gets no sheet
    assert '<body class="qy-report qy-print-book">' in text
    per_sheet = book_html(title="t", subtitle="s", head="h", notice=None, lang="en", css="", sections=sections,
                          item_per_sheet=True)
    assert '<body class="qy-report qy-print-book qy-item-per-sheet">' in per_sheet
    assert '<span class="qy-toc-page"></span>' in per_sheet  # numbers not known yet: empty places


def _pdf(objects: dict[int, str], root: int) -> bytes:
    body = "%PDF-1.4\n" + "".join(f"{n} 0 obj\n{text}\nendobj\n" for n, text in objects.items())
    return (body + f"trailer\n<</Size {max(objects) + 1} /Root {root} 0 R>>\n%%EOF\n").encode("latin-1")


def test_page_tree_and_named_destinations_of_a_hand_written_pdf():
    # Catalogue 1; page tree 2 → [page 3, node 4 → [page 5, page 6]]; destinations on pages 2 and 3.
    pdf = _pdf({1: "<</Type /Catalog /Pages 2 0 R /Dests 7 0 R>>",
                2: "<</Type /Pages /Count 3 /Kids [3 0 R 4 0 R]>>",
                3: "<</Type /Page /Parent 2 0 R>>",
                4: "<</Type /Pages /Parent 2 0 R /Count 2 /Kids [5 0 R 6 0 R]>>",
                5: "<</Type /Page /Parent 4 0 R>>",
                6: "<</Type /Page /Parent 4 0 R>>",
                7: "<</sec-02_development [5 0 R /XYZ 6 800 0]"
                   " /00_overview--item#2D5 [6 0 R /XYZ 6 500 0]>>"},
               root=1)
    assert page_count(pdf) == 3
    assert destination_pages(pdf) == {"sec-02_development": 2, "00_overview--item-5": 3}
    assert destination_pages(b"not a pdf") == {} and page_count(b"not a pdf") == 0


def test_pdf_name_carries_the_year_and_an_english_pdf_its_language():
    assert pdf_name("441826", 2022) == "441826-2022.pdf"
    assert pdf_name("city", 2022) == "city-2022.pdf"
    assert pdf_name("city", 2022, "en") == "city-2022-en.pdf"


def test_every_language_rendered_is_printed_unless_one_is_named(tmp_path):
    from qyanalysis.errors import UsageError
    from qyanalysis.runner.pdf import resolve_langs, resolve_year_dir

    (tmp_path / "2021").mkdir()
    (tmp_path / "2022" / "en").mkdir(parents=True)
    (tmp_path / "2022" / "en" / "run.json").write_text("{}")  # English alone
    assert resolve_year_dir(tmp_path, None) == (2022, tmp_path / "2022")
    assert resolve_langs(tmp_path / "2022", None) == ["en"]
    with pytest.raises(UsageError, match="--lang zh"):
        resolve_langs(tmp_path / "2022", ["zh"])
    (tmp_path / "2022" / "run.json").write_text("{}")
    assert resolve_langs(tmp_path / "2022", None) == ["zh", "en"]
    assert resolve_langs(tmp_path / "2022", ["en", "en"]) == ["en"]
    with pytest.raises(UsageError):
        resolve_year_dir(tmp_path, 2021)


# -- the command without a browser --------------------------------------------------------------------

def _fake_rendered(out: Path) -> Path:
    """A minimal rendered folder: one county, one page."""
    year_dir = out / "2022"
    (year_dir / "441826").mkdir(parents=True)
    (year_dir / "run.json").write_text(
        '{"year": 2022, "params": {"lang": "zh", "counties": ["441826"]}, "data": {"is_demo": true},'
        ' "notebooks": {"441826/00_overview": {"county_code": "441826", "notebook": "00_overview",'
        ' "status": "ok"}}, "scorecards": {}}', encoding="utf-8")
    (year_dir / "441826" / "00_overview.html").write_text(
        '<html><head><title>连南 · 总览</title></head><body><main class="qy-main"><h1>总览</h1></main>'
        "</body></html>", encoding="utf-8")
    return year_dir


def test_without_chromium_the_command_says_how_to_get_it(tmp_path, monkeypatch, capsys):
    _fake_rendered(tmp_path / "out")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ChromiumMissingError, match="apt-get install chromium"):
        find_chromium()
    assert main(["pdf", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "apt-get install chromium" in err and "--chromium PATH" in err and "Traceback" not in err
    assert main(["pdf", "--out", str(tmp_path / "out"), "--chromium", str(tmp_path / "no-such")]) == 2
    assert "is not an executable file" in capsys.readouterr().err
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_run_with_pdf_and_no_chromium_stops_before_rendering(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["run", "--out", str(tmp_path / "out"), "--pdf", "--quiet"]) == 2
    assert "apt-get install chromium" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_pdf_of_a_folder_without_a_report_or_of_an_unknown_county(tmp_path, capsys):
    assert main(["pdf", "--out", str(tmp_path)]) == 2
    assert "no rendered report" in capsys.readouterr().err
    _fake_rendered(tmp_path / "out")
    assert main(["pdf", "--out", str(tmp_path / "out"), "--county", "441899"]) == 2
    assert "441826" in capsys.readouterr().err  # names what was rendered


# -- printing with Chromium ---------------------------------------------------------------------------

def _chromium() -> str:
    try:
        return find_chromium()
    except ChromiumMissingError:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")


def _poppler() -> None:
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"poppler-utils missing ({', '.join(missing)}; Debian package `poppler-utils`, "
                    ".ci/run installs it)")


def _run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def pdf_pages_text(path: Path, *options: str) -> list[str]:
    """The text of each page (pdftotext, reading order; ``-layout`` keeps lines as printed)."""
    return _run("pdftotext", "-enc", "UTF-8", *options, str(path), "-").split("\f")[:-1]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """A copy of the crafted render (one county: 00_overview, 02_development) printed by ``qyanalysis pdf``."""
    _chromium()
    _poppler()
    from test_safe_sharing import crafted_render

    year_dir = tmp_path_factory.mktemp("printed") / "2022"
    shutil.copytree(crafted_render(tmp_path_factory)[1], year_dir)
    assert main(["pdf", "--out", str(year_dir.parent), "--year", "2022"]) == 0
    return year_dir


slow = pytest.mark.slow


@slow
def test_the_county_pdf_is_a4_with_every_page_and_a_numbered_contents_page(printed):
    from test_safe_sharing import COUNTY, NAME_ZH

    path = printed / COUNTY / pdf_name(COUNTY, 2022)
    info = _run("pdfinfo", str(path))
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (width, height) == pytest.approx(A4_POINTS, abs=1.0)
    pdf = path.read_bytes()
    assert page_count(pdf) == pages
    texts = pdf_pages_text(path)
    assert len(texts) == pages >= 4  # contents, the overview, section 2 (several sheets)
    for number, text in enumerate(texts, start=1):
        # Running header (the crafted name as text, not markup), notice and page number on every sheet.
        assert "清城区<script>alert(1)</script>" in text and "2022" in text, number
        assert "本报告使用合成演示数据" in text, number
        assert f"第{number}页/共{pages}页" in "".join(text.split()), number  # pdftotext may drop spaces
    assert "目录" in texts[0] and NAME_ZH in texts[0]
    # The contents page gives the sheet each page starts on (named destinations of the final PDF).
    starts = destination_pages(pdf)
    development = starts["sec-02_development"]
    assert "二、全力推进教育高质量发展" in texts[development - 1]
    contents = pdf_pages_text(path, "-layout")[0]
    assert re.search(rf"二、全力推进教育高质量发展 +{development}\n", contents), contents
    assert re.search(rf"第 6 项 加大基础教育学位供给 +{starts['02_development--item-6']}\n", contents)
    assert "第 6 项 加大基础教育学位供给" in texts[starts["02_development--item-6"] - 1]


@slow
def test_fonts_are_embedded_so_chinese_survives_without_cjk_fonts(printed):
    from test_safe_sharing import COUNTY

    path = printed / COUNTY / pdf_name(COUNTY, 2022)
    rows = _run("pdffonts", str(path)).splitlines()[2:]
    assert rows, "the PDF has fonts"
    for row in rows:
        emb = row.split()[-5]  # name type encoding emb sub uni object ID
        assert emb == "yes", row


@slow
def test_no_chart_is_cut_across_sheets(printed):
    """Each chart of the pages is drawn exactly once, on one sheet, whole (a cut image is drawn on two)."""
    from test_safe_sharing import COUNTY

    charts = sum(len(re.findall(r'<img [^>]*src="data:image/png', (printed / COUNTY / f"{stem}.html")
                                .read_text(encoding="utf-8"))) for stem in ("00_overview", "02_development"))
    path = printed / COUNTY / pdf_name(COUNTY, 2022)
    listed = _run("pdfimages", "-list", str(path)).splitlines()[2:]
    drawn = [row.split() for row in listed if row.split()[2] == "image"]
    assert charts >= 3 and len(drawn) == charts, (charts, listed)
    # Whole: a chart shown on a sheet at most the sheet's printable height (pdfimages gives its
    # resolution; height in inches = pixels / y-ppi; A4 minus margins = 11.69 in − 38 mm).
    printable_in = 11.69 - 38 / 25.4
    for row in drawn:
        height_px, y_ppi = int(row[4]), float(row[13])
        assert height_px / y_ppi <= printable_in + 0.01, row


@slow
def test_two_sheets_as_png_are_kept_as_artefacts(printed):
    from test_safe_sharing import COUNTY

    import matplotlib.image as mpimg

    path = printed / COUNTY / pdf_name(COUNTY, 2022)
    chart_sheet = next(int(row.split()[0]) for row in _run("pdfimages", "-list", str(path)).splitlines()[2:])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kept = []
    for sheet in (1, chart_sheet):
        stem = ARTIFACTS / f"{COUNTY}-2022-p{sheet}"
        _run("pdftoppm", "-png", "-r", "60", "-f", str(sheet), "-l", str(sheet), "-singlefile", str(path),
             str(stem))
        png = stem.with_suffix(".png")
        pixels = mpimg.imread(str(png))[..., :3]
        height, width = pixels.shape[:2]
        assert height / width == pytest.approx(A4_POINTS[1] / A4_POINTS[0], rel=0.01)
        assert float((pixels < 0.9).any(axis=2).mean()) > 0.02, png  # not blank
        kept.append(png)
        print(f"PDF sheet as PNG: {png}")
    assert kept[0].read_bytes() != kept[1].read_bytes()


@slow
def test_an_up_to_date_pdf_is_not_printed_again(printed, capsys):
    from test_safe_sharing import COUNTY

    path = printed / COUNTY / pdf_name(COUNTY, 2022)
    before = path.stat().st_mtime_ns
    assert main(["pdf", "--out", str(printed.parent), "--county", COUNTY]) == 0
    assert "up to date" in capsys.readouterr().out
    assert path.stat().st_mtime_ns == before


@slow
def test_a_page_printed_on_its_own_has_the_running_header_and_footer(printed, tmp_path):
    """What a reader gets from the browser's Print on one page: A4, header, notice and page numbers."""
    from test_safe_sharing import COUNTY

    with pdf_module.Chromium(_chromium()) as browser:
        pdf = browser.print_pdf(printed / COUNTY / "02_development.html")
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    texts = pdf_pages_text(path)
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert "二、全力推进教育高质量发展 · 2022" in text and "清城区<script>" in text, number
        assert "本报告使用合成演示数据" in text, number
        assert f"第{number}页/共{len(texts)}页" in "".join(text.split()), number  # pdftotext may drop spaces


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        _Recorder.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@slow
def test_the_printing_browser_makes_no_network_request(tmp_path):
    """A page asking for a loopback and a remote image prints without either request reaching anything."""
    _chromium()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        page = tmp_path / "page.html"
        page.write_text(f'<!DOCTYPE html><html><body><p>x</p><img src="http://127.0.0.1:{port}/chart.png">'
                        f'<img src="http://localhost:{port}/b.png"><img src="https://example.org/c.png">'
                        "</body></html>", encoding="utf-8")
        with pdf_module.Chromium(_chromium()) as browser:
            pdf = browser.print_pdf(page)
        assert pdf.startswith(b"%PDF") and page_count(pdf) == 1
        assert _Recorder.hits == []
    finally:
        server.shutdown()
        server.server_close()


# -- every page carries its print header and footer ---------------------------------------------------

def test_every_kind_of_page_carries_its_running_header_and_footer():
    from test_html import executed_notebook, provenance

    from qyanalysis.present.html import notebook_to_html, render_county_index

    params = provenance(county="441826", as_of="2022-09")
    page = notebook_to_html(executed_notebook(), title="连南瑶族自治县 · 二、发展", lang="zh",
                            provenance=params, banner="演示数据")
    assert ('@page{@top-left{content:"连南瑶族自治县 · 二、发展 · 2022 · 数据截至 2022-09";} '
            '@bottom-left{content:"演示数据";} @bottom-right{content:"第 " counter(page)') in page
    index = render_county_index(county_name="连南瑶族自治县", year=2022, lang="en", status_counts=None,
                                pages=[], provenance=provenance(), banner=None)
    # The title already holds the year; real data: no notice.
    assert '@page{@top-left{content:"连南瑶族自治县 · 2022";} @bottom-right{content:"Page " counter(page)' in index
    for text in (page, index):
        assert "size: A4 portrait" in text and "thead { display: table-header-group; }" in text


@slow
def test_no_sheet_ends_with_a_heading(printed):
    """A heading (plan item, table title) is printed on the sheet of what follows it, never alone at its foot."""
    import html as html_module

    from test_safe_sharing import COUNTY

    headings = set()
    for stem in ("00_overview", "02_development"):
        page = (printed / COUNTY / f"{stem}.html").read_text(encoding="utf-8")
        for text in re.findall(r"<h[234][^>]*>(.*?)</h[234]>", page, re.S):
            headings.add(" ".join(html_module.unescape(re.sub(r"<[^>]+>", "", text)).split()))
    assert any(h.startswith("第 6 项") for h in headings)
    sheets = pdf_pages_text(printed / COUNTY / pdf_name(COUNTY, 2022), "-layout")
    for number, text in enumerate(sheets[1:], start=2):  # after the contents page
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        body = [line for line in lines if "合成演示数据" not in line and "页 /" not in line]
        assert body and body[-1] not in headings, (number, body[-1:])
