"""Acceptance, in a real browser: each of the sixteen demo personas signs in on the demo data (its
history and a live set, scanned, the server's and the browser's clocks frozen at the same instant)
and finds the work of their role on the home page — the officer running clocks and an alert, the
chief a decision waiting, the reviewer and the supervisor the cases of their scope — and every link
of the header (menu, alerts bell, user menu) answers without 403, 404 or 500 and without a console
error. Each page is kept as a screenshot: persona-<username>[-<page>].png."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from casecenter.accounts.demo import PERSONAS

from .test_browser import assert_styled
from .test_personas import HOME

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

#: What each role must find at once: (panel url name, the least count it shows).
WORK = {
    "officer1": [("deadlines:panel_my_clocks", 1), ("deadlines:panel_alerts", 1), ("cases:panel_mine", 1)],
    "chief": [("cases:panel_decisions", 1), ("deadlines:panel_breaches", 1)],
    "head": [("cases:panel_decisions", 1)],
    "reviewer": [("cases:panel_scope", 1)],
    "supervisor": [("cases:panel_scope", 1), ("deadlines:panel_breaches", 1)],
    "outsider": [("cases:panel_mine", 1)],
}


@pytest.fixture
def live_demo(browser_personas, statute_library):
    from casecenter.cases.demo import load_demo, refresh_demo
    from casecenter.cases.loader import load_shipped_causes
    from casecenter.core import clock
    from casecenter.deadlines.scan import scan

    load_shipped_causes()
    with clock.frozen(NOW):
        load_demo(browser_personas)
        refresh_demo(browser_personas)
        scan(now=NOW)
        yield browser_personas


def _header_links(page) -> list[str]:
    """The addresses the header offers: the menu, the alerts bell, the user menu (not sign-out, a form)."""
    hrefs = page.locator("header a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(h for h in hrefs if h.startswith("/") and h != "/"))


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


@pytest.mark.parametrize("username", [p.username for p in PERSONAS])
def test_each_persona_finds_their_work_at_home_and_every_header_link_answers(page, sign_in_as, live_demo,
                                                                             screenshot, username):
    sign_in_as(username)
    page.clock.install(time=NOW)
    page.goto("/")
    panels = page.locator("[data-panel]")
    expect(panels).to_have_count(len(HOME[username]))
    assert panels.evaluate_all("ps => ps.map(p => p.dataset.panel)") == HOME[username]
    # Every panel arrived (its fragment replaced the spinner) with its count.
    expect(page.locator(".home-panel-loading")).to_have_count(0)
    expect(page.locator("[data-panel] [data-count]")).to_have_count(len(HOME[username]))
    if not HOME[username]:
        expect(page.get_by_test_id("home-waiting").first).to_be_visible()
    for url_name, least in WORK.get(username, []):
        count = page.locator(f'[data-panel="{url_name}"] [data-count]').get_attribute("data-count")
        assert int(count) >= least, f"{username}: {url_name} shows {count}"
    if username == "officer1":
        expect(page.locator('[data-panel="deadlines:panel_my_clocks"]').get_by_test_id("countdown").first).to_be_visible()
    assert_styled(page)
    screenshot(page, f"persona-{username}")

    for path in _header_links(page):
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{username}: {path} answered {response.status}"
        page.wait_for_load_state("load")
        screenshot(page, f"persona-{username}-{_slug(path)}")
    page.watch.assert_clean()
