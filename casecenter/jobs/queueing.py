"""Enqueueing a task as part of the caller's transaction, on either backend.

The database backend writes the task as a row in the caller's transaction: it commits or rolls
back with the change, so enqueueing at once is exact. Redis knows nothing of the transaction: a
task enqueued there at once could run before the change commits (and find nothing), or after it
rolled back; so there the task is enqueued when the transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django_tasks_db import DatabaseBackend


def is_transactional(task) -> bool:
    """Does enqueueing ``task`` write to the database, in the current transaction?"""
    return isinstance(task.get_backend(), DatabaseBackend)


def enqueue(task, /, *args, then: Callable | None = None, **kwargs):
    """Enqueue ``task(*args, **kwargs)`` with the current transaction; ``then(result)`` is called
    with its result once enqueued. Answers the result when enqueued at once, else None."""
    connection = transaction.get_connection()
    if is_transactional(task) or not connection.in_atomic_block:
        result = task.enqueue(*args, **kwargs)
        if then is not None:
            then(result)
        return result

    def _later():
        result = task.enqueue(*args, **kwargs)
        if then is not None:
            then(result)

    transaction.on_commit(_later)
    return None
