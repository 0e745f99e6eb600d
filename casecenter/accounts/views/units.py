"""The system administrator's unit pages: the tree, creating a unit under another, editing
(rename, re-kind, move) and (de)activating. Every change is a service with its ledger event."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casecenter.core.errors import ApplicationError
from casecenter.core.pages import found

from .. import selectors, services
from ..forms.units import UnitForm
from ..holdings import unit_holdings
from .common import status_for, submit


def _tree_url(unit=None, *, inactive: bool = False) -> str:
    return reverse("accounts:units") + ("?inactive=1" if inactive else "") + (f"#unit-{unit.pk}" if unit else "")


@never_cache
@require_GET
def unit_tree_view(request):
    show_inactive = request.GET.get("inactive") == "1"
    tree = selectors.unit_tree(include_inactive=show_inactive)
    return render(request, "accounts/admin/unit_tree.html", {
        "tree": tree, "show_inactive": show_inactive, "unit_count": selectors.count_nodes(tree),
        "open_levels": 2,   # the roots and their children are open; deeper branches open on demand
    })


@never_cache
@require_http_methods(["GET", "POST"])
def unit_create_view(request):
    parent_id = request.GET.get("parent", "")
    form = UnitForm(request.POST or None, initial={"parent": parent_id} if parent_id.isdigit() else {})
    outcome = submit(request, form, lambda: services.unit_create(
        actor=request.user, **form.service_arguments(), request=request))
    if outcome.saved:
        messages.success(request, _("The unit {name} was created.").format(name=outcome.saved.name))
        return redirect(_tree_url(outcome.saved))
    return render(request, "accounts/admin/unit_form.html", {**outcome.context(), "unit": None},
                  status=outcome.status)


def _edit_form(unit, data=None) -> UnitForm:
    return UnitForm(data, unit=unit, initial={"name": unit.name, "kind": unit.kind, "parent": unit.parent_id,
                                              "seen": services.unit_version(unit)})


@never_cache
@require_http_methods(["GET", "POST"])
def unit_edit_view(request, pk: int):
    unit = found(selectors.get_unit_for_user, request.user, pk)
    form = _edit_form(unit, request.POST or None)
    outcome = submit(request, form, lambda: services.unit_update(
        actor=request.user, unit=unit, **form.service_arguments(), request=request),
        fresh=lambda: _edit_form(found(selectors.get_unit_for_user, request.user, pk)))
    if outcome.saved:
        messages.success(request, _("The unit {name} was saved.").format(name=outcome.saved.name))
        return redirect(_tree_url(outcome.saved))
    return render(request, "accounts/admin/unit_form.html", {**outcome.context(), "unit": unit},
                  status=outcome.status)


@never_cache
@require_http_methods(["GET", "POST"])
def unit_deactivate_view(request, pk: int):
    """GET: what deactivating means, or what keeps the unit in use; POST: deactivate."""
    unit = found(selectors.get_unit_for_user, request.user, pk)
    error, status = None, 200
    if request.method == "POST":
        try:
            services.unit_deactivate(actor=request.user, unit=unit, request=request)
        except ApplicationError as refused:
            error, status = refused.message, status_for(refused)
        else:
            messages.success(request, _("The unit {name} is deactivated.").format(name=unit.name))
            return redirect(_tree_url(unit, inactive=True))
    return render(request, "accounts/admin/unit_deactivate.html", {
        "unit": unit, "holdings": unit_holdings(unit) if unit.is_active else [], "error": error,
    }, status=status)


@require_POST
def unit_reactivate_view(request, pk: int):
    unit = found(selectors.get_unit_for_user, request.user, pk)
    try:
        services.unit_reactivate(actor=request.user, unit=unit, request=request)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The unit {name} is active again.").format(name=unit.name))
    return redirect(_tree_url(unit, inactive=True))
