"""The administrators' panels on the home page (``web/home.py`` PANELS loads them with HTMX): each
a count, the first rows, a link to the list filtered the same way, and an empty state that says
what would appear."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import selectors

FIRST_ROWS = 5


@dataclass(frozen=True)
class Panel:
    caption: str              # what the count counts
    rows: Callable            # () → queryset, in the list's order
    kind: str                 # "account", "token" or "unit": how a row reads
    list_url: str             # the URL name of the full list …
    list_query: str           # … and its filter
    empty: str
    urgent: bool = False      # a count that is not zero is shown in red


PANELS: dict[str, Panel] = {
    "locked": Panel(
        _("accounts locked after failed sign-ins"), selectors.locked_accounts, "account", "accounts:users",
        "state=locked", _("No account is locked. Accounts locked after repeated failed sign-ins appear here, "
                          "to be unlocked once the person is identified."), urgent=True),
    "no_authenticator": Panel(
        _("internal accounts signing in without an authenticator"), selectors.accounts_without_authenticator,
        "account", "accounts:users", "state=no_authenticator",
        _("Every internal account has enrolled an authenticator. Accounts that still sign in with a password "
          "alone, or must enrol again after a reset, appear here.")),
    "tokens_expiring": Panel(
        _("API tokens expiring within the warning period"), selectors.tokens_expiring, "token", "accounts:tokens",
        "state=expiring", _("No API token expires soon. Tokens that stop working within the warning period "
                            "appear here, so that their owners can replace them in time.")),
    "units_without_head": Panel(
        _("stations and departments without an active head"), selectors.units_without_head, "unit",
        "accounts:units", "", _("Every station and department has an active department head. Units where nobody "
                                "holds the role appear here: their requests have nobody to approve them.")),
    "accounts_without_role": Panel(
        _("active accounts waiting for their roles"), selectors.accounts_without_role, "account", "accounts:users",
        "state=no_role", _("Every active account has a role. New accounts appear here until the security "
                           "administrator grants their roles.")),
}


def _panel_view(name: str):
    panel = PANELS[name]

    @never_cache
    @require_GET
    def view(request):
        rows = panel.rows()
        first = list(rows[:FIRST_ROWS])
        count = len(first) if len(first) < FIRST_ROWS else rows.count()
        url = reverse(panel.list_url) + (f"?{panel.list_query}" if panel.list_query else "")
        return render(request, "accounts/panels/panel.html", {
            "spec": panel, "panel": name.replace("_", "-"), "rows": first, "count": count, "more_url": url,
            "more": count - len(first), "urgent": panel.urgent})

    view.__name__ = view.__qualname__ = f"panel_{name}_view"
    return view


locked_panel_view = _panel_view("locked")
no_authenticator_panel_view = _panel_view("no_authenticator")
tokens_expiring_panel_view = _panel_view("tokens_expiring")
units_without_head_panel_view = _panel_view("units_without_head")
accounts_without_role_panel_view = _panel_view("accounts_without_role")
