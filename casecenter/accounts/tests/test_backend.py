"""The authentication backend loads the signed-in account with its unit in one query."""

from __future__ import annotations

import pytest

from casecenter.accounts.backends import AccountBackend
from casecenter.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_signed_in_account_comes_with_its_unit(personas, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = AccountBackend().get_user(personas["officer1"].pk)
        assert user.unit.name == personas["officer1"].unit.name


def test_an_inactive_or_unknown_account_is_nobody(personas):
    officer = personas["officer2"]
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert AccountBackend().get_user(officer.pk) is None
    assert AccountBackend().get_user(10**9) is None


def test_the_roles_of_several_accounts_in_one_query(personas, django_assert_num_queries):
    users = [personas[name] for name in ("officer1", "head", "chief")]
    for user in users:
        user.__dict__.pop("_roles_cache", None)
    with django_assert_num_queries(1):
        User.load_roles(users)
    with django_assert_num_queries(0):
        assert users[1].has_role("department_head") and users[2].has_role("county_chief")
        assert not users[0].has_role("county_chief")
