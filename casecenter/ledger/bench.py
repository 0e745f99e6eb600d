"""Benchmarks of the ledger (``casecenter bench ledger``), the figures the issue's acceptance asks for.

Appends are timed per transaction and counted per event (``per_op``). The append benchmarks turn
the on-commit sequencer off so that they time what a writer pays; ``ledger.commit_to_checkpoint``
times the sequencer that runs after a commit. The append benchmarks set SQLite's
``synchronous=FULL`` for their run, so that every commit is on disk before it returns (the project's
WAL + ``synchronous=NORMAL`` survives a killed process but may lose the last commits on power loss).

The proof and ``verify`` benchmarks need a large ledger; ``CASECENTER_BENCH_LEDGER_EVENTS`` sets its
size (default 100,000), the figures state the size actually used.
"""

from __future__ import annotations

import atexit
import bisect
import contextlib
import functools
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import connection, connections, transaction
from django.test.utils import override_settings

from casecenter.core.bench import NotApplicable, benchmark, run_processes

from . import keys, merkle, proofs, verifier
from .integrity import verify_ledger
from .models import Checkpoint, Event
from .sequencer import latest_checkpoint, sequence, sequence_soon
from .services import record_event, record_events

DEFAULT_EVENTS = 100_000
FILL_BATCH = 1000


def ledger_size() -> int:
    return int(os.environ.get("CASECENTER_BENCH_LEDGER_EVENTS", DEFAULT_EVENTS))


@functools.cache
def _key_file() -> Path:
    """One private checkpoint key per process, shared by every ledger benchmark of the run (they
    grow one ledger, which ``verify`` checks), never the installation's key."""
    scratch = Path(tempfile.mkdtemp(prefix="casecenter-bench-"))
    atexit.register(shutil.rmtree, scratch, True)
    path = scratch / "bench-ed25519.pem"
    verifier.save_private_key(path, Ed25519PrivateKey.generate())
    return path


@contextlib.contextmanager
def scratch_ledger(*, on_commit: bool = False):
    """The benchmark key, and the on-commit sequencer on or off (also used by the campaigns)."""
    ledger = {**settings.CASECENTER, "LEDGER_KEY_FILE": str(_key_file()), "LEDGER_SEQUENCE_ON_COMMIT": on_commit}
    with override_settings(CASECENTER=ledger):
        keys.forget()
        try:
            yield
        finally:
            keys.forget()


@contextlib.contextmanager
def _durable():
    """SQLite: fsync every commit for the duration (PostgreSQL's default already does)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA synchronous=FULL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={int(previous)}")


def _entries(n: int, start: int = 0) -> list[dict]:
    return [{"action": "bench.thing.done", "subject": ("bench.thing", start + i),
             "data": {"i": start + i, "note": f"第{start + i}件", "amount": "12.50"}} for i in range(n)]


def _appender(per_transaction: int):
    counter = iter(range(10**12))

    def append():
        with transaction.atomic():
            record_events(_entries(per_transaction, next(counter) * per_transaction), actor=None)

    return append


@benchmark("ledger.append_1", description="Append one event per transaction, durable (fsync per commit)",
           unit="event", repeat=1000, warmup=50)
def append_1(ctx):
    with scratch_ledger(), _durable():
        return ctx.measure(_appender(1))


@benchmark("ledger.append_100", description="Append 100 events per transaction, durable", unit="event",
           repeat=100, warmup=5, per_op=100)
def append_100(ctx):
    with scratch_ledger(), _durable():
        return ctx.measure(_appender(100))


@benchmark("ledger.commit_to_checkpoint", unit="event", repeat=200, warmup=10,
           description="From the commit of one event to a signed checkpoint that includes it (on-commit sequencer)")
def commit_to_checkpoint(ctx):
    with scratch_ledger(on_commit=True):
        nested = connection.in_atomic_block  # --in-place: no real commit, run the sequencer by hand
        durations = []
        for i in range(ctx.warmup + ctx.iterations):
            marks = {}
            with transaction.atomic():
                transaction.on_commit(lambda m=marks: m.setdefault("committed", time.perf_counter()))
                [event] = record_events(_entries(1, i), actor=None)
            if nested:
                marks["committed"] = time.perf_counter()
                sequence_soon()
            done = time.perf_counter()
            event.refresh_from_db()
            checkpoint = latest_checkpoint()
            if event.position is None or checkpoint.tree_size <= event.position:
                raise RuntimeError("the event was not sequenced into a checkpoint after its commit")
            if i >= ctx.warmup:
                durations.append(done - marks["committed"])
        return durations


def fill(n: int) -> None:
    """Grow the ledger to at least ``n`` sequenced events, quickly (batches, one sequencer run each)."""
    have = Event.objects.count()
    while have < n:
        batch = min(FILL_BATCH * 10, n - have)
        with transaction.atomic():
            for start in range(0, batch, FILL_BATCH):
                record_events(_entries(min(FILL_BATCH, batch - start), have + start), actor=None)
        sequence()
        have += batch
    # One sequencer run takes a bounded batch: run it until everything is sequenced, so that the
    # proof and verify benchmarks measure a ledger of the size they state.
    while sequence().sequenced:
        pass


@benchmark("ledger.verify_proof", unit="proof", repeat=2000, warmup=100,
           description="Verify an event's proof bundle offline (signature + inclusion), one core")
def verify_proof(ctx):
    with scratch_ledger():
        fill(ledger_size())
        public = keys.public_key()
        size = latest_checkpoint().tree_size
        picks = random.Random(1).sample(range(size), min(size, 500))  # noqa: S311 - not a secret
        bundles = [proofs.event_bundle(e) for e in Event.objects.filter(position__in=picks)]
        ctx.per_op = 1
        rotation = iter(range(10**12))

        def check():
            bundle = bundles[next(rotation) % len(bundles)]
            if not verifier.verify_bundle(bundle, public).ok:
                raise RuntimeError("a valid bundle did not verify")

        return ctx.measure(check)


@benchmark("ledger.verify_inclusion", unit="proof", repeat=20, warmup=1, per_op=1000,
           description="Check 1,000 inclusion proofs against one already-verified checkpoint, one core")
def verify_inclusion(ctx):
    with scratch_ledger():
        fill(ledger_size())
        checkpoint = latest_checkpoint()
        rng = random.Random(2)  # noqa: S311 - choosing events to prove, not a secret
        picks = rng.sample(range(checkpoint.tree_size), min(checkpoint.tree_size, 1000))
        alg, root = checkpoint.alg, bytes.fromhex(checkpoint.root_hash)
        prepared = []
        for event in Event.objects.filter(position__in=picks):
            bundle = proofs.event_bundle(event, checkpoint)
            prepared.append((merkle.leaf_hash(bytes(event.body), alg), bundle["index"], bundle["tree_size"],
                             [bytes.fromhex(h) for h in bundle["audit_path"]]))
        ctx.per_op = len(prepared)

        def check_all():
            for leaf, index, size, path in prepared:
                if not merkle.verify_inclusion(alg, leaf, index, size, path, root):
                    raise RuntimeError("a valid inclusion proof did not verify")

        return ctx.measure(check_all)


@benchmark("ledger.verify", unit="event", repeat=3, warmup=0,
           description="`ledger verify` of the whole ledger (CASECENTER_BENCH_LEDGER_EVENTS events)")
def verify(ctx):
    with scratch_ledger():
        fill(ledger_size())
        sequence()

        def run():
            report = verify_ledger()
            if not report.ok:
                raise RuntimeError(f"the benchmark ledger does not verify: {report.first.message}")
            ctx.per_op = report.events

        return ctx.measure(run)


PG_WRITERS = 4
PG_WRITERS_SECONDS = float(os.environ.get("CASECENTER_BENCH_PG_WRITERS_SECONDS", 15))


def _pg_writer(number: int, seconds: float, start_at: float, on_commit: bool, results) -> None:
    """One writer process (forked: it inherits the throwaway database and the benchmark key, and
    opens its own connection): one event per transaction until the time is up. Sends back
    (uid, wall-clock time of the commit) per event."""
    log = []
    try:
        with scratch_ledger(on_commit=on_commit):
            while time.time() < start_at:
                time.sleep(0.001)
            deadline, i = start_at + seconds, 0
            while time.time() < deadline:
                marks = {}
                with transaction.atomic():
                    # Registered before record_event's sequence_soon, so it runs first: the commit time.
                    transaction.on_commit(lambda m=marks: m.setdefault("t", time.time()))
                    event = record_event(actor=None, **_entries(1, number * 10**9 + i)[0])
                log.append((str(event.uid), marks["t"]))
                i += 1
    finally:
        connections.close_all()
        results.put((number, log))


def _pg_sequencer(seconds: float, start_at: float, interval: float, results) -> None:
    """The dedicated sequencer process: ``casecenter ledger checkpoint --every INTERVAL``'s loop."""
    rounds = 0
    try:
        with scratch_ledger(on_commit=False):
            deadline = start_at + seconds + 1.0
            while time.time() < deadline:
                sequence()
                rounds += 1
                time.sleep(interval)
    finally:
        connections.close_all()
        results.put(("sequencer", rounds))


def _pg_writers_run(ctx, *, dedicated_interval: float | None):
    if connection.vendor != "postgresql":
        raise NotApplicable("PostgreSQL only (concurrent writer processes; SQLite serialises every writer)")
    if connection.in_atomic_block:
        raise NotApplicable("needs real commits by other processes; not with --in-place")
    seconds = PG_WRITERS_SECONDS
    on_commit = dedicated_interval is None
    with scratch_ledger(on_commit=on_commit):
        keys.private_key()  # the key file exists before the writers start
        fill(1000)  # a ledger with a tree, not the empty special case
        before = latest_checkpoint().tree_size
        start_at = time.time() + 1.0
        writers = [(_pg_writer, (n, seconds, start_at, on_commit)) for n in range(PG_WRITERS)]
        if not on_commit:
            writers.append((_pg_sequencer, (seconds, start_at, dedicated_interval)))
        logs = run_processes(writers, timeout=seconds + 120)
        load = os.getloadavg()
        sequencer_rounds = logs.pop("sequencer", None)
        committed = [entry for log in logs.values() for entry in log]
        # A writer that lost the try-lock left its events to the holder; if anything is still
        # unsequenced now, the sequencer failed its promise: count it, then sequence it.
        ctx.extra["left_unsequenced"] = Event.objects.filter(position__isnull=True).count()
        while sequence().sequenced:
            pass
        position = {str(uid): pos for uid, pos in
                    Event.objects.filter(position__gte=before).values_list("uid", "position")}
        checkpoints = list(Checkpoint.objects.filter(tree_size__gt=before).order_by("tree_size")
                           .values_list("tree_size", "timestamp"))
        sizes = [size for size, _ts in checkpoints]
        latencies = []
        for uid, committed_at in committed:
            pos = position[uid]
            size, stamp = checkpoints[bisect.bisect_right(sizes, pos)]  # first checkpoint with size > pos
            latencies.append(max(0.0, stamp.timestamp() - committed_at))
        ctx.extra.update({
            "throughput_per_s": len(committed) / seconds,
            "writers": PG_WRITERS, "seconds": seconds, "events": len(committed),
            "checkpoints": len(checkpoints), "load_average_1m": load[0],
        })
        if sequencer_rounds is not None:
            ctx.extra.update({"sequencer_interval_s": dedicated_interval, "sequencer_rounds": sequencer_rounds})
        return latencies


@benchmark("ledger.pg_writers", unit="event", repeat=1, warmup=0,
           description=f"PostgreSQL, {PG_WRITERS} writer processes, one event per transaction, on-commit "
                       "sequencer: commit-to-checkpoint latency per event; throughput = committed events/s")
def pg_writers(ctx):
    return _pg_writers_run(ctx, dedicated_interval=None)


PG_SEQUENCER_INTERVAL = float(os.environ.get("CASECENTER_BENCH_PG_SEQUENCER_INTERVAL", 0.2))


@benchmark("ledger.pg_writers_dedicated", unit="event", repeat=1, warmup=0,
           description=f"PostgreSQL, {PG_WRITERS} writer processes with the on-commit sequencer off and one "
                       "dedicated sequencer process (ledger checkpoint --every 0.2): commit-to-checkpoint "
                       "latency per event; throughput = committed events/s")
def pg_writers_dedicated(ctx):
    return _pg_writers_run(ctx, dedicated_interval=PG_SEQUENCER_INTERVAL)
