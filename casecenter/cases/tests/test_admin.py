"""The case-cause catalogue and the case-number patterns in the administration: the system
administrator adds a cause or sets a unit's pattern (through the services, with their ledger
events); the security administrator only reads."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from casecenter.cases.models import CaseCause, CaseNumberPattern
from casecenter.cases.services.patterns import number_pattern_save
from casecenter.core.errors import ValidationFailed
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


def test_the_system_administrator_sets_a_units_case_number_pattern(login_as, personas, intake):
    station = personas["officer1"].unit
    mark = last_event_id()
    response = login_as("sysadmin").post(reverse("admin:cases_casenumberpattern_add"), {
        "unit": station.pk, "prefix": "110101510000", "pattern": "A{prefix}{year}{seq:06d}"})
    assert response.status_code == 302, response.content.decode()[:2000]
    pattern = CaseNumberPattern.objects.get(unit=station)
    assert_records("cases.number_pattern.saved", after=mark, subject=pattern, actor=personas["sysadmin"],
                   data={"prefix": "110101510000", "pattern": "A{prefix}{year}{seq:06d}"})
    case = intake()
    assert case.number == f"A110101510000{timezone.localtime(case.received_at).year}000001"


@pytest.mark.parametrize(("pattern", "message"), [
    ("{prefix}{year}", "must contain {seq} and {year}"),
    ("{prefix}{seq:05d}", "must contain {seq} and {year}"),
    ("{prefix}{year}{seq}{unit}", "may only use"),
    ("{prefix}{year}{seq:q}", "may only use"),
    ("{prefix}" * 8 + "{year}{seq}", "longer than 64"),
])
def test_a_pattern_that_cannot_number_cases_is_refused_at_its_field(login_as, personas, pattern, message):
    station = personas["officer1"].unit
    response = login_as("sysadmin").post(reverse("admin:cases_casenumberpattern_add"),
                                         {"unit": station.pk, "prefix": "110101510000", "pattern": pattern})
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["pattern"])
    assert not CaseNumberPattern.objects.filter(unit=station).exists()


def test_the_pattern_service_refuses_what_the_page_refuses(personas):
    with pytest.raises(ValidationFailed) as exc:
        number_pattern_save(actor=personas["sysadmin"], unit=personas["officer1"].unit, prefix="", pattern="{seq}")
    assert "prefix" in exc.value.fields
