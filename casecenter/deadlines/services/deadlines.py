"""Every write to a deadline: start, pause, resume, extend, meet, cancel — each in one transaction
with its ledger event, each refusing bad input with a translated error that names the field.

The due time is never edited: each service changes the clock's history (a pause, an extension)
and :func:`_recompute` derives ``due_at`` and ``next_alert_at`` from the rule and that history,
the same computation the explanation page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casecenter.accounts.models import Unit, User
from casecenter.core import clock
from casecenter.core.errors import Conflict, ValidationFailed
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event

from .. import calendar as calendar_module
from .. import computation, rules
from ..models import Deadline, DeadlineExtension, DeadlinePause, DeadlineState
from ..scan import alert_thresholds
from ..selectors import computation_for, rule_for
from ..verification import check_text, check_time

# How far ahead of the server's clock a recorded time may be (two clocks never agree exactly).
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class ExtensionApproval:
    """The approval that grants an extension: who approved it, when, and the document that says so
    (the 呈请…报告书 / 审批表 number). The approvals workflow hands one of these to
    :func:`deadline_extend`; until then the officer records it from the signed paper."""

    approver: User
    approved_at: datetime
    reference: str
    reason: str = ""


def _rule_error(exc: rules.RuleError, field: str) -> ValidationFailed:
    return ValidationFailed(str(exc), field=getattr(exc, "field", None) or field)


def _apply(deadline: Deadline, rule: rules.Rule, result: computation.Computation, *, now: datetime) -> None:
    """Store a new computation: the due time, and the first threshold of that due time not yet
    raised. A new due time (an extension) has thresholds of its own, which the scan's unique key
    (deadline, threshold, due time) lets it raise again; one the scan already raised never is."""
    deadline.due_at = result.due_at
    if deadline.state == DeadlineState.BREACHED and result.due_at is not None and result.due_at > now:
        deadline.state = DeadlineState.RUNNING  # an extension approved in time lifts the breach
    raised = set()
    if deadline.pk is not None and result.due_at is not None:
        raised = set(deadline.alerts.filter(due_at=result.due_at).values_list("threshold_seconds", flat=True))
    deadline.next_alert_at = None if result.due_at is None else next(
        (at for seconds, at in alert_thresholds(rule, result.due_at) if seconds not in raised), None)


def _locked(deadline: Deadline) -> Deadline:
    return Deadline.objects.select_for_update().get(pk=deadline.pk)


def _require_state(deadline: Deadline, *states: str, action: str) -> None:
    if deadline.state not in states or deadline.ended_at is not None:
        raise Conflict(_("This deadline is {state}: it cannot be {action}.").format(
            state=deadline.get_state_display().lower(), action=action), field="state")


def _event_data(deadline: Deadline, **extra) -> dict:
    return {"rule": deadline.rule_id, "state": deadline.state,
            "due_at": deadline.due_at.isoformat() if deadline.due_at else None, **extra}


def _record(actor, action: str, deadline: Deadline, request, **extra) -> None:
    record_event(actor=actor, action=action, subject=deadline, data=_event_data(deadline, **extra),
                 case=deadline.case_id, person=deadline.person_id, unit=deadline.unit_id, request=request)


@records("deadlines.deadline.started")
@transaction.atomic
def deadline_start(*, actor, rule_id: str, subject: models.Model, started_at: datetime, unit: Unit,
                   officers=(), held: bool | None = None, case=None, person=None, label: str = "",
                   request=None) -> Deadline:
    """Start the clock of ``rule_id`` on ``subject`` at ``started_at`` (the recorded time of the
    event that starts it: arrival, execution of the warrant, acceptance of the case).

    The rule's version is the one in force at ``started_at``. ``held`` says whether the person is
    held while the clock runs (no holiday roll-forward, CPL art. 105); rules that fix it ignore it.
    """
    now = clock.now()
    check_time(started_at, field="started_at", latest=now + CLOCK_SKEW)
    try:
        rule = rules.catalog().resolve(rule_id, started_at)
    except rules.RuleError as exc:
        raise _rule_error(exc, "rule") from None
    if rule.person_held is not None:
        held = rule.person_held
    elif held is None:
        raise ValidationFailed(_("Say whether the person is held while this clock runs."), field="held")
    if subject is None or subject.pk is None:
        raise ValidationFailed(_("A deadline needs a saved subject."), field="subject")
    check_text(label, field="label", max_length=200)
    deadline = Deadline(rule_id=rule.id, subject_type=ContentType.objects.get_for_model(subject),
                        subject_id=str(subject.pk), unit=unit, started_at=started_at, person_held=bool(held),
                        label=label, created_by=actor if getattr(actor, "pk", None) else None,
                        case_id=_ref(case), person_id=_ref(person))
    result = computation.compute(rule, started_at=started_at, held=deadline.person_held,
                                 calendar=calendar_module.current(), now=now)
    _apply(deadline, rule, result, now=now)
    deadline.save()
    if officers:
        deadline.officers.set(officers)
    _record(actor, "deadlines.deadline.started", deadline, request,
            started_at=started_at.isoformat(), held=deadline.person_held,
            officers=sorted(o.pk for o in officers), missing_years=list(result.missing_years))
    return deadline


def _ref(value) -> str | None:
    if value is None:
        return None
    return str(value.pk if isinstance(value, models.Model) else value)


@records("deadlines.deadline.paused")
@transaction.atomic
def deadline_pause(*, actor, deadline: Deadline, kind: str, at: datetime, note: str = "",
                   request=None) -> Deadline:
    """Stop the clock for time the law excludes (行规 art. 58: a drunk person's restraint; 行规 art.
    165: appraisal time). Only a pause the rule allows; never before the clock started."""
    deadline = _locked(deadline)
    _require_state(deadline, DeadlineState.RUNNING, action=_("paused"))
    rule = rule_for(deadline)
    try:
        rule.pause_kind(kind)
    except rules.RuleError as exc:
        raise _rule_error(exc, "kind") from None
    now = clock.now()
    check_time(at, field="at", earliest=deadline.started_at, latest=now + CLOCK_SKEW)
    last = deadline.pauses.order_by("-started_at").first()
    if last is not None and last.ended_at is not None and at < last.ended_at:
        raise ValidationFailed(_("A pause cannot start before the previous one ended ({end}).").format(
            end=timezone.localtime(last.ended_at).strftime("%Y-%m-%d %H:%M")), field="at")
    check_text(note, field="note", max_length=500)
    try:
        result = computation_for(deadline, extra_pause=(at, None), now=now)
    except rules.RuleError as exc:
        raise _rule_error(exc, "at") from None
    DeadlinePause.objects.create(deadline=deadline, kind=kind, started_at=at, note=note,
                                 recorded_by=actor if getattr(actor, "pk", None) else None)
    deadline.state = DeadlineState.PAUSED
    deadline.due_at, deadline.next_alert_at = None, None
    deadline.save(update_fields=["state", "due_at", "next_alert_at"])
    _record(actor, "deadlines.deadline.paused", deadline, request, kind=kind, at=at.isoformat(), note=note,
            remaining_seconds=int(result.remaining.total_seconds()) if result.remaining is not None else None)
    return deadline


@records("deadlines.deadline.resumed")
@transaction.atomic
def deadline_resume(*, actor, deadline: Deadline, at: datetime, request=None) -> Deadline:
    """Restart a paused clock at ``at`` (the end of the excluded time); the due time moves by the
    length of the pause."""
    deadline = _locked(deadline)
    _require_state(deadline, DeadlineState.PAUSED, action=_("resumed"))
    pause = deadline.pauses.get(ended_at__isnull=True)
    now = clock.now()
    check_time(at, field="at", earliest=pause.started_at, latest=now + CLOCK_SKEW)
    pause.ended_at = at
    pause.save(update_fields=["ended_at"])
    deadline.state = DeadlineState.RUNNING
    _apply(deadline, rule_for(deadline), computation_for(deadline, now=now), now=now)
    deadline.save(update_fields=["state", "due_at", "next_alert_at"])
    _record(actor, "deadlines.deadline.resumed", deadline, request, at=at.isoformat(),
            paused_seconds=int((at - pause.started_at).total_seconds()))
    return deadline


def _check_approval(rule: rules.Rule, extension: rules.Extension, approval: ExtensionApproval | None,
                    deadline: Deadline, now: datetime) -> None:
    if approval is None:
        raise ValidationFailed(_("An extension needs the approval that grants it."), field="approval")
    approver = approval.approver
    if approver is None or not getattr(approver, "pk", None) or not approver.is_active:
        raise ValidationFailed(_("Name the person who approved the extension."), field="approver")
    if not approver.has_role(extension.approval_role):
        from casecenter.accounts.roles import Role

        raise ValidationFailed(_("{name} cannot approve this extension: it needs the approval of a {role}.").format(
            name=approver.full_name, role=str(Role(extension.approval_role).label).lower()), field="approver")
    if not deadline.unit.path.startswith(approver.unit.path):
        raise ValidationFailed(_("{name} is not a head of {unit} or of a unit above it.").format(
            name=approver.full_name, unit=deadline.unit.name), field="approver")
    check_time(approval.approved_at, field="approved_at", earliest=deadline.started_at, latest=now + CLOCK_SKEW)
    if deadline.due_at is not None and approval.approved_at > deadline.due_at:
        raise ValidationFailed(_("The extension was approved after the deadline had passed ({due}); it cannot "
                                 "extend a clock that had already run out.").format(
            due=timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M")), field="approved_at")
    reference = (approval.reference or "").strip()
    if not reference:
        raise ValidationFailed(_("Give the number of the approval document."), field="reference")
    check_text(reference, field="reference", max_length=100)
    check_text(approval.reason, field="reason", max_length=500)


@records("deadlines.deadline.extended")
@transaction.atomic
def deadline_extend(*, actor, deadline: Deadline, tier: str, approval: ExtensionApproval | None,
                    request=None) -> Deadline:
    """Extend the clock by a tier its rule allows (e.g. 刑规 art. 129: +1 to 4 days by the county
    chief), with the approval that grants it. Refused: a tier the rule does not have, a tier whose
    prerequisite is not granted, the same tier twice, an approver without the required role or
    above the unit, an approval dated after the clock ran out."""
    deadline = _locked(deadline)
    _require_state(deadline, DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.BREACHED,
                   action=_("extended"))
    rule = rule_for(deadline)
    try:
        extension = rule.extension(tier)
    except rules.RuleError as exc:
        raise _rule_error(exc, "tier") from None
    now = clock.now()
    _check_approval(rule, extension, approval, deadline, now)
    try:
        result = computation_for(deadline, extra_tier=tier, now=now)
    except rules.RuleError as exc:
        raise _rule_error(exc, "tier") from None
    DeadlineExtension.objects.create(
        deadline=deadline, tier=tier, approved_by=approval.approver, approved_at=approval.approved_at,
        reference=approval.reference.strip(), reason=approval.reason,
        recorded_by=actor if getattr(actor, "pk", None) else None)
    previous_due = deadline.due_at
    _apply(deadline, rule, result, now=now)
    deadline.save(update_fields=["state", "due_at", "next_alert_at"])
    _record(actor, "deadlines.deadline.extended", deadline, request, tier=tier,
            approved_by=approval.approver.pk, approved_at=approval.approved_at.isoformat(),
            reference=approval.reference.strip(),
            previous_due_at=previous_due.isoformat() if previous_due else None)
    return deadline


@records("deadlines.deadline.met")
@transaction.atomic
def deadline_meet(*, actor, deadline: Deadline, at: datetime, note: str = "", request=None) -> Deadline:
    """The act the clock waits for was done at ``at`` (the person released or delivered, the
    request filed). Done after the due time, the clock ends as breached: the breach stays on record."""
    deadline = _locked(deadline)
    _require_state(deadline, DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.BREACHED,
                   action=_("marked as met"))
    now = clock.now()
    check_time(at, field="at", earliest=deadline.started_at, latest=now + CLOCK_SKEW)
    check_text(note, field="note", max_length=500)
    if deadline.state == DeadlineState.PAUSED:
        pause = deadline.pauses.get(ended_at__isnull=True)
        if at < pause.started_at:
            raise ValidationFailed(_("The clock is paused since {start}; it cannot be met before that.").format(
                start=timezone.localtime(pause.started_at).strftime("%Y-%m-%d %H:%M")), field="at")
        pause.ended_at = at
        pause.save(update_fields=["ended_at"])
        deadline.due_at = computation_for(deadline, now=now).due_at
    late = deadline.due_at is not None and at > deadline.due_at
    deadline.state = DeadlineState.BREACHED if late else DeadlineState.MET
    deadline.ended_at, deadline.end_note, deadline.next_alert_at = at, note, None
    deadline.save(update_fields=["state", "due_at", "ended_at", "end_note", "next_alert_at"])
    _record(actor, "deadlines.deadline.met", deadline, request, at=at.isoformat(), late=late, note=note)
    return deadline


@records("deadlines.deadline.cancelled")
@transaction.atomic
def deadline_cancel(*, actor, deadline: Deadline, reason: str, request=None) -> Deadline:
    """End a clock that no longer applies (the measure was changed, the clock was started in error),
    with the reason. A breach already on record is not erased: a breached clock cannot be cancelled."""
    deadline = _locked(deadline)
    _require_state(deadline, DeadlineState.RUNNING, DeadlineState.PAUSED, action=_("cancelled"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for cancelling this deadline."), field="reason")
    check_text(reason, field="reason", max_length=500)
    now = clock.now()
    deadline.pauses.filter(ended_at__isnull=True).update(ended_at=now)
    deadline.state, deadline.ended_at, deadline.end_note, deadline.next_alert_at = (
        DeadlineState.CANCELLED, now, reason, None)
    deadline.save(update_fields=["state", "ended_at", "end_note", "next_alert_at"])
    _record(actor, "deadlines.deadline.cancelled", deadline, request, reason=reason)
    return deadline
