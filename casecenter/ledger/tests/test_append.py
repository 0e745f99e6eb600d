"""``record_events`` (batches) and the single-INSERT path of ``record_event``: the same rows and bytes
as the model would write, all or nothing, and an edited column that is no longer JSON still reported."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecenter.ledger import triggers
from casecenter.ledger.integrity import verify_ledger
from casecenter.ledger.models import Event
from casecenter.ledger.sequencer import SequenceAfterCommit, sequence
from casecenter.ledger.services import _build, record_event, record_events
from casecenter.ledger.testing import assert_records, last_event_id

pytestmark = pytest.mark.django_db

TRICKY = {"amount": Decimal("0.10"), "ratio": 0.1, "big": 2**63, "neg": -0.0,
          "at": dt.datetime(2026, 1, 2, tzinfo=dt.UTC), "day": dt.date(2026, 1, 2),
          "nested": [{"b": 1, "a": [None, True]}], "名称": "案件 \"引号\" \\ \u2028"}


def test_a_batch_is_recorded_in_order_with_one_actor_snapshot(personas, rf):
    officer = personas["officer1"]
    request = rf.get("/", REMOTE_ADDR="10.9.8.7")
    request.request_id = "req-batch"
    mark = last_event_id()
    with transaction.atomic():
        events = record_events([{"action": "test.item.imported", "subject": ("test.item", i), "data": {"i": i},
                                 "case": "C-1"} for i in range(3)], actor=officer, request=request)
    assert [e.pk for e in events] == sorted(e.pk for e in events)
    event = assert_records("test.item.imported", after=mark, count=3, actor=officer, subject=("test.item", 2),
                           data={"i": 2}, case="C-1", unit=officer.unit_id, request_id="req-batch")
    assert event.pk == events[-1].pk and event.client_address == "10.9.8.7"
    assert {bytes(e.body) for e in Event.objects.filter(pk__in=[e.pk for e in events])} == {
        bytes(e.body) for e in events}


def test_the_bytes_equal_what_the_columns_derive(db):
    with transaction.atomic():
        single = record_event(actor=None, action="test.thing.done", subject=("test.thing", 1), data=TRICKY)
        [batched] = record_events([{"action": "test.thing.done", "subject": ("test.thing", 2), "data": TRICKY}],
                                  actor=None)
    for event in (single, batched):
        stored = Event.objects.get(pk=event.pk)
        assert bytes(stored.body) == stored.derive_body() == bytes(event.body)
        assert stored.uid == event.uid and stored.recorded_at == event.recorded_at


def test_a_batch_is_all_or_nothing_and_checked_before_writing(db):
    with transaction.atomic(), pytest.raises(ValueError):
        record_events([{"action": "test.thing.done", "subject": ("t", 1), "data": {}},
                       {"action": "Bad", "subject": ("t", 2), "data": {}}], actor=None)
    assert not Event.objects.exists()
    with pytest.raises(TypeError), transaction.atomic():
        record_events([{"action": "test.thing.done", "subject": ("t", 1), "data": {}},
                       {"action": "test.thing.done", "subject": ("t", 2), "data": {"x": object()}}], actor=None)
    assert not Event.objects.exists()
    with transaction.atomic():
        assert record_events([], actor=None) == []


def test_more_rows_than_one_insert_takes(db, monkeypatch):
    monkeypatch.setattr("casecenter.ledger.inserts.ROWS_PER_INSERT", 4)
    with transaction.atomic():
        events = record_events([{"action": "test.thing.done", "subject": ("t", i), "data": {"i": i}}
                                for i in range(10)], actor=None)
    stored = list(Event.objects.order_by("id").values_list("id", "subject_id"))
    assert stored == [(e.pk, str(i)) for i, e in enumerate(events)]


def test_the_sequencer_is_scheduled_once_for_batches_and_singles(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        record_events([{"action": "test.thing.done", "subject": ("t", 1), "data": {}}] * 3, actor=None)
        record_event(actor=None, action="test.thing.done", subject=("t", 2), data={})
    assert [type(c) for c in callbacks] == [SequenceAfterCommit]
    assert callbacks[0].events == 4


def test_a_column_edited_into_invalid_json_is_named_at_its_event(write_events):
    events = write_events(4)
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_event SET data = %s WHERE position = 2", ["{not json"])
    report = verify_ledger()
    assert report.first.position == 2 and report.first.event_id == events[2].pk


def test_a_large_batch_sequences_and_verifies(write_events):
    write_events(1)
    with transaction.atomic():
        record_events([{"action": "test.thing.done", "subject": ("t", i), "data": {"i": i}} for i in range(700)],
                      actor=None)
    assert sequence().sequenced == 700
    report = verify_ledger(chunk_size=128)
    assert report.ok and report.events == 701


def test_a_remembered_signature_never_vouches_for_another_checkpoint():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from casecenter.ledger import verifier

    key = Ed25519PrivateKey.generate()
    cp = verifier.sign_checkpoint(key, {"alg": "sha256", "tree_size": 3, "root_hash": b"\x01" * 32,
                                        "timestamp": "2026-01-01T00:00:00.000000Z", "key_id": None})
    assert verifier.verify_checkpoint(key.public_key(), cp)
    assert verifier.verify_checkpoint(key.public_key(), cp)  # remembered
    assert not verifier.verify_checkpoint(key.public_key(), {**cp, "tree_size": 4})
    assert not verifier.verify_checkpoint(Ed25519PrivateKey.generate().public_key(), cp)
    assert not verifier.verify_checkpoint(key.public_key(), {**cp, "signature": ["not", "a", "string"]})


_text = st.text(max_size=12)
_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                     | _text, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
                     max_leaves=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject_id=_text, case=st.none() | _text, person=st.none() | _text, unit=st.none() | st.integers(0, 2**62),
       data=st.dictionaries(_text, _json, max_size=4))
def test_the_assembled_bytes_are_what_the_columns_derive(subject_id, case, person, unit, data):
    event = _build(None, {"kind": "system"}, '{"kind":"system"}', None, action="test.thing.done",
                   subject=("test.thing", subject_id), data=data, case=case, person=person, unit=unit)
    assert bytes(event.body) == event.derive_body()


def test_a_backlog_is_signed_in_bounded_runs(write_events):
    """Under a steady stream of commits, a run that took "everything" would never end nor sign."""
    write_events(1)
    with transaction.atomic():
        record_events([{"action": "test.thing.done", "subject": ("t", i), "data": {}} for i in range(25)],
                      actor=None)
    first = sequence(batch_size=10, max_events=10)
    assert first.sequenced == 10 and first.checkpoint.tree_size == 11
    assert sequence(batch_size=10, max_events=10).sequenced == 10
    assert sequence(batch_size=10, max_events=10).sequenced == 5
    assert verify_ledger().ok
