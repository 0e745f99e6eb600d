"""A task whose worker was killed: the next worker of the host fails it and its progress row."""

from __future__ import annotations

import os
import socket
import subprocess

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from casecenter.jobs import reaping
from casecenter.jobs.models import ProgressState
from casecenter.jobs.progress import progress_enqueue

from .sample_tasks import count_to


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])  # noqa: S607 - a process that has ended
    process.wait()
    return process.pid


def test_a_worker_id_names_this_machine_and_its_process():
    from casecenter.jobs.worker import worker_id

    ident = worker_id()
    assert reaping.process_of(ident, reaping.host_name()) == os.getpid() and len(ident) <= 64
    assert len(reaping.machine_tag()) == 8


def test_a_worker_id_names_its_host_and_process():
    assert reaping.process_of("build-host-01-4242-a1B2c3", "build-host-01") == 4242
    assert reaping.process_of("other-host-4242-a1B2c3", "build-host-01") is None
    assert reaping.process_of("build-host-01-x-a1B2c3", "build-host-01") is None
    assert reaping.process_of("", "build-host-01") is None
    assert reaping.is_alive(os.getpid()) and not reaping.is_alive(_dead_pid())


def _running(personas, worker: str):
    with transaction.atomic():
        progress = progress_enqueue(count_to, kind="test.count", label="Count", owner=personas["officer1"], n=5)
    DBTaskResult.objects.filter(pk=progress.task_result_id).update(status="RUNNING", worker_ids=[worker])
    return progress


@pytest.mark.django_db(transaction=True)
def test_the_tasks_of_a_dead_worker_of_this_host_are_failed_with_their_progress(personas):
    host = reaping.host_name()
    with translation.override("zh-hans"):
        killed = _running(personas, f"{host}-{_dead_pid()}-abcdef")
    alive = _running(personas, f"{host}-{os.getpid()}-abcdef")
    elsewhere = _running(personas, f"another-machine-{_dead_pid()}-abcdef")
    # The same host name, another container (or boot): its process ids are not this namespace's.
    container = _running(personas, f"{socket.gethostname()[:30]}-00000000-{_dead_pid()}-abcdef")
    assert reaping.reap_dead_workers() == 1
    killed.refresh_from_db()
    assert killed.state == ProgressState.FAILED and killed.finished_at is not None
    assert killed.message == "运行该任务的后台进程在任务完成前停止。请重新启动该任务。"   # the owner's language
    assert killed.error.startswith("WorkerLost: ")
    task = DBTaskResult.objects.get(pk=killed.task_result_id)
    assert task.status == "FAILED" and task.exception_class_path == "casecenter.jobs.reaping.WorkerLost"
    for progress in (alive, elsewhere, container):
        progress.refresh_from_db()
        assert progress.state == ProgressState.RUNNING
        assert DBTaskResult.objects.get(pk=progress.task_result_id).status == "RUNNING"
    assert reaping.reap_dead_workers() == 0          # once


@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_fails_what_a_killed_one_left_running(personas):
    killed = _running(personas, f"{reaping.host_name()}-{_dead_pid()}-abcdef")
    call_command("worker", "--once", "--no-schedule")
    killed.refresh_from_db()
    assert killed.state == ProgressState.FAILED
    assert DBTaskResult.objects.get(pk=killed.task_result_id).status == "FAILED"
