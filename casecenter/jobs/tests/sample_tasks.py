"""Tasks for the tests (importable by path, as the worker needs): they write files, not rows, so
they run the same in a forked RQ work horse."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task

from casecenter.jobs.models import ProgressState
from casecenter.jobs.progress import progress_advance, progress_finish, progress_open


@task()
def touch(path: str, text: str = "ran") -> str:
    """Append ``text`` and a newline to ``path``: a file with two lines ran twice."""
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")
    return text


@task()
def count_to(progress_id: str, n: int) -> int:
    progress = progress_open(progress_id)
    if progress is None:
        return 0
    for i in range(1, n + 1):
        progress_advance(progress, done=i, total=n)
    progress_finish(progress, state=ProgressState.SUCCEEDED, message="done", result_url="/somewhere")
    return n


@task()
def explode(progress_id: str) -> None:
    progress = progress_open(progress_id)
    progress_advance(progress, done=1, total=10)
    raise ValueError("the disk is full")


MARKER = ""


@task()
def touch_marker() -> str:
    """A periodic job (no arguments): touches the file the test put in ``MARKER``."""
    return touch.call(MARKER)
