"""The statute library's pages: the laws, a law's contents, an article's permalink, and search."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.law import loader
from casecenter.law.models import Citation

pytestmark = pytest.mark.django_db

ARTICLE_67 = "/law/cpl/2018-10-26/67"


def test_the_list_shows_every_law_with_its_current_version(statutes, login_as):
    response = login_as("officer1").get(reverse("law:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "中华人民共和国刑事诉讼法" in html and "刑诉法" in html
    assert 'href="/law/cpl/2018-10-26/"' in html
    assert "公安机关适用继续盘问规定" in html and "2004-10-01" in html  # its effective date, not its version date
    assert ">308<" in html


def test_the_navigation_offers_the_statute_library(statutes, login_as):
    html = login_as("lawyer").get(reverse("web:home")).content.decode()
    assert 'href="/law/"' in html


def test_the_contents_list_parts_chapters_and_articles(statutes, login_as):
    response = login_as("officer1").get(reverse("law:law", args=["cpl"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "第一编 总则" in html and "第六章 强制措施" in html and "附则" in html
    assert f'href="{ARTICLE_67}"' in html and 'href="/law/cpl/2018-10-26/308"' in html
    assert 'data-testid="versions"' in html and "2018-10-26" in html


def test_the_contents_of_a_version_and_of_a_law_without_chapters(statutes, login_as, flat_law_file):
    client = login_as("officer1")
    assert client.get(reverse("law:version", args=["cpl", "2018-10-26"])).status_code == 200
    loader.load(loader.Entry(path=flat_law_file, code="flat"))
    response = client.get(reverse("law:law", args=["flat"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/law/flat/2030-01-01/2"' in html and "law-toc-heading" not in html


def test_an_article_has_a_permalink_with_paragraphs_items_and_citation_text(statutes, login_as):
    response = login_as("officer1").get(ARTICLE_67)
    assert response.status_code == 200
    html = response.content.decode()
    assert "第六十七条" in html and "可以取保候审：" in html and "（四）羁押期限届满" in html
    assert "取保候审由公安机关执行。" in html
    assert 'id="p2"' in html and 'id="p1-i4"' in html
    assert "《中华人民共和国刑事诉讼法》（2018-10-26）第六十七条" in html
    assert "2018-10-26" in html and "第六章 强制措施" in html


def test_an_article_links_its_neighbours(statutes, login_as):
    client = login_as("officer1")
    html = client.get(ARTICLE_67).content.decode()
    assert 'rel="prev" href="/law/cpl/2018-10-26/66"' in html
    assert 'rel="next" href="/law/cpl/2018-10-26/68"' in html
    first = client.get("/law/cpl/2018-10-26/1").content.decode()
    assert 'rel="prev"' not in first and 'rel="next" href="/law/cpl/2018-10-26/2"' in first
    last = client.get("/law/cpl/2018-10-26/308").content.decode()
    assert 'rel="next"' not in last


def test_a_chinese_label_leads_to_the_permalink(statutes, login_as):
    response = login_as("officer1").get("/law/cpl/2018-10-26/第六十七条")
    assert response.status_code == 301 and response["Location"] == ARTICLE_67


@pytest.mark.parametrize("url", [
    "/law/cpl/2018-10-26/309", "/law/cpl/2018-10-26/67-1", "/law/cpl/2018-10-26/abc",
    "/law/cpl/2018-10-26/第六十七条之十十", "/law/cpl/2019-01-01/67", "/law/cpl/2018-02-30/67",
    "/law/nonexistent/", "/law/nonexistent/2018-10-26/1",
])
def test_a_missing_law_version_or_article_is_not_found(statutes, login_as, url):
    assert login_as("officer1").get(url).status_code == 404


def test_an_article_lists_what_cites_it(statutes, login_as):
    client = login_as("officer1")
    assert "No rule or document in the system cites this article yet." in client.get(ARTICLE_67).content.decode()
    Citation.objects.create(article=statutes["cpl"].articles.get(number=67), paragraph=1, item=3,
                            source_kind="deadlines.rule", source_ref="bail-12-months", label="取保候审期限",
                            url="/deadlines/rules/bail")
    html = client.get(ARTICLE_67).content.decode()
    assert '<a href="/deadlines/rules/bail">取保候审期限</a>' in html
    assert "第六十七条第一款第（三）项" in html


def test_an_article_in_an_inserted_position_has_its_own_permalink(small_law_file, login_as, statutes):
    loader.load(loader.Entry(path=small_law_file, code="test-law"))
    response = login_as("officer1").get("/law/test-law/2030-01-01/3-1")
    assert response.status_code == 200
    assert "第三条之一" in response.content.decode()
    assert login_as("officer1").get("/law/test-law/2030-01-01/第三条之一")["Location"] == \
        "/law/test-law/2030-01-01/3-1"


def test_a_version_not_yet_in_force_says_so(small_law_file, login_as, statutes):
    loader.load(loader.Entry(path=small_law_file, code="test-law"))
    html = login_as("officer1").get("/law/test-law/").content.decode()
    assert "not yet in force" in html


def test_signed_out_visitors_are_sent_to_sign_in(statutes, client):
    response = client.get(ARTICLE_67)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- bounded queries ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_runs_the_same_number_of_queries_whatever_the_number_of_laws(statutes, login_as, small_law_file):
    client = login_as("officer1")
    before = _queries(client, reverse("law:index"))
    loader.load(loader.Entry(path=small_law_file, code="test-law"))
    assert _queries(client, reverse("law:index")) == before
    assert before <= 8


def test_the_contents_run_a_fixed_number_of_queries_however_long_the_law(statutes, login_as, small_law_file):
    client = login_as("officer1")
    loader.load(loader.Entry(path=small_law_file, code="test-law"))
    small = _queries(client, reverse("law:law", args=["test-law"]))
    large = _queries(client, reverse("law:law", args=["procuratorate-rules"]))  # 684 articles
    assert small == large <= 10


def test_the_article_page_runs_a_fixed_number_of_queries(statutes, login_as):
    assert _queries(login_as("officer1"), ARTICLE_67) <= 10
