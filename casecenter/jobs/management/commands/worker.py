"""``casecenter worker``: run queued tasks and the periodic schedule (see casecenter/jobs/worker.py).

    casecenter worker                  # until SIGTERM/SIGINT; run one per machine, or several
    casecenter worker --once           # every due periodic job and every queued task, then exit (cron)
    casecenter worker --queues default,long --interval 2 --no-schedule
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casecenter.jobs.worker import Options, run


def _interval(value: str) -> float:
    number = float(value)
    if not math.isfinite(number) or number <= 0 or number > 3600:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Run queued background tasks and the periodic schedule, until stopped (or once, with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="enqueue the due periodic jobs, run every queued task, then exit (for cron and tests)")
        parser.add_argument("--interval", type=_interval, default=1.0,
                            help="seconds between looks at an empty queue and at the schedule (default: %(default)s)")
        parser.add_argument("--queues", default=",".join(settings.TASK_QUEUES),
                            help="comma-separated queues to take tasks from, '*' for all (default: %(default)s)")
        parser.add_argument("--no-schedule", dest="schedule", action="store_false",
                            help="run tasks only; leave the periodic schedule to other workers")

    def handle(self, *args, once, interval, queues, schedule, **options):
        names = [q.strip() for q in queues.split(",") if q.strip()]
        if not names:
            raise CommandError("--queues names no queue.")
        unknown = [q for q in names if q != "*" and q not in settings.TASK_QUEUES]
        if unknown:
            raise CommandError(f"unknown queue {', '.join(unknown)}; the queues are {', '.join(settings.TASK_QUEUES)}.")
        run(Options(queues=names, interval=interval, once=once, schedule=schedule))
