"""The installation's Ed25519 checkpoint key: read from ``CASECENTER_LEDGER_KEY_FILE``, or generated
on first use into ``VAR_DIR/keys/ledger-ed25519.pem`` (mode 0600).

A configured key file that is missing is an error, never a reason to generate a new key: a new key
would silently stop every earlier checkpoint from verifying against the published public key.
"""

from __future__ import annotations

import functools
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import verifier

DEFAULT_NAME = "ledger-ed25519.pem"


def key_path() -> Path:
    configured = settings.CASECENTER.get("LEDGER_KEY_FILE")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "keys" / DEFAULT_NAME


@functools.cache
def private_key() -> Ed25519PrivateKey:
    path = key_path()
    if path.exists():
        try:
            return verifier.load_private_key(path)
        except (OSError, ValueError, TypeError) as exc:
            raise ImproperlyConfigured(f"The ledger key {path} cannot be read: {exc}") from None
    if settings.CASECENTER.get("LEDGER_KEY_FILE"):
        raise ImproperlyConfigured(f"CASECENTER_LEDGER_KEY_FILE names {path}, which does not exist.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    key = Ed25519PrivateKey.generate()
    try:
        verifier.save_private_key(path, key)
    except FileExistsError:  # another process generated it first: use theirs
        return verifier.load_private_key(path)
    return key


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem() -> bytes:
    return verifier.public_key_pem(public_key())


def forget() -> None:
    """Drop the cached key (after the key file changed, e.g. in tests)."""
    private_key.cache_clear()


def existing_public_key() -> Ed25519PublicKey | None:
    """The installation's public key if a key exists; never generates one (verification reads only)."""
    if not key_path().exists():
        return None
    return public_key()
