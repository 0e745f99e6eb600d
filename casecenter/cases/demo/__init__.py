"""Demo cases of the demonstration installation, found by ``casecenter demo`` (accounts): the
history, loaded once (``history.py``), and the live cases, placed relative to now at each refresh
(``live.py``). Everything is written through the services, with its ledger events and clocks."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .build import DEMO_MARK
from .history import load_history
from .live import REFRESH_AFTER, refresh_live

__all__ = ["DEMO_MARK", "load_demo", "refresh_demo"]


def load_demo(users) -> None:
    """The demo's history (once); the live cases come from :func:`refresh_demo`."""
    load_history(users)


def refresh_demo(users, *, force: bool = False) -> str:
    """Place the live cases when they are missing or stale (or ``force``); answers what was done."""
    outcome = refresh_live(users, force=force)
    if outcome.placed and outcome.ended:
        return _("Demonstration clocks placed relative to now (set {number}); {ended} clocks and measures of the "
                 "earlier sets ended.").format(number=outcome.number, ended=outcome.ended)
    if outcome.placed:
        return _("Demonstration clocks placed relative to now (set {number}).").format(number=outcome.number)
    hours = int(outcome.age.total_seconds() // 3600)
    minutes = int(outcome.age.total_seconds() % 3600 // 60)
    return _("Demonstration clocks kept: placed {hours} h {minutes} min ago (set {number}); they are placed anew "
             "after {limit} hours, or now with \"casecenter demo --refresh\".").format(
        hours=hours, minutes=minutes, number=outcome.number, limit=int(REFRESH_AFTER.total_seconds() // 3600))
