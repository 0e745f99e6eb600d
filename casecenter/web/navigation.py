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
    #: other view names (or "prefix*") under this item: the item is marked current on them too
    covers: tuple[str, ...] = ()


NAVIGATION: list[NavItem] = [
    NavItem("web:home", _("Home"), "house"),
    NavItem("cases:list", _("Cases"), "folder2-open"),
    NavItem("people:list", _("People"), "people"),
    NavItem("deadlines:list", _("Deadlines"), "hourglass-split"),
    NavItem("law:index", _("Statute library"), "book"),
    NavItem("accounts:administration", _("Administration"), "gear", covers=(
        "accounts:unit*", "accounts:user*", "accounts:token*", "accounts:admin_token*", "admin:*", "search:reindex")),
    NavItem("ledger:events", _("Audit record"), "journal-check", covers=("ledger:*", "jobs:ledger_verification")),
]

#: The API documentation is reached from the user menu (for the roles that have API use), not the
#: main navigation: it is a reference for those who write programs, not a place of daily work.
API_DOCS = "api:docs"


def _covers(pattern: str, view: str) -> bool:
    return view.startswith(pattern[:-1]) if pattern.endswith("*") else view == pattern


def navigation_for(user, current_view: str | None) -> list[dict]:
    items = []
    for item in NAVIGATION:
        if not is_allowed(user, item.url_name):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        view = current_view or ""
        active = view == item.url_name or any(_covers(pattern, view) for pattern in item.covers) or (
            item.url_name.endswith(":index") and view.startswith(item.url_name.split(":")[0] + ":")
        )
        items.append({"url": url, "label": item.label, "icon": item.icon, "active": active})
    return items
