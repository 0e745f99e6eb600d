"""The periodic schedule: jobs declared in code, each enqueued once per slot by whichever worker
gets there first.

Declare a periodic job on a task, in the ``tasks`` module of its app (the worker imports every
app's ``tasks`` module)::

    @periodic("jobs.prune", every=timedelta(days=1))
    @task()
    def prune() -> None: ...

Time is cut into slots of length ``every``, counted from the Unix epoch (so a daily job's slot
starts at 00:00 UTC, 08:00 in Beijing). In each slot, the first worker that looks inserts a
:class:`~casecenter.jobs.models.ScheduleSlot` row ``(name, slot_start)`` and enqueues the task in
the same transaction; every other worker, on this machine or another, hits the unique constraint
(an IntegrityError, caught in a savepoint) and skips. A worker that was stopped for several slots
enqueues only the current one: periodic jobs catch up by doing their whole work each time, never
by being run once per missed slot.

With the database backend the slot and the task commit together (exactly once per slot). With
Redis the task is enqueued before the slot commits: if that commit fails, another worker may enqueue
the slot again, which is why every task must be idempotent (see ``casecenter/jobs/__init__.py``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.utils import is_locked_database_exception

from casecenter.core import clock

from .models import ScheduleSlot

logger = logging.getLogger(__name__)

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
#: Slots of jobs no longer declared are dropped after this long.
FORGOTTEN_AFTER = timedelta(days=30)
#: A job's past slots are kept at least this long: a worker whose clock runs a little behind must
#: still find the slot another worker claimed (a pruned slot could be claimed, and run, again).
KEEP_SLOTS = timedelta(hours=1)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: object          # a django-tasks Task
    every: timedelta
    # Run in the scheduler's own thread by the worker that claims the slot, instead of queued: for
    # short jobs that must not wait behind a long one (the deadline scan behind an index rebuild).
    inline: bool = False

    def slot_start(self, at: datetime) -> datetime:
        """The start of the slot ``at`` falls in."""
        step = int(self.every.total_seconds())
        seconds = int(at.timestamp())
        return datetime.fromtimestamp(seconds - seconds % step, tz=UTC)


_PERIODIC: dict[str, Periodic] = {}


def periodic(name: str, *, every: timedelta, inline: bool = False):
    """Declare the decorated django-tasks ``@task`` a periodic job named ``name`` (``app.job``),
    enqueued once every ``every`` (whole seconds, at least one minute). Put it above ``@task()``.
    ``inline``: run it at once in the scheduler thread of the worker that claims the slot (still once
    per slot across workers), for a short job that must never wait in the queue."""
    if not NAME_RE.match(name):
        raise ValueError(f"periodic jobs are named 'app.job' in lower case; got {name!r}")
    if every < timedelta(minutes=1) or every.total_seconds() != int(every.total_seconds()):
        raise ValueError(f"{name}: 'every' must be whole seconds and at least one minute; got {every}")

    def decorate(task):
        if not hasattr(task, "enqueue") or not hasattr(task, "module_path"):
            raise TypeError(f"@periodic({name!r}) decorates a django-tasks @task: put it above @task()")
        known = _PERIODIC.get(name)
        if known is not None and known.task.module_path != task.module_path:
            raise ValueError(f"two periodic jobs are named {name!r}: {known.task.module_path} and {task.module_path}")
        _PERIODIC[name] = Periodic(name=name, task=task, every=every, inline=inline)
        return task

    return decorate


def discover() -> None:
    """Import every installed app's ``tasks`` module, where periodic jobs are declared."""
    autodiscover_modules("tasks")


def periodic_jobs() -> list[Periodic]:
    return sorted(_PERIODIC.values(), key=lambda job: job.name)


class Scheduler:
    """Enqueues due periodic jobs. One per worker process; ``tick()`` is called every few seconds.

    ``_tried`` remembers the slot this process last tried for each job, only to spare the database
    an INSERT per job per tick: the unique constraint alone decides who enqueues.
    """

    def __init__(self, jobs: list[Periodic] | None = None, *, worker: str = "") -> None:
        self.jobs = jobs
        self.worker = worker[:64]
        self._tried: dict[str, datetime] = {}

    def due(self, at: datetime | None = None) -> list[Periodic]:
        """The jobs whose current slot this scheduler has not settled yet (claimed or seen taken)."""
        at = at or clock.now()
        jobs = self.jobs if self.jobs is not None else periodic_jobs()
        return [job for job in jobs if self._tried.get(job.name) != job.slot_start(at)]

    def tick(self, at: datetime | None = None) -> list[str]:
        """Enqueue every job whose current slot nobody has claimed; answers the names enqueued."""
        at = at or clock.now()
        enqueued = []
        for job in self.due(at):
            slot = job.slot_start(at)
            claimed = self._claim(job, slot)
            if claimed is None:
                continue    # the database was busy: the next tick tries this slot again
            self._tried[job.name] = slot
            if claimed:
                enqueued.append(job.name)
        return enqueued

    def _claim(self, job: Periodic, slot: datetime) -> bool | None:
        try:
            # A savepoint when called inside a transaction: the IntegrityError rolls back only this.
            with transaction.atomic():
                claim = ScheduleSlot.objects.create(name=job.name, slot_start=slot, worker=self.worker)
                if not job.inline:
                    result = job.task.enqueue()
                    ScheduleSlot.objects.filter(pk=claim.pk).update(task_result_id=str(result.id))
        except IntegrityError:
            return False    # another worker has this slot
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None
            raise
        self._prune(job, slot)
        if job.inline:
            self._run_inline(job, slot)
        else:
            logger.info("periodic %s enqueued for the slot of %s (task %s)", job.name, slot.isoformat(), result.id)
        return True

    @staticmethod
    def _run_inline(job: Periodic, slot: datetime) -> None:
        """Run a claimed inline job now; a failure is logged, and the next slot runs it again."""
        try:
            outcome = job.task.call()
        except Exception:
            logger.exception("periodic %s failed in the slot of %s", job.name, slot.isoformat())
            return
        logger.info("periodic %s ran for the slot of %s: %s", job.name, slot.isoformat(), outcome)

    def _prune(self, job: Periodic, slot: datetime) -> None:
        """Once per slot: this job's slots older than KEEP_SLOTS (or two periods), and slots of jobs no
        longer declared. Best effort: on a busy database the next slot's claim prunes them."""
        declared = [j.name for j in (self.jobs if self.jobs is not None else periodic_jobs())]
        try:
            ScheduleSlot.objects.filter(name=job.name, slot_start__lt=slot - max(2 * job.every, KEEP_SLOTS)).delete()
            ScheduleSlot.objects.exclude(name__in=declared).filter(slot_start__lt=slot - FORGOTTEN_AFTER).delete()
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise


def run_due(at: datetime | None = None) -> list[str]:
    """Enqueue every periodic job that is due now (``casecenter worker --once`` and cron)."""
    return Scheduler().tick(at)
