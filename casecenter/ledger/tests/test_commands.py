"""``casecenter ledger …``: prove, verify-proof, verify, checkpoint, export-key."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from casecenter.ledger import keys, triggers, verifier
from casecenter.ledger.models import Checkpoint, Event
from casecenter.ledger.services import record_event


def run(*args) -> str:
    out = io.StringIO()
    call_command("ledger", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
class TestLedgerCommand:
    def test_checkpoint_sequences_pending_events(self, ledger_key):
        with transaction.atomic():
            for i in range(3):
                record_event(actor=None, action="test.thing.done", subject=("test.thing", i), data={"i": i})
        assert "Sequenced 3 events" in run("checkpoint")
        assert Checkpoint.objects.get().tree_size == 3
        assert not Event.objects.filter(position__isnull=True).exists()

    def test_checkpoint_every_keeps_sequencing_as_the_safety_net(self, ledger_key):
        with transaction.atomic():
            record_event(actor=None, action="test.thing.done", subject=("test.thing", 1), data={})
        output = run("checkpoint", "--every", "0.01", "--runs", "2")
        assert output.count("Sequenced") == 2
        assert "Sequenced 1 events" in output and "Sequenced 0 events" in output
        assert Checkpoint.objects.get().tree_size == 1

    def test_checkpoint_every_needs_a_positive_interval(self, ledger_key):
        with pytest.raises(CommandError, match="positive"):
            run("checkpoint", "--every", "0")

    def test_an_empty_ledger_says_so(self, ledger_key):
        assert "empty" in run("checkpoint")

    def test_a_proof_written_to_a_file_verifies_against_the_exported_key(self, write_events, tmp_path):
        events = write_events(5)
        bundle_path, key_path = tmp_path / "proof.json", tmp_path / "key.pem"
        run("prove", str(events[2].pk), "--output", str(bundle_path))
        key_path.write_text(run("export-key"))
        assert verifier.verify_bundle(json.loads(bundle_path.read_text()), verifier.load_public_key(key_path)).ok
        assert "OK" in run("verify-proof", str(bundle_path), "--public-key", str(key_path))
        assert verifier.main([str(bundle_path), "--public-key", str(key_path)]) == 0

    def test_prove_accepts_the_uid_and_prints_to_stdout(self, write_events):
        event = write_events(2)[1]
        bundle = json.loads(run("prove", str(event.uid)))
        assert bundle["index"] == 1 and verifier.verify_bundle(bundle, keys.public_key()).ok

    def test_a_tampered_bundle_fails(self, write_events, tmp_path):
        events = write_events(3)
        bundle = json.loads(run("prove", str(events[0].pk)))
        bundle["index"] = 1
        path = tmp_path / "proof.json"
        path.write_text(json.dumps(bundle))
        with pytest.raises(CommandError, match="FAILED"):
            run("verify-proof", str(path))

    def test_prove_refuses_an_unknown_event(self, write_events):
        write_events(1)
        with pytest.raises(CommandError, match="no event"):
            run("prove", "999999")

    def test_verify_passes_and_then_names_the_edited_event(self, write_events):
        events = write_events(4)
        assert run("verify").startswith("OK: 4 events, 4 checkpoints")
        triggers.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE ledger_event SET data = '{}' WHERE id = %s", [events[1].pk])
        with pytest.raises(CommandError, match=f"First mismatch: event #{events[1].pk} "):
            run("verify")
