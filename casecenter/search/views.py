"""The global search page: one query across every kind of document the user may see, grouped; and
the system administrator's page that rebuilds the index in the background."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casecenter.core.errors import ApplicationError
from casecenter.jobs.selectors import latest_progress

from . import kinds, services
from .backends.common import MATCH_CAP
from .forms import SearchForm
from .selectors import search

PAGE_SIZE = 20


@require_GET
def results_view(request):
    form = SearchForm(request.GET)
    result, errors = None, []
    if not form.is_valid():
        errors = [f"{form.fields[name].label}: {' '.join(messages)}" for name, messages in form.errors.items()]
    elif form.cleaned_data["q"]:
        kind = form.cleaned_data["kind"] or None
        if kind and kinds.get(kind) is None:
            kind = None
        page = form.cleaned_data["page"]
        result = search(form.cleaned_data["q"], user=request.user, kinds=[kind] if kind else None,
                        limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        if result.error:
            errors = [result.error]
    tabs = []
    if result is not None and not result.error:
        counts = dict(result.counts)
        if form.cleaned_data.get("kind"):
            # The tab counts come from an unfiltered count, so the other tabs keep their numbers.
            counts = search(form.cleaned_data["q"], user=request.user, limit=1).counts
        tabs = [{"kind": k.name, "label": k.label, "count": counts.get(k.name, 0)}
                for k in kinds.all_kinds() if counts.get(k.name)]
    query = form.cleaned_data.get("q", "") if form.is_valid() else request.GET.get("q", "")[:200]
    status = 400 if errors else 200   # bad paging input or a query that cannot run, as on the law's page
    return render(request, "search/results.html", {
        "form": form, "q": query, "result": result, "errors": errors, "tabs": tabs,
        "kind": form.cleaned_data.get("kind") if form.is_valid() else "",
        "page_number": form.cleaned_data.get("page", 1) if form.is_valid() else 1,
        "match_cap": MATCH_CAP,
        "shown_from": result.offset + 1 if result else 0,
        "shown_to": result.offset + len(result.hits) if result else 0,
    }, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def reindex_view(request):
    """GET: the button and the bar of the administrator's latest rebuild; POST: start a rebuild
    (then back to GET, which shows its bar moving)."""
    if request.method == "POST":
        try:
            services.index_rebuild_start(actor=request.user, request=request)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The rebuild has been queued; a worker (casecenter worker) runs it."))
        return redirect("search:reindex")
    return render(request, "search/reindex.html", {
        "progress": latest_progress(request.user, kind="search.reindex"),
        "kinds": kinds.all_kinds(),
    })
