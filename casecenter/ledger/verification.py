"""The outcome of ``ledger verify`` as the record keeps it: each verification run from the audit
pages ends with a ``ledger.verification.finished`` event (``services.verification_record``), and
the audit administrator's home panel reads the latest one. The run itself is a background job
(``jobs/verification.py``: the ledger cannot import the job queue, which sits above it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max

from .models import Checkpoint, Event
from .sequencer import latest_checkpoint

STARTED = "ledger.verification.started"
FINISHED = "ledger.verification.finished"


@dataclass(frozen=True)
class Verification:
    at: dt.datetime
    ok: bool
    events: int
    checkpoints: int
    unsequenced: int
    findings: int
    first_finding: str
    by: str
    event_id: int


def latest_verification() -> Verification | None:
    """The last finished verification, from its event (the newest by id: one index seek)."""
    event = Event.objects.filter(action=FINISHED).order_by("-id").first()
    if event is None:
        return None
    facts, actor = event.facts, event.actor
    return Verification(at=event.recorded_at, ok=bool(facts.get("ok")), events=facts.get("events", 0),
                        checkpoints=facts.get("checkpoints", 0), unsequenced=facts.get("unsequenced", 0),
                        findings=facts.get("findings", 0), first_finding=facts.get("first_finding", ""),
                        by=actor.get("name") or actor.get("username") or "", event_id=event.pk)


@dataclass(frozen=True)
class RecordSize:
    signed: int            # events covered by the latest signed checkpoint
    pending: int           # events waiting for the next checkpoint
    checkpoint: Checkpoint | None

    @property
    def total(self) -> int:
        return self.signed + self.pending


def record_size() -> RecordSize:
    """How many events the record holds, without counting the whole table: the latest checkpoint's
    tree size plus the events not yet sequenced (a few, read from the position index)."""
    checkpoint = latest_checkpoint()
    pending = Event.objects.filter(position__isnull=True).count()
    return RecordSize(signed=checkpoint.tree_size if checkpoint else 0, pending=pending, checkpoint=checkpoint)


def sequenced_events() -> int:
    """The events a verification will walk: the highest position plus one (an index seek)."""
    top = Event.objects.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


#: The URL name of the page that starts a verification; the jobs app lends it (see module docstring).
START_PAGE: list[str] = []


def register_start_page(url_name: str) -> None:
    START_PAGE[:] = [url_name]
