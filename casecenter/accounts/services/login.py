"""Sign-in: password, second factor, lockout. The lockout lives in the user row (database), so it
holds across restarts and across every app process; the row is locked while it is counted."""

from __future__ import annotations

import datetime as dt
import time

import pyotp
from django.conf import settings
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casecenter.core import clock
from casecenter.core.errors import ApplicationError, ValidationFailed

from ..models import TotpDevice, User

TOTP_PERIOD = 30
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


def _register_failure(user: User) -> User:
    """Count one failed attempt; the threshold-th failure locks the account for the set time."""
    conf = settings.CASECENTER
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.failed_login_count += 1
        if locked.failed_login_count >= conf["LOCKOUT_THRESHOLD"]:
            locked.locked_until = clock.now() + dt.timedelta(seconds=conf["LOCKOUT_SECONDS"])
            locked.failed_login_count = 0
        locked.save(update_fields=["failed_login_count", "locked_until"])
    return locked


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
        raise bad
    if user.is_locked():
        raise LoginRefused(_locked_message(user), extra={"locked_until": user.locked_until.isoformat()})
    if not user.check_password(password) or not user.is_active:
        user = _register_failure(user)
        if user.is_locked():
            raise LoginRefused(_locked_message(user), extra={"locked_until": user.locked_until.isoformat()})
        raise bad
    return user


def second_factor_required(user: User) -> bool:
    """TOTP is required of every internal role outside demo mode; in demo mode, only of those who
    enrolled. External accounts use it when enrolled."""
    if hasattr(user, "totp_device"):
        return True
    return bool(user.is_internal and not settings.DEMO_MODE)


def _current_step(at: dt.datetime) -> int:
    return int(at.timestamp()) // TOTP_PERIOD


def _matching_step(secret: str, code: str, at: dt.datetime) -> int | None:
    """The step (±1 for clock drift) whose code matches, or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=TOTP_PERIOD)
    step = _current_step(at)
    for candidate in (step, step - 1, step + 1):
        if pyotp.utils.strings_equal(totp.at(candidate * TOTP_PERIOD), code):
            return candidate
    return None


def totp_check(*, user: User, code: str, request=None) -> User:
    """Second step of sign-in: a code from the user's authenticator, each code usable once."""
    if user.is_locked():
        raise LoginRefused(_locked_message(user))
    device = TotpDevice.objects.filter(user=user).first()
    step = _matching_step(device.secret, code, clock.now()) if device else None
    # Compare-and-set on last_used_step: a code already used (or an older one) is refused even
    # when two requests race with the same code.
    if step is None or not TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
        last_used_step=step
    ):
        user = _register_failure(user)
        if user.is_locked():
            raise LoginRefused(_locked_message(user))
        raise LoginRefused(_("The code is not correct. Enter the current 6-digit code from your authenticator."),
                           field="code")
    return user


def totp_new_secret() -> str:
    return pyotp.random_base32(length=32)


def totp_provisioning_uri(user: User, secret: str) -> str:
    issuer = settings.CASECENTER["TOTP_ISSUER"]
    return pyotp.TOTP(secret, interval=TOTP_PERIOD).provisioning_uri(name=user.username, issuer_name=issuer)


@transaction.atomic
def totp_confirm_enrolment(*, user: User, secret: str, code: str, request=None) -> TotpDevice:
    """Enrol an authenticator: the first code proves the user holds the secret."""
    if TotpDevice.objects.filter(user=user).exists():
        raise ValidationFailed(_("An authenticator is already enrolled for this account."))
    step = _matching_step(secret, code, clock.now())
    if step is None:
        raise ValidationFailed(_("The code is not correct. Enter the current 6-digit code from your authenticator."),
                               field="code")
    return TotpDevice.objects.create(user=user, secret=secret, last_used_step=step)


@transaction.atomic
def totp_reset(*, actor: User, user: User) -> None:
    """Remove a lost authenticator (security administrator); the user enrols again at next sign-in."""
    TotpDevice.objects.filter(user=user).delete()


@transaction.atomic
def login_complete(*, request, user: User) -> None:
    """Both factors passed: open the session and clear the failure count."""
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["last_activity"] = time.time()


def logout_complete(*, request, reason: str = "user") -> None:
    """End the session (``reason``: "user" or "idle")."""
    django_logout(request)
