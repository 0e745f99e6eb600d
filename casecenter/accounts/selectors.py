"""Reads for accounts. ``visible_scope`` / ``visible_units`` are the one place that decides which units a
user sees, by the role scopes of ``scopes.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from casecenter.core import clock
from casecenter.core.errors import NotFound

from .models import ApiToken, RoleGrant, TotpDevice, Unit, UnitKind, User
from .roles import INTERNAL_ROLES, Role
from .scopes import Scope, user_scope


def visible_scope(user, *, roles: Iterable[str] | None = None) -> Scope:
    """The subtrees whose records ``user`` sees: the union of the scopes of their roles
    (``accounts/scopes.py``; ``roles``: only as a holder of these, e.g. the roles that write cases)."""
    return user_scope(user, roles=roles)


def visible_units(user, *, roles: Iterable[str] | None = None) -> QuerySet[Unit]:
    """The units whose records ``user`` may see (``visible_scope``), as a lazy queryset, so that
    later selectors filter inside the database (``unit__in=visible_units(user)``), keeping counts
    and pages right. External accounts (lawyer, procuratorate, court) see no unit's records: they
    see only what is shared with them. The system and security administrators see the whole tree,
    which they manage."""
    scope = visible_scope(user, roles=roles)
    if scope.nothing:
        return Unit.objects.none()
    return Unit.objects.all() if scope.everything else Unit.objects.filter(scope.q("path"))


def unit_list(*, user) -> QuerySet[Unit]:
    return visible_units(user).select_related("parent").order_by("path")


def user_list(*, user) -> QuerySet[User]:
    return (
        User.objects.filter(unit__in=visible_units(user))
        .select_related("unit")
        .prefetch_related("role_grants")
        .order_by("username")
    )


def token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


# --- administration: the unit tree, the account list, the token list, the home panels -----------------

#: Units where somebody must hold the department head's role (the bureaus have chiefs instead).
HEADED_KINDS = (UnitKind.POLICE_STATION, UnitKind.CRIMINAL_BRIGADE, UnitKind.LEGAL_DEPARTMENT,
                UnitKind.CASE_CENTRE, UnitKind.PROPERTY_CENTRE, UnitKind.OTHER_DEPARTMENT)


@dataclass
class UnitNode:
    unit: Unit
    active_accounts: int = 0
    accounts: int = 0
    children: list[UnitNode] = field(default_factory=list)

    @property
    def subtree_active_accounts(self) -> int:
        return self.active_accounts + sum(child.subtree_active_accounts for child in self.children)


def unit_tree(*, include_inactive: bool = True) -> list[UnitNode]:
    """The whole organisation as nested nodes with their account counts: two queries, any size."""
    units = Unit.objects.order_by("path")
    if not include_inactive:
        units = units.filter(is_active=True)
    counts = {row["unit"]: row for row in User.objects.values("unit").annotate(
        total=Count("pk"), active=Count("pk", filter=Q(is_active=True)))}
    nodes: dict[int, UnitNode] = {}
    roots: list[UnitNode] = []
    for unit in units:   # path order: a parent always comes before its children
        row = counts.get(unit.pk, {})
        node = nodes[unit.pk] = UnitNode(unit, active_accounts=row.get("active", 0), accounts=row.get("total", 0))
        parent = nodes.get(unit.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def count_nodes(nodes: list[UnitNode]) -> int:
    return sum(1 + count_nodes(node.children) for node in nodes)


def unit_search(query: str, *, active_only: bool = False, limit: int = 20) -> list[Unit]:
    """Units whose name or code contains ``query`` (every unit when empty), tree order, for pickers."""
    units = Unit.objects.select_related("parent").order_by("path")
    if active_only:
        units = units.filter(is_active=True)
    query = query.strip()
    if query:
        units = units.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return list(units[:limit])


def user_search(query: str, *, limit: int = 20) -> list[User]:
    """Accounts whose name or username contains ``query``, for pickers."""
    users = User.objects.select_related("unit").order_by("username")
    query = query.strip()
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(username__icontains=query))
    return list(users[:limit])


def _has_role(role=None):
    grants = RoleGrant.objects.filter(user=OuterRef("pk"))
    return Exists(grants.filter(role__in=role) if role is not None else grants)


def _without_authenticator():
    """Internal accounts that sign in with a password alone (or must enrol again after a reset)."""
    return Q(is_active=True) & ~Exists(TotpDevice.objects.filter(user=OuterRef("pk"))) & _has_role(INTERNAL_ROLES)


ACCOUNT_STATES = ("active", "inactive", "locked", "no_authenticator", "no_role")


def account_list(*, user, query: str = "", unit: Unit | None = None, role: str = "", state: str = "",
                 subtree: bool = True) -> QuerySet[User]:
    """The administrators' account list: filtered, with unit, roles and whether an authenticator is
    enrolled read in the page's own queries (no query per row)."""
    users = user_list(user=user).annotate(has_authenticator=Exists(TotpDevice.objects.filter(user=OuterRef("pk"))))
    query = query.strip()
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(username__icontains=query))
    if unit is not None:
        users = users.filter(unit__path__startswith=unit.path) if subtree else users.filter(unit=unit)
    if role == "none":
        users = users.filter(~_has_role())
    elif role:
        users = users.filter(_has_role([role]))
    if state == "active":
        users = users.filter(is_active=True)
    elif state == "inactive":
        users = users.filter(is_active=False)
    elif state == "locked":
        users = users.filter(locked_until__gt=clock.now())
    elif state == "no_authenticator":
        users = users.filter(_without_authenticator())
    elif state == "no_role":
        users = users.filter(is_active=True).filter(~_has_role())
    return users


def get_account_for_user(user, pk) -> User:
    """One account an administrator may manage, or NotFound."""
    found = account_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("There is no such account."))
    return found


def get_unit_for_user(user, pk) -> Unit:
    found = visible_units(user).select_related("parent").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("There is no such unit."))
    return found


TOKEN_STATES = ("active", "expiring", "expired", "revoked")


def token_warning_horizon():
    return clock.now() + dt.timedelta(days=settings.CASECENTER["API_TOKEN_WARNING_DAYS"])


def token_admin_list(*, query: str = "", state: str = "") -> QuerySet[ApiToken]:
    """Every account's tokens for the security administrator, soonest expiry first among the
    usable ones; the owner and their unit in the same query."""
    now = clock.now()
    tokens = ApiToken.objects.select_related("user__unit")
    query = query.strip()
    if query:
        tokens = tokens.filter(Q(user__full_name__icontains=query) | Q(user__username__icontains=query)
                               | Q(name__icontains=query) | Q(prefix__startswith=query))
    usable = Q(revoked_at__isnull=True, expires_at__gt=now)
    if state == "active":
        tokens = tokens.filter(usable)
    elif state == "expiring":
        tokens = tokens.filter(usable, expires_at__lte=token_warning_horizon())
    elif state == "expired":
        tokens = tokens.filter(revoked_at__isnull=True, expires_at__lte=now)
    elif state == "revoked":
        tokens = tokens.filter(revoked_at__isnull=False)
    return tokens.order_by("expires_at", "id") if state in ("active", "expiring") else tokens.order_by("-created_at",
                                                                                                      "-id")


def get_token(pk) -> ApiToken:
    found = ApiToken.objects.select_related("user__unit").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such token."))
    return found


# The home panels: each a count and the first rows of a filtered list.

def locked_accounts() -> QuerySet[User]:
    return User.objects.select_related("unit").filter(locked_until__gt=clock.now()).order_by("locked_until", "pk")


def accounts_without_authenticator() -> QuerySet[User]:
    return User.objects.select_related("unit").filter(_without_authenticator()).order_by("username")


def tokens_expiring() -> QuerySet[ApiToken]:
    return token_admin_list(state="expiring")


def accounts_without_role() -> QuerySet[User]:
    return (User.objects.select_related("unit").filter(is_active=True).filter(~_has_role())
            .order_by("-date_joined", "-pk"))


def units_without_head() -> QuerySet[Unit]:
    heads = User.objects.filter(unit=OuterRef("pk"), is_active=True, role_grants__role=Role.DEPARTMENT_HEAD)
    return (Unit.objects.select_related("parent").filter(is_active=True, kind__in=HEADED_KINDS)
            .filter(~Exists(heads)).order_by("path"))
