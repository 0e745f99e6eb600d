"""Persons in the search index, kind ``people.person``: found by name, pinyin and initials (``names``),
by any fragment of the ID number, a phone number or a document number (``identifiers``).

A person belongs to no unit (one entry serves every case of every unit), so the documents carry no
unit and the kind is limited to the content roles (``search.kinds.Kind.roles``): the three
administrators and the external accounts do not find people. Merged-away entries are not indexed.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from casecenter.accounts.roles import CONTENT_ROLES

from .models import Person

KIND = "people.person"
LABEL = _("People")


def person_doc(person: Person, document_numbers=None):
    from casecenter.search.indexing import make_doc

    if document_numbers is None:
        document_numbers = [d.number for d in person.documents.all()]
    born = person.birth_date.isoformat() if person.birth_date else ""
    return make_doc(
        KIND, person.pk, unit=None, title=person.name,
        body=" ".join(filter(None, [" ".join(person.aliases), born, person.household_registration,
                                    person.residence])),
        names=[person.name, *person.aliases],
        identifiers=[n for n in [person.id_number, *person.phones, *document_numbers] if n],
        url=person.get_absolute_url(),
        extra={"birth_date": born, "sex": person.sex},
    )


def index_person(person: Person) -> None:
    from casecenter.search.indexing import index

    doc = person_doc(person)
    index(doc.kind, doc.ref, unit=None, title=doc.title, body=doc.body, names=doc.names,
          identifiers=doc.identifiers, url=doc.url, extra=doc.extra)


def unindex_person(person: Person) -> None:
    from casecenter.search.indexing import unindex

    unindex(KIND, person.pk)


def all_people() -> Iterator:
    for person in Person.objects.live().prefetch_related("documents").iterator(chunk_size=1000):
        yield person_doc(person)


def people_total() -> int:
    return Person.objects.live().count()


def register_kind() -> None:
    from casecenter.search.kinds import register

    register(KIND, label=LABEL, source=all_people, count=people_total, order=20, roles=CONTENT_ROLES)
