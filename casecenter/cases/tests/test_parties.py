"""Parties: persons of the registry in roles, added and removed with reasons."""

from __future__ import annotations

import pytest

from casecenter.cases.models import PartyRole
from casecenter.cases.services import measures as measure_services
from casecenter.cases.services import parties as services
from casecenter.core.errors import Conflict, Forbidden, ValidationFailed
from casecenter.ledger.testing import assert_records, last_event_id

pytestmark = pytest.mark.django_db


def test_a_person_is_added_in_a_role_and_recorded(filed_case, person, personas):
    mark = last_event_id()
    party = services.party_add(actor=personas["officer2"], case=filed_case, person=person, role=PartyRole.VICTIM,
                               reason="报案人即被害人")
    assert_records("cases.party.added", after=mark, subject=party, case=filed_case, person=person,
                   data={"role": "victim", "reason": "报案人即被害人"})


def test_the_same_person_in_the_same_role_is_refused(filed_case, person, personas):
    services.party_add(actor=personas["officer1"], case=filed_case, person=person, role=PartyRole.WITNESS)
    with pytest.raises(Conflict) as exc:
        services.party_add(actor=personas["officer1"], case=filed_case, person=person, role=PartyRole.WITNESS)
    assert "person" in exc.value.fields
    services.party_add(actor=personas["officer1"], case=filed_case, person=person, role=PartyRole.REPORTER)


def test_an_unknown_role_is_refused(filed_case, person, personas):
    with pytest.raises(ValidationFailed) as exc:
        services.party_add(actor=personas["officer1"], case=filed_case, person=person, role="bystander")
    assert "role" in exc.value.fields


def test_an_officer_of_another_district_cannot_add_a_party(filed_case, person, personas):
    with pytest.raises(Forbidden):
        services.party_add(actor=personas["outsider"], case=filed_case, person=person, role=PartyRole.WITNESS)


def test_removal_needs_a_reason_and_keeps_the_row(filed_case, person, personas):
    party = services.party_add(actor=personas["officer1"], case=filed_case, person=person, role=PartyRole.WITNESS)
    with pytest.raises(ValidationFailed) as exc:
        services.party_remove(actor=personas["officer1"], party=party, reason=" ")
    assert "reason" in exc.value.fields
    mark = last_event_id()
    party = services.party_remove(actor=personas["officer1"], party=party, reason="登记错误")
    assert party.removed_at is not None
    assert_records("cases.party.removed", after=mark, subject=party, data={"reason": "登记错误"})
    assert not filed_case.parties.current().exists()
    assert filed_case.parties.count() == 1
    with pytest.raises(Conflict):
        services.party_remove(actor=personas["officer1"], party=party, reason="again")


def test_a_suspect_under_a_measure_is_not_removed(filed_case, suspect, personas, ago):
    measure_services.measure_start(actor=personas["officer1"], case=filed_case, person=suspect, kind="summons",
                                   started_at=ago(hours=1), basis="刑事诉讼法第一百一十九条",
                                   decided_by=personas["head"])
    party = filed_case.parties.get(person=suspect)
    with pytest.raises(Conflict) as exc:
        services.party_remove(actor=personas["officer1"], party=party, reason="排除嫌疑")
    assert "party" in exc.value.fields
