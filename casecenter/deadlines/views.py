"""Pages of the deadline engine: the list of clocks, one clock with the explanation of its due time
and its actions, the alerts inbox, and the shell's unread badge (an HTMX fragment polled live).

Views parse input, call one selector or service, and render; a refusal of a service comes back as
a message naming the field, with status 400 (409 for a clock whose state changed meanwhile).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from casecenter.accounts.access import is_allowed
from casecenter.core import clock
from casecenter.core.errors import ApplicationError
from casecenter.core.pages import found, query_without_page

from . import explain, selectors, services, subjects
from .forms import (
    AlertFilterForm,
    AlertNoteForm,
    CancelForm,
    DeadlineFilterForm,
    ExtendForm,
    MeetForm,
    PauseForm,
    ResumeForm,
)

PAGE_SIZE = 50


def _deadline(request, pk):
    return found(selectors.get_deadline_for_user, request.user, pk)


def _alert(request, pk):
    return found(selectors.get_alert_for_user, request.user, pk)


@never_cache
@require_GET
def deadline_list_view(request):
    form = DeadlineFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "deadlines/deadline_list.html",
                      {"form": form, "page": None, "errors": form.error_summary()}, status=400)
    now = clock.now()
    filters = form.selector_filters(user=request.user, now=now) if form.is_bound else {"open_only": True}
    page = Paginator(selectors.deadline_list(user=request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deadlines/deadline_list.html",
                  {"form": form, "page": page, "rows": subjects.attach_links(page.object_list),
                   "query": query_without_page(request), "now": now})


def _forms(deadline, rule, data=None, failed: str | None = None) -> dict:
    """The action forms of the page; the one that failed is bound to what was sent."""
    now = clock.now()
    initial = {"at": now, "approved_at": now}

    def make(name, cls, **kwargs):
        kwargs["auto_id"] = f"{name}_%s"  # one page holds the five forms: distinct ids
        if failed == name:
            return cls(data, **kwargs)
        return cls(initial=initial, **kwargs)

    return {"pause": make("pause", PauseForm, rule=rule), "resume": make("resume", ResumeForm),
            "extend": make("extend", ExtendForm, rule=rule, unit=deadline.unit), "meet": make("meet", MeetForm),
            "cancel": make("cancel", CancelForm)}


def _citations(deadline, rule) -> list[dict]:
    """The articles the rule cites, each linked to the statute library (the version in force when the
    clock started)."""
    return [{"label": c.label, "url": c.url(deadline.started_at.date())} for c in rule.citations]


def _detail(request, deadline, *, forms=None, errors=(), status=200):
    rule = selectors.rule_for(deadline)
    result = selectors.computation_for(deadline)
    steps = [{"step": step, "text": explain.describe(step)} for step in result.steps]
    citations = _citations(deadline, rule)
    subjects.attach_links([deadline])
    return render(request, "deadlines/deadline_detail.html", {
        "deadline": deadline, "rule": rule, "result": result, "steps": steps, "citations": citations,
        "alerts": deadline.alerts.order_by("-raised_at"), "forms": forms or _forms(deadline, rule),
        "may_act": services.may_act(request.user, deadline),
        "errors": errors, "now": clock.now(),
    }, status=status)


@never_cache
@require_GET
def deadline_detail_view(request, pk: int):
    return _detail(request, _deadline(request, pk))


def _run_action(request, deadline, name: str, form, call):
    rule = selectors.rule_for(deadline)
    if not form.is_valid():
        return _detail(request, deadline, forms=_forms(deadline, rule, request.POST, name),
                       errors=form.error_summary(), status=400)
    try:
        call(form.cleaned_data)
    except ApplicationError as exc:
        errors = form.add_service_error(exc)
        return _detail(request, _deadline(request, deadline.pk),
                       forms={**_forms(deadline, rule), name: form}, errors=errors, status=exc.status)
    messages.success(request, _("Saved. The due time and its explanation are updated."))
    return redirect(deadline.get_absolute_url())


@require_POST
def deadline_action_view(request, pk: int, action: str):
    deadline = _deadline(request, pk)
    rule = selectors.rule_for(deadline)
    common = {"actor": request.user, "deadline": deadline, "request": request}
    if action == "pause":
        return _run_action(request, deadline, action, PauseForm(request.POST, rule=rule),
                           lambda d: services.deadline_pause(kind=d["kind"], at=d["at"], note=d["note"], **common))
    if action == "resume":
        return _run_action(request, deadline, action, ResumeForm(request.POST),
                           lambda d: services.deadline_resume(at=d["at"], **common))
    if action == "extend":
        return _run_action(request, deadline, action, ExtendForm(request.POST, rule=rule, unit=deadline.unit),
                           lambda d: services.deadline_extend(tier=d["tier"], approval=services.ExtensionApproval(
                               approver=d["approver"], approver_name=d["approver_name"], approved_at=d["approved_at"],
                               reference=d["reference"], reason=d["reason"]), **common))
    if action == "meet":
        return _run_action(request, deadline, action, MeetForm(request.POST),
                           lambda d: services.deadline_meet(at=d["at"], note=d["note"], **common))
    return _run_action(request, deadline, "cancel", CancelForm(request.POST),
                       lambda d: services.deadline_cancel(reason=d["reason"], **common))


@never_cache
@require_GET
def alert_list_view(request):
    form = AlertFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return render(request, "deadlines/alert_list.html",
                      {"form": form, "page": None, "errors": form.error_summary()}, status=400)
    filters = form.selector_filters() if form.is_bound else {}
    page = Paginator(selectors.alert_list(user=request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    subjects.attach_links(alert.deadline for alert in page.object_list)
    return render(request, "deadlines/alert_list.html",
                  {"form": form, "page": page, "query": query_without_page(request)})


def _alert_page(request, alert, *, form=None, errors=(), status=200):
    deadline = subjects.attach_links([alert.deadline])[0]
    rule = selectors.rule_for(deadline)
    may_handle = is_allowed(request.user, "deadlines:alert_note", "POST")
    return render(request, "deadlines/alert_detail.html", {
        "alert": alert, "deadline": deadline, "rule": rule, "citations": _citations(deadline, rule),
        "form": form or AlertNoteForm(), "errors": errors, "now": clock.now(),
        "may_handle": may_handle, "may_resolve": may_handle and services.may_resolve(request.user, alert),
    }, status=status)


@never_cache
@require_GET
def alert_detail_view(request, pk: int):
    alert = _alert(request, pk)
    services.alert_mark_read(actor=request.user, alert=alert, request=request)
    return _alert_page(request, alert)


@require_POST
def alert_note_view(request, pk: int, action: str):
    alert = _alert(request, pk)
    form = AlertNoteForm(request.POST)
    if not form.is_valid():
        return _alert_page(request, alert, form=form, errors=form.error_summary(), status=400)
    service = services.alert_acknowledge if action == "acknowledge" else services.alert_resolve
    try:
        service(actor=request.user, alert=alert, note=form.cleaned_data["note"], request=request)
    except ApplicationError as exc:
        return _alert_page(request, _alert(request, pk), form=form, errors=[exc.message],
                           status=exc.status)
    messages.success(request, _("Alert acknowledged.") if action == "acknowledge" else _("Alert resolved."))
    return redirect("deadlines:alerts")


@never_cache
@require_GET
def unread_badge_view(request):
    """The shell's live count: polled by HTMX every few seconds, tiny on purpose (one COUNT)."""
    return render(request, "deadlines/partials/unread_badge.html", {
        "unread": selectors.unread_count(request.user), "poll": settings.CASECENTER["ALERTS_POLL_SECONDS"]})
