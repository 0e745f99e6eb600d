"""Progress of long jobs: start a row, advance it from the task, finish it.

Every long job (reindex, bulk import, rendering) works the same way::

    # in the service that starts it (request, transaction, ledger event):
    progress = progress_enqueue(reindex_task, kind="search.reindex", label=_("Rebuild the search index"),
                                owner=actor, kinds=kinds)

    # in the task, which takes the progress id (never a model instance):
    @task()
    def reindex_task(progress_id: str, kinds=None):
        progress = progress_open(progress_id)
        if progress is None:
            return                      # already finished: a second delivery does nothing
        for batch in batches:
            with transaction.atomic():  # each batch commits on its own ...
                write(batch)
            progress_advance(progress, done=n)   # ... and so does each progress write
        progress_finish(progress, state=ProgressState.SUCCEEDED, message=_("Done."))

The browser polls the row while the task runs, so a progress write must be committed when it
happens: the task must not wrap its whole run in one ``transaction.atomic()`` (nor run inside the
request's transaction: it runs in the worker). It commits its own batches, and calls
``progress_advance`` between them, outside any atomic block; each write is then a single UPDATE
by primary key that commits at once (autocommit). Writes are compare-and-set on
``state=running``: a finished (or cancelled) row never changes again, and ``progress_advance``
answers False so the task can stop.

Messages are translated text in the owner's language (``Progress.language``): the task writes them
inside ``translation.override(progress.language)``.
"""

from __future__ import annotations

import logging
import time

from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from casecenter.core import clock

from .models import FINISHED_STATES, Progress, ProgressState
from .queueing import enqueue

logger = logging.getLogger(__name__)

#: At most one write per this many seconds while running: cheap enough to call once per item.
WRITE_INTERVAL = 0.5


def progress_start(*, kind: str, label: str, owner=None, total: int | None = None) -> Progress:
    """A new running progress row; ``total`` None means the size is not known yet."""
    if total is not None and total < 0:
        raise ValueError("total must not be negative")
    owner = owner if getattr(owner, "is_authenticated", False) else None
    return Progress.objects.create(kind=kind, label=str(label)[:200], owner=owner, total=total,
                                   message=_("Waiting for a worker…"), language=translation.get_language() or "")


def progress_enqueue(task, *, kind: str, label: str, owner=None, total: int | None = None, **kwargs) -> Progress:
    """Start a progress row and enqueue ``task(progress_id=…, **kwargs)`` under it.

    Called in the starting service's transaction, the row and the task commit or roll back together
    with the change and its ledger event (see ``queueing.enqueue``).
    """
    progress = progress_start(kind=kind, label=label, owner=owner, total=total)

    def attach(result) -> None:
        progress.task_result_id = str(result.id)
        Progress.objects.filter(pk=progress.pk).update(task_result_id=progress.task_result_id)

    enqueue(task, progress_id=str(progress.pk), then=attach, **kwargs)
    return progress


def progress_open(progress_id) -> Progress | None:
    """The progress row a task works under, or None when that job has already finished (so that a
    second delivery of the same task does nothing twice) or its row is gone."""
    progress = Progress.objects.filter(pk=progress_id).first()
    if progress is None or progress.state in FINISHED_STATES:
        return None
    return progress


def progress_advance(progress: Progress, *, done: int, total: int | None = None, message: str | None = None) -> bool:
    """Record that ``done`` items are finished (and the total, when it became known).

    Writes at most every ``WRITE_INTERVAL`` seconds, except the first write and the one that
    reaches the total. Answers False when the row is no longer running (cancelled, or finished by
    another run): the task should stop.
    """
    if total is not None:
        progress.total = total
    progress.done = done
    if message is not None:
        progress.message = str(message)[:500]
    moment = time.monotonic()
    last = getattr(progress, "_last_write", None)
    complete = progress.total is not None and done >= progress.total
    if last is not None and moment - last < WRITE_INTERVAL and not complete:
        return True
    progress._last_write = moment
    progress.updated_at = clock.now()
    changed = Progress.objects.filter(pk=progress.pk, state=ProgressState.RUNNING).update(
        done=progress.done, total=progress.total, message=progress.message, updated_at=progress.updated_at)
    return bool(changed)


def progress_finish(progress: Progress, *, state: str, message: str | None = None, result_url: str | None = None,
                    error: str | None = None) -> bool:
    """End the job in ``state`` (succeeded, failed or cancelled). A succeeded job with a known
    total is shown complete. Answers False when the row had already finished (it is left as it was)."""
    state = ProgressState(state)
    if state not in FINISHED_STATES:
        raise ValueError(f"a progress finishes as one of {sorted(FINISHED_STATES)}, not {state!r}")
    moment = clock.now()
    fields = {"state": state, "finished_at": moment, "updated_at": moment}
    if message is not None:
        fields["message"] = str(message)[:500]
    if result_url is not None:
        fields["result_url"] = result_url[:500]
    if error is not None:
        fields["error"] = error
    if state == ProgressState.SUCCEEDED:
        fields["total"] = fields["done"] = progress.total if progress.total is not None else progress.done
    else:
        fields["done"] = progress.done
    changed = Progress.objects.filter(pk=progress.pk, state=ProgressState.RUNNING).update(**fields)
    if changed:
        for name, value in fields.items():
            setattr(progress, name, value)
    return bool(changed)


def fail_abandoned(sender, task_result, **kwargs) -> None:
    """``task_finished`` receiver: a task that failed while its progress row still runs (it raised
    before calling ``progress_finish``) leaves the row failed, with the error's class and message."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    errors = getattr(task_result, "errors", None) or []
    error = ""
    if errors:   # the traceback's last line: "ValueError: the message"
        lines = (errors[-1].traceback or "").strip().splitlines()
        error = lines[-1] if lines else errors[-1].exception_class_path
    for progress in Progress.objects.filter(task_result_id=str(task_result.id), state=ProgressState.RUNNING):
        with translation.override(progress.language or None):
            progress_finish(progress, state=ProgressState.FAILED, message=_("The job stopped with an error."),
                            error=error)
        logger.warning("progress %s of %s marked failed: its task %s failed", progress.pk, progress.kind,
                       task_result.id)
