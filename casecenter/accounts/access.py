"""The access matrix: every URL name and API operation, and the roles allowed to use it.

This is the one table (DESIGN.md §6). It is enforced for HTML views by
:class:`~casecenter.accounts.middleware.AccessMatrixMiddleware` and for API views by
:class:`MatrixPermission`; a view whose name is missing here is refused (deny by default), and a
test walks every URL pattern so that no new URL escapes the table. This table decides only which
roles may reach an endpoint at all; whose records they reach there (which units) is each role's
**scope**, defined beside it in ``scopes.py`` and applied by the selectors through
``accounts.selectors.visible_units`` / ``visible_scope``.

``area`` says what kind of page it is, so that tests can prove the separation of duties: the
system administrator reaches no ``content`` or ``audit`` page, only the audit administrator
reaches ``audit`` pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework.permissions import BasePermission

from .roles import CONTENT_ROLES, INTERNAL_ROLES, Role

PUBLIC = "public"          # anyone, signed in or not
SIGNED_IN = "signed_in"    # any signed-in account
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

AREAS = ("public", "self", "directory", "admin", "audit", "content")


@dataclass(frozen=True)
class Rule:
    read: frozenset[str] | str
    write: frozenset[str] | str | None = None   # unsafe methods; None: the same as ``read``
    area: str = "content"

    def roles_for(self, method: str) -> frozenset[str] | str:
        if method.upper() in SAFE_METHODS or self.write is None:
            return self.read
        return self.write


def _roles(*roles: Role) -> frozenset[str]:
    return frozenset(str(r) for r in roles)


CONFIGURATION_ADMINS = _roles(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)
SYSTEM_ADMINS = _roles(Role.SYSTEM_ADMIN)
SECURITY_ADMINS = _roles(Role.SECURITY_ADMIN)
# Who has use for the API (its documentation, its schema and personal tokens): those who connect
# programs to the centre. Heads and chiefs import reports in batches and pull their units'
# figures; supervisors and analysts export statistics; the three administrators script their work
# (accounts, calendars, the audit record and its proofs); the procuratorate and the court verify
# what the bureau transfers against the published checkpoints. Officers, duty officers, custodians,
# reviewers and lawyers work in the pages only: the menu offers them no API.
API_USERS = _roles(Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF, Role.SUPERVISOR, Role.ANALYST, Role.SYSTEM_ADMIN,
                   Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.PROCURATORATE, Role.COURT)
CLOCK_KEEPERS = _roles(Role.CASE_OFFICER, Role.AREA_DUTY_OFFICER, Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF,
                       Role.PROPERTY_CUSTODIAN)
AUDITORS = _roles(Role.AUDIT_ADMIN)
PEOPLE_WRITERS = _roles(Role.CASE_OFFICER, Role.AREA_DUTY_OFFICER, Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF)
PEOPLE_MERGERS = _roles(Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF)
# Cases are changed by their officers and the heads above them (cases/selectors.py may_write).
CASE_WRITERS = _roles(Role.CASE_OFFICER, Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF)
ALERT_HANDLERS = frozenset(CONTENT_ROLES) - _roles(Role.ANALYST)

MATRIX: dict[str, Rule] = {
    # --- public ---------------------------------------------------------------------------------
    "healthz": Rule(PUBLIC, area="public"),
    "set_language": Rule(PUBLIC, area="public"),
    "accounts:login": Rule(PUBLIC, area="public"),
    "accounts:login_otp": Rule(PUBLIC, area="public"),
    "accounts:login_enrol": Rule(PUBLIC, area="public"),
    "accounts:login_enrol_qr": Rule(PUBLIC, area="public"),
    # --- one's own account ----------------------------------------------------------------------
    "web:home": Rule(SIGNED_IN, area="self"),
    "accounts:logout": Rule(SIGNED_IN, area="self"),
    "accounts:profile": Rule(SIGNED_IN, area="self"),
    "accounts:password_change": Rule(SIGNED_IN, area="self"),
    "accounts:token_create": Rule(API_USERS, area="self"),
    "accounts:token_revoke": Rule(SIGNED_IN, area="self"),   # a token made before a change of roles
    "api:me": Rule(SIGNED_IN, area="self"),
    "api:schema": Rule(API_USERS, area="self"),
    "api:docs": Rule(API_USERS, area="self"),
    # A long job's progress: only its owner sees it (owner-less jobs: system administrators); see jobs/selectors.py.
    **{name: Rule(SIGNED_IN, write=frozenset(), area="self") for name in (
        "jobs:progress", "jobs:progress_page", "api:progress-detail")},
    # --- the organisation directory ---------------------------------------------------------------
    "api:unit-list": Rule(frozenset(INTERNAL_ROLES), area="directory"),
    "api:unit-detail": Rule(frozenset(INTERNAL_ROLES), area="directory"),
    # --- administration (三员): the system administrator manages units and accounts, the security
    #     administrator grants roles, resets authenticators, unlocks accounts and revokes tokens; both
    #     read the unit tree and the accounts. The audit administrator has no administration page. -------
    **{name: Rule(CONFIGURATION_ADMINS, area="admin") for name in (
        "accounts:administration", "accounts:units", "accounts:users", "accounts:user",
        "accounts:panel_accounts_without_role")},
    **{name: Rule(SYSTEM_ADMINS, area="admin") for name in (
        "accounts:unit_create", "accounts:unit_edit", "accounts:unit_deactivate", "accounts:unit_reactivate",
        "accounts:user_create", "accounts:user_edit", "accounts:user_deactivate", "accounts:user_reactivate",
        "accounts:panel_units_without_head")},
    **{name: Rule(SECURITY_ADMINS, area="admin") for name in (
        "accounts:user_roles", "accounts:user_totp_reset", "accounts:user_unlock", "accounts:tokens",
        "accounts:admin_token_revoke", "accounts:panel_locked", "accounts:panel_no_authenticator",
        "accounts:panel_tokens_expiring")},
    # The pickers find units and accounts by name: for the administrators' forms and the audit filters.
    **{name: Rule(CONFIGURATION_ADMINS | AUDITORS, area="directory") for name in (
        "accounts:unit_picker", "accounts:user_picker")},
    # The Django admin keeps only the catalogues (case causes, the holiday calendar, dictionary words).
    "admin:*": Rule(CONFIGURATION_ADMINS, area="admin"),
    "api:user-list": Rule(CONFIGURATION_ADMINS, write=_roles(Role.SYSTEM_ADMIN), area="admin"),
    "api:user-detail": Rule(CONFIGURATION_ADMINS, write=_roles(Role.SYSTEM_ADMIN), area="admin"),
    "api:user-roles": Rule(CONFIGURATION_ADMINS, write=_roles(Role.SECURITY_ADMIN), area="admin"),
    # --- the whole-process record (审计管理员 only: reading the record is itself sensitive) ------------
    **{name: Rule(AUDITORS, area="audit") for name in (
        "ledger:events", "ledger:event", "ledger:event_proof", "ledger:timeline", "ledger:checkpoint_panel",
        "jobs:ledger_verification",
        "api:ledger-event-list", "api:ledger-event-proof", "api:ledger-checkpoint", "api:ledger-consistency")},
    # --- search (every signed-in account; what each finds is decided by visibility in the query) ----
    "search:results": Rule(SIGNED_IN, area="directory"),
    # Rebuilding the index is configuration: the system administrator's (it shows no document).
    "search:reindex": Rule(_roles(Role.SYSTEM_ADMIN), area="admin"),
    "api:search": Rule(SIGNED_IN, area="directory"),
    # The key that verifies checkpoints is published: the procuratorate and the court verify with it.
    "api:ledger-public-key": Rule(SIGNED_IN, area="directory"),
    # --- legal time limits: the people who handle cases and those who supervise them; who sees which
    #     clock is decided by unit (deadlines/selectors.py) -------------------------------------------
    **{name: Rule(frozenset(CONTENT_ROLES), area="content") for name in (
        "deadlines:list", "deadlines:detail", "deadlines:alerts", "deadlines:unread_badge",
        "deadlines:alert", "api:deadline-list", "api:deadline-detail",
        "api:alert-list", "api:alert-detail", "api:alert-unread")},
    # Acknowledging and resolving an alert is acting on it: not the analyst's, who reads (scopes.py).
    **{name: Rule(frozenset(CONTENT_ROLES), write=ALERT_HANDLERS, area="content") for name in (
        "deadlines:alert_note", "api:alert-action")},
    # Changing a clock (pause, extension, end) is for those who handle the person or the property;
    # the services also check that the clock is theirs (deadlines/services/deadlines.py may_act).
    **{name: Rule(frozenset(CONTENT_ROLES), write=CLOCK_KEEPERS, area="content") for name in (
        "deadlines:action", "api:deadline-action")},
    # --- the home page's panels of work (web/home.py PANELS): each reads only what its user's scope
    #     shows (the selectors decide), and changes nothing -----------------------------------------
    **{name: Rule(frozenset(CONTENT_ROLES), write=frozenset(), area="content") for name in (
        "cases:panel_mine", "cases:panel_scope", "cases:panel_decisions", "deadlines:panel_my_clocks",
        "deadlines:panel_clocks", "deadlines:panel_alerts", "deadlines:panel_breaches")},
    # --- cases: read by the content roles of the units that see them (cases/selectors.py); written by
    #     their officers and the heads above them -------------------------------------------------------
    **{name: Rule(frozenset(CONTENT_ROLES), write=CASE_WRITERS, area="content") for name in (
        "cases:list", "cases:detail", "cases:acceptance_record", "cases:transition",
        "cases:party_add", "cases:party_remove", "cases:measure_start", "cases:measure_action", "cases:person_panel",
        "api:case-list", "api:case-batch-intake", "api:case-detail", "api:case-transition", "api:case-party-add",
        "api:case-party-remove",
        "api:case-measure-start", "api:case-measure-action", "api:case-cause-list", "cases:transfer_delivered",
        "api:case-transfer-delivered")},
    # --- people (一人一档): no unit owns a person, every content role reads every entry; those who
    #     bring people in and handle their cases register and change them; merging two entries (and
    #     undoing it) moves records of every unit, so it is the heads' and chiefs' --------------------
    **{name: Rule(frozenset(CONTENT_ROLES), write=PEOPLE_WRITERS, area="content") for name in (
        "people:list", "people:id_number_check", "people:detail",
        "people:document_add", "api:person-list", "api:person-detail", "api:person-document-add",
        # The photo is read with the dossier's visibility (never from /media/) and changed by the writers.
        "people:photo", "people:photo_remove", "api:person-photo", "api:person-photo-remove")},
    **{name: Rule(frozenset(CONTENT_ROLES), write=PEOPLE_MERGERS, area="content") for name in (
        "people:unmerge", "api:person-merge", "api:person-unmerge")},
    # --- pages that are only a form: offered to those who may submit it (a reviewer, a custodian or
    #     an analyst reads cases and people but registers neither) ------------------------------------
    "cases:intake": Rule(CASE_WRITERS, area="content"),
    "people:create": Rule(PEOPLE_WRITERS, area="content"),
    "people:update": Rule(PEOPLE_WRITERS, area="content"),
    "people:merge": Rule(PEOPLE_MERGERS, area="content"),
    # --- the statute library (public legal texts: every signed-in account reads, nobody writes here;
    #     versions are loaded by `casecenter law load`) ----------------------------------------------
    **{name: Rule(SIGNED_IN, write=frozenset(), area="directory") for name in (
        "law:index", "law:search", "law:law", "law:version", "law:article",
        "api:law-list", "api:law-search", "api:law-detail", "api:law-article")},
    # --- the holiday calendar of the deadlines (every signed-in account reads; the system
    #     administrator enters the State Council's notices) ---------------------------------------------
    **{name: Rule(SIGNED_IN, write=_roles(Role.SYSTEM_ADMIN), area="directory") for name in (
        "api:calendar-list", "api:calendar-year", "api:calendar-day")},
}


def rule_for(view_name: str | None) -> Rule | None:
    """The rule for a resolved view name: exact, else the ``namespace:*`` row."""
    if not view_name:
        return None
    if view_name in MATRIX:
        return MATRIX[view_name]
    namespace = view_name.rsplit(":", 1)[0] if ":" in view_name else None
    return MATRIX.get(f"{namespace}:*") if namespace else None


def is_allowed(user, view_name: str, method: str = "GET") -> bool:
    """May ``user`` use the endpoint ``view_name`` with ``method``? Unknown names are refused."""
    rule = rule_for(view_name)
    if rule is None:
        return False
    allowed = rule.roles_for(method)
    if allowed == PUBLIC:
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    if allowed == SIGNED_IN:
        return True
    return bool(user.roles & allowed)


class MatrixPermission(BasePermission):
    """DRF's side of the matrix: the same table, checked after DRF has authenticated the caller."""

    def has_permission(self, request, view) -> bool:
        match = getattr(request, "resolver_match", None)
        return is_allowed(request.user, match.view_name if match else None, request.method)
