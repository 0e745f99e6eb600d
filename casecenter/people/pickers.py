"""Choosing a person in a form (a case's party, the entry a merge keeps): the registry searched as
one types, by name, pinyin, initials or a fragment of an ID, phone or document number, through the
search index (``selectors.person_search``: the user's visibility is in the query)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casecenter.core.errors import ValidationFailed
from casecenter.core.pickers import MAX_MATCHES, Option, PickerApi, PickerInput, picker_schema

from . import selectors
from .models import Person


def person_detail(person: Person) -> str:
    """What tells two namesakes apart: the date of birth, the sex and the ID number."""
    born = person.birth_date.isoformat() if person.birth_date else ""
    return " · ".join(filter(None, [born, str(person.get_sex_display()), person.id_number or ""]))


def person_options(query: str, *, user, limit: int = MAX_MATCHES) -> list[Option]:
    """The live entries matching ``query``, best first; none for an empty query."""
    if not (query or "").strip():
        return []
    found = selectors.person_search(query, user=user, limit=limit)
    if found.error:
        raise ValidationFailed(found.error, field="q")
    return [Option(str(p.pk), p.name, person_detail(p)) for p in found.persons]


class PersonPickerApi(PickerApi):
    @picker_schema(PickerInput, _("People matching what is typed: name, pinyin, initials, ID or phone fragment"))
    def get(self, request):
        return super().get(request)

    def options(self, request, data):
        return person_options(data["q"], user=request.user, limit=data["limit"])
