"""The accounts pages: the list with its filters and search, creating an account in a unit chosen
with the picker, editing and deactivating it (the system administrator); and every refusal at its
field, all at once, with what was typed kept."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.accounts import services
from casecenter.accounts.models import TotpDevice, Unit, User
from casecenter.core import clock
from casecenter.ledger.testing import assert_no_records, assert_records, last_event_id

pytestmark = pytest.mark.django_db

PASSPHRASE = "a long enough passphrase"


def _usernames(response) -> list[str]:
    return [account.username for account in response.context["page"].object_list]


def test_the_list_filters_by_name_unit_role_and_state(login_as, personas):
    client = login_as("secadmin")
    url = reverse("accounts:users")
    assert _usernames(client.get(url, {"q": "王建"})) == ["officer1"]
    east = Unit.objects.get(code="EAST")
    in_east = set(_usernames(client.get(url, {"unit": east.pk})))
    assert {"officer1", "chief", "custodian"} <= in_east and "outsider" not in in_east
    assert _usernames(client.get(url, {"role": "county_chief"})) == ["chief"]
    services.user_set_roles(actor=None, user=personas["officer2"], roles=[])
    assert _usernames(client.get(url, {"role": "none"})) == ["officer2"]
    assert _usernames(client.get(url, {"state": "no_role"})) == ["officer2"]
    User.objects.filter(pk=personas["duty"].pk).update(locked_until=clock.now() + dt.timedelta(minutes=5))
    assert _usernames(client.get(url, {"state": "locked"})) == ["duty"]
    TotpDevice.objects.create(user=personas["officer1"], secret=pyotp.random_base32())
    without = set(_usernames(client.get(url, {"state": "no_authenticator"})))
    assert "officer1" not in without and "chief" in without and "lawyer" not in without   # internal accounts only


def test_bad_filter_input_is_a_field_error(login_as, personas):
    response = login_as("sysadmin").get(reverse("accounts:users"), {"state": "sleepy", "unit_search": "nowhere"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"state", "unit"}


def test_the_list_costs_the_same_queries_for_more_accounts(login_as, personas):
    client = login_as("sysadmin")
    client.get(reverse("accounts:users"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:users"))
    unit = personas["officer1"].unit
    for n in range(20):
        user = services.user_create(actor=None, username=f"new{n}", full_name=f"新警员{n}", unit=unit,
                                    password=PASSPHRASE)
        services.user_set_roles(actor=None, user=user, roles=["case_officer"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("accounts:users"))
    assert len(response.context["page"].object_list) > 30
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_an_account_is_created_in_a_unit_chosen_with_the_picker(login_as, personas):
    station = Unit.objects.get(code="EAST-STATION2")
    mark = last_event_id()
    response = login_as("sysadmin").post(reverse("accounts:user_create"), {
        "username": "officer7", "full_name": "新民警", "unit": station.pk, "unit_search": station.name,
        "phone": "", "email": "", "password": PASSPHRASE})
    created = User.objects.get(username="officer7")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:user", args=[created.pk])
    assert created.unit == station and created.check_password(PASSPHRASE) and not created.roles
    assert_records("accounts.user.created", after=mark, actor=personas["sysadmin"], subject=created,
                   data={"username": "officer7", "unit": station.pk}, absent=(PASSPHRASE,))


def test_every_error_of_the_account_form_shows_at_once_with_the_typed_values_kept(login_as, personas):
    response = login_as("sysadmin").post(reverse("accounts:user_create"), {
        "username": "officer1", "full_name": "", "unit": "", "unit_search": "城关", "phone": "",
        "email": "not-an-address", "password": "password"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"username", "full_name", "unit", "email", "password"}
    page = response.content.decode()
    assert 'value="城关"' in page and 'value="not-an-address"' in page and 'value="officer1"' in page
    assert 'value="password"' not in page                       # a password is never sent back
    assert not User.objects.filter(full_name="").exists()
    taken = login_as("sysadmin").post(reverse("accounts:user_create"), {
        "username": "officer1", "full_name": "重名", "unit": personas["officer1"].unit_id, "password": PASSPHRASE})
    assert taken.status_code == 400 and "username" in taken.context["form"].errors


def test_the_security_administrator_cannot_create_accounts(login_as, personas):
    client = login_as("secadmin")
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.post(reverse("accounts:user_create"), {"username": "x"}).status_code == 403
    page = client.get(reverse("accounts:users")).content.decode()
    assert reverse("accounts:user_create") not in page


def test_an_account_is_edited_and_moved_to_another_unit(login_as, personas):
    officer, west = personas["officer2"], Unit.objects.get(code="WEST-STATION1")
    client = login_as("sysadmin")
    seen = client.get(reverse("accounts:user_edit", args=[officer.pk])).context["form"]["seen"].value()
    mark = last_event_id()
    response = client.post(reverse("accounts:user_edit", args=[officer.pk]), {
        "full_name": "李红梅", "unit": west.pk, "phone": "13800000000", "email": "", "language": "", "seen": seen})
    assert response.status_code == 302
    assert User.objects.get(pk=officer.pk).unit == west
    assert_records("accounts.user.updated", after=mark, subject=officer,
                   data={"after": {"phone": "13800000000", "unit": west.pk}})


def test_an_edit_on_a_stale_form_is_refused_and_shows_the_account_as_it_is(login_as, personas):
    officer = personas["officer2"]
    client = login_as("sysadmin")
    seen = client.get(reverse("accounts:user_edit", args=[officer.pk])).context["form"]["seen"].value()
    services.user_update(actor=None, user=officer, phone="010-1234")         # another administrator
    mark = last_event_id()
    response = client.post(reverse("accounts:user_edit", args=[officer.pk]), {
        "full_name": "李红梅", "unit": officer.unit_id, "phone": "", "email": "", "seen": seen})
    assert response.status_code == 409 and 'data-testid="form-conflict"' in response.content.decode()
    assert response.context["form"].initial["phone"] == "010-1234"
    assert_no_records("accounts.user.updated", after=mark)


def test_deactivation_asks_for_a_reason_and_records_it(login_as, personas):
    officer = personas["officer2"]
    client = login_as("sysadmin")
    empty = client.post(reverse("accounts:user_deactivate", args=[officer.pk]), {"reason": ""})
    assert empty.status_code == 400 and "reason" in empty.context["form"].errors
    mark = last_event_id()
    response = client.post(reverse("accounts:user_deactivate", args=[officer.pk]), {"reason": "调离公安机关"})
    assert response.status_code == 302 and not User.objects.get(pk=officer.pk).is_active
    assert_records("accounts.user.deactivated", after=mark, subject=officer, data={"reason": "调离公安机关"})
    again = client.post(reverse("accounts:user_deactivate", args=[officer.pk]), {"reason": "调离公安机关"})
    assert again.status_code == 409
    assert_records("accounts.user.deactivated", after=mark, count=1)
    client.post(reverse("accounts:user_reactivate", args=[officer.pk]))
    assert User.objects.get(pk=officer.pk).is_active


def test_the_account_page_offers_each_administrator_their_own_actions(login_as, personas):
    officer = personas["officer1"]
    TotpDevice.objects.create(user=officer, secret=pyotp.random_base32())
    url = reverse("accounts:user", args=[officer.pk])
    as_system = login_as("sysadmin").get(url).content.decode()
    assert reverse("accounts:user_edit", args=[officer.pk]) in as_system
    assert reverse("accounts:user_roles", args=[officer.pk]) not in as_system
    assert reverse("accounts:user_totp_reset", args=[officer.pk]) not in as_system
    as_security = login_as("secadmin").get(url).content.decode()
    assert reverse("accounts:user_edit", args=[officer.pk]) not in as_security
    assert reverse("accounts:user_roles", args=[officer.pk]) in as_security
    assert reverse("accounts:user_totp_reset", args=[officer.pk]) in as_security


def test_the_administration_page_offers_what_each_administrator_manages(login_as):
    system = login_as("sysadmin").get(reverse("accounts:administration")).content.decode()
    assert reverse("accounts:user_create") in system and reverse("admin:index") in system
    assert reverse("accounts:tokens") not in system
    security = login_as("secadmin").get(reverse("accounts:administration")).content.decode()
    assert reverse("accounts:tokens") in security and reverse("accounts:user_create") not in security


def test_the_pickers_find_units_and_accounts_by_name_or_code(login_as, personas):
    client = login_as("sysadmin")
    units = client.get(reverse("accounts:unit_picker"), {"q": "城关"}).json()["results"]
    assert [u["label"] for u in units] == ["东城区公安分局城关派出所"]
    assert "EAST-STATION1" in units[0]["detail"] and "东城区公安分局" in units[0]["detail"]
    assert client.get(reverse("accounts:unit_picker"), {"q": "east-cid"}).json()["results"][0]["label"] == \
        "东城区公安分局刑事侦查大队"
    services.unit_deactivate(actor=None, unit=Unit.objects.get(code="EAST-STATION2"))
    active = client.get(reverse("accounts:unit_picker"), {"q": "河东", "active": "1"}).json()["results"]
    assert active == []
    users = login_as("auditadmin").get(reverse("accounts:user_picker"), {"q": "officer"}).json()["results"]
    assert {u["label"] for u in users} == {"王建国（officer1）", "李红梅（officer2）"}
