"""The statute library's REST endpoints: laws, contents, one article, search; 404s and 400s."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.law import loader
from casecenter.law.models import Citation

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    return body["error"]


def test_the_laws_list_gives_each_law_with_its_versions(statutes, login_as):
    body = login_as("lawyer").get(reverse("api:law-list")).json()
    assert body["count"] == 11
    cpl = next(law for law in body["results"] if law["code"] == "cpl")
    assert cpl["full_name"] == "中华人民共和国刑事诉讼法" and cpl["short_name"] == "刑诉法"
    assert cpl["current_version"] == "2018-10-26"
    assert cpl["versions"] == [{"version_date": "2018-10-26", "effective_date": "2018-10-26",
                                "effective_date_basis": "version-date", "article_count": 308,
                                "status": "in_force", "url": "/law/cpl/2018-10-26/"}]


def test_the_laws_list_runs_a_fixed_number_of_queries(statutes, login_as, small_law_file):
    client = login_as("officer1")
    url = reverse("api:law-list")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    loader.load(loader.Entry(path=small_law_file, code="test-law"))
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).json()["count"] == 12
    assert len(after) == len(before) <= 8


def test_the_contents_of_the_version_in_force(statutes, login_as):
    body = login_as("officer1").get(reverse("api:law-detail", args=["cpl"])).json()
    assert body["law"]["code"] == "cpl" and body["version"]["version_date"] == "2018-10-26"
    assert [d["label"] for d in body["divisions"]][:2] == ["第一编", "第二编"]
    assert body["divisions"][-1]["title"] == "附则" and body["divisions"][-1]["number"] is None
    chapter = body["divisions"][0]["children"][0]
    assert chapter["kind"] == "chapter" and chapter["articles"][0] == {
        "number": 1, "sub_number": None, "label": "第一条", "slug": "1", "url": "/law/cpl/2018-10-26/1"}
    assert body["articles"] == []


def test_the_contents_of_a_version_asked_for(statutes, login_as):
    client = login_as("officer1")
    url = reverse("api:law-detail", args=["continued-questioning"])
    body = client.get(url, {"version": "2004-07-12"}).json()
    assert body["version"]["effective_date"] == "2004-10-01" and len(body["divisions"]) == 6
    _error(client.get(url, {"version": "2005-01-01"}), 404, "not_found")
    error = _error(client.get(url, {"version": "yesterday"}), 400, "validation")
    assert "version" in error["fields"]


def test_the_contents_of_a_law_without_chapters(statutes, login_as, flat_law_file):
    loader.load(loader.Entry(path=flat_law_file, code="flat"))
    body = login_as("officer1").get(reverse("api:law-detail", args=["flat"])).json()
    assert body["divisions"] == [] and [a["slug"] for a in body["articles"]] == ["1", "2"]
    assert body["version"]["status"] == "pending"  # 2030: not in force yet, but still the one shown


def test_one_article_with_its_paragraphs_neighbours_and_citations(statutes, login_as):
    Citation.objects.create(article=statutes["cpl"].articles.get(number=119), paragraph=1,
                            source_kind="deadlines.rule", source_ref="summons", label="传唤时限")
    body = login_as("officer1").get(reverse("api:law-article", args=["cpl", "2018-10-26", "119"])).json()
    assert body["label"] == "第一百一十九条" and body["version"] == "2018-10-26"
    assert body["law"]["short_name"] == "刑诉法"
    assert "十二小时" in body["text"] and body["paragraphs"][0]["items"] == []
    assert body["citation_text"] == "《中华人民共和国刑事诉讼法》（2018-10-26）第一百一十九条"
    assert (body["previous"], body["next"]) == ("118", "120")
    assert body["division"] == "第二节 讯问犯罪嫌疑人"
    assert body["cited_by"] == [{"source_kind": "deadlines.rule", "source_ref": "summons", "label": "传唤时限",
                                 "url": "", "paragraph": 1, "item": None, "pinpoint": "第一百一十九条第一款"}]


def test_an_article_may_be_named_by_its_chinese_label(statutes, login_as):
    body = login_as("officer1").get(reverse("api:law-article", args=["cpl", "2018-10-26", "第六十七条"])).json()
    assert body["slug"] == "67" and [len(p["items"]) for p in body["paragraphs"]] == [4, 0]


@pytest.mark.parametrize("args", [["nonexistent", "2018-10-26", "1"], ["cpl", "2019-10-26", "1"],
                                  ["cpl", "2018-10-26", "309"], ["cpl", "2018-10-26", "x"]])
def test_a_missing_article_is_not_found(statutes, login_as, args):
    _error(login_as("officer1").get(reverse("api:law-article", args=args)), 404, "not_found")


def test_a_missing_law_is_not_found(statutes, login_as):
    _error(login_as("officer1").get(reverse("api:law-detail", args=["nonexistent"])), 404, "not_found")


def test_search_finds_articles_of_one_law(statutes, login_as):
    body = login_as("officer1").get(reverse("api:law-search"), {"q": "传唤 十二小时", "law": "cpl"}).json()
    assert body["total"] == 1 and body["terms"] == ["传唤", "十二小时", "十二", "小时"]
    hit = body["hits"][0]
    assert hit["ref"] == "cpl/2018-10-26/119" and hit["url"] == "/law/cpl/2018-10-26/119"
    assert "<mark>传唤</mark>" in hit["snippet"]
    assert hit["extra"]["article"] == "第一百一十九条"


def test_search_pages_with_limit_and_offset(statutes, login_as):
    client = login_as("officer1")
    first = client.get(reverse("api:law-search"), {"q": "取保候审", "limit": 5}).json()
    second = client.get(reverse("api:law-search"), {"q": "取保候审", "limit": 5, "offset": 5}).json()
    assert len(first["hits"]) == len(second["hits"]) == 5 and first["total"] == second["total"] > 10
    assert not {h["ref"] for h in first["hits"]} & {h["ref"] for h in second["hits"]}


@pytest.mark.parametrize("params, field", [
    ({}, "q"), ({"q": "传唤", "limit": 0}, "limit"), ({"q": "传唤", "limit": 1000}, "limit"),
    ({"q": "传唤", "offset": -1}, "offset"), ({"q": "传唤", "law": "nonexistent"}, "law"),
    ({"q": "，。！"}, "q"), ({"q": "传唤" * 200}, "q"),
])
def test_search_refuses_bad_parameters_in_the_error_shape(statutes, login_as, params, field):
    error = _error(login_as("officer1").get(reverse("api:law-search"), params), 400, "validation")
    assert field in error["fields"]


def test_the_api_needs_a_signed_in_caller(statutes, client):
    assert client.get(reverse("api:law-list")).status_code in (401, 403)
