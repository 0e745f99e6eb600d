"""Every write to a deadline: start, pause, resume, extend, meet, cancel — each in one transaction
with its ledger event, each refusing bad input with a translated error that names the field.

The due time is never edited: each service changes the clock's history (a pause, an extension)
and :func:`_recompute` derives ``due_at`` and ``next_alert_at`` from the rule and that history,
the same computation the explanation page shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casecenter.accounts.models import Unit, UnitKind, User
from casecenter.accounts.roles import EXTERNAL_ROLES, Role
from casecenter.core import clock
from casecenter.core.errors import Conflict, Forbidden, ValidationFailed
from casecenter.ledger.actions import not_a_write, records
from casecenter.ledger.services import record_event, record_events

from .. import calendar_cache, computation, rules
from ..models import Deadline, DeadlineExtension, DeadlinePause, DeadlineState
from ..scan import pending_thresholds
from ..selectors import computation_for, rule_for
from ..subjects import Text, stored
from ..verification import CLOCK_SKEW, check_text, check_time


@dataclass(frozen=True)
class ExtensionApproval:
    """The approval that grants an extension: who approved it, when, and the document that says so
    (the 呈请…报告书 / 审批表 number). The approvals workflow hands one of these to
    :func:`deadline_extend`; until then the officer records it from the signed paper."""

    approver: User | None
    approved_at: datetime
    reference: str
    reason: str = ""
    approver_name: str = ""  # a body outside the bureau (the procuratorate) with no account here


def _rule_error(exc: rules.RuleError, field: str) -> ValidationFailed:
    return ValidationFailed(str(exc), field=getattr(exc, "field", None) or field)


def _apply(deadline: Deadline, rule: rules.Rule, result: computation.Computation, *, now: datetime,
           moved: bool = False) -> None:
    """Store a new computation: the due time, and the first threshold of it still to raise (see
    ``scan.pending_thresholds``). ``moved``: the due time moves now (a resume, an extension), so
    the warnings already raised before it moved are not raised again."""
    deadline.due_at = result.due_at
    if moved:
        deadline.alerts_after = now
    if deadline.state == DeadlineState.BREACHED and result.due_at is not None and result.due_at > now:
        deadline.state = DeadlineState.RUNNING  # an extension approved in time lifts the breach
    deadline.next_alert_at = None
    if result.due_at is None:
        return
    history = list(deadline.alerts.values_list("threshold_seconds", "due_at")) if deadline.pk else []
    pending = pending_thresholds(rule, result.due_at,
                                 raised_for_due={sec for sec, due in history if due == result.due_at},
                                 raised_before={sec for sec, due in history if due != result.due_at},
                                 alerts_after=deadline.alerts_after)
    deadline.next_alert_at = pending[0][1] if pending else None


# Who may act on a clock besides its responsible officers: heads and chiefs above its unit, and the
# duty officers and property custodians of the bureau that handles it.
_HEADS = (Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF)
_BUREAU_STAFF = (Role.AREA_DUTY_OFFICER, Role.PROPERTY_CUSTODIAN)


@not_a_write
def handling_organ(unit: Unit) -> Unit:
    """The police organ (the district or county bureau, else the city bureau) a unit belongs to."""
    ids = [int(part) for part in unit.path.split(".") if part]
    organs = {u.pk: u for u in Unit.objects.filter(
        pk__in=ids, kind__in=[UnitKind.DISTRICT_BUREAU, UnitKind.CITY_BUREAU])}
    for pk in reversed(ids):
        if pk in organs:
            return organs[pk]
    return unit


@not_a_write
def may_act(actor, deadline: Deadline) -> bool:
    """May ``actor`` record a pause, an extension, the end of this clock? The system (None) may."""
    if actor is None or not getattr(actor, "pk", None):
        return True
    if deadline.officers.filter(pk=actor.pk).exists():
        return True
    if actor.has_role(*_HEADS) and deadline.unit.path.startswith(actor.unit.path):
        return True
    return actor.has_role(*_BUREAU_STAFF) and deadline.unit.path.startswith(handling_organ(actor.unit).path)


def _check_actor(actor, deadline: Deadline) -> None:
    if not may_act(actor, deadline):
        raise Forbidden(_("Only the responsible officers, the heads above their unit and the duty officers of "
                          "their bureau may change this clock."))


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


@dataclass(frozen=True)
class ClockStart:
    """One clock to start: the arguments of :func:`deadline_start`."""

    rule_id: str
    subject: models.Model
    started_at: datetime
    unit: Unit
    officers: Sequence = ()
    held: bool | None = None
    case: Any = None
    person: Any = None
    label: str | Text = ""   # a Text is said in the reader's language (subjects.py)


@records("deadlines.deadline.started")
@transaction.atomic
def deadline_start(*, actor, rule_id: str, subject: models.Model, started_at: datetime, unit: Unit,
                   officers=(), held: bool | None = None, case=None, person=None, label: str | Text = "",
                   request=None) -> Deadline:
    """Start the clock of ``rule_id`` on ``subject`` at ``started_at`` (the recorded time of the
    event that starts it: arrival, execution of the warrant, acceptance of the case).

    The rule's version is the one in force at ``started_at``. ``held`` says whether the person is
    held while the clock runs (no holiday roll-forward, CPL art. 105); rules that fix it ignore it.
    """
    start = ClockStart(rule_id=rule_id, subject=subject, started_at=started_at, unit=unit, officers=officers,
                       held=held, case=case, person=person, label=label)
    return deadline_start_many(actor=actor, starts=[start], request=request)[0]


@records("deadlines.deadline.started")
@transaction.atomic
def deadline_start_many(*, actor, starts: Sequence[ClockStart], request=None) -> list[Deadline]:
    """Start several clocks at once (an intake of many reports): each checked as
    :func:`deadline_start` checks one, then written with one INSERT per table and their events in
    one batch. All of them or none."""
    now = clock.now()
    calendar = calendar_cache.current()
    built = [_new_deadline(actor, start, now=now, calendar=calendar) for start in starts]
    deadlines = Deadline.objects.bulk_create([deadline for deadline, _officers, _result in built])
    # New clocks have no officers yet: one INSERT, not .set()'s read-then-write.
    Deadline.officers.through.objects.bulk_create(
        [Deadline.officers.through(deadline_id=deadline.pk, user_id=o.pk)
         for deadline, officers, _result in built for o in officers])
    record_events([
        {"action": "deadlines.deadline.started", "subject": deadline, "case": deadline.case_id,
         "person": deadline.person_id, "unit": deadline.unit_id,
         "data": _event_data(deadline, started_at=deadline.started_at.isoformat(), held=deadline.person_held,
                             officers=sorted(o.pk for o in officers),
                             missing_years=list(result.missing_years))}
        for deadline, officers, result in built], actor=actor, request=request)
    return deadlines


def _new_deadline(actor, start: ClockStart, *, now: datetime, calendar) -> tuple:
    """The unsaved clock of ``start`` with its responsible officers and its computation."""
    check_time(start.started_at, field="started_at", latest=now + CLOCK_SKEW)
    try:
        rule = rules.catalog().resolve(start.rule_id, start.started_at)
    except rules.RuleError as exc:
        raise _rule_error(exc, "rule") from None
    held = start.held
    if rule.person_held is not None:
        held = rule.person_held
    elif held is None:
        raise ValidationFailed(_("Say whether the person is held while this clock runs."), field="held")
    subject = start.subject
    if subject is None or subject.pk is None:
        raise ValidationFailed(_("A deadline needs a saved subject."), field="subject")
    label, label_code, label_params = stored(start.label)
    check_text(label, field="label", max_length=200)
    officers = list({o.pk: o for o in start.officers or ()}.values())
    if not officers:
        raise ValidationFailed(_("Name at least one responsible officer: the alerts of this clock go to them."),
                               field="officers")
    deadline = Deadline(rule_id=rule.id, subject_type=ContentType.objects.get_for_model(subject),
                        subject_id=str(subject.pk), unit=start.unit, started_at=start.started_at,
                        person_held=bool(held), label=label, label_code=label_code, label_params=label_params,
                        created_by=actor if getattr(actor, "pk", None) else None,
                        case_id=_ref(start.case), person_id=_ref(start.person))
    result = computation.compute(rule, started_at=start.started_at, held=deadline.person_held, calendar=calendar,
                                 now=now)
    _apply(deadline, rule, result, now=now)
    return deadline, officers, result


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
    _check_actor(actor, deadline)
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
    _check_actor(actor, deadline)
    _require_state(deadline, DeadlineState.PAUSED, action=_("resumed"))
    pause = deadline.pauses.get(ended_at__isnull=True)
    now = clock.now()
    check_time(at, field="at", earliest=pause.started_at, latest=now + CLOCK_SKEW)
    pause.ended_at = at
    pause.save(update_fields=["ended_at"])
    deadline.state = DeadlineState.RUNNING
    _apply(deadline, rule_for(deadline), computation_for(deadline, now=now), now=now, moved=True)
    deadline.save(update_fields=["state", "due_at", "next_alert_at", "alerts_after"])
    _record(actor, "deadlines.deadline.resumed", deadline, request, at=at.isoformat(),
            paused_seconds=int((at - pause.started_at).total_seconds()))
    return deadline


def _check_approver(extension: rules.Extension, approval: ExtensionApproval, deadline: Deadline) -> None:
    """The approver holds the role the tier needs, at the right level: the clock's unit or above it;
    for 上一级公安机关 (``approver_level = "higher_organ"``) strictly above the bureau handling the
    clock; a body outside the police (the procuratorate) anywhere, by account or by name."""
    role = Role(extension.approval_role)
    approver = approval.approver
    if approver is None:
        name = (approval.approver_name or "").strip()
        if role in EXTERNAL_ROLES and name:
            check_text(name, field="approver", max_length=200)
            return
        raise ValidationFailed(_("Name the person who approved the extension."), field="approver")
    if not getattr(approver, "pk", None) or not approver.is_active:
        raise ValidationFailed(_("Name the person who approved the extension."), field="approver")
    if not approver.has_role(role):
        raise ValidationFailed(_("{name} cannot approve this extension: it needs the approval of a {role}.").format(
            name=approver.full_name, role=str(role.label).lower()), field="approver")
    if role in EXTERNAL_ROLES:
        return
    if getattr(extension, "approver_level", "unit") == "higher_organ":
        organ = handling_organ(deadline.unit)
        if not (organ.path.startswith(approver.unit.path) and organ.path != approver.unit.path):
            raise ValidationFailed(_("This extension needs the approval of the police organ above {organ}; "
                                     "{name} belongs to {unit}.").format(
                organ=organ.name, name=approver.full_name, unit=approver.unit.name), field="approver")
    elif not deadline.unit.path.startswith(approver.unit.path):
        raise ValidationFailed(_("{name} is not a head of {unit} or of a unit above it.").format(
            name=approver.full_name, unit=deadline.unit.name), field="approver")


def _check_approval(extension: rules.Extension, approval: ExtensionApproval | None, deadline: Deadline,
                    now: datetime) -> None:
    if approval is None:
        raise ValidationFailed(_("An extension needs the approval that grants it."), field="approval")
    _check_approver(extension, approval, deadline)
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
    _check_actor(actor, deadline)
    _require_state(deadline, DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.BREACHED,
                   action=_("extended"))
    rule = rule_for(deadline)
    try:
        extension = rule.extension(tier)
    except rules.RuleError as exc:
        raise _rule_error(exc, "tier") from None
    now = clock.now()
    _check_approval(extension, approval, deadline, now)
    try:
        result = computation_for(deadline, extra_tier=tier, now=now)
    except rules.RuleError as exc:
        raise _rule_error(exc, "tier") from None
    approver_name = approval.approver.full_name if approval.approver else approval.approver_name.strip()
    DeadlineExtension.objects.create(
        deadline=deadline, tier=tier, approved_by=approval.approver, approver_name=approver_name,
        approved_at=approval.approved_at,
        reference=approval.reference.strip(), reason=approval.reason,
        recorded_by=actor if getattr(actor, "pk", None) else None)
    previous_due = deadline.due_at
    _apply(deadline, rule, result, now=now, moved=True)
    deadline.save(update_fields=["state", "due_at", "next_alert_at", "alerts_after"])
    _record(actor, "deadlines.deadline.extended", deadline, request, tier=tier,
            approved_by=approval.approver.pk if approval.approver else None,
            approver_name=approver_name,
            approved_at=approval.approved_at.isoformat(),
            reference=approval.reference.strip(),
            previous_due_at=previous_due.isoformat() if previous_due else None)
    return deadline


@records("deadlines.deadline.met")
@transaction.atomic
def deadline_meet(*, actor, deadline: Deadline, at: datetime, note: str | Text = "", request=None) -> Deadline:
    """The act the clock waits for was done at ``at`` (the person released or delivered, the
    request filed). Done after the due time, the clock ends as breached: the breach stays on record.
    ``note``: the officer's words, or a :class:`Text` when another app's decision ends the clock."""
    deadline = _locked(deadline)
    _check_actor(actor, deadline)
    _require_state(deadline, DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.BREACHED,
                   action=_("marked as met"))
    now = clock.now()
    check_time(at, field="at", earliest=deadline.started_at, latest=now + CLOCK_SKEW)
    note, note_code, note_params = stored(note)
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
    deadline.end_note_code, deadline.end_note_params = note_code, note_params
    deadline.save(update_fields=["state", "due_at", "ended_at", "end_note", "end_note_code", "end_note_params",
                                 "next_alert_at"])
    _record(actor, "deadlines.deadline.met", deadline, request, at=at.isoformat(), late=late, note=note)
    return deadline


@records("deadlines.deadline.cancelled")
@transaction.atomic
def deadline_cancel(*, actor, deadline: Deadline, reason: str, request=None) -> Deadline:
    """End a clock that no longer applies (the measure was changed, the clock was started in error),
    with the reason. A breach already on record is not erased: a breached clock cannot be cancelled."""
    deadline = _locked(deadline)
    _check_actor(actor, deadline)
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


@records("deadlines.deadline.recalculated")
@transaction.atomic
def deadlines_recompute(*, actor, years: set[int] | None = None, request=None) -> int:
    """Recompute the due time of open clocks after the calendar changed (or, ``years=None``, after a
    release or the overrides file changed a rule), so that the stored due time, the scan and the
    explanation agree. Each clock whose due time moves is recorded with the old and the new one.
    Call it inside the transaction of the change; returns how many moved."""
    clocks = Deadline.objects.filter(state__in=[DeadlineState.RUNNING, DeadlineState.BREACHED],
                                     ended_at__isnull=True, due_at__isnull=False)
    if years:
        # A period ending in these years, or rolling into them over a new year's holidays.
        first = datetime(min(years), 1, 1, tzinfo=timezone.get_current_timezone()) - timedelta(days=31)
        last = datetime(max(years) + 1, 1, 1, tzinfo=timezone.get_current_timezone()) + timedelta(days=31)
        clocks = clocks.filter(due_at__gte=first, due_at__lt=last)
    now, moved = clock.now(), 0
    # In id order, as a merge of people locks a person's clocks: two lockers never wait on each other.
    clocks = (clocks.select_for_update(of=("self",)).select_related("unit").prefetch_related("pauses", "extensions")
              .order_by("pk"))
    for deadline in clocks:
        try:
            result = computation_for(deadline, now=now)
        except rules.RuleError:
            continue  # a clock whose rule no longer resolves: the scan reports it, a person decides
        if result.due_at == deadline.due_at:
            continue
        previous_due = deadline.due_at
        _apply(deadline, rule_for(deadline), result, now=now)
        deadline.save(update_fields=["state", "due_at", "next_alert_at"])
        _record(actor, "deadlines.deadline.recalculated", deadline, request,
                previous_due_at=previous_due.isoformat(), years=sorted(years) if years else None)
        moved += 1
    return moved
