"""The home page as each person's worklist, in a real browser, with the demo data loaded and scanned at
a frozen time (the browser's clock set to the same instant, so that the countdowns tick from it):
the panels of the role arrive, their counts link to the filtered lists, the countdowns run, and the
page holds at an office monitor's 1366 px and a phone's 390 px. Screenshots in
test-artifacts/screenshots/home-worklist-*.png."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .test_browser import assert_styled

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PHONE = {"width": 390, "height": 844}

#: The panels each persona's home shows (their test ids), and those that must hold work in the demo.
PANELS = {
    "officer1": (["my-clocks", "alerts", "my-cases"], ["my-clocks", "alerts", "my-cases"]),
    "chief": (["decisions", "alerts", "clocks", "breaches"], ["decisions", "alerts", "clocks", "breaches"]),
    "reviewer": (["decisions", "clocks", "scope-cases"], ["decisions", "clocks", "scope-cases"]),
    "supervisor": (["breaches", "alerts", "scope-cases"], ["breaches", "alerts", "scope-cases"]),
    "duty": (["clocks", "scope-cases"], ["clocks", "scope-cases"]),
}


@pytest.fixture
def frozen_demo(browser_personas):
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


def _overflowing(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(e => e.tagName + '.' + e.className)""")


@pytest.mark.parametrize("username", list(PANELS))
def test_the_home_page_is_the_persons_worklist(page, sign_in_as, frozen_demo, screenshot, username):
    shown, busy = PANELS[username]
    sign_in_as(username)
    page.clock.install(time=NOW)
    page.goto("/")
    for panel in shown:
        expect(page.get_by_test_id(f"panel-{panel}")).to_be_visible()
    for panel in busy:
        count = page.get_by_test_id(f"panel-{panel}").get_by_test_id("panel-count")
        assert int(count.inner_text()) > 0, f"{username}: the {panel} panel is empty"
    expect(page.locator("[data-testid^=panel-]").locator("xpath=..").locator("[data-testid=panel-empty]")).to_have_count(
        len(shown) - len(busy))
    expect(page.get_by_test_id("home-today")).to_have_text(re.compile(r"2026年12月8日"))
    assert_styled(page)
    screenshot(page, f"home-worklist-{username}")
    page.set_viewport_size(PHONE)
    assert not _overflowing(page), f"wider than a phone: {_overflowing(page)}"
    screenshot(page, f"home-worklist-{username}-phone")
    page.watch.assert_clean()


def test_the_officers_countdowns_tick_in_chinese_and_the_counts_open_the_filtered_lists(page, sign_in_as,
                                                                                         frozen_demo, screenshot):
    sign_in_as("officer1")
    page.clock.install(time=NOW)
    page.goto("/")
    clocks = page.get_by_test_id("panel-my-clocks")
    countdown = clocks.get_by_test_id("countdown").first
    expect(countdown).to_have_text(re.compile(r"^\d{1,2}:\d\d:\d\d$|^已超期"))
    first = countdown.inner_text()
    page.clock.run_for(2000)
    expect(countdown).not_to_have_text(first)
    assert not re.search(r"\dd\b", clocks.inner_text())  # no English "d" for days
    expect(clocks.get_by_test_id("panel-overdue")).to_be_visible()  # the case handed over too late
    rows = clocks.get_by_test_id("panel-row").count()
    clocks.get_by_test_id("panel-more").click()
    expect(page).to_have_url(re.compile(r"/deadlines/\?due=24h&officer=me$"))
    expect(page.get_by_test_id("deadline-table").locator("tbody tr")).to_have_count(rows)
    expect(page.get_by_test_id("deadline-table").get_by_test_id("countdown")).to_have_count(rows)
    screenshot(page, "deadlines-list-due-24h-mine")
    page.go_back()
    page.get_by_test_id("panel-my-cases").get_by_test_id("panel-statuses").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/cases/\?officer=me&status=\w+$"))
    expect(page.get_by_test_id("case-table")).to_be_visible()
    page.watch.assert_clean()


def test_the_worklist_reads_in_english_too(page, sign_in_as, frozen_demo, screenshot):
    sign_in_as("officer1")
    page.context.add_cookies([{"name": "casecenter_language", "value": "en", "url": page.watch.origin}])
    page.clock.install(time=NOW)
    page.goto("/")
    clocks = page.get_by_test_id("panel-my-clocks")
    expect(clocks).to_contain_text("of my clocks due within 24 hours or overdue")
    overdue = re.compile(r"^overdue (\d+ days? )?\d{1,2}:\d\d:\d\d$")
    expect(clocks.get_by_test_id("countdown").first).to_have_text(overdue)
    expect(page.get_by_test_id("panel-alerts")).to_contain_text("alerts not yet acknowledged")
    screenshot(page, "home-worklist-officer1-en")
    page.watch.assert_clean()
