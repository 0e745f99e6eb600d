"""A person registered in a real browser: typing the ID number fills the date of birth and sex
(the HTMX fragment under the field), the dossier shows them. Screenshots in
test-artifacts/screenshots/people-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from casecenter.people import idnumber

from .test_browser import assert_styled

pytestmark = pytest.mark.browser

FIRST17 = "32010219850614357"
NUMBER = FIRST17 + idnumber.check_char(FIRST17)


def test_an_officer_registers_a_person_from_the_id_number(page, sign_in_as, screenshot):
    sign_in_as("officer1")
    page.goto("/people/")
    page.get_by_test_id("person-create-link").click()
    page.locator("#id_id_number").fill(NUMBER.lower())
    expect(page.locator("#id_birth_date")).to_have_value("1985-06-14")
    expect(page.locator("#id_sex")).to_have_value("male")
    page.locator("#id_name").fill("张三")
    page.locator("#id_phones").fill("13800000001")
    assert_styled(page)
    screenshot(page, "people-create")
    with page.expect_navigation():
        page.get_by_test_id("person-save").click()
    expect(page.get_by_test_id("person-name")).to_have_text("张三")
    expect(page.get_by_test_id("id-number")).to_have_text(NUMBER)
    expect(page.get_by_test_id("birth-date")).to_have_text("1985-06-14")
    expect(page.get_by_test_id("cases-panel")).to_be_visible()
    screenshot(page, "people-dossier")
