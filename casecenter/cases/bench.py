"""Benchmarks of cases on a city's year of data (``casecenter bench cases``).

- ``cases.list``: the case list page (selector, pagination and template) through the Django test
  Client as a signed-in case officer of the city bureau (who sees every unit): the first page,
  unfiltered and with a few filter combinations in rotation. Server time per request, in process.
- ``cases.page``: the case page of random seeded cases, same officer.
- ``cases.search``: ``search.selectors.search`` (kind ``cases.case``, top 20) for the same officer,
  over case numbers, party names, ID numbers and causes of seeded cases.
- ``cases.intake_api``: ``POST /api/v1/cases/`` in process (validation, numbering, acceptance
  record, ledger event, review clock, index), one request at a time: latency and cases/s.
- ``cases.intake_api_batch``: ``POST /api/v1/cases/batch`` with 100 reports a call (a dispatch
  system's feed): latency per call and cases/s.
- ``cases.intake_api_workers``: the single intake from one worker process per core at once (as a
  WSGI server runs them), for ``CASECENTER_BENCH_INTAKE_SECONDS`` (10): cases committed per second.

The data is ``casecenter seed`` (:mod:`casecenter.cases.seed`) written into the benchmark's
throwaway database at the start of the run (the city year takes a few minutes; not timed);
``CASECENTER_BENCH_CASES_SCALE=small`` shrinks it (``--in-place`` runs use ``small`` unless told
otherwise).
"""

from __future__ import annotations

import functools
import os
import random
import sys
import time
from datetime import timedelta

from django.db import connection
from django.urls import reverse

from casecenter.core import clock
from casecenter.core.bench import benchmark

SEED = 20261127


def bench_scale() -> str:
    scale = os.environ.get("CASECENTER_BENCH_CASES_SCALE")
    if scale:
        return scale
    return "small" if connection.in_atomic_block else "city-year"


def _data():
    """The seeded data (written when missing) and the city officer's client."""
    from casecenter.accounts.models import User
    from casecenter.accounts.sessions import signed_in_client
    from casecenter.search.management.commands.search import ProgressBar

    from . import seed as seeding
    from .models import Case

    if not Case.objects.filter(unit__code__startswith=seeding.MARK).exists():
        scale = bench_scale()
        sys.stderr.write(f"Seeding the cases benchmark data ({scale}) in {connection.settings_dict['NAME']}.\n")
        bar = ProgressBar(sys.stderr)
        seeding.seed(scale=scale, seed=SEED, force=True, progress=bar)
        bar.finish()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # As autovacuum leaves a city's database: statistics, and the visibility map that lets
            # an index answer alone (freshly bulk-written pages are not yet marked all-visible).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    user = User.objects.get(username="seed-city")
    return user, signed_in_client(user)


def _case_ids(n: int) -> list[int]:
    from . import seed as seeding
    from .models import Case

    ids = list(Case.objects.filter(unit__code__startswith=seeding.MARK).values_list("pk", flat=True))
    return random.Random(SEED).sample(ids, min(n, len(ids)))  # noqa: S311 - not a secret


def _rotate(items):
    position = iter(range(10**12))
    return lambda: items[next(position) % len(items)]


def _get(client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")


def _list_queries() -> list[str]:
    from . import seed as seeding
    from .models import Case, CaseCause, CaseKind, CaseStatus

    sample = Case.objects.filter(unit__code__startswith=seeding.MARK).order_by("pk").first()
    cause = CaseCause.objects.filter(kind=CaseKind.CRIMINAL, cases__isnull=False).order_by("code").first()
    month_ago = (clock.now() - timedelta(days=30)).date()
    return ["",
            f"?status={CaseStatus.INVESTIGATING}",
            f"?kind={CaseKind.CRIMINAL}&status={CaseStatus.ARCHIVED}",
            f"?cause={cause.code}" if cause else "?kind=administrative",
            f"?unit={sample.unit_id}",
            f"?received_from={month_ago.isoformat()}&kind={CaseKind.ADMINISTRATIVE}",
            f"?number={sample.number[-5:]}"]


@benchmark("cases.list", unit="req", repeat=300, warmup=20,
           description="The case list page, first page, as a city-bureau officer, unfiltered and six filter "
                       "combinations in rotation (test Client, in process), on casecenter seed data")
def case_list(ctx):
    _user, client = _data()
    base = reverse("cases:list")
    queries = _list_queries()
    next_query = _rotate(queries)
    durations = ctx.measure(lambda: _get(client, base + next_query()))
    ctx.extra["filters"] = len(queries)
    for n, query in enumerate(queries):  # the median of each combination
        mine = sorted(durations[(n - ctx.warmup) % len(queries)::len(queries)])
        if mine:
            ctx.extra[f"median_ms_{n}_{query.lstrip('?').split('=')[0] or 'none'}"] = round(
                mine[len(mine) // 2] * 1000, 2)
    return durations


@benchmark("cases.page", unit="req", repeat=300, warmup=20,
           description="The case page of random seeded cases as a city-bureau officer (test Client, in process)")
def case_page(ctx):
    _user, client = _data()
    urls = [reverse("cases:detail", args=[pk]) for pk in _case_ids(ctx.iterations + ctx.warmup)]
    next_url = _rotate(urls)
    return ctx.measure(lambda: _get(client, next_url()))


@functools.cache
def _search_queries_for(db_name: str) -> list[str]:
    from . import seed as seeding
    from .models import Party

    rng = random.Random(SEED)  # noqa: S311 - picks sample queries
    parties = list(Party.objects.filter(case__unit__code__startswith=seeding.MARK)
                   .select_related("case__cause", "person").order_by("pk")[:5000])
    picks = rng.sample(parties, min(50, len(parties)))
    queries = []
    for party in picks:
        queries += [party.case.number, party.person.name]
        if party.person.id_number:
            queries.append(party.person.id_number[-8:])
        queries.append(f"{party.case.cause.name} {party.person.name}")
    return queries


@benchmark("cases.search", unit="query", repeat=500, warmup=50,
           description="search() of cases (kind cases.case, top 20) as a city-bureau officer: numbers, party "
                       "names, ID-number fragments, cause + name")
def case_search(ctx):
    from casecenter.search.selectors import search

    from .documents import KIND

    user, _client = _data()
    queries = _search_queries_for(connection.settings_dict["NAME"])
    next_query = _rotate(queries)
    hits = []

    def run():
        result = search(next_query(), user=user, kinds=[KIND], limit=20)
        if result.error:
            raise RuntimeError(result.error)
        hits.append(result.total)

    durations = ctx.measure(run)
    ctx.extra["queries_without_hits"] = sum(1 for h in hits if not h)
    return durations


def _intake_setup():
    """The intake payload maker and the URL: reports of the seeded city's stations in rotation (a
    city's reports come in at every station), each with two of the station's officers."""
    from casecenter.accounts.models import User

    from . import seed as seeding
    from .models import CaseCause, CaseKind

    stations = []
    for officer in User.objects.filter(username__regex=r"^seed-d[0-9]+-s[0-9]+-o0$").select_related("unit") \
            .order_by("username")[:10]:
        assert officer.unit.code.startswith(seeding.MARK)
        names = list(User.objects.filter(unit=officer.unit, username__contains="-o").order_by("username")
                     .values_list("username", flat=True)[:2])
        stations.append((officer.unit_id, names))
    causes = list(CaseCause.objects.filter(kind=CaseKind.CRIMINAL, active=True).values_list("code", flat=True)[:20])
    next_cause, next_station = _rotate(causes), _rotate(stations)

    def body() -> dict:
        unit, officers = next_station()
        return {"kind": "criminal", "cause": next_cause(), "summary": "报案人称其电动自行车在小区门口被盗",
                "source": "call_110", "received_at": (clock.now() - timedelta(minutes=30)).isoformat(),
                "unit": unit, "officers": officers, "reporter_name": "张三"}

    return body, reverse("api:case-list")


def _token_client():
    """A client of the API as a machine client calls it (the 110 dispatch system's account): the
    city officer's personal token, no session."""
    from django.test import Client

    from casecenter.accounts.models import User
    from casecenter.accounts.services.tokens import token_create

    _token, key = token_create(user=User.objects.get(username="seed-city"), name="bench intake")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _post_intake(client, url: str, body: dict) -> None:
    response = client.post(url, body, content_type="application/json")
    if response.status_code != 201:
        raise RuntimeError(f"intake answered {response.status_code}: {response.content[:500]!r}")


@benchmark("cases.intake_api", unit="case", repeat=300, warmup=20,
           description="POST /api/v1/cases/ (intake: number, acceptance record, ledger event and its on-commit "
                       "sequencing, review clock, index) in one process with a city-bureau officer's API token, "
                       "reports of ten stations in rotation, one case per request: latency, and cases/s")
def intake_api(ctx):
    _data()
    client = _token_client()
    body, url = _intake_setup()
    return ctx.measure(lambda: _post_intake(client, url, body()))


BATCH_REPORTS = 100  # as many as one call takes (services.intake.MAX_REPORTS)


@benchmark("cases.intake_api_batch", unit="case", repeat=30, warmup=3, per_op=BATCH_REPORTS,
           description=f"POST /api/v1/cases/batch with {BATCH_REPORTS} reports (the dispatch system's feed: the "
                       "same writes as one intake each, in one transaction, one sequencer run and one index batch) "
                       "in one process with the city officer's API token: latency per call, and cases/s")
def intake_api_batch(ctx):
    from .services.intake import MAX_REPORTS

    assert BATCH_REPORTS <= MAX_REPORTS
    _data()
    client = _token_client()
    body, _url = _intake_setup()
    url = reverse("api:case-batch-intake")

    def post() -> None:
        response = client.post(url, {"reports": [body() for _ in range(BATCH_REPORTS)]},
                               content_type="application/json")
        if response.status_code != 201 or len(response.json()["cases"]) != BATCH_REPORTS:
            raise RuntimeError(f"batch intake answered {response.status_code}: {response.content[:500]!r}")

    return ctx.measure(post)


INTAKE_WORKERS = int(os.environ.get("CASECENTER_BENCH_INTAKE_WORKERS", 0)) or os.cpu_count() or 2
INTAKE_SECONDS = float(os.environ.get("CASECENTER_BENCH_INTAKE_SECONDS", 10))


def _intake_worker(number: int, start_at: float, seconds: float, results) -> None:
    """One worker process (forked: it inherits the throwaway database and opens its own connection),
    the way a WSGI server runs one process per core: POSTs intakes in process until the time is up.
    Sends back the latency of each."""
    from django.db import connections

    latencies: list[float] = []
    try:
        client = _token_client()
        body, url = _intake_setup()
        for _ in range(5):  # warm: imports, templates, caches of this process
            _post_intake(client, url, body())
        while time.time() < start_at:
            time.sleep(0.001)
        end = start_at + seconds
        while time.time() < end:
            started = time.perf_counter()
            _post_intake(client, url, body())
            latencies.append(time.perf_counter() - started)
    finally:
        connections.close_all()
        results.put((number, latencies))


@benchmark("cases.intake_api_workers", unit="case", repeat=1, warmup=0,
           description=f"POST /api/v1/cases/ as above from {INTAKE_WORKERS} worker processes at once (one per "
                       f"core, as a WSGI server runs) for {INTAKE_SECONDS:g} s: latency per request; "
                       "throughput = cases committed per second by all workers")
def intake_api_workers(ctx):
    from casecenter.core.bench import NotApplicable, run_processes

    if connection.in_atomic_block:
        raise NotApplicable("needs real commits by other processes; not with --in-place")
    _data()
    from .models import Case

    before = Case.objects.count()
    start_at = time.time() + 3.0
    logs = run_processes([(_intake_worker, (n, start_at, INTAKE_SECONDS)) for n in range(INTAKE_WORKERS)],
                         timeout=INTAKE_SECONDS + 300)
    latencies = [lat for log in logs.values() for lat in log]
    created, warm = Case.objects.count() - before, 5 * INTAKE_WORKERS
    if created != len(latencies) + warm:
        raise RuntimeError(f"{created} cases written for {len(latencies)} timed and {warm} warm-up intakes")
    ctx.extra.update({"throughput_per_s": len(latencies) / INTAKE_SECONDS, "workers": INTAKE_WORKERS,
                      "seconds": INTAKE_SECONDS, "load_average_1m": os.getloadavg()[0]})
    return latencies
