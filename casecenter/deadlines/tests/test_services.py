"""The deadline services: each happy path, each refusal (with nothing saved), each ledger event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casecenter.core import clock
from casecenter.core.errors import Conflict, Forbidden, ValidationFailed
from casecenter.deadlines import services
from casecenter.deadlines.models import Deadline, DeadlineState
from casecenter.ledger.models import Event
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


def test_start_many_starts_each_clock_as_one_would_or_none(hour_rule, extendable_rule, personas, station):
    one = services.ClockStart(rule_id=hour_rule.id, subject=station, started_at=NOW, unit=station,
                              officers=[personas["officer1"]], held=True, label="甲")
    other = services.ClockStart(rule_id=extendable_rule.id, subject=station, started_at=NOW - timedelta(hours=1),
                                unit=station, officers=[personas["officer1"], personas["officer2"]], held=False,
                                label="乙")
    mark = last_event_id()
    with clock.frozen(NOW):
        first, second = services.deadline_start_many(actor=personas["officer1"], starts=[one, other])
        alone = services.deadline_start(actor=personas["officer1"], rule_id=extendable_rule.id, subject=station,
                                        started_at=NOW - timedelta(hours=1), unit=station, held=False,
                                        officers=[personas["officer2"], personas["officer1"]], label="乙")
    assert first.due_at == NOW + hours(hour_rule) and first.label == "甲"
    assert (second.due_at, second.next_alert_at, second.person_held) == (alone.due_at, alone.next_alert_at,
                                                                         alone.person_held)
    assert set(second.officers.all()) == {personas["officer1"], personas["officer2"]}
    assert_records("deadlines.deadline.started", after=mark, count=3, actor=personas["officer1"], subject=alone)
    started = {e.subject_id: e.facts for e in Event.objects.filter(action="deadlines.deadline.started", id__gt=mark)}
    assert started[str(first.pk)]["rule"] == hour_rule.id
    assert (started[str(second.pk)]["rule"], started[str(second.pk)]["held"]) == (extendable_rule.id,
                                                                               second.person_held)

    unknown = services.ClockStart(rule_id="no_such_rule", subject=station, started_at=NOW, unit=station,
                                  officers=[personas["officer1"]], held=True)
    with clock.frozen(NOW), pytest.raises(ValidationFailed) as refused:
        services.deadline_start_many(actor=personas["officer1"], starts=[one, unknown])
    assert "rule" in refused.value.fields
    assert Deadline.objects.count() == 3


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


def test_start_refuses_a_clock_nobody_answers_for(personas, station, hour_rule):
    with clock.frozen(NOW), pytest.raises(ValidationFailed) as refused:
        services.deadline_start(actor=personas["officer1"], rule_id=hour_rule.id, subject=station, started_at=NOW,
                                unit=station, held=True, officers=[])
    assert "officers" in refused.value.fields and not Deadline.objects.exists()


def test_only_those_who_answer_for_the_clock_may_change_it(start, hour_rule, personas):
    with clock.frozen(NOW):
        deadline = start(hour_rule, NOW)
        for outsider in ("officer2", "analyst", "supervisor"):  # same station but not responsible; others
            with pytest.raises(Forbidden):
                services.deadline_cancel(actor=personas[outsider], deadline=deadline, reason="无关人员")
        assert services.may_act(personas["head"], deadline) and services.may_act(personas["chief"], deadline)
        assert services.may_act(personas["duty"], deadline)  # the district's case-handling centre
        assert not services.may_act(personas["outsider"], deadline)
        services.deadline_cancel(actor=personas["head"], deadline=deadline, reason="改变强制措施")


def _external_rule():
    from casecenter.deadlines import rules

    return next(r for r in rules.catalog().rules()
                if any(e.approval_role == "procuratorate" and not e.requires for e in r.extensions)
                and r.valid_until is None)


def test_a_procuratorate_decision_extends_the_clock_by_its_name_or_its_account(start, personas):
    rule = _external_rule()
    tier = next(e for e in rule.extensions if e.approval_role == "procuratorate" and not e.requires)
    with clock.frozen(NOW):
        deadline = start(rule, NOW)
        before = deadline.due_at
        mark = last_event_id()
        deadline = services.deadline_extend(
            actor=personas["officer1"], deadline=deadline, tier=tier.id,
            approval=services.ExtensionApproval(approver=None, approver_name="示范市人民检察院",
                                                approved_at=NOW, reference="示检延〔2026〕3号"))
    assert deadline.due_at > before
    assert deadline.extensions.get().approver_name == "示范市人民检察院"
    assert_records("deadlines.deadline.extended", after=mark, data={"approver_name": "示范市人民检察院"})


def test_a_police_approval_needs_an_account(start, extendable_rule, personas):
    tier = _tier(extendable_rule)
    if tier.approval_role == "procuratorate":
        tier = next(e for e in extendable_rule.extensions if e.approval_role != "procuratorate")
    with clock.frozen(NOW), pytest.raises(ValidationFailed) as refused:
        deadline = start(extendable_rule, NOW)
        services.deadline_extend(actor=personas["officer1"], deadline=deadline, tier=tier.id,
                                 approval=services.ExtensionApproval(approver=None, approver_name="某局长",
                                                                     approved_at=NOW, reference="X"))
    assert "approver" in refused.value.fields


def test_a_calendar_correction_moves_the_due_time_of_running_clocks(start, personas):
    """A 30-day 治安 case accepted on 29 Aug 2026 ends at 24:00 of Mon 28 Sep (the start day not
    counted). An administrator's correction makes 28–30 Sep holidays (and, replacing the year, drops
    National Day): the period rolls to 24:00 of Thu 1 Oct, and the running clock follows."""
    from datetime import date

    from casecenter.deadlines import rules
    from casecenter.deadlines.services import calendar as calendar_services

    rule = rules.catalog().resolve("public-order-case", local(2026, 8, 29, 10, 0))
    with clock.frozen(local(2026, 9, 20, 8, 0)):
        deadline = start(rule, local(2026, 8, 29, 10, 0), held=False)
    assert deadline.due_at == local(2026, 9, 29, 0, 0)
    mark = last_event_id()
    with clock.frozen(local(2026, 9, 20, 9, 0)):
        calendar_services.calendar_year_save(
            actor=personas["sysadmin"], year=2026, replace=True, source="更正通知",
            days=[{"date": date(2026, 9, d), "kind": "holiday", "name": "更正"} for d in (28, 29, 30)])
    deadline.refresh_from_db()
    assert deadline.due_at == local(2026, 10, 2, 0, 0)
    assert_records("deadlines.deadline.recalculated", after=mark, subject=deadline,
                   data={"previous_due_at": "2026-09-28T16:00:00+00:00", "years": [2026]})  # stored in UTC


def test_a_public_order_case_extension_needs_the_police_organ_one_level_up(start, personas):
    """治安法 art. 99 / 行规 art. 165: 经上一级公安机关批准 — the district bureau's own chief may not
    approve the extension of a case its station handles; a chief of the city bureau may."""
    from casecenter.accounts.models import Unit
    from casecenter.accounts.roles import Role
    from casecenter.accounts.services import users
    from casecenter.deadlines import rules

    rule = rules.catalog().resolve("public-order-case", NOW)
    tier = rule.extension("major-complex")
    assert tier.approver_level == "higher_organ"
    city_chief = users.user_create(actor=None, username="citychief", full_name="市局领导", password="x" * 20,
                                   unit=Unit.objects.get(code="CITY"))
    users.user_set_roles(actor=None, user=city_chief, roles=[Role.COUNTY_CHIEF])
    with clock.frozen(NOW):
        deadline = start(rule, NOW - timedelta(days=3), held=False)
        with pytest.raises(ValidationFailed) as own_chief:
            services.deadline_extend(actor=personas["officer1"], deadline=deadline, tier=tier.id,
                                     approval=services.ExtensionApproval(approver=personas["chief"], approved_at=NOW,
                                                                         reference="东公延〔2026〕9号"))
        before = deadline.due_at
        deadline = services.deadline_extend(actor=personas["officer1"], deadline=deadline, tier=tier.id,
                                            approval=services.ExtensionApproval(approver=city_chief, approved_at=NOW,
                                                                                reference="示公延〔2026〕9号"))
    assert "approver" in own_chief.value.fields
    assert deadline.due_at > before
