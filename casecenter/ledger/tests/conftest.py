"""Fixtures for the ledger: a private checkpoint key per test, and a way to write a few events."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction

from casecenter.ledger import keys, triggers, verifier
from casecenter.ledger.sequencer import sequence
from casecenter.ledger.services import record_event


@pytest.fixture(autouse=True)
def _empty_ledger(request):
    """Each ledger test starts from an empty ledger, as these tests count positions and checkpoints
    from zero; but ``migrate`` records the loading of the shipped statutes into every new database.
    The rows are removed inside the test's transaction (the triggers lifted and put back there too),
    so the rollback at the end of the test restores them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))) or \
        "transactional_db" in request.fixturenames
    if not (marker or transactional or "db" in request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.db import connection

    with transaction.atomic():
        triggers.remove(connection)
        with connection.cursor() as cursor:
            for table in ("ledger_checkpoint", "ledger_treenode", "ledger_event"):
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        triggers.install(connection)
    yield


@pytest.fixture
def ledger_key(settings, tmp_path):
    """A fresh checkpoint key in a temporary file, so no test signs with another test's key."""
    path = tmp_path / "ledger-ed25519.pem"
    verifier.save_private_key(path, Ed25519PrivateKey.generate())
    settings.CASECENTER = {**settings.CASECENTER, "LEDGER_KEY_FILE": str(path)}
    keys.forget()
    yield path
    keys.forget()


@pytest.fixture
def write_events(db, ledger_key):
    """``write_events(n, checkpoint_each=True)``: n events, each sequenced into its own checkpoint
    (so that a tampering can be named at its event) or all in one batch."""

    def _write(n: int, *, checkpoint_each: bool = True, action: str = "test.thing.done") -> list:
        events = []
        for i in range(n):
            with transaction.atomic():
                events.append(record_event(actor=None, action=action, subject=("test.thing", i),
                                           data={"i": i, "note": f"第{i}件"}))
            if checkpoint_each:
                sequence()
        sequence()
        for event in events:
            event.refresh_from_db()
        return events

    return _write
