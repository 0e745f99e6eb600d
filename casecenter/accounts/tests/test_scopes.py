"""The scope of each role (accounts/scopes.py): which units' records each demo persona sees, the
units a serving department serves, and what that costs."""

from __future__ import annotations

import pytest

from casecenter.accounts import services
from casecenter.accounts.models import Unit, UnitKind
from casecenter.accounts.roles import Role
from casecenter.accounts.scopes import ROLE_REACH, Scope, holder_scopes
from casecenter.accounts.selectors import visible_scope, visible_units
from casecenter.core.errors import ValidationFailed
from casecenter.ledger.testing import assert_records, last_event_id

pytestmark = pytest.mark.django_db

EAST = {"EAST", "EAST-STATION1", "EAST-STATION2", "EAST-CID", "EAST-LEGAL", "EAST-CENTRE", "EAST-PROPERTY"}
CITY = {"CITY", "CITY-LEGAL", "WEST", "WEST-STATION1"} | EAST


def codes(user, **kwargs) -> set[str]:
    return set(visible_units(user, **kwargs).values_list("code", flat=True))


def test_every_role_has_a_scope():
    assert set(ROLE_REACH) == set(Role)


def test_case_officers_and_heads_see_their_station(personas):
    assert codes(personas["officer1"]) == {"EAST-STATION1"}
    assert codes(personas["head"]) == {"EAST-STATION1"}
    assert codes(personas["outsider"]) == {"WEST-STATION1"}


def test_the_chief_sees_the_bureau_even_from_one_of_its_departments(personas):
    assert codes(personas["chief"]) == EAST
    services.user_update(actor=None, user=personas["chief"], unit=Unit.objects.get(code="EAST-CID"))
    personas["chief"].refresh_from_db()
    assert codes(personas["chief"]) == EAST


def test_the_legal_departments_serve_their_bureau_and_the_city(personas):
    assert Unit.objects.get(code="EAST-LEGAL").serves.code == "EAST"
    assert Unit.objects.get(code="CITY-LEGAL").serves.code == "CITY"
    assert codes(personas["reviewer"]) == EAST
    assert codes(personas["supervisor"]) == CITY  # the city's tree; not the procuratorate, court or law firm


def test_the_centres_serve_their_bureau_by_default(personas):
    assert Unit.objects.get(code="EAST-CENTRE").serves is None
    assert codes(personas["duty"]) == EAST
    assert codes(personas["custodian"]) == EAST


def test_the_analyst_reads_the_bureau_not_only_the_brigade(personas):
    assert codes(personas["analyst"]) == EAST


def test_external_accounts_see_no_units_and_administrators_are_unchanged(personas):
    for name in ("lawyer", "procurator", "judge"):
        assert visible_scope(personas[name]).nothing
    assert visible_scope(personas["sysadmin"]).everything and visible_scope(personas["secadmin"]).everything
    assert codes(personas["auditadmin"]) == CITY  # their own unit's subtree, as before


def test_a_user_with_several_roles_sees_the_union_and_registers_only_as_an_officer(personas):
    analyst = personas["analyst"]
    services.user_set_roles(actor=None, user=analyst, roles=[Role.ANALYST, Role.CASE_OFFICER])
    analyst = type(analyst).objects.get(pk=analyst.pk)
    assert codes(analyst) == EAST
    assert codes(analyst, roles=[Role.CASE_OFFICER]) == {"EAST-CID"}


def test_the_system_administrator_narrows_what_a_department_serves(personas):
    legal = Unit.objects.get(code="EAST-LEGAL")
    mark = last_event_id()
    services.unit_update(actor=personas["sysadmin"], unit=legal, serves=legal)
    assert_records("accounts.unit.updated", after=mark, actor="sysadmin", subject=legal,
                   data={"before": {"serves": Unit.objects.get(code="EAST").pk}, "after": {"serves": legal.pk}})
    reviewer = type(personas["reviewer"]).objects.get(pk=personas["reviewer"].pk)
    assert codes(reviewer) == {"EAST-LEGAL"}
    services.unit_update(actor=personas["sysadmin"], unit=legal, serves=None)  # back to the default: its bureau
    reviewer = type(personas["reviewer"]).objects.get(pk=personas["reviewer"].pk)
    assert codes(reviewer) == EAST


@pytest.mark.parametrize("unit, serves", [("EAST-LEGAL", "WEST"), ("EAST-LEGAL", "EAST-STATION1"),
                                          ("CITY-LEGAL", "EAST"), ("EAST-CENTRE", "EAST-PROPERTY")])
def test_a_department_serves_only_a_unit_above_it(personas, unit, serves):
    before = Unit.objects.get(code=unit).serves_id
    with pytest.raises(ValidationFailed) as refused:
        services.unit_update(actor=personas["sysadmin"], unit=Unit.objects.get(code=unit),
                             serves=Unit.objects.get(code=serves))
    assert "serves" in refused.value.fields
    assert Unit.objects.get(code=unit).serves_id == before


def test_a_new_department_is_refused_a_served_unit_beside_it(personas):
    with pytest.raises(ValidationFailed) as refused:
        services.unit_create(actor=personas["sysadmin"], code="WEST-LEGAL", name="西城区公安分局法制大队",
                             kind=UnitKind.LEGAL_DEPARTMENT, parent=Unit.objects.get(code="WEST"),
                             serves=Unit.objects.get(code="EAST"))
    assert "serves" in refused.value.fields and not Unit.objects.filter(code="WEST-LEGAL").exists()


def test_moving_a_department_away_from_what_it_serves_is_refused_unless_it_changes_too(personas):
    legal, west = Unit.objects.get(code="EAST-LEGAL"), Unit.objects.get(code="WEST")
    with pytest.raises(ValidationFailed) as refused:
        services.unit_update(actor=personas["sysadmin"], unit=legal, parent=west)
    assert "serves" in refused.value.fields
    services.unit_update(actor=personas["sysadmin"], unit=legal, parent=west, serves=west)
    reviewer = type(personas["reviewer"]).objects.get(pk=personas["reviewer"].pk)
    assert codes(reviewer) == {"WEST", "WEST-STATION1", "EAST-LEGAL"}


def test_moving_a_bureau_keeps_its_departments_serving_it(personas):
    services.unit_update(actor=personas["sysadmin"], unit=Unit.objects.get(code="EAST"),
                         parent=Unit.objects.get(code="WEST"))
    reviewer = type(personas["reviewer"]).objects.get(pk=personas["reviewer"].pk)
    assert codes(reviewer) == EAST


def test_a_scope_of_several_subtrees_keeps_each_once():
    scope = Scope.of(["00000001.00000003.", "00000001.", "00000002.00000009.", None])
    assert scope.prefixes == ("00000001.", "00000002.00000009.")
    assert scope.single is None and scope.contains("00000002.00000009.00000011.")
    assert not scope.contains("00000002.")
    assert Scope.of([""]).everything and Scope.of([None]).nothing


def test_several_subtrees_filter_units_by_each(personas):
    east, west = Unit.objects.get(code="EAST-STATION1"), Unit.objects.get(code="WEST")
    scope = Scope.of([east.path, west.path])
    assert set(Unit.objects.filter(scope.q()).values_list("code", flat=True)) == {"EAST-STATION1", "WEST",
                                                                                  "WEST-STATION1"}


def test_an_officers_scope_costs_no_query_and_a_reviewers_one_for_the_request(personas, django_assert_num_queries):
    officer, reviewer = personas["officer1"], personas["reviewer"]
    officer.unit, reviewer.unit, reviewer.roles, officer.roles  # noqa: B018 — loaded as a request has them
    with django_assert_num_queries(0):
        visible_scope(officer)
    with django_assert_num_queries(1):
        visible_scope(reviewer)
        visible_scope(reviewer)


def test_the_holders_of_a_role_are_placed_in_two_queries(personas, django_assert_num_queries):
    with django_assert_num_queries(2):
        placed = {user_id: scope for _role, user_id, scope in holder_scopes([Role.SUPERVISOR, Role.COUNTY_CHIEF])}
    assert placed[personas["supervisor"].pk] == Scope.of([Unit.objects.get(code="CITY").path])
    assert placed[personas["chief"].pk] == Scope.of([Unit.objects.get(code="EAST").path])
