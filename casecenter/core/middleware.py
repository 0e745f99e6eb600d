import re
import uuid

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id (or keep a proxy's ``X-Request-ID``) for logs and the record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


def client_address(request) -> str:
    """The client's address; REMOTE_ADDR unless a trusted proxy is configured (then X-Forwarded-For)."""
    from django.conf import settings

    if settings.SECURE_PROXY_SSL_HEADER and request.headers.get("X-Forwarded-For"):
        return request.headers["X-Forwarded-For"].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
