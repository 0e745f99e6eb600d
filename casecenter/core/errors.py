"""One error hierarchy for the domain, mapped to one JSON shape and one UI message style.

Every error the API returns has the shape::

    {"error": {"code": "validation", "message": "…", "fields": {"name": ["…"]}}}

``fields`` is present when the error is about named input fields. Messages are translated.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response


class ApplicationError(Exception):
    """A refusal by a domain rule. ``field`` names the input it is about, when there is one."""

    code = "error"
    status = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, *, field: str | None = None, fields: dict[str, list[str]] | None = None,
                 extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = str(message)
        self.fields = dict(fields or {})
        if field:
            self.fields.setdefault(field, []).append(self.message)
        self.extra = extra or {}


class ValidationFailed(ApplicationError):
    code = "validation"


class NotFound(ApplicationError):
    code = "not_found"
    status = status.HTTP_404_NOT_FOUND


class Forbidden(ApplicationError):
    code = "forbidden"
    status = status.HTTP_403_FORBIDDEN


class Conflict(ApplicationError):
    """The record changed under the caller (a lost compare-and-set) or the transition is illegal."""

    code = "conflict"
    status = status.HTTP_409_CONFLICT


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None, **extra: Any) -> dict:
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = {name: [str(m) for m in msgs] for name, msgs in fields.items()}
    body.update(extra)
    return {"error": body}


def _flatten_drf_detail(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF nests errors by field; flatten to ``{"field.sub": [messages]}`` (``"field.3.sub"`` for the
    fourth object of a list)."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            # A nested object's own errors (a list that is empty or too long) belong to its field.
            name = (prefix if key == "non_field_errors" else f"{prefix}.{key}") if prefix else str(key)
            for k, v in _flatten_drf_detail(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        for n, item in enumerate(detail):
            # A list of objects (``many=True``): each one's errors under its index, "reports.3.cause".
            name = f"{prefix}.{n}" if isinstance(item, dict) and prefix else prefix
            for k, v in _flatten_drf_detail(item, name).items():
                out.setdefault(k, []).extend(v)
    else:
        out.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return out


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's exception handler: every error, ours, Django's or DRF's, in the one shape."""
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.fields, **exc.extra), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(error_body("validation", _("The input is not valid."), fields), status=400)
    if isinstance(exc, Http404):
        return Response(error_body("not_found", _("Not found.")), status=404)
    if isinstance(exc, DjangoPermissionDenied):
        return Response(error_body("forbidden", _("You do not have permission to do this.")), status=403)
    if isinstance(exc, drf_exceptions.ValidationError):
        return Response(
            error_body("validation", _("The input is not valid."), _flatten_drf_detail(exc.detail)), status=400
        )
    if isinstance(exc, drf_exceptions.APIException):
        code = {
            401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
            406: "not_acceptable", 415: "unsupported_media_type", 429: "throttled",
        }.get(exc.status_code, "error")
        response = Response(error_body(code, str(exc.detail)), status=exc.status_code)
        if isinstance(exc, drf_exceptions.NotAuthenticated | drf_exceptions.AuthenticationFailed):
            response["WWW-Authenticate"] = 'Token realm="api"'
        return response
    return None
