"""Driving the forms' pickers and calendar in a browser test as a person does: type, then pick
with the keyboard (no option values, no internal numbers)."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def pick(page, select_id: str, typed: str, expected: str, *, within=None) -> None:
    """Type ``typed`` in the picker of ``#select_id`` and choose, with the arrow keys and Enter,
    the match showing ``expected``."""
    control = (within or page).locator(f"#{select_id}-ts-control")
    box = control.locator("xpath=..")  # the picker's visible box (its input may be tucked away)
    box.click()
    expect(box.locator("xpath=..")).to_have_class(re.compile(r"\bfocus\b"))  # the picker took the focus
    page.keyboard.type(typed, delay=20)
    choose(page, select_id, expected, within=within)


def choose(page, select_id: str, expected: str, *, within=None) -> None:
    """Choose, in the open list of the picker ``#select_id``, the match showing ``expected``: down
    the list with the arrow key, then Enter."""
    control = (within or page).locator(f"#{select_id}-ts-control")
    dropdown = page.locator(f"#{select_id}-ts-dropdown")
    option = dropdown.locator(".option", has_text=expected).first
    expect(option).to_be_visible()
    for _ in range(dropdown.locator(".option").count()):
        if "active" in (option.get_attribute("class") or ""):
            break
        control.press("ArrowDown")
    control.press("Enter")
    expect(control.locator("xpath=..")).to_contain_text(expected)
    expect(dropdown).to_be_hidden()


def type_time(page, input_id: str, value: str) -> None:
    """Type a time in the one date-time input (the calendar is the button beside it)."""
    page.locator(f"#{input_id}").fill(value)


def open_calendar(page, input_id: str):
    """Open the calendar of a date-time input with its button; the calendar."""
    page.locator(f"#{input_id}").locator("xpath=..").locator("[data-datetime-button]").click()
    calendar = page.locator(".datetime-popup .air-datepicker")
    expect(calendar).to_be_visible()
    return calendar
