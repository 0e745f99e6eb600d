"""Pure helpers about second factors and token keys. They change nothing, so they live outside
``services/`` (where every public function is a write that records its ledger event)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pyotp
from django.conf import settings

TOTP_PERIOD = 30
TOKEN_PREFIX = "cc_"


def token_hash(key: str) -> str:
    # Keys carry 256 bits of randomness, so a plain SHA-256 is enough: there is nothing to guess.
    return hashlib.sha256(key.encode()).hexdigest()


def second_factor_required(user) -> bool:
    """TOTP is required of every internal role outside demo mode; in demo mode, only of those who
    enrolled. External accounts use it when enrolled. An account whose authenticator the security
    administrator reset enrols a new one at its next sign-in, in every mode."""
    if hasattr(user, "totp_device") or getattr(user, "totp_reset_at", None) is not None:
        return True
    return bool(user.is_internal and not settings.DEMO_MODE)


def totp_new_secret() -> str:
    return pyotp.random_base32(length=32)


def totp_provisioning_uri(user, secret: str) -> str:
    issuer = settings.CASECENTER["TOTP_ISSUER"]
    return pyotp.TOTP(secret, interval=TOTP_PERIOD).provisioning_uri(name=user.username, issuer_name=issuer)


def current_step(at: dt.datetime) -> int:
    return int(at.timestamp()) // TOTP_PERIOD


def matching_step(secret: str, code: str, at: dt.datetime) -> int | None:
    """The step (±1 for clock drift) whose code matches, or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=TOTP_PERIOD)
    step = current_step(at)
    for candidate in (step, step - 1, step + 1):
        if pyotp.utils.strings_equal(totp.at(candidate * TOTP_PERIOD), code):
            return candidate
    return None
