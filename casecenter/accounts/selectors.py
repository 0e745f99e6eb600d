"""Reads for accounts. ``visible_scope`` / ``visible_units`` are the one place that decides which units a
user sees, by the role scopes of ``scopes.py``."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import ApiToken, Unit, User
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

