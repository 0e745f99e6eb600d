"""Fixtures for the browser tests: one Chromium for the whole session (Debian's /usr/bin/chromium,
never a downloaded one), a fresh context per test, and a watcher that records console errors,
failed requests and every request's host, so a test can assert that a page loaded cleanly."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
REPOSITORY = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPOSITORY / "test-artifacts" / "screenshots"
BROWSER_PASSWORD = "correct horse battery staple"
VIEWPORT = {"width": 1366, "height": 850}   # a common office monitor


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an asyncio loop in this thread; Django's ORM would then refuse
    # to run in the test itself (SynchronousOnlyOperation). The tests are synchronous, so allow it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed: run `make test`, which installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class PageWatch:
    """What the browser saw: console errors, uncaught exceptions, failed or refused requests."""

    origin: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    expected: set[tuple[str, int]] = field(default_factory=set)

    def expect_status(self, path: str, status: int) -> None:
        """``path`` answering ``status`` (a 403/404 page under test) is not a failure."""
        self.expected.add((self.origin + path, status))

    def on_console(self, message) -> None:
        if message.type == "error":
            text = message.text
            # Chromium logs every non-2xx response; the ones a test asked for are not errors.
            if any(text.startswith(f"Failed to load resource: the server responded with a status of {status}")
                   and message.location.get("url") == url for url, status in self.expected):
                return
            self.errors.append(f"console: {text} ({message.location.get('url')})")

    def on_request_failed(self, request) -> None:
        # ERR_ABORTED: the page navigated away before, e.g., its icon arrived; the server did not fail.
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def on_response(self, response) -> None:
        if response.status >= 400 and (response.url, response.status) not in self.expected:
            self.errors.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def assert_clean(self) -> None:
        foreign = [url for url in self.requests if not url.startswith(self.origin) and not url.startswith("data:")]
        assert not foreign, f"requests left the test server: {foreign}"
        assert not self.errors, "\n".join(self.errors)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORT,
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = PageWatch(origin=live_server.url)
    page.on("request", lambda request: watch.requests.append(request.url))
    page.on("requestfailed", watch.on_request_failed)
    page.on("response", watch.on_response)
    page.on("console", watch.on_console)
    page.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    page.watch = watch
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, "login")`` → test-artifacts/screenshots/login.png (full page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def browser_personas(transactional_db):
    """The demo personas (see accounts/demo.py), in a database the live server thread shares."""
    from casecenter.accounts.demo import build_demo_organisation

    return build_demo_organisation(password=BROWSER_PASSWORD)


@pytest.fixture
def statute_library(browser_personas):
    """The shipped statutes: ``migrate`` loads them, but a transactional test's database is empty
    after an earlier test's flush."""
    from casecenter.law import loader

    loader.load_shipped()


@pytest.fixture
def sign_in_as(browser_personas, page, live_server):
    """``sign_in_as("sysadmin")``: give the browser a full (two-factor) session for that persona by
    copying a test client's session cookie, so the pages under test need no TOTP round trip."""

    def _sign_in(username: str):
        client = Client()
        client.force_login(browser_personas[username])
        session = client.session
        session["last_activity"] = time.time()
        session.save()
        page.context.add_cookies([{
            "name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url, "httpOnly": True, "sameSite": "Lax",
        }])
        return browser_personas[username]

    return _sign_in
