"""The officer picker's endpoint: the officers of the caller's units by name, pinyin, initials or
unit; read-only, in the access matrix, bad input refused in the one error shape, and as many
queries for a hundred officers as for three."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.accounts.models import RoleGrant, User
from casecenter.accounts.roles import Role
from casecenter.search.pickers import officer_options

pytestmark = pytest.mark.django_db
URL = "api:picker-officers"


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["label"] for row in response.json()["results"]]


@pytest.mark.parametrize("typed", ["李红梅", "红梅", "lihongmei", "lihong", "lhm", "LHM", "hongmei"])
def test_an_officer_is_found_by_name_pinyin_or_initials(login_in_english, typed):
    assert "李红梅" in _names(login_in_english("officer1").get(reverse(URL), {"q": typed}))


def test_each_match_says_the_officers_unit_and_posts_the_account_not_its_name(login_in_english, personas):
    (row,) = login_in_english("officer1").get(reverse(URL), {"q": "lhm"}).json()["results"]
    assert row == {"value": str(personas["officer2"].pk), "label": "李红梅",
                   "detail": personas["officer2"].unit.name}


def test_only_the_officers_of_the_callers_units_are_offered(login_in_english, personas):
    # The outsider serves another district: its officers are not in officer1's scope, nor the reverse.
    assert _names(login_in_english("officer1").get(reverse(URL), {"q": "郑海"})) == []
    assert _names(login_in_english("outsider").get(reverse(URL), {"q": "李红梅"})) == []
    # The chief sees the bureau's subtree, the station's officers among them.
    assert "李红梅" in _names(login_in_english("chief").get(reverse(URL), {"q": "lhm"}))


def test_the_role_narrows_the_officers_offered(login_in_english):
    client = login_in_english("officer1")
    assert "陈志强" in _names(client.get(reverse(URL), {"q": "chen"}))
    assert _names(client.get(reverse(URL), {"q": "chen", "role": Role.CASE_OFFICER})) == []
    assert _names(client.get(reverse(URL), {"q": "chen", "role": Role.DEPARTMENT_HEAD})) == ["陈志强"]


@pytest.mark.parametrize("params, field", [
    ({"q": "x" * 101}, "q"),
    ({"q": "wang", "role": "system_admin"}, "role"),
    ({"q": "wang", "role": "nobody"}, "role"),
    ({"q": "wang", "limit": "0"}, "limit"),
    ({"q": "wang", "limit": "many"}, "limit"),
])
def test_bad_input_is_refused_in_the_one_error_shape(login_in_english, params, field):
    response = login_in_english("officer1").get(reverse(URL), params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation" and field in error["fields"]


def test_it_is_read_only_and_refused_to_external_accounts_and_strangers(login_in_english, client):
    assert login_in_english("officer1").post(reverse(URL), {"q": "wang"}).status_code == 403
    assert login_in_english("lawyer").get(reverse(URL), {"q": "wang"}).status_code == 403
    response = client.get(reverse(URL), {"q": "wang"})
    assert response.status_code in (401, 403) and "error" in response.json()


def test_a_hundred_more_officers_add_no_query(login_in_english, personas):
    client = login_in_english("chief")
    client.get(reverse(URL), {"q": "w"})  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(URL), {"q": "wang"}).status_code == 200
    station = personas["officer1"].unit
    officers = User.objects.bulk_create(User(username=f"wang{n}", full_name=f"王{n}号", unit=station)
                                        for n in range(100))
    RoleGrant.objects.bulk_create(RoleGrant(user=o, role=Role.CASE_OFFICER) for o in officers)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(URL), {"q": "wang", "limit": 50})
    assert len(response.json()["results"]) == 50
    assert len(many) == len(few)


def test_an_empty_query_lists_the_officers_by_unit(personas):
    names = [o.label for o in officer_options("", user=personas["officer1"], roles=(Role.CASE_OFFICER,))]
    assert set(names) == {"王建国", "李红梅"}  # the station's two case officers, and no one else
