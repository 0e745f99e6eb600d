"""Choosing a person: the picker's endpoint (the registry searched as one types, read-only, for the
content roles, bad input refused in the one error shape, a flat query count), the picker field
that renders only the chosen entries, and the same choice made without script by typing a name
that the server resolves; the merge page's survivor chosen that way."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.core.forms import Form
from casecenter.core.pickers import RemotePickerField
from casecenter.people.models import Person
from casecenter.people.pickers import person_detail, person_options

from .conftest import make_id

pytestmark = pytest.mark.django_db
URL = "api:picker-people"


@pytest.fixture
def people(register, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # indexed as they are registered
        return {
            "zhang": register("张三丰", id_number=make_id(birth="19900307")),
            "namesake": register("张三峰", id_number=make_id(birth="19851123", sequence="001")),
            "li": register("李四", phones=["13800000001"]),
        }


@pytest.mark.parametrize("typed, expected", [
    ("张三丰", ["张三丰"]), ("zhangsanfeng", ["张三丰", "张三峰"]), ("zsf", ["张三丰", "张三峰"]),
    ("19900307", ["张三丰"]), ("13800000001", ["李四"]), ("lisi", ["李四"]),
])
def test_a_person_is_found_by_name_pinyin_initials_or_a_numbers_fragment(people, login_in_english, typed, expected):
    response = login_in_english("officer1").get(reverse(URL), {"q": typed})
    assert response.status_code == 200
    assert sorted(row["label"] for row in response.json()["results"]) == sorted(expected)


def test_each_match_tells_namesakes_apart_and_posts_the_entry(people, login_in_english):
    rows = login_in_english("officer1").get(reverse(URL), {"q": "zsf"}).json()["results"]
    zhang = people["zhang"]
    assert {"value": str(zhang.pk), "label": "张三丰", "detail": person_detail(zhang)} in rows
    assert person_detail(zhang) == f"1990-03-07 · Male · {zhang.id_number}"


def test_an_empty_query_finds_no_one_and_a_query_without_words_is_refused(people, login_in_english):
    client = login_in_english("officer1")
    assert client.get(reverse(URL), {"q": ""}).json() == {"results": []}
    response = client.get(reverse(URL), {"q": "？！"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["q"]


def test_only_the_content_roles_find_people_and_nobody_writes(people, login_in_english):
    assert login_in_english("reviewer").get(reverse(URL), {"q": "lisi"}).status_code == 200
    for username in ("sysadmin", "lawyer", "judge"):
        response = login_in_english(username).get(reverse(URL), {"q": "lisi"})
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert login_in_english("officer1").post(reverse(URL), {"q": "lisi"}).status_code == 403


def test_more_people_add_no_query(people, login_in_english, register, django_capture_on_commit_callbacks):
    client = login_in_english("officer1")
    client.get(reverse(URL), {"q": "zhang"})
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(URL), {"q": "zhang"})
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(15):
            register(f"张{'一二三四五六七八九十'[n % 10]}{n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(URL), {"q": "zhang"})
    assert len(response.json()["results"]) > 15
    assert len(many) == len(few)


class Choosing(Form):
    person = RemotePickerField(Person.objects.live(), url_name=URL, label="Person")


def _form(data=None, *, user):
    form = Choosing(data)
    form.fields["person"].bind(lambda q, limit: person_options(q, user=user, limit=limit), detail=person_detail)
    return form


def test_the_picker_renders_only_the_chosen_entry_not_the_registry(people, personas):
    with CaptureQueriesContext(connection) as queries:
        html = str(_form({"person": people["li"].pk}, user=personas["officer1"])["person"])
    # The chosen entry checked (the form's validation) and read for its label: never the registry.
    assert len(queries) == 2
    assert all(re.search(r'"people_person"\."id" (=|IN)', q["sql"]) for q in queries)
    assert re.findall(r'<option value="(\d*)"', html) == ["", str(people["li"].pk)]
    assert f'data-picker-url="{reverse(URL)}"' in html
    assert '<noscript><input type="search"' in html and 'name="person__q"' in html


def test_without_script_a_typed_name_is_resolved_when_one_entry_matches(people, personas):
    form = _form({"person__q": "lisi"}, user=personas["officer1"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == people["li"]


def test_without_script_several_matches_are_listed_to_choose_from_the_typed_text_kept(people, personas):
    form = _form({"person__q": "zsf"}, user=personas["officer1"])
    assert not form.is_valid()
    assert form.errors["person"] == ["Several match “zsf”: choose one in the list."]
    html = str(form["person"])
    assert set(re.findall(r'<option value="(\d+)"', html)) == {str(people["zhang"].pk), str(people["namesake"].pk)}
    assert 'value="zsf"' in html
    assert _form({"person__q": "wangwu"}, user=personas["officer1"]).errors["person"] == ["Nothing matches “wangwu”."]


def test_an_entry_outside_the_fields_choices_is_refused(people, personas):
    people["li"].merged_into = people["zhang"]
    people["li"].save(update_fields=["merged_into"])
    form = _form({"person": people["li"].pk}, user=personas["officer1"])
    assert not form.is_valid() and "person" in form.errors


def test_the_merge_page_offers_the_likely_duplicates_and_takes_a_typed_survivor(people, login_in_english, register,
                                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        duplicate = register("张三丰", birth_date=people["zhang"].birth_date)
    client = login_in_english("head")
    page = client.get(reverse("people:merge", args=[duplicate.pk])).content.decode()
    assert f'<option value="{people["zhang"].pk}"' in page  # the duplicate candidate, offered first
    assert "registry number" not in page.lower() and "its number" not in page
    response = client.post(reverse("people:merge", args=[duplicate.pk]),
                           {"survivor__q": "zhangsanfeng", "reason": "同一人"})
    assert response.status_code == 400  # two entries read zhangsanfeng: choose one
    assert "Several match" in response.content.decode()
    response = client.post(reverse("people:merge", args=[duplicate.pk]),
                           {"survivor": people["zhang"].pk, "reason": "同一人"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == people["zhang"]
