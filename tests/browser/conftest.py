"""Browser fixtures: Debian's Chromium driven by Playwright, pages served on loopback only."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from support import IN_CI, chromium_path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    exe = chromium_path()
    if exe is None:
        if IN_CI:
            pytest.fail("Chromium is missing in CI: .ci/run must install the 'chromium' package")
        pytest.skip("Chromium not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        # Playwright's launch() keeps its own fresh profile; a persistent one is not needed.
        del profile
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(html):
    handler = functools.partial(_Quiet, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="session")
def book_server(built_book):
    """Serve the built book (the learner edition) on 127.0.0.1 (a free port); yields the URL."""
    server = _serve(built_book[0])
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def instructor_server(built_instructor_book):
    """Serve the instructor edition on 127.0.0.1 (a free port); yields the base URL."""
    server = _serve(built_instructor_book[0])
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def guarded_page(browser, allowed: str, viewport: dict):
    """A new page that may only reach ``allowed`` (and data: URLs); every other request is
    aborted and recorded in ``page.blocked``; console errors, page errors and HTTP errors are
    recorded in ``page.console_errors`` and ``page.failed``."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.blocked, page.console_errors, page.failed = [], [], []

    def route(r):
        if r.request.url.startswith((allowed + "/", "data:")):
            r.continue_()
        else:
            page.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.on(
        "response", lambda r: page.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    return context, page


@pytest.fixture
def offline_page(browser, book_server):
    """A page of the built book with the network cut (only the book server is reachable)."""
    context, page = guarded_page(browser, book_server, {"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def instructor_page(browser, instructor_server):
    """A page of the instructor edition with the network cut (only its server is reachable)."""
    context, page = guarded_page(browser, instructor_server, {"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture(scope="session", autouse=True)
def accessibility_report():
    """Write test-artifacts/a11y-report.{json,md} after the browser tests."""
    yield
    from a11y import write_report

    write_report()


@pytest.fixture(scope="session")
def lab(tmp_path_factory, browser):
    """JupyterLab on a free loopback port over a copy of the notebooks (see lab.py)."""
    from lab import start_lab, stop_lab

    server = start_lab(tmp_path_factory.mktemp("jupyterlab"))
    yield server
    stop_lab(server)


@pytest.fixture
def lab_page(browser, lab):
    """A page for JupyterLab: requests beyond the server are blocked; errors are recorded."""
    context, page = guarded_page(browser, lab.url, {"width": 1400, "height": 1000})
    yield page
    context.close()
