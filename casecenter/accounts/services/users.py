"""Accounts: creation, details, password, (de)activation and roles. Roles are granted by the
security administrator only, and an administrator role is never combined with another role."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core import clock
from casecenter.core.errors import Forbidden, ValidationFailed
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event

from ..models import ApiToken, RoleGrant, Unit, User
from ..roles import ADMIN_ROLES, Role


def _validate_password(password: str, user: User | None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from None


def _details(user: User) -> dict:
    return {"username": user.username, "full_name": user.full_name, "unit": user.unit_id, "phone": user.phone,
            "email": user.email, "language": user.language}


@records("accounts.user.created")
@transaction.atomic
def user_create(*, actor: User | None, username: str, full_name: str, unit: Unit, password: str,
                phone: str = "", email: str = "", request=None) -> User:
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
    # Never the password, nor its hash: the record is read by people who must not crack it.
    record_event(actor=actor, action="accounts.user.created", subject=user, unit=unit, data=_details(user),
                 request=request)
    return user


@records("accounts.user.updated")
@transaction.atomic
def user_update(*, actor: User | None, user: User, full_name: str | None = None, unit: Unit | None = None,
                phone: str | None = None, email: str | None = None, language: str | None = None,
                request=None) -> User:
    """Change an account's details; roles and activation have their own services.

    The event holds the changed fields before and after; a call that changes nothing records nothing.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _details(user)
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
    after = _details(user)
    changed = sorted(key for key in after if after[key] != before[key])
    if changed:
        record_event(actor=actor, action="accounts.user.updated", subject=user, unit=user.unit_id, request=request,
                     data={"before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}})
    return user


@records("accounts.user.password_changed")
@transaction.atomic
def user_set_password(*, actor: User | None, user: User, password: str, request=None) -> User:
    """Set a new password, validated per NIST 800-63B (length, common-password list)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record_event(actor=actor, action="accounts.user.password_changed", subject=user, unit=user.unit_id,
                 data={"username": user.username, "by_self": actor is not None and actor.pk == user.pk},
                 request=request)
    return user


@records("accounts.user.deactivated")
@transaction.atomic
def user_deactivate(*, actor: User | None, user: User, reason: str = "", request=None) -> User:
    """Close an account: it can no longer sign in, and its API tokens stop working. Records stay."""
    if actor is not None and actor.pk == user.pk:
        raise Forbidden(_("You cannot deactivate your own account."))
    updated = User.objects.filter(pk=user.pk, is_active=True).update(is_active=False, deactivated_at=clock.now())
    user.refresh_from_db()
    if updated:
        revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=clock.now())
        record_event(actor=actor, action="accounts.user.deactivated", subject=user, unit=user.unit_id,
                     data={"username": user.username, "reason": reason, "tokens_revoked": revoked},
                     request=request)
    return user


@records("accounts.user.reactivated")
@transaction.atomic
def user_reactivate(*, actor: User | None, user: User, request=None) -> User:
    """Reopen an account and lift any lockout; an account that is open and unlocked is left alone."""
    before = User.objects.select_for_update().get(pk=user.pk)
    User.objects.filter(pk=user.pk).update(is_active=True, deactivated_at=None, failed_login_count=0,
                                           locked_until=None)
    user.refresh_from_db()
    if not before.is_active or before.locked_until is not None:
        record_event(actor=actor, action="accounts.user.reactivated", subject=user, unit=user.unit_id,
                     data={"username": user.username, "was_active": before.is_active,
                           "was_locked_until": before.locked_until}, request=request)
    return user


@records("accounts.user.roles_changed")
@transaction.atomic
def user_set_roles(*, actor: User | None, user: User, roles: Iterable[str],
                   request=None) -> tuple[set[str], set[str]]:
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
    if granted or revoked:
        record_event(actor=actor, action="accounts.user.roles_changed", subject=user, unit=user.unit_id,
                     data={"username": user.username, "granted": sorted(granted), "revoked": sorted(revoked),
                       "roles": sorted(wanted)},
                     request=request)
    return granted, revoked
