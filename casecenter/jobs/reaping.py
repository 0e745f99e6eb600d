"""Tasks whose worker died under them (database backend).

A worker stopped by SIGTERM finishes its task first; one killed outright (SIGKILL, the kernel's
out-of-memory killer, a power cut) leaves its task RUNNING and the task's progress row running
for ever, with a bar its owner watches in vain. A database worker therefore ends, when it starts
and then once a minute, the running tasks of dead workers of its own machine: a worker id names
the host, the machine (``machine_tag``: its boot and its process namespace, so that two containers
sharing a host name, or a container started again, are told apart) and the process
(``worker.worker_id``), and a process that no longer exists in this namespace is dead. Tasks of
other machines are left to their machines' workers, and a task whose worker's namespace is gone
(its container was replaced) is not recognised as dead: it stays for an administrator. (The Redis
backend has RQ's own registry of abandoned jobs.)

A task ended this way is failed, not run again: tasks are idempotent (``jobs/__init__.py``), so
its owner may start it again, and that is their decision.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import socket
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from .models import Progress, ProgressState
from .progress import progress_finish

logger = logging.getLogger("casecenter.worker")

#: Seconds between two looks from a running worker (besides the one when it starts).
INTERVAL = 60


class WorkerLost(Exception):  # noqa: N818 - the reason stored on the failed task
    """The worker running the task stopped before it finished."""


@functools.cache
def machine_tag() -> str:
    """Eight hex digits that differ between machines, boots and process namespaces (containers)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        namespace = str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:   # not Linux: the host name alone
        boot = namespace = ""
    return hashlib.sha256(f"{socket.gethostname()}\n{boot}\n{namespace}".encode()).hexdigest()[:8]


def host_name() -> str:
    """This machine as a worker id names it: the host name (at most 30 characters) and the tag."""
    return f"{socket.gethostname()[:30]}-{machine_tag()}"


def process_of(worker_id: str, host: str) -> int | None:
    """The process id in ``worker_id`` ("host-tag-pid-suffix") when it names a worker of ``host``."""
    name, _sep, _suffix = worker_id.rpartition("-")
    name, _sep, pid = name.rpartition("-")
    if name != host or not pid.isdigit():
        return None
    return int(pid)


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # another user's process: alive
        return True
    return True


def reap_dead_workers(*, host: str | None = None) -> int:
    """Fail the running tasks (and their progress rows) of this host's dead workers; how many."""
    from django_tasks_db.models import DBTaskResult

    host = host or host_name()
    reaped = 0
    for result_id, worker_ids in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
            "pk", "worker_ids"):
        ident = worker_ids[-1] if worker_ids else ""
        pid = process_of(ident, host)
        if pid is None or is_alive(pid):
            continue
        with transaction.atomic():
            row = DBTaskResult.objects.select_for_update().filter(pk=result_id,
                                                                  status=TaskResultStatus.RUNNING).first()
            if row is None:   # finished meanwhile, or another worker reaped it
                continue
            row.set_failed(WorkerLost(f"the worker {ident} stopped while it ran this task"))
            for progress in Progress.objects.filter(task_result_id=str(result_id), state=ProgressState.RUNNING):
                with translation.override(progress.language or None):
                    progress_finish(progress, state=ProgressState.FAILED,
                                    message=_("The worker running this job stopped before it finished. "
                                              "Start the job again."),
                                    error=f"WorkerLost: {ident}")
        logger.warning("task %s of %s failed: its worker %s is gone", result_id, row.task_path, ident)
        reaped += 1
    return reaped
