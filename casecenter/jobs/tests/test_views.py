"""The progress bar (page, partial, API): who sees which job, and polling that stops at the end.

Alice (officer1) started a job; Bob (officer2) works in the same station; the system administrator
sees jobs nobody owns (the schedule's) but not Alice's."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from casecenter.jobs.models import ProgressState
from casecenter.jobs.progress import progress_advance, progress_finish, progress_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_job(personas):
    progress = progress_start(kind="test.job", label="Alice's import", owner=personas["officer1"], total=40)
    progress_advance(progress, done=10, message="10 rows read")
    return progress


def test_the_running_bar_polls_itself_every_second(login_as, alices_job):
    response = login_as("officer1").get(reverse("jobs:progress", args=[alices_job.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'hx-get="{reverse("jobs:progress", args=[alices_job.pk])}"' in html
    assert 'hx-trigger="every 1s"' in html and 'hx-swap="outerHTML"' in html
    assert 'aria-valuenow="25"' in html and "10 rows read" in html and 'data-state="running"' in html


def test_the_finished_bar_stops_polling_and_shows_the_result_link(login_as, alices_job):
    progress_finish(alices_job, state=ProgressState.SUCCEEDED, message="40 rows imported", result_url="/done/")
    html = login_as("officer1").get(reverse("jobs:progress", args=[alices_job.pk])).content.decode()
    assert "hx-get" not in html and "hx-trigger" not in html
    polled = login_as("officer1").get(reverse("jobs:progress", args=[alices_job.pk]), HTTP_HX_REQUEST="true")
    assert polled["HX-Trigger"] == "job-finished"          # for the page around the bar
    assert 'aria-valuenow="100"' in html and 'href="/done/"' in html and "40 rows imported" in html


def test_a_failed_bar_stops_polling_and_shows_the_error(login_as, alices_job):
    progress_finish(alices_job, state=ProgressState.FAILED, error="ValueError: row 11 has no name")
    html = login_as("officer1").get(reverse("jobs:progress", args=[alices_job.pk])).content.decode()
    assert "hx-trigger" not in html and "ValueError: row 11 has no name" in html and 'data-state="failed"' in html


def test_the_page_embeds_the_bar(login_as, alices_job):
    response = login_as("officer1").get(reverse("jobs:progress_page", args=[alices_job.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice&#x27;s import" in html and 'data-testid="job-progress"' in html


@pytest.mark.parametrize("name", ["jobs:progress", "jobs:progress_page", "api:progress-detail"])
@pytest.mark.parametrize("username", ["officer2", "sysadmin", "head"])
def test_someone_elses_job_is_not_found(login_as, alices_job, name, username):
    assert login_as(username).get(reverse(name, args=[alices_job.pk])).status_code == 404


@pytest.mark.parametrize("name", ["jobs:progress", "api:progress-detail"])
def test_a_job_that_does_not_exist_is_not_found(login_as, name):
    assert login_as("officer1").get(reverse(name, args=[uuid.uuid4()])).status_code == 404


def test_jobs_nobody_owns_are_seen_by_system_administrators_only(login_as):
    system_job = progress_start(kind="jobs.prune", label="Prune", owner=None)
    url = reverse("jobs:progress", args=[system_job.pk])
    assert login_as("sysadmin").get(url).status_code == 200
    assert login_as("secadmin").get(url).status_code == 404
    assert login_as("officer1").get(url).status_code == 404


def test_the_api_gives_the_owner_the_counts_and_state(login_as, alices_job):
    response = login_as("officer1").get(reverse("api:progress-detail", args=[alices_job.pk]))
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("id", "kind", "state", "done", "total", "percent", "message")} == {
        "id": str(alices_job.pk), "kind": "test.job", "state": "running", "done": 10, "total": 40, "percent": 25,
        "message": "10 rows read"}
    assert body["remaining_seconds"] is None or body["remaining_seconds"] >= 0


def test_the_api_answers_another_users_job_in_the_one_error_shape(login_as, alices_job):
    response = login_as("officer2").get(reverse("api:progress-detail", args=[alices_job.pk]))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_progress_endpoint_is_in_the_openapi_schema(login_as):
    schema = login_as("analyst").get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    assert "/api/v1/progress/{id}/" in schema["paths"] or "/api/v1/progress/{pk}/" in schema["paths"]
