"""Pages of cases: the list, intake, the case page with its action forms, and the printable
acceptance record with the reporter's receipt.

Views parse input, call one selector or service, and render; a refusal of a service comes back on
the case page as a message naming the field, with the error's status (400, 403, 409).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casecenter.core import clock
from casecenter.core.errors import ApplicationError
from casecenter.core.pages import CappedPaginator, found, query_without_page

from . import paper, selectors
from .api import list_filters
from .forms import (
    CaseFilterForm,
    IntakeForm,
    MeasureForm,
    PartyForm,
    ReasonForm,
    TransferDeliveredForm,
    TransitionForm,
)
from .models import (
    CASE_TRANSITIONS,
    CaseKind,
    CaseStatus,
    MeasureStatus,
)
from .operations import measure_call, transition_kwargs
from .services import cases as case_services
from .services import intake as intake_services
from .services import parties as party_services
from .services.measures import MEASURE_CASE_STATUSES

PAGE_SIZE = 50
#: The case list counts at most this many matching cases ("more than 2000", forty pages): see
#: CappedPaginator. Counting costs about 1 ms per thousand cases on PostgreSQL (the visibility join
#: reads each row), and nobody pages through more than forty pages: they narrow the filters.
LIST_COUNT_CAP = 2_000


def _case(request, pk, *, write=False):
    return found(selectors.get_case_for_user, request.user, pk, write=write)


@never_cache
@require_GET
def case_list_view(request):
    form = CaseFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return render(request, "cases/case_list.html", {"form": form, "page": None, "errors": form.error_summary()},
                      status=400)
    filters = list_filters(request.user, form.cleaned_data) if form.is_bound else {}
    cases = selectors.case_list(user=request.user, **filters)
    page = CappedPaginator(cases, PAGE_SIZE, cap=LIST_COUNT_CAP).get_page(request.GET.get("page"))
    return render(request, "cases/case_list.html", {"form": form, "page": page, "rows": _list_rows(page.object_list),
                                                    "query": query_without_page(request)})


def _list_rows(cases) -> list[dict]:
    """The list's rows as the table shows them. Labels are resolved once per page and each row is
    formatted here: a template's per-row ``get_…_display``, ``url`` tag and loop over the officers
    cost more than the page's queries."""
    kinds = {value: str(label) for value, label in CaseKind.choices}
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    return [{"case": case, "url": reverse("cases:detail", args=[case.pk]), "kind": kinds[case.kind],
             "status": statuses[case.status], "received": localtime(case.received_at).strftime("%Y-%m-%d %H:%M"),
             "officers": "、".join(o.full_name for o in case.officers.all())}
            for case in cases]


@never_cache
@require_http_methods(["GET", "POST"])
def case_intake_view(request):
    form = IntakeForm(request.POST or None, user=request.user,
                      initial={"received_at": clock.now(), "unit": request.user.unit_id,
                               "officers": [request.user.pk]})
    errors = []
    if request.method == "POST":
        if form.is_valid():
            try:
                case = intake_services.case_intake(actor=request.user, request=request, **form.cleaned_data)
            except ApplicationError as exc:
                errors = form.add_service_error(exc)
            else:
                messages.success(request, _("Case {number} registered.").format(number=case.number))
                return redirect("cases:detail", pk=case.pk)
        else:
            errors = form.error_summary()
    return render(request, "cases/case_intake.html", {"form": form, "errors": errors}, status=400 if errors else 200)


#: Moves that only one kind of case makes (the services refuse the other kind).
KIND_ONLY = {CaseStatus.PROSECUTION: CaseKind.CRIMINAL, CaseStatus.DECIDED: CaseKind.ADMINISTRATIVE}
#: Alternatives to the main path, offered after it (folded on the page).
ALTERNATIVES = (CaseStatus.NOT_FILED, CaseStatus.TRANSFERRED, CaseStatus.WITHDRAWN)


def _next_statuses(case) -> list[tuple[str, str]]:
    nexts = [to for (frm, to) in CASE_TRANSITIONS if frm == case.status and KIND_ONLY.get(to, case.kind) == case.kind]
    return [(to, CaseStatus(to).label) for to in sorted(nexts, key=lambda to: to in ALTERNATIVES)]


def _transition_auto_id(case, to: str) -> str:
    """The ids of the form to ``to``: the main next step's fields are ``transition_*``, the
    alternatives' ``transition_<status>_*`` (one page holds them all)."""
    nexts = [status for status, _label in _next_statuses(case)]
    return "transition_%s" if nexts[:1] == [to] else f"transition_{to}_%s"


def _transition_forms(case, now, failed) -> list:
    """One small form per next status, the main one first; a form refused on the last post
    replaces its blank one."""
    forms = []
    for index, (to, _label) in enumerate(_next_statuses(case)):
        if failed and failed[0] == "transition" and failed[1].to == to:
            form = failed[1]
        else:
            form = TransitionForm(case=case, to=to, initial={"at": now}, auto_id=_transition_auto_id(case, to))
        form.primary = index == 0
        forms.append(form)
    return forms


def _measure_forms(case, measure, now, failed) -> list:
    """The actions open to a measure (approve or refuse a pending one; convert or end one in
    force), each its own small form with only its fields; a form refused on the last post
    replaces its blank one."""
    actions = {MeasureStatus.PENDING: ("approve", "refuse"), MeasureStatus.ACTIVE: ("convert", "end")}
    forms = []
    for action in actions.get(measure.status, ()):
        form = MeasureForm(case=case, action=action, measure=measure, initial={"started_at": now})
        if action == "convert" and len(form.fields["kind"].choices) < 2:
            continue  # nothing this kind of case may convert it into
        if failed and failed[0] == "measure_action" and failed[1].measure.pk == measure.pk \
                and failed[1].action == action:
            form = failed[1]
        forms.append(form)
    return forms


def _detail(request, case, *, errors=(), status=200, failed: tuple[str, object] | None = None):
    now = clock.now()
    deadlines = selectors.case_deadlines(case)
    measures = selectors.case_measures(case, clocks=deadlines)
    for measure in measures:
        measure.forms = _measure_forms(case, measure, now, failed)
    handover = case_services.pending_handover(case, deadlines)
    forms = {"transitions": [] if handover else _transition_forms(case, now, failed),
             "party": PartyForm(user=request.user), "measure": MeasureForm(case=case, initial={"started_at": now}),
             "reason": ReasonForm(), "handover": TransferDeliveredForm(initial={"at": now})}
    if failed and failed[0] != "measure_action":
        forms[failed[0]] = failed[1]
    return render(request, "cases/case_detail.html", {
        "case": case, "parties": selectors.case_parties(case, include_removed=True), "measures": measures,
        "deadlines": deadlines, "events": selectors.case_events(case),
        "handover": handover, "measures_may_start": case.status in MEASURE_CASE_STATUSES,
        "decisions": case.decisions.select_related("decided_by"), "next_statuses": _next_statuses(case),
        "may_write": selectors.may_write(request.user, case), "forms": forms, "errors": errors, "now": now,
        "MeasureStatus": MeasureStatus,
    }, status=status)


@never_cache
@require_GET
def case_detail_view(request, pk: int):
    return _detail(request, _case(request, pk))


@never_cache
@require_GET
def acceptance_record_view(request, pk: int):
    """The 受案登记表 and the 受案回执 as the paper forms lay them out, printable on A4 (the print
    styles are in web/casecenter.css, "Printed documents")."""
    case = _case(request, pk)
    return render(request, "cases/acceptance_record.html", {
        "case": case, "record": case.acceptance, "organ": paper.police_organ(case.unit),
        "sources": paper.sources(case.source), "opinions": paper.opinions(case)})


def _run(request, case, name: str, form, call):
    if not form.is_valid():
        return _detail(request, case, errors=form.error_summary(), status=400, failed=(name, form))
    try:
        call(form.cleaned_data)
    except ApplicationError as exc:
        errors = form.add_service_error(exc)
        return _detail(request, _case(request, case.pk), errors=errors, status=exc.status, failed=(name, form))
    messages.success(request, _("Saved."))
    return redirect(reverse("cases:detail", args=[case.pk]))


@require_POST
def case_transition_view(request, pk: int, to: str):
    case = _case(request, pk)
    form = TransitionForm(request.POST, case=case, to=to, auto_id=_transition_auto_id(case, to))
    service = case_services.transition_service(to)
    return _run(request, case, "transition", form, lambda d: service(
        actor=request.user, case=case, request=request, **transition_kwargs(to, d)))


@require_POST
def transfer_delivered_view(request, pk: int):
    case = _case(request, pk)
    return _run(request, case, "handover", TransferDeliveredForm(request.POST),
                lambda d: case_services.case_transfer_delivered(actor=request.user, case=case, request=request, **d))


@require_POST
def party_add_view(request, pk: int):
    case = _case(request, pk)
    form = PartyForm(request.POST, user=request.user)
    return _run(request, case, "party", form, lambda d: party_services.party_add(
        actor=request.user, case=case, person=d["person"], role=d["role"], reason=d.get("reason", ""),
        request=request))


@require_POST
def party_remove_view(request, pk: int, party: int):
    case = _case(request, pk)
    found = case.parties.filter(pk=party).first()
    if found is None:
        raise Http404(_("No such party."))
    return _run(request, case, "reason", ReasonForm(request.POST), lambda d: party_services.party_remove(
        actor=request.user, party=found, reason=d.get("reason", ""), request=request))


@require_POST
def measure_start_view(request, pk: int):
    case = _case(request, pk)
    form = MeasureForm(request.POST, case=case, action="start")
    return _run(request, case, "measure", form, lambda d: measure_call(
        "start", actor=request.user, case=case, measure=None, d=d, request=request))


@require_POST
def measure_action_view(request, pk: int, measure: int, action: str):
    case = _case(request, pk)
    found = case.measures.filter(pk=measure).first()
    if found is None:
        raise Http404(_("No such measure."))
    form = MeasureForm(request.POST, case=case, action=action, measure=found)
    return _run(request, case, "measure_action", form, lambda d: measure_call(
        action, actor=request.user, case=case, measure=found, d=d, request=request))


@never_cache
@require_GET
def person_panel_view(request, person: int):
    """The person dossier's panel of cases and measures (an HTMX fragment the people page loads)."""
    return render(request, "cases/partials/person_panel.html",
                  {"parties": selectors.person_cases(user=request.user, person_id=person)})
