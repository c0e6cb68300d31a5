"""Headless Chromium, driven over the DevTools protocol on a pipe, offline: print an HTML file to PDF.

Why a pipe (``--remote-debugging-pipe``): no TCP port is opened, no websocket
library is needed, and nothing else on the machine can talk to the browser.
Chromium reads commands from its file descriptor 3 and answers on 4, each
message a JSON text ended by a NUL byte; ``/bin/sh`` places our pipe ends on
those numbers (POSIX only).

Offline: every host name resolves to nothing and the proxy is a closed local
port, so no request leaves the machine even if a page asked for one; page
scripts are disabled. Before printing, the page's web fonts are awaited
(``document.fonts.ready``), so Chinese is never printed with a font still
loading.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from qyanalysis.errors import QyAnalysisError, UsageError

EXECUTABLES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = ("Install it — Debian/Ubuntu: `sudo apt-get install chromium`; Fedora: `sudo dnf install "
                "chromium`; macOS: `brew install --cask chromium` — or name the browser with "
                "--chromium PATH.")
# No request leaves the browser: every host unresolvable, every request (loopback included, which
# Chromium otherwise sends around a proxy) to a dead proxy, no background services.
OFFLINE_FLAGS = ("--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-extensions", "--disable-quic", "--proxy-server=127.0.0.1:9",
                 "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
                 "--mute-audio", "--hide-scrollbars")
A4_INCHES = (8.27, 11.69)
# After every font load ends: the faces that failed (a face no text needs stays "unloaded").
FONTS_READY = ("document.fonts.ready.then(() => [...document.fonts]"
               ".filter(f => f.status !== 'loaded' && f.status !== 'unloaded')"
               ".map(f => f.family + ':' + f.status))")
START_TIMEOUT_S = 60.0
PRINT_TIMEOUT_S = 600.0


class ChromiumMissingError(UsageError):
    """No Chromium to print with (exit 2, with how to get one)."""


class PrintError(QyAnalysisError):
    """The browser failed to print a document (crashed, timed out, refused a command)."""


def find_chromium(explicit: str | os.PathLike[str] | None = None) -> str:
    """The browser to print with: ``explicit``, else the first of :data:`EXECUTABLES` on PATH.

    Raises:
        ChromiumMissingError: None found (the message says how to install one).
    """
    if explicit:
        path = shutil.which(str(explicit))
        if path is None:
            raise ChromiumMissingError(f"--chromium {str(explicit)!r} is not an executable file. "
                                       f"{INSTALL_HINT}")
        return path
    for name in EXECUTABLES:
        path = shutil.which(name)
        if path:
            return path
    raise ChromiumMissingError("printing to PDF needs Chromium (or Google Chrome) and none was found on PATH "
                               f"({', '.join(EXECUTABLES[:3])}). {INSTALL_HINT}")


class Chromium:
    """One headless browser; :meth:`print_pdf` prints a file. Use as a context manager."""

    def __init__(self, executable: str) -> None:
        if os.name != "posix":
            raise UsageError("qyanalysis pdf drives Chromium over a pipe, which needs Linux or macOS; on "
                             "Windows, open a page and print it from the browser (the pages carry an A4 "
                             "print layout).")
        self.executable = executable
        self._profile = tempfile.TemporaryDirectory(prefix="qy-chromium-")
        cmd_read, cmd_write = os.pipe()
        res_read, res_write = os.pipe()
        flags = [*OFFLINE_FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
        # The pipe ends arrive as the shell's stdin and stdout and are moved to 3 and 4.
        script = 'exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null'
        try:
            self._proc = subprocess.Popen(["/bin/sh", "-c", script, executable, *flags, "about:blank"],
                                          stdin=cmd_read, stdout=res_write, stderr=subprocess.DEVNULL)
        finally:
            os.close(cmd_read)
            os.close(res_write)
        self._write, self._read = cmd_write, res_read
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        try:
            self.send("Browser.getVersion", timeout_s=START_TIMEOUT_S)
        except PrintError:
            self.close()
            raise

    # -- protocol ----------------------------------------------------------------------------------

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PrintError("Chromium did not answer in time")
            ready, _, _ = select.select([self._read], [], [], remaining)
            if ready:
                chunk = os.read(self._read, 1 << 20)
                if not chunk:
                    raise PrintError(f"Chromium ({self.executable}) exited unexpectedly")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout_s: float = 60.0) -> dict[str, Any]:
        """Send a DevTools command and return its result (events that arrive meanwhile are kept)."""
        self._next_id += 1
        request: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = session
        payload = json.dumps(request).encode("utf-8") + b"\0"
        try:
            while payload:
                payload = payload[os.write(self._write, payload):]
        except BrokenPipeError as exc:
            raise PrintError(f"Chromium ({self.executable}) is not running") from exc
        deadline = time.monotonic() + timeout_s
        while True:
            message = self._message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise PrintError(f"{method}: {message['error'].get('message', message['error'])}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method: str, session: str, timeout_s: float = 60.0) -> dict[str, Any]:
        """The first event ``method`` of ``session`` (waiting for it up to ``timeout_s``)."""
        deadline = time.monotonic() + timeout_s
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(index)
            message = self._message(deadline)
            if "method" in message:
                self.events.append(message)

    # -- printing ----------------------------------------------------------------------------------

    def print_pdf(self, page: Path, *, timeout_s: float = PRINT_TIMEOUT_S) -> bytes:
        """Print the HTML file ``page`` as an A4 PDF (the page's ``@page`` rules win), with scripts off.

        Raises:
            PrintError: The browser failed, or a web font of the page did not load.
        """
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        try:
            self.send("Emulation.setScriptExecutionDisabled", {"value": True}, session)
            self.send("Page.enable", session=session)
            self.send("Page.navigate", {"url": page.resolve().as_uri()}, session, timeout_s=timeout_s)
            self.wait_for("Page.loadEventFired", session, timeout_s=timeout_s)
            fonts = self.send("Runtime.evaluate", {"expression": FONTS_READY, "awaitPromise": True,
                                                   "returnByValue": True}, session, timeout_s=timeout_s)
            failed = fonts.get("result", {}).get("value") or []
            if failed:
                raise PrintError(f"web fonts did not load: {', '.join(map(str, failed))}")
            width, height = A4_INCHES
            result = self.send("Page.printToPDF", {
                "printBackground": True, "preferCSSPageSize": True, "paperWidth": width,
                "paperHeight": height, "displayHeaderFooter": False, "generateTaggedPDF": True,
                "generateDocumentOutline": True}, session, timeout_s=timeout_s)
            return base64.b64decode(result["data"])
        finally:
            self.events = [e for e in self.events if e.get("sessionId") != session]
            try:
                self.send("Target.closeTarget", {"targetId": target})
            except PrintError:
                pass

    def close(self) -> None:
        """Close the browser (asking first, then terminating) and remove its profile."""
        try:
            if self._proc.poll() is None:
                try:
                    self.send("Browser.close", timeout_s=5)
                except (PrintError, OSError):
                    pass
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._proc.terminate()
                    try:
                        self._proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        self._proc.kill()
                        self._proc.wait()
        finally:
            for fd in (self._write, self._read):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._profile.cleanup()

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
