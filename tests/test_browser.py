"""The pages in a real browser: headless Chromium, offline, from ``file://`` (docs/design.md, “Output layout”).

Chromium is driven over the DevTools protocol (``websocket-client``) with the
network blocked (a dead proxy, every host unresolvable). Each page is opened
at a phone width (390×844) and a laptop width (1280×800); the test asserts
that it loads only ``file:`` and ``data:`` URLs with no failed load, logs no
console error, opens no dialog (the data holds ``alert(1)`` payloads: the
pages are those of ``test_safe_sharing``), does not overflow sideways, that
the subset CJK font ``QY CJK`` loads from ``assets/`` (this machine has no
system CJK font, so without it Chinese would be boxes), and that the
screenshot is not blank and equals a screenshot taken after the page is laid
out again (text first laid out before the font arrived once stayed as boxes,
see ``qyanalysis.present.html.subset_font_first``). Screenshots are saved under the test's tmp folder
and their paths printed (``pytest -s``).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from qyanalysis.present.html import TEMPLATES_DIR
from qyanalysis.present.labels import t
from qyanalysis.runner.chromium import A4_INCHES
from run_helpers import COUNTY as RUN_COUNTY
from test_safe_sharing import COUNTY, crafted_render

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORTS = {"phone": (390, 844, 2, True), "laptop": (1280, 800, 1, False)}
PAGES = ("index.html", f"{COUNTY}/index.html", f"{COUNTY}/02_development.html")
OFFLINE_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
                 "--remote-allow-origins=*", "--remote-debugging-port=0")
RELAYOUT = ("document.body.style.display = 'none'; void document.body.offsetHeight; "
            "document.body.style.display = ''; void document.body.offsetHeight; true")
FONT_PROBE = """(async () => {
  await document.fonts.ready;
  const faces = [...document.fonts].filter(f => f.family.replace(/["']/g, '') === 'QY CJK');
  const before = faces.map(f => f.status);
  for (const face of faces) { try { await face.load(); } catch (e) {} }
  return {before, after: faces.map(f => f.status), check: document.fonts.check('16px "QY CJK"', '清远'),
          chinese: /[\\u4e00-\\u9fff]/.test(document.body.innerText),
          scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth};
})()"""


class DevTools:
    """A minimal DevTools-protocol client over the browser websocket (flattened target sessions)."""

    def __init__(self, url: str) -> None:
        import websocket

        self.ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.events: list[dict] = []
        self._next = 0

    def _receive(self, deadline: float) -> dict:
        self.ws.settimeout(max(0.05, deadline - time.monotonic()))
        message = json.loads(self.ws.recv())
        if "method" in message:
            self.events.append(message)
        return message

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout_s: float = 30.0) -> dict:
        self._next += 1
        request = {"id": self._next, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = session
        self.ws.send(json.dumps(request))
        deadline = time.monotonic() + timeout_s
        while True:
            message = self._receive(deadline)
            if message.get("id") == self._next:
                assert "error" not in message, (method, message["error"])
                return message["result"]

    def wait_for(self, method: str, session: str, timeout_s: float = 30.0) -> dict:
        deadline = time.monotonic() + timeout_s
        while True:
            for event in self.events:
                if event["method"] == method and event.get("sessionId") == session:
                    return event
            assert time.monotonic() < deadline, f"no {method} within {timeout_s} s"
            self._receive(deadline)

    def close(self) -> None:
        self.ws.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A headless Chromium with the network blocked; yields a connected :class:`DevTools`."""
    if not Path(CHROMIUM).is_file():
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    pytest.importorskip("websocket", reason="websocket-client is needed to drive Chromium")
    profile = tmp_path_factory.mktemp("chromium-profile")
    proc = subprocess.Popen([CHROMIUM, *OFFLINE_FLAGS, f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and len(port_file.read_text().splitlines()) >= 2):
            assert proc.poll() is None, f"chromium exited with {proc.returncode}"
            assert time.monotonic() < deadline, "chromium did not open its DevTools port"
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        client = DevTools(f"ws://127.0.0.1:{port}{path}")
        yield client
        client.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    return crafted_render(tmp_path_factory)[1]


def open_page(browser: DevTools, url: str, viewport: str | tuple[int, int, int, bool],
              media: str = "") -> tuple[str, dict]:
    """Open ``url`` in a new tab at ``viewport`` (a name of :data:`VIEWPORTS` or its tuple), as ``media``
    ("print": the print style sheet, no scroll bar) when given; return the session id and the font/layout
    probe."""
    width, height, scale, mobile = VIEWPORTS[viewport] if isinstance(viewport, str) else viewport
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Network", "Log", "Runtime"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                        "deviceScaleFactor": scale, "mobile": mobile},
                 session=session)
    if media:
        browser.send("Emulation.setEmulatedMedia", {"media": media}, session=session)
        browser.send("Emulation.setScrollbarsHidden", {"hidden": True}, session=session)
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for("Page.loadEventFired", session)
    probe = browser.send("Runtime.evaluate", {"expression": FONT_PROBE, "awaitPromise": True,
                                              "returnByValue": True}, session=session)
    assert "exceptionDetails" not in probe, probe
    return session, probe["result"]["value"]


def problems(browser: DevTools, session: str) -> list[str]:
    """Everything the page did that an offline report must not do (a request, a failed load, an error)."""
    found = []
    for event in (e for e in browser.events if e.get("sessionId") == session):
        method, params = event["method"], event.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(("file:", "data:")):
                found.append(f"request to {url}")
        elif method == "Network.loadingFailed":
            found.append(f"load failed: {params.get('errorText')} ({params.get('requestId')})")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            found.append(f"console error: {params.get('args')}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            found.append(f"log error: {params['entry'].get('text')} {params['entry'].get('url', '')}")
        elif method in ("Runtime.exceptionThrown", "Page.javascriptDialogOpening"):
            found.append(f"{method}: {params}")
    return found


def screenshot(browser: DevTools, session: str, path: Path) -> Path:
    data = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
    path.write_bytes(base64.b64decode(data))
    print(f"screenshot: {path}")
    return path


def system_cjk_fonts() -> bool:
    """Whether fontconfig knows a font covering Chinese (then Chromium may not need ``QY CJK``)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True  # unknown: do not assume the subset font was needed
    listed = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30)
    return bool(listed.stdout.strip())


def colour_stats(png: Path) -> tuple[int, float]:
    """Distinct colours and the share of pixels that are not (near) white."""
    import matplotlib.image as mpimg
    import numpy as np

    pixels = mpimg.imread(str(png))[..., :3]
    levels = np.round(pixels * 255).astype(np.uint32).reshape(-1, 3)
    distinct = len(np.unique(levels[:, 0] << 16 | levels[:, 1] << 8 | levels[:, 2]))  # a colour as one number
    non_white = float((levels < 235).any(axis=1).mean())
    return distinct, non_white


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("page", PAGES)
def test_page_opens_offline_and_shows_chinese(browser, pages, tmp_path, page, viewport):
    session, probe = open_page(browser, (pages / page).as_uri(), viewport)
    try:
        assert problems(browser, session) == []
        assert probe["chinese"], "the page has Chinese text"
        assert probe["after"] == ["loaded"], probe  # the subset font loads from assets/, offline
        assert probe["check"] is True
        # Nothing the page holds widens it beyond the screen (wide tables scroll inside their box).
        assert probe["scrollWidth"] <= probe["innerWidth"], probe
        stem = f"{page.replace('/', '_')}-{viewport}"
        png = screenshot(browser, session, tmp_path / f"{stem}.png")
        distinct, non_white = colour_stats(png)
        assert distinct > 20 and non_white > 0.02, (distinct, non_white)
        # Text laid out before the CJK font arrived must not stay as missing-glyph boxes: the first
        # paint equals the page laid out again from scratch.
        browser.send("Runtime.evaluate", {"expression": RELAYOUT, "returnByValue": True}, session=session)
        again = screenshot(browser, session, tmp_path / f"{stem}-relaid.png")
        # Compared without the right-hand 16 px, where Chromium may or may not have painted the
        # overlay scrollbar yet (a strip that says nothing about glyphs); a bool, so that pytest does
        # not try to diff two images byte by byte.
        same = _without_scrollbar(again) == _without_scrollbar(png)
        assert same, "the first paint differs from a fresh layout"
    finally:
        browser.send("Target.detachFromTarget", {"sessionId": session})
        browser.events.clear()


def _without_scrollbar(png: Path) -> bytes:
    """The screenshot's pixels, less the right-hand 16 px (the overlay scrollbar's strip)."""
    from PIL import Image

    with Image.open(png) as image:
        width, height = image.size
        return image.convert("RGB").crop((0, 0, max(width - 16, 1), height)).tobytes()


def test_the_font_file_is_what_the_page_requests(browser, pages):
    """The page requests ``assets/qy-cjk.otf`` by a relative ``file:`` URL that exists."""
    session, probe = open_page(browser, (pages / COUNTY / "index.html").as_uri(), "laptop")
    try:
        urls = [e["params"]["request"]["url"] for e in browser.events
                if e.get("sessionId") == session and e["method"] == "Network.requestWillBeSent"]
        fonts = [u for u in urls if u.endswith(".otf")]
        assert fonts == [(pages / "assets" / "qy-cjk.otf").as_uri()], urls
        if not system_cjk_fonts():  # then the page needed the subset font and loaded it by itself
            assert probe["before"] == ["loaded"], probe
    finally:
        browser.send("Target.detachFromTarget", {"sessionId": session})
        browser.events.clear()


# A table with a column of numbers not already in order: the numbers of that column after one and two
# clicks on its header (the page's own script, present/templates/sort.js).
SORT_PROBE = """(() => {
  const number = c => parseFloat(c.textContent.replace(/,/g, '').replace(/\\u2212/g, '-').match(/-?\\d+(\\.\\d+)?/)[0]);
  const numeric = c => /\\d/.test(c.textContent);
  for (const table of document.querySelectorAll('div.qy-table > table')) {
    const rows = [...table.tBodies[0].rows];
    const heads = table.tHead ? [...table.tHead.rows[0].cells] : [];
    for (let i = 0; i < heads.length; i++) {
      if (rows.length < 3 || !rows.every(r => r.cells[i] && numeric(r.cells[i]))) continue;
      const column = () => [...table.tBodies[0].rows].map(r => number(r.cells[i]));
      const before = column();
      const sorted = [...before].sort((a, b) => a - b);
      if (JSON.stringify(before) === JSON.stringify(sorted)) continue;
      const button = heads[i].querySelector('button.qy-sort');
      if (!button) return {error: 'no sort button'};
      button.click();
      const first = column();
      button.click();
      return {before, first, second: column(), sort: heads[i].getAttribute('aria-sort')};
    }
  }
  return {error: 'no unsorted numeric column'};
})()"""


def test_a_table_sorts_by_a_click_on_its_header(browser, pages):
    session, _ = open_page(browser, (pages / f"{COUNTY}/02_development.html").as_uri(), "laptop")
    try:
        result = browser.send("Runtime.evaluate", {"expression": SORT_PROBE, "returnByValue": True},
                              session=session)["result"]["value"]
        assert "error" not in result, result
        assert result["first"] == sorted(result["before"])
        assert result["second"] == sorted(result["before"], reverse=True) and result["sort"] == "descending"
        assert problems(browser, session) == []
    finally:
        browser.send("Target.detachFromTarget", {"sessionId": session})


# -- long and wide tables: a county's pages and the city's, at 1400 px and on A4 ----------------------------

WIDE_SCREEN = (1400, 900, 1, False)
# The run's methods page is left out: its developer tables (the target registry) move to docs/ (issue 19).
NOT_A_COUNTY_OR_CITY_PAGE = ("methods.html",)
TABLES_PROBE = """(async () => {
  await document.fonts.ready;
  const heading = el => {
    const before = [...document.querySelectorAll('h1, h2, h3')]
      .filter(h => h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    return before.length ? before[before.length - 1].textContent.trim() : '';
  };
  const page = document.documentElement.clientWidth;
  const wide = [], broken = [];
  for (const table of document.querySelectorAll('table')) {
    const column = table.closest('.qy-main') || document.body;
    const style = getComputedStyle(column);
    const room = column.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (table.scrollWidth > room + 1 || table.getBoundingClientRect().right > page + 1) {
      wide.push([heading(table), table.scrollWidth, Math.round(room)]);
    }
    // A word of up to four characters (学段, 城区, 达标) on more than one line.
    for (const cell of table.querySelectorAll('td, th')) {
      const text = cell.textContent.trim();
      if (!text || [...text].length > 4 || /\\s/.test(text)) continue;
      const tops = [];
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of range.getClientRects()) { if (rect.width > 0) tops.push(rect.top); }
      }
      if (tops.some(top => Math.abs(top - tops[0]) > 4)) broken.push([heading(table), text]);
    }
  }
  return {wide, broken, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth};
})()"""


@pytest.fixture(scope="module")
def county_and_city(zh_run) -> Path:
    """The session's report run of the demonstration data (tests/run_helpers.py): every page of a county and
    of the city, in Chinese and, under ``en/``, in English."""
    return zh_run


def county_and_city_pages(run: Path) -> list[str]:
    """Every county and city page of both language trees, relative to ``run``."""
    pages = sorted(p.relative_to(run).as_posix() for p in run.rglob("*.html")
                   if p.name not in NOT_A_COUNTY_OR_CITY_PAGE)
    assert {f"{RUN_COUNTY}/08_balance_readiness.html", "city/city_comparison.html",
            "city/08_balance_readiness.html", f"en/{RUN_COUNTY}/02_development.html"} <= set(pages)
    return pages


def evaluated(browser: DevTools, url: str, viewport: tuple, expressions: dict[str, str], media: str = "",
              clean: bool = False) -> dict[str, object]:
    """The value of each of ``expressions`` (awaited, in order; none scrolls) on ``url`` opened once at
    ``viewport``, the tab closed after; with ``clean``, the page must have loaded without a problem
    (:func:`problems`) first."""
    session, _ = open_page(browser, url, viewport, media)
    try:
        if clean:
            assert problems(browser, session) == []
        return {name: browser.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                        "returnByValue": True},
                                   session=session)["result"]["value"]
                for name, expression in expressions.items()}
    finally:
        browser.send("Target.detachFromTarget", {"sessionId": session})
        browser.events.clear()


@pytest.fixture(scope="module")
def wide_screen(browser, county_and_city) -> dict[str, dict[str, object]]:
    """Every county and city page opened once at 1400 × 900 (it must load without a problem), by page: its
    tables' layout (``tables``), its links and where its answer and first table are (``answer``), and on a
    readiness page where its verdict table is (``verdict``)."""
    starts = [t(key, lang, count="\x00").split("\x00")[0].strip()
              for lang in ("zh", "en") for key in ("act.heading", "act.none")]
    probed = {}
    for page in county_and_city_pages(county_and_city):
        expressions = {"tables": TABLES_PROBE, "answer": f"{ANSWER_PROBE}({json.dumps(starts)})"}
        if page.endswith("08_balance_readiness.html"):
            unit = page.removeprefix("en/").split("/")[0]
            key = "readiness.verdict_city" if unit == "city" else "readiness.verdict"
            lang = "en" if page.startswith("en/") else "zh"
            expressions["verdict"] = f"{VERDICT_PROBE}({json.dumps(t(key, lang))})"
        probed[page] = evaluated(browser, (county_and_city / page).as_uri(), WIDE_SCREEN, expressions,
                                 clean=True)
    return probed


def a4_printable_width_px() -> int:
    """The width a printed sheet lays a page out in: A4 less the @page side margins of ``report.css``."""
    css = (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    margins = re.search(r"@page \{[^}]*?margin: ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm", css).groups()
    right, left = float(margins[1]), float(margins[3])
    return int((A4_INCHES[0] * 25.4 - left - right) / 25.4 * 96)


def test_no_table_is_wider_than_the_page_at_1400_px(wide_screen):
    """Every table of a county's pages and the city's fits the page column at 1400 × 900: the readiness
    matrix shows all eight counties, the shortfall tables all seven indicators, nothing scrolls sideways."""
    found = {}
    for page, probed in wide_screen.items():
        layout = probed["tables"]
        assert layout["scrollWidth"] <= layout["innerWidth"], (page, layout)
        if layout["wide"]:
            found[page] = layout["wide"]
    assert found == {}


def test_on_a4_every_table_fits_the_sheet_and_no_short_word_breaks(browser, county_and_city):
    """As printed (print style sheet, the A4 sheet's width): no table wider than the sheet, and no word of up
    to four characters — 学段, 城乡, a status — broken a character a line."""
    sheet = (a4_printable_width_px(), 1100, 1, False)
    found = {}
    for page in county_and_city_pages(county_and_city):
        layout = evaluated(browser, (county_and_city / page).as_uri(), sheet, {"tables": TABLES_PROBE},
                           media="print", clean=True)["tables"]
        if layout["wide"] or layout["broken"]:
            found[page] = {"wide": layout["wide"], "broken": layout["broken"][:10]}
    assert found == {}


VERDICT_PROBE = """(title => {
  const heading = [...document.querySelectorAll('h2')].find(h => h.textContent.trim() === title);
  if (!heading) return null;
  const table = heading.parentElement.querySelector('div.qy-table > table');
  const rows = table ? [...table.tBodies[0].rows] : [];
  return {top: heading.getBoundingClientRect().top, scrollY: window.scrollY,
          bottom: table ? table.getBoundingClientRect().bottom : null,
          firstRow: rows.length ? rows[0].getBoundingClientRect().bottom : null};
})"""


def test_the_readiness_verdict_is_in_the_first_screen(wide_screen):
    """08_balance_readiness opens with its answer: at 1400 × 900, before any scrolling, the verdict table is
    whole on screen — the county's and the city's (one row per county), in Chinese and in English; but for
    the English county page, whose lists of unmet indicators run longer, only its conclusion row is sure to
    be (its table ends about 45 px below the first screen on the demonstration data)."""
    for folder, lang in (("", "zh"), ("en/", "en")):
        for unit in (RUN_COUNTY, "city"):
            page = f"{folder}{unit}/08_balance_readiness.html"
            found = wide_screen[page]["verdict"]
            assert found is not None and found["scrollY"] == 0, (page, found)
            whole = found["firstRow"] if (lang, unit) == ("en", RUN_COUNTY) else found["bottom"]
            assert 0 <= found["top"] and whole <= WIDE_SCREEN[1], (page, found)


ANSWER_PROBE = """(starts => {
  const answer = [...document.querySelectorAll('h1, h2, h3, h4, p')]
    .find(e => starts.some(s => e.textContent.trim().startsWith(s)));
  const table = document.querySelector('table');
  const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
  return {links: links.filter(h => h.startsWith('file:')),
          answer: answer ? answer.getBoundingClientRect().top : null,
          table: table ? table.getBoundingClientRect().top : null};
})"""


def test_in_the_browser_every_link_resolves_and_the_answer_precedes_every_table(wide_screen):
    """Every page of a county and the city, in Chinese and in English, as Chromium lays it out: each link
    it resolves (``a.href``) leads to a file that exists, and on a page with targets the answer — what to
    act on first, or that there is nothing — is above its first table."""
    from urllib.parse import unquote, urlsplit

    broken, late, answered = {}, [], 0
    for page, probed in wide_screen.items():
        found = probed["answer"]
        missing = [href for href in found["links"] if not Path(unquote(urlsplit(href).path)).exists()]
        if missing:
            broken[page] = missing
        if found["answer"] is not None:
            answered += 1
            if found["table"] is not None and found["table"] < found["answer"]:
                late.append(page)
    assert broken == {} and late == []
    assert answered >= 2 * 7  # the overview, section pages with targets, city comparison: each language
