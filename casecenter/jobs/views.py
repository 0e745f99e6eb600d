"""The progress bar of a long job: a full page, and the HTMX partial that the bar fetches of itself;
and the audit administrator's page that verifies the whole record in the background.

Who may reach them is the access matrix's decision (every signed-in account); which job is whose,
``selectors.get_progress_for_user``'s: another person's job answers 404, as a missing one does.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casecenter.core.errors import ApplicationError, NotFound
from casecenter.ledger.verification import latest_verification, record_size

from .selectors import get_progress_for_user, latest_progress
from .services import ledger_verification_start
from .verification import KIND


def _progress(request, pk):
    try:
        return get_progress_for_user(request.user, pk)
    except NotFound as error:
        raise Http404(error.message) from None


@never_cache
@require_GET
def progress_view(request, pk):
    progress = _progress(request, pk)
    response = render(request, "jobs/partials/progress.html", {"progress": progress})
    if not progress.is_running and request.htmx:
        # The bar stops polling now; a page that shows more than the bar (a disabled start button)
        # may listen for this event (``hx-trigger="job-finished from:body"``) and refresh that part.
        response["HX-Trigger"] = "job-finished"
    return response


@never_cache
@require_GET
def progress_page_view(request, pk):
    return render(request, "jobs/progress_page.html", {"progress": _progress(request, pk)})


@never_cache
@require_http_methods(["GET", "POST"])
def ledger_verification_view(request):
    """The audit administrator's verification of the whole record. GET: the last outcome and the
    button (with the bar of their latest run); POST: start a run (then back to GET, whose bar moves)."""
    if request.method == "POST":
        try:
            ledger_verification_start(actor=request.user, request=request)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The verification has been queued; a worker (casecenter worker) runs it."))
        return redirect("jobs:ledger_verification")
    return render(request, "jobs/ledger_verification.html", {
        "progress": latest_progress(request.user, kind=KIND),
        "last": latest_verification(), "size": record_size(),
    })
