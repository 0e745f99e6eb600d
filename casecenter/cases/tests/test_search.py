"""Cases in the search index: found by number, cause and a party's name, only by those who see the
case's unit."""

from __future__ import annotations

import pytest

from casecenter.cases.models import PartyRole
from casecenter.cases.services import parties as party_services
from casecenter.search.selectors import search

pytestmark = pytest.mark.django_db


def test_a_case_is_found_by_its_cause_and_a_partys_name_within_its_units(
        intake, person, personas, django_capture_on_commit_callbacks, ago):
    from casecenter.cases.services import cases as case_services

    with django_capture_on_commit_callbacks(execute=True):
        case = intake(received_at=ago(hours=3))
        case = case_services.case_accept(actor=personas["officer1"], case=case, at=ago(hours=2))
        case = case_services.case_file(actor=personas["officer1"], case=case, decided_by=personas["chief"],
                                       decided_at=ago(hours=1))
        party_services.party_add(actor=personas["officer1"], case=case, person=person, role=PartyRole.SUSPECT)
    hits = search("电动车", user=personas["officer1"], kinds=["cases.case"]).hits
    assert [h.ref for h in hits] == [str(case.pk)]
    assert search("李四", user=personas["head"], kinds=["cases.case"]).hits
    assert not search("电动车", user=personas["outsider"], kinds=["cases.case"]).hits
