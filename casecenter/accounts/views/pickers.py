"""The search endpoints behind the unit and account pickers (``core/simple_picker.py``): a few
matches as JSON, by name or code, each with what tells it apart (the parent unit, the unit)."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import selectors


def _query(request) -> str:
    return request.GET.get("q", "")[:64]


@never_cache
@require_GET
def unit_picker_view(request):
    units = selectors.unit_search(_query(request), active_only=request.GET.get("active") == "1")
    return JsonResponse({"results": [{
        "id": unit.pk, "label": unit.name,
        "detail": " · ".join(filter(None, [unit.code, unit.parent.name if unit.parent else "",
                                           "" if unit.is_active else _("deactivated")]))} for unit in units],
        "empty": _("No unit matches.")})


@never_cache
@require_GET
def user_picker_view(request):
    users = selectors.user_search(_query(request))
    return JsonResponse({"results": [{
        "id": user.pk, "label": f"{user.full_name}（{user.username}）",
        "detail": " · ".join(filter(None, [user.unit.name, "" if user.is_active else _("deactivated")]))}
        for user in users], "empty": _("No account matches.")})
