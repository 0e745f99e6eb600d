"""Preparing documents for the index (segmentation, folding, pinyin) in batches, optionally on
several processes.

Preparation costs more CPU than the database's own indexing, and a rebuild or a bulk import of
many thousands of documents need not wait for one core: with ``jobs`` > 1 a pool of forked
workers prepares the next batches while this process writes the current one. Workers are forked
once per process and reused; they hold the dictionary as it was when they were forked (the
segmenter is frozen in them, so they never query the database), and are replaced when the
dictionary changes.
"""

from __future__ import annotations

import atexit
import itertools
import multiprocessing
import os
from collections.abc import Iterable, Iterator

from . import text
from .backends.common import prepare

_pool = None
_pool_key: tuple | None = None


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _prepare_batch(docs) -> list[tuple]:
    return [prepare(doc) for doc in docs]


def _pool_for(jobs: int):
    global _pool, _pool_key
    text.SEGMENTER.engine()              # load the dictionary here, before forking
    key = (jobs, text.SEGMENTER.generation)
    if _pool is None or _pool_key != key:
        close()
        _pool = multiprocessing.get_context("fork").Pool(jobs, initializer=text.SEGMENTER.freeze)
        _pool_key = key
    return _pool


def close() -> None:
    global _pool, _pool_key
    if _pool is not None:
        _pool.terminate()
        _pool.join()
    _pool, _pool_key = None, None


atexit.register(close)


def _batches(docs: Iterable, size: int) -> Iterator[list]:
    iterator = iter(docs)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def prepared_batches(docs: Iterable, *, batch_size: int, jobs: int = 1) -> Iterator[list[tuple]]:
    """The prepared rows of ``docs``, ``batch_size`` at a time, in order."""
    if jobs <= 1:
        for batch in _batches(docs, batch_size):
            yield _prepare_batch(batch)
        return
    # Each worker prepares whole batches ahead (imap keeps their order) while this process writes.
    yield from _pool_for(jobs).imap(_prepare_batch, _batches(docs, batch_size))
