"""Fixtures of the deadline tests: a clock on a subject, in 城关派出所 (officer1's station), and the
rules the tests lean on, picked from the catalog by what they need rather than by name."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from casecenter.accounts.models import Unit
from casecenter.core import clock
from casecenter.deadlines import rules, services

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def english():
    """These tests read messages in English (the Chinese of the catalogue is checked where it matters)."""
    with translation.override("en"):
        yield


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def _pick(predicate) -> rules.Rule:
    for rule in rules.catalog().rules():
        if predicate(rule):
            return rule
    raise LookupError("no rule in the catalog fits the test")


@pytest.fixture
def hour_rule() -> rules.Rule:
    """An hour clock on a held person with a pause the law allows and warnings (询问查证-like)."""
    return _pick(lambda r: r.duration.unit == "hours" and r.pauses and r.warnings and r.valid_until is None
                 and (r.valid_from is None or r.valid_from <= clock.now().date()))


@pytest.fixture
def extendable_rule() -> rules.Rule:
    """A clock with at least one extension tier that needs no other tier first."""
    return _pick(lambda r: any(not e.requires for e in r.extensions) and r.valid_until is None
                 and (r.valid_from is None or r.valid_from <= clock.now().date()))


@pytest.fixture
def station(personas) -> Unit:
    return personas["officer1"].unit


@pytest.fixture
def start(personas, station):
    """``start(rule, at)`` → a running deadline of ``rule`` on officer1's station, officer1 responsible."""

    def _start(rule: rules.Rule, at: datetime, **kwargs):
        kwargs.setdefault("held", True)
        return services.deadline_start(actor=personas["officer1"], rule_id=rule.id, subject=station,
                                       started_at=at, unit=station, officers=[personas["officer1"]],
                                       label=kwargs.pop("label", "王某某 询问"), **kwargs)

    return _start
