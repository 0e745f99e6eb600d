"""The names of the people, units and records that events speak of, resolved in bulk for a page.

The ledger stores ids (a subject's type and id, the case, the person, the unit, the acting
account) and imports none of the apps that own them. A subject type is a model label
(``cases.case``), so names are found through Django's app registry: one query per type on a page,
however many rows it has. An app whose objects read badly by ``str()`` registers its own labeller;
an id whose record is gone reads as its type and number. The audit pages link every name to the
events about it (the audit administrator reads the record, not the case files).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What the events' plain columns point at (the project's convention; see models.Event).
CASE_TYPE = "cases.case"
PERSON_TYPE = "people.person"
UNIT_TYPE = "accounts.unit"
USER_TYPE = settings.AUTH_USER_MODEL.lower()

#: subject type → labeller(ids) → {id: name}, for types that ``str()`` does not read well.
LABELLERS: dict[str, Callable[[set[str]], dict[str, str]]] = {}
#: subject type → what it is called, for types that are not models.
KINDS: dict[str, str] = {}
#: "actor" / "unit" → the URL name of a picker endpoint (``core.simple_picker``) that finds them.
PICKERS: dict[str, str] = {}


def register(subject_type: str, labeller: Callable[[set[str]], dict[str, str]], *, kind: str | None = None) -> None:
    LABELLERS[subject_type] = labeller
    if kind is not None:
        KINDS[subject_type] = kind


def register_picker(kind: str, url_name: str) -> None:
    """An app above the ledger lends the audit filters its search of ``kind`` ("actor", "unit")."""
    PICKERS[kind] = url_name


def _model(subject_type: str):
    try:
        return apps.get_model(subject_type)
    except (LookupError, ValueError):
        return None


def _labels_by_str(subject_type: str, ids: set[str]) -> dict[str, str]:
    model = _model(subject_type)
    if model is None:
        return {}
    keys = []
    for ident in ids:
        try:
            keys.append(model._meta.pk.to_python(ident))
        except ValidationError:
            continue   # not an id of this model: shown by its number
    # select_related(): the non-null foreign keys that a model's __str__ may read, in the same query.
    rows = model._default_manager.select_related().filter(pk__in=keys)
    return {str(row.pk): str(row) for row in rows}


def type_label(subject_type: str) -> str:
    """A subject type as people call it ("case", "account"), or the type itself when unknown."""
    if subject_type in KINDS:
        return str(KINDS[subject_type])
    model = _model(subject_type)
    return str(model._meta.verbose_name) if model is not None else subject_type


class Names:
    """Collect (type, id) pairs, resolve them all at once, then read them."""

    def __init__(self) -> None:
        self.wanted: dict[str, set[str]] = defaultdict(set)
        self.found: dict[tuple[str, str], str] = {}

    def want(self, subject_type: str, ident) -> None:
        if ident not in (None, ""):
            self.wanted[subject_type].add(str(ident))

    def resolve(self) -> Names:
        for subject_type, ids in self.wanted.items():
            labeller = LABELLERS.get(subject_type)
            labels = labeller(ids) if labeller else _labels_by_str(subject_type, ids)
            self.found.update({(subject_type, ident): label for ident, label in labels.items()})
        self.wanted.clear()
        return self

    def get(self, subject_type: str, ident) -> str | None:
        return self.found.get((subject_type, str(ident)))

    def label(self, subject_type: str, ident) -> str:
        """The name, or "case 12" for a record that is gone (or a type no model has)."""
        return self.get(subject_type, ident) or _("{kind} {id}").format(kind=type_label(subject_type), id=ident)


def events_url(**filters) -> str:
    """The audit record filtered to the events about one person, unit or record."""
    return f"{reverse('ledger:events')}?{urlencode(filters)}"


def _link(label: str, url: str) -> dict:
    return {"label": label, "url": url}


def event_links(events: Iterable) -> list[dict]:
    """For each event: its actor, subject, case, person and unit by name, each linked to the events
    about it. The events' names cost one query per kind of record on the page."""
    events = list(events)
    names = Names()
    for event in events:
        names.want(event.subject_type, event.subject_id)
        names.want(CASE_TYPE, event.case_id)
        names.want(PERSON_TYPE, event.person_id)
        names.want(UNIT_TYPE, event.unit_id)
    names.resolve()
    links = []
    for event in events:
        row = {"subject": None, "case": None, "person": None, "unit": None, "actor_url": None}
        if event.actor_id is not None:
            row["actor_url"] = events_url(actor=event.actor_id)
        if event.subject_id:
            label = names.label(event.subject_type, event.subject_id)
            url = (reverse("ledger:event", args=[event.subject_id])
                   if event.subject_type == "ledger.event" and event.subject_id.isdigit()
                   else events_url(subject_type=event.subject_type, subject_id=event.subject_id))
            row["subject"] = {**_link(label, url), "kind": type_label(event.subject_type)}
        for key, kind, value, param in (("case", CASE_TYPE, event.case_id, "case"),
                                        ("person", PERSON_TYPE, event.person_id, "person"),
                                        ("unit", UNIT_TYPE, event.unit_id, "unit")):
            if value not in (None, ""):
                row[key] = _link(names.label(kind, value), events_url(**{param: value}))
        links.append(row)
    return links


register("ledger.event", lambda ids: {ident: _("Event No. {id}").format(id=ident) for ident in ids})
register("ledger.verification", lambda ids: {ident: _("Verification of the whole record") for ident in ids},
         kind=gettext_lazy("verification"))
