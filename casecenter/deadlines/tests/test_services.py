"""The deadline services: each happy path, each refusal (with nothing saved), each ledger event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casecenter.core import clock
from casecenter.core.errors import Conflict, ValidationFailed
from casecenter.deadlines import services
from casecenter.deadlines.models import Deadline, DeadlineState
from casecenter.ledger.testing import assert_records, last_event_id

from .conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 11, 20, 9, 30)  # a Friday, no holiday near


def hours(rule) -> timedelta:
    return timedelta(hours=rule.duration.amount)


def test_start_sets_the_due_time_from_the_exact_minute_and_records_it(start, hour_rule, personas):
    mark = last_event_id()
    with clock.frozen(NOW):
        deadline = start(hour_rule, NOW)
    assert deadline.due_at == NOW + hours(hour_rule)
    assert deadline.state == DeadlineState.RUNNING
    assert deadline.next_alert_at == NOW + hours(hour_rule) - max(hour_rule.warnings)
    assert list(deadline.officers.all()) == [personas["officer1"]]
    assert_records("deadlines.deadline.started", after=mark, actor=personas["officer1"], subject=deadline,
                   unit=deadline.unit, data={"rule": hour_rule.id, "held": True})


@pytest.mark.parametrize(("rule_id", "field"), [("no_such_rule", "rule")])
def test_start_refuses_an_unknown_rule_and_saves_nothing(personas, station, rule_id, field):
    with clock.frozen(NOW), pytest.raises(ValidationFailed) as refused:
        services.deadline_start(actor=personas["officer1"], rule_id=rule_id, subject=station, started_at=NOW,
                                unit=station, held=True)
    assert field in refused.value.fields
    assert not Deadline.objects.exists()


def test_start_refuses_a_time_in_the_future_and_a_time_without_zone(start, hour_rule):
    with clock.frozen(NOW):
        with pytest.raises(ValidationFailed) as future:
            start(hour_rule, NOW + timedelta(hours=1))
        with pytest.raises(ValidationFailed) as naive:
            start(hour_rule, NOW.replace(tzinfo=None))
    assert "started_at" in future.value.fields and "started_at" in naive.value.fields
    assert not Deadline.objects.exists()


def test_pause_stops_the_clock_and_resume_moves_the_due_time_by_the_pause(start, hour_rule, personas):
    kind = hour_rule.pauses[0].id
    with clock.frozen(NOW) as frozen:
        deadline = start(hour_rule, NOW)
        frozen.advance(hours=1)
        mark = last_event_id()
        deadline = services.deadline_pause(actor=personas["officer1"], deadline=deadline, kind=kind,
                                           at=NOW + timedelta(hours=1), note="醉酒约束")
        assert deadline.state == DeadlineState.PAUSED and deadline.due_at is None and deadline.next_alert_at is None
        assert_records("deadlines.deadline.paused", after=mark, subject=deadline, data={"kind": kind})
        frozen.advance(hours=3)
        deadline = services.deadline_resume(actor=personas["officer1"], deadline=deadline,
                                            at=NOW + timedelta(hours=4))
    assert deadline.state == DeadlineState.RUNNING
    assert deadline.due_at == NOW + hours(hour_rule) + timedelta(hours=3)
    assert_records("deadlines.deadline.resumed", after=mark, subject=deadline, data={"paused_seconds": 3 * 3600})


def test_pause_refuses_a_reason_the_rule_does_not_allow_and_a_time_before_the_start(start, hour_rule, personas):
    with clock.frozen(NOW + timedelta(hours=1)):
        deadline = start(hour_rule, NOW)
        with pytest.raises(ValidationFailed) as wrong_kind:
            services.deadline_pause(actor=personas["officer1"], deadline=deadline, kind="holiday", at=NOW)
        with pytest.raises(ValidationFailed) as too_early:
            services.deadline_pause(actor=personas["officer1"], deadline=deadline, kind=hour_rule.pauses[0].id,
                                    at=NOW - timedelta(minutes=1))
    assert "kind" in wrong_kind.value.fields and "at" in too_early.value.fields
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.RUNNING and not deadline.pauses.exists()


def test_resume_refuses_a_running_clock(start, hour_rule, personas):
    with clock.frozen(NOW):
        deadline = start(hour_rule, NOW)
        with pytest.raises(Conflict):
            services.deadline_resume(actor=personas["officer1"], deadline=deadline, at=NOW)


def _tier(rule):
    return next(e for e in rule.extensions if not e.requires)


def _approver(personas, role):
    return next(u for u in personas.values() if u.has_role(role) and u.unit.path in personas["officer1"].unit.path)


def test_extend_with_the_approval_moves_the_due_time_and_records_the_approval(start, extendable_rule, personas):
    tier = _tier(extendable_rule)
    approver = _approver(personas, tier.approval_role)
    with clock.frozen(NOW) as frozen:
        deadline = start(extendable_rule, NOW)
        before = deadline.due_at
        frozen.advance(minutes=30)
        mark = last_event_id()
        deadline = services.deadline_extend(
            actor=personas["officer1"], deadline=deadline, tier=tier.id,
            approval=services.ExtensionApproval(approver=approver, approved_at=NOW + timedelta(minutes=20),
                                                reference="东公（城）延字〔2026〕1号"))
    assert deadline.due_at > before
    extension = deadline.extensions.get()
    reference = "东公（城）延字〔2026〕1号"
    assert (extension.tier, extension.approved_by, extension.reference) == (tier.id, approver, reference)
    assert_records("deadlines.deadline.extended", after=mark, subject=deadline,
                   data={"tier": tier.id, "approved_by": approver.pk, "reference": "东公（城）延字〔2026〕1号"})


def test_extend_refuses_a_missing_approval_a_wrong_approver_and_an_unknown_tier(start, extendable_rule, personas):
    tier = _tier(extendable_rule)
    with clock.frozen(NOW):
        deadline = start(extendable_rule, NOW)
        approval = services.ExtensionApproval(approver=personas["officer2"], approved_at=NOW, reference="X-1")
        with pytest.raises(ValidationFailed) as missing:
            services.deadline_extend(actor=personas["officer1"], deadline=deadline, tier=tier.id, approval=None)
        with pytest.raises(ValidationFailed) as wrong_role:
            services.deadline_extend(actor=personas["officer1"], deadline=deadline, tier=tier.id, approval=approval)
        with pytest.raises(ValidationFailed) as unknown:
            services.deadline_extend(actor=personas["officer1"], deadline=deadline, tier="forever", approval=approval)
        with pytest.raises(ValidationFailed) as other_district:
            services.deadline_extend(actor=personas["officer1"], deadline=deadline, tier=tier.id,
                                     approval=services.ExtensionApproval(approver=personas["outsider"],
                                                                         approved_at=NOW, reference="X-2"))
    assert "approval" in missing.value.fields
    assert "approver" in wrong_role.value.fields and "approver" in other_district.value.fields
    assert "tier" in unknown.value.fields
    assert not deadline.extensions.exists()


def test_extend_refuses_an_approval_given_after_the_clock_ran_out(start, extendable_rule, personas):
    tier = _tier(extendable_rule)
    approver = _approver(personas, tier.approval_role)
    with clock.frozen(NOW) as frozen:
        deadline = start(extendable_rule, NOW)
        frozen.advance(days=400)
        with pytest.raises(ValidationFailed) as late:
            late_approval = services.ExtensionApproval(approver=approver, reference="X-3",
                                                       approved_at=deadline.due_at + timedelta(minutes=1))
            services.deadline_extend(actor=personas["officer1"], deadline=deadline, tier=tier.id,
                                     approval=late_approval)
    assert "approved_at" in late.value.fields


def test_meet_in_time_is_met_and_late_is_a_breach_on_record(start, hour_rule, personas):
    with clock.frozen(NOW + timedelta(days=2)):
        in_time = start(hour_rule, NOW)
        late = start(hour_rule, NOW)
        mark = last_event_id()
        in_time = services.deadline_meet(actor=personas["officer1"], deadline=in_time, at=NOW + timedelta(hours=1))
        late = services.deadline_meet(actor=personas["officer1"], deadline=late, at=late.due_at + timedelta(minutes=1),
                                      note="送押迟延")
    assert in_time.state == DeadlineState.MET and late.state == DeadlineState.BREACHED
    assert late.ended_at is not None and late.next_alert_at is None
    assert_records("deadlines.deadline.met", after=mark, subject=late, data={"late": True})
    with clock.frozen(NOW + timedelta(days=2)), pytest.raises(Conflict):
        services.deadline_meet(actor=personas["officer1"], deadline=in_time, at=NOW + timedelta(hours=2))


def test_cancel_needs_a_reason_and_records_it(start, hour_rule, personas):
    with clock.frozen(NOW):
        deadline = start(hour_rule, NOW)
        with pytest.raises(ValidationFailed) as no_reason:
            services.deadline_cancel(actor=personas["officer1"], deadline=deadline, reason="  ")
        mark = last_event_id()
        deadline = services.deadline_cancel(actor=personas["officer1"], deadline=deadline, reason="改变强制措施")
    assert "reason" in no_reason.value.fields
    assert deadline.state == DeadlineState.CANCELLED and deadline.next_alert_at is None
    assert_records("deadlines.deadline.cancelled", after=mark, subject=deadline, data={"reason": "改变强制措施"})
