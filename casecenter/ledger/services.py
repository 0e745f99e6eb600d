"""The ledger's one write call, :func:`record_event`, used by every service in its own transaction."""

from __future__ import annotations

import uuid

from django.db import models, transaction

from casecenter.core import clock
from casecenter.core.middleware import client_address

from .actions import ACTION_RE, records_any_action
from .models import Event
from .verifier import canonical_json


class NotInTransaction(RuntimeError):
    """record_event was called outside an atomic block: the change and its event could part ways."""


def _subject(subject) -> tuple[str, str]:
    if isinstance(subject, models.Model):
        return subject._meta.label_lower, str(subject.pk)
    if isinstance(subject, tuple) and len(subject) == 2:
        kind, ident = subject
        return str(kind), "" if ident is None else str(ident)
    raise TypeError(f"subject must be a model instance or a (type, id) tuple, not {subject!r}")


def _ref(value) -> str | None:
    if value is None:
        return None
    return str(value.pk if isinstance(value, models.Model) else value)


def _unit_id(unit, actor) -> int | None:
    if unit is not None:
        return unit.pk if isinstance(unit, models.Model) else int(unit)
    return getattr(actor, "unit_id", None)


def _actor_snapshot(actor, request=None) -> dict:
    """Who acted, as they were at that moment (names, roles and unit change later)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        # No account: a sign-in attempt from the network, or the system itself (commands, tasks).
        return {"kind": "anonymous" if request is not None else "system"}
    unit = actor.unit
    return {
        "kind": "user",
        "id": actor.pk,
        "username": actor.username,
        "name": actor.full_name,
        "roles": sorted(str(role) for role in actor.roles),
        "unit": {"id": unit.pk, "name": unit.name} if unit is not None else None,
    }


def _schedule_sequencer(connection) -> None:
    from .sequencer import sequence_soon

    # Once per transaction is enough: the sequencer takes every committed event it finds.
    if not any(entry[1] is sequence_soon for entry in connection.run_on_commit):
        transaction.on_commit(sequence_soon)


@records_any_action
def record_event(*, actor, action: str, subject, data: dict, case=None, person=None, unit=None,
                 request=None) -> Event:
    """Append one unsequenced event, in the caller's transaction.

    Refused outside an atomic block: the event must commit or roll back together with the change it
    records ("nothing changes state without its event, and no event exists without its change").
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise NotInTransaction(f"record_event({action!r}) must run inside the transaction of the change")
    if not ACTION_RE.match(action):
        raise ValueError(f"not a dotted action name (app.subject.verb): {action!r}")
    subject_type, subject_id = _subject(subject)
    snapshot = _actor_snapshot(actor, request)
    event = Event(
        uid=uuid.uuid4(),
        actor_id=snapshot.get("id"),
        actor_snapshot=canonical_json(snapshot).decode(),
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        case_id=_ref(case),
        person_id=_ref(person),
        unit_id=_unit_id(unit, actor if snapshot["kind"] == "user" else None),
        recorded_at=clock.now(),
        request_id=getattr(request, "request_id", "") if request is not None else "",
        client_address=client_address(request)[:64] if request is not None else "",
        data=canonical_json(data).decode(),
    )
    event.body = event.derive_body()
    event.save()
    _schedule_sequencer(connection)
    return event
