import pytest

from casecenter.jobs import schedule


@pytest.fixture
def only_periodic(monkeypatch):
    """``only_periodic(*jobs)``: the schedule declares just these jobs for this test."""

    schedule.discover()   # first, so that a later discover() registers nothing into the patched table

    def _only(*jobs):
        monkeypatch.setattr(schedule, "_PERIODIC", {job.name: job for job in jobs})

    return _only
