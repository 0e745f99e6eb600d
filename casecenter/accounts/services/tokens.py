from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core import clock
from casecenter.core.errors import Forbidden, NotFound, ValidationFailed

from ..models import ApiToken, User
from ..roles import Role

TOKEN_PREFIX = "cc_"


def token_hash(key: str) -> str:
    # Keys carry 256 bits of randomness, so a plain SHA-256 is enough: there is nothing to guess.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token. Returns the row and the key, which is never shown again."""
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Give the token a name, such as the program that will use it."), field="name")
    if len(name) > 64:
        raise ValidationFailed(_("The name is too long (at most 64 characters)."), field="name")
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= 20:
        raise ValidationFailed(_("You already have 20 active tokens; revoke one first."), field="name")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], key_hash=token_hash(key))
    return token, key


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner may, and so may the security administrator."""
    if token.user_id != actor.pk and not actor.has_role(Role.SECURITY_ADMIN):
        raise NotFound(_("No such token."))
    if token.revoked_at is not None:
        raise Forbidden(_("This token is already revoked."))
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=clock.now())
    token.refresh_from_db()
    return token
