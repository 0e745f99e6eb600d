"""Small helpers shared by the apps' HTML views."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.functional import cached_property

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


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows (``capped`` then says there are more): at a city's scale an exact
    count of every visible row costs the database more than the page it shows, and nobody pages
    past the first thousands of rows; they narrow the list with its filters."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        counted = self.object_list[: self.cap + 1].count()  # SELECT COUNT(*) FROM (… LIMIT cap + 1)
        self.capped = counted > self.cap
        return min(counted, self.cap)
