"""``casecenter worker`` on the Redis backend (``CASECENTER_TASKS_BACKEND=redis``): the RQ worker
and the same schedule, against the Redis every development machine and CI runs at 127.0.0.1:6379
(database 15, emptied before and after). Without that Redis these tests fail, saying so: the Redis
backend is a supported deployment, so its tests are not optional."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings

from casecenter.jobs.models import ScheduleSlot
from casecenter.jobs.schedule import Periodic

from . import sample_tasks
from .sample_tasks import touch, touch_marker

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_backend():
    assert _redis_answers(), ("no Redis answers at 127.0.0.1:6379; start it with: redis-server --daemonize yes "
                              "--bind 127.0.0.1 --port 6379 --save '' --appendonly no")
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
                           RQ_QUEUES={"default": {"URL": REDIS_URL}}):
        import django_rq

        connection = django_rq.get_connection("default")
        connection.flushdb()
        yield
        connection.flushdb()


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_tasks_and_the_schedule_on_redis(redis_backend, tmp_path, only_periodic):
    queued, periodic = tmp_path / "queued", tmp_path / "periodic"
    sample_tasks.MARKER = str(periodic)
    only_periodic(Periodic("test.touch", touch_marker, timedelta(hours=1)))
    result = touch.enqueue(str(queued), text="from redis")
    assert result.backend == "default" and type(result.task.get_backend()).__name__ == "RQBackend"

    call_command("worker", "--once")          # RQ's burst mode; each task in a forked work horse
    call_command("worker", "--once")          # the same slot: the periodic job is not enqueued again

    assert queued.read_text() == "from redis\n"
    assert periodic.read_text() == "ran\n"
    assert ScheduleSlot.objects.filter(name="test.touch").count() == 1
    assert touch.get_result(result.id).status == "SUCCESSFUL"
