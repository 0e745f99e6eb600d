"""The audit record in a real browser, as the audit administrator: the ledger browser with a filter,
an event with its proof status and the embedded timeline fragment, and the home panel. Screenshots
in test-artifacts/screenshots/ledger-*.png."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from casecenter.ledger.models import Event
from casecenter.ledger.sequencer import sequence
from casecenter.ledger.services import record_event

from .test_browser import assert_styled

pytestmark = pytest.mark.browser


@pytest.fixture
def recorded_case(browser_personas):
    """A few recorded steps of a case by officer 王建国, sequenced into a checkpoint."""
    officer = browser_personas["officer1"]
    for step in ("registered", "filed", "summoned"):
        with transaction.atomic():
            record_event(actor=officer, action=f"test.case.{step}", subject=("test.case", "C-2026-001"),
                         case="C-2026-001", person="P-1", data={"step": step, "note": "示例案件"})
    sequence()
    return Event.objects.filter(case_id="C-2026-001").order_by("id").first()


def test_the_audit_administrator_browses_the_record(page, sign_in_as, recorded_case, screenshot):
    sign_in_as("auditadmin")
    page.goto("/")
    expect(page.get_by_test_id("checkpoint-panel")).to_be_visible()
    screenshot(page, "ledger-home-audit-admin")
    page.locator(".app-header a[href='/audit/']").click()
    expect(page.get_by_test_id("ledger-table")).to_be_visible()
    assert_styled(page)
    screenshot(page, "ledger-browser")

    # A case is chosen by following its name, not by typing its number; the filter shows by name.
    with page.expect_navigation():
        page.get_by_test_id("ledger-table").get_by_role("link", name="C-2026-001").first.click()
    expect(page.locator("[data-testid=ledger-table] tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("linked-filters")).to_contain_text("C-2026-001")
    screenshot(page, "ledger-browser-filtered")

    bad = "/audit/?case=C-2026-001&since=2026-05-03&until=2026-05-01"
    page.watch.expect_status(bad, 400)
    page.goto(bad)
    expect(page.get_by_test_id("filter-errors")).to_contain_text(re.compile("To|截止日期|至"))
    screenshot(page, "ledger-browser-bad-filter")

    page.goto(f"/audit/events/{recorded_case.pk}/")
    expect(page.get_by_test_id("proof-status").locator(".text-success")).to_be_visible()
    expect(page.get_by_test_id("timeline").locator("li")).to_have_count(3)
    assert_styled(page)
    screenshot(page, "ledger-event-detail")
    page.get_by_test_id("timeline").screenshot(path=str(_artifact("ledger-timeline")))
    with page.expect_download() as download:
        page.get_by_test_id("download-proof").click()
    assert download.value.suggested_filename == f"event-{recorded_case.uid}-proof.json"
    page.watch.assert_clean()


def _artifact(name: str):
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
