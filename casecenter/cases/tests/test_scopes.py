"""The role scopes (accounts/scopes.py) on the cases: who reads a case of 城关派出所, who may change
it, and that the pages offer no form a reader could not submit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casecenter.accounts import services as accounts
from casecenter.accounts.models import Unit, UnitKind
from casecenter.accounts.roles import Role
from casecenter.accounts.scopes import Scope
from casecenter.cases.models import Case, CaseKind
from casecenter.cases.services import intake as intake_services
from casecenter.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

#: The readers of the bureau: they see its cases and change none of them.
READERS = ("reviewer", "supervisor", "duty", "custodian", "analyst")
FORMS = ('data-testid="party-form"', 'data-testid="transition-', 'data-testid="measure-form"',
         'data-testid="handover-form"')


@pytest.fixture
def west_reviewer(personas):
    """A legal reviewer of 西城分局's legal department (it serves 西城 by default)."""
    legal = accounts.unit_create(actor=None, code="WEST-LEGAL", name="西城区公安分局法制大队",
                                 kind=UnitKind.LEGAL_DEPARTMENT, parent=Unit.objects.get(code="WEST"))
    user = accounts.user_create(actor=None, username="westreviewer", full_name="林审核", unit=legal,
                                password="correct horse battery staple")
    accounts.user_set_roles(actor=None, user=user, roles=[Role.LEGAL_REVIEWER])
    return user


@pytest.mark.parametrize("username", ["chief", *READERS])
def test_the_bureaus_chief_and_serving_departments_read_the_stations_case(intake, login_as, username):
    case = intake()
    client = login_as(username)
    assert case.number in client.get(reverse("cases:list")).content.decode()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


@pytest.mark.parametrize("username", READERS)
def test_a_reader_is_offered_no_form_and_refused_every_change(filed_case, suspect, login_as, username):
    client = login_as(username)
    page = client.get(reverse("cases:detail", args=[filed_case.pk])).content.decode()
    assert not [marker for marker in FORMS if marker in page]
    assert 'data-testid="case-intake-link"' not in client.get(reverse("cases:list")).content.decode()
    assert client.get(reverse("cases:intake")).status_code == 403
    assert client.post(reverse("cases:transition", args=[filed_case.pk, "investigating"]),
                       {"at": "2026-01-01 00:00"}).status_code == 403
    assert client.post(reverse("cases:party_add", args=[filed_case.pk]), {}).status_code == 403
    filed_case.refresh_from_db()
    assert filed_case.status == "filed"


def test_the_legal_reviewer_reads_the_case_and_writes_nothing(filed_case, login_as):
    client = login_as("reviewer")
    assert filed_case.number in client.get(reverse("cases:list")).content.decode()
    response = client.post(reverse("cases:transition", args=[filed_case.pk, "investigating"]),
                           {"at": "2026-01-01 00:00"})
    assert response.status_code == 403
    assert not Case.objects.get(pk=filed_case.pk).decisions.filter(to_status="investigating").exists()


@pytest.mark.parametrize("username", ["outsider", "westreviewer"])
def test_another_district_sees_nothing_of_the_east(intake, login_as, west_reviewer, personas, username):
    personas["westreviewer"] = west_reviewer
    case = intake()
    client = login_as(username)
    assert client.get(reverse("cases:list")).context["page"].paginator.count == 0
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("api:case-detail", args=[case.pk])).status_code == 404
    assert case.number not in client.get(reverse("deadlines:list")).content.decode()


def test_an_officer_who_also_reads_the_bureau_registers_only_for_their_own_unit(personas, brawl, ago):
    analyst = personas["analyst"]
    accounts.user_set_roles(actor=None, user=analyst, roles=[Role.ANALYST, Role.CASE_OFFICER])
    analyst = type(analyst).objects.get(pk=analyst.pk)
    values = {"actor": analyst, "kind": CaseKind.ADMINISTRATIVE, "cause": brawl, "summary": "互殴。",
              "source": "walk_in", "received_at": ago(hours=1), "officers": [analyst]}
    with pytest.raises(ValidationFailed) as refused:
        intake_services.case_intake(unit=personas["officer1"].unit, **values)
    assert "unit" in refused.value.fields
    case = intake_services.case_intake(unit=analyst.unit, **values)
    assert case.unit.code == "EAST-CID"


def test_cases_of_several_subtrees_are_each_found(intake, personas, brawl, ago):
    east = intake()
    west = intake_services.case_intake(
        actor=personas["outsider"], kind=CaseKind.ADMINISTRATIVE, cause=brawl, summary="互殴。", source="walk_in",
        received_at=ago(hours=1), unit=personas["outsider"].unit, officers=[personas["outsider"]])
    both = Scope.of([east.unit.path, west.unit.path])
    assert set(Case.objects.in_scope(both)) == {east, west}
    assert set(Case.objects.in_scope(Scope.of([west.unit.path]))) == {west}
    assert not Case.objects.in_scope(Scope()).exists()


def test_the_search_finds_a_case_for_those_whose_scope_holds_it(intake, personas, west_reviewer,
                                                                django_capture_on_commit_callbacks):
    from casecenter.search.selectors import search

    with django_capture_on_commit_callbacks(execute=True):
        case = intake()
    for username in ("reviewer", "supervisor", "chief", "analyst"):
        assert [h.ref for h in search("电动车", user=personas[username], kinds=["cases.case"]).hits] == [str(case.pk)]
    assert not search("电动车", user=west_reviewer, kinds=["cases.case"]).hits
