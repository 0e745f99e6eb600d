"""The ledger's one write call, :func:`record_event`, used by every service in its own transaction."""

from __future__ import annotations

import json
import uuid

from django.db import models, transaction
from django.utils.translation import gettext as _

from casecenter.core import clock
from casecenter.core.errors import Conflict, NotFound
from casecenter.core.middleware import client_address

from . import proofs
from .actions import ACTION_RE, records, records_any_action
from .inserts import insert_returning_ids
from .models import BODY_VERSION, Event
from .verifier import canonical_json, format_timestamp


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


def _schedule_sequencer(connection, count: int) -> None:
    from .sequencer import SequenceAfterCommit

    # Once per transaction is enough: the sequencer takes every committed event it finds. Looking
    # for the callback (not a flag) stays right after a rollback, which empties the list. The
    # callback counts the transaction's events, so the run it starts knows which batch is its own.
    for entry in connection.run_on_commit:
        if isinstance(entry[1], SequenceAfterCommit):
            entry[1].events += count
            return
    transaction.on_commit(SequenceAfterCommit(count))


def _check_context(connection, action: str) -> None:
    if not connection.in_atomic_block:
        raise NotInTransaction(f"record_event({action!r}) must run inside the transaction of the change")
    if not ACTION_RE.match(action):
        raise ValueError(f"not a dotted action name (app.subject.verb): {action!r}")


_scalar = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def _body(action, actor_json, case, address, data_json, person, recorded_at, request_id, subject_id,
          subject_type, uid, unit) -> bytes:
    """``Event.derive_body`` of these columns, assembled as text: canonical JSON nests (an object's
    canonical text is the same inside another one), and these are its sorted keys. Appending pays
    for this at every event, verification re-derives the same bytes the slow, obvious way."""
    e = _scalar
    return (f'{{"action":{e(action)},"actor":{actor_json},"case":{e(case)},"client_address":{e(address)},'
            f'"data":{data_json},"person":{e(person)},"recorded_at":{e(recorded_at)},"request_id":{e(request_id)},'
            f'"subject":{{"id":{e(subject_id)},"type":{e(subject_type)}}},"uid":{e(uid)},"unit":{e(unit)},'
            f'"v":{BODY_VERSION}}}').encode()


def _build(actor, snapshot: dict, snapshot_json: str, request, *, action: str, subject, data: dict,
           case=None, person=None, unit=None) -> Event:
    """An unsaved event whose ``body`` is made from the same plain values as its columns, without
    parsing the columns back (``Event.derive_body`` does that, and must give the same bytes)."""
    subject_type, subject_id = _subject(subject)
    data_json = canonical_json(data)  # refuses what canonical JSON refuses
    uid = uuid.uuid4()
    recorded_at = clock.now()
    case_id, person_id = _ref(case), _ref(person)
    unit_id = _unit_id(unit, actor if snapshot["kind"] == "user" else None)
    request_id = getattr(request, "request_id", "") if request is not None else ""
    address = client_address(request)[:64] if request is not None else ""
    # Positional arguments in the order of Event's concrete fields: Model.__init__'s fast path.
    event = Event(None, uid, None, snapshot.get("id"), snapshot_json, action, subject_type, subject_id, case_id,
                  person_id, unit_id, recorded_at, request_id, address, data_json.decode(), b"")
    event.body = _body(action, snapshot_json, case_id, address, event.data, person_id,
                       format_timestamp(recorded_at), request_id, subject_id, subject_type, str(uid), unit_id)
    return event


_COLUMNS = ("uid", "actor_id", "actor_snapshot", "action", "subject_type", "subject_id", "case_id", "person_id",
            "unit_id", "recorded_at", "request_id", "client_address", "data", "body")
_UNADAPTED = frozenset({"actor_snapshot", "action", "subject_type", "subject_id", "case_id", "person_id",
                        "request_id", "client_address", "data", "actor_id", "unit_id"})


def _insert(connection, events: list[Event]) -> None:
    insert_returning_ids(connection, Event, _COLUMNS, events, unadapted=_UNADAPTED)


@records_any_action
def record_event(*, actor, action: str, subject, data: dict, case=None, person=None, unit=None,
                 request=None) -> Event:
    """Append one unsequenced event, in the caller's transaction.

    Refused outside an atomic block: the event must commit or roll back together with the change it
    records ("nothing changes state without its event, and no event exists without its change").
    """
    connection = transaction.get_connection()
    _check_context(connection, action)
    snapshot = _actor_snapshot(actor, request)
    snapshot_json = canonical_json(snapshot).decode()
    event = _build(actor, json.loads(snapshot_json), snapshot_json, request, action=action, subject=subject,
                   data=data, case=case, person=person, unit=unit)
    _insert(connection, [event])
    _schedule_sequencer(connection, 1)
    return event


@records_any_action
def record_events(entries, *, actor, request=None) -> list[Event]:
    """Append several events of one actor in the caller's transaction (a batch import, a bulk change),
    with one actor snapshot and one INSERT per few hundred events.

    Each entry is a dict of ``record_event``'s per-event arguments: ``action``, ``subject``, ``data``
    and optionally ``case``, ``person``, ``unit``. All of them or none are recorded.
    """
    connection = transaction.get_connection()
    entries = list(entries)
    for entry in entries:
        _check_context(connection, entry["action"])
    if not entries:
        return []
    snapshot_json = canonical_json(_actor_snapshot(actor, request)).decode()
    snapshot = json.loads(snapshot_json)
    events = [_build(actor, snapshot, snapshot_json, request, **entry) for entry in entries]
    with transaction.atomic():  # a failed chunk takes the earlier chunks with it
        _insert(connection, events)
    _schedule_sequencer(connection, len(events))
    return events


@records("ledger.proof.exported")
@transaction.atomic
def proof_export(*, actor, event: Event, request=None) -> dict:
    """The inclusion proof of ``event`` in the latest checkpoint, recorded as exported by ``actor``.

    An event not yet sequenced into a signed checkpoint has no proof: NotFound, and nothing is
    recorded (nothing left the system).
    """
    try:
        bundle = proofs.event_bundle(event)
    except Conflict:
        raise NotFound(_("Event {id} is not in a signed checkpoint yet; its proof can be downloaded "
                         "once the sequencer has included it.").format(id=event.pk)) from None
    record_event(actor=actor, action="ledger.proof.exported", subject=("ledger.event", event.pk),
                 data={"event": str(event.uid), "index": bundle["index"], "tree_size": bundle["tree_size"]},
                 request=request)
    return bundle


@records("ledger.verification.finished")
@transaction.atomic
def verification_record(*, actor, report, progress_id: str = "", request=None) -> Event:
    """Record the outcome of a ``verify_ledger`` run (``integrity.Report``): how much was checked,
    whether it passed, and the first finding. The record keeps the result of checking itself: a
    later verification is compared with it, and a failure cannot be quietly forgotten."""
    first = report.first
    return record_event(actor=actor, action="ledger.verification.finished", subject=("ledger.verification",
                                                                                      progress_id),
                        data={"ok": report.ok, "events": report.events, "checkpoints": report.checkpoints,
                              "unsequenced": report.unsequenced, "findings": len(report.findings),
                              "first_finding": first.message[:500] if first else ""},
                        request=request)
