"""The case-cause catalogue in the administration: the system administrator adds a cause (through
the service, with its ledger event); the security administrator only reads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casecenter.cases.models import CaseCause
from casecenter.ledger.testing import assert_records, last_event_id

pytestmark = pytest.mark.django_db


def test_the_system_administrator_adds_a_cause(login_as, personas, catalogue):
    mark = last_event_id()
    response = login_as("sysadmin").post(reverse("admin:cases_casecause_add"),
                                         {"code": "Z900", "name": "高空抛物", "kind": "administrative", "active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    cause = CaseCause.objects.get(code="Z900")
    assert not cause.shipped
    assert_records("cases.cause.saved", after=mark, subject=cause, actor=personas["sysadmin"])
    assert login_as("sysadmin").get(reverse("admin:cases_casecause_changelist")).status_code == 200


def test_the_security_administrator_cannot_add_one(login_as, catalogue):
    assert login_as("secadmin").get(reverse("admin:cases_casecause_add")).status_code == 403
    assert login_as("secadmin").get(reverse("admin:cases_casecause_changelist")).status_code == 200
