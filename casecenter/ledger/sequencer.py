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

import contextlib
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from casecenter.core import clock

from . import keys, tree, verifier
from .inserts import insert_returning_ids
from .models import Checkpoint

log = logging.getLogger(__name__)

LOCK_KEY = 0x6C6564676572  # "ledger": the advisory lock id of the one sequencer
BATCH_SIZE = 1000
MAX_EVENTS = 2_000
# The on-commit sequencer under concurrent writers: after a short batch of several events, wait this
# long for more commits before reading again (tiny batches cost three statements each, and the
# writer that holds the lock stops writing), and sign after at most RUN_SECONDS.
LINGER_SECONDS = 0.005
RUN_SECONDS = 0.1


@dataclass(frozen=True)
class Outcome:
    sequenced: int
    checkpoint: Checkpoint | None
    locked_out: bool = False
    truncated: bool = False  # stopped at max_events or max_seconds: there may be more to take


def _try_lock() -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite: the write lock of BEGIN IMMEDIATE is already ours
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _pg_array(elements) -> str:
    """A PostgreSQL array literal of integers or hex digits (nothing to quote): one short string
    parameter, where psycopg would adapt a list element by element."""
    return "{" + ",".join(elements) + "}"


def _assign_positions(ids: list[int], first: int) -> None:
    """The one UPDATE the triggers permit: position on rows whose position is still NULL.

    ``ids`` get the positions ``first``, ``first + 1``, … in their order. On PostgreSQL one
    statement for the whole batch (one array parameter, so the SQL text stays short whatever the
    batch size); every row must be updated, or the transaction is rolled back.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE ledger_event AS e SET position = %s + v.n - 1"
                " FROM unnest(%s::bigint[]) WITH ORDINALITY AS v(id, n)"
                " WHERE e.id = v.id AND e.position IS NULL",
                [first, _pg_array(map(str, ids))],
            )
        else:
            cursor.executemany("UPDATE ledger_event SET position = %s WHERE id = %s AND position IS NULL",
                               [(first + offset, pk) for offset, pk in enumerate(ids)])
        updated = cursor.rowcount
        if updated != len(ids):
            raise RuntimeError(f"the sequencer positioned {updated} of {len(ids)} events")


def _insert_nodes(nodes: list[tuple[int, int, bytes]]) -> None:
    """The new complete subtrees, in one statement on PostgreSQL (the ORM's bulk_create spends more
    time building and parsing a multi-row INSERT than the database spends storing it)."""
    if not nodes:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            levels, indexes, hashes = zip(*nodes, strict=True)
            cursor.execute(
                'INSERT INTO ledger_treenode ("level", "index", "hash")'
                " SELECT l, i, decode(h, 'hex') FROM unnest(%s::smallint[], %s::bigint[], %s::text[]) AS n(l, i, h)",
                [_pg_array(map(str, levels)), _pg_array(map(str, indexes)), _pg_array(h.hex() for h in hashes)],
            )
        else:
            cursor.executemany('INSERT INTO ledger_treenode ("level", "index", "hash") VALUES (%s, %s, %s)', nodes)
        if cursor.rowcount != len(nodes):
            raise RuntimeError(f"the sequencer stored {cursor.rowcount} of {len(nodes)} tree nodes")


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size", "-id").first()


def sequence(*, batch_size: int = BATCH_SIZE, max_events: int = MAX_EVENTS, linger: float = 0.0,
             max_seconds: float | None = None, own: int = 1) -> Outcome:
    """Sequence committed unsequenced events, in id order, and sign a checkpoint if any were.

    At most about ``max_events`` per run: while writers keep committing, "every event" never runs
    out, and a run that never ends never signs, so no event would ever get its checkpoint. Callers
    that want everything call again (``sequence_soon`` does).

    ``linger``: after a batch shorter than ``batch_size`` but larger than the events of the commit
    that started this run (``own``: other writers are committing), sleep that long before reading
    the next one, so that batches grow; a lone writer's transaction never waits, however many
    events it recorded. ``max_seconds``: sign once a run has lasted that long.
    """
    alg = settings.CASECENTER["LEDGER_HASH"]
    with transaction.atomic():
        if not _try_lock():
            return Outcome(0, None, locked_out=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT tree_size, root_hash, alg FROM ledger_checkpoint"
                           " ORDER BY tree_size DESC, id DESC LIMIT 1")
            last = cursor.fetchone()
        if last is not None and last[2] != alg:
            raise ImproperlyConfigured(
                f"the ledger was built with {last[2]}; CASECENTER_LEDGER_HASH={alg} cannot extend it"
            )
        size = last[0] if last is not None else 0
        edge = _frontier(size, last[1] if last is not None else None, alg)
        total, truncated = 0, False
        started = time.monotonic()
        while True:
            with connection.cursor() as cursor:
                cursor.execute("SELECT id, body FROM ledger_event WHERE position IS NULL ORDER BY id LIMIT %s",
                               [batch_size])
                batch = cursor.fetchall()
            if not batch:
                break
            _assign_positions([pk for pk, _body in batch], size)
            nodes = []
            for _pk, body in batch:
                nodes.extend(edge.push(verifier.leaf_hash(bytes(body), alg)))
            _insert_nodes(nodes)
            size += len(batch)
            total += len(batch)
            if total >= max_events or (max_seconds is not None and time.monotonic() - started > max_seconds):
                truncated = True
                break
            if linger and own < len(batch) < batch_size:
                time.sleep(linger)  # other writers are committing: let the next batch grow
            elif len(batch) < batch_size:
                break  # all that was committed is taken; later commits are seen after ours
            own = max(1, own - len(batch))  # what is left of our own events, then other writers'
        if not total:
            return Outcome(0, None)
        checkpoint = _sign(size, edge.root(), alg)
        _remember(edge, checkpoint)
    return Outcome(total, checkpoint, truncated=truncated)


# The frontier after this process's last run, keyed by the checkpoint it ended with: the next run
# starts from it instead of reading the tree again, if the latest checkpoint is still that one. A
# root hash fixes the whole tree, so the same (size, root) means the same frontier even if the
# transaction that wrote it was rolled back and another one wrote the same tree.
_last_edge: dict[tuple[str, int, str], list[bytes]] = {}


def _remember(edge: tree.Frontier, checkpoint: Checkpoint) -> None:
    _last_edge.clear()
    _last_edge[(edge.alg, edge.size, checkpoint.root_hash)] = [h for _level, _index, h in edge.nodes]


def _frontier(size: int, root_hash: str | None, alg: str) -> tree.Frontier:
    hashes = _last_edge.get((alg, size, root_hash))
    if hashes is not None:
        return tree.Frontier(alg, size, hashes)
    return tree.frontier(size, alg)


def _sign(size: int, root: bytes, alg: str) -> Checkpoint:
    timestamp = clock.now()
    signed = verifier.sign_checkpoint(keys.private_key(), {
        "alg": alg, "tree_size": size, "root_hash": root, "timestamp": timestamp, "key_id": None,
    })
    checkpoint = Checkpoint(tree_size=size, root_hash=signed["root_hash"], timestamp=timestamp, alg=alg,
                            key_id=signed["key_id"], signature=signed["signature"])
    insert_returning_ids(connection, Checkpoint, _CHECKPOINT_COLUMNS, [checkpoint])
    return checkpoint


#: A run follows nearly every commit that records an event: its checkpoint is appended without the ORM.
_CHECKPOINT_COLUMNS = ("tree_size", "root_hash", "timestamp", "alg", "key_id", "signature")


def _lock_is_taken() -> bool:
    """PostgreSQL, outside a transaction: is a sequencer running right now? One statement in
    autocommit (the lock, if we get it, is released at its end), so the writers that find it taken,
    most of them under load, skip the transaction of ``sequence``; the holder takes their events,
    since it looks again after its commit, which follows theirs."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        return not cursor.fetchone()[0]


def _unsequenced() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM ledger_event WHERE position IS NULL LIMIT 1")
        return cursor.fetchone() is not None


_deferral = threading.local()


@contextlib.contextmanager
def deferred():
    """Inside the block, commits leave their events for the next sequencer run.

    For writes made by ``migrate`` (the shipped statutes): a database is often migrated before the
    installation's checkpoint key is in place (a new installation before its key secret is
    mounted, a throwaway database that a campaign then signs with its own key), so the events
    wait, unsequenced, for the first sequencer that runs with the right key.
    """
    previous = getattr(_deferral, "active", False)
    _deferral.active = True
    try:
        yield
    finally:
        _deferral.active = previous


class SequenceAfterCommit:
    """The on-commit callback of one transaction that recorded ``events`` events."""

    def __init__(self, events: int) -> None:
        self.events = events

    def __call__(self) -> None:
        sequence_soon(own=self.events)

    def __repr__(self) -> str:
        return f"SequenceAfterCommit({self.events})"


def sequence_soon(own: int = 1) -> None:
    """Run after a commit that recorded ``own`` events: sequence them now, never failing the request."""
    if not settings.CASECENTER.get("LEDGER_SEQUENCE_ON_COMMIT", True) or getattr(_deferral, "active", False):
        return
    try:
        if _lock_is_taken():
            return
        # SQLite: no one commits while we hold the write lock, so waiting for other writers only
        # blocks them.
        linger = 0.0 if connection.vendor == "sqlite" else LINGER_SECONDS
        for _ in range(10):
            outcome = sequence(linger=linger, max_seconds=RUN_SECONDS, own=own, batch_size=BATCH_SIZE,
                               max_events=MAX_EVENTS)
            own = 1
            # PostgreSQL: events committed while we held the lock found it taken and left them to
            # us. SQLite: a run that took everything is done (each later commit runs its own
            # sequencer); one cut short by max_events or max_seconds goes on.
            if outcome.locked_out or (connection.vendor == "sqlite" and not outcome.truncated) \
                    or not _unsequenced():
                return
    except Exception:
        # The events are committed; the next sequencer run (or `ledger checkpoint`) takes them.
        log.exception("the ledger sequencer failed; events stay unsequenced until the next run")
