"""Demo cases of the demonstration installation, found by ``casecenter demo`` (accounts): the
history, loaded once (``history.py``), and the live cases, placed relative to now at each refresh
(``live.py``). Everything is written through the services, with its ledger events and clocks."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casecenter.accounts.models import Unit

from ..numbering import DEFAULT_PATTERN
from ..services.patterns import number_pattern_save
from .build import DEMO_MARK
from .history import load_history
from .live import REFRESH_AFTER, refresh_live

__all__ = ["DEMO_MARK", "ORGAN_CODES", "load_demo", "refresh_demo"]


#: The demo units' 12-digit organ codes (机构代码: the district's division code, then the unit), the
#: prefixes of their case numbers (``A110101510000202600012``).
ORGAN_CODES = {"CITY": "110000000000", "EAST": "110101000000", "EAST-STATION1": "110101510000",
               "EAST-STATION2": "110101520000", "EAST-CID": "110101050000", "WEST": "110102000000",
               "WEST-STATION1": "110102510000"}


def load_demo(users) -> None:
    """The units' case-number patterns and the demo's history (once); the live cases come from
    :func:`refresh_demo`."""
    for unit in Unit.objects.filter(code__in=ORGAN_CODES).exclude(case_number_pattern__isnull=False):
        number_pattern_save(actor=None, unit=unit, prefix=ORGAN_CODES[unit.code], pattern=DEFAULT_PATTERN)
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
