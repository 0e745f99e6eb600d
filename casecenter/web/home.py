"""The home page is the person's worklist: panels of work for the roles they hold.

``PANELS`` is the registry: role → the panels a holder of that role sees, in order. A panel is an
HTMX fragment with its own URL name, owned by the app whose data it shows (``cases/panels.py``,
``deadlines/panels.py``, …) and listed in the access matrix; the home page draws a card with the
panel's title and loads the fragment into it after the page. An entry is a :class:`Panel` or a
plain ``(url name, title)`` tuple (the icon then defaults). A user with several roles sees each
panel once, in the order of their roles, and only the panels the access matrix lets them reach.

A fragment shows a count, the first rows, a link to the filtered list it summarises, and when
there is nothing, what would appear there: ``core/partials/home_panel.html`` is its frame. Later
apps add their panels here (the approval inbox beside the filing decisions).

``WAITING``: what the home page says to a role that has no panel yet (its work comes with a later
module).
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from casecenter.accounts.access import is_allowed
from casecenter.accounts.roles import Role


class Panel(NamedTuple):
    url_name: str
    title: str
    icon: str = "card-checklist"  # a Bootstrap icon's name


MY_CLOCKS = Panel("deadlines:panel_my_clocks", _("My clocks due soon"), "hourglass-split")
CLOCKS = Panel("deadlines:panel_clocks", _("Clocks due soon"), "hourglass-split")
ALERTS = Panel("deadlines:panel_alerts", _("Alerts for me"), "bell")
BREACHES = Panel("deadlines:panel_breaches", _("Breaches and warnings by unit"), "exclamation-octagon")
MY_CASES = Panel("cases:panel_mine", _("My cases"), "folder2-open")
SCOPE_CASES = Panel("cases:panel_scope", _("Cases in my scope"), "folder2-open")
DECISIONS = Panel("cases:panel_decisions", _("Filing decisions waiting"), "clipboard-check")

PANELS: dict[str, list[Panel | tuple[str, str]]] = {
    Role.CASE_OFFICER: [MY_CLOCKS, ALERTS, MY_CASES],
    Role.DEPARTMENT_HEAD: [DECISIONS, CLOCKS, ALERTS, SCOPE_CASES],
    Role.COUNTY_CHIEF: [DECISIONS, ALERTS, CLOCKS, BREACHES],
    Role.LEGAL_REVIEWER: [DECISIONS, CLOCKS, SCOPE_CASES],
    Role.SUPERVISOR: [BREACHES, ALERTS, SCOPE_CASES],
    Role.AREA_DUTY_OFFICER: [CLOCKS, SCOPE_CASES],
    Role.PROPERTY_CUSTODIAN: [CLOCKS, SCOPE_CASES],
    Role.ANALYST: [SCOPE_CASES],
    # The three administrators' worklists (accounts/views/panels.py, ledger/views.py).
    Role.SYSTEM_ADMIN: [Panel("accounts:panel_units_without_head", _("Units without a head"), "diagram-3"),
                        Panel("accounts:panel_accounts_without_role", _("Accounts waiting for roles"), "person-plus")],
    Role.SECURITY_ADMIN: [Panel("accounts:panel_locked", _("Locked accounts"), "lock"),
                          Panel("accounts:panel_no_authenticator", _("Accounts without an authenticator"),
                                "shield-exclamation"),
                          Panel("accounts:panel_tokens_expiring", _("API tokens about to expire"), "hourglass-split"),
                          Panel("accounts:panel_accounts_without_role", _("Accounts waiting for roles"),
                                "person-plus")],
    Role.AUDIT_ADMIN: [Panel("ledger:checkpoint_panel", _("The whole-process record"), "journal-check")],
}

WAITING: dict[str, str] = {
    Role.SYSTEM_ADMIN: _("Units, accounts and the holiday calendar are kept in Administration. You do not see "
                         "case content: that is the separation of duties."),
    Role.SECURITY_ADMIN: _("Roles, lost authenticators and API tokens are handled in Administration."),
    Role.LAWYER: _("What the bureau shares with you, and your meeting bookings, will appear here."),
    Role.PROCURATORATE: _("What the bureau transfers to you will appear here, for you to verify and accept."),
    Role.COURT: _("What the bureau transfers to you will appear here, for you to verify and accept."),
}


def home_panels(user) -> list[Panel]:
    """The panels of ``user``'s roles, each once, those the access matrix lets them reach."""
    panels: list[Panel] = []
    for role in Role:
        if role not in user.roles:
            continue
        for entry in PANELS.get(role, ()):
            panel = Panel(*entry)
            if panel.url_name not in {p.url_name for p in panels} and is_allowed(user, panel.url_name):
                panels.append(panel)
    return panels


def home_waiting(user) -> list[str]:
    """What the home page says for the user's roles that have no panel yet."""
    return [WAITING[role] for role in Role if role in user.roles and not PANELS.get(role) and role in WAITING]
