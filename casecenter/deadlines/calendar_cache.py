"""The calendar of the database's rows, kept per process (the rows: :mod:`.models`; the calendar
they make: :class:`.calendar.Calendar`).

:func:`current` builds the calendar from the rows once per process and rebuilds it when they change:
it compares a cheap fingerprint of the tables (row counts, latest entry time, highest day id) at
most every ``DEADLINE_CALENDAR_RECHECK_SECONDS`` (default 30), so every process sees an
administrator's change within that time; the writing process sees it at once.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db.models import Count, Max

from .calendar import Calendar, weekends_are_holidays
from .models import CalendarDay, CalendarYear


def _recheck_seconds() -> float:
    return float(settings.CASECENTER.get("DEADLINE_CALENDAR_RECHECK_SECONDS", 30))


_lock = threading.Lock()
_state: dict = {"calendar": None, "fingerprint": None, "checked": 0.0, "weekends": None}


def fingerprint() -> tuple:
    """What changes whenever a calendar row is added, changed or removed (the services touch the
    year's ``entered_at`` on every change): two aggregate queries."""
    years = CalendarYear.objects.aggregate(n=Count("id"), latest=Max("entered_at"), top=Max("id"))
    days = CalendarDay.objects.aggregate(n=Count("id"), top=Max("id"))
    return years["n"], years["latest"], years["top"], days["n"], days["top"]


def build() -> Calendar:
    holidays, workdays = {}, set()
    for d, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        if kind == "holiday":
            holidays[d] = name
        else:
            workdays.add(d)
    sources = dict(CalendarYear.objects.values_list("year", "source"))
    return Calendar(holidays, workdays, sources, sources=sources)


def current() -> Calendar:
    """The calendar of the database's rows, rebuilt when they changed (checked every 30 s at most)."""
    now = time.monotonic()
    state = _state
    weekends = weekends_are_holidays()
    if (state["calendar"] is not None and now - state["checked"] < _recheck_seconds()
            and state["weekends"] == weekends):
        return state["calendar"]
    with _lock:
        mark = fingerprint()
        if state["calendar"] is None or mark != state["fingerprint"] or state["weekends"] != weekends:
            state["calendar"] = build()
            state["fingerprint"] = mark
            state["weekends"] = weekends
        state["checked"] = now
        return state["calendar"]


def invalidate() -> None:
    """Rebuild at the next :func:`current` (called by the calendar services after a change)."""
    with _lock:
        _state["calendar"] = None
        _state["checked"] = 0.0
