"""Fixtures for real-browser tests: the app on a local port and a Chromium page."""

import threading
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from appeals import create_app
from appeals.db import connect
from appeals.web.auth import hash_password

from .steps import LAPTOP, PASSWORD, USERNAME

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A fixed "today" keeps the due dates and "days left" on the pages stable.
TODAY = date(2026, 11, 2)


class LiveServer:
    """The app served by Werkzeug on a free port of 127.0.0.1."""

    def __init__(self, app):
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.port}"
        self._thread = threading.Thread(target=self._server.serve_forever)

    def start(self) -> None:
        """Serve requests in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


@pytest.fixture
def live_app(tmp_path):
    """Return an app with CSRF checks on, its own SQLite file and one biller."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE": str(tmp_path / "appeals.sqlite"),
            "LOG_FILE": str(tmp_path / "appeals.log"),
            "TODAY": TODAY,
        }
    )
    connection = connect(app.config["DATABASE"])
    try:
        connection.execute(
            "INSERT INTO users (username, password_hash, is_admin, created_at) "
            "VALUES (?, ?, 0, '2026-01-01T00:00:00+00:00')",
            (USERNAME, hash_password(PASSWORD)),
        )
    finally:
        connection.close()
    yield app
    # app.logger is shared by every app in the process, so the handler that
    # writes to this test's log file is detached and closed here.
    log_file = str(tmp_path / "appeals.log")
    for handler in list(app.logger.handlers):
        if getattr(handler, "baseFilename", None) == log_file:
            app.logger.removeHandler(handler)
            handler.close()


@pytest.fixture
def live_server(live_app):
    """Serve the app on 127.0.0.1 for one test and stop it afterwards."""
    server = LiveServer(live_app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's headless Chromium once for the whole browser suite."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing; install Debian's chromium package to run "
            "the browser tests"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def console_errors():
    """Return the list that collects console errors and CSP reports of a test."""
    return []


@pytest.fixture
def new_page(browser, live_server, console_errors):
    """Return a factory of pages in fresh browser contexts aimed at the server.

    Every console error, script exception and Content-Security-Policy report on
    any of the pages fails the test when it ends.
    """
    contexts = []

    def open_page(java_script_enabled: bool = True, viewport: dict = LAPTOP):
        context = browser.new_context(
            base_url=live_server.url,
            accept_downloads=True,
            java_script_enabled=java_script_enabled,
            viewport=viewport,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        documents = set()

        def on_request(request) -> None:
            if request.is_navigation_request():
                documents.add(request.url)

        def on_console(message) -> None:
            _record_console(console_errors, documents, message)

        page.on("request", on_request)
        page.on("console", on_console)
        page.on("pageerror", lambda error: console_errors.append(f"script: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    if console_errors:
        pytest.fail("Browser console errors:\n" + "\n".join(console_errors))


@pytest.fixture
def page(new_page):
    """Return a page at the laptop viewport with downloads accepted."""
    return new_page()


def _record_console(errors: list[str], documents: set[str], message) -> None:
    """Record console errors and CSP reports, except a page's own 4xx status.

    Chromium also logs "Failed to load resource" when a page itself returns
    401, 404 or 422. The tests check the content of those pages, so only failed
    subresources (scripts, styles, fetches) count as console errors.
    """
    text = message.text
    location = message.location.get("url", "")
    if text.startswith("Failed to load resource") and location in documents:
        return
    if message.type == "error" or "Content Security Policy" in text:
        errors.append(f"{message.type}: {text} ({location})")
