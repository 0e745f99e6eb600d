"""Sign-in: password, second factor, lockout. The lockout lives in the user row (database), so it
holds across restarts and across every app process; the row is locked while it is counted."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casecenter.core import clock
from casecenter.core.errors import ApplicationError, Forbidden, ValidationFailed
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event

from ..credentials import matching_step
from ..models import TotpDevice, User
from ..roles import Role

_DUMMY_HASH = None


class LoginRefused(ApplicationError):
    code = "login_refused"
    status = 401


def _locked_message(user: User) -> str:
    minutes = max(1, int((user.locked_until - clock.now()).total_seconds() + 59) // 60)
    return ngettext(
        "This account is locked after too many failed attempts. Try again in %(minutes)d minute.",
        "This account is locked after too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _register_failure(user: User, *, factor: str, reason: str, request=None) -> User:
    """Count one failed attempt; the threshold-th failure locks the account for the set time.

    Runs in its own transaction, which commits before the caller raises the refusal: the count
    and the failed-login event must survive the refusal that follows.
    """
    conf = settings.CASECENTER
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.failed_login_count += 1
        lockout = locked.failed_login_count >= conf["LOCKOUT_THRESHOLD"]
        if lockout:
            locked.locked_until = clock.now() + dt.timedelta(seconds=conf["LOCKOUT_SECONDS"])
            locked.failed_login_count = 0
        locked.save(update_fields=["failed_login_count", "locked_until"])
        _record_failure(user=locked, factor=factor, reason=reason, request=request)
        if lockout:
            record_event(actor=None, action="accounts.user.locked", subject=locked, unit=locked.unit_id,
                         data={"until": locked.locked_until, "after_failures": conf["LOCKOUT_THRESHOLD"]},
                         request=request)
    return locked


def _record_failure(*, user: User | None, factor: str, reason: str, request=None, username: str = "") -> None:
    """The attempt is anonymous (whoever typed the password); the account it aimed at is the subject."""
    record_event(actor=None, action="accounts.user.login_failed",
                 subject=user if user is not None else ("accounts.user", ""),
                 unit=user.unit_id if user is not None else None,
                 data={"username": user.username if user is not None else username, "factor": factor,
                       "reason": reason},
                 request=request)


def _refuse_locked(user: User, *, factor: str, request=None, **extra) -> LoginRefused:
    with transaction.atomic():
        _record_failure(user=user, factor=factor, reason="locked", request=request)
    return LoginRefused(_locked_message(user), **extra)


@records("accounts.user.login_failed", "accounts.user.locked")
def password_check(*, username: str, password: str, request=None) -> User:
    """First step of sign-in. Raises :class:`LoginRefused` for a wrong password, an unknown or
    inactive account, or a locked one; the message never tells which of the first three it was."""
    global _DUMMY_HASH
    bad = LoginRefused(_("The username or password is not correct."))
    user = User.objects.filter(username=username.strip()).select_related("unit").first()
    if user is None:
        # Hash anyway so that timing does not reveal which usernames exist.
        _DUMMY_HASH = _DUMMY_HASH or make_password("casecenter-timing")
        User(password=_DUMMY_HASH).check_password(password)
        with transaction.atomic():
            _record_failure(user=None, factor="password", reason="unknown_user", request=request,
                            username=username.strip()[:64])
        raise bad
    if user.is_locked():
        raise _refuse_locked(user, factor="password", request=request,
                             extra={"locked_until": user.locked_until.isoformat()})
    if not user.check_password(password) or not user.is_active:
        reason = "wrong_password" if user.is_active else "inactive"
        user = _register_failure(user, factor="password", reason=reason, request=request)
        if user.is_locked():
            raise LoginRefused(_locked_message(user), extra={"locked_until": user.locked_until.isoformat()})
        raise bad
    return user


@records("accounts.user.login_failed", "accounts.user.locked")
def totp_check(*, user: User, code: str, request=None) -> User:
    """Second step of sign-in: a code from the user's authenticator, each code usable once."""
    if user.is_locked():
        raise _refuse_locked(user, factor="totp", request=request)
    device = TotpDevice.objects.filter(user=user).first()
    step = matching_step(device.secret, code, clock.now()) if device else None
    # Compare-and-set on last_used_step: a code already used (or an older one) is refused even
    # when two requests race with the same code.
    if step is None or not TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
        last_used_step=step
    ):
        user = _register_failure(user, factor="totp", reason="wrong_code", request=request)
        if user.is_locked():
            raise LoginRefused(_locked_message(user))
        raise LoginRefused(_("The code is not correct. Enter the current 6-digit code from your authenticator."),
                           field="code")
    return user


@records("accounts.totp.enrolled")
@transaction.atomic
def totp_confirm_enrolment(*, user: User, secret: str, code: str, request=None) -> TotpDevice:
    """Enrol an authenticator: the first code proves the user holds the secret."""
    if TotpDevice.objects.filter(user=user).exists():
        raise ValidationFailed(_("An authenticator is already enrolled for this account."))
    step = matching_step(secret, code, clock.now())
    if step is None:
        raise ValidationFailed(_("The code is not correct. Enter the current 6-digit code from your authenticator."),
                               field="code")
    device = TotpDevice.objects.create(user=user, secret=secret, last_used_step=step)
    User.objects.filter(pk=user.pk, totp_reset_at__isnull=False).update(totp_reset_at=None)
    # The secret never enters the record: whoever reads the ledger could generate the codes.
    record_event(actor=user, action="accounts.totp.enrolled", subject=user, data={"device": device.pk},
                 request=request)
    return device


@records("accounts.totp.reset")
@transaction.atomic
def totp_reset(*, actor: User | None, user: User, reason: str, request=None) -> bool:
    """Remove a lost authenticator (security administrator): the next sign-in enrols a new one,
    also where the second factor is otherwise optional. ``reason`` (required) is recorded.

    Answers whether there was something to reset. The account row is locked first, so of two
    resets at once the second finds nothing and records nothing.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationFailed(_("Say why the authenticator is reset (e.g. the phone was lost)."), field="reason")
    if len(reason) > 500:
        raise ValidationFailed(_("The reason is too long (at most 500 characters)."), field="reason")
    if actor is not None:
        if not actor.has_role(Role.SECURITY_ADMIN):
            raise Forbidden(_("Only the security administrator resets authenticators."))
        if actor.pk == user.pk:
            raise Forbidden(_("You cannot reset your own authenticator; ask another security administrator."))
    locked = User.objects.select_for_update().get(pk=user.pk)
    removed, _detail = TotpDevice.objects.filter(user=locked).delete()
    if not removed:
        return False
    User.objects.filter(pk=locked.pk).update(totp_reset_at=clock.now())
    record_event(actor=actor, action="accounts.totp.reset", subject=locked, unit=locked.unit_id,
                 data={"username": locked.username, "reason": reason}, request=request)
    return True


@records("accounts.user.login")
@transaction.atomic
def login_complete(*, request, user: User) -> None:
    """Both factors passed: open the session and clear the failure count."""
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    django_login(request, user, backend="casecenter.accounts.backends.AccountBackend")
    request.session["last_activity"] = time.time()
    record_event(actor=user, action="accounts.user.login", subject=user,
                 data={"second_factor": TotpDevice.objects.filter(user=user).exists()}, request=request)


LOGOUT_REASONS = ("user", "idle")


@records("accounts.user.logout")
@transaction.atomic
def logout_complete(*, request, reason: str = "user") -> None:
    """End the session (``reason``: "user" or "idle")."""
    if reason not in LOGOUT_REASONS:
        raise ValueError(f"unknown logout reason {reason!r}")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        record_event(actor=user, action="accounts.user.logout", subject=user, data={"reason": reason},
                     request=request)
    django_logout(request)
