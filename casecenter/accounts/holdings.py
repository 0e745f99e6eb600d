"""What keeps a unit in use, so that it is not deactivated from under its work.

A unit is deactivated when it is dissolved or merged; its records stay. While it still has active
accounts, active sub-units or open work of a higher app (the cases app registers its open cases),
deactivating it is refused, and the refusal says what is left. Apps above ``accounts`` register
their holdings here from ``AppConfig.ready`` (accounts cannot import them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import ngettext


@dataclass(frozen=True)
class Holding:
    """``count(unit)`` how many; ``describe(n)`` those n as a translated phrase ("3 open cases")."""

    count: Callable
    describe: Callable[[int], str]


HOLDINGS: dict[str, Holding] = {}


def register(key: str, *, count: Callable, describe: Callable[[int], str]) -> None:
    HOLDINGS[key] = Holding(count=count, describe=describe)


def unit_holdings(unit) -> list[str]:
    """What the unit still holds, each as a phrase; empty when it may be deactivated."""
    found = []
    for holding in HOLDINGS.values():
        count = holding.count(unit)
        if count:
            found.append(holding.describe(count))
    return found


def _active_accounts(unit) -> int:
    return unit.users.filter(is_active=True).count()


def _active_sub_units(unit) -> int:
    return type(unit).objects.filter(path__startswith=unit.path, is_active=True).exclude(pk=unit.pk).count()


register("accounts.active_accounts", count=_active_accounts, describe=lambda n: ngettext(
    "%(count)d active account", "%(count)d active accounts", n) % {"count": n})
register("accounts.active_sub_units", count=_active_sub_units, describe=lambda n: ngettext(
    "%(count)d active sub-unit", "%(count)d active sub-units", n) % {"count": n})
