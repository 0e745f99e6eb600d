"""Test helpers for the ledger: ``assert_records`` checks that a service wrote its event.

The completeness guard looks for ``assert_records("<action>"`` in the test sources, so each service's
test names the action literally.
"""

from __future__ import annotations

from django.db import models

from .models import Event

_ANY = object()


def last_event_id() -> int:
    """Mark the ledger before an operation: ``assert_records(..., after=mark)`` looks only after it."""
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _subject_key(subject) -> tuple[str, str]:
    if isinstance(subject, models.Model):
        return subject._meta.label_lower, str(subject.pk)
    kind, ident = subject
    return str(kind), "" if ident is None else str(ident)


def assert_records(action: str, *, after: int = 0, count: int | None = None, actor=_ANY, subject=_ANY,
                   data: dict | None = None, absent: tuple[str, ...] = (), case=_ANY, person=_ANY,
                   unit=_ANY, request_id=_ANY) -> Event:
    """Assert the ledger holds an event ``action`` (after id ``after``) matching what is given, and return
    the latest such event.

    ``actor`` is a user, a username, None (system or anonymous); ``data`` must be a subset of the
    event's facts; ``absent`` names keys that must not appear anywhere in the recorded bytes (a
    password, a token key). The event's bytes must re-derive from its columns.
    """
    events = list(Event.objects.filter(action=action, id__gt=after).order_by("id"))
    recent = list(Event.objects.filter(id__gt=after).order_by("-id").values_list("action", flat=True)[:10])
    assert events, f"no {action!r} event was recorded; the latest events are {recent}"
    if count is not None:
        assert len(events) == count, f"expected {count} {action!r} events, found {len(events)}"
    event = events[-1]
    if actor is not _ANY:
        expected = actor if isinstance(actor, str) or actor is None else actor.username
        assert event.actor.get("username") == expected, f"actor was {event.actor}, expected {expected!r}"
    if subject is not _ANY:
        got = (event.subject_type, event.subject_id)
        assert got == _subject_key(subject), f"subject was {got}, expected {_subject_key(subject)}"
    if data is not None:
        facts = event.facts
        for key, value in data.items():
            assert key in facts, f"{action}: the facts {facts} lack {key!r}"
            assert facts[key] == value, f"{action}: {key} was {facts[key]!r}, expected {value!r}"
    for needle in absent:
        assert needle not in bytes(event.body).decode(), f"{action}: {needle!r} must not be recorded"
    for name, value in (("case_id", case), ("person_id", person)):
        if value is not _ANY:
            expected = None if value is None else str(getattr(value, "pk", value))
            assert getattr(event, name) == expected, f"{name} was {getattr(event, name)!r}, expected {expected!r}"
    if unit is not _ANY:
        assert event.unit_id == (getattr(unit, "pk", unit)), f"unit was {event.unit_id}, expected {unit!r}"
    if request_id is not _ANY:
        assert event.request_id == request_id, f"request id was {event.request_id!r}"
    assert event.derive_body() == bytes(event.body), "the event's columns do not re-derive its bytes"
    return event


def assert_no_records(action: str, *, after: int = 0) -> None:
    found = Event.objects.filter(action=action, id__gt=after).count()
    assert not found, f"expected no {action!r} event, found {found}"
