"""Progress rows: start, advance (throttled, visible at once to other connections), finish."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import translation

from casecenter.core import clock
from casecenter.jobs import progress as progress_module
from casecenter.jobs.models import Progress, ProgressState
from casecenter.jobs.progress import progress_advance, progress_finish, progress_open, progress_start
from casecenter.jobs.tasks import prune
from casecenter.jobs.templatetags.jobs import duration


def _read_elsewhere(pk) -> tuple:
    """The row as another database connection (a web request's) sees it."""
    seen = []

    def read():
        try:
            seen.append(Progress.objects.filter(pk=pk).values_list("done", "total", "message", "state").first())
        finally:
            connection.close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(timeout=30)
    return seen[0]


@pytest.mark.django_db
def test_a_new_progress_runs_with_an_unknown_total_in_the_owners_language(personas):
    with translation.override("en"):
        progress = progress_start(kind="test.job", label="A job", owner=personas["officer1"])
    assert (progress.state, progress.done, progress.total, progress.language) == ("running", 0, None, "en")
    assert progress.percent is None and progress.remaining_seconds is None


@pytest.mark.django_db(transaction=True)
def test_progress_updates_are_visible_from_another_connection_while_the_task_runs(personas):
    progress = progress_start(kind="test.job", label="A job", owner=personas["officer1"])
    assert progress_advance(progress, done=3, total=10, message="three")
    assert _read_elsewhere(progress.pk) == (3, 10, "three", "running")
    assert progress_finish(progress, state=ProgressState.SUCCEEDED, message="all")
    assert _read_elsewhere(progress.pk) == (10, 10, "all", "succeeded")


@pytest.mark.django_db
def test_advance_writes_at_most_twice_a_second_but_always_the_last_item(personas, monkeypatch):
    progress = progress_start(kind="test.job", label="A job", owner=personas["officer1"], total=100)
    moments = iter([1000.0, 1000.1, 1000.2, 1000.7, 1000.8])
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: next(moments))
    for done in (1, 2, 3, 4):
        progress_advance(progress, done=done)
    assert Progress.objects.values_list("done", flat=True).get(pk=progress.pk) == 4   # 1 (first) … 4 (0.7 s later)
    progress_advance(progress, done=100)                                               # the end, 0.1 s later
    assert Progress.objects.values_list("done", flat=True).get(pk=progress.pk) == 100


@pytest.mark.django_db
def test_advance_skips_writes_within_half_a_second(personas, monkeypatch):
    progress = progress_start(kind="test.job", label="A job", owner=personas["officer1"], total=100)
    moments = iter([1000.0, 1000.1, 1000.2])
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: next(moments))
    progress_advance(progress, done=1)
    progress_advance(progress, done=2)
    progress_advance(progress, done=3)
    assert Progress.objects.values_list("done", flat=True).get(pk=progress.pk) == 1


@pytest.mark.django_db
def test_a_finished_progress_never_changes_and_tells_the_task_to_stop(personas):
    progress = progress_start(kind="test.job", label="A job", owner=personas["officer1"], total=5)
    assert progress_finish(progress, state=ProgressState.CANCELLED, message="stopped")
    assert not progress_advance(progress, done=5)
    assert not progress_finish(progress, state=ProgressState.SUCCEEDED)
    row = Progress.objects.get(pk=progress.pk)
    assert (row.state, row.done, row.message) == ("cancelled", 0, "stopped")
    assert progress_open(progress.pk) is None


@pytest.mark.django_db
def test_finish_refuses_a_state_that_is_not_an_end(personas):
    progress = progress_start(kind="test.job", label="A job", owner=personas["officer1"])
    with pytest.raises(ValueError, match="finishes as one of"):
        progress_finish(progress, state=ProgressState.RUNNING)
    with pytest.raises(ValueError):
        progress_finish(progress, state="paused")


@pytest.mark.django_db
def test_percent_and_estimate_follow_the_rate_so_far(personas):
    start = clock.now()
    with clock.frozen(start) as frozen:
        progress = progress_start(kind="test.job", label="A job", owner=personas["officer1"], total=200)
        frozen.advance(seconds=30)
        progress_advance(progress, done=50)
        assert progress.percent == 25
        assert progress.elapsed_seconds == 30
        assert progress.remaining_seconds == 90


def test_durations_read_as_hours_minutes_seconds():
    with translation.override("en"):
        assert [duration(s) for s in (None, 4.4, 80, 3725)] == ["—", "4 s", "1 min 20 s", "1 h 2 min"]


@pytest.mark.django_db
def test_prune_deletes_finished_rows_older_than_a_month_and_nothing_else(personas):
    old, recent, running = (progress_start(kind="test.job", label=str(n), owner=personas["officer1"]) for n in range(3))
    for progress in (old, recent):
        progress_finish(progress, state=ProgressState.SUCCEEDED)
    Progress.objects.filter(pk=old.pk).update(finished_at=clock.now() - timedelta(days=31))
    Progress.objects.filter(pk=running.pk).update(created_at=clock.now() - timedelta(days=90))
    with transaction.atomic():
        assert prune.call()["progress"] == 1
    assert set(Progress.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert prune.call()["progress"] == 0       # idempotent
