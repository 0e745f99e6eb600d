"""Small helpers shared by the apps' HTML views."""

from __future__ import annotations

from django.http import Http404

from .errors import NotFound


def query_without_page(request) -> str:
    """The list's filters as a query string, without ``page``: the pager appends its own."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def found(lookup, *args, **kwargs):
    """Call a selector that raises NotFound; a page answers 404 with its message."""
    try:
        return lookup(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from None
