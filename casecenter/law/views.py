"""Pages of the statute library: the laws, a version's contents, one article, full-text search.

Every signed-in account may read them (the access matrix, area "directory"): the texts are public.
"""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from casecenter.search.selectors import search

from . import selectors
from .documents import KIND
from .models import Law

SEARCH_PAGE_SIZE = 20


@require_GET
def law_list_view(request):
    return render(request, "law/law_list.html", {"rows": selectors.law_rows()})


def _version_page(request, law, version):
    current = selectors.current_of(law.versions.all())
    return render(request, "law/law_detail.html", {
        "law": law, "version": version, "current": current,
        "status": selectors.version_status(version, current),
        "versions": [(v, selectors.version_status(v, current)) for v in law.versions.all()],
        "toc": selectors.contents(version),
    })


@require_GET
def law_detail_view(request, code: str):
    """The law's contents in its current version (the newest, when none is in force yet)."""
    law = selectors.get_law(code)
    return _version_page(request, law, selectors.get_version(law))


@require_GET
def version_detail_view(request, code: str, version):
    law = selectors.get_law(code)
    return _version_page(request, law, selectors.get_version(law, version))


@require_GET
def article_detail_view(request, code: str, version, article: str):
    law = selectors.get_law(code)
    law_version = selectors.get_version(law, version)
    found = selectors.get_article(law_version, article)
    if article != found.slug:  # 第六十七条 and friends lead to the one permalink
        return redirect(found.get_absolute_url(), permanent=True)
    current = selectors.current_of(law.versions.all())
    return render(request, "law/article_detail.html", {
        "law": law, "version": law_version, "article": found, "current": current,
        "status": selectors.version_status(law_version, current),
        "neighbours": selectors.neighbours(found), "citations": selectors.citations(found),
    })


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the statutes"), max_length=200, required=False)
    law = forms.ChoiceField(label=_("Law"), required=False)
    page = forms.IntegerField(min_value=1, max_value=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["law"].choices = [("", _("All laws"))] + [
            (code, name) for code, name in Law.objects.values_list("code", "full_name")]


@require_GET
def search_view(request):
    form = SearchForm(request.GET or None)
    result, status, page = None, 200, 1
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        page = form.cleaned_data["page"] or 1
        code = form.cleaned_data["law"]
        result = search(form.cleaned_data["q"], user=request.user, kinds=[KIND],
                        ref_prefix=f"{code}/" if code else None, limit=SEARCH_PAGE_SIZE,
                        offset=(page - 1) * SEARCH_PAGE_SIZE)
        status = 400 if result.error else 200
    elif form.is_bound and not form.is_valid():
        status = 400
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "law/search.html", {
        "form": form, "result": result, "page": page, "query": query.urlencode(),
    }, status=status)
