"""The scan as the worker's periodic job: declared once a minute, run by ``casecenter worker``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from casecenter.core import clock
from casecenter.deadlines.models import Alert
from casecenter.jobs.schedule import discover, periodic_jobs


def test_the_scan_is_a_periodic_job_of_the_worker_every_minute():
    discover()
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["deadlines.scan"].every == timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_scan_and_raises_the_breach(start, hour_rule):
    started = clock.now() - timedelta(hours=hour_rule.duration.amount, minutes=5)
    with clock.frozen(clock.now()):
        deadline = start(hour_rule, started)
    call_command("worker", "--once")
    assert Alert.objects.filter(deadline=deadline, level="breach").count() == 1
    call_command("worker", "--once")  # the same minute's slot: not scanned again, nothing raised twice
    assert Alert.objects.filter(deadline=deadline, level="breach").count() == 1

