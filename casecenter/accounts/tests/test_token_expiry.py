"""API tokens expire: the lifetime comes from CASECENTER_API_TOKEN_DAYS, a token is refused from
the instant it expires (a frozen clock walks the boundary), and its owner sees the date. The API,
its documentation and personal tokens are offered to the roles that have API use."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from casecenter.accounts import services
from casecenter.accounts.access import API_USERS, is_allowed
from casecenter.core import clock
from casecenter.ledger.testing import assert_records, last_event_id

pytestmark = pytest.mark.django_db

CREATED = dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC)   # 1 January 00:30 in Beijing


@pytest.fixture
def thirty_days(settings):
    settings.CASECENTER = {**settings.CASECENTER, "API_TOKEN_DAYS": 30}


def test_a_token_expires_after_the_configured_number_of_days(personas, thirty_days):
    mark = last_event_id()
    with clock.frozen(CREATED):
        token, _key = services.token_create(user=personas["analyst"], name="统计导出")
    assert token.expires_at == CREATED + dt.timedelta(days=30)
    assert_records("accounts.token.created", after=mark, subject=token, absent=(_key,),
                   data={"name": "统计导出", "expires_at": "2027-01-30T16:30:00.000000Z"})


def test_a_token_is_refused_from_the_instant_it_expires(personas, thirty_days):
    with clock.frozen(CREATED):
        token, key = services.token_create(user=personas["analyst"], name="统计导出")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    with clock.frozen(token.expires_at - dt.timedelta(seconds=1)):
        assert api.get(reverse("api:me")).status_code == 200
    with clock.frozen(token.expires_at):
        refused = api.get(reverse("api:me"))
    assert refused.status_code == 401
    error = refused.json()["error"]
    assert error["code"] == "not_authenticated" and "2027-01-31 00:30" in error["message"]   # local time


def test_the_profile_shows_each_tokens_expiry(login_as, personas, thirty_days):
    with clock.frozen(CREATED):
        services.token_create(user=personas["analyst"], name="统计导出")
    page = login_as("analyst").get(reverse("accounts:profile")).content.decode()
    assert 'data-testid="token-expires">2027-01-31 00:30<' in page


def test_tokens_and_the_api_documentation_are_offered_to_the_roles_with_api_use(login_as, personas):
    for username in ("analyst", "chief", "auditadmin", "procurator"):
        client = login_as(username)
        assert client.get(reverse("api:docs")).status_code == 200, username
        assert reverse("api:docs") in client.get(reverse("web:home")).content.decode(), username   # the user menu
        assert 'action="/accounts/profile/tokens/"' in client.get(reverse("accounts:profile")).content.decode()
    for username in ("officer1", "duty", "custodian", "lawyer"):
        client = login_as(username)
        assert client.get(reverse("api:docs")).status_code == 403, username
        assert reverse("api:docs") not in client.get(reverse("web:home")).content.decode(), username
        assert 'id="tokens"' not in client.get(reverse("accounts:profile")).content.decode()
        assert not is_allowed(personas[username], "accounts:token_create", "POST")
    assert len(API_USERS) == 9


def test_the_api_documentation_is_not_in_the_main_navigation(login_as):
    page = login_as("analyst").get(reverse("web:home")).content.decode()
    navigation = page.split('class="navbar-nav me-auto"')[1].split("</ul>")[0]
    assert reverse("api:docs") not in navigation


def test_the_api_documentation_is_translated(login_as):
    schema = login_as("analyst").get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    assert schema["info"]["title"] == "执法办案管理中心 API"
    english = login_as("analyst")
    english.cookies["casecenter_language"] = "en"
    assert english.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()["info"]["title"] == \
        "Case-handling management centre API"
