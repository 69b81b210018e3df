"""The browser tests' machinery: `gan-lessons lab` on a free local port, headless Chromium driven by Playwright, and
a driver that opens a lesson, runs chosen cells through JupyterLab's own interface and watches for errors.

Not part of the plain `pytest` run (its testpaths are tests/ and notebooks/); run them with
`.venv/bin/python -m pytest browser_tests -n 0` after `apt-get install chromium` and
`.venv/bin/pip install -r requirements-browser.txt`.  Playwright drives Debian's Chromium (`executable_path`); it never
downloads a browser of its own.  Screenshots go to runs/browser-artefacts/, with the server's log.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ARTEFACTS = ROOT / "runs" / "browser-artefacts"

SERVER_START_SECONDS = 180
PAGE_LOAD_SECONDS = 120
CELL_SECONDS = 600  # one cell, e.g. a lesson's setup (TensorFlow's import) on a busy 2-core machine
WIDGET_SECONDS = 120  # a widget's redraw after a click or a key

# JupyterLab's user settings for the test server only (JUPYTERLAB_SETTINGS_DIR): never save a notebook (running
# cells in the browser must not rewrite the stored outputs), keep every cell in the page (no windowing), fetch no news.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# What Jupyter's contents API logs when a page writes a file (a notebook saved, uploaded, created)
WRITES = re.compile(r"Saving file at|Uploading file to|Creating new")


class LabServer:
    """`gan-lessons lab --no-browser` in its own process group, with a random token, in fast mode."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.progress = workdir / "progress.json"  # lesson 09's quiz and mock interview save here
        settings = workdir / "lab-settings"
        for name, values in LAB_SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(values))
        env = {
            **os.environ,
            "GAN_LESSONS_FAST": "1",
            "GAN_LESSONS_PROGRESS": str(self.progress),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "lab-workspaces"),
            "JUPYTER_RUNTIME_DIR": str(workdir / "jupyter-runtime"),
            "PYTHONUNBUFFERED": "1",
        }
        script = Path(sys.executable).parent / "gan-lessons"  # the console script of this environment
        command = [str(script)] if script.exists() else [sys.executable, "-m", "gan_lessons"]
        command += [
            "lab",
            "--no-browser",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={self.token}",
        ]
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        self.log_path = ARTEFACTS / "server.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def request(self, path: str, method: str = "GET", timeout: float = 10):
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gan-lessons lab exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.request("/api/status", timeout=2)
                return
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        pytest.fail(f"gan-lessons lab did not answer within {SERVER_START_SECONDS} s:\n{self.log_tail()}")

    def shut_down_kernel_of(self, notebook: str) -> None:
        for session in self.request("/api/sessions"):
            if session.get("path") == notebook:
                self.request(f"/api/sessions/{session['id']}", method="DELETE")

    def stop(self) -> None:
        """Ask the server to shut down (it stops its kernels); then SIGTERM, then SIGKILL, to its process group."""
        if self.process.poll() is None:
            try:
                self.request("/api/shutdown", method="POST")
            except (urllib.error.URLError, OSError):
                pass
        for sig, seconds in ((None, 30), (signal.SIGTERM, 15), (signal.SIGKILL, 10)):
            if sig is not None:
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
            try:
                self.process.wait(timeout=seconds)
                break
            except subprocess.TimeoutExpired:
                continue
        self._log.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    server = LabServer(tmp_path_factory.mktemp("lab"))
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()
    writes = [line for line in server.log_path.read_text(errors="replace").splitlines() if WRITES.search(line)]
    assert not writes, f"the browser wrote files through the server (stored notebooks must stay as built): {writes}"


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "No `chromium` on PATH: the browser tests need Debian's Chromium (apt-get install chromium); "
            "Playwright is only the client and never downloads a browser here."
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


class KernelWatch:
    """Every message the kernel sends the page, read off the WebSocket: errors and standard-error text, wherever
    they would be shown (a cell, a widget's output, or JupyterLab's log console for a button's callback)."""

    def __init__(self):
        self.errors: list[str] = []
        self.stderr: list[str] = []

    @staticmethod
    def _decode(frame) -> tuple[str, dict, dict]:
        if isinstance(frame, str):  # the JSON protocol
            message = json.loads(frame)
            return message.get("channel", ""), message.get("header", {}), message.get("content", {})
        # v1.kernel.websocket.jupyter.org: a count n, n offsets, then channel, header, parent, metadata, content
        count = int.from_bytes(frame[:8], "little")
        offsets = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
        parts = [frame[offsets[i] : offsets[i + 1]] for i in range(count - 1)]
        return parts[0].decode(), json.loads(parts[1]), json.loads(parts[4])

    def on_frame(self, frame) -> None:
        try:
            channel, header, content = self._decode(frame)
        except (ValueError, IndexError, UnicodeDecodeError):
            return
        if channel != "iopub":
            return
        kind = header.get("msg_type")
        if kind == "error":
            self.errors.append(f"{content.get('ename')}: {content.get('evalue')}")
        elif kind == "stream" and content.get("name") == "stderr":
            self.stderr.append(content.get("text", ""))

    def problems(self) -> list[str]:
        tracebacks = [text for text in self.stderr if "Traceback" in text or "Error" in text]
        return self.errors + tracebacks


ANSI = re.compile(r"\x1b\[[0-9;]*m")


class LessonPage:
    """One lesson open in JupyterLab in a fresh browser context."""

    def __init__(self, page, lab: LabServer, notebook: str):
        self.page, self.lab, self.notebook = page, lab, notebook
        self.cells_json = json.loads((NOTEBOOKS / notebook).read_text())["cells"]
        self.watch = KernelWatch()
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        page.on("websocket", self._on_websocket)
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        self.executed = 0

    def _on_websocket(self, ws) -> None:
        if "/api/kernels/" in ws.url:
            ws.on("framereceived", self.watch.on_frame)

    # -- finding cells in the stored notebook -----------------------------------------------------------------
    def index(self, contains: str | None = None, tag: str | None = None) -> int:
        """The index of the one code cell whose source contains ``contains`` (or that has tag ``tag``)."""
        found = [
            i
            for i, cell in enumerate(self.cells_json)
            if cell["cell_type"] == "code"
            and (contains is None or contains in "".join(cell["source"]))
            and (tag is None or tag in cell.get("metadata", {}).get("tags", []))
        ]
        assert len(found) == 1, f"{self.notebook}: {len(found)} code cells match contains={contains!r} tag={tag!r}"
        return found[0]

    def cell(self, index: int):
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index)

    # -- driving JupyterLab -----------------------------------------------------------------------------------
    def open(self) -> None:
        page = self.page
        page.goto(f"{self.lab.url}/lab/tree/{self.notebook}?reset&token={self.lab.token}")
        n = len(self.cells_json)
        page.wait_for_function(
            f"document.querySelectorAll('.jp-Notebook .jp-Cell').length === {n}", timeout=PAGE_LOAD_SECONDS * 1000
        )
        page.locator(".jp-StatusBar-Widget", has_text="| Idle").wait_for(timeout=PAGE_LOAD_SECONDS * 1000)
        # The stored outputs and execution counts go: every prompt reads [ ] until this session runs the cell.
        page.locator(".lm-MenuBar-itemLabel", has_text="Edit").click()
        page.locator(".lm-Menu-itemLabel", has_text="Clear Outputs of All Cells").click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-Notebook .jp-InputArea-prompt')]"
            ".every(p => !/\\[\\d+\\]/.test(p.textContent))",
            timeout=30_000,
        )

    def run(self, index: int) -> None:
        """Select cell ``index`` by a click on its prompt, run it with Ctrl+Enter, wait for its execution count and
        check that it showed no error."""
        cell = self.cell(index)
        cell.locator(".jp-InputArea-prompt").click()
        self.page.keyboard.press("Control+Enter")
        self.executed += 1
        expected = f"[{self.executed}]:"
        prompt = cell.locator(".jp-InputArea-prompt")
        deadline = time.monotonic() + CELL_SECONDS
        while (text := prompt.inner_text().strip()) != expected:
            if time.monotonic() > deadline:
                self.screenshot("timeout")
                pytest.fail(f"cell {index} of {self.notebook} still shows {text!r} after {CELL_SECONDS} s")
            time.sleep(0.5)
        self.assert_no_errors(f"after running cell {index}")

    def idle(self) -> bool:
        return self.page.locator(".jp-Notebook-ExecutionIndicator").get_attribute("data-status") == "idle"

    def settle(self, read, before, what: str) -> str:
        """Wait until ``read()`` differs from ``before``, the kernel is idle and the value has held for a second."""
        deadline = time.monotonic() + WIDGET_SECONDS
        last, since = None, time.monotonic()
        while time.monotonic() < deadline:
            value = read()
            if value != last:
                last, since = value, time.monotonic()
            elif value != before and value is not None and self.idle() and time.monotonic() - since >= 1.0:
                return value
            time.sleep(0.2)
        self.screenshot("timeout")
        pytest.fail(f"{self.notebook}: {what} did not change within {WIDGET_SECONDS} s; {self.report()}")

    def wait_for(self, read, expected, what: str):
        deadline = time.monotonic() + WIDGET_SECONDS
        while (value := read()) != expected:
            if time.monotonic() > deadline:
                pytest.fail(f"{self.notebook}: {what} is {value!r}, expected {expected!r}; {self.report()}")
            time.sleep(0.2)
        return value

    # -- checks and artefacts -----------------------------------------------------------------------------------
    def shown_errors(self) -> list[str]:
        """Error outputs in the page: tracebacks in cells or widgets' output areas, widgets that failed to display."""
        texts = self.page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        shown = [ANSI.sub("", t) for t in texts.all_inner_texts()]
        shown = [t for t in shown if "Traceback" in t or "Error" in t]
        broken = self.page.locator(".jp-OutputArea-output", has_text="Error displaying widget").all_inner_texts()
        return shown + broken

    def report(self) -> str:
        return (
            f"kernel errors {self.watch.problems()}, errors shown {self.shown_errors()}, "
            f"page errors {self.page_errors}, console errors {self.console_errors}"
        )

    def assert_no_errors(self, when: str) -> None:
        problems = self.watch.problems() + self.shown_errors() + self.page_errors
        if problems:
            self.screenshot("error")
        assert not problems, f"{self.notebook}, {when}: {self.report()}"

    def screenshot(self, name: str, target=None) -> Path:
        """runs/browser-artefacts/LESSON-NAME.png: the page, a cell (``target`` its index), or the region from the
        top of the first to the bottom of the last of a list of locators."""
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTEFACTS / f"{Path(self.notebook).stem}-{name}.png"
        if target is None:
            self.page.screenshot(path=path)
        elif isinstance(target, int):
            self.cell(target).scroll_into_view_if_needed()
            self.cell(target).screenshot(path=path)
        else:
            target[0].scroll_into_view_if_needed()
            top, bottom = target[0].bounding_box(), target[-1].bounding_box()
            clip = {**top, "height": bottom["y"] + bottom["height"] - top["y"]}
            self.page.screenshot(path=path, clip=clip)
        return path

    def close(self) -> None:
        (ARTEFACTS / f"{Path(self.notebook).stem}-console.log").write_text(
            "\n".join(["page errors:", *self.page_errors, "console errors:", *self.console_errors, "kernel stderr:"])
            + "\n"
            + "".join(self.watch.stderr)
        )
        try:
            self.lab.shut_down_kernel_of(self.notebook)
        except (urllib.error.URLError, OSError):
            pass


@pytest.fixture
def open_lesson(request, browser, lab):
    """``open_lesson("01_theory.ipynb")``: the lesson in a fresh browser context, requests outside the server blocked
    (the Colab badge's picture, for one); a full-page screenshot if the test fails; the kernel shut down after."""
    opened: list[LessonPage] = []
    contexts = []

    def opener(notebook: str) -> LessonPage:
        context = browser.new_context(viewport={"width": 1400, "height": 1200})
        context.route(re.compile(rf"^(?!{re.escape(lab.url)}/)"), lambda route: route.abort())
        context.set_default_timeout(60_000)
        contexts.append(context)
        lesson = LessonPage(context.new_page(), lab, notebook)
        opened.append(lesson)
        lesson.open()
        return lesson

    yield opener
    for lesson in opened:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            lesson.screenshot("failed")
        lesson.close()
    for context in contexts:
        context.close()
