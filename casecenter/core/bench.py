"""Benchmarks: how speed is measured in this project (``casecenter bench``).

Timed tests are flaky on a loaded machine and say nothing about how much slower a change made
things; a benchmark records a distribution of per-operation durations, together with the machine,
the database and the commit, so that figures can be compared between runs.

Each app contributes benchmarks by writing ``casecenter/<app>/bench.py``::

    from casecenter.core.bench import benchmark

    @benchmark("ledger.append", description="Append one entry to the ledger", unit="entry")
    def append(ctx):
        ledger = ...                      # set-up, not timed
        return ctx.measure(lambda: ledger.append(b"x"))

A benchmark function receives a :class:`Context` and returns (or yields) the duration of each
operation in seconds. Percentiles use linear interpolation between closest ranks (numpy's default
"linear" method, Excel's PERCENTILE.INC): for the samples 1..100 the median is 50.5 and p99 99.01.
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

PERCENTILE_METHOD = "linear interpolation between closest ranks (numpy 'linear', Excel PERCENTILE.INC)"


class UnknownBenchmark(LookupError):
    def __init__(self, unknown: Sequence[str], known: Sequence[str]):
        self.unknown, self.known = list(unknown), list(known)
        super().__init__(f"unknown benchmark {', '.join(map(repr, self.unknown))}; "
                         f"known: {', '.join(self.known) or '(none registered)'}")


class NotApplicable(Exception):  # noqa: N818 - a verdict, not an error
    """Raised by a benchmark that does not apply here (a PostgreSQL-only figure on SQLite): the run
    reports it, with the reason, instead of failing."""


@dataclass(frozen=True)
class Benchmark:
    name: str
    func: Callable[[Context], Iterable[float]]
    description: str
    unit: str = "req"
    repeat: int = 200
    warmup: int = 20
    per_op: int = 1  # items each timed operation handles (a batch of events): throughput counts items

    def iterations(self, quick: bool) -> tuple[int, int]:
        """(timed, warm-up) operations; ``--quick`` checks that a benchmark works, not how fast."""
        if not quick:
            return self.repeat, self.warmup
        return min(self.repeat, max(5, self.repeat // 10)), min(self.warmup, 2)


class Registry:
    """Benchmarks by name. A separate instance lets tests register throwaway benchmarks."""

    def __init__(self) -> None:
        self._benchmarks: dict[str, Benchmark] = {}

    def benchmark(self, name: str, *, description: str, unit: str = "req", repeat: int = 200, warmup: int = 20,
                  per_op: int = 1):
        if not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", name):
            raise ValueError(f"benchmark names are dotted and lower-case, such as 'web.home_page'; got {name!r}")
        if repeat < 1 or warmup < 0:
            raise ValueError("repeat must be at least 1 and warmup at least 0")
        if per_op < 1:
            raise ValueError("per_op must be at least 1")

        def register(func):
            existing = self._benchmarks.get(name)
            if existing is not None and _origin(existing.func) != _origin(func):
                raise ValueError(f"benchmark {name!r} is registered twice")
            self._benchmarks[name] = Benchmark(name, func, description, unit, repeat, warmup, per_op)
            return func

        return register

    def names(self) -> list[str]:
        return sorted(self._benchmarks)

    def select(self, requested: Sequence[str] = ()) -> list[Benchmark]:
        """All benchmarks, or those named; a name also selects its dotted children (``web`` → ``web.*``)."""
        if not requested:
            return [self._benchmarks[n] for n in self.names()]
        chosen: dict[str, Benchmark] = {}
        unknown = []
        for wanted in requested:
            matches = [n for n in self.names() if n == wanted or n.startswith(wanted.rstrip(".") + ".")]
            if not matches:
                unknown.append(wanted)
            chosen.update((n, self._benchmarks[n]) for n in matches)
        if unknown:
            raise UnknownBenchmark(unknown, self.names())
        return list(chosen.values())


def _origin(func) -> tuple[str, str]:
    return func.__module__, func.__qualname__


REGISTRY = Registry()
benchmark = REGISTRY.benchmark


def discover() -> None:
    """Import ``<app>.bench`` for every installed app that has one (as the admin discovers ``admin.py``).

    An import error inside a ``bench.py`` is not swallowed: a benchmark that silently vanished
    would look like one that was never written.
    """
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "bench"):
            import_module(f"{app_config.name}.bench")


class Context:
    """Handed to each benchmark: how many operations to time, and the helper that times them.

    The garbage collector stays on: its pauses are part of what a user waits for.
    """

    def __init__(self, iterations: int, warmup: int, per_op: int = 1) -> None:
        self.iterations = iterations
        self.warmup = warmup
        # A benchmark whose batch size is known only once it runs (the size of the ledger it
        # verifies) sets this before returning its durations.
        self.per_op = per_op
        # Further figures that are not a duration per operation (a throughput of concurrent writers,
        # a backlog), by name; they go into the report and the printed table. A key that ``summarize``
        # also computes replaces its value (a benchmark timing latencies sets its real throughput).
        self.extra: dict[str, float] = {}

    def measure(self, operation: Callable[[], object], n: int | None = None) -> list[float]:
        """Run ``operation`` ``warmup`` times untimed (caches, lazy imports, compiled templates), then
        ``n`` times (default: ``iterations``) timed one by one. Returns the durations in seconds."""
        for _ in range(self.warmup):
            operation()
        clock = time.perf_counter
        durations = []
        for _ in range(self.iterations if n is None else n):
            start = clock()
            operation()
            durations.append(clock() - start)
        return durations


def run_processes(targets: Sequence[tuple[Callable, tuple]], *, timeout: float) -> dict:
    """Run each ``(target, args)`` in its own forked process, all at once, and collect what they
    report: each target gets a queue as its last argument and puts one ``(key, value)`` on it. The
    children inherit the benchmark's database and open their own connections (the parent's are
    closed first, so no socket is shared). A child that fails fails the benchmark."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    procs = [context.Process(target=target, args=(*args, results)) for target, args in targets]
    for proc in procs:
        proc.start()
    collected = dict(results.get(timeout=timeout) for _ in procs)
    for proc in procs:
        proc.join(timeout=30)
    if any(proc.exitcode != 0 for proc in procs):
        raise RuntimeError(f"a benchmark process failed: exit codes {[proc.exitcode for proc in procs]}")
    return collected


def percentile(ordered: Sequence[float], p: float) -> float:
    """The p-th percentile of sorted samples, interpolating linearly between the two closest ranks."""
    if not ordered:
        raise ValueError("no samples")
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    rank = p / 100 * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(durations: Iterable[float], per_op: int = 1) -> dict[str, float]:
    """Median, p95, p99, mean, min and max in seconds, and throughput in items per second.

    An operation that handles ``per_op`` items (a transaction of 100 events, a verification of the
    whole ledger) is timed as one, because timing each item alone would measure another thing; the
    throughput then counts items, not operations."""
    ordered = sorted(float(d) for d in durations)
    if not ordered:
        raise ValueError("a benchmark returned no durations")
    if ordered[0] < 0:
        raise ValueError("a benchmark returned a negative duration")
    total = math.fsum(ordered)
    if total == 0:
        raise ValueError("all durations are zero: the clock cannot resolve one operation; time a batch instead")
    return {
        "n": len(ordered),
        "median_s": percentile(ordered, 50),
        "p95_s": percentile(ordered, 95),
        "p99_s": percentile(ordered, 99),
        "mean_s": total / len(ordered),
        "min_s": ordered[0],
        "max_s": ordered[-1],
        "per_op": per_op,
        "throughput_per_s": len(ordered) * per_op / total,
    }


@dataclass
class Result:
    benchmark: Benchmark
    warmup: int
    stats: dict[str, float] = field(default_factory=dict)
    not_applicable: str | None = None  # why it did not run here
    extra: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict:
        data = {"name": self.benchmark.name, "description": self.benchmark.description,
                "unit": self.benchmark.unit, "warmup": self.warmup, **self.stats}
        if self.not_applicable is not None:
            data["not_applicable"] = self.not_applicable
        if self.extra:
            data["extra"] = dict(self.extra)
        return data


def run(benchmarks: Sequence[Benchmark], *, quick: bool = False) -> list[Result]:
    """Run each benchmark with DEBUG off (DEBUG records every SQL query and slows every request)."""
    from django.test.utils import override_settings

    results = []
    with override_settings(DEBUG=False):
        for bench in benchmarks:
            iterations, warmup = bench.iterations(quick)
            context = Context(iterations, warmup, bench.per_op)
            try:
                durations = list(bench.func(context))
            except NotApplicable as exc:
                results.append(Result(bench, warmup, not_applicable=str(exc) or "does not apply here"))
                continue
            stats = summarize(durations, context.per_op)
            stats.update((k, v) for k, v in context.extra.items() if k in stats)
            extra = {k: v for k, v in context.extra.items() if k not in stats}
            results.append(Result(bench, warmup, stats, extra=extra))
    return results


def format_duration(seconds: float) -> str:
    for scale, unit in ((1, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if seconds >= scale:
            return f"{seconds / scale:.2f} {unit}"
    return f"{seconds * 1e9:.0f} ns"


def format_table(results: Sequence[Result]) -> str:
    """One aligned row per benchmark; names left, figures right."""
    header = ("benchmark", "n", "median", "p95", "p99", "mean", "throughput")
    rows = [header]
    notes = []
    for r in results:
        if r.not_applicable is not None:
            notes.append(f"{r.benchmark.name}: not applicable: {r.not_applicable}")
            continue
        notes.extend(f"{r.benchmark.name}: {k} = {v:.6g}" for k, v in r.extra.items())
        s = r.stats
        durations = [format_duration(s[key]) for key in ("median_s", "p95_s", "p99_s", "mean_s")]
        rows.append((r.benchmark.name, str(s["n"]), *durations, f"{s['throughput_per_s']:.1f} {r.benchmark.unit}/s"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]

    def line(cells) -> str:
        padded = (c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return "  ".join(padded).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(row) for row in rows[1:]), *notes])


def _git(*args: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run([git, *args], cwd=Path(__file__).resolve().parent, capture_output=True,  # noqa: S603
                              text=True, timeout=5, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def git_state() -> dict | None:
    """The commit measured, and whether the working tree differed from it (figures of a dirty tree
    belong to no commit). None outside a git checkout."""
    commit = _git("rev-parse", "HEAD")
    if not commit:
        return None
    return {"commit": commit, "dirty": bool(_git("status", "--porcelain", "--untracked-files=no"))}


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def machine(connection) -> dict:
    import django

    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "django": django.get_version(),
        "database_vendor": connection.vendor,
        "database_version": ".".join(map(str, connection.get_database_version())),
    }


def write_report(results: Sequence[Result], *, output_dir: Path, label: str, connection, quick: bool,
                 database: str) -> Path:
    """Write ``<output_dir>/<timestamp>-<label>.json``; never overwrite an earlier report."""
    now = datetime.now(UTC)
    output_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{now:%Y%m%dT%H%M%SZ}-{re.sub(r'[^A-Za-z0-9._+-]', '_', label)[:100]}"
    path, counter = output_dir / f"{stem}.json", 1
    while path.exists():
        path, counter = output_dir / f"{stem}-{counter}.json", counter + 1
    report = {
        "created": now.isoformat(timespec="seconds"),
        "quick": quick,
        "database": database,
        "percentile_method": PERCENTILE_METHOD,
        "machine": machine(connection),
        "git": git_state(),
        "results": [r.as_json() for r in results],
    }
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
