"""``ledger verify`` after an intruder dropped the triggers: every kind of tampering is caught and
named at the event (or checkpoint) where it happened."""

from __future__ import annotations

import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection

from casecenter.ledger import keys, triggers, verifier
from casecenter.ledger.integrity import verify_ledger
from casecenter.ledger.models import Checkpoint, Event

N = 8
AT = 3  # the position tampered with


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def ledger(write_events):
    """Eight events, each in its own checkpoint, and the triggers dropped."""
    events = write_events(N)
    triggers.remove(connection)
    return events


def forge(template: Event, *, position: int) -> Event:
    """A well-formed event that the application never wrote, inserted at ``position``."""
    forged = Event(**{f.attname: getattr(template, f.attname) for f in Event._meta.concrete_fields
                      if f.attname not in ("id", "position", "uid")})
    forged.uid = uuid.uuid4()
    forged.body = forged.derive_body()
    forged.position = position
    forged.save()
    return forged


def first(report):
    assert not report.ok, "the tampering went unnoticed"
    return report.first


def at(events, position):
    return next(e for e in events if e.position == position)


@pytest.mark.django_db
class TestVerify:
    def test_an_untouched_ledger_verifies(self, ledger):
        report = verify_ledger(chunk_size=3)
        assert report.ok, report.findings
        assert (report.events, report.checkpoints, report.unsequenced) == (N, N, 0)

    def test_an_edited_payload_is_named_at_its_event(self, ledger):
        victim = at(ledger, AT)
        sql("UPDATE ledger_event SET data = %s WHERE id = %s", ['{"i":99,"note":"改"}', victim.pk])
        finding = first(verify_ledger())
        assert finding.position == AT and finding.event_id == victim.pk
        assert "columns do not match" in finding.message

    def test_an_edited_payload_with_rewritten_bytes_is_named_at_its_event(self, ledger):
        victim = at(ledger, AT)
        victim.data = '{"i":99}'
        sql("UPDATE ledger_event SET data = %s, body = %s WHERE id = %s",
            [victim.data, victim.derive_body(), victim.pk])
        finding = first(verify_ledger())
        assert finding.position == AT and finding.event_id == victim.pk
        assert "tree leaf" in finding.message

    def test_a_rewritten_leaf_too_is_caught_by_the_signed_root(self, ledger):
        victim = at(ledger, AT)
        victim.data = '{"i":99}'
        body = victim.derive_body()
        sql("UPDATE ledger_event SET data = %s, body = %s WHERE id = %s", [victim.data, body, victim.pk])
        sql('UPDATE ledger_treenode SET hash = %s WHERE level = 0 AND "index" = %s', [verifier.leaf_hash(body), AT])
        report = verify_ledger()
        finding = first(report)
        assert finding.position == AT
        assert f"between positions {AT} and {AT}" in " ".join(f.message for f in report.findings)

    def test_a_deleted_row_is_named_at_its_position(self, ledger):
        sql("DELETE FROM ledger_event WHERE position = %s", [AT])
        finding = first(verify_ledger())
        assert finding.position == AT and "no event" in finding.message

    def test_an_inserted_row_at_the_end_is_named(self, ledger):
        forged = forge(at(ledger, 0), position=N)
        finding = first(verify_ledger())
        assert finding.position == N and finding.event_id == forged.pk

    def test_a_row_inserted_in_the_middle_is_named(self, ledger):
        for position in range(N - 1, AT - 1, -1):
            sql("UPDATE ledger_event SET position = position + 1 WHERE position = %s", [position])
        forged = forge(at(ledger, 0), position=AT)
        finding = first(verify_ledger())
        assert finding.position == AT and finding.event_id == forged.pk

    def test_a_duplicated_row_is_named(self, ledger):
        original = at(ledger, AT)
        copy = Event(**{f.attname: getattr(original, f.attname) for f in Event._meta.concrete_fields
                        if f.attname not in ("id", "position")})
        copy.save()
        report = verify_ledger()
        finding = first(report)
        assert finding.event_id == copy.pk and f"duplicates event #{original.pk}" in finding.message

    def test_two_swapped_rows_are_named_at_the_first(self, ledger):
        a, b = at(ledger, 2), at(ledger, 5)
        sql("UPDATE ledger_event SET position = -1 WHERE id = %s", [a.pk])
        sql("UPDATE ledger_event SET position = 2 WHERE id = %s", [b.pk])
        sql("UPDATE ledger_event SET position = 5 WHERE id = %s", [a.pk])
        report = verify_ledger()
        finding = first(report)
        assert finding.position == 2 and finding.event_id == b.pk
        assert any(f.position == 5 and f.event_id == a.pk for f in report.findings)

    def test_a_replaced_checkpoint_is_named(self, ledger):
        checkpoint = Checkpoint.objects.get(tree_size=AT + 1)
        sql("UPDATE ledger_checkpoint SET root_hash = %s WHERE id = %s", ["00" * 32, checkpoint.pk])
        finding = first(verify_ledger())
        assert finding.position == AT and f"checkpoint #{checkpoint.pk}" in finding.message

    def test_a_checkpoint_signed_with_another_key_is_named(self, ledger):
        checkpoint = Checkpoint.objects.get(tree_size=AT + 1)
        forged = verifier.sign_checkpoint(Ed25519PrivateKey.generate(), {**checkpoint.as_signed(), "key_id": None})
        sql("UPDATE ledger_checkpoint SET key_id = %s, signature = %s WHERE id = %s",
            [forged["key_id"], forged["signature"], checkpoint.pk])
        finding = first(verify_ledger())
        assert finding.position == AT and "names key" in finding.message

    def test_a_replaced_key_is_caught(self, ledger, settings, tmp_path):
        path = tmp_path / "replaced.pem"
        verifier.save_private_key(path, Ed25519PrivateKey.generate())
        settings.CASECENTER = {**settings.CASECENTER, "LEDGER_KEY_FILE": str(path)}
        keys.forget()
        finding = first(verify_ledger())
        assert finding.position == 0 and "names key" in finding.message

    def test_a_replaced_key_with_resigned_checkpoints_is_caught_by_the_published_key(self, ledger, settings,
                                                                                       tmp_path):
        published = keys.public_key()
        intruder = Ed25519PrivateKey.generate()
        for checkpoint in Checkpoint.objects.all():
            forged = verifier.sign_checkpoint(intruder, {**checkpoint.as_signed(), "key_id": None})
            sql("UPDATE ledger_checkpoint SET key_id = %s, signature = %s WHERE id = %s",
                [forged["key_id"], forged["signature"], checkpoint.pk])
        path = tmp_path / "intruder.pem"
        verifier.save_private_key(path, intruder)
        settings.CASECENTER = {**settings.CASECENTER, "LEDGER_KEY_FILE": str(path)}
        keys.forget()
        assert verify_ledger().ok  # the installation's own key now agrees with the forgery …
        finding = first(verify_ledger(public_key=published))  # … the published one does not
        assert finding.position == 0 and "names key" in finding.message

    def test_a_checkpoint_removed_at_the_end_leaves_events_uncovered(self, ledger):
        last = Checkpoint.objects.get(tree_size=N)
        sql("DELETE FROM ledger_checkpoint WHERE id = %s", [last.pk])
        finding = first(verify_ledger())
        assert finding.position == N - 1 and "no signed checkpoint" in finding.message

    def test_a_deleted_last_row_is_caught_by_its_checkpoint(self, ledger):
        sql("DELETE FROM ledger_event WHERE position = %s", [N - 1])
        finding = first(verify_ledger())
        assert finding.position == N - 1
