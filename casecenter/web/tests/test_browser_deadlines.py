"""Alerts in a real browser: a breach raised by the scan appears in the shell's bell while the page
is open (the count is polled), in the inbox, and is acknowledged with a note. Screenshots in
test-artifacts/screenshots/deadlines-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from casecenter.core import clock
from casecenter.deadlines import rules, services
from casecenter.deadlines.scan import scan

from .test_browser import assert_styled

pytestmark = pytest.mark.browser


@pytest.fixture
def overdue_clock(browser_personas, settings):
    """A clock of officer 王建国 that ran out a minute ago (started its duration plus a minute ago)."""
    settings.CASECENTER = {**settings.CASECENTER, "ALERTS_POLL_SECONDS": 1}
    officer = browser_personas["officer1"]
    rule = next(r for r in rules.catalog().rules() if r.duration.unit == "hours" and r.valid_until is None
                and (r.valid_from is None or r.valid_from <= clock.now().date()))
    started = clock.now() - timedelta(hours=rule.duration.amount, minutes=1)
    return services.deadline_start(actor=officer, rule_id=rule.id, subject=officer.unit, started_at=started,
                                   unit=officer.unit, officers=[officer], held=True, label="王某某 传唤")


def test_an_alert_appears_live_and_is_acknowledged(page, sign_in_as, overdue_clock, screenshot):
    sign_in_as("officer1")
    page.goto("/")
    bell = page.get_by_test_id("shell-alerts")
    expect(bell).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

    raised = scan().raised  # the worker's minute, while the page is open
    assert raised >= 1
    expect(page.get_by_test_id("unread-count")).to_have_text(str(raised), timeout=10_000)
    screenshot(page, "deadlines-shell-bell")

    bell.click()
    expect(page.get_by_test_id("alert-table")).to_be_visible()
    expect(page.get_by_test_id("alert-row")).to_have_count(raised)
    assert_styled(page)
    screenshot(page, "deadlines-inbox")

    page.get_by_test_id("alert-row").first.locator("a").first.click()
    expect(page.get_by_test_id("alert-state")).to_be_visible()
    page.locator("#id_note").fill("已报告值班领导，立即办理送押")
    with page.expect_navigation():
        page.get_by_test_id("acknowledge").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_text(str(raised - 1), timeout=10_000)
    screenshot(page, "deadlines-inbox-acknowledged")

    page.goto(overdue_clock.get_absolute_url())
    expect(page.get_by_test_id("explanation")).to_be_visible()
    assert_styled(page)
    screenshot(page, "deadlines-explanation")
