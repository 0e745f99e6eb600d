"""The jobs app's own periodic work: pruning its bookkeeping."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from casecenter.core import clock

from .models import FINISHED_STATES, Progress
from .schedule import periodic

#: Finished progress rows and task results are kept this long (the owner may come back to a result).
KEEP_FINISHED = timedelta(days=30)


@periodic("jobs.prune", every=timedelta(days=1))
@task()
def prune() -> dict[str, int]:
    """Delete finished progress rows and finished task results older than ``KEEP_FINISHED``.
    Idempotent: a second run in the same day finds nothing more to delete."""
    before = clock.now() - KEEP_FINISHED
    progress, _ = Progress.objects.filter(state__in=FINISHED_STATES, finished_at__lt=before).delete()
    results = 0
    from django.apps import apps

    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return {"progress": progress, "task_results": results}
