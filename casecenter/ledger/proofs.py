"""Proof bundles built from the stored tree, in the format that ``verifier.verify_bundle`` checks."""

from __future__ import annotations

import uuid

from django.conf import settings

from casecenter.core.errors import Conflict, NotFound

from . import tree, verifier
from .models import Checkpoint, Event
from .sequencer import latest_checkpoint


def find_event(ref: str | int) -> Event:
    """An event by database id or by its uid (the id printed in exports)."""
    text = str(ref).strip()
    if text.isdigit():
        query = Event.objects.filter(pk=int(text))
    else:
        try:
            query = Event.objects.filter(uid=uuid.UUID(text))
        except ValueError:
            raise NotFound(f"no event {text}") from None
    try:
        return query.get()
    except Event.DoesNotExist:
        raise NotFound(f"no event {text}") from None
    except Event.MultipleObjectsReturned:
        raise Conflict(f"more than one event has the id {text}") from None


def event_bundle(event: Event, checkpoint: Checkpoint | None = None) -> dict:
    """Inclusion proof of ``event`` in the tree signed by ``checkpoint`` (default: the latest)."""
    checkpoint = checkpoint or latest_checkpoint()
    if event.position is None or checkpoint is None or event.position >= checkpoint.tree_size:
        raise Conflict(f"event {event.pk} is not sequenced into a checkpoint yet; run `casecenter ledger checkpoint`")
    path = tree.inclusion_path(event.position, checkpoint.tree_size, checkpoint.alg)
    return verifier.build_bundle(bytes(event.body), event.position, checkpoint.tree_size, path,
                                 checkpoint.as_signed(), checkpoint.alg)


def consistency_bundle(size1: int, size2: int) -> dict:
    """The hashes showing the tree of ``size1`` events is a prefix of the tree of ``size2``."""
    alg = settings.CASECENTER["LEDGER_HASH"]
    return {"alg": alg, "size1": size1, "size2": size2,
            "proof": [h.hex() for h in tree.consistency_path(size1, size2, alg)]}
