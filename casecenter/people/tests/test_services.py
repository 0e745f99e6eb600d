import datetime as dt

import pytest

from casecenter.core.errors import Conflict, Forbidden, ValidationFailed
from casecenter.ledger.testing import assert_no_records, assert_records, last_event_id
from casecenter.people import services
from casecenter.people.models import DocumentKind, Sex

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


def test_the_mover_finds_references_of_apps_it_does_not_import():
    from casecenter.people import references

    found = {(r.label, r.column) for r in references.references()}
    assert ("people.identitydocument", "person_id") in found
    assert ("deadlines.deadline", "person_id") in found and ("deadlines.deadline", "subject_id") in found
    assert ("cases.party", "person_id") in found      # the cases app's parties, found through the model meta
    assert ("people.person", "merged_into_id") not in found
