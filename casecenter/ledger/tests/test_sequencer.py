"""record_event, the sequencer and the checkpoints it signs; proofs from the stored tree."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import transaction

from casecenter.core import clock
from casecenter.ledger import keys, merkle, proofs, tree, verifier
from casecenter.ledger.models import Checkpoint, Event, TreeNode
from casecenter.ledger.sequencer import SequenceAfterCommit, latest_checkpoint, sequence
from casecenter.ledger.services import NotInTransaction, record_event

T0 = dt.datetime(2026, 3, 2, 9, 30, 0, 123456, tzinfo=dt.UTC)


@pytest.mark.django_db
class TestRecordEvent:
    def test_an_event_outside_a_transaction_is_refused(self):
        # pytest-django wraps the test in a transaction; leave it to see what a bare call does.
        connection = transaction.get_connection()
        saved = connection.in_atomic_block
        connection.in_atomic_block = False
        try:
            with pytest.raises(NotInTransaction):
                record_event(actor=None, action="test.thing.done", subject=("test.thing", 1), data={})
        finally:
            connection.in_atomic_block = saved
        assert not Event.objects.exists()

    def test_an_event_is_written_unsequenced_with_its_canonical_bytes(self, personas):
        officer = personas["officer1"]
        with clock.frozen(T0), transaction.atomic():
            event = record_event(actor=officer, action="test.case.filed", subject=officer.unit,
                                 data={"amount": Decimal("12.50"), "at": T0, "名称": "案件"},
                                 case=42, person="P-7")
        event.refresh_from_db()
        assert event.position is None
        assert event.subject_type == "accounts.unit" and event.subject_id == str(officer.unit.pk)
        assert event.case_id == "42" and event.person_id == "P-7" and event.unit_id == officer.unit_id
        assert event.actor == {"kind": "user", "id": officer.pk, "username": "officer1", "name": "王建国",
                               "roles": ["case_officer"], "unit": {"id": officer.unit_id, "name": officer.unit.name}}
        assert event.facts == {"amount": "12.50", "at": "2026-03-02T09:30:00.123456Z", "名称": "案件"}
        assert bytes(event.body) == event.derive_body()
        assert b'"recorded_at":"2026-03-02T09:30:00.123456Z"' in bytes(event.body)

    def test_the_system_and_an_anonymous_caller_are_said_so(self, db, rf):
        with transaction.atomic():
            system = record_event(actor=None, action="test.thing.done", subject=("test.thing", None), data={})
            request = rf.get("/", REMOTE_ADDR="10.1.2.3")
            request.request_id = "req-12345678"
            anonymous = record_event(actor=None, action="test.thing.done", subject=("test.thing", 1), data={},
                                     request=request)
        assert system.actor == {"kind": "system"} and system.subject_id == ""
        assert anonymous.actor == {"kind": "anonymous"}
        assert anonymous.client_address == "10.1.2.3" and anonymous.request_id == "req-12345678"

    def test_a_malformed_action_is_refused(self, db):
        with transaction.atomic(), pytest.raises(ValueError):
            record_event(actor=None, action="Login", subject=("test.thing", 1), data={})

    def test_the_sequencer_is_scheduled_once_per_transaction(self, db, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
            for i in range(3):
                record_event(actor=None, action="test.thing.done", subject=("test.thing", i), data={})
        assert [type(c) for c in callbacks] == [SequenceAfterCommit]
        assert callbacks[0].events == 3

    def test_a_rolled_back_change_leaves_no_event(self, db):
        with pytest.raises(RuntimeError), transaction.atomic():
            record_event(actor=None, action="test.thing.done", subject=("test.thing", 1), data={})
            raise RuntimeError("the change failed")
        assert not Event.objects.exists()


@pytest.mark.django_db
class TestSequencer:
    def test_positions_follow_ids_and_a_checkpoint_is_signed(self, write_events, ledger_key):
        events = write_events(5, checkpoint_each=False)
        assert [e.position for e in events] == [0, 1, 2, 3, 4]
        checkpoint = latest_checkpoint()
        leaves = [merkle.leaf_hash(bytes(e.body)) for e in events]
        assert checkpoint.tree_size == 5 and checkpoint.root_hash == merkle.merkle_root(leaves).hex()
        assert verifier.verify_checkpoint(keys.public_key(), checkpoint.as_signed())
        assert Checkpoint.objects.count() == 1

    def test_a_lone_transaction_is_sequenced_without_waiting(self, ledger_key, monkeypatch):
        """Linger waits for other writers' commits to join a batch: a run started by one commit
        whose batch is only that commit's events (however many) must not wait."""
        from casecenter.ledger import sequencer

        sleeps = []
        monkeypatch.setattr(sequencer.time, "sleep", sleeps.append)
        with transaction.atomic():
            for i in range(3):
                record_event(actor=None, action="test.thing.done", subject=("test.thing", i), data={})
        assert sequence(linger=0.005, own=3).sequenced == 3 and sleeps == []
        with transaction.atomic():  # two commits before the run: the batch holds another writer's events
            for i in range(3):
                record_event(actor=None, action="test.thing.done", subject=("test.thing", i), data={})
        record_event_in_own_transaction = transaction.atomic()(lambda: record_event(
            actor=None, action="test.thing.done", subject=("test.thing", 9), data={}))
        record_event_in_own_transaction()
        assert sequence(linger=0.005, own=1).sequenced == 4 and sleeps == [0.005]

    def test_a_large_lone_transaction_never_waits_on_its_later_batches(self, ledger_key, monkeypatch):
        from casecenter.ledger import sequencer
        from casecenter.ledger.services import record_events

        sleeps = []
        monkeypatch.setattr(sequencer.time, "sleep", sleeps.append)
        with transaction.atomic():
            record_events([{"action": "test.thing.done", "subject": ("test.thing", i), "data": {}}
                           for i in range(250)], actor=None)
        assert sequence(batch_size=100, linger=0.005, own=250).sequenced == 250 and sleeps == []

    def test_a_commit_larger_than_one_run_is_sequenced_to_the_end(self, ledger_key, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
        """One run stops at max_events; the on-commit sequencer goes on until every event is in."""
        from casecenter.ledger import sequencer
        from casecenter.ledger.services import record_events

        monkeypatch.setattr(sequencer, "MAX_EVENTS", 100)
        monkeypatch.setattr(sequencer, "BATCH_SIZE", 40)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            record_events([{"action": "test.thing.done", "subject": ("test.thing", i), "data": {}}
                           for i in range(250)], actor=None)
        assert not Event.objects.filter(position__isnull=True).exists()
        assert latest_checkpoint().tree_size == 250

    def test_nothing_to_sequence_signs_nothing(self, write_events):
        write_events(2)
        count = Checkpoint.objects.count()
        assert sequence().sequenced == 0 and Checkpoint.objects.count() == count

    def test_the_stored_tree_holds_fewer_than_twice_the_leaves(self, write_events):
        write_events(13)
        assert TreeNode.objects.count() == 2 * 13 - bin(13).count("1") < 2 * 13
        assert TreeNode.objects.filter(level=0).count() == 13

    def test_the_stored_tree_gives_the_reference_proofs(self, write_events):
        events = write_events(11, checkpoint_each=False)
        reference = merkle.MerkleTree([merkle.leaf_hash(bytes(e.body)) for e in events])
        for size in range(1, 12):
            assert tree.root(size, "sha256") == reference.root(size)
            for index in range(size):
                assert tree.inclusion_path(index, size, "sha256") == reference.inclusion_proof(index, size)
            for old in range(1, size + 1):
                assert tree.consistency_path(old, size, "sha256") == reference.consistency_proof(old, size)

    def test_an_inclusion_proof_needs_one_query(self, write_events, django_assert_num_queries):
        write_events(40, checkpoint_each=False)
        with django_assert_num_queries(1):
            tree.inclusion_path(17, 40, "sha256")

    def test_every_event_proves_against_the_latest_checkpoint(self, write_events, ledger_key):
        events = write_events(9)
        public_key = keys.public_key()
        for event in events:
            bundle = json.loads(json.dumps(proofs.event_bundle(event)))
            assert verifier.verify_bundle(bundle, public_key).ok
            assert bundle["index"] == event.position and bundle["tree_size"] == 9

    def test_consecutive_checkpoints_are_consistent(self, write_events):
        write_events(6)
        checkpoints = list(Checkpoint.objects.order_by("tree_size"))
        for old, new in zip(checkpoints, checkpoints[1:], strict=False):
            proof = tree.consistency_path(old.tree_size, new.tree_size, "sha256")
            assert merkle.verify_consistency("sha256", old.tree_size, new.tree_size, proof,
                                             bytes.fromhex(old.root_hash), bytes.fromhex(new.root_hash))

    def test_sm3_builds_and_proves_the_same_way(self, settings, write_events, ledger_key):
        settings.CASECENTER = {**settings.CASECENTER, "LEDGER_HASH": "sm3"}
        events = write_events(5)
        checkpoint = latest_checkpoint()
        assert checkpoint.alg == "sm3"
        leaves = [merkle.leaf_hash(bytes(e.body), "sm3") for e in events]
        assert checkpoint.root_hash == merkle.merkle_root(leaves, "sm3").hex()
        assert verifier.verify_bundle(proofs.event_bundle(events[2]), keys.public_key()).ok

    def test_the_hash_cannot_change_under_an_existing_ledger(self, settings, write_events):
        write_events(1)
        settings.CASECENTER = {**settings.CASECENTER, "LEDGER_HASH": "sm3"}
        with transaction.atomic():
            record_event(actor=None, action="test.thing.done", subject=("test.thing", 9), data={})
        with pytest.raises(Exception, match="sha256"):
            sequence()

    def test_an_unsequenced_event_has_no_proof_yet(self, write_events):
        write_events(1)
        with transaction.atomic():
            event = record_event(actor=None, action="test.thing.done", subject=("test.thing", 9), data={})
        with pytest.raises(proofs.Conflict):
            proofs.event_bundle(event)

    def test_the_key_is_generated_once_with_owner_only_access(self, settings, tmp_path):
        settings.VAR_DIR = tmp_path
        settings.CASECENTER = {**settings.CASECENTER, "LEDGER_KEY_FILE": None}
        keys.forget()
        try:
            first = keys.public_key_pem()
            keys.forget()
            assert keys.public_key_pem() == first
            path = tmp_path / "keys" / "ledger-ed25519.pem"
            assert path.stat().st_mode & 0o777 == 0o600
        finally:
            keys.forget()

    def test_a_configured_key_file_that_is_missing_is_an_error(self, settings, tmp_path):
        settings.CASECENTER = {**settings.CASECENTER, "LEDGER_KEY_FILE": str(tmp_path / "nope.pem")}
        keys.forget()
        try:
            with pytest.raises(Exception, match="does not exist"):
                keys.private_key()
        finally:
            keys.forget()



@pytest.mark.django_db(transaction=True)
def test_only_one_sequencer_positions_an_event(write_events, settings):
    # Transactional: inside the usual test transaction this connection would keep the lock itself.
    from django.db import connection

    if connection.vendor != "postgresql":
        # SQLite: BEGIN IMMEDIATE serialises sequencers; the one that runs second finds nothing left
        # and signs no second checkpoint for the same events.
        settings.CASECENTER = {**settings.CASECENTER, "LEDGER_SEQUENCE_ON_COMMIT": False}
        with transaction.atomic():
            record_event(actor=None, action="test.thing.done", subject=("test.thing", 2), data={})
        checkpoints = Checkpoint.objects.count()
        assert sequence().sequenced == 1
        second = sequence()
        assert second.sequenced == 0 and second.checkpoint is None
        assert Checkpoint.objects.count() == checkpoints + 1
        return
    import psycopg

    from casecenter.ledger.sequencer import LOCK_KEY

    write_events(1)
    settings.CASECENTER = {**settings.CASECENTER, "LEDGER_SEQUENCE_ON_COMMIT": False}
    with transaction.atomic():
        record_event(actor=None, action="test.thing.done", subject=("test.thing", 2), data={})
    params = connection.get_connection_params()
    other = psycopg.connect(**{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port", "password")})
    try:
        assert other.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY]).fetchone()[0]
        assert sequence().locked_out
        assert Event.objects.filter(position__isnull=True).count() == 1
        other.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        assert sequence().sequenced == 1
    finally:
        other.close()
