import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.people.models import Person

from .conftest import make_id

NUMBER = make_id("510104", "19751111", "882")


def test_api_create_detail_update(login_as):
    client = login_as("officer1")
    response = client.post(reverse("api:person-list"), {"name": "刘洋", "id_number": NUMBER,
                                                        "phones": ["13611112222"]}, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["birth_date"], body["sex"]) == ("1975-11-11", "female")
    pk = body["id"]
    response = client.patch(reverse("api:person-detail", args=[pk]), {"residence": "成都市"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["residence"] == "成都市"


def test_api_refuses_a_duplicate_with_the_existing_id(login_as, register):
    existing = register("刘洋", id_number=NUMBER)
    response = login_as("officer1").post(reverse("api:person-list"), {"name": "刘阳", "id_number": NUMBER},
                                         content_type="application/json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["person_id"] == existing.pk and "id_number" in error["fields"]


def test_api_merge_and_unmerge(login_as, register):
    survivor, merged = register("甲"), register("乙")
    head = login_as("head")
    response = head.post(reverse("api:person-merge", args=[merged.pk]), {"survivor": survivor.pk, "reason": "同一人"},
                         content_type="application/json")
    assert response.status_code == 200 and response.json()["aliases"] == ["乙"]
    response = head.post(reverse("api:person-unmerge", args=[merged.pk]), {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["merged_into"] is None


@pytest.mark.parametrize("q", ["", "liuyang"])
def test_api_list_does_not_query_more_with_more_rows(login_as, register, q, django_capture_on_commit_callbacks):
    client = login_as("officer1")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("api:person-list"), {"q": q}).status_code == 200
        return len(ctx)

    with django_capture_on_commit_callbacks(execute=True):
        register("刘洋")
    count()
    few = count()
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(8):
            register("刘洋", phones=[f"1390000000{i}"])
    assert count() == few
    assert Person.objects.count() == 9


def test_api_adds_a_document(login_as, register):
    person = register("约翰")
    response = login_as("officer1").post(reverse("api:person-document-add", args=[person.pk]),
                                         {"kind": "passport", "number": "E1234567"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["documents"][0]["number"] == "E1234567"
