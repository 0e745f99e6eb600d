"""The progress bar of a long job: a full page, and the HTMX partial that the bar fetches of itself.

Who may reach them is the access matrix's decision (every signed-in account); which job is whose,
``selectors.get_progress_for_user``'s: another person's job answers 404, as a missing one does.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casecenter.core.errors import NotFound

from .selectors import get_progress_for_user


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
