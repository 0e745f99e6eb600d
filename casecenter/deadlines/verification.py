"""Checks of user input shared by the deadline services, each naming the field it refuses."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from casecenter.core.errors import ValidationFailed

# How far ahead of the server's clock a recorded time may be (two clocks never agree exactly).
CLOCK_SKEW = timedelta(minutes=5)


def _local(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def check_time(value, *, field: str, earliest: datetime | None = None, latest: datetime | None = None) -> None:
    """A time with its zone, not before ``earliest`` (the start of the clock) nor after ``latest``
    (now, give or take the clocks' skew)."""
    if not isinstance(value, datetime):
        raise ValidationFailed(_("Give a date and time."), field=field)
    if timezone.is_naive(value):
        raise ValidationFailed(_("Give the time with its time zone."), field=field)
    if earliest is not None and value < earliest:
        raise ValidationFailed(_("This time is before {earliest}.").format(earliest=_local(earliest)), field=field)
    if latest is not None and value > latest:
        raise ValidationFailed(_("This time is in the future."), field=field)


def check_text(value, *, field: str, max_length: int) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise ValidationFailed(_("Give text."), field=field)
    if len(value) > max_length:
        raise ValidationFailed(_("At most {n} characters.").format(n=max_length), field=field)
