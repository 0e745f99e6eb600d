"""The case pages in a real browser: the intake form's cause list following the kind (keyboard
only, and without script), and the case page received, accepted, under investigation with running
measures, and transferred awaiting its handover — at 1366 and 1024 px."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from .pickers import choose, pick

pytestmark = pytest.mark.browser

NARROW = {"width": 1024, "height": 768}


@pytest.fixture
def in_english(page, live_server):
    """These pages are read in English (the assertions name the English labels)."""
    page.context.add_cookies([{"name": "casecenter_language", "value": "en", "url": live_server.url}])


@pytest.fixture
def causes(browser_personas):
    from casecenter.cases.loader import load_shipped_causes

    load_shipped_causes()


def _shots(page, screenshot, name: str) -> None:
    """The page at an office monitor's width (1366 px) and at a narrow 1024 px."""
    screenshot(page, f"cases-{name}")
    page.set_viewport_size(NARROW)
    screenshot(page, f"cases-{name}-1024")
    page.set_viewport_size({"width": 1366, "height": 850})


def _browser_case(personas, *, hours: int = 6):
    from casecenter.cases.models import CaseCause
    from casecenter.cases.services import intake as intake_services
    from casecenter.core import clock

    return intake_services.case_intake(
        actor=personas["officer1"], kind="criminal", cause=CaseCause.objects.get(code="X005"),
        summary="报案人称其停放在小区门口的电动自行车于昨夜被盗，车价约三千元。", source="walk_in",
        received_at=clock.now() - timedelta(hours=hours), unit=personas["officer1"].unit,
        officers=[personas["officer1"], personas["officer2"]], reporter_name="张三", reporter_phone="13800000000")


def test_the_intake_form_narrows_the_causes_to_the_chosen_kind(page, sign_in_as, in_english, causes, screenshot,
                                                              browser, live_server):
    from playwright.sync_api import expect

    sign_in_as("officer1")
    page.goto(reverse("cases:intake"))
    kind, cause = page.locator("#id_kind"), page.locator("#id_cause")
    expect(kind).to_have_value("criminal")
    page.locator("#id_cause-ts-control").locator("xpath=..").click()
    offered = page.locator("#id_cause-ts-dropdown .option")
    assert offered.count() > 10
    expect(offered.filter(has_text="殴打他人")).to_have_count(0)  # an administrative cause
    page.keyboard.type("dq")  # 盗窃罪 by its initials
    choose(page, "id_cause", "盗窃罪")
    expect(cause).to_have_value(re.compile(r"^\d+$"))
    kind.focus()
    page.keyboard.press("ArrowDown")  # keyboard only: the next kind, administrative
    expect(kind).to_have_value("administrative")
    expect(cause).to_have_value("")  # the criminal cause chosen before is no longer chosen
    page.locator("#id_cause-ts-control").locator("xpath=..").click()
    expect(offered.filter(has_text="盗窃罪")).to_have_count(0)
    page.keyboard.type("ouda")
    choose(page, "id_cause", "殴打他人")
    expect(page.locator("#id_received_at")).to_have_value(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$"))
    expect(page.locator("#id_received_at_helptext")).to_contain_text("YYYY-MM-DD HH:MM")
    _shots(page, screenshot, "intake-form")
    page.watch.assert_clean()


def test_without_script_the_intake_form_is_a_plain_form_that_resolves_a_typed_name(
        browser, live_server, sign_in_as, page, in_english, causes, screenshot, browser_personas):
    """Every cause listed, grouped by kind; the officers' picker a text box whose name, typed in
    pinyin, the server resolves; the calendar button absent (the time is typed)."""
    from playwright.sync_api import expect

    from casecenter.cases.models import Case

    sign_in_as("officer1")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        context.add_cookies(page.context.cookies())
        bare = context.new_page()
        bare.goto(reverse("cases:intake"))
        expect(bare.locator("#id_cause optgroup")).to_have_count(2)
        assert bare.locator("#id_cause optgroup").nth(1).locator("option").count() > 5
        expect(bare.locator("[data-datetime-button]")).to_be_hidden()
        bare.locator("#id_cause").select_option(label="盗窃罪")
        bare.locator("input[name=officers__q]").fill("lihongmei")
        bare.locator("#id_summary").fill("电动车被盗")
        screenshot(bare, "cases-intake-without-script")
        with bare.expect_navigation():
            bare.get_by_role("button", name="Register").click()
        expect(bare.get_by_test_id("case-number")).to_be_visible()
        case = Case.objects.get()
        assert {o.username for o in case.officers.all()} == {"officer1", "officer2"}
    finally:
        context.close()


def test_the_case_page_in_three_states(page, sign_in_as, in_english, causes, screenshot, browser_personas):
    from playwright.sync_api import expect

    from casecenter.cases.services import cases as case_services
    from casecenter.cases.services import measures as measure_services
    from casecenter.cases.services.parties import party_add
    from casecenter.core import clock
    from casecenter.people.services import person_create

    personas = browser_personas
    officer, chief, head = personas["officer1"], personas["chief"], personas["head"]
    ago = lambda **kw: clock.now() - timedelta(**kw)  # noqa: E731
    sign_in_as("officer1")

    received = _browser_case(personas)
    page.goto(reverse("cases:detail", args=[received.pk]))
    expect(page.get_by_test_id("to-accepted")).to_have_text("Accept the case")
    expect(page.locator("#transition_at")).to_have_value(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$"))
    expect(page.locator("#transition_decided_by")).to_have_count(0)  # accepting needs no chief
    _shots(page, screenshot, "page-received")

    case = case_services.case_accept(actor=officer, case=received, at=ago(hours=5))
    page.reload()
    expect(page.get_by_test_id("transition-transferred").locator("#transition_transferred_receiving_organ")) \
        .to_be_hidden()  # folded until asked for
    page.get_by_test_id("transition-transferred").locator("summary").click()
    expect(page.locator("#transition_transferred_receiving_organ")).to_be_visible()
    _shots(page, screenshot, "page-accepted")

    case = case_services.case_file(actor=officer, case=case, decided_by=chief, decided_at=ago(hours=4))
    case = case_services.case_start_investigation(actor=officer, case=case, at=ago(hours=4))
    suspects = [person_create(actor=officer, name=name) for name in ("李四", "王五")]
    for suspect in suspects:
        party_add(actor=officer, case=case, person=suspect, role="suspect")
    measure_services.measure_start(actor=officer, case=case, person=suspects[0], kind="summons",
                                   started_at=ago(hours=2), basis="刑事诉讼法第一百一十九条", decided_by=head)
    measure_services.measure_start(actor=officer, case=case, person=suspects[1], kind="criminal_detention",
                                   started_at=ago(hours=3), basis="刑事诉讼法第八十二条", decided_by=chief)
    page.reload()
    expect(page.get_by_test_id("to-prosecution")).to_be_visible()
    expect(page.get_by_test_id("measure-criminal_detention").get_by_test_id("countdown")).to_have_count(4)
    _shots(page, screenshot, "page-investigating")

    other = _browser_case(personas, hours=5)
    page.goto(reverse("cases:detail", args=[other.pk]))
    page.locator("#transition_at").fill(_browser_minutes_ago(page, 240))
    with page.expect_navigation():
        page.get_by_test_id("to-accepted").click()
    page.get_by_test_id("transition-transferred").locator("summary").click()
    page.locator("#transition_transferred_at").fill(_browser_minutes_ago(page, 180))
    pick(page, "transition_transferred_decided_by", "zhao", "赵国庆")
    page.locator("#transition_transferred_receiving_organ").fill("西城分局")
    page.locator("#transition_transferred_reason").fill("犯罪地不在本局辖区")
    with page.expect_navigation():
        page.get_by_test_id("to-transferred").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Transferred")
    handover = page.get_by_test_id("handover")
    expect(handover).to_contain_text("Transferred to 西城分局")
    expect(handover.get_by_test_id("countdown")).to_have_text(re.compile(r"^2[01]:\d\d:\d\d$"))  # ~21 h of 24
    _shots(page, screenshot, "page-transferred")
    page.locator("#handover_receipt").fill("西城分局回执 118")
    with page.expect_navigation():
        page.get_by_test_id("handover-submit").click()
    expect(page.get_by_test_id("handover")).to_have_count(0)
    expect(page.locator('[data-testid=case-timeline] [data-action="cases.case.transfer_delivered"]')).to_have_count(1)

    # The list: each case once, its status as it stands, the officers' names.
    page.goto(reverse("cases:list"))
    table = page.get_by_test_id("case-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr", has_text=other.number)).to_contain_text("Transferred")
    expect(table.locator("tbody tr", has_text=case.number)).to_contain_text(
        f"{officer.full_name}、{personas['officer2'].full_name}")
    _shots(page, screenshot, "list")
    page.watch.assert_clean()


def _browser_minutes_ago(page, minutes: int) -> str:
    """The time ``minutes`` before now as the date-time input takes it (YYYY-MM-DD HH:MM, Beijing)."""
    return page.evaluate("""(m) => {
        const d = new Date(Date.now() - m * 60000 + 8 * 3600000);
        return d.toISOString().slice(0, 16).replace("T", " ");
    }""", minutes)
