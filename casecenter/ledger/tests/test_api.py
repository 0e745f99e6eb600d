"""The ledger's API: events with filters, an event's proof, the latest checkpoint, consistency
proofs between two tree sizes and the published public key."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.ledger import keys, merkle, tree, verifier
from casecenter.ledger.models import Checkpoint
from casecenter.ledger.testing import assert_records, last_event_id

pytestmark = pytest.mark.django_db


def test_the_audit_administrator_lists_events_with_filters(login_as, write_events):
    events = write_events(5)
    client = login_as("auditadmin")
    body = client.get(reverse("api:ledger-event-list"), {"action": "test.thing.done", "limit": 2}).json()
    assert body["count"] == 5
    assert [row["id"] for row in body["results"]] == [events[4].pk, events[3].pk]
    first = body["results"][0]
    assert first["position"] == events[4].position and first["checkpoint_size"] == events[4].position + 1
    assert first["facts"] == {"i": 4, "note": "第4件"} and first["actor"] == {"kind": "system"}
    assert first["description"] == "test.thing.done"
    by_subject = client.get(reverse("api:ledger-event-list"), {"subject_type": "test.thing", "subject_id": "2"}).json()
    assert [row["id"] for row in by_subject["results"]] == [events[2].pk]


def test_bad_event_filters_are_field_errors(login_as, ledger_key):
    response = login_as("auditadmin").get(reverse("api:ledger-event-list"), {"since": "soon", "until": "2026-01-01"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation" and set(error["fields"]) == {"since"}
    backwards = login_as("auditadmin").get(reverse("api:ledger-event-list"),
                                           {"since": "2026-02-01", "until": "2026-01-01"})
    assert set(backwards.json()["error"]["fields"]) == {"until"}


def test_the_event_list_costs_the_same_queries_for_more_rows(login_as, write_events):
    client = login_as("auditadmin")
    write_events(3)
    client.get(reverse("api:ledger-event-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("api:ledger-event-list"))
    write_events(30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("api:ledger-event-list"))
    assert len(response.json()["results"]) > 30
    assert len(many) == len(few)


def test_an_events_proof_verifies_and_its_export_is_recorded(login_as, write_events, personas):
    event = write_events(4)[2]
    mark = last_event_id()
    response = login_as("auditadmin").get(reverse("api:ledger-event-proof", args=[event.pk]))
    assert response.status_code == 200
    assert verifier.verify_bundle(response.json(), keys.public_key())
    assert_records("ledger.proof.exported", after=mark, actor=personas["auditadmin"], data={"index": event.position})


def test_an_unknown_events_proof_is_not_found(login_as, ledger_key):
    response = login_as("auditadmin").get(reverse("api:ledger-event-proof", args=[999999]))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_latest_checkpoint_is_signed(login_as, write_events):
    write_events(3)
    body = login_as("auditadmin").get(reverse("api:ledger-checkpoint")).json()
    assert body["tree_size"] == Checkpoint.objects.order_by("-tree_size").first().tree_size
    assert verifier.verify_checkpoint(keys.public_key(), body)


def test_a_consistency_proof_between_two_checkpoints_verifies(login_as, write_events, settings):
    write_events(7)
    alg = settings.CASECENTER["LEDGER_HASH"]
    latest = Checkpoint.objects.order_by("-tree_size").first().tree_size
    response = login_as("auditadmin").get(reverse("api:ledger-consistency"), {"first": 3, "second": latest})
    assert response.status_code == 200
    body = response.json()
    proof = [bytes.fromhex(h) for h in body["proof"]]
    assert merkle.verify_consistency(alg, 3, latest, proof, tree.root(3, alg), tree.root(latest, alg))


@pytest.mark.parametrize(("params", "field"), [
    ({"first": "x", "second": 2}, "first"), ({"second": 2}, "first"), ({"first": 0, "second": 2}, "first"),
    ({"first": 3, "second": 2}, "first"), ({"first": 1, "second": 10_000}, "second"),
])
def test_consistency_sizes_are_validated(login_as, write_events, params, field):
    write_events(3)
    response = login_as("auditadmin").get(reverse("api:ledger-consistency"), params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation" and field in error["fields"], error


def test_every_signed_in_account_may_fetch_the_public_key(login_as, ledger_key):
    for username in ("procurator", "officer1", "auditadmin"):
        response = login_as(username).get(reverse("api:ledger-public-key"))
        assert response.status_code == 200
        assert verifier.load_public_key(response.content).public_bytes_raw() == keys.public_key().public_bytes_raw()
