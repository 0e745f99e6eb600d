"""Searching from the shell in a real browser: the "/" shortcut, a query typed into the box, the
results grouped and highlighted, then an article of law opened from its hit. Screenshots in
test-artifacts/screenshots/search-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from casecenter.search.indexing import index_many, make_doc

from .test_browser import assert_styled

pytestmark = pytest.mark.browser


def test_an_officer_searches_from_the_shell_and_opens_an_article(page, sign_in_as, statute_library, screenshot):
    sign_in_as("officer1")
    page.goto("/")
    page.keyboard.press("/")                                   # the shortcut focuses the box
    box = page.get_by_test_id("shell-search").get_by_role("searchbox")
    expect(box).to_be_focused()
    box.fill("取保候审")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    hits = page.get_by_test_id("search-hit")
    expect(hits.first).to_be_visible()
    expect(page.get_by_test_id("search-group").first).to_contain_text("法")
    expect(hits.first.locator("mark").first).to_have_text("取保候审")
    assert_styled(page)
    screenshot(page, "search-results")

    page.get_by_test_id("search-tabs").get_by_role("link", name=re.compile("条文|Articles")).click()
    expect(page).to_have_url(re.compile(r"kind=law.article"))
    page.get_by_test_id("search-page-form").get_by_role("searchbox").fill("传唤 十二小时")
    page.get_by_test_id("search-page-form").get_by_role("button").click()
    article = page.get_by_test_id("search-hit").filter(has_text="中华人民共和国刑事诉讼法 第一百一十九条")
    expect(article.locator("mark").first).to_be_visible()
    article.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/law/cpl/2018-10-26/119$"))
    expect(page.locator("main")).to_contain_text("十二小时")
    screenshot(page, "search-article")
    page.watch.assert_clean()


def test_a_malformed_query_in_the_shell_gets_a_message(page, sign_in_as, statute_library):
    sign_in_as("officer1")
    page.goto("/")
    box = page.get_by_test_id("shell-search").get_by_role("searchbox")
    page.watch.expect_status('/search/?q=%22*', 400)   # bad input: a message, answered 400
    box.fill('"*')
    box.press("Enter")
    expect(page.get_by_test_id("search-errors")).to_be_visible()
    page.watch.assert_clean()


def test_an_outsider_sees_only_their_own_districts_documents(page, sign_in_as, browser_personas, screenshot):
    east, west = browser_personas["officer1"].unit, browser_personas["outsider"].unit
    index_many([make_doc("test.case", 1, unit=east, title="张三盗窃案", body="盗窃电动车"),
                make_doc("test.case", 2, unit=west, title="李四盗窃案", body="盗窃电动车")])
    sign_in_as("outsider")
    page.goto("/search/?q=盗窃电动车")
    hits = page.get_by_test_id("search-hit")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("李四")
    expect(page.get_by_test_id("search-summary")).to_contain_text("1")
    screenshot(page, "search-outsider")
    page.watch.assert_clean()
