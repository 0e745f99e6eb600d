"""The one source of "now" for rules that depend on time (lockouts, idle sessions, deadlines).

Tests move the clock with :func:`frozen`; production code calls :func:`now` and never
``datetime.now()`` directly, so every time-dependent rule can be tested at the boundary.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_override: dt.datetime | None = None


def now() -> dt.datetime:
    return _override if _override is not None else timezone.now()


@contextlib.contextmanager
def frozen(at: dt.datetime) -> Iterator[Clock]:
    """Freeze :func:`now` at an aware datetime; ``advance`` moves it forward."""
    global _override
    if timezone.is_naive(at):
        raise ValueError("frozen() needs an aware datetime")
    previous, _override = _override, at
    try:
        yield Clock()
    finally:
        _override = previous


class Clock:
    def advance(self, **delta: float) -> dt.datetime:
        global _override
        assert _override is not None
        _override = _override + dt.timedelta(**delta)
        return _override
