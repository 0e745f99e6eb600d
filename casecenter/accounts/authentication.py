from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from casecenter.core import clock

from .credentials import token_hash
from .models import ApiToken


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token cc_…`` (or ``Bearer cc_…``) with a personal token from the profile page."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header: expected 'Token <key>'."))
        try:  # get(), not first(): key_hash is unique, and an ORDER BY costs more to build than to run
            token = ApiToken.objects.select_related("user__unit").get(key_hash=token_hash(header[1]))
        except ApiToken.DoesNotExist:
            token = None
        if token is None or token.revoked_at is not None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid or has been revoked."))
        now = clock.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                _("The token expired on {date}; create a new one on your profile page.").format(
                    date=timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")))
        if token.user.is_locked():
            raise exceptions.AuthenticationFailed(_("The account is locked."))
        # Record use at most once a minute: a write per request would serialise API traffic.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Token realm="api"'
