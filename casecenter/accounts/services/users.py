from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core import clock
from casecenter.core.errors import Forbidden, ValidationFailed

from ..models import RoleGrant, Unit, User
from ..roles import ADMIN_ROLES, Role


def _validate_password(password: str, user: User | None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from None


@transaction.atomic
def user_create(*, actor: User | None, username: str, full_name: str, unit: Unit, password: str,
                phone: str = "", email: str = "") -> User:
    """Create an account (system administrator). Roles are granted separately by the security
    administrator (``user_set_roles``), so that no one both creates an account and empowers it."""
    username, full_name = username.strip(), full_name.strip()
    if not username:
        raise ValidationFailed(_("Enter a username."), field="username")
    if not full_name:
        raise ValidationFailed(_("Enter the full name."), field="full_name")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("The username {username} is taken.").format(username=username), field="username")
    user = User(username=username, full_name=full_name, unit=unit, phone=phone.strip(), email=email.strip())
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, full_name: str | None = None, unit: Unit | None = None,
                phone: str | None = None, email: str | None = None, language: str | None = None) -> User:
    """Change an account's details; roles and activation have their own services."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if full_name is not None:
        if not full_name.strip():
            raise ValidationFailed(_("Enter the full name."), field="full_name")
        user.full_name = full_name.strip()
    if unit is not None:
        user.unit = unit
    if phone is not None:
        user.phone = phone.strip()
    if email is not None:
        user.email = email.strip()
    if language is not None:
        if language not in ("", "zh-hans", "en"):
            raise ValidationFailed(_("Choose a supported language."), field="language")
        user.language = language
    user.save()
    return user


@transaction.atomic
def user_set_password(*, actor: User | None, user: User, password: str) -> User:
    """Set a new password, validated per NIST 800-63B (length, common-password list)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def user_deactivate(*, actor: User | None, user: User, reason: str = "") -> User:
    """Close an account: it can no longer sign in, and its API tokens stop working. Records stay."""
    if actor is not None and actor.pk == user.pk:
        raise Forbidden(_("You cannot deactivate your own account."))
    updated = User.objects.filter(pk=user.pk, is_active=True).update(is_active=False, deactivated_at=clock.now())
    user.refresh_from_db()
    if updated:
        from ..models import ApiToken

        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=clock.now())
    return user


@transaction.atomic
def user_reactivate(*, actor: User | None, user: User) -> User:
    User.objects.filter(pk=user.pk).update(is_active=True, deactivated_at=None, failed_login_count=0,
                                           locked_until=None)
    user.refresh_from_db()
    return user


@transaction.atomic
def user_set_roles(*, actor: User | None, user: User, roles: Iterable[str]) -> tuple[set[str], set[str]]:
    """Make ``user`` hold exactly ``roles`` (security administrator only).

    Separation of duties: an administrator role is never combined with any other role, and the
    security administrator cannot change their own roles. Returns (granted, revoked).
    """
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise ValidationFailed(_("Unknown role: {role}.").format(role=", ".join(sorted(unknown))), field="roles")
    if actor is not None:
        if not actor.has_role(Role.SECURITY_ADMIN):
            raise Forbidden(_("Only the security administrator assigns roles."))
        if actor.pk == user.pk:
            raise Forbidden(_("You cannot change your own roles."))
    admin_roles = wanted & ADMIN_ROLES
    if admin_roles and len(wanted) > 1:
        raise ValidationFailed(
            _("An administrator role cannot be combined with any other role."), field="roles"
        )
    current = set(RoleGrant.objects.select_for_update().filter(user=user).values_list("role", flat=True))
    granted, revoked = wanted - current, current - wanted
    RoleGrant.objects.filter(user=user, role__in=revoked).delete()
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r, granted_by=actor) for r in sorted(granted)])
    if hasattr(user, "_roles_cache"):
        del user._roles_cache
    return granted, revoked
