"""Offline HTML pages: notebook export and index pages (qyanalysis.present.html)."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from report_helpers import without_table_script

from qyanalysis.present.html import (
    CountyEntry,
    Failure,
    PageLink,
    make_provenance,
    notebook_to_html,
    ordered_counts,
    render_city_index,
    render_county_index,
)

# A 1×1 PNG.
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a10000000049454e44ae426082")).decode()
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?\s*(?:https?:)?//""",
                      re.IGNORECASE)
EVIL = '<script>alert("x")</script>&'


def executed_notebook() -> nbformat.NotebookNode:
    """An executed notebook as the runner produces it (parameters + injected cells, outputs)."""
    params = new_code_cell('county: str = "441802"\nyear: int = 2022', metadata={"tags": ["parameters"]})
    params.outputs = [new_output("stream", name="stdout", text="PARAMETER-CELL-OUTPUT\n")]
    injected = new_code_cell('county = "441803"', metadata={"tags": ["injected-parameters"]})
    injected.outputs = [new_output("stream", name="stdout", text="INJECTED-CELL-OUTPUT\n")]
    shown = new_code_cell("SECRET_SOURCE_CODE = 1\nprint('hello')", execution_count=3)
    shown.outputs = [
        new_output("stream", name="stdout", text="hello 清城\n"),
        new_output("stream", name="stderr", text="UserWarning: WARNING-TEXT\n"),
        new_output("display_data", data={"text/html": "<table><tr><td>表</td></tr></table>"}),
        new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        new_output("execute_result", data={"text/plain": "42"}, execution_count=3),
    ]
    nb = new_notebook(cells=[params, injected, new_markdown_cell("# 标题 Title"), shown])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector


def provenance(**overrides):
    params = {"county": "441802", "year": 2022, "lang": "zh"} | overrides
    return make_provenance("f" * 64, params, generated_at="2022-05-01T08:00Z", version="0.1.0")


def test_notebook_page_is_offline_and_hides_code_and_parameters():
    page = notebook_to_html(executed_notebook(), title="清城区 · 总览", lang="zh", provenance=provenance(),
                            banner="演示数据")
    assert page.rstrip().endswith("</html>")
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    assert "cdn" not in page.lower() and "require.js" not in page and "MathJax" not in page
    parsed = parse(page)
    assert not [a for t, a in parsed.tags if t == "script" and "src" in a]
    assert not [a for t, a in parsed.tags if t == "link"]
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in parsed.tags
    images = [a["src"] for t, a in parsed.tags if t == "img"]
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    text = "".join(parsed.text)
    assert "hello 清城" in text and "表" in text
    assert "标题 Title" not in text  # markdown cells are notes for notebook users, not page content
    for hidden in ("SECRET_SOURCE_CODE", "PARAMETER-CELL-OUTPUT", "INJECTED-CELL-OUTPUT", "WARNING-TEXT",
                   "In [", "Out["):
        assert hidden not in page, hidden
    assert '<html lang="zh-CN">' in page
    assert "演示数据" in page and "qy-banner" in page and "f" * 16 in page


def test_notebook_page_escapes_banner_title_and_parameters():
    page = notebook_to_html(executed_notebook(), title=EVIL, lang="en", provenance=provenance(county=EVIL),
                            banner=EVIL)
    page = without_table_script(page)
    assert "<script>" not in page
    assert page.count("&lt;script&gt;alert(") == 4  # title, banner, footer parameter, the untitled image's alt
    assert '<html lang="en">' in page


def test_no_banner_for_real_data():
    page = notebook_to_html(executed_notebook(), title="t", lang="zh", provenance=provenance(), banner=None)
    assert "qy-banner" not in page.split("<style>")[0] + page.split("</style>")[1]


def test_county_index_escapes_a_malicious_county_name():
    page = render_county_index(
        county_name=EVIL, year=2022, lang="zh", status_counts={"no_data": 2, "met": 3},
        pages=[PageLink("总览", "00_overview.html"), PageLink(EVIL, None, "failed")],
        provenance=provenance(county=EVIL), banner="演示")
    assert "<script>" not in page and "&lt;script&gt;" in page
    parsed = parse(page)
    hrefs = [a["href"] for t, a in parsed.tags if t == "a"]
    assert hrefs == ["../index.html", "scorecard.csv", "00_overview.html", "../methods.html"]
    text = "".join(parsed.text)
    # met before no_data (scorecard order), with the Chinese labels
    assert text.index("达标") < text.index("无数据")
    assert not EXTERNAL.search(page)
    assert page.rstrip().endswith("</html>")


def test_city_index_links_counties_and_lists_failures_only_when_there_are_some():
    counties = [CountyEntry("441802", "清城区", "441802/index.html", {"met": 2}),
                CountyEntry("441803", EVIL, None, None)]
    without = render_city_index(city_name="清远市", year=2022, lang="zh", counties=counties,
                                city_href="city/index.html", failures=[], provenance=provenance())
    assert "未能生成的报告" not in without
    hrefs = [a["href"] for t, a in parse(without).tags if t == "a"]
    assert hrefs == ["city/index.html", "441802/index.html", "methods.html"]
    with_failure = render_city_index(
        city_name="清远市", year=2022, lang="en", counties=counties, city_href=None,
        failures=[Failure("清城区", "02_development", 4, f"ValueError: {EVIL}")], provenance=provenance())
    assert "Reports that failed" in with_failure and "02_development" in with_failure
    assert "<script>" not in with_failure
    assert re.search(r'<td class="num">4</td>', with_failure)


def test_ordered_counts_puts_known_statuses_first():
    assert ordered_counts({"zzz": 1, "no_data": 2, "met": 3}) == [("met", 3), ("no_data", 2), ("zzz", 1)]


def test_a_notebook_showing_its_own_banner_gets_no_second_one():
    nb = executed_notebook()
    nb.cells[-1].outputs.insert(0, new_output("display_data", data={
        "text/html": '<div class="qy-demo-banner">演示数据</div>'}))
    page = notebook_to_html(nb, title="t", lang="zh", provenance=provenance(), banner="演示数据")
    body = page.split("</style>", 1)[1]  # the stylesheet repeats the notice in the printed footer
    assert body.count("演示数据") == 1


def test_pages_declare_the_local_subset_font_last():
    page = notebook_to_html(executed_notebook(), title="t", lang="zh", provenance=provenance(), banner=None)
    assert 'src:url("../assets/qy-cjk.otf")' in page
    assert '"QY CJK", sans-serif' in page


def _page_with_charts(alt: str | None = "县区差异系数") -> nbformat.NotebookNode:
    """The executed notebook plus a chart displayed with its title as the output's alt metadata, a wide
    table and a markdown output (what a report page is made of)."""
    nb = executed_notebook()
    chart = new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"},
                       metadata={"image/png": {"alt": alt}} if alt else {})
    nb.cells[-1].outputs += [
        chart,
        new_output("display_data", data={"text/markdown": "**12 项** 目标 & <b>粗体</b>"}),
        new_output("display_data", data={"text/html": '<div class="qy-table"><table><tr><th>县区</th>'
                                                      '<td>1&nbsp;234 人</td></tr></table></div>'}),
    ]
    return nb


def test_the_lean_export_writes_what_nbconverts_parsing_pass_wrote(monkeypatch):
    """Without nbconvert's BeautifulSoup pass a page holds the same elements, attributes and text."""
    from nbconvert import HTMLExporter

    from qyanalysis.present import html

    nb = _page_with_charts()
    kwargs = dict(title="清城区 · 总览", lang="zh", provenance=provenance(), banner="演示数据")
    lean = notebook_to_html(nb, **kwargs)
    monkeypatch.setattr(html._lean_exporter_class(), "from_notebook_node", HTMLExporter.from_notebook_node)
    stock = notebook_to_html(nb, **kwargs)
    assert lean != stock  # the parsing pass really was skipped (it re-serialises the page) …
    lean_parsed, stock_parsed = parse(lean), parse(stock)
    # … and the text is the same (BeautifulSoup moves the line breaks between elements, which show nothing),
    assert _words(lean_parsed.text) == _words(stock_parsed.text)
    # as are the elements and their attributes (it writes a class list with single spaces): no tabindex was
    # added (the pass adds it only inside a .jp-Notebook element, which a report page has not), no alt either
    assert _elements(lean_parsed.tags) == _elements(stock_parsed.tags)
    assert all("tabindex" not in attributes for _, attributes in lean_parsed.tags)


def _words(text: list[str]) -> str:
    return re.sub(r"\s+", " ", "".join(text)).strip()


def _elements(tags: list[tuple[str, dict[str, str | None]]]) -> list[tuple[str, dict[str, str | None]]]:
    return [(tag, {name: " ".join(value.split()) if name == "class" and value else value
                   for name, value in attributes.items()}) for tag, attributes in tags]


def test_every_image_has_its_charts_title_as_alt_text():
    page = notebook_to_html(_page_with_charts(), title="清城区 · 总览", lang="zh", provenance=provenance())
    alts = [a.get("alt") for t, a in parse(page).tags if t == "img"]
    assert alts == ["清城区 · 总览", "县区差异系数"]  # an image without a title gets the page's; a chart its own
    assert "No description has been provided" not in page


def test_figure_alt_is_the_charts_title_on_one_line():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from qyanalysis.present.style import figure_alt, one_line

    fig = Figure()
    assert figure_alt(fig) == ""
    left, right = fig.subplots(1, 2)
    left.set_title("县区\n差异系数")
    right.set_title("Teachers per\nhundred pupils", loc="left")
    assert figure_alt(fig) == "县区差异系数; Teachers per hundred pupils"
    fig.suptitle("义务教育\nCV")
    assert figure_alt(fig) == "义务教育CV"
    fig.set_label("未达标目标")
    assert figure_alt(fig) == "未达标目标"
    assert one_line("a\n b \n\nc") == "a b c" and one_line("") == ""
