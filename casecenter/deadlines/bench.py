"""Benchmarks of the deadline engine (``casecenter bench deadlines``).

- ``deadlines.compute``: due-time computations per second on one core, for a typical mix of clocks
  (three hour clocks, one of them extended; two day clocks, one ending on a holiday and rolled to the
  next working day, one held; no pauses), with the shipped 2025/2026 calendar. Timed in batches of
  ``BATCH`` computations (one computation is too short for the clock); the throughput counts
  computations. The acceptance figure is 50,000 per second. ``explain.describe`` is not timed: the
  computation stores parameters, the sentences are made only when a page shows them.
"""

from __future__ import annotations

from datetime import datetime

from casecenter.core.bench import benchmark

from . import computation, loader, rules
from .calendar import Calendar

BATCH = 1000


def typical_mix():
    """(rule, keyword arguments) for the mix, and the calendar they use."""
    calendar = Calendar.from_days(loader.shipped_calendar(), weekends=True)
    catalog = rules.catalog()
    tz = rules.SHANGHAI
    mix = [
        (catalog.get("criminal-summons"), {"started_at": datetime(2026, 3, 3, 9, 30, tzinfo=tz), "held": True}),
        (catalog.get("criminal-summons"), {"started_at": datetime(2026, 3, 3, 23, 10, tzinfo=tz), "held": True,
                                           "extensions": ("serious",)}),
        (catalog.get("detention-to-detention-house"), {"started_at": datetime(2026, 1, 31, 18, 0, tzinfo=tz),
                                                       "held": True}),
        (catalog.get("refusal-notice"), {"started_at": datetime(2026, 9, 28, 10, 0, tzinfo=tz), "held": False}),
        (catalog.get("arrest-request"), {"started_at": datetime(2026, 9, 28, 10, 0, tzinfo=tz), "held": True}),
    ]
    return mix, calendar


@benchmark("deadlines.compute", description="Due-time computations, typical mix (hours and days, one holiday "
           "roll, no pauses)", unit="computation", repeat=50, warmup=5, per_op=BATCH)
def compute(ctx):
    mix, calendar = typical_mix()
    calls = [(rule, dict(kwargs, calendar=calendar)) for rule, kwargs in mix]
    batch = [calls[i % len(calls)] for i in range(BATCH)]
    run = computation.compute

    def operation():
        for rule, kwargs in batch:
            run(rule, **kwargs)

    return ctx.measure(operation)


# The scan's benchmarks live beside the scan's fill; imported here so `casecenter bench` finds them.
from .scan_bench import scan_busy, scan_idle  # noqa: E402, F401
