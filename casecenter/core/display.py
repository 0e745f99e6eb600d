"""How times and lengths of time read, on every page and printed document (translated).

- :func:`minute`: an instant in local time to the minute, ``2026-12-08 14:30``.
- :func:`end_minute`: the end of a period. An end at local midnight reads as ``24:00`` of the day
  before (``2026-12-08 24:00``, not ``2026-12-09 00:00``): a period counted in days ends at 24:00
  of its last day, and an officer checks it against that day.
- :func:`chinese_date`, :func:`chinese_datetime`: dates as the paper forms write them,
  ``2026年12月8日``, ``2026年12月8日14时30分`` (in English ``8 Dec 2026``, ``8 Dec 2026, 14:30``).
- :func:`span`: a length of time in words, its two largest units, ``2天3小时`` / ``2 days 3 hours``.
- :func:`labelled`: ``Field: message`` in an error summary, ``字段：消息`` in Chinese.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from django.utils import timezone
from django.utils.translation import get_language, ngettext, npgettext
from django.utils.translation import gettext as _

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local(value: datetime, tz: tzinfo | None = None) -> datetime:
    """An aware instant in ``tz`` (default: the active time zone, Asia/Shanghai)."""
    return value.astimezone(tz or timezone.get_current_timezone())


def minute(value: datetime | None, tz: tzinfo | None = None) -> str:
    if value is None:
        return "—"
    return local(value, tz).strftime("%Y-%m-%d %H:%M")


def is_midnight(value: datetime) -> bool:
    return (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)


def end_minute(value: datetime | None, tz: tzinfo | None = None, *, short: bool = False) -> str:
    """The end of a period to the minute; local midnight is 24:00 of the day before. ``short``:
    without the year (``12-08 24:00``), for the rows of a home panel."""
    if value is None:
        return "—"
    value = local(value, tz)
    day = "%m-%d" if short else "%Y-%m-%d"
    if is_midnight(value):
        return f"{(value.date() - timedelta(days=1)).strftime(day)} 24:00"
    return value.strftime(f"{day} %H:%M")


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


def chinese_date(value: date | datetime | None) -> str:
    """``2026年12月8日`` (a datetime: its local date); ``8 Dec 2026`` in English."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    if _chinese():
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"


def chinese_datetime(value: datetime | None) -> str:
    """``2026年12月8日14时30分``, as the paper forms fill in a time; ``8 Dec 2026, 14:30`` in English."""
    if value is None or value == "":
        return ""
    value = local(value)
    if _chinese():
        return f"{chinese_date(value)}{value.hour}时{value.minute:02d}分"
    return f"{chinese_date(value)}, {value:%H:%M}"


def _unit(n: int, unit: str) -> str:
    # "2天3小时" for time left: the law's "%(n)d日" (a period of 3 日) reads as a date in a countdown.
    if unit == "days":
        return npgettext("length of time", "%(n)d day", "%(n)d days", n) % {"n": n}
    if unit == "hours":
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}


def labelled(label, message) -> str:
    """``Field: message`` with the colon of the reader's language (``字段：消息``), or the message
    alone when it belongs to no field."""
    if not label:
        return str(message)
    return _("{label}: {message}").format(label=label, message=message)


def span(value: timedelta | None) -> str:
    """A length of time in its two largest units (``2 days 3 hours``, ``45 minutes``); under a
    minute reads as ``0 minutes``. Negative lengths read as their size."""
    if value is None:
        return "—"
    minutes = abs(int(value.total_seconds())) // 60
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [_unit(n, unit) for n, unit in ((days, "days"), (hours, "hours"), (minutes, "minutes")) if n]
    if not parts:
        return _unit(0, "minutes")
    if len(parts) == 1:
        return parts[0]
    # The two largest units: "2 days 3 hours" is what an officer needs, not the minutes after them.
    return _("{larger} {smaller}").format(larger=parts[0], smaller=parts[1])
