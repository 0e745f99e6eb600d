"""What ``casecenter worker`` runs: the task worker of the configured backend and the periodic
schedule, in one process.

- Database backend: django-tasks-db's own worker loop (``Worker``), which claims one task at a time
  with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL (an exclusive transaction on SQLite), so
  any number of workers share one queue.
- Redis backend: an RQ worker (which runs each task in a forked work horse) on the same queues.

The schedule runs in a thread beside the worker loop, ticking every ``interval`` seconds; it uses
its own database connection. On the database backend the same thread (also with
``--no-schedule``) fails, once a minute, the tasks that dead workers of this machine left running
(``reaping.py``); the worker does it once when it starts, too. SIGTERM and SIGINT stop the
process cleanly: the running task finishes, then the worker and the schedule stop (a second signal
aborts the task).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django_tasks.signals import task_finished
from django_tasks_db import DatabaseBackend

from . import reaping
from .schedule import Scheduler, discover

logger = logging.getLogger("casecenter.worker")

_SIGNALS = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s is not None)


@dataclass(frozen=True)
class Options:
    queues: list[str]
    interval: float = 1.0
    once: bool = False
    schedule: bool = True
    backend: str = DEFAULT_TASK_BACKEND_ALIAS


def worker_id() -> str:
    """Unique across the pool: host and machine tag (``reaping.host_name``), process, and a random
    suffix (a restarted process differs). At most 30 + 9 + 8 + 7 characters."""
    return f"{reaping.host_name()}-{os.getpid()}-{get_random_string(6)}"[:64]


def log_task_run(sender, task_result, **kwargs) -> None:
    """One line per task run: what, which id, how it ended, how long it took."""
    started, finished = task_result.started_at, task_result.finished_at
    took = f" in {(finished - started).total_seconds():.2f} s" if started and finished else ""
    if task_result.status == TaskResultStatus.FAILED:
        errors = task_result.errors
        lines = (errors[-1].traceback or "").strip().splitlines() if errors else []
        logger.error("task %s id=%s failed%s: %s", task_result.task.module_path, task_result.id, took,
                     lines[-1] if lines else "?")
    else:
        logger.info("task %s id=%s %s%s", task_result.task.module_path, task_result.id,
                    str(task_result.status).lower(), took)


class ScheduleThread(threading.Thread):
    """Ticks the scheduler until stopped; a failed tick is logged and tried again next time."""

    def __init__(self, scheduler: Scheduler | None, interval: float, *, reap: bool = False) -> None:
        super().__init__(name="casecenter-schedule", daemon=True)
        self.scheduler = scheduler   # None: the worker runs without the schedule (--no-schedule)
        self.interval = max(interval, 0.2)
        self.reap = reap   # also end the tasks of dead workers (database backend), every reaping.INTERVAL
        self.stopping = threading.Event()

    def run(self) -> None:
        last_reap = time.monotonic()
        try:
            while not self.stopping.is_set():
                close_old_connections()
                try:
                    if self.scheduler is not None:
                        self.scheduler.tick()
                except Exception:
                    logger.exception("the periodic schedule failed; trying again in %.1f s", self.interval)
                if self.reap and time.monotonic() - last_reap >= reaping.INTERVAL:
                    last_reap = time.monotonic()
                    try:
                        reaping.reap_dead_workers()
                    except Exception:
                        logger.exception("looking for the tasks of dead workers failed")
                self.stopping.wait(self.interval)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)


class _Restored:
    """Puts back what the worker changes in its process: signal handlers (which only the main
    thread may set) and the level of django-tasks' logger. Matters when the worker runs inside
    another program (``call_command`` in a test), not for ``casecenter worker`` itself."""

    def __init__(self) -> None:
        self.main = threading.current_thread() is threading.main_thread()
        self.handlers = {s: signal.getsignal(s) for s in _SIGNALS} if self.main else {}
        self.tasks_logger = logging.getLogger("django_tasks")
        self.level = self.tasks_logger.level

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self.handlers.items():
            signal.signal(sig, handler)
        self.tasks_logger.setLevel(self.level)


def run(options: Options) -> None:
    """Run the worker (until a signal, or with ``once`` until the queues are empty)."""
    discover()
    backend = task_backends[options.backend]
    ident = worker_id()
    scheduler = Scheduler(worker=ident)
    thread = None
    with _Restored() as restored:
        # django-tasks logs "started" and "finished" for each run; ``log_task_run`` says it in one line.
        restored.tasks_logger.setLevel(logging.WARNING)
        task_finished.connect(log_task_run, dispatch_uid="casecenter.worker.log_task_run")
        try:
            if options.schedule and options.once:
                enqueued = scheduler.tick()
                logger.info("periodic jobs enqueued: %s", ", ".join(enqueued) or "none due")
            database = isinstance(backend, DatabaseBackend)
            if database:
                reaping.reap_dead_workers()   # tasks left running by a worker killed before this start
            if not options.once and (options.schedule or database):
                thread = ScheduleThread(scheduler if options.schedule else None, options.interval, reap=database)
                thread.start()
            if database:
                _run_database(options, ident, main=restored.main)
            else:
                _run_rq(options, ident, backend)
        finally:
            if thread is not None:
                thread.stop()
            task_finished.disconnect(dispatch_uid="casecenter.worker.log_task_run")


def _run_database(options: Options, ident: str, *, main: bool) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=options.queues, interval=options.interval, batch=options.once,
                    backend_name=options.backend, startup_delay=not options.once, max_tasks=None,
                    worker_id=ident, excluded_queue_names=[])
    if main:
        worker.configure_signals()
    worker.run()


def _run_rq(options: Options, ident: str, backend) -> None:
    try:
        import django_rq
        from django_rq.utils import reset_db_connections
        from django_tasks_rq.backend import Job, RQBackend
    except ImportError as exc:  # pragma: no cover - the settings refuse this earlier
        raise RuntimeError(f"the Redis backend needs the redis extra: {exc}") from None
    if not isinstance(backend, RQBackend):
        raise RuntimeError(f"casecenter worker runs the database or the Redis backend, not {type(backend).__name__}")
    queues = sorted(settings.RQ_QUEUES) if "*" in options.queues else options.queues
    worker = django_rq.get_worker(*queues, job_class=Job, name=ident)
    reset_db_connections()   # the work horses are forked: they must not share this process's connections
    # RQ installs its own SIGINT/SIGTERM handlers: warm shutdown after the running job.
    worker.work(burst=options.once, with_scheduler=True, logging_level="INFO")
