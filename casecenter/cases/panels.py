"""The cases' panels of the home page (web/home.py ``PANELS``): HTMX fragments, each a count, the
first rows and a link to the filtered case list it summarises — the officer's cases by status, the
cases waiting for the filing decision, and the cases of a reader's scope. Each costs the same few
queries however many cases there are."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casecenter.accounts.models import Unit
from casecenter.accounts.selectors import visible_scope
from casecenter.core import clock

from . import selectors
from .api import ME
from .models import Case, CaseStatus

#: How many rows a panel shows; the rest are a click away on the list.
ROWS = 5


def _list_url(**query) -> str:
    return f"{reverse('cases:list')}?{urlencode(query)}" if query else reverse("cases:list")


def _by_status(counts: dict[str, int], **query) -> list[dict]:
    """The statuses that have cases, in the order of the case's life, each linking to its list."""
    return [{"status": status, "label": label, "count": counts[status], "url": _list_url(**query, status=status)}
            for status, label in CaseStatus.choices if counts.get(status)]


def _working(counts: dict[str, int]) -> int:
    return sum(counts.get(status, 0) for status in selectors.WORKING_STATUSES)


@never_cache
@require_GET
def my_cases_panel_view(request):
    """The cases the officer handles, counted by status; the newest of those still being worked on."""
    user = request.user
    counts = selectors.status_counts(Case.objects.visible_to(user).filter(officers=user))
    rows = (selectors.case_queryset(user).filter(officers=user, status__in=selectors.WORKING_STATUSES)
            .order_by("-received_at", "-id")[:ROWS])
    return render(request, "cases/panels/cases.html", {
        "panel": "my-cases", "mine": True, "count": _working(counts), "statuses": _by_status(counts, officer=ME),
        "rows": list(rows), "more_url": _list_url(officer=ME)})


@never_cache
@require_GET
def scope_cases_panel_view(request):
    """The cases of the units the user works for (a reviewer's, supervision's, a centre's), counted
    by status; the newest still being worked on."""
    user = request.user
    counts = selectors.status_counts(Case.objects.visible_to(user))
    rows = (selectors.case_queryset(user).filter(status__in=selectors.WORKING_STATUSES)
            .order_by("-received_at", "-id")[:ROWS])
    scope = visible_scope(user)
    roots = [] if scope.everything else list(
        Unit.objects.filter(path__in=scope.prefixes).order_by("path").values_list("name", flat=True))
    return render(request, "cases/panels/cases.html", {
        "panel": "scope-cases", "mine": False, "count": _working(counts), "statuses": _by_status(counts),
        "rows": list(rows), "roots": roots, "more_url": _list_url()})


@never_cache
@require_GET
def decisions_panel_view(request):
    """The accepted cases that wait for the filing decision, the longest waiting first, each with
    the time its review is due (the chief decides; the head and the legal department prepare it)."""
    waiting = selectors.awaiting_filing_decision(request.user)
    rows = list(waiting[:ROWS])
    clocks = selectors.review_clocks(rows)
    for case in rows:
        case.review_clock = clocks.get(case.pk)
    return render(request, "cases/panels/decisions.html", {
        "panel": "decisions", "count": waiting.count(), "rows": rows, "now": clock.now(),
        "more_url": _list_url(status=CaseStatus.ACCEPTED)})
