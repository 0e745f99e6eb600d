import datetime as dt

import pytest

from casecenter.core.errors import Conflict, Forbidden, ValidationFailed
from casecenter.deadlines.models import Deadline
from casecenter.ledger.models import Event
from casecenter.ledger.testing import assert_no_records, assert_records, last_event_id
from casecenter.people import services
from casecenter.people.models import DocumentKind, IdentityDocument, Person, Sex

from .conftest import make_id

NUMBER = make_id("320102", "19850614", "357")   # a man born 14 June 1985


def test_person_create_derives_birth_date_and_sex_and_records_it(personas, register):
    mark = last_event_id()
    person = register("张三", id_number=NUMBER.lower(), phones=["13800000001"], aliases=["张老三"])
    assert person.birth_date == dt.date(1985, 6, 14)
    assert person.sex == Sex.MALE
    assert person.id_number == NUMBER
    assert "zhangsan" in person.name_pinyin.split() and "zs" in person.name_pinyin.split()
    assert person.nationality == "中国"
    assert_records("people.person.created", after=mark, actor=personas["officer1"], subject=person, person=person,
                   data={"name": "张三", "id_number": NUMBER, "birth_date": "1985-06-14", "sex": "male"})


def test_person_create_without_an_id_number_is_allowed_twice(register):
    assert register("无名氏").pk != register("无名氏").pk


def test_person_create_refuses_a_registered_number_and_offers_the_entry(register):
    first = register("张三", id_number=NUMBER)
    mark = last_event_id()
    with pytest.raises(Conflict) as caught:
        register("张叁", id_number=NUMBER)
    assert caught.value.extra["person_id"] == first.pk
    assert "id_number" in caught.value.fields
    assert_no_records("people.person.created", after=mark)


@pytest.mark.parametrize("fields, field, says", [
    ({"id_number": make_id(birth="19900230")}, "id_number", "not a date"),
    ({"id_number": NUMBER, "birth_date": dt.date(1985, 6, 15)}, "birth_date", "1985-06-14"),
    ({"id_number": NUMBER, "sex": Sex.FEMALE}, "sex", "male"),
    ({"phones": ["call me"]}, "phones", "not a phone number"),
    ({"birth_date": dt.date(2999, 1, 1)}, "birth_date", "between 1900 and today"),
])
def test_person_create_refuses_bad_identity_naming_the_field(register, fields, field, says):
    with pytest.raises(ValidationFailed) as caught:
        register("张三", **fields)
    assert field in caught.value.fields
    assert says in caught.value.message


def test_person_create_refuses_an_empty_name_and_an_outsider_role(personas, register):
    with pytest.raises(ValidationFailed):
        register("  ")
    with pytest.raises(Forbidden):
        register("张三", actor=personas["lawyer"])


def test_person_update_records_what_changed(personas, register):
    person = register("张三")
    mark = last_event_id()
    services.person_update(actor=personas["officer2"], person=person, id_number=NUMBER, residence="南京市")
    person.refresh_from_db()
    assert (person.birth_date, person.sex, person.residence) == (dt.date(1985, 6, 14), "male", "南京市")
    assert_records("people.person.updated", after=mark, actor=personas["officer2"], subject=person,
                   data={"after": {"id_number": NUMBER, "birth_date": "1985-06-14", "sex": "male",
                                   "residence": "南京市"}})


def test_person_update_refuses_another_entrys_number(register, personas):
    register("张三", id_number=NUMBER)
    other = register("李四")
    with pytest.raises(Conflict):
        services.person_update(actor=personas["officer1"], person=other, id_number=NUMBER)


def test_person_document_add_records_and_refuses_a_document_of_another(register, personas):
    person, other = register("约翰"), register("杰克")
    mark = last_event_id()
    services.person_document_add(actor=personas["officer1"], person=person, kind=DocumentKind.PASSPORT,
                                 number="e1234567", issuing_country="美国")
    assert_records("people.document.added", after=mark, subject=person,
                   data={"kind": "passport", "number": "E1234567"})
    with pytest.raises(Conflict):
        services.person_document_add(actor=personas["officer1"], person=other, kind=DocumentKind.PASSPORT,
                                     number="E1234567", issuing_country="美国")


@pytest.fixture
def pair(register, personas):
    """Two entries of one man, the second with a passport and a deadline that names it."""
    survivor = register("张三", id_number=NUMBER, phones=["13800000001"])
    merged = register("张叁", birth_date=dt.date(1985, 6, 14), phones=["13900000002"])
    services.person_document_add(actor=personas["officer1"], person=merged, kind=DocumentKind.PASSPORT,
                                 number="E7654321")
    deadline = Deadline.objects.create(rule_id="test", subject_type_id=_person_type(), subject_id=str(merged.pk),
                                       person_id=str(merged.pk), unit=personas["officer1"].unit,
                                       started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    return survivor, merged, deadline


def _person_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Person).pk


def test_person_merge_moves_every_reference_and_records_which(pair, personas):
    survivor, merged, deadline = pair
    mark = last_event_id()
    services.person_merge(actor=personas["head"], survivor=survivor, merged=merged, reason="同一人，身份证核实")
    merged.refresh_from_db()
    survivor.refresh_from_db()
    deadline.refresh_from_db()
    assert merged.merged_into == survivor
    assert IdentityDocument.objects.get(number="E7654321").person == survivor       # a foreign key
    assert deadline.subject_id == str(survivor.pk)                                # a generic foreign key
    assert deadline.person_id == str(survivor.pk)                                 # a text reference
    assert survivor.aliases == ["张叁"] and survivor.phones == ["13800000001", "13900000002"]
    event = assert_records("people.person.merged", after=mark, actor=personas["head"], subject=merged,
                           person=survivor, data={"survivor": survivor.pk, "merged": merged.pk})
    moved = {(m["model"], m["column"]): m["pks"] for m in event.facts["moved"]}
    assert moved == {("people.identitydocument", "person_id"): [str(IdentityDocument.objects.get().pk)],
                     ("deadlines.deadline", "subject_id"): [str(deadline.pk)],
                     ("deadlines.deadline", "person_id"): [str(deadline.pk)]}


def test_person_unmerge_puts_back_exactly_the_moved_rows(pair, personas):
    survivor, merged, deadline = pair
    services.person_merge(actor=personas["head"], survivor=survivor, merged=merged, reason="同一人")
    event = Event.objects.get(action="people.person.merged")
    mark = last_event_id()
    services.person_unmerge(actor=personas["chief"], merge_event=event, reason="不是同一人")
    merged.refresh_from_db()
    survivor.refresh_from_db()
    deadline.refresh_from_db()
    assert merged.merged_into is None
    assert IdentityDocument.objects.get().person == merged
    assert (deadline.subject_id, deadline.person_id) == (str(merged.pk), str(merged.pk))
    assert survivor.aliases == [] and survivor.phones == ["13800000001"]
    assert_records("people.person.unmerged", after=mark, actor=personas["chief"], subject=merged,
                   data={"merge_event": event.pk})
    with pytest.raises(Conflict):
        services.person_unmerge(actor=personas["chief"], merge_event=event)


def test_person_merge_refusals(pair, personas, register):
    survivor, merged, _deadline = pair
    with pytest.raises(Forbidden):
        services.person_merge(actor=personas["officer1"], survivor=survivor, merged=merged, reason="x")
    with pytest.raises(ValidationFailed):
        services.person_merge(actor=personas["head"], survivor=survivor, merged=merged, reason=" ")
    with pytest.raises(ValidationFailed):
        services.person_merge(actor=personas["head"], survivor=survivor, merged=survivor, reason="x")
    other = register("张三", id_number=make_id("320102", "19850614", "359"))
    with pytest.raises(Conflict):
        services.person_merge(actor=personas["head"], survivor=survivor, merged=other, reason="x")
    services.person_merge(actor=personas["head"], survivor=survivor, merged=merged, reason="x")
    with pytest.raises(Conflict):   # already merged away
        services.person_merge(actor=personas["head"], survivor=survivor, merged=merged, reason="x")
    with pytest.raises(Conflict):   # a merged entry is not edited
        services.person_update(actor=personas["head"], person=merged, residence="x")


def test_the_mover_finds_references_of_apps_it_does_not_import():
    from casecenter.people import references

    found = {(r.label, r.column) for r in references.references()}
    assert ("people.identitydocument", "person_id") in found
    assert ("deadlines.deadline", "person_id") in found and ("deadlines.deadline", "subject_id") in found
    assert ("cases.party", "person_id") in found      # the cases app's parties, found through the model meta
    assert ("people.person", "merged_into_id") not in found
