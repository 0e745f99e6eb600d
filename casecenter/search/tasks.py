"""Background tasks of the search app: rebuilding the index under a progress bar."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from casecenter.jobs.models import ProgressState
from casecenter.jobs.progress import progress_advance, progress_finish, progress_open

from . import indexing
from . import kinds as kind_registry
from .text import SEGMENTER


class _Tally:
    """Turns reindex's per-kind callback into one count over every kind, for one bar."""

    def __init__(self, progress, total: int | None) -> None:
        self.progress, self.total, self.done = progress, total, {}

    def __call__(self, kind: str, done: int, kind_total: int | None) -> None:
        self.done[kind] = done
        message = _("Indexing {kind}: {done} of {total}").format(
            kind=kind_registry.label_for(kind), done=done, total="?" if kind_total is None else kind_total)
        if not progress_advance(self.progress, done=sum(self.done.values()), total=self.total, message=message):
            raise _Stopped


class _Stopped(Exception):
    """The progress row was finished elsewhere (cancelled): stop rebuilding."""


@task()
def reindex(progress_id: str, kinds: list[str] | None = None) -> dict[str, int]:
    """Rebuild the search index (of ``kinds``, default all) under the progress row ``progress_id``.

    Idempotent: a rebuild replaces documents by key, so running it again gives the same index; and
    once its progress has finished, a second delivery of the same task does nothing. Each batch of
    documents commits on its own (``index_many``), and so does each progress write, so the owner's
    bar moves while the rebuild runs and searches keep working.
    """
    progress = progress_open(progress_id)
    if progress is None:
        return {}
    with translation.override(progress.language or None):
        chosen = [kind_registry.get(n) for n in kinds] if kinds else kind_registry.all_kinds()
        chosen = [k for k in chosen if k is not None and k.source is not None]
        counts = [k.count() if k.count else None for k in chosen]
        total = None if None in counts else sum(counts)
        progress_advance(progress, done=0, total=total, message=_("Starting…"))
        SEGMENTER.reset()   # pick up dictionary words added since this worker started
        try:
            # One process: forking a pool from a worker that runs the schedule thread is not safe.
            indexed = indexing.reindex([k.name for k in chosen], progress=_Tally(progress, total), jobs=1)
        except _Stopped:
            return {}
        except Exception as error:
            progress_finish(progress, state=ProgressState.FAILED, message=_("The rebuild failed."),
                            error=f"{type(error).__name__}: {error}")
            raise
        documents = sum(indexed.values())
        progress.done = documents if total is None else progress.done
        progress_finish(progress, state=ProgressState.SUCCEEDED, result_url=reverse("search:results"),
                        message=_("The search index was rebuilt: {count} documents.").format(count=documents))
    return indexed
