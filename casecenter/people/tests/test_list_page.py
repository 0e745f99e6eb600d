"""The person list says what will appear when it is empty, how to find someone when a search finds
nobody, and offers registration only to those who may register; a person's name is 姓名."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from casecenter.people.models import Person

pytestmark = pytest.mark.django_db


def test_an_empty_registry_says_who_will_be_listed_and_offers_the_first_registration(login_as):
    body = login_as("officer1").get(reverse("people:list")).content.decode()
    assert 'data-testid="person-empty"' in body and "No person is registered yet." in body
    assert f'href="{reverse("people:create")}" data-testid="person-empty-create"' in body


def test_a_search_that_finds_nobody_says_how_else_to_search(login_as, register):
    register("张三")
    body = login_as("officer1").get(reverse("people:list"), {"q": "李四"}).content.decode()
    assert "No person matches." in body and "pinyin" in body


def test_a_reader_who_may_not_register_people_is_not_offered_to(login_as):
    body = login_as("reviewer").get(reverse("people:list")).content.decode()
    assert "No person is registered yet." in body and 'data-testid="person-empty-create"' not in body


def test_a_persons_name_is_called_xingming_not_mingcheng():
    with translation.override("zh-hans"):
        assert str(Person._meta.get_field("name").verbose_name) == "姓名"
