"""Reads for accounts. ``visible_units`` is the one place that decides which units a user sees."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ApiToken, Unit, User
from .roles import Role


def visible_units(user) -> QuerySet[Unit]:
    """The units whose records ``user`` may see: their own unit and every unit below it.

    Returned as a lazy queryset so that later selectors filter inside the database
    (``unit__in=visible_units(user)``), keeping counts and pages right. External accounts
    (lawyer, procuratorate, court) see no unit's records: they see only what is shared with them.
    The system and security administrators see the whole tree, which they manage.
    """
    prefix = visible_path_prefix(user)
    if prefix is None:
        return Unit.objects.none()
    return Unit.objects.all() if prefix == "" else Unit.objects.filter(path__startswith=prefix)


def visible_path_prefix(user) -> str | None:
    """The same decision as ``visible_units``, as the unit path prefix the user sees ("": every
    unit; None: none). Lists that filter their rows through the unit's path (a join) let the
    database walk their own ordering index instead of sorting every visible row."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return ""
    if not user.is_internal:
        return None
    return user.unit.path


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

