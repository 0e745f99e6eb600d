"""The scan benchmark (``casecenter bench deadlines.scan``): one scan over 100,000 running clocks.

The clocks are written directly (the rule's duration computed once by the real engine), their due
times spread evenly over five hours, so that each one-minute step of the scan's clock crosses a
few hundred thresholds (with 100,000 clocks: about 330 alerts per scan): every timed scan raises
real alerts, routes them, records them in the ledger and moves the clocks on.
``deadlines.scan_idle`` times a scan that finds nothing to raise among the same clocks.
"""

from __future__ import annotations

import os
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from casecenter.accounts.demo import build_demo_organisation
from casecenter.accounts.models import Unit
from casecenter.core import clock
from casecenter.core.bench import benchmark

from . import calendar_cache, computation, rules
from .models import Deadline, DeadlineState
from .scan import alert_thresholds, scan

CLOCKS = int(os.environ.get("CASECENTER_BENCH_DEADLINES", 100_000))
RULE = os.environ.get("CASECENTER_BENCH_DEADLINE_RULE", "")
SPREAD = timedelta(hours=5)  # due times spread over this: CLOCKS / 300 thresholds cross per minute


def _rule() -> rules.Rule:
    catalog = rules.catalog()
    if RULE:
        return catalog.get(RULE)
    # An hour clock with warnings: what the centre has most of (summons, questioning, 送押).
    candidates = [r for r in catalog.rules() if r.duration.unit == "hours" and r.warnings and not r.extensions]
    return candidates[0] if candidates else catalog.rules()[0]


def _fill(base) -> rules.Rule:
    """CLOCKS running clocks whose due times spread over SPREAD after ``base``; returns their rule."""
    existing = Deadline.objects.filter(label__startswith="bench ").count()
    rule = _rule()
    users = build_demo_organisation()
    officer = users["officer1"]
    unit = Unit.objects.get(code="EAST-STATION1")
    subject_type = ContentType.objects.get_for_model(Unit)
    duration = computation.compute(rule, started_at=base, held=True, calendar=calendar_cache.current()).due_at - base
    step = SPREAD / CLOCKS
    rows = []
    for i in range(existing, CLOCKS):
        due = base + step * i
        rows.append(Deadline(rule_id=rule.id, subject_type=subject_type, subject_id=str(unit.pk), unit=unit,
                             label=f"bench {i}", started_at=due - duration, person_held=True, due_at=due,
                             next_alert_at=alert_thresholds(rule, due)[0][1], state=DeadlineState.RUNNING))
    with transaction.atomic():
        created = Deadline.objects.bulk_create(rows, batch_size=2000)
        through = Deadline.officers.through
        through.objects.bulk_create([through(deadline_id=d.pk, user_id=officer.pk) for d in created], batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE deadlines_deadline")
    return rule


@benchmark("deadlines.scan", unit="scan", repeat=10, warmup=1,
           description=f"One scan over {CLOCKS:,} running clocks, due times spread over 5 hours: each scan "
                       "raises, routes and records the alerts of the next minute")
def scan_busy(ctx):
    base = clock.now().replace(microsecond=0) + timedelta(days=1)
    rule = _fill(base)
    longest_warning = max(rule.warnings, default=timedelta(0))
    minutes = iter(range(10**6))
    raised = []

    def one_minute():
        now = base - longest_warning + timedelta(minutes=next(minutes) + 1)
        raised.append(scan(now=now).raised)

    durations = ctx.measure(one_minute)
    ctx.extra.update({"clocks": Deadline.objects.filter(label__startswith="bench ").count(),
                      "alerts_per_scan_median": sorted(raised)[len(raised) // 2]})
    return durations


@benchmark("deadlines.scan_idle", unit="scan", repeat=50, warmup=2,
           description=f"A scan over {CLOCKS:,} running clocks when no threshold has passed (the usual minute)")
def scan_idle(ctx):
    base = clock.now().replace(microsecond=0) + timedelta(days=1)
    _fill(base)
    earliest = Deadline.objects.filter(next_alert_at__isnull=False).order_by("next_alert_at").first()
    quiet = (earliest.next_alert_at if earliest else base) - timedelta(seconds=1)
    return ctx.measure(lambda: scan(now=quiet))
