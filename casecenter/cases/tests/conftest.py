"""Fixtures of the case tests: a criminal case of 城关派出所 handled by officer1 and officer2, a
suspect from the registry, and the times the services are called with."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from casecenter.cases.loader import load_shipped_causes
from casecenter.cases.models import CaseCause, CaseKind, CaseSource, PartyRole
from casecenter.cases.services import cases as case_services
from casecenter.cases.services import intake as intake_services
from casecenter.cases.services import parties as party_services
from casecenter.core import clock
from casecenter.people.models import Person
from casecenter.people.services import person_create

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def english():
    """These tests read messages in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def ago():
    """``ago(hours=2)`` → that long before now."""
    def _ago(**kwargs) -> datetime:
        return clock.now() - timedelta(**kwargs)
    return _ago


@pytest.fixture
def station(personas):
    return personas["officer1"].unit


@pytest.fixture
def catalogue(db) -> None:
    """The shipped causes: ``migrate`` loads them, but a transactional test's flush empties the table."""
    if not CaseCause.objects.filter(shipped=True).exists():
        load_shipped_causes()


@pytest.fixture
def theft(catalogue) -> CaseCause:
    return CaseCause.objects.get(code="X005")  # 盗窃罪, shipped


@pytest.fixture
def brawl(catalogue) -> CaseCause:
    return CaseCause.objects.get(code="Z001")  # 殴打他人, shipped


@pytest.fixture
def intake(personas, station, theft, ago):
    """``intake(**overrides)`` → a criminal walk-in case received an hour ago, officer1 and officer2."""
    def _intake(**kwargs):
        values = {"actor": personas["officer1"], "kind": CaseKind.CRIMINAL, "cause": theft,
                  "summary": "报案人称其电动车在小区门口被盗。", "source": CaseSource.WALK_IN,
                  "received_at": ago(hours=1), "unit": station,
                  "officers": [personas["officer1"], personas["officer2"]], "reporter_name": "张三",
                  "reporter_phone": "13800000000"}
        values.update(kwargs)
        return intake_services.case_intake(**values)
    return _intake


@pytest.fixture
def filed_case(intake, personas, ago):
    """A criminal case accepted and filed (the chief's decision recorded directly)."""
    case = intake(received_at=ago(hours=5))
    case = case_services.case_accept(actor=personas["officer1"], case=case, at=ago(hours=4))
    return case_services.case_file(actor=personas["officer1"], case=case, decided_by=personas["chief"],
                                   decided_at=ago(hours=3))


@pytest.fixture
def person(personas) -> Person:
    return person_create(actor=personas["officer1"], name="李四")


@pytest.fixture
def suspect(filed_case, person, personas):
    party_services.party_add(actor=personas["officer1"], case=filed_case, person=person, role=PartyRole.SUSPECT)
    return person



@pytest.fixture
def login_as(login_in_english):
    """These tests read the pages' messages in English."""
    return login_in_english
