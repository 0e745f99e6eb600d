import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from casecenter.people import selectors
from casecenter.people.models import Person

from .conftest import make_id

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def indexed(register, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        zhang = register("张伟", id_number=make_id("310101", "19920105", "271"), phones=["13912345678"])
        li = register("李娜", phones=["021-55556666"], aliases=["李小娜"])
    return zhang, li


@pytest.mark.parametrize("query, expected", [
    ("张伟", "张伟"), ("zhangwei", "张伟"), ("zw", "张伟"), ("199201", "张伟"), ("3101011992", "张伟"),
    ("13912345678", "张伟"), ("5555", "李娜"), ("李小娜", "李娜"), ("lina", "李娜"),
])
def test_person_search_finds_by_name_pinyin_initials_id_fragment_and_phone(indexed, personas, query, expected):
    found = selectors.person_search(query, user=personas["officer1"])
    assert [p.name for p in found.persons][:1] == [expected], found


def test_people_are_not_found_by_administrators_or_lawyers_in_the_global_search(indexed, personas):
    from casecenter.search.selectors import search

    assert search("张伟", user=personas["officer1"]).counts.get("people.person") == 1
    for username in ("sysadmin", "auditadmin", "lawyer"):
        assert not search("张伟", user=personas[username]).counts.get("people.person")


def test_a_merged_entry_leaves_the_index(indexed, personas, django_capture_on_commit_callbacks):
    from casecenter.people import services

    zhang, li = indexed
    with django_capture_on_commit_callbacks(execute=True):
        services.person_merge(actor=personas["head"], survivor=zhang, merged=li, reason="同一人")
    assert [p.name for p in selectors.person_search("李娜", user=personas["officer1"]).persons] == ["张伟"]


def test_duplicates_for_suggests_the_same_birth_date_with_the_same_name_or_pinyin(register):
    birth = dt.date(1990, 3, 7)
    same = register("王芳", birth_date=birth)
    sounds_alike = register("汪芳", birth_date=birth)
    register("王芳", birth_date=dt.date(1990, 3, 8))
    register("王强", birth_date=birth)
    assert {p.pk for p in selectors.duplicates_for("王芳", birth)} == {same.pk, sounds_alike.pk}
    assert selectors.duplicates_for("王芳", None) == []


@pytest.mark.parametrize("at, minor, age", [
    (dt.datetime(2026, 3, 6, 23, 59, tzinfo=SHANGHAI), True, 17),    # the day before the 18th birthday
    (dt.datetime(2026, 3, 7, 0, 0, tzinfo=SHANGHAI), False, 18),     # the first instant of it
    # 16:30 UTC on 6 March is already 7 March in Shanghai
    (dt.datetime(2026, 3, 6, 16, 30, tzinfo=dt.UTC), False, 18),
    (dt.datetime(2026, 3, 6, 15, 59, tzinfo=dt.UTC), True, 17),
])
def test_is_minor_at_a_given_time_counts_from_the_shanghai_date(at, minor, age):
    person = Person(name="赵六", birth_date=dt.date(2008, 3, 7))
    assert selectors.is_minor(person, at) is minor
    assert selectors.age_at(person, at) == age


def test_an_unknown_birth_date_has_no_age():
    person = Person(name="无名氏")
    assert selectors.age_at(person, dt.datetime(2026, 1, 1, tzinfo=SHANGHAI)) is None
    assert selectors.is_minor(person, dt.datetime(2026, 1, 1, tzinfo=SHANGHAI)) is False
