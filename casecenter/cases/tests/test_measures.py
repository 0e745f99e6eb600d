"""Coercive measures: their clocks, their state machine and their conversions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from casecenter.cases.models import MeasureKind, MeasureStatus
from casecenter.cases.services import measures as services
from casecenter.core.errors import Conflict, Forbidden, ValidationFailed
from casecenter.deadlines.models import Deadline, DeadlineState
from casecenter.ledger.testing import assert_records, last_event_id

pytestmark = pytest.mark.django_db
BASIS = "刑事诉讼法第一百一十九条"


@pytest.fixture
def start(filed_case, suspect, personas, ago):
    def _start(kind=MeasureKind.SUMMONS, hours=2, decided_by="head", **kwargs):
        return services.measure_start(actor=personas["officer1"], case=filed_case, person=suspect, kind=kind,
                                      started_at=ago(hours=hours), basis=BASIS,
                                      decided_by=personas[decided_by] if decided_by else None, **kwargs)
    return _start


def _open(measure):
    return sorted(Deadline.objects.for_subject(measure).open().values_list("rule_id", flat=True))


def test_a_decided_summons_is_in_force_with_its_12_hour_clock(start, filed_case, suspect):
    mark = last_event_id()
    summons = start()
    assert summons.status == MeasureStatus.ACTIVE
    assert_records("cases.measure.started", after=mark, subject=summons, case=filed_case, person=suspect,
                   data={"kind": "summons", "status": "active"})
    (clock,) = Deadline.objects.for_subject(summons).open()
    assert clock.rule_id == "criminal-summons"
    assert clock.due_at == summons.started_at + timedelta(hours=12)
    assert clock.case_id == str(filed_case.pk) and clock.person_id == str(suspect.pk)


def test_a_measure_without_a_decision_waits_pending_with_no_clock(start):
    measure = start(kind=MeasureKind.CRIMINAL_DETENTION, decided_by=None)
    assert measure.status == MeasureStatus.PENDING
    assert _open(measure) == []


def test_the_chiefs_approval_puts_a_pending_detention_in_force_with_its_four_clocks(start, personas):
    measure = start(kind=MeasureKind.CRIMINAL_DETENTION, decided_by=None)
    with pytest.raises(ValidationFailed) as exc:
        services.measure_approve(actor=personas["officer1"], measure=measure, decided_by=personas["head"])
    assert "decided_by" in exc.value.fields
    mark = last_event_id()
    measure = services.measure_approve(actor=personas["officer1"], measure=measure, decided_by=personas["chief"])
    assert_records("cases.measure.approved", after=mark, subject=measure, data={"status": "active"})
    assert _open(measure) == ["arrest-request", "detention-family-notice", "detention-to-detention-house",
                              "interrogation-after-detention"]
    with pytest.raises(Conflict) as exc:
        services.measure_approve(actor=personas["officer1"], measure=measure, decided_by=personas["chief"])
    assert "status" in exc.value.fields


def test_a_refused_measure_records_the_reason(start, personas):
    measure = start(kind=MeasureKind.CRIMINAL_DETENTION, decided_by=None)
    mark = last_event_id()
    measure = services.measure_refuse(actor=personas["officer1"], measure=measure, decided_by=personas["chief"],
                                      reason="证据不足")
    assert measure.status == MeasureStatus.REFUSED
    assert_records("cases.measure.refused", after=mark, subject=measure, data={"reason": "证据不足"})


def test_a_summons_converted_to_detention_meets_its_clock_and_starts_the_detention_clocks(start, personas, ago):
    summons = start()
    with pytest.raises(ValidationFailed) as exc:
        services.measure_convert(actor=personas["officer1"], measure=summons, kind=MeasureKind.CRIMINAL_DETENTION,
                                 at=ago(hours=1), basis="刑事诉讼法第八十二条", decided_by=personas["head"])
    assert "decided_by" in exc.value.fields
    mark = last_event_id()
    detention = services.measure_convert(actor=personas["officer1"], measure=summons,
                                         kind=MeasureKind.CRIMINAL_DETENTION, at=ago(hours=1),
                                         basis="刑事诉讼法第八十二条", decided_by=personas["chief"])
    summons.refresh_from_db()
    assert summons.status == MeasureStatus.CONVERTED
    assert detention.converted_from == summons
    assert_records("cases.measure.converted", after=mark, subject=summons, data={"into": "criminal_detention"})
    assert_records("cases.measure.started", after=mark, subject=detention, data={"converted_from": summons.pk})
    assert Deadline.objects.for_subject(summons).get().state == DeadlineState.MET
    assert len(_open(detention)) == 4


def test_detention_to_arrest_request_meets_the_3_day_clock_and_keeps_the_duties(start, personas, ago):
    detention = start(kind=MeasureKind.CRIMINAL_DETENTION, decided_by="chief")
    request = services.measure_convert(actor=personas["officer1"], measure=detention,
                                       kind=MeasureKind.ARREST_REQUEST, at=ago(hours=1),
                                       basis="刑事诉讼法第九十一条", decided_by=personas["chief"])
    clocks = {d.rule_id: d.state for d in Deadline.objects.for_subject(detention)}
    assert clocks["arrest-request"] == DeadlineState.MET
    assert clocks["detention-family-notice"] == DeadlineState.RUNNING  # still owed while held
    assert _open(request) == ["procuratorate-decision-detained"]


def test_a_release_meets_the_length_and_cancels_the_duties_with_the_reason(start, personas, ago):
    detention = start(kind=MeasureKind.CRIMINAL_DETENTION, decided_by="chief")
    with pytest.raises(ValidationFailed) as exc:
        services.measure_end(actor=personas["officer1"], measure=detention, at=ago(hours=1), reason="")
    assert "reason" in exc.value.fields
    mark = last_event_id()
    services.measure_end(actor=personas["officer1"], measure=detention, at=ago(hours=1),
                         reason="不应追究刑事责任，释放")
    assert_records("cases.measure.ended", after=mark, subject=detention, data={"status": "ended"})
    clocks = Deadline.objects.for_subject(detention)
    assert {d.state for d in clocks} == {DeadlineState.CANCELLED}
    assert {d.end_note for d in clocks} == {"不应追究刑事责任，释放"}


def test_bail_needs_a_deposit_of_at_least_1000_yuan_or_a_guarantor_and_runs_12_months(start):
    with pytest.raises(ValidationFailed) as exc:
        start(kind=MeasureKind.BAIL, decided_by="chief", bail_form="deposit", deposit_amount="500")
    assert "deposit_amount" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        start(kind=MeasureKind.BAIL, decided_by="chief", bail_form="guarantor")
    assert "guarantor_name" in exc.value.fields
    bail = start(kind=MeasureKind.BAIL, decided_by="chief", bail_form="guarantor", guarantor_name="李父")
    assert _open(bail) == ["bail"]


def test_a_minors_deposit_may_be_500_yuan(filed_case, personas, ago):
    from casecenter.cases.services.parties import party_add
    from casecenter.people.services import person_create

    minor = person_create(actor=personas["officer1"], name="小明", birth_date=ago(days=365 * 16).date())
    party_add(actor=personas["officer1"], case=filed_case, person=minor, role="suspect")
    bail = services.measure_start(actor=personas["officer1"], case=filed_case, person=minor, kind=MeasureKind.BAIL,
                                  started_at=ago(hours=1), basis=BASIS, decided_by=personas["chief"],
                                  bail_form="deposit", deposit_amount="500")
    assert bail.deposit_amount == 500


def test_illegal_conversions_and_a_second_measure_are_refused(start, personas, ago):
    summons = start()
    with pytest.raises(Conflict) as exc:
        services.measure_convert(actor=personas["officer1"], measure=summons, kind=MeasureKind.ARREST,
                                 at=ago(hours=1), basis="x", decided_by=personas["chief"])
    assert "kind" in exc.value.fields
    with pytest.raises(Conflict) as exc:
        start(kind=MeasureKind.CRIMINAL_DETENTION, decided_by="chief")
    assert "kind" in exc.value.fields


def test_administrative_detention_is_refused_in_a_criminal_case(start):
    with pytest.raises(ValidationFailed) as exc:
        start(kind=MeasureKind.ADMINISTRATIVE_DETENTION, decided_by="chief")
    assert "kind" in exc.value.fields


def test_a_measure_needs_a_suspect_of_the_case(filed_case, personas, ago):
    from casecenter.people.services import person_create

    stranger = person_create(actor=personas["officer1"], name="路人甲")
    with pytest.raises(ValidationFailed) as exc:
        services.measure_start(actor=personas["officer1"], case=filed_case, person=stranger, kind="summons",
                               started_at=ago(hours=1), basis=BASIS)
    assert "person" in exc.value.fields


def test_a_head_of_another_district_cannot_start_a_measure(filed_case, suspect, personas, ago):
    with pytest.raises(Forbidden):
        services.measure_start(actor=personas["outsider"], case=filed_case, person=suspect, kind="summons",
                               started_at=ago(hours=1), basis=BASIS)


# --- no chained summonses (CPL art. 119) -------------------------------------------------------------

@pytest.fixture
def long_case(intake, person, personas, ago):
    """A filed criminal case received two days ago, with 李四 as its suspect (room for past summonses)."""
    from casecenter.cases.services import cases as case_services
    from casecenter.cases.services.parties import party_add

    case = intake(received_at=ago(days=2))
    case = case_services.case_accept(actor=personas["officer1"], case=case, at=ago(days=2) + timedelta(minutes=10))
    case = case_services.case_file(actor=personas["officer1"], case=case, decided_by=personas["chief"],
                                   decided_at=ago(days=2) + timedelta(minutes=20))
    party_add(actor=personas["officer1"], case=case, person=person, role="suspect")
    return case


@pytest.fixture
def summon(long_case, person, personas):
    def _summon(at, kind=MeasureKind.SUMMONS, case=None, decided_by="head"):
        return services.measure_start(actor=personas["officer1"], case=case or long_case, person=person, kind=kind,
                                      started_at=at, basis=BASIS,
                                      decided_by=personas[decided_by] if decided_by else None)
    return _summon


def _released(measure, at, personas):
    return services.measure_end(actor=personas["officer1"], measure=measure, at=at, reason="询问完毕，放回")


def test_the_rest_interval_is_a_setting_of_12_hours_read_from_the_environment():
    import os
    import subprocess
    import sys

    from django.conf import settings

    assert settings.CASECENTER["SUMMONS_MIN_INTERVAL_HOURS"] == 12
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.CASECENTER['SUMMONS_MIN_INTERVAL_HOURS'])")
    env = {**os.environ, "CASECENTER_SUMMONS_MIN_INTERVAL_HOURS": "6",
           "DJANGO_SETTINGS_MODULE": "casecenter.config.settings_test"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "6"


@pytest.mark.parametrize("kind", [MeasureKind.SUMMONS, MeasureKind.COMPELLED_APPEARANCE])
def test_a_summons_is_refused_while_the_person_is_held_in_another_case(kind, summon, intake, person, personas, ago):
    from casecenter.cases.services import cases as case_services
    from casecenter.cases.services.parties import party_add

    other = intake(received_at=ago(hours=6))
    other = case_services.case_accept(actor=personas["officer1"], case=other, at=ago(hours=5))
    other = case_services.case_file(actor=personas["officer1"], case=other, decided_by=personas["chief"],
                                    decided_at=ago(hours=5))
    party_add(actor=personas["officer1"], case=other, person=person, role="suspect")
    held = summon(ago(hours=3), kind=MeasureKind.CRIMINAL_DETENTION, decided_by="chief")
    with pytest.raises(Conflict) as exc:
        summon(ago(hours=1), kind=kind, case=other, decided_by="chief")
    assert "person" in exc.value.fields
    assert "criminal detention since" in exc.value.message and "12 hours after" in exc.value.message
    assert not other.measures.exists()
    assert held.status == MeasureStatus.ACTIVE


def test_a_pending_summons_is_not_approved_while_the_person_is_held_elsewhere(summon, intake, person, personas,
                                                                             ago):
    from casecenter.cases.services import cases as case_services
    from casecenter.cases.services.parties import party_add

    other = intake(received_at=ago(hours=6))
    other = case_services.case_accept(actor=personas["officer1"], case=other, at=ago(hours=5))
    other = case_services.case_file(actor=personas["officer1"], case=other, decided_by=personas["chief"],
                                    decided_at=ago(hours=5))
    party_add(actor=personas["officer1"], case=other, person=person, role="suspect")
    pending = summon(ago(hours=2), case=other, decided_by=None)
    summon(ago(hours=1), kind=MeasureKind.COMPELLED_APPEARANCE, decided_by="chief")
    with pytest.raises(Conflict) as exc:
        services.measure_approve(actor=personas["officer1"], measure=pending, decided_by=personas["head"])
    assert "person" in exc.value.fields
    pending.refresh_from_db()
    assert pending.status == MeasureStatus.PENDING


@pytest.mark.parametrize("first,second", [(MeasureKind.SUMMONS, MeasureKind.SUMMONS),
                                          (MeasureKind.SUMMONS, MeasureKind.COMPELLED_APPEARANCE),
                                          (MeasureKind.COMPELLED_APPEARANCE, MeasureKind.SUMMONS)])
def test_a_new_summons_waits_for_the_rest_interval_after_the_last_one(first, second, summon, personas, ago):
    last = _released(summon(ago(hours=20), kind=first, decided_by="chief"), ago(hours=11), personas)
    mark = last_event_id()
    with pytest.raises(Conflict) as exc:
        summon(ago(minutes=30), kind=second, decided_by="chief")
    assert "started_at" in exc.value.fields
    ended = timezone.localtime(last.ended_at)
    assert ended.strftime("%Y-%m-%d %H:%M") in exc.value.message
    assert (ended + timedelta(hours=12)).strftime("%Y-%m-%d %H:%M") in exc.value.message
    assert last_event_id() == mark  # nothing recorded


@pytest.mark.parametrize("held_kind", [MeasureKind.CRIMINAL_DETENTION, MeasureKind.CONTINUED_QUESTIONING])
def test_a_summons_right_after_release_from_another_holding_measure_is_refused(held_kind, summon, personas, ago):
    """Held, released, and summoned a minute later is the disguised detention CPL art. 119 forbids,
    whatever held the person before."""
    released = _released(summon(ago(hours=20), kind=held_kind, decided_by="chief"), ago(hours=2), personas)
    with pytest.raises(Conflict) as exc:
        summon(ago(hours=2) + timedelta(minutes=1))
    assert "started_at" in exc.value.fields
    assert (timezone.localtime(released.ended_at) + timedelta(hours=12)).strftime("%Y-%m-%d %H:%M") \
        in exc.value.message


def test_a_summons_entered_late_is_checked_against_what_came_after_it(summon, personas, ago):
    later = _released(summon(ago(hours=10)), ago(hours=2), personas)
    with pytest.raises(Conflict) as exc:  # would end within the rest interval before the later one
        summon(ago(hours=12))
    assert "started_at" in exc.value.fields
    assert timezone.localtime(later.started_at).strftime("%Y-%m-%d %H:%M") in exc.value.message
    assert summon(ago(hours=40)).status == MeasureStatus.ACTIVE  # far enough before it


def test_exactly_at_the_end_of_the_rest_interval_a_new_summons_is_allowed(summon, personas, ago):
    last = _released(summon(ago(hours=30)), ago(hours=20), personas)
    with pytest.raises(Conflict):
        summon(last.ended_at + timedelta(hours=12) - timedelta(seconds=1))
    again = summon(last.ended_at + timedelta(hours=12))
    assert again.status == MeasureStatus.ACTIVE


def test_a_shorter_rest_interval_in_the_settings_allows_an_earlier_summons(summon, personas, ago, settings):
    settings.CASECENTER = {**settings.CASECENTER, "SUMMONS_MIN_INTERVAL_HOURS": 2}
    last = _released(summon(ago(hours=10)), ago(hours=5), personas)
    with pytest.raises(Conflict) as exc:
        summon(ago(hours=4))
    assert "2 hours of rest" in exc.value.message
    assert summon(last.ended_at + timedelta(hours=2)).status == MeasureStatus.ACTIVE


def test_a_refused_summons_does_not_count_as_the_last_one(summon, personas, ago):
    pending = summon(ago(hours=3), decided_by=None)
    services.measure_refuse(actor=personas["officer1"], measure=pending, decided_by=personas["head"], reason="不必要")
    assert summon(ago(hours=1)).status == MeasureStatus.ACTIVE


def test_converting_a_summons_into_detention_is_no_new_summons(summon, personas, ago):
    summons = summon(ago(hours=3))
    detention = services.measure_convert(actor=personas["officer1"], measure=summons,
                                         kind=MeasureKind.CRIMINAL_DETENTION, at=ago(hours=1),
                                         basis="刑事诉讼法第八十二条", decided_by=personas["chief"])
    assert detention.status == MeasureStatus.ACTIVE and detention.converted_from == summons
    assert len(_open(detention)) == 4
