"""The audit administrator's pages: the ledger browser, one event with its proof, the timeline
fragment that other apps embed, and the home panel with the record's size, its latest checkpoint
and its last verification.

People, units and records appear by name, each linked to the events about it (``names.py``: one
query per kind of record on a page); times are local, to the second.
Who may reach them is the access matrix's decision (accounts/access.py, area "audit").
"""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casecenter.core.errors import ApplicationError

from . import keys, names, proofs, selectors, services, verifier
from .describe import DESCRIPTIONS, actor_name, describe, show_fact
from .forms import LINKED, EventFilterForm
from .models import Event
from .verification import START_PAGE, latest_verification, record_size

PAGE_SIZE = 50


def _rows(events) -> list[dict]:
    events = list(events)
    return [{"event": e, "actor": e.actor, "actor_name": actor_name(e.actor), "description": describe(e), **links}
            for e, links in zip(events, names.event_links(events), strict=True)]


def _without(query, keys) -> str:
    query = query.copy()
    for key in (*keys, "page"):
        query.pop(key, None)
    return query.urlencode()


@never_cache
@require_GET
def event_list_view(request):
    form = EventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        page, status = None, 400
    else:
        filters = form.selector_filters() if form.is_bound else {}
        paginator = Paginator(selectors.event_list(user=request.user, **filters), PAGE_SIZE)
        page, status = paginator.get_page(request.GET.get("page")), 200
    chips = [{**chip, "remove": _without(request.GET, chip["drop"])} for chip in form.linked_filters()]
    return render(request, "ledger/event_list.html", {
        "form": form, "page": page, "rows": _rows(page.object_list) if page is not None else [],
        "query": _without(request.GET, ()), "actions": sorted(DESCRIPTIONS), "chips": chips,
        "visible_fields": [form[name] for name in form.fields if name not in LINKED],
        "errors": form.error_summary() if page is None else [], "verify_url": _verify_url(),
    }, status=status)


def _get_event(pk: int) -> Event:
    event = selectors.with_checkpoint(Event.objects.filter(pk=pk)).first()
    if event is None:
        raise Http404(_("There is no such event."))
    return event


def _proof_status(event: Event) -> str:
    """"pending", "verified" or "failed": the event's inclusion proof checked against the public key."""
    if event.checkpoint_size is None:
        return "pending"
    try:
        bundle = proofs.event_bundle(event)
    except ApplicationError:
        return "pending"
    return "verified" if verifier.verify_bundle(bundle, keys.public_key()) else "failed"


@never_cache
@require_GET
def event_detail_view(request, pk: int):
    event = _get_event(pk)
    links = names.event_links([event])[0]
    return render(request, "ledger/event_detail.html", {
        "event": event, "actor": event.actor, "actor_name": actor_name(event.actor),
        "actor_roles": show_fact("roles", event.actor.get("roles") or []),
        "description": describe(event), **links,
        "facts": json.dumps(event.facts, ensure_ascii=False, indent=2, sort_keys=True),
        "body": json.dumps(json.loads(bytes(event.body)), ensure_ascii=False, indent=2, sort_keys=True),
        "proof_status": _proof_status(event),
        "timeline_url": f"{reverse('ledger:timeline')}?"
                        f"{urlencode({'subject_type': event.subject_type, 'subject_id': event.subject_id})}",
    })


@never_cache
@require_GET
def event_proof_view(request, pk: int):
    """The proof bundle as a file, for ``casecenter ledger verify-proof`` or the standalone verifier."""
    event = _get_event(pk)
    try:
        bundle = services.proof_export(actor=request.user, event=event, request=request)
    except ApplicationError as exc:
        return render(request, "errors/404.html", {"message": exc.message}, status=404)
    response = JsonResponse(bundle, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="event-{event.uid}-proof.json"'
    return response


@never_cache
@require_GET
def timeline_view(request):
    """HTMX fragment: ``?case=…``, ``?person=…`` or ``?subject_type=…&subject_id=…``. Asked for
    without any of them (or opened as a page), it answers with what it needs, status 400."""
    params = {"case_id": request.GET.get("case") or None, "person_id": request.GET.get("person") or None}
    if request.GET.get("subject_type"):
        params["subject"] = (request.GET["subject_type"], request.GET.get("subject_id", ""))
    if not any(params.values()):
        template = "ledger/partials/timeline_help.html" if request.htmx else "ledger/timeline_help.html"
        return render(request, template, {"events_url": reverse("ledger:events")}, status=400)
    events = selectors.timeline(**params)
    return render(request, "ledger/partials/timeline.html", {"rows": _rows(events)})


@never_cache
@require_GET
def checkpoint_panel_view(request):
    """Home-page panel: how many events the record holds, its latest signed checkpoint, and the
    outcome of its last verification, with the way to verify it again."""
    size = record_size()
    return render(request, "ledger/partials/checkpoint.html", {
        "panel": "record", "count": size.total, "more_url": reverse("ledger:events"),
        "size": size, "last": latest_verification(), "verify_url": _verify_url()})


def _verify_url() -> str | None:
    return reverse(START_PAGE[0]) if START_PAGE else None
