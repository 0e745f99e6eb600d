"""The deadlines' panels of the home page (web/home.py ``PANELS``): HTMX fragments, each a count,
the first rows and a link to the filtered list it summarises — clocks due within a day (one's own,
or every clock of one's scope), the alerts not yet acknowledged, and supervision's breaches and
warnings by unit. Each costs the same few queries however many rows there are."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casecenter.core import clock

from . import selectors
from .models import AlertState

#: How many rows a panel shows; the rest are a click away on the list.
ROWS = 5
DAY = timedelta(hours=24)


def _list_url(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def _due_panel(request, *, mine: bool):
    now = clock.now()
    officer = request.user if mine else None
    due = selectors.deadline_list(user=request.user, open_only=True, due_before=now + DAY, officer=officer)
    counts = due.aggregate(total=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now)))
    me = {"officer": "me"} if mine else {}
    return render(request, "deadlines/panels/due.html", {
        "panel": "my-clocks" if mine else "clocks", "count": counts["total"], "overdue": counts["overdue"],
        "more_url": _list_url("deadlines:list", due="24h", **me),
        "overdue_url": _list_url("deadlines:list", due="overdue", **me),
        "rows": list(due[:ROWS]), "now": now, "mine": mine, "urgent": counts["overdue"] > 0})


@never_cache
@require_GET
def my_clocks_panel_view(request):
    """The clocks the officer answers for that are due within 24 hours or overdue."""
    return _due_panel(request, mine=True)


@never_cache
@require_GET
def clocks_panel_view(request):
    """Every clock of the user's scope due within 24 hours or overdue (heads, chiefs, the centres)."""
    return _due_panel(request, mine=False)


@never_cache
@require_GET
def alerts_panel_view(request):
    """The alerts routed to the user that nobody has acknowledged yet, newest first."""
    alerts = selectors.alert_list(user=request.user, state=AlertState.OPEN)
    return render(request, "deadlines/panels/alerts.html", {
        "panel": "alerts", "count": alerts.count(), "rows": list(alerts[:ROWS]), "urgent": True,
        "more_url": _list_url("deadlines:alerts", state=AlertState.OPEN)})


@never_cache
@require_GET
def breaches_panel_view(request):
    """Supervision's view: per unit of the scope, the clocks in breach and those warned."""
    units = selectors.alerts_by_unit(user=request.user)
    for unit in units:
        unit["breach_url"] = _list_url("deadlines:alerts", scope="units", unit=unit["id"], level="breach",
                                       state="unresolved")
        unit["warning_url"] = _list_url("deadlines:alerts", scope="units", unit=unit["id"], level="warning",
                                        state="unresolved")
    return render(request, "deadlines/panels/breaches.html", {
        "panel": "breaches", "count": sum(u["breaches"] for u in units),
        "warnings": sum(u["warnings"] for u in units), "units": units, "show_rows": bool(units), "urgent": True,
        "more_url": _list_url("deadlines:alerts", scope="units", state="unresolved")})
