"""The administrators' and auditors' pages in a real browser, as their personas use them:

- the security administrator resets 王建国's (officer1) lost authenticator from the application's
  pages, and his next sign-in with the password asks him to enrol a new one;
- the system administrator creates a unit under 东城 and an account in it, choosing both units with
  the pickers (typing part of a name, arrows and Enter);
- the audit administrator runs a verification of the record and sees its outcome on the home panel;
- the audit record and an event's page name people, units and records, with links;
- every administration page holds together on a 390-pixel phone.

Screenshots in test-artifacts/screenshots/admin-*.png."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.core.management import call_command
from django.db import transaction
from playwright.sync_api import expect

from casecenter.accounts.models import TotpDevice, Unit, User
from casecenter.ledger.sequencer import sequence
from casecenter.ledger.services import record_event

from .conftest import BROWSER_PASSWORD
from .test_browser import assert_styled, sign_in_with_password

pytestmark = pytest.mark.browser


def choose(page, field: str, typed: str, option: str) -> None:
    """Type into a picker and choose ``option`` from its matches with the keyboard."""
    box = page.locator(f"#id_{field}")
    box.fill("")
    box.press_sequentially(typed, delay=30)
    options = page.locator(f"#id_{field}-options [role=option]")
    expect(options.filter(has_text=option).first).to_be_visible()
    while not options.filter(has_text=option).first.evaluate("el => el.classList.contains('active')"):
        box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value(option)


def assert_fits_phone(page) -> None:
    """Nothing but a table's own scroller runs past the right edge of a 390-pixel screen."""
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => !e.closest('.table-responsive'))
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert not wide, f"the page scrolls sideways on a phone: {wide}"
    sideways = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert sideways <= 0, f"the document is {sideways} px wider than the phone's screen"


def test_the_security_administrator_resets_a_lost_authenticator(page, sign_in_as, browser_personas, screenshot):
    officer = browser_personas["officer1"]
    TotpDevice.objects.create(user=officer, secret=pyotp.random_base32())       # 王建国 had enrolled
    User.objects.filter(username="duty").update(locked_until="2099-01-01T00:00:00Z")
    sign_in_as("secadmin")
    page.goto("/")
    expect(page.get_by_test_id("panel-locked")).to_contain_text("张卫东")
    expect(page.get_by_test_id("panel-no-authenticator")).to_be_visible()
    expect(page.get_by_test_id("panel-tokens-expiring").get_by_test_id("panel-empty")).to_be_visible()
    assert_styled(page)
    screenshot(page, "admin-home-security")

    page.locator(".app-header a[href='/accounts/administration/']").click()
    page.locator("a[href='/accounts/users/']").first.click()
    page.locator("#id_q").fill("王建国")
    with page.expect_navigation():
        page.get_by_test_id("account-filter").locator("button[type=submit]").click()
    expect(page.get_by_test_id("account-table").locator("tbody tr")).to_have_count(1)
    screenshot(page, "admin-accounts-search")
    with page.expect_navigation():
        page.get_by_test_id("account-table").get_by_role("link", name="王建国").click()
    expect(page.get_by_test_id("authenticator-state")).to_contain_text(re.compile("Enrolled|已于"))
    screenshot(page, "admin-account-security")

    with page.expect_navigation():
        page.get_by_test_id("totp-reset").click()
    page.watch.expect_status(f"/accounts/users/{officer.pk}/authenticator/reset/", 400)
    with page.expect_navigation():
        page.get_by_test_id("confirm").click()                        # no reason: refused at the field
    expect(page.locator("#id_reason-error")).to_be_visible()
    page.locator("#id_reason").fill("手机丢失，本人到场核实身份")
    screenshot(page, "admin-authenticator-reset")
    with page.expect_navigation():
        page.get_by_test_id("confirm").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("authenticator-state")).to_contain_text(re.compile("Reset|重置"))
    screenshot(page, "admin-authenticator-reset-done")
    assert not TotpDevice.objects.filter(user=officer).exists()

    page.context.clear_cookies()
    sign_in_with_password(page, "officer1", BROWSER_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/login/enrol/$"))   # the next sign-in enrols again
    expect(page.get_by_test_id("totp-secret")).to_be_visible()
    screenshot(page, "admin-officer-enrols-again")
    page.watch.assert_clean()


def test_the_system_administrator_creates_a_unit_and_an_account_with_the_pickers(page, sign_in_as, screenshot):
    sign_in_as("sysadmin")
    page.goto("/")
    expect(page.get_by_test_id("panel-units-without-head")).to_contain_text("河东派出所")
    screenshot(page, "admin-home-system")
    page.locator(".app-header a[href='/accounts/administration/']").click()
    screenshot(page, "admin-overview")
    page.locator("a[href='/accounts/units/']").first.click()
    expect(page.get_by_test_id("unit-tree")).to_contain_text("东城区公安分局城关派出所")
    assert_styled(page)
    screenshot(page, "admin-unit-tree")

    page.get_by_test_id("unit-create").click()
    choose(page, "parent", "东城", "东城区公安分局")
    page.locator("#id_code").fill("EAST-STATION3")
    page.locator("#id_name").fill("东城区公安分局新桥派出所")
    page.locator("#id_kind").select_option("police_station")
    screenshot(page, "admin-unit-create")
    with page.expect_navigation():
        page.get_by_test_id("unit-save").click()
    unit = Unit.objects.get(code="EAST-STATION3")
    assert unit.parent.code == "EAST"
    expect(page.locator(f"#unit-{unit.pk}")).to_be_visible()
    expect(page.locator(f"#unit-{unit.pk}")).to_have_class(re.compile("unit-row-highlight"))
    screenshot(page, "admin-unit-created")

    page.goto("/accounts/users/new/")
    page.locator("#id_username").fill("officer9")
    page.locator("#id_full_name").fill("赵新桥")
    choose(page, "unit", "新桥", "东城区公安分局新桥派出所")
    page.locator("#id_password").fill("a long enough passphrase")
    screenshot(page, "admin-account-create")
    with page.expect_navigation():
        page.get_by_test_id("user-save").click()
    created = User.objects.get(username="officer9")
    assert created.unit == unit and created.full_name == "赵新桥"
    expect(page.locator("h1")).to_contain_text("赵新桥")
    expect(page.get_by_test_id("account-roles")).to_be_visible()
    screenshot(page, "admin-account-created")
    page.watch.assert_clean()


def test_the_unit_form_shows_all_its_errors_at_once(page, sign_in_as, screenshot):
    sign_in_as("sysadmin")
    page.goto("/accounts/units/new/")
    page.locator("#id_parent").fill("没有这个单位")
    page.locator("#id_code").fill("bad code")
    page.watch.expect_status("/accounts/units/new/", 400)
    with page.expect_navigation():
        page.get_by_test_id("unit-save").click()
    for field in ("parent", "code", "name", "kind"):
        expect(page.locator(f"#id_{field}-error")).to_be_visible()
    expect(page.locator("#id_parent")).to_have_value("没有这个单位")
    expect(page.locator("#id_code")).to_have_value("bad code")
    screenshot(page, "admin-unit-form-errors")
    page.watch.assert_clean()


def test_the_audit_administrator_verifies_the_record_and_sees_the_outcome_at_home(page, sign_in_as, screenshot):
    sign_in_as("auditadmin")
    page.goto("/")
    panel = page.get_by_test_id("checkpoint-panel")
    expect(panel.get_by_test_id("verification-outcome")).to_have_attribute("data-state", "none")
    screenshot(page, "admin-home-audit-before")
    with page.expect_navigation():
        panel.get_by_test_id("verify-link").click()
    page.get_by_test_id("verification-start").click()
    bar = page.get_by_test_id("job-progress")
    expect(bar).to_have_attribute("data-state", "running")
    call_command("worker", "--once", "--no-schedule")
    expect(bar).to_have_attribute("data-state", "succeeded", timeout=10_000)
    expect(page.get_by_test_id("verification-outcome")).to_have_attribute("data-state", "passed")
    assert_styled(page)
    screenshot(page, "admin-verification")
    page.goto("/")
    outcome = page.get_by_test_id("checkpoint-panel").get_by_test_id("verification-outcome")
    expect(outcome).to_have_attribute("data-state", "passed")
    expect(outcome).to_contain_text("何审计")
    screenshot(page, "admin-home-audit-verified")
    page.watch.assert_clean()


def test_the_audit_record_names_people_units_and_records(page, sign_in_as, browser_personas, screenshot):
    officer, secadmin = browser_personas["officer1"], browser_personas["secadmin"]
    with transaction.atomic():
        record_event(actor=secadmin, action="accounts.user.unlocked", subject=officer, unit=officer.unit,
                     data={"username": officer.username})
    sequence()
    sign_in_as("auditadmin")
    page.goto("/audit/")
    row = page.get_by_test_id("ledger-table").locator("tbody tr").first
    expect(row).to_contain_text("冯安全")
    expect(row.get_by_role("link", name="王建国 (officer1)")).to_be_visible()
    expect(row.get_by_role("link", name="东城区公安分局城关派出所")).to_be_visible()
    assert_styled(page)
    screenshot(page, "admin-audit-list")
    number = row.get_by_test_id("event-link")
    label = number.inner_text()
    with page.expect_navigation():
        number.click()
    expect(page.get_by_test_id("event-number")).to_contain_text(label)   # the number on the list is the page's
    expect(page.get_by_test_id("event-subject").get_by_role("link", name="王建国 (officer1)")).to_be_visible()
    expect(page.get_by_test_id("event-unit").get_by_role("link")).to_have_text("东城区公安分局城关派出所")
    expect(page.get_by_test_id("timeline").locator("li").first).to_be_visible()
    screenshot(page, "admin-audit-event")
    with page.expect_navigation():
        page.get_by_test_id("event-actor").get_by_role("link", name="冯安全").click()
    expect(page.get_by_test_id("ledger-table")).to_be_visible()
    expect(page.locator("#id_actor")).to_have_value(re.compile("冯安全"))   # the picker shows the name
    screenshot(page, "admin-audit-by-actor")
    page.watch.expect_status("/audit/timeline", 400)
    page.goto("/audit/timeline")                                              # no parameters: the page says why
    expect(page.get_by_test_id("timeline-help")).to_be_visible()
    screenshot(page, "admin-audit-timeline-help")
    page.watch.assert_clean()


PHONE_PAGES = {
    "sysadmin": ["/accounts/administration/", "/accounts/units/", "/accounts/units/new/", "/accounts/users/",
                 "/accounts/users/new/", "/accounts/users/{officer}/", "/accounts/users/{officer}/edit/",
                 "/accounts/users/{officer}/deactivate/", "/accounts/units/{unit}/deactivate/", "/"],
    "secadmin": ["/accounts/users/{officer}/", "/accounts/users/{officer}/roles/",
                 "/accounts/users/{officer}/authenticator/reset/", "/accounts/tokens/", "/"],
    "auditadmin": ["/audit/", "/audit/events/{event}/", "/jobs/ledger-verification", "/"],
}


@pytest.mark.parametrize("username", list(PHONE_PAGES))
def test_the_administration_pages_hold_together_on_a_phone(page, sign_in_as, browser_personas, screenshot, username):
    from casecenter.accounts import services
    from casecenter.ledger.models import Event

    officer = browser_personas["officer1"]
    services.token_create(user=browser_personas["analyst"], name="统计导出脚本")
    event = Event.objects.order_by("-id").first()
    sign_in_as(username)
    page.set_viewport_size({"width": 390, "height": 844})
    for number, path in enumerate(PHONE_PAGES[username]):
        page.goto(path.format(officer=officer.pk, unit=officer.unit_id, event=event.pk))
        expect(page.locator("main")).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert_fits_phone(page)
        screenshot(page, f"admin-phone-{username}-{number}")
    page.watch.assert_clean()
