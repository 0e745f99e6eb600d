"""What each role works on: the home page shows one section per role the user holds.

Later apps register their panels (HTMX fragments with their own URLs) in ``PANELS``; the home
page loads the ones the access matrix lets the user reach.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casecenter.accounts.roles import Role

DUTIES: dict[str, list] = {
    Role.CASE_OFFICER: [_("Register cases and decide on filing within the legal time limits."),
                        _("Bring people into the case-handling area and record every step."),
                        _("Apply coercive measures and request approvals."),
                        _("Hand seized property to the custodian within 24 hours.")],
    Role.AREA_DUTY_OFFICER: [_("Register entries to and exits from the case-handling area."),
                             _("Assign rooms and lockers; watch the time each person has left."),
                             _("Check that safety inspections, meals and rest are recorded.")],
    Role.LEGAL_REVIEWER: [_("Review requests and legal documents before approval (legal review)."),
                          _("Number outgoing legal documents (unified review, unified export).")],
    Role.DEPARTMENT_HEAD: [_("Approve your department's requests."),
                           _("Follow your officers' deadlines and alerts.")],
    Role.COUNTY_CHIEF: [_("Give the final approval where the law requires a county-level chief."),
                        _("Follow the bureau's cases, deadlines and breaches.")],
    Role.PROPERTY_CUSTODIAN: [_("Receive seized property, store it and print its labels."),
                              _("Lend, return, transfer and dispose of property with approval."),
                              _("Run stocktakes.")],
    Role.SUPERVISOR: [_("Handle alerts and breaches of time limits."),
                      _("Run inspections and quality assessment; follow rectifications.")],
    Role.ANALYST: [_("Answer information requests raised for cases."),
                   _("Check identities, trajectories and relationships.")],
    Role.SYSTEM_ADMIN: [_("Manage units, accounts and configuration."),
                        _("You do not see case content: that is the separation of duties.")],
    Role.SECURITY_ADMIN: [_("Grant and withdraw roles; reset lost authenticators."),
                          _("Revoke API tokens when a device is lost.")],
    Role.AUDIT_ADMIN: [_("Read the whole-process record and verify it has not been changed."),
                       _("Review the actions of the other two administrators.")],
    Role.LAWYER: [_("See what has been shared with you and book meetings.")],
    Role.PROCURATORATE: [_("Receive and verify what the bureau transfers to you.")],
    Role.COURT: [_("Receive and verify what the bureau transfers to you.")],
}

#: role → list of (url name, title): HTMX panels contributed by later apps.
PANELS: dict[str, list[tuple[str, str]]] = {
    Role.SYSTEM_ADMIN: [("accounts:panel_units_without_head", _("Units without a head")),
                        ("accounts:panel_accounts_without_role", _("Accounts waiting for roles"))],
    Role.SECURITY_ADMIN: [("accounts:panel_locked", _("Locked accounts")),
                          ("accounts:panel_no_authenticator", _("Accounts without an authenticator")),
                          ("accounts:panel_tokens_expiring", _("API tokens about to expire")),
                          ("accounts:panel_accounts_without_role", _("Accounts waiting for roles"))],
    Role.AUDIT_ADMIN: [("ledger:checkpoint_panel", _("The record: size, checkpoint and verification"))],
}


def home_sections(user) -> list[dict]:
    sections = []
    for role in Role:
        if role in user.roles:
            sections.append({"role": role, "label": role.label, "duties": DUTIES.get(role, []),
                             "panels": PANELS.get(role, [])})
    return sections
