"""Finding officers by name for the forms' pickers (core/pickers.py): the accounts of the units the
user sees, by Chinese name, pinyin or initials (``zhangsan``, ``zs``), or the unit's name.

Accounts are not in the search index (few, and changed by the accounts app, which is below
search): they are matched here against their names' pinyin keys, the same keys the index uses.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casecenter.accounts.access import CASE_WRITERS
from casecenter.accounts.models import User
from casecenter.accounts.roles import CONTENT_ROLES, Role
from casecenter.accounts.selectors import visible_units
from casecenter.core.pickers import MAX_MATCHES, Option, PickerApi, PickerInput, picker_schema

from .text import HAS_CJK, name_matches, normalise


def officers_in_scope(user, *, roles=(), writing: bool = False):
    """Active accounts of the units ``user`` sees (``writing``: of the units where ``user`` handles
    cases, e.g. the handling officers of a case they register), holding one of ``roles`` (any
    role when empty)."""
    units = visible_units(user, roles=CASE_WRITERS if writing else None)
    users = User.objects.filter(is_active=True, unit__in=units)
    if roles:
        users = users.filter(role_grants__role__in=[str(r) for r in roles]).distinct()
    return users


def officer_label(officer: User) -> str:
    return officer.full_name or officer.username


def officer_detail(officer: User) -> str:
    return officer.unit.name if officer.unit_id else ""


def officer_options(query: str, *, user, roles=(), writing: bool = False, limit: int = MAX_MATCHES) -> list[Option]:
    """The officers matching ``query`` (all of them, by unit, when it is empty), at most ``limit``;
    one query whatever the scope holds."""
    typed = normalise(query or "").strip()
    rows = officers_in_scope(user, roles=roles, writing=writing).select_related("unit").only(
        "id", "full_name", "username", "unit__name", "unit__path").order_by("unit__path", "full_name", "id")
    if typed and HAS_CJK.search(typed):
        rows = rows.filter(Q(full_name__contains=typed) | Q(unit__name__contains=typed))
    elif typed:
        # Pinyin and initials are matched here, on the candidates' names (their keys are cached).
        rows = [u for u in rows if name_matches(typed, u.full_name) or u.username.lower().startswith(typed)]
    return [Option(str(u.pk), officer_label(u), officer_detail(u)) for u in list(rows[:limit])]


class OfficerPickerInput(PickerInput):
    role = serializers.ChoiceField(choices=sorted((str(r), Role(r).label) for r in CONTENT_ROLES), required=False,
                                   help_text=_("Only the officers holding this role"))
    writing = serializers.BooleanField(required=False, default=False,
                                       help_text=_("Only in the units where the caller handles cases"))


class OfficerPickerApi(PickerApi):
    input_class = OfficerPickerInput

    @picker_schema(OfficerPickerInput, _("Officers of the caller's units by name, pinyin or initials"))
    def get(self, request):
        return super().get(request)

    def options(self, request, data):
        roles = (data["role"],) if data.get("role") else ()
        return officer_options(data["q"], user=request.user, roles=roles, writing=data["writing"],
                               limit=data["limit"])
