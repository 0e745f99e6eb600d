"""The deadline engine's periodic work: the scan, every minute in ``casecenter worker``."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from casecenter.jobs.schedule import periodic

from .scan import scan


# Inline: alerts must not wait in the queue behind a long job (an index rebuild, a bulk import).
@periodic("deadlines.scan", every=timedelta(minutes=1), inline=True)
@task()
def scan_deadlines() -> dict[str, int]:
    """Raise the alerts whose time has come. Idempotent: an alert is raised once per (clock,
    threshold, due time), however many scans run (a late worker, two workers in one minute)."""
    outcome = scan()
    return {"deadlines": outcome.deadlines, "warnings": outcome.warnings, "breaches": outcome.breaches}
