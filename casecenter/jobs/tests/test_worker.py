"""``casecenter worker`` on the database backend: transactional enqueue, --once, the schedule
beside the worker, one log line per run, clean shutdown on a signal."""

from __future__ import annotations

import logging
import os
import signal
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from casecenter.jobs.models import Progress, ProgressState, ScheduleSlot
from casecenter.jobs.progress import progress_enqueue
from casecenter.jobs.schedule import Periodic

from .sample_tasks import count_to, explode, touch


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_in_a_rolled_back_transaction_is_gone(tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(Boom), transaction.atomic():
        touch.enqueue(str(marker))
        assert DBTaskResult.objects.count() == 1      # a row, in the transaction
        raise Boom
    assert DBTaskResult.objects.count() == 0
    call_command("worker", "--once", "--no-schedule")
    assert not marker.exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_in_a_committed_transaction_runs_once_in_worker_once(tmp_path):
    marker = tmp_path / "ran"
    with transaction.atomic():
        result = touch.enqueue(str(marker), text="hello")
    call_command("worker", "--once", "--no-schedule")
    assert marker.read_text() == "hello\n"
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL" and row.return_value == "hello"
    call_command("worker", "--once", "--no-schedule")          # nothing left to run
    assert marker.read_text() == "hello\n"


@pytest.mark.django_db(transaction=True)
def test_worker_once_enqueues_the_due_periodic_jobs_and_runs_them(tmp_path, only_periodic):
    marker = tmp_path / "periodic"
    # A periodic task takes no arguments: the file is named through the sample module.
    only_periodic(Periodic("test.touch", _touch_marker(marker), timedelta(hours=1)))
    call_command("worker", "--once")
    call_command("worker", "--once")                            # same slot: not again
    assert marker.read_text() == "ran\n"
    assert ScheduleSlot.objects.filter(name="test.touch").count() == 1


def _touch_marker(marker: Path):
    from . import sample_tasks

    sample_tasks.MARKER = str(marker)
    return sample_tasks.touch_marker


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_one_line_per_task_run(tmp_path, caplog):
    touch.enqueue(str(tmp_path / "a"))
    with caplog.at_level(logging.INFO, logger="casecenter.worker"):
        call_command("worker", "--once", "--no-schedule")
    lines = [r.getMessage() for r in caplog.records
             if r.name == "casecenter.worker" and "sample_tasks" in r.getMessage()]
    assert len(lines) == 1
    assert "casecenter.jobs.tests.sample_tasks.touch" in lines[0] and "successful in" in lines[0]


@pytest.mark.django_db(transaction=True)
def test_a_task_that_raises_leaves_its_progress_failed_with_the_error(personas, caplog):
    with transaction.atomic():
        progress = progress_enqueue(explode, kind="test.explode", label="Explode", owner=personas["officer1"])
    with caplog.at_level(logging.INFO, logger="casecenter.worker"):
        call_command("worker", "--once", "--no-schedule")
    progress.refresh_from_db()
    assert progress.state == ProgressState.FAILED and progress.finished_at is not None
    assert progress.error == "ValueError: the disk is full"
    assert progress.done == 1 and progress.total == 10
    assert any("failed" in r.getMessage() and "the disk is full" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_a_long_task_reports_its_progress_and_result(personas):
    with transaction.atomic():
        progress = progress_enqueue(count_to, kind="test.count", label="Count", owner=personas["officer1"], n=7)
    assert progress.task_result_id
    call_command("worker", "--once", "--no-schedule")
    progress.refresh_from_db()
    assert (progress.state, progress.done, progress.total, progress.result_url) == ("succeeded", 7, 7, "/somewhere")
    # Delivered again (a retry, a duplicate): the finished job does nothing twice.
    assert count_to.call(progress_id=str(progress.pk), n=7) == 0


@pytest.mark.django_db(transaction=True)
def test_sigterm_stops_the_worker_cleanly_with_its_schedule(only_periodic):
    only_periodic()
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    timer = threading.Timer(1.5, os.kill, args=(os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        with pytest.raises(SystemExit) as stopped:
            call_command("worker", "--interval", "0.2")
    finally:
        timer.cancel()
    assert stopped.value.code == 0
    assert not [t for t in threading.enumerate() if t.name == "casecenter-schedule"]
    assert {s: signal.getsignal(s) for s in before} == before     # the test process's handlers are back


def test_the_worker_refuses_an_unknown_queue():
    with pytest.raises(CommandError, match="unknown queue nope"):
        call_command("worker", "--once", "--queues", "nope")


@pytest.mark.django_db
def test_progress_rows_of_a_rolled_back_start_are_gone_too(personas):
    with pytest.raises(Boom), transaction.atomic():
        progress_enqueue(count_to, kind="test.count", label="Count", owner=personas["officer1"], n=3)
        raise Boom
    assert not Progress.objects.exists() and not DBTaskResult.objects.exists()
