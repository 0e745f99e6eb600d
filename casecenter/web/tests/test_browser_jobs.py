"""A long job in a real browser: the system administrator starts a rebuild of the search index,
a worker runs it, and the progress bar on the page moves to 100 % by itself (HTMX polling), then
stops polling and offers the result. Screenshot in /tmp/jobs-progress.png and
test-artifacts/screenshots/jobs-progress.png."""

from __future__ import annotations

import re
import shutil

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from casecenter.search import kinds
from casecenter.search.indexing import make_doc

from .test_browser import assert_styled

pytestmark = pytest.mark.browser


@pytest.fixture
def notes(browser_personas):
    unit = browser_personas["officer1"].unit
    docs = [make_doc("test.note", n, unit=unit, title=f"询问笔录{n}", body="盗窃电动车") for n in range(40)]
    kinds.register("test.note", label="询问笔录（测试）", source=lambda: iter(docs), count=lambda: len(docs), order=70)
    yield docs
    kinds._KINDS.pop("test.note", None)


def test_an_administrator_rebuilds_the_index_and_watches_the_bar_fill(page, sign_in_as, notes, screenshot):
    sign_in_as("sysadmin")
    page.goto("/search/reindex")
    assert_styled(page)
    page.get_by_test_id("reindex-start").click()

    bar = page.get_by_test_id("job-progress")
    expect(bar).to_have_attribute("data-state", "running")
    expect(page.get_by_test_id("reindex-start")).to_be_disabled()
    screenshot(page, "jobs-progress-queued")                # an indeterminate bar: nothing counted yet

    call_command("worker", "--once", "--no-schedule")     # the worker runs the queued rebuild

    # The bar fetches itself every second: it reaches the end without a reload.
    expect(bar).to_have_attribute("data-state", "succeeded", timeout=10_000)
    expect(page.get_by_test_id("job-progress-bar")).to_have_text("100%")
    done, total = map(int, re.findall(r"\d+", page.get_by_test_id("job-progress-count").inner_text()))
    assert done == total >= len(notes)          # the notes, and the statutes that migrate loaded, if any
    expect(page.get_by_test_id("job-progress-message")).to_contain_text(str(total))
    expect(page.get_by_test_id("job-progress-result")).to_be_visible()
    assert bar.get_attribute("hx-trigger") is None                    # polling has stopped
    expect(page.get_by_test_id("reindex-start")).to_be_enabled()       # and the page offers a new rebuild
    path = screenshot(page, "jobs-progress")
    shutil.copyfile(path, "/tmp/jobs-progress.png")

    page.get_by_test_id("job-progress-result").click()                 # the result: the search page
    expect(page).to_have_url(re.compile(r"/search/$"))
    page.watch.assert_clean()
