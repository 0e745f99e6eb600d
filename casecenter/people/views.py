"""Pages of the person registry: the list with search, registration (the ID number fills the date
of birth and sex), the dossier (一人一档), editing, merge and its undo.

Views parse input, call one selector or service, and render; a refusal comes back on the field it
names, with the service's status (409 for a duplicate ID number, with a link to the entry).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casecenter.accounts.access import is_allowed
from casecenter.core.errors import ApplicationError, NotFound

from . import idnumber, panels, photos, selectors, services
from .forms import (
    DocumentForm,
    MergeForm,
    PersonCreateForm,
    PersonForm,
    PersonSearchForm,
    PhotoForm,
    PhotoRemoveForm,
    UnmergeForm,
)
from .models import Person

PAGE_SIZE = 50


def _person(request, pk) -> Person:
    try:
        return selectors.get_person_for_user(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from None


@never_cache
@require_GET
def person_list_view(request):
    form = PersonSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "people/person_list.html", {"form": form, "errors": [_("The page is not valid.")]},
                      status=400)
    query, number = form.cleaned_data["q"].strip(), form.cleaned_data["page"] or 1
    context = {"form": form, "q": query}
    if query:
        found = selectors.person_search(query, user=request.user, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        if found.error:
            return render(request, "people/person_list.html", {**context, "errors": [found.error]}, status=400)
        context.update(persons=found.persons, total=found.total, number=number,
                       has_next=number * PAGE_SIZE < found.total)
    else:
        page = Paginator(selectors.person_list(), PAGE_SIZE).get_page(number)
        context.update(persons=page.object_list, total=page.paginator.count, number=page.number,
                       has_next=page.has_next())
    context["has_previous"] = context["number"] > 1
    return render(request, "people/person_list.html", context)


@never_cache
@require_GET
def id_number_check_view(request):
    """The HTMX fragment under the ID field: what the number says (date of birth, sex) or which
    part is wrong, and the entry that already carries it."""
    raw = request.GET.get("id_number", "")
    context = {"raw": raw}
    if idnumber.normalise(raw):
        try:
            context["parsed"] = parsed = idnumber.parse(raw)
            context["existing"] = Person.objects.filter(id_number=parsed.number).first()
        except idnumber.InvalidIdNumber as error:
            context["error"] = str(error)
    return render(request, "people/partials/id_number_check.html", context)


def _form_page(request, form, *, person=None, status=200, conflict=None):
    duplicates = []
    if form.is_bound and form.is_valid() and person is None:
        duplicates = selectors.duplicates_for(form.cleaned_data["name"], form.cleaned_data["birth_date"])
    return render(request, "people/person_form.html", {
        "form": form, "person": person, "conflict": conflict, "duplicates": duplicates,
        "errors": form.error_summary() if form.errors else [],
    }, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def person_create_view(request):
    if request.method == "GET":
        return _form_page(request, PersonCreateForm(initial={"nationality": "中国"}))
    form = PersonCreateForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        person = services.person_create(actor=request.user, request=request, **form.service_values())
    except ApplicationError as exc:
        form.add_service_error(exc)
        return _form_page(request, form, status=exc.status, conflict=exc.extra or None)
    messages.success(request, _("{name} is registered.").format(name=person.name))
    return redirect(person.get_absolute_url())


def _dossier(request, person, *, document_form=None, photo_form=None, status=200):
    photo_form = photo_form or PhotoForm()
    photo_form.fields["photo"].label = _("Replace the photo") if person.photo else _("Add a photo")
    return render(request, "people/person_detail.html", {
        "person": person, "document_form": document_form or DocumentForm(),
        "photo_form": photo_form, "photo_remove_form": PhotoRemoveForm(),
        "photo_version": photos.sha256_of(person.photo.name)[:12] if person.photo else "",
        "documents": list(person.documents.all()),
        "survivor": selectors.survivor_of(person) if person.merged_into_id else None,
        "merge_event": selectors.merge_event_of(person),
        "merged_here": Person.objects.filter(merged_into=person).order_by("name"),
        "may_write": is_allowed(request.user, "people:update", "POST") and not person.merged_into_id,
        "may_merge": is_allowed(request.user, "people:merge", "POST"),
        "panel_urls": [reverse(name, args=[person.pk]) for name in panels.panels() if is_allowed(request.user, name)],
    }, status=status)


@never_cache
@require_GET
def person_detail_view(request, pk: int):
    return _dossier(request, _person(request, pk))


@never_cache
@require_POST
def document_add_view(request, pk: int):
    person = _person(request, pk)
    form = DocumentForm(request.POST)
    if not form.is_valid():
        return _dossier(request, person, document_form=form, status=400)
    try:
        services.person_document_add(actor=request.user, person=person, request=request, **form.cleaned_data)
    except ApplicationError as exc:
        form.add_service_error(exc)
        return _dossier(request, person, document_form=form, status=exc.status)
    messages.success(request, _("Saved."))
    return redirect(person.get_absolute_url())


@require_http_methods(["GET", "POST"])
def photo_view(request, pk: int):
    """GET: the person's photo (the dossier's visibility). POST: upload a new one."""
    person = _person(request, pk)
    if request.method == "GET":
        if not person.photo:
            raise Http404(_("This entry has no photo."))
        return photos.http_response(person.photo.name, if_none_match=request.headers.get("If-None-Match"))
    form = PhotoForm(request.POST, request.FILES)
    try:
        if form.is_valid():
            services.person_set_photo(actor=request.user, person=person, upload=form.cleaned_data["photo"],
                                      request=request)
            messages.success(request, _("The photo is saved."))
            return redirect(person.get_absolute_url())
        status = 400
    except ApplicationError as exc:
        form.add_service_error(exc)
        status = exc.status
    response = _dossier(request, person, photo_form=form, status=status)
    add_never_cache_headers(response)
    return response


@never_cache
@require_POST
def photo_remove_view(request, pk: int):
    person = _person(request, pk)
    form = PhotoRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the photo is removed."))
        return redirect(person.get_absolute_url())
    try:
        services.person_remove_photo(actor=request.user, person=person, reason=form.cleaned_data["reason"],
                                     request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The photo is removed."))
    return redirect(person.get_absolute_url())


@never_cache
@require_http_methods(["GET", "POST"])
def person_update_view(request, pk: int):
    person = _person(request, pk)
    if request.method == "GET":
        initial = {field: getattr(person, field) for field in services.EDITABLE}
        initial.update(aliases="\n".join(person.aliases), phones="\n".join(person.phones))
        return _form_page(request, PersonForm(initial=initial), person=person)
    form = PersonForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, person=person, status=400)
    try:
        services.person_update(actor=request.user, person=person, request=request, **form.service_values())
    except ApplicationError as exc:
        form.add_service_error(exc)
        return _form_page(request, form, person=person, status=exc.status, conflict=exc.extra or None)
    messages.success(request, _("Saved."))
    return redirect(person.get_absolute_url())


@never_cache
@require_http_methods(["GET", "POST"])
def person_merge_view(request, pk: int):
    """Merge this entry into the survivor chosen (the candidates: same date of birth, similar name)."""
    merged = _person(request, pk)
    candidates = selectors.duplicates_for(merged.name, merged.birth_date, exclude=merged)
    form = MergeForm(request.POST if request.method == "POST" else None, merged=merged, user=request.user,
                     candidates=candidates)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            try:
                services.person_merge(actor=request.user, survivor=survivor, merged=merged,
                                      reason=form.cleaned_data["reason"], request=request)
            except ApplicationError as exc:
                form.add_service_error(exc)
                status = exc.status
            else:
                messages.success(request, _("{merged} is merged into {survivor}.").format(
                    merged=merged.name, survivor=survivor.name))
                return redirect(survivor.get_absolute_url())
    return render(request, "people/person_merge.html", {
        "person": merged, "form": form, "errors": form.error_summary() if form.errors else [],
        "candidates": candidates,
    }, status=status)


@never_cache
@require_POST
def person_unmerge_view(request, pk: int):
    merged = _person(request, pk)
    event = selectors.merge_event_of(merged)
    form = UnmergeForm(request.POST)
    if event is None or not form.is_valid():
        messages.error(request, _("This entry is not merged."))
        return redirect(merged.get_absolute_url())
    try:
        services.person_unmerge(actor=request.user, merge_event=event, reason=form.cleaned_data["reason"],
                                request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The merge is undone."))
    return redirect(merged.get_absolute_url())
