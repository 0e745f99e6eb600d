"""The tamper campaign: random tamperings of the kinds ``ledger verify`` must catch, each checked to be
detected and reported at the right event (``casecenter ledger tamper-campaign``).

An intruder with database access drops the triggers and changes rows. Each tampering is applied to
the same small ledger inside a transaction that is rolled back afterwards (dropping the triggers
included), so every tampering starts from a fresh, verified copy. Verification uses the public key
captured before the campaign, the one an installation publishes: a replaced key file cannot fool it.

Every event gets its own checkpoint, so that a change can be named at its exact position.
"""

from __future__ import annotations

import base64
import random
from collections import Counter
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection, transaction

from . import keys, triggers, verifier
from .integrity import verify_ledger
from .models import Checkpoint, Event
from .sequencer import sequence
from .services import record_events

KINDS = ("edit_payload", "edit_payload_and_body", "delete", "insert", "duplicate", "reorder",
         "replace_checkpoint", "replace_key")


class _RolledBack(Exception):
    """Raised to leave the atomic block of one tampering: everything it did is undone."""


@dataclass
class Outcome:
    kind: str
    expected: int
    reported: int | None
    message: str

    @property
    def ok(self) -> bool:
        return self.reported == self.expected


@dataclass
class CampaignResult:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    def by_kind(self) -> dict[str, int]:
        return dict(Counter(o.kind for o in self.outcomes))


def build_ledger(size: int) -> None:
    """``size`` events, each sequenced into its own signed checkpoint."""
    for i in range(size):
        with transaction.atomic():
            record_events([{"action": "campaign.thing.done", "subject": ("campaign.thing", i),
                            "data": {"i": i, "note": f"第{i}件", "amount": "3.20"}}], actor=None)
        sequence()


def _execute(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount


def _row(position: int) -> Event:
    return Event.objects.get(position=position)


def _copy_sql(event: Event, position: int | None) -> tuple[str, list]:
    """INSERT of a copy of ``event`` at ``position`` (a new id, same uid and bytes)."""
    columns = [f.column for f in Event._meta.concrete_fields if f.column not in ("id", "position")]
    values = [f.get_db_prep_save(getattr(event, f.attname), connection)
              for f in Event._meta.concrete_fields if f.column not in ("id", "position")]
    sql = (f"INSERT INTO ledger_event ({', '.join(columns)}, position) "  # noqa: S608 - the model's own columns
           f"VALUES ({', '.join(['%s'] * len(columns))}, %s)")
    return sql, [*values, position]


def _resign(cp: Checkpoint, private_key: Ed25519PrivateKey, **changes) -> None:
    signed = verifier.sign_checkpoint(private_key, {**cp.as_signed(), "key_id": None, **changes})
    _execute("UPDATE ledger_checkpoint SET root_hash = %s, key_id = %s, signature = %s WHERE id = %s",
             [signed["root_hash"], signed["key_id"], signed["signature"], cp.pk])


def tamper(kind: str, rng: random.Random, size: int) -> int:
    """Apply one tampering of ``kind``; return the position ``verify`` must report first."""
    p = rng.randrange(size)
    if kind == "edit_payload":
        _execute("UPDATE ledger_event SET data = %s WHERE position = %s",
                 [f'{{"i":{p},"note":"edited","amount":"9999.00"}}', p])
        return p
    if kind == "edit_payload_and_body":  # columns and bytes edited together: the tree catches it
        event = _row(p)
        event.data = '{"amount":"0.00","i":-1}'
        _execute("UPDATE ledger_event SET data = %s, body = %s WHERE position = %s",
                 [event.data, event.derive_body(), p])
        return p
    if kind == "delete":
        _execute("DELETE FROM ledger_event WHERE position = %s", [p])
        return p
    if kind == "insert":  # a forged event appended after the last signed position
        forged = _row(p)
        forged.data = '{"forged":true}'
        forged.body = forged.derive_body()
        _execute(*_copy_sql(forged, size))
        return size
    if kind == "duplicate":  # the copy gets the next free position, as a sequencer would give it
        _execute(*_copy_sql(_row(p), size))
        return size
    if kind == "reorder":
        q = rng.choice([i for i in range(size) if i != p])
        lo, hi = min(p, q), max(p, q)
        _execute("UPDATE ledger_event SET position = %s WHERE position = %s", [-1, lo])
        _execute("UPDATE ledger_event SET position = %s WHERE position = %s", [lo, hi])
        _execute("UPDATE ledger_event SET position = %s WHERE position = %s", [hi, -1])
        return lo
    if kind == "replace_checkpoint":  # a forged root, signed with a key the intruder made
        cp = Checkpoint.objects.get(tree_size=p + 1)
        _resign(cp, Ed25519PrivateKey.generate(), root_hash=bytes(rng.randbytes(len(bytes.fromhex(cp.root_hash)))))
        return p
    if kind == "replace_key":  # every checkpoint re-signed with a new key (and the key file replaced)
        intruder = Ed25519PrivateKey.generate()
        for cp in Checkpoint.objects.order_by("tree_size"):
            _resign(cp, intruder)
        # The signature alone, with the original key id kept: a forged signature.
        first = Checkpoint.objects.order_by("tree_size").first()
        if rng.random() < 0.5:
            _execute("UPDATE ledger_checkpoint SET key_id = %s, signature = %s WHERE id = %s",
                     [verifier.key_id(keys.public_key()), base64.b64encode(intruder.sign(b"x")).decode(), first.pk])
        return first.tree_size - 1
    raise ValueError(f"unknown tampering {kind!r}")


def run_campaign(count: int, *, size: int = 24, seed: int | None = None, public_key=None) -> CampaignResult:
    """``count`` random tamperings of a ledger of ``size`` events (built here unless it exists)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible tamperings, not a secret
    if not Event.objects.exists():
        build_ledger(size)
    size = Event.objects.filter(position__isnull=False).count()
    public_key = public_key or keys.public_key()
    baseline = verify_ledger(public_key=public_key)
    if not baseline.ok:
        raise RuntimeError(f"the ledger does not verify before the campaign: {baseline.first.message}")
    result = CampaignResult()
    for _ in range(count):
        kind = rng.choice(KINDS)
        try:
            with transaction.atomic():
                triggers.remove(connection)
                expected = tamper(kind, rng, size)
                report = verify_ledger(public_key=public_key)
                first = report.first
                result.outcomes.append(Outcome(kind, expected, first.position if first else None,
                                               first.message if first else "not detected"))
                raise _RolledBack
        except _RolledBack:
            pass
    after = verify_ledger(public_key=public_key)
    if not after.ok or not triggers.names(connection.vendor) or len(triggers.installed(connection)) < len(
            triggers.names(connection.vendor)):
        raise RuntimeError("a tampering outlived its rollback: the ledger or its triggers changed")
    return result
