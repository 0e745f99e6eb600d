"""Merging two entries of the registry moves every reference to the merged one, also those held by
the apps above the registry (a deadline's generic subject and its person), and unmerging puts them
back. The registry cannot import those apps (people and deadlines are independent), so these tests
live here, in the cases app that sees both."""

import datetime as dt

import pytest

from casecenter.core.errors import Conflict, Forbidden, ValidationFailed
from casecenter.deadlines.models import Deadline
from casecenter.ledger.models import Event
from casecenter.ledger.testing import assert_records, last_event_id
from casecenter.people import services
from casecenter.people.models import DocumentKind, IdentityDocument, Person
from casecenter.people.tests.conftest import make_id

NUMBER = make_id("320102", "19850614", "357")   # a man born 14 June 1985


@pytest.fixture
def register(personas):
    def _register(name: str, **fields):
        return services.person_create(actor=personas["officer1"], name=name, **fields)

    return _register

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
