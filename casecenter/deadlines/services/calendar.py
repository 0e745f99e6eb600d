"""Writes to the calendar (public holidays and make-up working days), each recorded in the ledger.

The administration page, the API and the post-migrate loader (``load_shipped_calendar``) all call
these. Every change touches the year's ``entered_at``, which is what other processes' calendars
notice (see calendar_cache.current).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core import clock
from casecenter.core.errors import Conflict, NotFound, ValidationFailed
from casecenter.ledger.actions import not_a_write, records
from casecenter.ledger.services import record_event

from .. import calendar_cache
from ..loader import shipped_calendar
from ..models import CalendarDay, CalendarYear, DayKind

FIRST_YEAR, LAST_YEAR = 2000, 2100


@not_a_write
def clean_days(year: int, days: list[dict]) -> list[dict]:
    """Validate the days of one year: dates inside it, each once, a make-up day on a weekend."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationFailed(_("The year must be between {first} and {last}.").format(
            first=FIRST_YEAR, last=LAST_YEAR), field="year")
    seen: set[date] = set()
    cleaned = []
    for index, day in enumerate(days):
        when, kind, name = day.get("date"), str(day.get("kind", "")), str(day.get("name", "") or "").strip()
        field = f"days.{index}"
        if not isinstance(when, date):
            raise ValidationFailed(_("A date is required."), field=f"{field}.date")
        if when.year != year:
            raise ValidationFailed(_("{date} is not in {year}.").format(date=when, year=year), field=f"{field}.date")
        if when in seen:
            raise ValidationFailed(_("{date} is listed twice.").format(date=when), field=f"{field}.date")
        if kind not in DayKind.values:
            raise ValidationFailed(_("The kind must be holiday or workday."), field=f"{field}.kind")
        if kind == DayKind.WORKDAY and when.weekday() < 5:
            raise ValidationFailed(_("{date} is a weekday: only a Saturday or Sunday can be a make-up working "
                                     "day.").format(date=when), field=f"{field}.date")
        if kind == DayKind.HOLIDAY and not name:
            raise ValidationFailed(_("A public holiday needs its name (e.g. 国庆节)."), field=f"{field}.name")
        if len(name) > 64:
            raise ValidationFailed(_("The name is too long (64 characters at most)."), field=f"{field}.name")
        seen.add(when)
        cleaned.append({"date": when, "kind": kind, "name": name})
    return sorted(cleaned, key=lambda d: d["date"])


def _facts(year: CalendarYear, days: list[dict]) -> dict:
    return {"year": year.year, "source": year.source,
            "holidays": [d["date"].isoformat() for d in days if d["kind"] == DayKind.HOLIDAY],
            "workdays": [d["date"].isoformat() for d in days if d["kind"] == DayKind.WORKDAY],
            "names": sorted({d["name"] for d in days if d["name"]})}


def _changed(actor, year: int, request) -> None:
    """The calendar changed: every process rebuilds it, and the running clocks that end around that
    year are counted again (their stored due times must follow the calendar the page shows)."""
    from .deadlines import deadlines_recompute

    calendar_cache.invalidate()
    transaction.on_commit(calendar_cache.invalidate)
    deadlines_recompute(actor=actor, years={year}, request=request)


@records("deadlines.calendar.year_entered", "deadlines.calendar.year_replaced", "deadlines.deadline.recalculated")
@transaction.atomic
def calendar_year_save(*, actor, year: int, source: str, days: list[dict], replace: bool = False,
                       request=None) -> CalendarYear:
    """Enter a year's public holidays and make-up working days from the State Council's notice, or
    (``replace=True``) replace an entered year's days with these. A year already entered is refused
    without ``replace`` (Conflict): a second notice is a deliberate correction."""
    source = (source or "").strip()
    if not source:
        raise ValidationFailed(_("Name the State Council notice the days come from."), field="source")
    cleaned = clean_days(year, days)
    existing = CalendarYear.objects.select_for_update().filter(year=year).first()
    if existing is not None and not replace:
        raise Conflict(_("The holidays of {year} are entered already.").format(year=year), field="year")
    taken = CalendarDay.objects.filter(date__in=[d["date"] for d in cleaned])
    if existing is not None:
        taken = taken.exclude(year=existing)
    if taken.exists():
        raise ValidationFailed(_("Some dates belong to another year's entry."), field="days")
    if existing is None:
        entry = CalendarYear.objects.create(year=year, source=source, entered_at=clock.now())
        action = "deadlines.calendar.year_entered"
    else:
        entry = existing
        entry.source, entry.entered_at = source, clock.now()
        entry.save(update_fields=["source", "entered_at"])
        entry.days.all().delete()
        action = "deadlines.calendar.year_replaced"
    CalendarDay.objects.bulk_create([CalendarDay(year=entry, **d) for d in cleaned])
    record_event(actor=actor, action=action, subject=entry, data=_facts(entry, cleaned), request=request)
    _changed(actor, year, request)
    return entry


@records("deadlines.calendar.day_removed", "deadlines.deadline.recalculated")
@transaction.atomic
def calendar_day_remove(*, actor, year: int, day: date, request=None) -> None:
    """Remove one listed day (it becomes an ordinary day of its week); the year stays entered."""
    entry = CalendarYear.objects.select_for_update().filter(year=year).first()
    found = entry and CalendarDay.objects.filter(year=entry, date=day).first()
    if not found:
        raise NotFound(_("{date} is not listed in the calendar of {year}.").format(date=day, year=year))
    found.delete()
    entry.entered_at = clock.now()
    entry.save(update_fields=["entered_at"])
    record_event(actor=actor, action="deadlines.calendar.day_removed", subject=entry, data={
        "year": year, "date": day.isoformat(), "kind": found.kind, "name": found.name}, request=request)
    _changed(actor, year, request)


@records("deadlines.calendar.year_entered", "deadlines.deadline.recalculated")
def load_shipped_calendar(*, actor=None) -> list[int]:
    """Enter each shipped year that has no CalendarYear row; returns the years entered."""
    known = set(CalendarYear.objects.values_list("year", flat=True))
    entered = []
    for year in shipped_calendar():
        if year["year"] not in known:
            calendar_year_save(actor=actor, **year)
            entered.append(year["year"])
    return entered
