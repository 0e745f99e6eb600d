"""The calendar the clocks count with: public holidays and make-up working days per year.

A rest day (节假日) is a public holiday, or a Saturday or Sunday that is not a make-up working day
(prevailing practice reads 节假日 as covering ordinary weekends; the setting
``CASECENTER["DEADLINE_WEEKENDS_ARE_HOLIDAYS"]`` turns that reading off). A year with no
:class:`~.models.CalendarYear` row is *unknown*: the computation reports it and never guesses.

Plain data, no database: :mod:`.calendar_cache` builds the calendar of the database's rows.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings

ONE_DAY = timedelta(days=1)
# No rest period in the State Council's notices is longer than nine days; a longer run of rest
# days means the data is wrong, and an endless loop must not hide it.
MAX_REST_RUN = 31


class Calendar:
    """An immutable view of the entered years; lookups are dict and set lookups."""

    __slots__ = ("_holidays", "_workdays", "_years", "_weekends", "_sorted_holidays", "sources")

    def __init__(self, holidays: dict[date, str], workdays: Iterable[date], years: Iterable[int], *,
                 weekends: bool | None = None, sources: dict[int, str] | None = None):
        self._holidays = dict(holidays)
        self._workdays = frozenset(workdays)
        self._years = frozenset(years)
        self._weekends = weekends_are_holidays() if weekends is None else weekends
        self._sorted_holidays = sorted(self._holidays)
        self.sources = dict(sources or {})

    @classmethod
    def from_days(cls, years: Iterable[dict], **kwargs) -> Calendar:
        """From ``[{"year", "source", "days": [{"date", "kind", "name"}]}]`` (the shipped data's shape)."""
        holidays, workdays, known, sources = {}, set(), set(), {}
        for year in years:
            known.add(year["year"])
            sources[year["year"]] = year.get("source", "")
            for day in year["days"]:
                if day["kind"] == "holiday":
                    holidays[day["date"]] = day.get("name", "")
                else:
                    workdays.add(day["date"])
        return cls(holidays, workdays, known, sources=sources, **kwargs)

    def years(self) -> list[int]:
        return sorted(self._years)

    def is_known(self, year: int) -> bool:
        return year in self._years

    def is_rest_day(self, d: date) -> bool:
        """A public holiday, or (by default) a Saturday or Sunday that is not a make-up working day."""
        if d in self._holidays:
            return True
        if d in self._workdays:
            return False
        return self._weekends and d.weekday() >= 5

    def holiday_name(self, d: date) -> str:
        """The holiday's name (国庆节), or "" for a day that is not a listed public holiday."""
        return self._holidays.get(d, "")

    def is_workday_swap(self, d: date) -> bool:
        """A Saturday or Sunday worked instead of a holiday (调休)."""
        return d in self._workdays

    def next_working_day(self, d: date) -> date:
        """The first working day *after* ``d``."""
        day = d + ONE_DAY
        for _ in range(MAX_REST_RUN):
            if not self.is_rest_day(day):
                return day
            day += ONE_DAY
        raise ValueError(f"no working day within {MAX_REST_RUN} days after {d}: the calendar data is wrong")

    def holidays_between(self, first: date, last: date) -> list[tuple[date, str]]:
        """Listed public holidays from ``first`` to ``last`` inclusive."""
        lo = bisect.bisect_left(self._sorted_holidays, first)
        hi = bisect.bisect_right(self._sorted_holidays, last)
        return [(d, self._holidays[d]) for d in self._sorted_holidays[lo:hi]]

    def missing_years(self, start: date, end: date) -> list[int]:
        """The years from ``start`` to ``end`` (inclusive) whose holidays are not entered."""
        return [y for y in range(start.year, end.year + 1) if y not in self._years]


def weekends_are_holidays() -> bool:
    return bool(settings.CASECENTER.get("DEADLINE_WEEKENDS_ARE_HOLIDAYS", True))
