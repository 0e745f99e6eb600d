"""Full-text search of the articles: the index the loader writes, the search page, the ranking."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casecenter.law import documents, loader
from casecenter.search.selectors import search

pytestmark = pytest.mark.django_db


def _refs(query, user, *, law=None, limit=20):
    result = search(query, user=user, kinds=[documents.KIND], ref_prefix=f"{law}/" if law else None, limit=limit)
    assert result.error is None, result.error
    return [hit.ref for hit in result.hits]


def test_bail_finds_article_67_of_the_criminal_procedure_law_first(statutes, personas):
    refs = _refs("取保候审", personas["officer1"], law="cpl")
    assert all(ref.startswith("cpl/2018-10-26/") for ref in refs)
    # 第六十七条 states the conditions for 取保候审: what an officer looks for (see operative_clauses).
    assert refs[0] == "cpl/2018-10-26/67"
    assert len(refs) >= 10                  # …and every other article that mentions it follows


def test_each_measure_finds_the_article_that_establishes_it(statutes, personas):
    user = personas["officer1"]
    assert _refs("监视居住", user, law="cpl")[0] == "cpl/2018-10-26/74"
    assert _refs("取保候審", user, law="cpl")[0] == "cpl/2018-10-26/67"


def test_operative_clauses_are_the_lead_ins_of_enumerations(statutes):
    from casecenter.law.models import Article

    article = Article.objects.get(version__law__code="cpl", number=67, sub_number=None)
    assert documents.operative_clauses(article) == ["可以取保候审"]
    plain = Article.objects.get(version__law__code="cpl", number=119, sub_number=None)
    assert documents.operative_clauses(plain) == []


def test_a_summons_of_twelve_hours_finds_article_119(statutes, personas):
    user = personas["officer1"]
    assert _refs("传唤 十二小时", user, law="cpl")[0] == "cpl/2018-10-26/119"
    assert "cpl/2018-10-26/119" in _refs("传唤 十二小时", user)


def test_traditional_characters_find_the_same_articles(statutes, personas):
    user = personas["officer1"]
    assert _refs("取保候審", user, law="cpl") == _refs("取保候审", user, law="cpl")
    assert _refs("傳喚 十二小時", user, law="cpl")[0] == "cpl/2018-10-26/119"


def test_every_signed_in_account_finds_law_articles(statutes, personas):
    for username in ("outsider", "lawyer", "judge", "sysadmin"):
        assert "cpl/2018-10-26/119" in _refs("传唤 十二小时", personas[username], law="cpl"), username


def test_a_loaded_version_is_searchable_at_once_and_its_document_says_where_it_leads(small_law_file, personas,
                                                                                      statutes):
    loader.load(loader.Entry(path=small_law_file, code="test-law", short_name="测试法"))
    result = search("插入的条文", user=personas["officer1"], kinds=[documents.KIND], ref_prefix="test-law/")
    assert [hit.ref for hit in result.hits] == ["test-law/2030-01-01/3-1"]
    hit = result.hits[0]
    assert hit.url == "/law/test-law/2030-01-01/3-1"
    assert hit.title == "中华人民共和国测试法 第三条之一"
    assert hit.extra == {"law": "测试法", "version": "2030-01-01", "article": "第三条之一", "division": "附则"}


def test_the_kind_is_registered_with_a_source_for_reindexing(statutes):
    from casecenter.search import kinds

    kind = kinds.get("law.article")
    assert kind is not None and kind.order == 10 and str(kind.label) == "Articles of law"
    assert kind.count() == 2201
    first = next(iter(kind.source()))
    assert first.kind == "law.article" and first.unit_id is None and first.ref.count("/") == 2


# --- the page -----------------------------------------------------------------------------------


def test_the_search_page_highlights_hits_in_one_law(statutes, login_as):
    response = login_as("officer1").get(reverse("law:search"), {"q": "传唤 十二小时", "law": "cpl"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/law/cpl/2018-10-26/119"' in html
    assert "<mark>传唤</mark>" in html
    assert "/law/procuratorate-rules/" not in html


def test_the_search_page_pages_through_many_hits(statutes, login_as):
    client = login_as("officer1")
    first = client.get(reverse("law:search"), {"q": "取保候审"}).content.decode()
    assert "page=2" in first and "90 articles found" in first
    second = client.get(reverse("law:search"), {"q": "取保候审", "page": 2}).content.decode()
    assert 'start="21"' in second and "page=1" in second


def test_the_search_page_without_a_query_invites_one(statutes, login_as):
    response = login_as("officer1").get(reverse("law:search"))
    assert response.status_code == 200
    assert "traditional characters too" in response.content.decode()


def test_the_search_page_says_when_nothing_matches(statutes, login_as):
    response = login_as("officer1").get(reverse("law:search"), {"q": "量子计算机"})
    assert response.status_code == 200
    assert "No article matches this search." in response.content.decode()


def test_the_search_page_shows_the_error_of_a_query_that_cannot_run(statutes, login_as):
    response = login_as("officer1").get(reverse("law:search"), {"q": "，。！"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="query-error"' in html and "There are no words to search for" in html


def test_the_search_page_refuses_an_unknown_law(statutes, login_as):
    response = login_as("officer1").get(reverse("law:search"), {"q": "传唤", "law": "nonexistent"})
    assert response.status_code == 400
