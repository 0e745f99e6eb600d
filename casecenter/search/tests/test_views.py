"""The global search page, the shell's search box and the API."""

import pytest
from django.urls import reverse

from casecenter.search.selectors import search


@pytest.mark.django_db
def test_the_shell_offers_the_search_box_to_signed_in_users(login_as, client):
    page = login_as("officer1").get(reverse("web:home"))
    assert 'data-testid="shell-search"' in page.content.decode()
    assert 'data-testid="shell-search"' not in client.get(reverse("accounts:login")).content.decode()


@pytest.mark.django_db
def test_results_are_grouped_with_counts_and_marked(corpus, login_as):
    page = login_as("officer1").get(reverse("search:results"), {"q": "城关镇"})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="search-group"') == 2
    assert "<mark>城关镇</mark>" in html
    assert 'value="城关镇"' in html                     # the query stays in the box
    assert "1–2" in html                                # "showing 1–2" of the two hits


@pytest.mark.django_db
def test_a_kind_tab_narrows_and_keeps_the_other_counts(corpus, login_as):
    page = login_as("officer1").get(reverse("search:results"), {"q": "城关镇", "kind": "test.person"})
    html = page.content.decode()
    assert html.count('data-testid="search-hit"') == 1
    assert "Test cases" in html                          # the other tab is still offered


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["*", '"', "取" * 10_000, "((("])
def test_a_malformed_query_shows_a_message(corpus, login_as, raw):
    page = login_as("officer1").get(reverse("search:results"), {"q": raw})
    assert page.status_code == 400
    assert 'data-testid="search-errors"' in page.content.decode()


@pytest.mark.django_db
def test_bad_paging_input_names_the_field(corpus, login_as):
    page = login_as("officer1").get(reverse("search:results"), {"q": "张三", "page": "abc"})
    assert page.status_code == 400
    assert 'data-testid="search-errors"' in page.content.decode()


@pytest.mark.django_db
def test_nothing_found_says_so(corpus, login_as):
    page = login_as("outsider").get(reverse("search:results"), {"q": "张三"})
    assert 'data-testid="search-empty"' in page.content.decode()


@pytest.mark.django_db
def test_the_api_answers_with_counts_and_hits(corpus, login_as):
    answer = login_as("officer1").get(reverse("api:search"), {"q": "zs", "limit": 5})
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == 1 and body["results"][0]["ref"] == "1"
    assert body["results"][0]["kind_label"] == "Test cases"


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "field"), [({"q": "*"}, "q"), ({}, "q"), ({"q": "张三", "limit": 0}, "limit"),
                                               ({"q": "张三", "kinds": "nope.kind"}, "kinds"),
                                               ({"q": "张三", "offset": -1}, "offset")])
def test_the_api_refuses_bad_input_naming_the_field(corpus, login_as, params, field):
    answer = login_as("officer1").get(reverse("api:search"), params)
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]


@pytest.mark.django_db
def test_administrators_find_no_case_content(corpus, personas):
    """Separation of duties: the three administrators see the unit-less documents only."""
    for name in ("sysadmin", "secadmin", "auditadmin"):
        assert {h.ref for h in search("嫌疑", user=personas[name], kinds=["test.case"]).hits} == {"4"}


@pytest.mark.django_db
def test_an_officer_of_the_city_bureau_sees_every_district(corpus, city_officer):
    result = search("嫌疑", user=city_officer, kinds=["test.case"])
    assert {h.ref for h in result.hits} == {"1", "2", "4"} and result.total == 3


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["search:results", "api:search"])
def test_the_results_take_the_same_queries_for_a_few_hits_or_a_full_page(url_name, login_as, personas, test_kinds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casecenter.search.indexing import index_many, make_doc

    client, unit = login_as("officer1"), personas["officer1"].unit
    index_many(make_doc("test.case", n, unit=unit, title=f"诈骗案{n}", body="电信网络诈骗", names=["张三"])
               for n in range(3))
    index_many(make_doc("test.case", n, unit=unit, title=f"盗窃案{n}", body="盗窃电动车", names=["李四"])
               for n in range(3, 40))
    client.get(reverse(url_name), {"q": "诈骗"})   # the session and the user are loaded once per request
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name), {"q": "诈骗"}).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(url_name), {"q": "盗窃"}).status_code == 200
    assert len(many) == len(few) <= 12, [q["sql"][:80] for q in many]
