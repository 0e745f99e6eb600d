"""The tables of background work.

:class:`Progress` is how far one long job (a reindex, a bulk import, a rendering) has come, for the
progress bar its owner watches. It is operational bookkeeping, not a law-enforcement record: it is
written with plain UPDATEs (``progress.py``), without ledger events, and old rows are pruned. What
the job changes is recorded by the services it calls, and starting it by the service that starts it.

:class:`ScheduleSlot` makes the periodic schedule run each job once per slot however many workers
run it: the worker that inserts ``(name, slot_start)`` enqueues, the others hit the unique
constraint and skip (``schedule.py``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casecenter.core import clock


class ProgressState(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


FINISHED_STATES = frozenset({ProgressState.SUCCEEDED, ProgressState.FAILED, ProgressState.CANCELLED})


class Progress(models.Model):
    """One long job as its owner sees it. ``total`` is NULL while the size is unknown.

    Invariants: ``finished_at`` is set exactly when ``state`` is not running; a finished row never
    changes again (every write is a compare-and-set on ``state=running``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=80, help_text=_("Dotted name of the job, e.g. search.reindex"))
    label = models.CharField(_("label"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    language = models.CharField(_("language"), max_length=16, blank=True,
                                help_text=_("The owner's language: the task writes its messages in it"))
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    state = models.CharField(_("state"), max_length=16, choices=ProgressState.choices, default=ProgressState.RUNNING)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result_url = models.CharField(_("result address"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_result_id = models.CharField(_("task id"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("started at"), default=clock.now)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        indexes = [models.Index(fields=["owner", "kind", "-created_at"], name="jobs_progress_owner_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_running(self) -> bool:
        return self.state == ProgressState.RUNNING

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None while the total is unknown (an indeterminate bar)."""
        if self.state == ProgressState.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))

    @property
    def elapsed_seconds(self) -> float:
        end = self.finished_at or clock.now()
        return max(0.0, (end - self.created_at).total_seconds())

    @property
    def remaining_seconds(self) -> float | None:
        """A linear estimate from the rate so far; None when it cannot be told yet."""
        if not self.is_running or not self.total or not self.done or self.done >= self.total:
            return None
        return self.elapsed_seconds * (self.total - self.done) / self.done


class ScheduleSlot(models.Model):
    """One periodic job's claim on one slot of its schedule (see ``schedule.py``)."""

    name = models.CharField(_("name"), max_length=80)
    slot_start = models.DateTimeField(_("slot start"))
    claimed_at = models.DateTimeField(_("claimed at"), default=clock.now)
    worker = models.CharField(_("worker"), max_length=64, blank=True)
    task_result_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("schedule slot")
        verbose_name_plural = _("schedule slots")
        constraints = [models.UniqueConstraint(fields=["name", "slot_start"], name="jobs_scheduleslot_once")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot_start:%Y-%m-%d %H:%M:%S}"
