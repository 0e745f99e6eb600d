"""Reads of the person registry: access, search, duplicates, ages.

Persons are not owned by a unit: every holder of a content role reads every entry (a person
brought in by one station may be a party in another's case). Who may write is decided by the
access matrix (``accounts/access.py``) and checked again by the services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from casecenter.accounts.roles import CONTENT_ROLES
from casecenter.core.errors import NotFound
from casecenter.ledger.models import Event

from . import ages, names
from .documents import KIND
from .models import Person


def may_read(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*CONTENT_ROLES))


def person_list() -> QuerySet[Person]:
    """Live entries, by name; one query per page."""
    return Person.objects.live().order_by("name", "id")


def get_person_for_user(user, pk) -> Person:
    """The entry (merged-away entries too: the dossier says where it went); NotFound for those who
    may not read people."""
    if not may_read(user):
        raise NotFound(_("Not found."))
    person = Person.objects.select_related("merged_into", "created_by").filter(pk=pk).first()
    if person is None:
        raise NotFound(_("No such person."))
    return person


def survivor_of(person: Person) -> Person:
    """The live entry a merged entry ended in (following later merges)."""
    seen = set()
    while person.merged_into_id and person.pk not in seen:
        seen.add(person.pk)
        person = person.merged_into
    return person


@dataclass
class PersonPage:
    persons: list[Person] = field(default_factory=list)
    total: int = 0
    error: str = ""


def person_search(query: str, *, user, limit: int = 20, offset: int = 0) -> PersonPage:
    """Persons matching ``query`` by name, pinyin (full or initials), any fragment of three or more
    characters of an ID, phone or document number; ranked, through the search index."""
    from casecenter.search.selectors import search

    result = search(query, user=user, kinds=[KIND], limit=limit, offset=offset)
    if result.error:
        return PersonPage(error=result.error)
    ids = [int(hit.ref) for hit in result.hits]
    by_id = Person.objects.in_bulk(ids)
    return PersonPage(persons=[by_id[i] for i in ids if i in by_id], total=result.total)


def duplicates_for(name: str, birth_date: dt.date | None, *, exclude: Person | None = None) -> list[Person]:
    """Live entries that may be the same person: the same date of birth and the same name, alias or
    pinyin reading (张三 and 章三 sound alike)."""
    if not name or birth_date is None:
        return []
    readings = set(names.full_readings(name))
    candidates = Person.objects.live().filter(birth_date=birth_date)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    return [p for p in candidates
            if p.name == name or name in p.aliases or readings & set(names.full_readings(p.name))]


def merges_into(person: Person) -> list[Event]:
    """The merge events whose survivor is ``person``, newest first, for the dossier's undo buttons."""
    return list(Event.objects.filter(action="people.person.merged", person_id=str(person.pk)).order_by("-id"))


def merge_event_of(merged: Person) -> Event | None:
    """The event that merged ``merged`` away (None if it is live)."""
    if not merged.merged_into_id:
        return None
    return (Event.objects.filter(action="people.person.merged", subject_type="people.person",
                                 subject_id=str(merged.pk)).order_by("-id").first())


def age_at(person: Person, at: dt.datetime) -> int | None:
    """Whole years of age at the instant ``at`` (Asia/Shanghai date); None when the birth date is
    unknown."""
    if person.birth_date is None:
        return None
    return ages.years_between(person.birth_date, ages.local_date(at))


def is_minor(person: Person, at: dt.datetime) -> bool:
    """Under 18 at the instant ``at``. An unknown birth date is not a minor here: the rules that
    protect minors ask the officer to enter the date (or the age as stated) first."""
    age = age_at(person, at)
    return age is not None and age < ages.ADULT_AGE
