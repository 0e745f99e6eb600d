"""Accounts: creation, details, password, (de)activation and roles. Roles are granted by the
security administrator only, and an administrator role is never combined with another role."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casecenter.core import clock
from casecenter.core.errors import Conflict, Forbidden, ValidationFailed
from casecenter.ledger.actions import not_a_write, records
from casecenter.ledger.services import record_event

from ..models import ApiToken, RoleGrant, Unit, User
from ..roles import ADMIN_ROLES, Role
from ..versions import fingerprint

CHANGED_MEANWHILE = _("Someone else changed this account while you were editing it. The form now shows it "
                      "as it is; make your change again.")


def _validate_password(password: str, user: User | None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from None


def _details(user: User) -> dict:
    return {"username": user.username, "full_name": user.full_name, "unit": user.unit_id, "phone": user.phone,
            "email": user.email, "language": user.language}


@not_a_write
def user_version(user: User) -> str:
    """The account's fingerprint as a form shows it; ``user_update(seen=…)`` refuses a stale one."""
    return fingerprint({**_details(user), "is_active": user.is_active})


def _check_text(value: str, *, field: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise ValidationFailed(_("At most {limit} characters.").format(limit=limit), field=field)
    return value


def _check_contact(phone: str, email: str) -> tuple[str, str]:
    phone = _check_text(phone, field="phone", limit=32)
    email = _check_text(email, field="email", limit=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationFailed(_("Enter a valid email address."), field="email") from None
    return phone, email


def _check_unit(unit: Unit) -> None:
    # The unit's row is locked as it is read: an account is never placed in a unit that another
    # administrator is deactivating at the same moment (unit_deactivate counts under the same lock).
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise ValidationFailed(_("The unit {name} is deactivated; choose an active unit.").format(name=unit.name),
                               field="unit")


@records("accounts.user.created")
@transaction.atomic
def user_create(*, actor: User | None, username: str, full_name: str, unit: Unit, password: str,
                phone: str = "", email: str = "", request=None) -> User:
    """Create an account (system administrator). Roles are granted separately by the security
    administrator (``user_set_roles``), so that no one both creates an account and empowers it."""
    username = _check_text(username, field="username", limit=64)
    full_name = _check_text(full_name, field="full_name", limit=64)
    if not username:
        raise ValidationFailed(_("Enter a username."), field="username")
    if any(character.isspace() for character in username):
        raise ValidationFailed(_("A username has no spaces."), field="username")
    if not full_name:
        raise ValidationFailed(_("Enter the full name."), field="full_name")
    phone, email = _check_contact(phone, email)
    _check_unit(unit)
    taken = ValidationFailed(_("The username {username} is taken.").format(username=username), field="username")
    if User.objects.filter(username=username).exists():
        raise taken
    user = User(username=username, full_name=full_name, unit=unit, phone=phone, email=email)
    _validate_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():  # two administrators creating the same username at once: one wins
            user.save()
    except IntegrityError:
        raise taken from None
    # Never the password, nor its hash: the record is read by people who must not crack it.
    record_event(actor=actor, action="accounts.user.created", subject=user, unit=unit, data=_details(user),
                 request=request)
    return user


@records("accounts.user.updated")
@transaction.atomic
def user_update(*, actor: User | None, user: User, full_name: str | None = None, unit: Unit | None = None,
                phone: str | None = None, email: str | None = None, language: str | None = None,
                seen: str | None = None, request=None) -> User:
    """Change an account's details; roles and activation have their own services.

    ``seen`` is the ``user_version`` the editing form showed: when the account changed since, the
    change is refused (Conflict) rather than overwriting the other administrator's. The event holds
    the changed fields before and after; a call that changes nothing records nothing.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if seen is not None and seen != user_version(user):
        raise Conflict(CHANGED_MEANWHILE)
    before = _details(user)
    if full_name is not None:
        full_name = _check_text(full_name, field="full_name", limit=64)
        if not full_name:
            raise ValidationFailed(_("Enter the full name."), field="full_name")
        user.full_name = full_name
    if unit is not None and unit.pk != user.unit_id:
        _check_unit(unit)
        user.unit = unit
    if phone is not None or email is not None:
        phone, email = _check_contact(user.phone if phone is None else phone, user.email if email is None else email)
        user.phone, user.email = phone, email
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
    reason = _check_text(reason, field="reason", limit=500)
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
def user_set_roles(*, actor: User | None, user: User, roles: Iterable[str], expected: Iterable[str] | None = None,
                   request=None) -> tuple[set[str], set[str]]:
    """Make ``user`` hold exactly ``roles`` (security administrator only).

    Separation of duties: an administrator role is never combined with any other role, and the
    security administrator cannot change their own roles. ``expected`` is the set of roles the form
    showed: when another administrator changed them meanwhile, the change is refused (Conflict).
    Returns (granted, revoked).
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
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialises two changes of one account's roles
    current = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    if expected is not None and set(expected) != current:
        raise Conflict(_("Someone else changed this account's roles while you were editing them. The form now "
                         "shows them as they are; make your change again."))
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


@records("accounts.user.unlocked")
@transaction.atomic
def user_unlock(*, actor: User | None, user: User, request=None) -> User:
    """Lift the lockout of an account locked after failed sign-ins (security administrator), before
    its time runs out. Compare-and-set: an account no longer locked (its time ran out, or another
    administrator unlocked it) is refused with a conflict, and nothing is recorded twice."""
    if actor is not None and not actor.has_role(Role.SECURITY_ADMIN):
        raise Forbidden(_("Only the security administrator unlocks accounts."))
    now = clock.now()
    before = User.objects.select_for_update().get(pk=user.pk)
    if not User.objects.filter(pk=user.pk, locked_until__gt=now).update(locked_until=None, failed_login_count=0):
        raise Conflict(_("The account {username} is not locked.").format(username=before.username))
    user.refresh_from_db()
    record_event(actor=actor, action="accounts.user.unlocked", subject=user, unit=user.unit_id,
                 data={"username": user.username, "was_locked_until": before.locked_until}, request=request)
    return user
