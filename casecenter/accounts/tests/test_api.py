"""The REST API: token authentication, the error shape, accounts endpoints and their query counts."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.accounts import services
from casecenter.accounts.credentials import token_hash
from casecenter.accounts.models import ApiToken, Unit, User
from casecenter.core.errors import ValidationFailed


@pytest.mark.django_db
class TestTokens:
    def test_a_token_is_shown_once_and_stored_hashed(self, login_as, personas):
        client = login_as("analyst")
        client.post(reverse("accounts:token_create"), {"name": "统计脚本"})
        page = client.get(reverse("accounts:profile")).content.decode()
        token = ApiToken.objects.get(user=personas["analyst"])
        key = re.search(r"cc_[A-Za-z0-9_-]{20,}", page).group(0)
        assert token.key_hash == token_hash(key) and key not in token.key_hash
        assert key not in client.get(reverse("accounts:profile")).content.decode()

    def test_token_authenticates_api_calls_until_revoked(self, personas):
        token, key = services.token_create(user=personas["officer1"], name="script")
        api = Client(HTTP_AUTHORIZATION=f"Token {key}")
        assert api.get(reverse("api:me")).json()["username"] == "officer1"
        services.token_revoke(actor=personas["officer1"], token=token)
        response = api.get(reverse("api:me"))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"

    def test_bearer_keyword_is_accepted_and_a_wrong_key_refused(self, personas):
        _token, key = services.token_create(user=personas["officer1"], name="script")
        assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(reverse("api:me")).status_code == 200
        wrong = Client(HTTP_AUTHORIZATION="Token cc_wrong").get(reverse("api:me"))
        assert wrong.status_code == 401
        assert wrong.json() == {"error": {"code": "not_authenticated", "message": wrong.json()["error"]["message"]}}

    def test_revoking_from_the_profile_page(self, login_as, personas):
        token, _key = services.token_create(user=personas["officer1"], name="script")
        login_as("officer1").post(reverse("accounts:token_revoke", args=[token.pk]))
        token.refresh_from_db()
        assert token.revoked_at is not None

    def test_nobody_revokes_another_users_token(self, login_as, personas):
        token, _key = services.token_create(user=personas["officer1"], name="script")
        assert login_as("officer2").post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_a_token_needs_a_name(self, personas):
        with pytest.raises(ValidationFailed) as exc:
            services.token_create(user=personas["officer1"], name="  ")
        assert exc.value.fields == {"name": [exc.value.message]}

    def test_deactivating_an_account_revokes_its_tokens(self, personas):
        token, key = services.token_create(user=personas["officer1"], name="script")
        services.user_deactivate(actor=personas["sysadmin"], user=personas["officer1"])
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("api:me")).status_code == 401


@pytest.mark.django_db
class TestUsersApi:
    def test_system_administrator_creates_an_account(self, login_as):
        unit = Unit.objects.get(code="EAST-STATION2")
        response = login_as("sysadmin").post(
            reverse("api:user-list"),
            {"username": "officer9", "full_name": "新民警", "unit": unit.pk, "password": "a long enough passphrase"},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["roles"] == []
        assert User.objects.get(username="officer9").check_password("a long enough passphrase")

    def test_bad_input_names_the_field_and_saves_nothing(self, login_as):
        response = login_as("sysadmin").post(
            reverse("api:user-list"), {"username": "officer9", "full_name": "新民警", "unit": 999999,
                                       "password": "password"}, content_type="application/json")
        assert response.status_code == 400
        body = response.json()["error"]
        assert body["code"] == "validation" and "unit" in body["fields"]
        assert not User.objects.filter(username="officer9").exists()

    def test_a_common_password_is_refused_with_its_reason(self, login_as):
        unit = Unit.objects.get(code="EAST-STATION2")
        response = login_as("sysadmin").post(
            reverse("api:user-list"), {"username": "officer9", "full_name": "新民警", "unit": unit.pk,
                                       "password": "password123"}, content_type="application/json")
        assert response.status_code == 400
        assert "password" in response.json()["error"]["fields"]
        assert not User.objects.filter(username="officer9").exists()

    def test_the_security_administrator_grants_roles(self, login_as, personas):
        url = reverse("api:user-roles", args=[personas["officer2"].pk])
        response = login_as("secadmin").put(url, {"roles": ["case_officer", "analyst"]},
                                            content_type="application/json")
        assert response.status_code == 200
        assert response.json()["roles"] == ["analyst", "case_officer"]

    def test_the_system_administrator_cannot_grant_roles(self, login_as, personas):
        url = reverse("api:user-roles", args=[personas["officer2"].pk])
        response = login_as("sysadmin").put(url, {"roles": ["county_chief"]}, content_type="application/json")
        assert response.status_code == 403
        assert personas["officer2"].roles == {"case_officer"}

    def test_roles_changed_meanwhile_are_a_conflict_not_an_overwrite(self, login_as, personas):
        officer = personas["officer2"]
        services.user_set_roles(actor=personas["secadmin"], user=officer, roles=["case_officer", "analyst"])
        url = reverse("api:user-roles", args=[officer.pk])
        response = login_as("secadmin").put(url, {"roles": ["supervisor"], "expected": ["case_officer"]},
                                            content_type="application/json")
        assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
        assert User.objects.get(pk=officer.pk).roles == {"case_officer", "analyst"}

    def test_deactivating_through_the_api_records_the_reason(self, login_as, personas):
        from casecenter.ledger.testing import assert_records, last_event_id

        officer = personas["officer2"]
        mark = last_event_id()
        response = login_as("sysadmin").patch(reverse("api:user-detail", args=[officer.pk]),
                                              {"is_active": False, "reason": "调离"}, content_type="application/json")
        assert response.status_code == 200 and response.json()["is_active"] is False
        assert_records("accounts.user.deactivated", after=mark, subject=officer, data={"reason": "调离"})

    def test_an_account_cannot_be_moved_into_a_deactivated_unit_through_the_api(self, login_as, personas):
        closed = Unit.objects.get(code="EAST-STATION2")
        services.unit_deactivate(actor=None, unit=closed)
        response = login_as("sysadmin").patch(reverse("api:user-detail", args=[personas["officer2"].pk]),
                                              {"unit": closed.pk}, content_type="application/json")
        assert response.status_code == 400 and "unit" in response.json()["error"]["fields"]

    def test_an_unknown_role_is_a_validation_error(self, login_as, personas):
        url = reverse("api:user-roles", args=[personas["officer2"].pk])
        response = login_as("secadmin").put(url, {"roles": ["king"]}, content_type="application/json")
        assert response.status_code == 400 and "roles.0" in response.json()["error"]["fields"]

    def test_malformed_json_gets_the_error_shape(self, login_as):
        response = login_as("sysadmin").post(reverse("api:user-list"), "{not json", content_type="application/json")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "error"
        assert "JSON" in response.json()["error"]["message"]


@pytest.mark.django_db
class TestQueryCounts:
    @pytest.mark.parametrize("url_name", ["api:unit-list", "api:user-list"])
    def test_list_endpoints_do_not_add_queries_per_row(self, login_as, personas, url_name):
        client = login_as("secadmin")
        client.get(reverse(url_name))
        with CaptureQueriesContext(connection) as before:
            assert client.get(reverse(url_name)).status_code == 200
        city = Unit.objects.get(code="CITY")
        for i in range(10):
            unit = services.unit_create(actor=None, code=f"EXTRA{i}", name=f"单位{i}", kind="police_station",
                                        parent=city)
            user = services.user_create(actor=None, username=f"extra{i}", full_name=f"民警{i}", unit=unit,
                                        password="a long enough passphrase")
            services.user_set_roles(actor=None, user=user, roles=["case_officer"])
        with CaptureQueriesContext(connection) as after:
            assert client.get(reverse(url_name)).status_code == 200
        assert len(after) == len(before)
