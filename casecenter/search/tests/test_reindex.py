"""Rebuilding the index in the background: the administrator's page, the service that starts it
(with its ledger event), and the task that the worker runs under a progress bar."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from casecenter.core.errors import ValidationFailed
from casecenter.jobs.models import Progress
from casecenter.ledger.testing import assert_no_records, assert_records, last_event_id
from casecenter.search import kinds
from casecenter.search.indexing import make_doc
from casecenter.search.selectors import search
from casecenter.search.services import index_rebuild_start
from casecenter.search.tasks import reindex

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(personas):
    """A kind whose source holds five interview records that are not in the index yet."""
    unit = personas["officer1"].unit
    docs = [make_doc("test.note", n, unit=unit, title=f"笔录{n}", body="询问笔录 盗窃电动车") for n in range(5)]
    kinds.register("test.note", label="Test notes", source=lambda: iter(docs), count=lambda: len(docs), order=70)
    yield docs
    kinds._KINDS.pop("test.note", None)


@pytest.mark.django_db(transaction=True)   # the worker loop closes connections left in a transaction
def test_a_rebuild_started_by_the_administrator_is_recorded_and_run_by_the_worker(personas, notes):
    officer, admin = personas["officer1"], personas["sysadmin"]
    assert search("盗窃电动车", user=officer, kinds=["test.note"]).total == 0
    mark = last_event_id()
    with translation.override("en"):
        progress = index_rebuild_start(actor=admin, kinds=["test.note"])
    assert_records("search.index.rebuild_started", after=mark, actor=admin, subject=progress,
                   data={"kinds": ["test.note"]})
    assert (progress.owner, progress.kind, progress.state, progress.label) == (
        admin, "search.reindex", "running", "Rebuild the search index")

    call_command("worker", "--once", "--no-schedule")

    assert search("盗窃电动车", user=officer, kinds=["test.note"]).total == 5
    progress.refresh_from_db()
    assert (progress.state, progress.done, progress.total) == ("succeeded", 5, 5)
    assert progress.message == "The search index was rebuilt: 5 documents."   # in the starter's language
    assert progress.result_url == reverse("search:results")


def test_a_second_delivery_of_a_finished_rebuild_does_nothing(personas, notes):
    progress = index_rebuild_start(actor=personas["sysadmin"], kinds=["test.note"])
    assert reindex.call(progress_id=str(progress.pk), kinds=["test.note"]) == {"test.note": 5}
    assert reindex.call(progress_id=str(progress.pk), kinds=["test.note"]) == {}


def test_a_rebuild_of_an_unknown_kind_is_refused_and_records_nothing(personas):
    mark = last_event_id()
    with pytest.raises(ValidationFailed, match="nope.kind"):
        index_rebuild_start(actor=personas["sysadmin"], kinds=["nope.kind"])
    assert_no_records("search.index.rebuild_started", after=mark)
    assert not Progress.objects.exists()


def test_the_administrator_starts_a_rebuild_from_the_page_and_sees_its_bar(personas, login_as):
    client = login_as("sysadmin")
    page = client.get(reverse("search:reindex"))
    assert page.status_code == 200 and 'data-testid="reindex-start"' in page.content.decode()
    assert 'data-testid="job-progress"' not in page.content.decode()

    mark = last_event_id()
    response = client.post(reverse("search:reindex"))
    assert response.status_code == 302 and response["Location"] == reverse("search:reindex")
    assert_records("search.index.rebuild_started", after=mark, actor=personas["sysadmin"], data={"kinds": []})

    html = client.get(reverse("search:reindex")).content.decode()
    progress = Progress.objects.get()
    assert f'hx-get="{reverse("jobs:progress", args=[progress.pk])}"' in html     # the bar polls
    assert "disabled" in html                                                       # no second rebuild meanwhile


@pytest.mark.parametrize("username", ["officer1", "secadmin", "auditadmin"])
def test_only_the_system_administrator_may_rebuild(login_as, username):
    assert login_as(username).get(reverse("search:reindex")).status_code == 403
    assert login_as(username).post(reverse("search:reindex")).status_code == 403
    assert not Progress.objects.exists()
