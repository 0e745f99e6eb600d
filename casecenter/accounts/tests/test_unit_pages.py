"""The system administrator's unit pages: the tree with its counts, a unit created under another
with the picker, edits field by field, moves that never build a cycle, deactivation that says what
keeps a unit in use, and two administrators editing at once ending in one clear result."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.accounts import services
from casecenter.accounts.models import Unit
from casecenter.core.errors import Conflict, ValidationFailed
from casecenter.ledger.testing import assert_no_records, assert_records, last_event_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def east(personas):
    return Unit.objects.get(code="EAST")


def _unit_form(**values) -> dict:
    return {"parent": "", "parent_search": "", "code": "", "name": "", "kind": "", **values}


def test_the_tree_shows_every_unit_nested_with_its_accounts(login_as, east):
    response = login_as("sysadmin").get(reverse("accounts:units"))
    assert response.status_code == 200
    roots = {node.unit.code: node for node in response.context["tree"]}
    assert set(roots) == {"CITY", "PROC", "COURT", "LAWFIRM"}
    city = roots["CITY"]
    east_node = next(n for n in city.children if n.unit.code == "EAST")
    station = next(n for n in east_node.children if n.unit.code == "EAST-STATION1")
    assert station.active_accounts == 3                     # officer1, officer2 and their head
    assert east_node.subtree_active_accounts == 8
    page = response.content.decode()
    assert f'id="unit-{east.pk}"' in page and "<details" in page
    assert reverse("accounts:unit_edit", args=[east.pk]) in page


def test_the_tree_costs_the_same_queries_for_more_units(login_as, east, personas):
    client = login_as("sysadmin")
    client.get(reverse("accounts:units"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:units"))
    for n in range(15):
        unit = services.unit_create(actor=None, code=f"EAST-X{n}", name=f"第{n}警务室", kind="police_station",
                                    parent=east)
        services.user_create(actor=None, username=f"x{n}", full_name=f"警员{n}", unit=unit,
                             password="a long enough passphrase")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("accounts:units"))
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_security_administrator_reads_the_tree_but_changes_nothing(login_as, east):
    client = login_as("secadmin")
    page = client.get(reverse("accounts:units")).content.decode()
    assert east.name in page and reverse("accounts:unit_edit", args=[east.pk]) not in page
    assert client.post(reverse("accounts:unit_create"), _unit_form(code="X", name="X", kind="police_station"))\
        .status_code == 403


def test_a_unit_is_created_under_its_parent_chosen_with_the_picker(login_as, personas, east):
    client = login_as("sysadmin")
    form = client.get(reverse("accounts:unit_create"), {"parent": east.pk}).content.decode()
    assert f'name="parent" value="{east.pk}"' in form and f'value="{east.name}"' in form   # the name, not the id
    mark = last_event_id()
    response = client.post(reverse("accounts:unit_create"), _unit_form(
        parent=east.pk, parent_search=east.name, code="EAST-STATION3", name="东城区公安分局新桥派出所",
        kind="police_station"))
    unit = Unit.objects.get(code="EAST-STATION3")
    assert response.status_code == 302 and response["Location"].endswith(f"#unit-{unit.pk}")
    assert unit.parent == east and unit.path.startswith(east.path)
    assert_records("accounts.unit.created", after=mark, actor=personas["sysadmin"], subject=unit,
                   data={"code": "EAST-STATION3", "parent": east.pk})


def test_every_error_of_the_unit_form_shows_at_its_field_with_the_typed_values_kept(login_as, east):
    response = login_as("sysadmin").post(reverse("accounts:unit_create"), _unit_form(
        parent="", parent_search="东城不存在", code="bad code!", name="", kind=""))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"parent", "code", "name", "kind"}
    page = response.content.decode()
    assert 'value="bad code!"' in page and 'value="东城不存在"' in page
    assert page.count('class="invalid-feedback d-block"') == 4


def test_a_taken_code_and_a_deactivated_parent_are_refused_at_their_fields(login_as, east):
    services.unit_deactivate(actor=None, unit=Unit.objects.get(code="EAST-STATION2"))
    closed = Unit.objects.get(code="EAST-STATION2")
    response = login_as("sysadmin").post(reverse("accounts:unit_create"), _unit_form(
        parent=closed.pk, code="EAST", name="重复", kind="police_station"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"parent", "code"}


def test_a_unit_is_renamed_and_moved(login_as, personas, east):
    west = Unit.objects.get(code="WEST-STATION1")
    client = login_as("sysadmin")
    seen = client.get(reverse("accounts:unit_edit", args=[west.pk])).context["form"]["seen"].value()
    mark = last_event_id()
    response = client.post(reverse("accounts:unit_edit", args=[west.pk]), {
        "parent": east.pk, "name": "东城区公安分局西关派出所", "kind": "police_station", "seen": seen})
    assert response.status_code == 302
    west.refresh_from_db()
    assert west.parent == east and west.path.startswith(east.path)
    assert_records("accounts.unit.updated", after=mark, subject=west,
                   data={"after": {"name": "东城区公安分局西关派出所", "parent": east.pk}})


def test_a_unit_never_moves_under_its_own_sub_units(login_as, east):
    cid = Unit.objects.get(code="EAST-CID")
    response = login_as("sysadmin").post(reverse("accounts:unit_edit", args=[east.pk]), {
        "parent": cid.pk, "name": east.name, "kind": east.kind})
    assert response.status_code == 400 and "parent" in response.context["form"].errors
    assert Unit.objects.get(pk=east.pk).parent_id == east.parent_id


def test_two_crossed_moves_cannot_build_a_cycle(east, personas):
    """Administrator A moves 东城 under 西城 while B moves 西城 under 东城: the second finds the first."""
    west = Unit.objects.get(code="WEST")
    stale_east = Unit.objects.get(pk=east.pk)
    services.unit_update(actor=personas["sysadmin"], unit=west, parent=east)
    with pytest.raises(ValidationFailed) as refused:
        services.unit_update(actor=personas["sysadmin"], unit=stale_east, parent=west)
    assert "parent" in refused.value.fields


def test_an_edit_made_on_a_stale_form_is_refused_and_shows_the_unit_as_it_is(login_as, east):
    client = login_as("sysadmin")
    seen = client.get(reverse("accounts:unit_edit", args=[east.pk])).context["form"]["seen"].value()
    services.unit_update(actor=None, unit=east, name="东城区公安分局（新）")          # another administrator
    mark = last_event_id()
    response = client.post(reverse("accounts:unit_edit", args=[east.pk]), {
        "parent": east.parent_id, "name": "东城分局", "kind": east.kind, "seen": seen})
    assert response.status_code == 409
    assert response.context["form"].initial["name"] == "东城区公安分局（新）"
    assert "东城区公安分局（新）" in response.content.decode()
    assert Unit.objects.get(pk=east.pk).name == "东城区公安分局（新）"
    assert_no_records("accounts.unit.updated", after=mark)


def test_a_unit_in_use_is_not_deactivated_and_the_page_says_what_keeps_it(login_in_english, east):
    station = Unit.objects.get(code="EAST-STATION1")
    client = login_in_english("sysadmin")
    page = client.get(reverse("accounts:unit_deactivate", args=[station.pk])).content.decode()
    assert "3 active accounts" in page and 'data-testid="confirm"' not in page
    response = client.post(reverse("accounts:unit_deactivate", args=[station.pk]))
    assert response.status_code == 400 and "3 active accounts" in response.context["error"]
    assert Unit.objects.get(pk=station.pk).is_active
    bureau = client.post(reverse("accounts:unit_deactivate", args=[east.pk]))
    assert "active sub-units" in bureau.context["error"]


def test_an_empty_unit_is_deactivated_once_and_reactivated(login_as, personas):
    station = Unit.objects.get(code="EAST-STATION2")
    client = login_as("sysadmin")
    mark = last_event_id()
    response = client.post(reverse("accounts:unit_deactivate", args=[station.pk]))
    assert response.status_code == 302 and not Unit.objects.get(pk=station.pk).is_active
    assert_records("accounts.unit.deactivated", after=mark, count=1, subject=station,
                   data={"code": "EAST-STATION2"})
    with pytest.raises(Conflict):
        services.unit_deactivate(actor=personas["sysadmin"], unit=station)
    client.post(reverse("accounts:unit_reactivate", args=[station.pk]))
    assert Unit.objects.get(pk=station.pk).is_active
    assert_records("accounts.unit.reactivated", after=mark, count=1, subject=station)


def test_a_unit_under_a_deactivated_parent_is_not_reactivated(personas):
    east = Unit.objects.get(code="EAST-STATION2")
    services.unit_deactivate(actor=None, unit=east)
    empty = services.unit_create(actor=None, code="TMP", name="临时单位", kind="other_department")
    child = services.unit_create(actor=None, code="TMP-1", name="临时下级", kind="other_department", parent=empty)
    services.unit_deactivate(actor=None, unit=child)
    services.unit_deactivate(actor=None, unit=empty)
    with pytest.raises(ValidationFailed, match="临时单位"):
        services.unit_reactivate(actor=None, unit=Unit.objects.get(pk=child.pk))


def test_a_deactivated_unit_receives_no_new_account(personas):
    station = Unit.objects.get(code="EAST-STATION2")
    services.unit_deactivate(actor=None, unit=station)
    with pytest.raises(ValidationFailed) as refused:
        services.user_create(actor=None, username="late", full_name="迟到", unit=Unit.objects.get(pk=station.pk),
                             password="a long enough passphrase")
    assert "unit" in refused.value.fields
