"""The audit administrator's pages: the ledger browser with its filters and pages, an event with its
proof, the timeline fragment and the home panel. Refusals for everyone else are walked by
accounts/tests/test_access_matrix.py."""

from __future__ import annotations

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.ledger import keys, verifier
from casecenter.ledger.describe import describe
from casecenter.ledger.models import Event
from casecenter.ledger.sequencer import sequence
from casecenter.ledger.services import record_event
from casecenter.ledger.testing import assert_no_records, assert_records, last_event_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_events(personas, ledger_key):
    """Officer 王建国 records three steps of case C-1 about person P-9, then one of another case."""
    officer = personas["officer1"]
    events = []
    for step in range(3):
        with transaction.atomic():
            events.append(record_event(actor=officer, action="test.case.step", subject=("test.case", "C-1"),
                                       case="C-1", person="P-9", data={"step": step}))
    with transaction.atomic():
        events.append(record_event(actor=personas["officer2"], action="test.case.step", subject=("test.case", "C-2"),
                                   case="C-2", data={"step": 0}))
    sequence()
    for event in events:
        event.refresh_from_db()
    return events


def test_the_ledger_browser_lists_events_newest_first_with_their_checkpoint(login_as, case_events):
    response = login_as("auditadmin").get(reverse("ledger:events"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["event"].pk for row in rows] == sorted((row["event"].pk for row in rows), reverse=True)
    newest = rows[0]["event"]
    assert newest.pk == case_events[-1].pk and newest.checkpoint_size > newest.position
    assert reverse("ledger:event", args=[newest.pk]) in response.content.decode()


def test_the_ledger_browser_filters_by_case_person_actor_and_subject(login_as, case_events, personas):
    client = login_as("auditadmin")
    by_case = client.get(reverse("ledger:events"), {"case": "C-1"}).context["rows"]
    assert {row["event"].pk for row in by_case} == {e.pk for e in case_events[:3]}
    by_person = client.get(reverse("ledger:events"), {"person": "P-9", "action": "test.case"}).context["rows"]
    assert len(by_person) == 3
    by_actor = client.get(reverse("ledger:events"), {"actor": "officer2"}).context["rows"]
    assert [row["event"].pk for row in by_actor] == [case_events[-1].pk]
    by_subject = client.get(reverse("ledger:events"), {"subject_type": "test.case", "subject_id": "C-2"})
    assert [row["event"].pk for row in by_subject.context["rows"]] == [case_events[-1].pk]


def test_the_ledger_browser_filters_by_local_dates(login_as, case_events):
    day = case_events[0].recorded_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).date()
    client = login_as("auditadmin")
    same_day = client.get(reverse("ledger:events"), {"since": day.isoformat(), "until": day.isoformat(), "case": "C-1"})
    assert len(same_day.context["rows"]) == 3
    later = client.get(reverse("ledger:events"), {"since": day.replace(year=day.year + 1).isoformat()})
    assert later.context["rows"] == []


@pytest.mark.parametrize(("params", "field"), [
    ({"since": "yesterday"}, "since"), ({"since": "2026-05-03", "until": "2026-05-01"}, "until"),
    ({"action": "not an action"}, "action"),
])
def test_bad_filter_input_is_a_field_error_not_a_crash(login_as, case_events, params, field):
    response = login_as("auditadmin").get(reverse("ledger:events"), params)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    label = str(response.context["form"].fields[field].label)
    assert any(error.startswith(label) for error in response.context["errors"])


def test_the_ledger_browser_pages_by_fifty(login_as, write_events):
    write_events(60, checkpoint_each=False)
    client = login_as("auditadmin")
    first = client.get(reverse("ledger:events"), {"action": "test.thing.done"})
    second = client.get(reverse("ledger:events"), {"action": "test.thing.done", "page": 2})
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 10
    assert "action=test.thing.done&amp;page=2" in first.content.decode()


def test_the_ledger_browser_costs_the_same_queries_for_more_rows(login_as, write_events):
    client = login_as("auditadmin")
    write_events(3)
    client.get(reverse("ledger:events"))   # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ledger:events"))
    write_events(30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("ledger:events"))
    assert len(response.context["rows"]) > 30
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_an_event_page_shows_its_facts_and_a_verified_proof(login_as, case_events):
    event = case_events[0]
    response = login_as("auditadmin").get(reverse("ledger:event", args=[event.pk]))
    assert response.status_code == 200
    assert response.context["proof_status"] == "verified"
    page = response.content.decode()
    assert '&quot;step&quot;: 0' in page and str(event.uid) in page
    assert reverse("ledger:event_proof", args=[event.pk]) in page
    assert response.context["actor_roles"] in ("Case officer", "办案民警")  # the role's name, not its code


def test_the_downloaded_proof_verifies_and_the_download_is_recorded(login_as, case_events, personas):
    event = case_events[1]
    mark = last_event_id()
    response = login_as("auditadmin").get(reverse("ledger:event_proof", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="event-{event.uid}-proof.json"'
    bundle = json.loads(response.content)
    assert verifier.verify_bundle(bundle, keys.public_key())
    recorded = assert_records("ledger.proof.exported", after=mark, count=1, actor=personas["auditadmin"],
                              subject=("ledger.event", event.pk),
                              data={"event": str(event.uid), "index": event.position})
    assert str(event.uid) in describe(recorded)


def test_an_unsequenced_event_has_no_proof_to_download(login_as, personas, ledger_key):
    with transaction.atomic():
        event = record_event(actor=personas["officer1"], action="test.case.step", subject=("test.case", "C-3"),
                             data={})
    mark = last_event_id()
    client = login_as("auditadmin")
    assert client.get(reverse("ledger:event", args=[event.pk])).context["proof_status"] == "pending"
    response = client.get(reverse("ledger:event_proof", args=[event.pk]))
    assert response.status_code == 404
    assert f"{event.pk}" in response.context["message"]
    assert 'data-testid="error-message"' in response.content.decode()
    assert_no_records("ledger.proof.exported", after=mark)


def test_a_missing_event_is_not_found(login_as, ledger_key):
    assert login_as("auditadmin").get(reverse("ledger:event", args=[999999])).status_code == 404


def test_the_timeline_fragment_tells_a_case_in_order(login_as, case_events):
    client = login_as("auditadmin")
    response = client.get(reverse("ledger:timeline"), {"case": "C-1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [row["event"].pk for row in response.context["rows"]] == [e.pk for e in case_events[:3]]
    assert "<html" not in response.content.decode()
    subject = client.get(reverse("ledger:timeline"), {"subject_type": "test.case", "subject_id": "C-2"})
    assert [row["event"].pk for row in subject.context["rows"]] == [case_events[-1].pk]


def test_the_timeline_without_parameters_is_a_page_that_says_what_it_needs(login_in_english, case_events):
    client = login_in_english("auditadmin")
    page = client.get(reverse("ledger:timeline"))
    assert page.status_code == 400
    body = page.content.decode()
    assert "<html" in body and 'data-testid="timeline-help"' in body and "?case=" in body
    assert reverse("ledger:events") in body
    fragment = client.get(reverse("ledger:timeline"), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 400 and "<html" not in fragment.content.decode()
    assert "a case" in fragment.content.decode()


def test_the_audit_home_shows_the_record_size_checkpoint_and_that_it_was_never_verified(login_as, case_events):
    client = login_as("auditadmin")
    assert reverse("ledger:checkpoint_panel") in client.get(reverse("web:home")).content.decode()
    panel = client.get(reverse("ledger:checkpoint_panel"))
    size = panel.context["size"]
    assert size.checkpoint.tree_size == Event.objects.filter(position__isnull=False).count()
    assert size.total == Event.objects.count()
    assert panel.context["last"] is None
    assert 'data-state="none"' in panel.content.decode()
    assert reverse("jobs:ledger_verification") in panel.content.decode()


def test_only_the_audit_administrator_sees_the_audit_record_in_the_menu(login_as):
    url = reverse("ledger:events")
    assert url in login_as("auditadmin").get(reverse("web:home")).content.decode()
    for username in ("sysadmin", "secadmin", "officer1"):
        assert f'href="{url}"' not in login_as(username).get(reverse("web:home")).content.decode()
