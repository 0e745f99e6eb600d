from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import ngettext
from rest_framework.views import APIView

from .access import PUBLIC, is_allowed, rule_for
from .services import logout_complete

log = logging.getLogger(__name__)


class IdleTimeoutMiddleware:
    """End a session after ``CASECENTER_IDLE_TIMEOUT_SECONDS`` (30 minutes) without a request.

    The last activity time is kept in the session (the database), so it holds across processes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and "last_activity" in request.session:
            idle = time.time() - float(request.session["last_activity"])
            if idle > settings.CASECENTER["IDLE_TIMEOUT_SECONDS"]:
                logout_complete(request=request, reason="idle")
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # the API answers 401/403 in its own shape
                minutes = settings.CASECENTER["IDLE_TIMEOUT_SECONDS"] // 60
                messages.info(request, ngettext(
                    "You were signed out after %(minutes)d minute without activity.",
                    "You were signed out after %(minutes)d minutes without activity.", minutes,
                ) % {"minutes": minutes})
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
                    return response
                return redirect_to_login(request.get_full_path())
            # Write at most once a minute: a session save per request would cost a write each time.
            if idle > 60:
                request.session["last_activity"] = time.time()
        return self.get_response(request)


class AccessMatrixMiddleware:
    """Apply the access matrix to every HTML view; API views apply it in ``MatrixPermission``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        cls = getattr(view_func, "cls", None)
        if cls is not None and issubclass(cls, APIView):
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else None
        rule = rule_for(view_name)
        if rule is None:
            log.error("refused %s: the view %r is missing from the access matrix", request.path, view_name)
            raise PermissionDenied
        if rule.roles_for(request.method) == PUBLIC:
            return None
        if not request.user.is_authenticated:
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
                return response
            return redirect_to_login(request.get_full_path())
        if not is_allowed(request.user, view_name, request.method):
            raise PermissionDenied
        return None


