"""Every write of accounts appends its ledger event in the same transaction (DESIGN.md §3), with
the facts an auditor needs and never a secret (password, TOTP secret, token key)."""

from __future__ import annotations

import datetime as dt
import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from casecenter.accounts import services
from casecenter.accounts.models import ApiToken, TotpDevice, Unit, User
from casecenter.core import clock
from casecenter.ledger.testing import assert_no_records, assert_records, last_event_id

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "river stones under morning fog"
T0 = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _post_login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       HTTP_X_REQUEST_ID="req-login-0001")


@pytest.mark.django_db
class TestSignInEvents:
    def test_a_successful_sign_in_is_recorded_with_the_request(self, personas):
        mark = last_event_id()
        assert _post_login(Client(), "lawyer").status_code == 302  # external: no second factor
        event = assert_records("accounts.user.login", after=mark, count=1, actor="lawyer",
                               subject=personas["lawyer"], data={"second_factor": False},
                               request_id="req-login-0001")
        assert event.client_address == "127.0.0.1"

    def test_a_wrong_password_is_recorded_without_the_password(self, personas):
        mark = last_event_id()
        _post_login(Client(), "officer1", "a wrong guess 123")
        assert_records("accounts.user.login_failed", after=mark, count=1, actor=None, subject=personas["officer1"],
                       data={"username": "officer1", "factor": "password", "reason": "wrong_password"},
                       absent=("a wrong guess 123",), unit=personas["officer1"].unit_id)
        assert_no_records("accounts.user.login", after=mark)

    def test_an_unknown_username_is_recorded_too(self, personas):
        mark = last_event_id()
        with pytest.raises(services.LoginRefused):
            services.password_check(username="nobody", password=PASSWORD)
        assert_records("accounts.user.login_failed", after=mark, subject=("accounts.user", ""),
                       data={"username": "nobody", "reason": "unknown_user"})

    def test_the_fifth_failure_records_the_lockout_and_later_attempts_are_recorded(self, personas):
        mark = last_event_id()
        with clock.frozen(T0):
            for _ in range(5):
                with pytest.raises(services.LoginRefused):
                    services.password_check(username="officer1", password="wrong password")
            assert_records("accounts.user.locked", after=mark, count=1, subject=personas["officer1"],
                           data={"until": "2026-03-02T09:40:00.000000Z", "after_failures": 5})
            with pytest.raises(services.LoginRefused):
                services.password_check(username="officer1", password=PASSWORD)
        assert_records("accounts.user.login_failed", after=mark, count=6, data={"reason": "locked"})

    def test_a_wrong_second_factor_code_is_recorded(self, personas):
        user = personas["officer1"]
        TotpDevice.objects.create(user=user, secret=pyotp.random_base32())
        mark = last_event_id()
        with pytest.raises(services.LoginRefused):
            services.totp_check(user=user, code="000000")
        assert_records("accounts.user.login_failed", after=mark, count=1, subject=user,
                       data={"factor": "totp", "reason": "wrong_code"})

    def test_enrolment_is_recorded_without_the_secret(self, personas):
        user = personas["officer1"]
        secret = pyotp.random_base32()
        mark = last_event_id()
        device = services.totp_confirm_enrolment(user=user, secret=secret, code=pyotp.TOTP(secret).now())
        assert_records("accounts.totp.enrolled", after=mark, actor=user, subject=user, data={"device": device.pk},
                       absent=(secret,))

    def test_resetting_an_authenticator_is_recorded_and_resetting_none_is_not(self, personas):
        user = personas["officer1"]
        TotpDevice.objects.create(user=user, secret=pyotp.random_base32())
        mark = last_event_id()
        assert services.totp_reset(actor=personas["secadmin"], user=user, reason="手机丢失")
        assert not services.totp_reset(actor=personas["secadmin"], user=user, reason="手机丢失")
        assert_records("accounts.totp.reset", after=mark, count=1, actor="secadmin", subject=user,
                       data={"reason": "手机丢失", "username": "officer1"})

    def test_signing_out_is_recorded_with_its_reason(self, personas, login_as):
        client = login_as("officer1")
        mark = last_event_id()
        client.post(reverse("accounts:logout"))
        assert_records("accounts.user.logout", after=mark, count=1, actor="officer1", data={"reason": "user"})

    def test_an_idle_session_end_is_recorded_as_idle(self, personas, login_as):
        client = login_as("officer1")
        session = client.session
        session["last_activity"] = time.time() - 31 * 60
        session.save()
        mark = last_event_id()
        client.get(reverse("web:home"))
        assert_records("accounts.user.logout", after=mark, count=1, actor="officer1", data={"reason": "idle"})


@pytest.mark.django_db(transaction=True)
def test_a_refused_sign_in_still_commits_its_event_and_it_is_sequenced(personas):
    # Here the test is not wrapped in a transaction: what is seen was committed, and the on-commit
    # sequencer has given it a position and a checkpoint.
    with pytest.raises(services.LoginRefused):
        services.password_check(username="officer1", password="wrong password")
    event = assert_records("accounts.user.login_failed", count=1)
    event.refresh_from_db()
    assert event.position is not None
    assert User.objects.get(username="officer1").failed_login_count == 1


@pytest.mark.django_db
class TestAdministrationEvents:
    def test_granting_and_revoking_roles_is_recorded(self, personas):
        mark = last_event_id()
        services.user_set_roles(actor=personas["secadmin"], user=personas["officer2"], roles=["analyst"])
        services.user_set_roles(actor=personas["secadmin"], user=personas["officer2"], roles=["analyst"])
        assert_records("accounts.user.roles_changed", after=mark, count=1, actor="secadmin",
                       subject=personas["officer2"],
                       data={"granted": ["analyst"], "revoked": ["case_officer"], "roles": ["analyst"]})

    def test_a_new_unit_is_recorded(self, personas):
        east = Unit.objects.get(code="EAST")
        mark = last_event_id()
        unit = services.unit_create(actor=personas["sysadmin"], code="EAST-STATION3", name="东城区新派出所",
                                    kind="police_station", parent=east)
        assert_records("accounts.unit.created", after=mark, actor="sysadmin", subject=unit, unit=unit.pk,
                       data={"code": "EAST-STATION3", "parent": east.pk, "kind": "police_station"})

    def test_a_unit_edit_records_before_and_after_of_what_changed(self, personas):
        west, east = Unit.objects.get(code="WEST"), Unit.objects.get(code="EAST")
        mark = last_event_id()
        services.unit_update(actor=personas["sysadmin"], unit=west, name="西城区分局", parent=east)
        services.unit_update(actor=personas["sysadmin"], unit=west, name="西城区分局")  # no change
        assert_records("accounts.unit.updated", after=mark, count=1, subject=west, data={
            "before": {"name": "西城区公安分局", "parent": west.parent_id},
            "after": {"name": "西城区分局", "parent": east.pk},
        })

    def test_a_new_account_is_recorded_without_its_password(self, personas):
        mark = last_event_id()
        user = services.user_create(actor=personas["sysadmin"], username="new1", full_name="新民警",
                                    unit=personas["officer1"].unit, password=NEW_PASSWORD)
        event = assert_records("accounts.user.created", after=mark, actor="sysadmin", subject=user,
                               data={"username": "new1", "full_name": "新民警"},
                               absent=(NEW_PASSWORD, "pbkdf2", "md5$"))
        assert "password" not in event.facts

    def test_an_account_edit_records_before_and_after(self, personas):
        mark = last_event_id()
        services.user_update(actor=personas["sysadmin"], user=personas["officer2"], phone="13800000000")
        assert_records("accounts.user.updated", after=mark, count=1, subject=personas["officer2"],
                       data={"before": {"phone": ""}, "after": {"phone": "13800000000"}})

    def test_a_password_change_is_recorded_without_the_password(self, personas, login_as):
        client = login_as("officer1")
        mark = last_event_id()
        client.post(reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password": NEW_PASSWORD})
        assert_records("accounts.user.password_changed", after=mark, count=1, actor="officer1",
                       data={"by_self": True}, absent=(NEW_PASSWORD,))

    def test_deactivation_and_reactivation_are_recorded(self, personas):
        officer = personas["officer1"]
        services.token_create(user=officer, name="script")
        mark = last_event_id()
        services.user_deactivate(actor=personas["sysadmin"], user=officer, reason="left the force")
        services.user_deactivate(actor=personas["sysadmin"], user=officer)  # already closed: nothing to record
        assert_records("accounts.user.deactivated", after=mark, count=1, actor="sysadmin", subject=officer,
                       data={"reason": "left the force", "tokens_revoked": 1})
        services.user_reactivate(actor=personas["sysadmin"], user=officer)
        services.user_reactivate(actor=personas["sysadmin"], user=officer)  # already open
        assert_records("accounts.user.reactivated", after=mark, count=1, actor="sysadmin",
                       data={"was_active": False})

    def test_token_creation_and_revocation_never_record_the_key(self, personas, login_as):
        client = login_as("analyst")
        mark = last_event_id()
        client.post(reverse("accounts:token_create"), {"name": "script"})
        key = client.session["new_token_key"]
        token = ApiToken.objects.get(user=personas["analyst"])
        assert_records("accounts.token.created", after=mark, actor="analyst", subject=token,
                       data={"name": "script", "owner": "analyst"}, absent=(key, key[:10], token.key_hash))
        client.post(reverse("accounts:token_revoke", args=[token.pk]))
        assert_records("accounts.token.revoked", after=mark, count=1, actor="analyst", subject=token,
                       absent=(key, token.key_hash))
