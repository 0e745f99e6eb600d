"""The global search page: one query across every kind of document the user may see, grouped."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import kinds
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
