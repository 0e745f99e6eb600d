"""The shell's navigation. Each item is shown only to users the access matrix lets through, so the
menu never offers a page that would answer 403. Later apps add their items here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from casecenter.accounts.access import is_allowed


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    icon: str


NAVIGATION: list[NavItem] = [
    NavItem("web:home", _("Home"), "house"),
    NavItem("cases:list", _("Cases"), "folder2-open"),
    NavItem("people:list", _("People"), "people"),
    NavItem("deadlines:list", _("Deadlines"), "hourglass-split"),
    NavItem("law:index", _("Statute library"), "book"),
    NavItem("admin:index", _("Administration"), "gear"),
    NavItem("ledger:events", _("Audit record"), "journal-check"),
    NavItem("api:docs", _("API"), "braces"),
]


def navigation_for(user, current_view: str | None) -> list[dict]:
    items = []
    for item in NAVIGATION:
        if not is_allowed(user, item.url_name):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = current_view == item.url_name or (
            item.url_name.endswith(":index") and (current_view or "").startswith(item.url_name.split(":")[0] + ":")
        )
        items.append({"url": url, "label": item.label, "icon": item.icon, "active": active})
    return items
