"""Where other tables point at a person, found through Django's model meta, so that a merge moves
the rows of apps the people app does not import (the cases app's parties, later the custody visits).

Moved by :func:`casecenter.people.services.person_merge`:

- every concrete foreign key to :class:`Person` in any installed app (including auto-created
  many-to-many tables), except ``Person.merged_into`` (the merge history itself);
- every ``GenericForeignKey`` whose content type is the person's;
- the text references listed in :data:`TEXT_REFERENCES` (a column holding a person's id as text,
  such as ``deadlines.Deadline.person_id``).

Not moved: the ledger's ``Event.person_id`` (history is never rewritten; the merge event links the
two entries) and the search index (rebuilt by the services).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Person

# (model label, field name): columns storing a person's id as text.
TEXT_REFERENCES: list[tuple[str, str]] = [("deadlines.Deadline", "person_id")]


@dataclass(frozen=True)
class Reference:
    model: type[models.Model]
    column: str                   # the attribute to update (``person_id``, ``object_id``)
    text: bool = False            # the column holds the id as text
    content_type_field: str = ""  # for a generic foreign key: its content-type attribute

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def rows_of(self, person: Person) -> models.QuerySet:
        value = str(person.pk) if self.text else person.pk
        lookup = {self.column: value}
        if self.content_type_field:
            lookup[self.content_type_field] = ContentType.objects.get_for_model(Person)
        return self.model._default_manager.filter(**lookup)

    def value_for(self, person: Person):
        return str(person.pk) if self.text else person.pk


def references() -> Iterator[Reference]:
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if isinstance(field, GenericForeignKey):
                yield Reference(model, field.fk_field, text=True, content_type_field=field.ct_field + "_id")
            elif (field.concrete and field.many_to_one and field.related_model is Person
                  and not (model is Person and field.name == "merged_into")):
                yield Reference(model, field.attname)
    for label, column in TEXT_REFERENCES:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        yield Reference(model, column, text=True)


def find(label: str, column: str) -> Reference | None:
    return next((r for r in references() if r.label == label and r.column == column), None)
