"""Writing to the search index: ``index``, ``unindex``, ``index_many`` and ``reindex``.

The index is derived data: the facts live in the owning app's tables (and their changes in the
ledger), so writing the index records no ledger event and the index can always be rebuilt with
``casecenter search reindex``. ``index`` and ``unindex`` called inside a transaction take effect
when it commits (``transaction.on_commit``), so a rolled-back change never reaches the index and
several changes of one document in one transaction are indexed once, as they stand at the end.

A document carries:

- ``title`` and ``body``: the text shown and searched (segmented with jieba, traditional characters
  folded to simplified); the title weighs more in the ranking;
- ``keywords``: phrases that say what the document is about, searched with the title's weight but
  not shown (an article's lead-in to its enumerated items, a case's cause);
- ``names``: personal names, also matched by their pinyin and initials (``zhangsan``, ``zs``);
- ``identifiers``: ID-card, case, phone and plate numbers, also matched by any fragment of three or
  more characters;
- ``unit``: the owning unit (a :class:`~casecenter.accounts.models.Unit` or its id); ``None`` for a
  document every signed-in user may see (a law article). Visibility is applied inside the query;
- ``url`` and ``extra``: where the hit leads, and small facts the results page shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from casecenter.core.clock import now

from . import kinds as kind_registry
from .backends import backend_for
from .backends.common import prepare
from .models import Document
from .preparing import prepared_batches

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Doc:
    kind: str
    ref: str
    title: str
    body: str = ""
    unit_id: int | None = None
    names: Sequence[str] = ()
    identifiers: Sequence[str] = ()
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    keywords: Sequence[str] = ()


def make_doc(kind: str, ref, *, unit=None, title: str, body: str = "", names: Sequence[str] = (),
             identifiers: Sequence[str] = (), url: str = "", extra: dict | None = None,
             keywords: Sequence[str] = ()) -> Doc:
    if not kind_registry.KIND_RE.match(kind):
        raise ValueError(f"search kinds are named 'app.model' in lower case; got {kind!r}")
    unit_id = getattr(unit, "pk", unit)
    return Doc(kind=kind, ref=str(ref), title=title or "", body=body or "", unit_id=unit_id,
               names=tuple(n for n in names if n), identifiers=tuple(i for i in identifiers if i),
               url=url or "", extra=dict(extra or {}), keywords=tuple(k for k in keywords if k))


def _write_now(docs: dict[tuple[str, str], Doc | None]) -> None:
    upserts = [d for d in docs.values() if d is not None]
    removals = [key for key, d in docs.items() if d is None]
    with transaction.atomic():
        backend = backend_for(connection)
        if removals:
            backend.delete(connection, removals)
        if upserts:
            backend.upsert_rows(connection, [prepare(d) for d in upserts])


# State kept on the thread's own connection (``transaction.get_connection()``), never on the
# ``django.db.connection`` proxy, whose ``__dict__`` is shared by every thread of the process.
_BATCH = "_search_commit_batch"  # the documents of the committing transaction
_FLUSH = "_search_commit_flush"  # (its on-commit queue, the flush now last in it)


class _Change:
    """One scheduled change, registered with ``transaction.on_commit``: Django discards exactly the
    changes of a rolled-back savepoint. When the transaction commits, the surviving changes add
    their documents to the transaction's batch in order, the last change of each document winning;
    the :class:`_Flush` after them writes the batch."""

    __slots__ = ("key", "doc")

    def __init__(self, key: tuple[str, str], doc: Doc | None) -> None:
        self.key, self.doc = key, doc

    def __call__(self) -> None:
        transaction.get_connection().__dict__.setdefault(_BATCH, {})[self.key] = self.doc


class _Flush:
    """Writes the batch in one transaction. Kept after every change of its transaction: each new
    change retires the flush before it and queues a fresh one last (the queue only grows, so a
    test's captured slice of it stays whole). Queued with no savepoint ids, so that a rolled-back
    savepoint never discards it with its own changes. (Django rebuilds the queue when a savepoint
    rolls back: the flush before that is then not retired, and writes what was batched so far.)"""

    __slots__ = ("active",)

    def __init__(self) -> None:
        self.active = True

    def __call__(self) -> None:
        if not self.active:
            return
        self.active = False
        batch = transaction.get_connection().__dict__.pop(_BATCH, None)
        if not batch:
            return
        try:
            _write_now(batch)
        except Exception:
            # The change has committed: a failure to index is logged, never turned into an error
            # (Django's own handler of a robust callback cannot name a callable instance);
            # ``casecenter search reindex`` repairs the index.
            log.exception("writing %d search documents failed; run `casecenter search reindex`", len(batch))


def _schedule(key: tuple[str, str], doc: Doc | None) -> None:
    if not connection.in_atomic_block:
        _write_now({key: doc})
        return
    transaction.on_commit(_Change(key, doc))
    own = transaction.get_connection()
    queue = own.run_on_commit
    queued, previous = own.__dict__.get(_FLUSH, (None, None))
    if queued is queue:  # not a flush of another queue (a transaction opened by an on-commit callback)
        previous.active = False
    flush = _Flush()
    own.__dict__[_FLUSH] = (queue, flush)
    # Django's own entry shape (savepoint ids, callback, robust), as transaction.on_commit makes it.
    queue.append((set(), flush, True))


def index(kind: str, ref, *, unit=None, title: str, body: str = "", names: Sequence[str] = (),
          identifiers: Sequence[str] = (), url: str = "", extra: dict | None = None,
          keywords: Sequence[str] = ()) -> None:
    """Add or replace one document; inside a transaction, when it commits."""
    doc = make_doc(kind, ref, unit=unit, title=title, body=body, names=names, identifiers=identifiers,
                   url=url, extra=extra, keywords=keywords)
    _schedule((doc.kind, doc.ref), doc)


def unindex(kind: str, ref) -> None:
    """Remove one document (if it is indexed); inside a transaction, when it commits."""
    _schedule((kind, str(ref)), None)


def index_many(docs: Iterable[Doc], *, batch_size: int = 1000, progress: Callable[[int], None] | None = None,
               jobs: int = 1) -> int:
    """Write many documents now, in batches of ``batch_size`` (one transaction each); returns the
    count. ``progress(n)`` is called after each batch with the number written so far; with
    ``jobs`` > 1 the documents are prepared by that many worker processes (see ``preparing``)."""
    backend = backend_for(connection)
    written = 0
    for rows in prepared_batches(docs, batch_size=batch_size, jobs=jobs):
        with transaction.atomic():
            backend.upsert_rows(connection, rows)
        written += len(rows)
        if progress:
            progress(written)
    return written


def optimize() -> None:
    """Compact the database's full-text structures (after a rebuild or a large import)."""
    with transaction.atomic():
        backend_for(connection).optimize(connection)


def reindex(kind_names: Sequence[str] | None = None, *,
            progress: Callable[[str, int, int | None], None] | None = None, jobs: int = 1) -> dict[str, int]:
    """Rebuild the index of the given kinds (default: every registered kind) from their sources.

    Documents are replaced batch by batch, and those the source no longer yields are removed at the
    end, so searches keep finding everything while a rebuild runs.
    """
    chosen = [kind_registry.get(n) for n in kind_names] if kind_names else kind_registry.all_kinds()
    unknown = [n for n, k in zip(kind_names or [], chosen, strict=False) if k is None]
    if unknown:
        raise LookupError(unknown)
    counts = {}
    for kind in chosen:
        if kind.source is None:
            continue
        total = kind.count() if kind.count else None
        started = now()
        counts[kind.name] = index_many(
            kind.source(), progress=(lambda n, k=kind, t=total: progress(k.name, n, t)) if progress else None,
            jobs=jobs)
        with transaction.atomic():
            Document.objects.filter(kind=kind.name, indexed_at__lt=started).delete()
    if counts:
        optimize()
    return counts
