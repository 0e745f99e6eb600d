"""The audit administrator's pages: the ledger browser, one event with its proof, the timeline
fragment that other apps embed, and the home panel with the latest checkpoint.

Who may reach them is the access matrix's decision (accounts/access.py, area "audit").
"""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casecenter.core.errors import ApplicationError

from . import keys, proofs, selectors, services, verifier
from .describe import DESCRIPTIONS, actor_name, describe, show_fact, subject_label
from .forms import EventFilterForm
from .models import Event
from .sequencer import latest_checkpoint

PAGE_SIZE = 50


def _rows(events) -> list[dict]:
    return [{"event": e, "actor": e.actor, "actor_name": actor_name(e.actor), "description": describe(e),
             "subject": subject_label(e)} for e in events]


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
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "ledger/event_list.html", {
        "form": form, "page": page, "rows": _rows(page.object_list) if page else [],
        "query": query.urlencode(), "actions": sorted(DESCRIPTIONS),
        "errors": form.error_summary() if page is None else [],
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
    return render(request, "ledger/event_detail.html", {
        "event": event, "actor": event.actor, "actor_name": actor_name(event.actor),
        "actor_roles": show_fact("roles", event.actor.get("roles") or []),
        "description": describe(event), "subject": subject_label(event),
        "facts": json.dumps(event.facts, ensure_ascii=False, indent=2, sort_keys=True),
        "body": json.dumps(json.loads(bytes(event.body)), ensure_ascii=False, indent=2, sort_keys=True),
        "proof_status": _proof_status(event),
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
    """HTMX fragment: ``?case=…``, ``?person=…`` or ``?subject_type=…&subject_id=…``."""
    params = {"case_id": request.GET.get("case") or None, "person_id": request.GET.get("person") or None}
    if request.GET.get("subject_type"):
        params["subject"] = (request.GET["subject_type"], request.GET.get("subject_id", ""))
    if not any(params.values()):
        return HttpResponse(_("Say whose timeline to show: a case, a person or a subject."), status=400)
    events = selectors.timeline(**params)
    return render(request, "ledger/partials/timeline.html", {"rows": _rows(events)})


@never_cache
@require_GET
def checkpoint_panel_view(request):
    """Home-page panel: the latest signed checkpoint and how many events wait for the next one."""
    checkpoint = latest_checkpoint()
    pending = Event.objects.filter(position__isnull=True).count()
    return render(request, "ledger/partials/checkpoint.html", {"checkpoint": checkpoint, "pending": pending})
