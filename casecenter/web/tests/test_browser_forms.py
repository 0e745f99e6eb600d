"""The forms as a person uses them, in a real browser: a suspect added to a case and two entries
of the registry merged with the pickers only (typing a name in pinyin, choosing with the
keyboard); a bail measure showing only its own fields; a form refused with three errors showing
all three at their fields, the typed values kept; and the calendar of the one date-time input
writing YYYY-MM-DD HH:MM in an American English browser in New York as in a Chinese one.

The clock is frozen (8 December 2026, 09:30 Beijing time): the forms' times are checked against it.
Screenshots in test-artifacts/screenshots/forms-*.png."""

from __future__ import annotations

import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from casecenter.core import clock

from .conftest import SCREENSHOTS, VIEWPORT, PageWatch
from .pickers import choose, open_calendar, pick, type_time

pytestmark = pytest.mark.browser

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 8, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def frozen_clock():
    with clock.frozen(NOW) as frozen:
        yield frozen


@pytest.fixture
def case_with_people(browser_personas, frozen_clock):
    """A theft case under investigation, and the registry's 张三丰 (twice: a duplicate without an ID
    number) and his namesake-in-pinyin 张三峰."""
    from casecenter.cases.loader import load_shipped_causes
    from casecenter.cases.models import CaseCause
    from casecenter.cases.services import cases as case_services
    from casecenter.cases.services import intake as intake_services
    from casecenter.people.services import person_create

    load_shipped_causes()
    officer, chief = browser_personas["officer1"], browser_personas["chief"]
    case = intake_services.case_intake(
        actor=officer, kind="criminal", cause=CaseCause.objects.get(code="X005"), summary="小区门口电动车被盗。",
        source="walk_in", received_at=NOW - dt.timedelta(hours=6), unit=officer.unit,
        officers=[officer, browser_personas["officer2"]])
    case = case_services.case_accept(actor=officer, case=case, at=NOW - dt.timedelta(hours=5))
    case = case_services.case_file(actor=officer, case=case, decided_by=chief, decided_at=NOW - dt.timedelta(hours=4))
    case = case_services.case_start_investigation(actor=officer, case=case, at=NOW - dt.timedelta(hours=4))
    people = {
        "zhang": person_create(actor=officer, name="张三丰", id_number="110105199003071239"),
        "duplicate": person_create(actor=officer, name="张三丰", birth_date=dt.date(1990, 3, 7)),
        "namesake": person_create(actor=officer, name="张三峰", id_number="110105198511230019"),
    }
    return case, people


def test_a_suspect_is_added_and_two_entries_merged_with_the_pickers_only(page, sign_in_as, case_with_people,
                                                                         screenshot):
    case, people = case_with_people
    sign_in_as("officer1")
    page.goto(reverse("cases:detail", args=[case.pk]))
    form = page.get_by_test_id("party-form")
    control = form.locator("#party_person-ts-control")
    control.click()
    control.press_sequentially("zhangsanf", delay=20)
    dropdown = page.locator("#party_person-ts-dropdown")
    # Both readings of zhangsanfeng are offered, each with what tells them apart.
    expect(dropdown.locator(".option")).to_have_count(3)
    expect(dropdown.locator(".option", has_text="110105199003071239")).to_contain_text("张三丰")
    expect(dropdown.locator(".option", has_text="110105198511230019")).to_contain_text("张三峰")
    _shot(page, "forms-party-picker")
    choose(page, "party_person", "110105199003071239", within=form)
    form.locator("#party_role").select_option(label="犯罪嫌疑人")
    with page.expect_navigation():
        form.get_by_role("button", name="添加当事人").click()
    parties = page.get_by_test_id("parties")
    expect(parties.locator("tbody tr")).to_have_count(1)
    expect(parties).to_contain_text("张三丰")
    page.watch.assert_clean()

    # The department head merges the duplicate into the entry with the ID number, by its initials.
    sign_in_as("head")
    page.goto(reverse("people:merge", args=[people["duplicate"].pk]))
    expect(page.locator("main")).not_to_contain_text("№")
    pick(page, "id_survivor", "zsf", "110105199003071239")
    page.locator("#id_reason").fill("同一人：出生日期相同，户籍核实一致")
    screenshot(page, "forms-merge-picker")
    with page.expect_navigation():
        page.get_by_test_id("merge-form").get_by_role("button", name="合并").click()
    expect(page).to_have_url(re.compile(rf"/people/{people['zhang'].pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text("张三丰")
    page.watch.assert_clean()


def test_a_bail_measure_shows_only_its_own_fields(page, sign_in_as, case_with_people, screenshot):
    from casecenter.cases.models import Measure
    from casecenter.cases.services.parties import party_add

    case, people = case_with_people
    party_add(actor=case.officers.first(), case=case, person=people["zhang"], role="suspect")
    sign_in_as("officer1")
    page.goto(reverse("cases:detail", args=[case.pk]))
    form = page.get_by_test_id("measure-form")
    bail_fields = [form.locator(f"[data-field={name}]") for name in ("bail_form", "deposit_amount", "guarantor_name")]
    for field in bail_fields:
        expect(field).to_be_hidden()

    form.locator("#measure_kind").select_option(label="取保候审")
    expect(bail_fields[0]).to_be_visible()
    expect(bail_fields[1]).to_be_hidden()
    expect(bail_fields[2]).to_be_hidden()
    # Only the county-level chief decides a bail (a department head decides summonses).
    form.locator("#measure_decided_by-ts-control").click()
    expect(page.locator("#measure_decided_by-ts-dropdown .option")).to_have_count(1)
    expect(page.locator("#measure_decided_by-ts-dropdown .option")).to_contain_text("赵国庆")
    form.locator("#measure_decided_by-ts-control").press("Escape")

    form.locator("#measure_bail_form").select_option(label="保证金")
    expect(bail_fields[1]).to_be_visible()
    expect(bail_fields[2]).to_be_hidden()
    expect(bail_fields[1].locator(".required-mark")).to_be_visible()
    screenshot(page, "forms-bail-deposit")
    form.locator("#measure_bail_form").select_option(label="保证人")
    expect(bail_fields[1]).to_be_hidden()
    expect(bail_fields[2]).to_be_visible()

    pick(page, "measure_person", "zhang", "张三丰", within=form)
    type_time(page, "measure_started_at", "2026-12-08 09:00")
    form.locator("#measure_basis").fill("刑事诉讼法第六十七条")
    pick(page, "measure_decided_by", "zgq", "赵国庆", within=form)
    form.locator("#measure_guarantor_name").fill("张大山")
    screenshot(page, "forms-bail-guarantor")
    with page.expect_navigation():
        form.get_by_role("button", name="开始").click()
    expect(page.get_by_test_id("measure-bail")).to_be_visible()
    bail = Measure.objects.get(kind="bail")
    assert (bail.bail_form, bail.guarantor_name, bail.deposit_amount) == ("guarantor", "张大山", None)
    assert bail.started_at == dt.datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI)
    page.watch.assert_clean()


def test_three_errors_show_at_once_at_their_fields_with_the_typed_values_kept(page, sign_in_as, case_with_people,
                                                                             screenshot):
    sign_in_as("officer1")
    page.goto(reverse("cases:intake"))
    form = page.get_by_test_id("intake-form")
    expect(form.locator(".form-legend")).to_contain_text("必填")
    expect(form.locator("[data-field=summary] .required-mark")).to_be_visible()
    expect(form.locator("#id_summary")).to_have_attribute("aria-required", "true")
    type_time(page, "id_received_at", "2026-12-8 9点")          # not YYYY-MM-DD HH:MM
    form.locator("#id_reporter_name").fill("张三")
    form.locator("#id_reporter_phone").fill("13800000000")
    form.locator("#id_report_content").fill("电动车在小区门口被盗")
    # No cause chosen, no summary written.
    page.watch.expect_status(reverse("cases:intake"), 400)
    with page.expect_navigation():
        form.get_by_role("button", name="登记").click()

    summary = page.get_by_test_id("case-errors")
    expect(summary.locator("div")).to_have_count(3)
    for name in ("cause", "received_at", "summary"):
        expect(page.locator(f"[data-field={name}] .invalid-feedback")).to_be_visible()
    expect(page.locator("#id_received_at")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-field=received_at] .invalid-feedback")).to_contain_text("YYYY-MM-DD HH:MM")
    expect(summary).to_contain_text("接报时间")
    expect(page.locator("#id_received_at")).to_have_value("2026-12-8 9点")
    expect(page.locator("#id_reporter_name")).to_have_value("张三")
    expect(page.locator("#id_reporter_phone")).to_have_value("13800000000")
    expect(page.locator("#id_report_content")).to_have_value("电动车在小区门口被盗")
    expect(page.locator("[data-field=officers] .ts-control")).to_contain_text("王建国")  # the default kept
    screenshot(page, "forms-three-errors")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: one column, nothing cut off
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "forms-three-errors-phone")
    page.watch.assert_clean()


def test_an_extension_is_recorded_with_the_approver_picked_and_the_time_typed(page, sign_in_as, case_with_people,
                                                                              screenshot):
    from casecenter.cases.services.measures import measure_start
    from casecenter.cases.services.parties import party_add
    from casecenter.deadlines.models import Deadline

    case, people = case_with_people
    officer = case.officers.first()
    party_add(actor=officer, case=case, person=people["zhang"], role="suspect")
    detention = measure_start(actor=officer, case=case, person=people["zhang"], kind="criminal_detention",
                              started_at=NOW - dt.timedelta(hours=3), basis="刑事诉讼法第八十二条",
                              decided_by=case.officers.model.objects.get(username="chief"))
    clock_ = Deadline.objects.for_subject(detention).get(rule_id="arrest-request")
    sign_in_as("officer1")
    page.goto(clock_.get_absolute_url())
    page.get_by_test_id("open-extend").click()
    form = page.get_by_test_id("form-extend")
    expect(form.locator("#extend_approved_at")).to_have_value("2026-12-08 09:30")
    form.locator("#extend_tier").select_option(label="特殊情况延长一日")
    pick(page, "extend_approver", "zhaoguoqing", "赵国庆", within=form)
    type_time(page, "extend_approved_at", "2026-12-08 09:10")
    form.locator("#extend_reference").fill("东公（刑）延字〔2026〕12号")
    screenshot(page, "forms-deadline-extension")
    with page.expect_navigation():
        form.get_by_role("button", name="保存").click()
    extension = clock_.extensions.get()
    assert (extension.approved_by.username, extension.approved_at) == (
        "chief", dt.datetime(2026, 12, 8, 9, 10, tzinfo=SHANGHAI))
    page.watch.assert_clean()


#: The browser's locale and time zone, and the language the page is read in (chosen in the header).
BROWSERS = [("en-US", "America/New_York", "zh-hans"), ("en-US", "America/New_York", "en"),
            ("zh-CN", "Asia/Shanghai", "zh-hans")]
WORDS = {"zh-hans": {"monday": "一", "done": "完成", "register": "登记"},
         "en": {"monday": "Mo", "done": "Done", "register": "Register"}}


@pytest.mark.parametrize("locale, zone, language", BROWSERS)
def test_the_calendar_writes_yyyy_mm_dd_hh_mm_whatever_the_browsers_locale(browser, live_server, browser_personas,
                                                                          case_with_people, screenshot, locale, zone,
                                                                          language):
    from casecenter.cases.models import Case

    words = WORDS[language]
    context = browser.new_context(base_url=live_server.url, locale=locale, timezone_id=zone, viewport=VIEWPORT)
    context.add_cookies([{"name": "casecenter_language", "value": language, "url": live_server.url}])
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = PageWatch(origin=live_server.url)
    page.on("console", watch.on_console)
    page.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    _sign_in(context, live_server, browser_personas["officer1"])
    try:
        page.goto(reverse("cases:intake"))
        field = page.locator("#id_received_at")
        expect(field).to_have_value("2026-12-08 09:30")  # the frozen now, Beijing time
        calendar = open_calendar(page, "id_received_at")
        expect(calendar.locator(".air-datepicker-nav--title")).to_contain_text("2026")
        expect(calendar.locator(".air-datepicker-body--day-name").first).to_have_text(words["monday"])
        calendar.locator('.air-datepicker-cell.-day-[data-year="2026"][data-month="11"][data-date="1"]').click()
        _slide(page, calendar, "hours", 14)
        _slide(page, calendar, "minutes", 5)
        _shot(page, f"forms-calendar-{locale}-{language}")
        calendar.locator(".air-datepicker-button", has_text=words["done"]).click()
        expect(field).to_have_value("2026-12-01 14:05")

        pick(page, "id_cause", "daoqie", "盗窃罪")
        pick(page, "id_officers", "lhm", "李红梅")  # the second officer a criminal case needs, by initials
        page.locator("#id_summary").fill("电动车被盗")
        with page.expect_navigation():
            page.get_by_test_id("intake-form").get_by_role("button", name=words["register"]).click()
        case = Case.objects.order_by("-pk").first()
        assert case.received_at == dt.datetime(2026, 12, 1, 14, 5, tzinfo=SHANGHAI)
        assert {o.username for o in case.officers.all()} == {"officer1", "officer2"}
        assert not watch.errors, watch.errors
    finally:
        context.close()


def _shot(page, name: str) -> None:
    """The visible part of the page with a list or a calendar open (a full-page screenshot resizes
    the window, which an open list or calendar would take for a move away from it)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _slide(page, calendar, name: str, value: int) -> None:
    """Move the calendar's hour or minute slider (a range input) as a drag would."""
    calendar.locator(f'input[type=range][name="{name}"]').evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", value)


def _sign_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.session
    session["last_activity"] = time.time()
    session.save()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url,
                          "httpOnly": True, "sameSite": "Lax"}])
