"""A case in a real browser: a walk-in report registered, accepted and filed, a suspect added, a
summons started with its live countdown, converted into criminal detention, and the clocks and the
timeline on the case page. Screenshots in test-artifacts/screenshots/cases-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from casecenter.deadlines import rules

from .pickers import pick
from .test_browser import assert_styled

pytestmark = pytest.mark.browser


@pytest.fixture
def registry(browser_personas):
    """The shipped causes (a flush empties them) and a person registered through the people app."""
    from casecenter.cases.loader import load_shipped_causes
    from casecenter.people.services import person_create

    load_shipped_causes()
    return person_create(actor=browser_personas["officer1"], name="李四")


def test_a_walk_in_report_is_filed_and_a_summons_becomes_a_detention(page, sign_in_as, registry, screenshot,
                                                                      browser_personas):
    sign_in_as("officer1")
    page.goto("/cases/")
    assert_styled(page)
    page.get_by_test_id("case-intake-link").click()
    page.locator("#id_kind").select_option("criminal")
    pick(page, "id_cause", "盗窃", "盗窃罪")
    page.locator("#id_source").select_option("walk_in")
    pick(page, "id_officers", "lihongmei", "李红梅")  # officer1 is there already
    page.locator("#id_summary").fill("报案人称其电动车在小区门口被盗。")
    page.locator("#id_reporter_name").fill("张三")
    page.locator("#id_received_at").fill(_minutes_ago(page, 90))
    screenshot(page, "cases-intake")
    with page.expect_navigation():
        page.locator("[data-testid=intake-form] button[type=submit]").click()
    expect(page.get_by_test_id("case-status")).to_have_text(re.compile("已接报|Received"))
    expect(page.get_by_test_id("case-deadlines")).to_contain_text(rules.catalog().get("criminal-filing-review").name_zh)

    page.locator("#transition_at").fill(_minutes_ago(page, 80))
    with page.expect_navigation():
        page.get_by_test_id("to-accepted").click()
    page.locator("#transition_at").fill(_minutes_ago(page, 70))
    pick(page, "transition_decided_by", "zhaoguoqing", "赵国庆")
    with page.expect_navigation():
        page.get_by_test_id("to-filed").click()
    expect(page.get_by_test_id("case-status")).to_have_text(re.compile("已立案|Filed"))

    pick(page, "party_person", "lisi", "李四")
    page.locator("#party_role").select_option("suspect")
    with page.expect_navigation():
        page.locator("[data-testid=party-form] button[type=submit]").click()
    expect(page.get_by_test_id("parties")).to_contain_text("李四")

    form = page.get_by_test_id("measure-form")
    pick(page, "measure_person", "ls", "李四", within=form)
    form.locator("#measure_kind").select_option("summons")
    form.locator("#measure_started_at").fill(_minutes_ago(page, 60))
    form.locator("#measure_basis").fill("刑事诉讼法第一百一十九条")
    pick(page, "measure_decided_by", "czq", "陈志强", within=form)  # a department head decides a summons
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    countdown = page.get_by_test_id("measure-summons").get_by_test_id("countdown")
    expect(countdown).to_have_text(re.compile(r"^1[01]:\d\d:\d\d$"))  # about 11 h of 12 left, ticking
    first = countdown.inner_text()
    page.wait_for_timeout(1500)
    assert countdown.inner_text() != first
    screenshot(page, "cases-summons")

    converting = page.get_by_test_id("measure-summons").get_by_test_id("measure-convert")
    converting.locator("summary").click()
    action = converting.get_by_test_id("measure-action-form")
    action.locator("select[name=kind]").select_option("criminal_detention")
    action.locator("input[name=started_at]").fill(_minutes_ago(page, 30))
    pick(page, action.locator("select[name=decided_by]").get_attribute("id"), "zgq", "赵国庆", within=action)
    action.locator("input[name=basis]").fill("刑事诉讼法第八十二条")
    with page.expect_navigation():
        action.get_by_test_id("convert").click()
    detention = page.get_by_test_id("measure-criminal_detention")
    expect(detention).to_contain_text(rules.catalog().get("detention-family-notice").name_zh)
    expect(detention.get_by_test_id("countdown")).to_have_count(4)
    expect(page.locator("[data-testid=case-timeline] [data-action=\"cases.measure.converted\"]")).to_have_count(1)
    screenshot(page, "cases-detention")
    page.watch.assert_clean()


def _minutes_ago(page, minutes: int) -> str:
    """The time ``minutes`` before now as the date-time input takes it (YYYY-MM-DD HH:MM, Beijing)."""
    return page.evaluate("""(m) => {
        const d = new Date(Date.now() - m * 60000 + 8 * 3600000);
        return d.toISOString().slice(0, 16).replace("T", " ");
    }""", minutes)
