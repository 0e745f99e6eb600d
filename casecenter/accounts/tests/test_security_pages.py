"""The security administrator's pages: roles (administrator roles held alone), resetting a lost
authenticator so that the next sign-in enrols a new one, lifting a lockout, every account's tokens
and their revocation; and the administrators' home panels."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from casecenter.accounts import services
from casecenter.accounts.models import ApiToken, TotpDevice, User
from casecenter.accounts.views.panels import FIRST_ROWS
from casecenter.core import clock
from casecenter.core.errors import Conflict, Forbidden
from casecenter.ledger.testing import assert_no_records, assert_records, last_event_id

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"   # the personas' password (conftest.py)


def test_roles_are_granted_and_withdrawn_on_the_roles_page(login_as, personas):
    officer = personas["officer2"]
    client = login_as("secadmin")
    form = client.get(reverse("accounts:user_roles", args=[officer.pk]))
    assert 'value="case_officer" id="role-case_officer" checked' in form.content.decode()
    mark = last_event_id()
    response = client.post(reverse("accounts:user_roles", args=[officer.pk]),
                           {"roles": ["analyst"], "expected": "case_officer"})
    assert response.status_code == 302
    assert User.objects.get(pk=officer.pk).roles == {"analyst"}
    assert_records("accounts.user.roles_changed", after=mark, actor=personas["secadmin"], subject=officer,
                   data={"granted": ["analyst"], "revoked": ["case_officer"]})


def test_an_administrator_role_with_another_role_is_refused_at_the_field(login_as, personas):
    officer = personas["officer2"]
    response = login_as("secadmin").post(reverse("accounts:user_roles", args=[officer.pk]),
                                         {"roles": ["case_officer", "audit_admin"], "expected": "case_officer"})
    assert response.status_code == 400 and "roles" in response.context["form"].errors
    assert 'value="audit_admin" id="role-audit_admin" checked' in response.content.decode()   # kept as chosen
    assert User.objects.get(pk=officer.pk).roles == {"case_officer"}


def test_roles_changed_meanwhile_by_another_administrator_are_not_overwritten(login_as, personas):
    officer = personas["officer2"]
    services.user_set_roles(actor=personas["secadmin"], user=officer, roles=["case_officer", "analyst"])
    mark = last_event_id()
    response = login_as("secadmin").post(reverse("accounts:user_roles", args=[officer.pk]),
                                         {"roles": ["case_officer", "supervisor"], "expected": "case_officer"})
    assert response.status_code == 409 and 'data-testid="form-conflict"' in response.content.decode()
    assert User.objects.get(pk=officer.pk).roles == {"case_officer", "analyst"}
    assert_no_records("accounts.user.roles_changed", after=mark)


def test_the_security_administrator_cannot_change_their_own_roles(login_as, personas):
    me = personas["secadmin"]
    response = login_as("secadmin").post(reverse("accounts:user_roles", args=[me.pk]),
                                         {"roles": [], "expected": "security_admin"})
    assert response.status_code == 400 and User.objects.get(pk=me.pk).roles == {"security_admin"}


def _sign_in_with_password(username: str) -> tuple[Client, str]:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    return client, response["Location"]


@pytest.mark.parametrize("demo", [False, True])
def test_a_reset_authenticator_is_enrolled_again_at_the_next_sign_in(login_as, personas, settings, demo):
    settings.DEMO_MODE = demo           # in demo mode too, although the second factor is otherwise optional
    officer = personas["officer1"]
    TotpDevice.objects.create(user=officer, secret=pyotp.random_base32())
    assert _sign_in_with_password("officer1")[1] == reverse("accounts:login_otp")
    client = login_as("secadmin")
    refused = client.post(reverse("accounts:user_totp_reset", args=[officer.pk]), {"reason": "  "})
    assert refused.status_code == 400 and "reason" in refused.context["form"].errors
    assert TotpDevice.objects.filter(user=officer).exists()
    mark = last_event_id()
    response = client.post(reverse("accounts:user_totp_reset", args=[officer.pk]), {"reason": "手机丢失，本人到场核实"})
    assert response.status_code == 302
    assert not TotpDevice.objects.filter(user=officer).exists()
    assert_records("accounts.totp.reset", after=mark, count=1, actor=personas["secadmin"], subject=officer,
                   data={"reason": "手机丢失，本人到场核实"})
    signing_in, step = _sign_in_with_password("officer1")
    assert step == reverse("accounts:login_enrol")
    page = signing_in.get(step).content.decode()
    secret = page.split('data-testid="totp-secret">')[1].split("<")[0].replace(" ", "")
    signing_in.post(step, {"code": pyotp.TOTP(secret).now()})
    assert User.objects.get(pk=officer.pk).totp_reset_at is None      # enrolled again: the reset is done
    assert_records("accounts.totp.enrolled", after=mark, actor=officer)


def test_nobody_resets_their_own_authenticator_and_only_the_security_administrator_resets(personas):
    with pytest.raises(Forbidden):
        services.totp_reset(actor=personas["secadmin"], user=personas["secadmin"], reason="测试")
    with pytest.raises(Forbidden):
        services.totp_reset(actor=personas["sysadmin"], user=personas["officer1"], reason="测试")


def test_a_locked_account_is_unlocked_once(login_as, personas):
    officer = personas["officer1"]
    User.objects.filter(pk=officer.pk).update(locked_until=clock.now() + dt.timedelta(minutes=8), failed_login_count=0)
    client = login_as("secadmin")
    assert reverse("accounts:user_unlock", args=[officer.pk]) in \
        client.get(reverse("accounts:user", args=[officer.pk])).content.decode()
    mark = last_event_id()
    assert client.post(reverse("accounts:user_unlock", args=[officer.pk])).status_code == 302
    assert not User.objects.get(pk=officer.pk).is_locked()
    assert_records("accounts.user.unlocked", after=mark, count=1, actor=personas["secadmin"], subject=officer)
    with pytest.raises(Conflict):
        services.user_unlock(actor=personas["secadmin"], user=officer)
    assert_records("accounts.user.unlocked", after=mark, count=1)
    assert _sign_in_with_password("officer1")[1] != reverse("accounts:login")


@pytest.fixture
def tokens(personas):
    """An analyst's script token, one about to expire, and one revoked."""
    analyst = personas["analyst"]
    fresh, _key = services.token_create(user=analyst, name="统计导出")
    with clock.frozen(clock.now() - dt.timedelta(days=85)):
        old, _key = services.token_create(user=analyst, name="旧脚本")
    gone, _key = services.token_create(user=personas["chief"], name="已吊销")
    services.token_revoke(actor=personas["chief"], token=gone)
    return {"fresh": fresh, "old": old, "gone": gone}


def test_the_token_list_shows_every_accounts_tokens_and_those_about_to_expire(login_as, tokens):
    client = login_as("secadmin")
    every = client.get(reverse("accounts:tokens"))
    assert {t.pk for t in every.context["page"].object_list} == {t.pk for t in tokens.values()}
    expiring = client.get(reverse("accounts:tokens"), {"state": "expiring"})
    assert [t.pk for t in expiring.context["page"].object_list] == [tokens["old"].pk]
    assert tokens["old"].expires_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d") in \
        expiring.content.decode()


def test_a_token_is_revoked_after_confirmation_and_only_once(login_as, personas, tokens):
    client = login_as("secadmin")
    url = reverse("accounts:admin_token_revoke", args=[tokens["fresh"].pk])
    confirm = client.get(url).content.decode()
    assert "统计导出" in confirm and 'data-testid="confirm"' in confirm
    assert ApiToken.objects.get(pk=tokens["fresh"].pk).revoked_at is None        # nothing happens on GET
    mark = last_event_id()
    assert client.post(url).status_code == 302
    assert_records("accounts.token.revoked", after=mark, count=1, actor=personas["secadmin"],
                   subject=tokens["fresh"], data={"owner": "analyst"})
    again = client.post(url)
    assert again.status_code == 409
    assert_records("accounts.token.revoked", after=mark, count=1)


def test_the_token_list_costs_the_same_queries_for_more_tokens(login_as, personas, tokens):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_as("secadmin")
    client.get(reverse("accounts:tokens"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:tokens"))
    for name in ("head", "chief", "supervisor", "analyst", "auditadmin"):
        for n in range(4):
            services.token_create(user=personas[name], name=f"脚本{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("accounts:tokens"))
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- the home panels -----------------------------------------------------------------------------------

def test_the_security_administrators_panels_count_and_list_their_work(login_as, personas, tokens):
    User.objects.filter(pk=personas["duty"].pk).update(locked_until=clock.now() + dt.timedelta(minutes=5))
    client = login_as("secadmin")
    home = client.get(reverse("web:home")).content.decode()
    for name in ("panel_locked", "panel_no_authenticator", "panel_tokens_expiring"):
        assert reverse(f"accounts:{name}") in home
    locked = client.get(reverse("accounts:panel_locked"))
    assert locked.context["count"] == 1 and [u.username for u in locked.context["rows"]] == ["duty"]
    assert f'{reverse("accounts:users")}?state=locked' in locked.content.decode()
    expiring = client.get(reverse("accounts:panel_tokens_expiring"))
    assert expiring.context["count"] == 1 and "旧脚本" in expiring.content.decode()
    without = client.get(reverse("accounts:panel_no_authenticator"))
    assert without.context["count"] == User.objects.filter(is_active=True).count() - 3   # not the external accounts
    assert len(without.context["rows"]) == 5 and without.context["more"] == without.context["count"] - 5


def test_an_empty_panel_says_what_would_appear_there(login_in_english, personas):
    panel = login_in_english("secadmin").get(reverse("accounts:panel_locked")).content.decode()
    assert 'data-testid="panel-empty"' in panel and "locked after repeated failed sign-ins appear here" in panel


def test_the_system_administrators_panels_show_units_without_a_head_and_accounts_waiting_for_roles(
        login_as, personas):
    services.user_set_roles(actor=None, user=personas["officer2"], roles=[])
    client = login_as("sysadmin")
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("accounts:panel_units_without_head") in home and reverse("accounts:panel_locked") not in home
    headless = [u.code for u in client.get(reverse("accounts:panel_units_without_head")).context["rows"]]
    assert "EAST-STATION1" not in headless and "EAST-STATION2" in headless   # 陈志强 heads 城关派出所
    waiting = client.get(reverse("accounts:panel_accounts_without_role")).context["rows"]
    assert [u.username for u in waiting] == ["officer2"]


@pytest.mark.parametrize(("username", "panel"), [
    ("secadmin", "panel_locked"), ("secadmin", "panel_no_authenticator"), ("secadmin", "panel_tokens_expiring"),
    ("sysadmin", "panel_units_without_head"), ("sysadmin", "panel_accounts_without_role")])
def test_a_panel_costs_the_same_queries_however_much_work_waits(login_as, personas, username, panel):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casecenter.accounts.models import Unit

    client = login_as(username)
    url = reverse(f"accounts:{panel}")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    city = Unit.objects.get(code="CITY")
    with clock.frozen(clock.now() - dt.timedelta(days=85)):
        for n in range(12):
            unit = services.unit_create(actor=None, code=f"P{n}", name=f"第{n}派出所", kind="police_station",
                                        parent=city)
            user = services.user_create(actor=None, username=f"p{n}", full_name=f"民警{n}", unit=unit,
                                        password="a long enough passphrase")
            services.token_create(user=user, name="脚本")
            if n % 2:   # an internal account without an authenticator; the others wait for their roles
                services.user_set_roles(actor=None, user=user, roles=["case_officer"])
    User.objects.filter(username__startswith="p").update(locked_until=clock.now() + dt.timedelta(minutes=5))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["count"] > FIRST_ROWS
    # The first rows, and one COUNT once there are more of them than the panel shows.
    assert len(many) <= len(few) + 1, [q["sql"] for q in many.captured_queries]
