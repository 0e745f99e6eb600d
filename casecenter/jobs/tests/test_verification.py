"""The audit administrator verifies the whole record in the background: the page starts the job
(with its ledger event), the worker walks the record under a progress bar and records the
outcome, and the audit home panel shows the last verification's time and result."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from casecenter.core.errors import Conflict
from casecenter.jobs.models import Progress
from casecenter.jobs.services import ledger_verification_start
from casecenter.jobs.verification import verify_record
from casecenter.ledger import triggers
from casecenter.ledger.models import Event
from casecenter.ledger.sequencer import sequence
from casecenter.ledger.services import record_event
from casecenter.ledger.testing import assert_no_records, assert_records, last_event_id
from casecenter.ledger.verification import latest_verification

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(personas):
    """A few sequenced events besides the personas' own."""
    for step in range(3):
        with transaction.atomic():
            record_event(actor=personas["officer1"], action="test.case.step", subject=("test.case", "C-1"),
                         data={"step": step})
    sequence()


def test_a_verification_is_recorded_when_started_and_when_finished(personas, recorded):
    auditor = personas["auditadmin"]
    mark = last_event_id()
    with translation.override("en"):
        progress = ledger_verification_start(actor=auditor)
    assert_records("ledger.verification.started", after=mark, actor=auditor, subject=("ledger.verification",
                                                                                       progress.pk))
    assert (progress.owner, progress.kind, progress.state) == (auditor, "ledger.verify", "running")

    result = verify_record.call(progress_id=str(progress.pk))

    assert result["ok"] is True
    finished = assert_records("ledger.verification.finished", after=mark, count=1, actor=auditor,
                              data={"ok": True, "findings": 0, "first_finding": ""})
    assert finished.facts["events"] == result["events"] > 3
    progress.refresh_from_db()
    assert progress.state == "succeeded" and progress.done == result["events"]
    assert progress.message.startswith("The record verifies")          # in the starter's language
    last = latest_verification()
    assert last.ok and last.by == auditor.full_name and last.event_id == finished.pk


def test_a_second_delivery_of_a_finished_verification_does_nothing(personas, recorded):
    progress = ledger_verification_start(actor=personas["auditadmin"])
    mark = last_event_id()
    assert verify_record.call(progress_id=str(progress.pk))["ok"]
    assert verify_record.call(progress_id=str(progress.pk)) == {}
    assert_records("ledger.verification.finished", after=mark, count=1)


def test_a_verification_already_running_is_not_started_twice(personas, recorded):
    ledger_verification_start(actor=personas["auditadmin"])
    mark = last_event_id()
    with pytest.raises(Conflict, match="何审计|still running|仍在"):
        ledger_verification_start(actor=personas["auditadmin"])
    assert_no_records("ledger.verification.started", after=mark)
    assert Progress.objects.filter(kind="ledger.verify").count() == 1


def test_a_tampered_record_fails_its_verification_and_the_panel_says_so(personas, recorded, login_in_english):
    victim = Event.objects.filter(action="test.case.step").order_by("position").first()
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_event SET data = %s WHERE id = %s", ['{"step": 99}', victim.pk])
    triggers.install(connection)
    with translation.override("en"):
        progress = ledger_verification_start(actor=personas["auditadmin"])
    assert verify_record.call(progress_id=str(progress.pk))["ok"] is False
    progress.refresh_from_db()
    assert progress.state == "failed" and f"event #{victim.pk}" in progress.error
    last = latest_verification()
    assert not last.ok and last.findings >= 1 and f"event #{victim.pk}" in last.first_finding
    panel = login_in_english("auditadmin").get(reverse("ledger:checkpoint_panel")).content.decode()
    assert 'data-state="failed"' in panel and "does NOT verify" in panel


@pytest.mark.django_db(transaction=True)   # the worker loop closes connections left in a transaction
def test_the_auditor_starts_a_verification_from_the_page_and_the_home_panel_shows_its_outcome(
        personas, recorded, login_as):
    client = login_as("auditadmin")
    page = client.get(reverse("jobs:ledger_verification")).content.decode()
    assert 'data-state="none"' in page and 'data-testid="verification-start"' in page
    assert 'data-state="none"' in client.get(reverse("ledger:checkpoint_panel")).content.decode()

    response = client.post(reverse("jobs:ledger_verification"))
    assert response.status_code == 302 and response["Location"] == reverse("jobs:ledger_verification")
    html = client.get(reverse("jobs:ledger_verification")).content.decode()
    progress = Progress.objects.get(kind="ledger.verify")
    assert f'hx-get="{reverse("jobs:progress", args=[progress.pk])}"' in html and "disabled" in html

    call_command("worker", "--once", "--no-schedule")

    panel = client.get(reverse("ledger:checkpoint_panel")).content.decode()
    assert 'data-state="passed"' in panel and personas["auditadmin"].full_name in panel


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "officer1"])
def test_only_the_audit_administrator_verifies_from_the_pages(login_as, username):
    assert login_as(username).get(reverse("jobs:ledger_verification")).status_code == 403
    assert login_as(username).post(reverse("jobs:ledger_verification")).status_code == 403
    assert not Progress.objects.exists()
