"""Benchmarks of the search index (``casecenter bench search``).

- ``search.index``: documents per second through ``index_many`` (segmentation, pinyin, the
  database's full-text structures), in the throwaway database like every other benchmark;
- ``search.selective`` and ``search.broad``: the latency of ``selectors.search`` for a user of the
  root unit (every unit's documents are visible to them, through the visibility sub-select), top 20,
  over the generator's planted queries (see :mod:`casecenter.search.corpus`) on a large corpus.

The corpus (``CASECENTER_BENCH_SEARCH_DOCS`` documents, default 1,000,000) takes minutes to build,
so it lives in a database of its own that later runs reuse: on SQLite the file
``VAR_DIR/bench/search-corpus-<docs>-v<generator>-<key>.sqlite3``; on PostgreSQL the database
``casecenter_bench_search``, created when missing and rebuilt when its key differs. The key
fingerprints what decides the index's content (the generator's version and seed, the full-text DDL,
and the prepared words of sample documents, see ``corpus_key``), so a change of segmentation or
dictionary builds a fresh corpus rather than measuring a stale one. The key is computed once per
process: code edited during a run does not split the run over two corpora. An interrupted build
resumes where it stopped (the generator is deterministic). With ``--in-place`` the corpus is a small
one, built in the current transaction.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from casecenter.core.bench import benchmark

from . import corpus, ddl, kinds
from .backends import common
from .indexing import index_many, optimize
from .preparing import default_jobs
from .selectors import search

DEFAULT_DOCS = 1_000_000
IN_PLACE_DOCS = 2_000
SEED = 20261127
BUILD_BATCH = 2_000
INDEX_BATCH = 1000
PG_DATABASE = "casecenter_bench_search"
USERNAME = "bench-search"
KEY_SAMPLE = 200
PREPARED = ("title_words", "body_words", "pinyin", "ident")  # the columns the text preparation fills


def corpus_size() -> int:
    return int(os.environ.get("CASECENTER_BENCH_SEARCH_DOCS", DEFAULT_DOCS))


@functools.cache
def corpus_key(size: int, vendor: str) -> str:
    """What decides the index's content: the corpus, the full-text DDL, and what the text preparation
    (segmentation with the dictionary, pinyin, identifiers) makes of sample documents. Its output,
    not its source: an edit that changes nothing indexed keeps the corpus."""
    digest = hashlib.sha256(f"{size}:{corpus.GENERATOR_VERSION}:{SEED}".encode())
    digest.update("\n".join(ddl.statements(vendor)).encode())
    for doc in corpus.documents(KEY_SAMPLE, seed=SEED):
        row = dict(zip(common.COLUMNS, common.prepare(doc), strict=True))
        digest.update("\x1f".join(row[c] for c in PREPARED).encode())
    return digest.hexdigest()[:10]


def bench_organisation():
    """A city bureau with districts and stations (idempotent), and a case officer of the city bureau,
    who sees every unit's documents. Returns (user, unit ids)."""
    from casecenter.accounts.models import Unit, UnitKind, User
    from casecenter.accounts.roles import Role
    from casecenter.accounts.services import unit_create, user_create, user_set_roles

    def unit(code, name, kind, parent=None):
        return Unit.objects.filter(code=code).first() or unit_create(
            actor=None, code=code, name=name, kind=kind, parent=parent)

    with transaction.atomic():
        city = unit("BENCH-CITY", "基准市公安局", UnitKind.CITY_BUREAU)
        units = [city]
        for d, (district, _) in enumerate(corpus.DISTRICTS[:8]):
            bureau = unit(f"BENCH-D{d}", f"{district}公安分局", UnitKind.DISTRICT_BUREAU, city)
            units.append(bureau)
            units += [unit(f"BENCH-D{d}-S{s}", f"{district}{station}派出所", UnitKind.POLICE_STATION, bureau)
                      for s, station in enumerate(corpus.STATIONS[:4])]
        user = User.objects.filter(username=USERNAME).first()
        if user is None:
            user = user_create(actor=None, username=USERNAME, full_name="基准民警", unit=city,
                               password="bench-search-not-a-login-2026")
            user_set_roles(actor=None, user=user, roles=[Role.CASE_OFFICER])
    kinds.register(corpus.KIND, label="Benchmark cases", order=999)
    return user, [u.pk for u in units]


class _Progress:
    """One line on stderr, redrawn on a terminal; every 5 % on a pipe."""

    def __init__(self, total: int, start: int) -> None:
        self.total, self.start, self.began = total, start, time.monotonic()
        self.tty, self.shown = sys.stderr.isatty(), -1

    def __call__(self, done: int) -> None:
        have = self.start + done
        step = have * 20 // self.total
        if not self.tty and step == self.shown and have < self.total:
            return
        self.shown = step
        rate = done / max(time.monotonic() - self.began, 1e-9)
        eta = (self.total - have) / rate if rate else 0
        line = (f"search corpus: {have:,} / {self.total:,} documents, {rate:,.0f}/s, "
                f"about {eta / 60:.1f} min left")
        sys.stderr.write(f"\r{line}\033[K" if self.tty else line + "\n")
        if self.tty and have >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _fill(size: int, key: str, unit_ids: list[int]) -> None:
    """Index documents until the corpus has ``size``; resume after the last committed batch. The table
    ``bench_search_corpus`` holds the key and size of the corpus once it is complete."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_search_corpus "
                       "(key varchar(40) PRIMARY KEY, docs integer NOT NULL)")
        cursor.execute("SELECT docs FROM bench_search_corpus WHERE key = %s", [key])
        if cursor.fetchone() == (size,):
            return
        cursor.execute("SELECT COUNT(*) FROM search_document WHERE kind = %s", [corpus.KIND])
        (have,) = cursor.fetchone()
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=OFF")  # a benchmark database: a crash means a rebuild
            cursor.execute("PRAGMA cache_size=-262144")
        else:
            cursor.execute("SET synchronous_commit TO off")
    sys.stderr.write(f"Building the search benchmark corpus ({size:,} documents, key {key}) in "
                     f"{connection.settings_dict['NAME']}; it is kept for later runs.\n")
    docs = corpus.documents(size - have, seed=SEED, unit_ids=unit_ids, start=have)
    index_many(docs, batch_size=BUILD_BATCH, progress=_Progress(size, have), jobs=default_jobs())
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_search_corpus (key, docs) VALUES (%s, %s)", [key, size])
    optimize()  # what `casecenter search reindex` ends with
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum would have done by the time anyone searches
            cursor.execute("VACUUM ANALYZE search_document")
    connection.close()  # the build's pragmas end with its connection


def _postgres_database(key: str) -> None:
    """Create the benchmark database if missing; drop and recreate it if it holds another corpus."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE])
        exists = cursor.fetchone() is not None
    if exists:
        original = connection.settings_dict["NAME"]
        connection.close()
        connection.settings_dict["NAME"] = PG_DATABASE
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT to_regclass(%s) IS NOT NULL", ["bench_search_corpus"])
                has_meta = cursor.fetchone()[0]
                rows = []
                if has_meta:
                    cursor.execute("SELECT key FROM bench_search_corpus")
                    rows = [k for (k,) in cursor.fetchall()]
        finally:
            connection.close()
            connection.settings_dict["NAME"] = original
        if not rows or key in rows:
            return  # the same corpus, complete or partly built
        with connection.cursor() as cursor:
            sys.stderr.write(f"Dropping {PG_DATABASE}: it holds another corpus ({rows[0]}).\n")
            cursor.execute(f'DROP DATABASE "{PG_DATABASE}"')
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{PG_DATABASE}"')


@contextlib.contextmanager
def corpus_database():
    """Switch to the corpus database (built and migrated as needed); yields (user, documents)."""
    size = corpus_size()
    if connection.in_atomic_block:  # --in-place: a small corpus in the current, rolled-back transaction
        size = min(size, IN_PLACE_DOCS)
        user, unit_ids = bench_organisation()
        index_many(corpus.documents(size, seed=SEED, unit_ids=unit_ids), batch_size=BUILD_BATCH, jobs=default_jobs())
        yield user, size
        return
    key = corpus_key(size, connection.vendor)
    if connection.vendor == "sqlite":
        folder = Path(settings.VAR_DIR) / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        name = str(folder / f"search-corpus-{size}-v{corpus.GENERATOR_VERSION}-{key}.sqlite3")
    elif connection.vendor == "postgresql":
        _postgres_database(key)
        name = PG_DATABASE
    else:
        raise NotImplementedError(connection.vendor)
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        call_command("migrate", verbosity=0, interactive=False)
        user, unit_ids = bench_organisation()
        _fill(size, key, unit_ids)
        yield user, size
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def _latencies(ctx, queries: list[str]) -> list[float]:
    """Time one search per operation, the next query each time; refuse a query the backend could not
    run, and report the corpus size, the hit counts, and the median of one-term and two-term queries."""
    with corpus_database() as (user, size):
        rotation = iter(range(10**12))
        runs: list[tuple[str, int]] = []

        def run():
            query = queries[next(rotation) % len(queries)]
            result = search(query, user=user, limit=20)
            if result.error:
                raise RuntimeError(f"search {query!r} failed: {result.error}")
            runs.append((query, result.total))

        durations = ctx.measure(run)
        timed = runs[ctx.warmup:]
        hits = sorted(total for _, total in timed)
        ctx.extra.update({"corpus_docs": size, "hits_median": hits[len(hits) // 2], "hits_max": hits[-1],
                          "queries_without_hits": sum(1 for t in hits if t == 0)})
        for label, terms in (("one_term", 1), ("two_terms", 2)):
            chosen = sorted(d for d, (q, _) in zip(durations, timed, strict=True) if len(q.split()) == terms)
            if chosen:
                ctx.extra[f"median_ms_{label}"] = round(chosen[len(chosen) // 2] * 1000, 2)
        return durations


@benchmark("search.selective", unit="query", repeat=1000, warmup=100,
           description="search() top 20 for a root-unit officer, rare terms and rare pairs "
                       "(0.005-0.014 % of the corpus), CASECENTER_BENCH_SEARCH_DOCS documents")
def selective(ctx):
    return _latencies(ctx, corpus.selective_queries(100))


@benchmark("search.broad", unit="query", repeat=300, warmup=30,
           description="search() top 20 for a root-unit officer, common offences and districts "
                       "(1-5 % of the corpus each), CASECENTER_BENCH_SEARCH_DOCS documents")
def broad(ctx):
    return _latencies(ctx, corpus.broad_queries(len(corpus.BROAD_TERMS)))


INDEX_STREAM = 10_000


@benchmark("search.index", unit="doc", repeat=8, warmup=1, per_op=INDEX_STREAM,
           description=f"index_many() of {INDEX_STREAM:,} generated case narratives in transactions of "
                       f"{INDEX_BATCH}, prepared by default_jobs() worker processes (segmentation, pinyin and "
                       "the full-text index included; generation not timed)")
def index(ctx):
    _user, unit_ids = bench_organisation()
    streams = iter([list(corpus.documents(INDEX_STREAM, seed=SEED + 1, unit_ids=unit_ids, start=n * INDEX_STREAM))
                    for n in range(ctx.warmup + ctx.iterations)])
    jobs = default_jobs()
    ctx.extra["jobs"] = jobs
    return ctx.measure(lambda: index_many(next(streams), batch_size=INDEX_BATCH, jobs=jobs))
