"""The periodic schedule: slots, the declaration, and one enqueue per slot however many workers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from casecenter.jobs.models import ScheduleSlot
from casecenter.jobs.schedule import Periodic, Scheduler, periodic

from .sample_tasks import touch, touch_marker

HOURLY = Periodic("test.hourly", touch_marker, timedelta(hours=1))
AT = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)


def test_slots_are_cut_from_the_epoch():
    assert HOURLY.slot_start(AT) == datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
    daily = Periodic("test.daily", touch_marker, timedelta(days=1))
    assert daily.slot_start(AT) == datetime(2026, 3, 14, 0, 0, tzinfo=UTC)
    assert daily.slot_start(datetime(2026, 3, 14, 23, 59, 59, tzinfo=UTC)) == daily.slot_start(AT)


def test_periodic_refuses_a_bad_name_a_short_period_and_a_plain_function():
    with pytest.raises(ValueError, match="named 'app.job'"):
        periodic("Prune", every=timedelta(hours=1))
    with pytest.raises(ValueError, match="at least one minute"):
        periodic("test.fast", every=timedelta(seconds=5))
    with pytest.raises(TypeError, match="put it above @task"):
        periodic("test.plain", every=timedelta(hours=1))(lambda: None)


def test_periodic_refuses_two_jobs_of_one_name(only_periodic):
    only_periodic(HOURLY)
    with pytest.raises(ValueError, match="two periodic jobs are named 'test.hourly'"):
        periodic("test.hourly", every=timedelta(hours=1))(touch)


def test_the_worker_imports_every_apps_tasks_module_and_finds_the_jobs_prune():
    from casecenter.jobs.schedule import discover, periodic_jobs

    discover()
    assert "jobs.prune" in [job.name for job in periodic_jobs()]


@pytest.mark.django_db
def test_a_job_is_enqueued_once_per_slot_and_again_in_the_next():
    scheduler = Scheduler([HOURLY], worker="w1")
    assert scheduler.tick(AT) == ["test.hourly"]
    assert scheduler.tick(AT + timedelta(minutes=20)) == []
    assert Scheduler([HOURLY], worker="w2").tick(AT + timedelta(minutes=30)) == []   # another worker, same slot
    assert scheduler.tick(AT + timedelta(hours=1)) == ["test.hourly"]
    assert DBTaskResult.objects.filter(task_path=touch_marker.module_path).count() == 2
    # Recent slots are kept (a worker whose clock lags must still find them taken) ...
    assert list(ScheduleSlot.objects.order_by("slot_start").values_list("slot_start", "worker")) == [
        (datetime(2026, 3, 14, 9, 0, tzinfo=UTC), "w1"), (datetime(2026, 3, 14, 10, 0, tzinfo=UTC), "w1")]
    assert Scheduler([HOURLY], worker="w2").tick(AT + timedelta(minutes=33)) == []  # a lagging clock: 9:00 taken
    # ... and those older than two periods are pruned when a later slot is claimed.
    assert scheduler.tick(AT + timedelta(hours=3)) == ["test.hourly"]
    assert list(ScheduleSlot.objects.order_by("slot_start").values_list("slot_start", flat=True)) == [
        datetime(2026, 3, 14, 10, 0, tzinfo=UTC), datetime(2026, 3, 14, 12, 0, tzinfo=UTC)]
    assert all(ScheduleSlot.objects.values_list("task_result_id", flat=True))


@pytest.mark.django_db
def test_slots_of_jobs_no_longer_declared_are_dropped_after_a_month():
    ScheduleSlot.objects.create(name="gone.job", slot_start=AT - timedelta(days=40))
    ScheduleSlot.objects.create(name="gone.recent", slot_start=AT - timedelta(days=2))
    Scheduler([HOURLY]).tick(AT)
    assert sorted(ScheduleSlot.objects.values_list("name", flat=True)) == ["gone.recent", "test.hourly"]


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_in_the_same_slot_enqueue_once():
    """Two workers (two threads, two database connections) tick at the same moment, many slots in a
    row: each slot is enqueued exactly once, by whichever inserted its row first."""
    slots = [AT + timedelta(hours=h) for h in range(8)]
    barrier = threading.Barrier(2)
    won = {"a": [], "b": []}
    errors = []

    def worker(name: str) -> None:
        scheduler = Scheduler([HOURLY], worker=name)
        try:
            for at in slots:
                barrier.wait(timeout=20)
                while scheduler.due(at):    # SQLite's shared-cache test database answers "locked": again
                    won[name] += scheduler.tick(at)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in won]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(won["a"]) + len(won["b"]) == len(slots)
    assert DBTaskResult.objects.filter(task_path=touch_marker.module_path).count() == len(slots)


@pytest.mark.django_db
def test_an_inline_job_runs_in_the_scheduler_once_per_slot_and_is_not_queued(tmp_path):
    marker = tmp_path / "inline"
    ran = []

    class Inline:
        module_path = "tests.inline"

        def enqueue(self):
            raise AssertionError("an inline job must not be queued")

        def call(self):
            ran.append(1)
            marker.write_text("ran")
            return "done"

    job = Periodic("test.inline", Inline(), timedelta(minutes=1), inline=True)
    assert Scheduler([job], worker="w1").tick(AT) == ["test.inline"]
    assert Scheduler([job], worker="w2").tick(AT + timedelta(seconds=5)) == []  # same minute, other worker
    assert ran == [1] and marker.read_text() == "ran"
    assert ScheduleSlot.objects.get(name="test.inline").task_result_id == ""
