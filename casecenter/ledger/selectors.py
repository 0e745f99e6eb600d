"""Reads of the ledger: the audit browser's filtered list and the timeline of a case, person or subject.

Each event is annotated with the size of the smallest checkpoint that covers it (tree_size >
position), computed by a correlated subquery in the page's own query: a page costs the same number
of queries whatever its length, and the checkpoint index makes each lookup one index seek.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from .models import Checkpoint, Event


def with_checkpoint(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate ``checkpoint_size``: the first signed tree that includes the event (None: pending)."""
    covering = (Checkpoint.objects.filter(tree_size__gt=OuterRef("position"))
                .order_by("tree_size", "id").values("tree_size")[:1])
    return events.annotate(checkpoint_size=Subquery(covering, output_field=models.BigIntegerField()))


def _start_of(value: date | datetime) -> datetime:
    """A date means its whole local day (Asia/Shanghai), so "from 3 May" starts at local midnight."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.combine(value, time.min))


def _end_of(value: date | datetime) -> datetime:
    """``until`` a date includes that whole day: the bound is the next local midnight, exclusive."""
    if isinstance(value, datetime):
        return _start_of(value)
    return _start_of(value + timedelta(days=1))


def _actor_ids(actor) -> models.QuerySet | list[int]:
    """An account, its id, or a username (the account's current name; the snapshot keeps the old one)."""
    if hasattr(actor, "pk"):
        return [actor.pk]
    if isinstance(actor, int):
        return [actor]
    return get_user_model().objects.filter(username=str(actor).strip()).values("pk")


def event_list(*, user, actor=None, action: str | None = None, subject_type: str | None = None,
               subject_id: str | None = None, case_id: str | None = None, person_id: str | None = None,
               unit_id: int | None = None, since: date | datetime | None = None,
               until: date | datetime | None = None) -> QuerySet[Event]:
    """Events matching every given filter, sequenced or not, newest first.

    Who may read the record is the access matrix's decision (the audit administrator); ``user``
    is asked only to be signed in, so that a caller that forgot the matrix gets nothing.
    """
    if not (user is not None and getattr(user, "is_authenticated", False)):
        return Event.objects.none()
    events = Event.objects.all()
    if actor not in (None, ""):
        events = events.filter(actor_id__in=_actor_ids(actor))
    if action:
        events = events.filter(action=action) if action.count(".") >= 2 else events.filter(
            action__startswith=action.rstrip(".") + ".")
    if subject_type:
        events = events.filter(subject_type=subject_type)
    if subject_id not in (None, ""):
        events = events.filter(subject_id=str(subject_id))
    if case_id not in (None, ""):
        events = events.filter(case_id=str(case_id))
    if person_id not in (None, ""):
        events = events.filter(person_id=str(person_id))
    if unit_id is not None:
        events = events.filter(unit_id=unit_id)
    if since is not None:
        events = events.filter(recorded_at__gte=_start_of(since))
    if until is not None:
        events = events.filter(recorded_at__lt=_end_of(until))
    return with_checkpoint(events.order_by("-id"))


def subject_key(subject) -> tuple[str, str]:
    """(type, id) of a model instance or a (type, id) pair, as ``record_event`` stores it."""
    if isinstance(subject, models.Model):
        return subject._meta.label_lower, str(subject.pk)
    kind, ident = subject
    return str(kind), "" if ident is None else str(ident)


def timeline(*, case_id=None, person_id=None, subject=None) -> QuerySet[Event]:
    """The events of a case, a person or a subject in the order they happened: by position, the
    events not yet sequenced last (in insertion order, which is the order they will receive)."""
    events = Event.objects.all()
    if case_id is None and person_id is None and subject is None:
        return events.none()
    if case_id is not None:
        events = events.filter(case_id=str(case_id))
    if person_id is not None:
        events = events.filter(person_id=str(person_id))
    if subject is not None:
        kind, ident = subject_key(subject)
        events = events.filter(subject_type=kind, subject_id=ident)
    return with_checkpoint(events.order_by(F("position").asc(nulls_last=True), "id"))
