"""Personal API tokens: creation (the key is shown once) and revocation."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core import clock
from casecenter.core.errors import Conflict, NotFound, ValidationFailed
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event

from ..credentials import TOKEN_PREFIX, token_hash
from ..models import ApiToken, User
from ..roles import Role


@records("accounts.token.created")
@transaction.atomic
def token_create(*, user: User, name: str, request=None) -> tuple[ApiToken, str]:
    """Create a personal API token. Returns the row and the key, which is never shown again.

    The token works for ``CASECENTER_API_TOKEN_DAYS`` days: a forgotten script's key does not
    stay valid for ever.
    """
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Give the token a name, such as the program that will use it."), field="name")
    if len(name) > 64:
        raise ValidationFailed(_("The name is too long (at most 64 characters)."), field="name")
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=clock.now()).count() >= 20:
        raise ValidationFailed(_("You already have 20 active tokens; revoke one first."), field="name")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    expires_at = now + dt.timedelta(days=settings.CASECENTER["API_TOKEN_DAYS"])
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], key_hash=token_hash(key),
                                    created_at=now, expires_at=expires_at)
    # Neither the key nor its hash is recorded: the ledger is read by auditors, not by the API.
    record_event(actor=user, action="accounts.token.created", subject=token, unit=user.unit_id,
                 data={"name": name, "owner": user.username, "expires_at": expires_at}, request=request)
    return token, key


@records("accounts.token.revoked")
@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken, request=None) -> ApiToken:
    """Revoke a token: its owner may, and so may the security administrator (a lost laptop).

    Compare-and-set on ``revoked_at``: of two revocations at once, one records the event and the
    other is told the token is already revoked.
    """
    if token.user_id != actor.pk and not actor.has_role(Role.SECURITY_ADMIN):
        raise NotFound(_("No such token."))
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=clock.now()):
        raise Conflict(_("This token is already revoked."))
    token.refresh_from_db()
    record_event(actor=actor, action="accounts.token.revoked", subject=token, unit=token.user.unit_id,
                 data={"name": token.name, "owner": token.user.username}, request=request)
    return token
