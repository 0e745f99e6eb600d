"""Writes on alerts: read, acknowledged with a note, resolved. Each is recorded: afterwards the
record shows who knew of a warning, from when, and what they did about it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.accounts.roles import Role
from casecenter.core import clock
from casecenter.core.errors import Conflict, Forbidden, ValidationFailed
from casecenter.ledger.actions import not_a_write, records
from casecenter.ledger.services import record_event

from ..models import Alert, AlertLevel, AlertRecipient, AlertState
from ..verification import check_text

BREACH_CLOSERS = (Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF, Role.SUPERVISOR)


@not_a_write
def may_resolve(actor, alert: Alert) -> bool:
    """May ``actor`` resolve ``alert``? A breach only those who answer for it (``BREACH_CLOSERS``)."""
    return alert.level != AlertLevel.BREACH or not getattr(actor, "pk", None) or actor.has_role(*BREACH_CLOSERS)


def _record(actor, action: str, alert: Alert, request, **data) -> None:
    deadline = alert.deadline
    record_event(actor=actor, action=action, subject=alert, request=request, case=deadline.case_id,
                 person=deadline.person_id, unit=deadline.unit_id,
                 data={"deadline": deadline.pk, "level": alert.level, "state": alert.state, **data})


def _note(note: str | None, *, required: bool) -> str:
    note = (note or "").strip() if isinstance(note, str) or note is None else note
    check_text(note, field="note", max_length=500)
    if required and not note:
        raise ValidationFailed(_("Write a note: what was done, or why nothing needs to be done."), field="note")
    return note


@records("deadlines.alert.read")
@transaction.atomic
def alert_mark_read(*, actor, alert: Alert, request=None) -> bool:
    """The user opened an alert routed to them. Recorded once (the first time); returns whether it
    was unread."""
    updated = AlertRecipient.objects.filter(alert=alert, user=actor, read_at__isnull=True).update(
        read_at=clock.now())
    if updated:
        _record(actor, "deadlines.alert.read", alert, request)
    return bool(updated)


def _close(actor, alert: Alert, *, action: str, note, from_states: list[str], refused: str, request,
           **changes) -> Alert:
    """Compare-and-set the alert's state (a second person acting at the same moment gets a clear
    refusal, not a silent overwrite), count it read for the actor, record it."""
    note = _note(note, required=True)
    now = clock.now()
    fields = {key: (now if value is _NOW else note if value is _NOTE else value) for key, value in changes.items()}
    if not Alert.objects.filter(pk=alert.pk, state__in=from_states).update(**fields):
        raise Conflict(refused, field="state")
    AlertRecipient.objects.filter(alert=alert, user=actor, read_at__isnull=True).update(read_at=now)
    alert.refresh_from_db()
    _record(actor, action, alert, request, note=note)
    return alert


_NOW, _NOTE = object(), object()


@records("deadlines.alert.acknowledged")
@transaction.atomic
def alert_acknowledge(*, actor, alert: Alert, note: str, request=None) -> Alert:
    """Say that the alert is seen and being acted on, with a note. Only an open alert; it also
    counts as read for the one who acknowledges it."""
    return _close(actor, alert, action="deadlines.alert.acknowledged", note=note, from_states=[AlertState.OPEN],
                  refused=_("This alert is no longer open: someone else acknowledged or resolved it."),
                  request=request, state=AlertState.ACKNOWLEDGED, acknowledged_by=actor, acknowledged_at=_NOW,
                  acknowledge_note=_NOTE)


@records("deadlines.alert.resolved")
@transaction.atomic
def alert_resolve(*, actor, alert: Alert, note: str, request=None) -> Alert:
    """Close the alert (the act was done, the clock was extended or ended), with a note. An open or
    acknowledged alert; it leaves every recipient's unread count. A breach is closed by those who
    answer for it — a head, a chief or supervision — not by the officer whose clock ran out."""
    if not may_resolve(actor, alert):
        raise Forbidden(_("A breach is resolved by the head of department, the chief or supervision; acknowledge it "
                          "with what you are doing."))
    return _close(actor, alert, action="deadlines.alert.resolved", note=note,
                  from_states=[AlertState.OPEN, AlertState.ACKNOWLEDGED], refused=_("This alert is already resolved."),
                  request=request, state=AlertState.RESOLVED, resolved_by=actor, resolved_at=_NOW, resolve_note=_NOTE)
