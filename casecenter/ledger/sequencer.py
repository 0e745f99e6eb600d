"""The sequencer: gives committed events their positions, extends the stored tree, signs a checkpoint.

Writers insert events unsequenced and never take a global lock; only sequencers contend, for a lock
that writers never touch. On PostgreSQL that is a transaction-level advisory lock, tried without
waiting: if another sequencer holds it, there is nothing to do, because the holder looks for new
events again after its own commit. On SQLite the ``BEGIN IMMEDIATE`` that opens every transaction
already serialises the sequencer with every other writer.

Positions, tree nodes and the checkpoint are written in one transaction, so a sequenced event is
always covered by a signed checkpoint; ``ledger verify`` relies on that.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from casecenter.core import clock

from . import keys, tree, verifier
from .models import Checkpoint, Event, TreeNode

log = logging.getLogger(__name__)

LOCK_KEY = 0x6C6564676572  # "ledger": the advisory lock id of the one sequencer
BATCH_SIZE = 1000
MAX_EVENTS = 2_000


@dataclass(frozen=True)
class Outcome:
    sequenced: int
    checkpoint: Checkpoint | None
    locked_out: bool = False


def _try_lock() -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite: the write lock of BEGIN IMMEDIATE is already ours
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _assign_positions(rows: list[tuple[int, int]]) -> None:
    """The one UPDATE the triggers permit: position on rows whose position is still NULL."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE ledger_event SET position = %s WHERE id = %s AND position IS NULL", rows
        )
        if cursor.rowcount not in (-1, len(rows)):
            raise RuntimeError(f"the sequencer positioned {cursor.rowcount} of {len(rows)} events")


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size", "-id").first()


def sequence(*, batch_size: int = BATCH_SIZE, max_events: int = MAX_EVENTS) -> Outcome:
    """Sequence committed unsequenced events, in id order, and sign a checkpoint if any were.

    At most about ``max_events`` per run: while writers keep committing, "every event" never runs
    out, and a run that never ends never signs, so no event would ever get its checkpoint. Callers
    that want everything call again (``sequence_soon`` does).
    """
    alg = settings.CASECENTER["LEDGER_HASH"]
    with transaction.atomic():
        if not _try_lock():
            return Outcome(0, None, locked_out=True)
        last = latest_checkpoint()
        if last is not None and last.alg != alg:
            raise ImproperlyConfigured(
                f"the ledger was built with {last.alg}; CASECENTER_LEDGER_HASH={alg} cannot extend it"
            )
        size = last.tree_size if last is not None else 0
        edge = tree.frontier(size, alg)
        total = 0
        while True:
            batch = list(
                Event.objects.filter(position__isnull=True).order_by("id").values_list("id", "body")[:batch_size]
            )
            if not batch:
                break
            _assign_positions([(size + offset, pk) for offset, (pk, _body) in enumerate(batch)])
            nodes = []
            for _pk, body in batch:
                nodes.extend(edge.push(verifier.leaf_hash(bytes(body), alg)))
            TreeNode.objects.bulk_create([TreeNode(level=lvl, index=idx, hash=h) for lvl, idx, h in nodes])
            size += len(batch)
            total += len(batch)
            if total >= max_events:
                break
        if not total:
            return Outcome(0, None)
        checkpoint = _sign(size, edge.root(), alg)
    return Outcome(total, checkpoint)


def _sign(size: int, root: bytes, alg: str) -> Checkpoint:
    timestamp = clock.now()
    signed = verifier.sign_checkpoint(keys.private_key(), {
        "alg": alg, "tree_size": size, "root_hash": root, "timestamp": timestamp, "key_id": None,
    })
    checkpoint = Checkpoint(tree_size=size, root_hash=signed["root_hash"], timestamp=timestamp, alg=alg,
                            key_id=signed["key_id"], signature=signed["signature"])
    checkpoint.save()
    return checkpoint


def sequence_soon() -> None:
    """Run after a commit that recorded events: sequence them now, never failing the request."""
    if not settings.CASECENTER.get("LEDGER_SEQUENCE_ON_COMMIT", True):
        return
    try:
        for _ in range(10):
            outcome = sequence()
            # Events committed while we held the lock found it taken and left them to us.
            if outcome.locked_out or not Event.objects.filter(position__isnull=True).exists():
                return
    except Exception:
        # The events are committed; the next sequencer run (or `ledger checkpoint`) takes them.
        log.exception("the ledger sequencer failed; events stay unsequenced until the next run")
