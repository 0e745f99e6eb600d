"""Fixtures of the people tests: valid resident ID numbers made with the check algorithm, and a
``register`` shortcut that creates a person as officer1."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from casecenter.people import idnumber, services


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_id(region: str = "110105", birth: str = "19900307", sequence: str = "123") -> str:
    """A valid 18-character number: the check character computed from the GB 11643 algorithm."""
    first17 = region + birth + sequence
    return first17 + idnumber.check_char(first17)


@pytest.fixture
def register(personas):
    def _register(name: str = "张三", *, actor=None, **fields):
        return services.person_create(actor=actor or personas["officer1"], name=name, **fields)

    return _register


def born(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)



@pytest.fixture
def login_as(login_in_english):
    """These tests read the pages' messages in English."""
    return login_in_english
