"""The statute library in a real browser: from the list to an article, its neighbours and its
citation text, the law's own search, and the printed page. Screenshots in
test-artifacts/screenshots/law-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_browser import assert_styled

pytestmark = pytest.mark.browser


def test_an_officer_reads_an_article_from_the_list(page, sign_in_as, statute_library, screenshot):
    sign_in_as("officer1")
    page.goto("/")
    page.get_by_role("link", name="法律法规库").or_(page.get_by_role("link", name="Statute library")).click()
    expect(page).to_have_url(re.compile(r"/law/$"))
    expect(page.get_by_test_id("law-list")).to_contain_text("中华人民共和国刑事诉讼法")
    assert_styled(page)
    screenshot(page, "law-list")

    page.get_by_role("link", name="中华人民共和国刑事诉讼法").click()
    expect(page).to_have_url(re.compile(r"/law/cpl/$"))
    toc = page.get_by_test_id("toc")
    expect(toc).to_contain_text("第六章 强制措施")
    screenshot(page, "law-contents")

    toc.get_by_role("link", name="第六十七条", exact=True).click()
    expect(page).to_have_url(re.compile(r"/law/cpl/2018-10-26/67$"))
    article = page.get_by_test_id("article")
    expect(article).to_contain_text("可以取保候审")
    expect(article.locator("#p1-i4")).to_contain_text("羁押期限届满")
    expect(page.locator("#citation-text")).to_have_value("《中华人民共和国刑事诉讼法》（2018-10-26）第六十七条")
    expect(page.get_by_test_id("cited-by")).to_be_visible()
    screenshot(page, "law-article")

    page.get_by_test_id("neighbours").locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"/law/cpl/2018-10-26/68$"))
    page.get_by_test_id("neighbours").locator("a[rel=prev]").click()
    expect(page).to_have_url(re.compile(r"/law/cpl/2018-10-26/67$"))
    page.watch.assert_clean()


def test_the_laws_own_search_finds_traditional_characters(page, sign_in_as, statute_library,
                                                          screenshot):
    sign_in_as("officer1")
    page.goto("/law/cpl/")
    page.locator(".law-search-box").get_by_role("searchbox").fill("取保候審")
    page.locator(".law-search-box").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/law/search\?law=cpl&q="))
    results = page.get_by_test_id("law-search-results")
    expect(results.locator("mark").first).to_have_text("取保候审")
    expect(results).to_contain_text("第六十七条")
    screenshot(page, "law-search")
    page.watch.assert_clean()


def test_a_printed_article_is_the_text_without_the_shell(page, sign_in_as, statute_library):
    sign_in_as("officer1")
    page.goto("/law/cpl/2018-10-26/119")
    page.emulate_media(media="print")
    expect(page.locator(".app-header")).to_be_hidden()
    expect(page.get_by_test_id("neighbours")).to_be_hidden()
    expect(page.get_by_test_id("article")).to_contain_text("十二小时")
