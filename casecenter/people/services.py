"""Every write to the person registry, each in one transaction with its ledger event.

The rules enforced here: one entry per resident ID number (a second entry is refused and the
existing one offered); a number that fails GB 11643 is refused with the part that is wrong; the
birth date and sex entered agree with those the number carries; a merge moves every reference to
the merged entry (see :mod:`.references`) and records exactly which rows moved, so that
:func:`person_unmerge` puts back those rows and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casecenter.accounts.roles import Role
from casecenter.core import clock
from casecenter.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from casecenter.ledger.actions import records
from casecenter.ledger.models import Event
from casecenter.ledger.services import record_event

from . import documents, idnumber, names, photos, references
from .ages import local_date
from .models import DocumentKind, IdentityDocument, Person, Sex

WRITERS = (Role.CASE_OFFICER, Role.AREA_DUTY_OFFICER, Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF)
MERGERS = (Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF)
MERGED = "people.person.merged"
EDITABLE = ("name", "aliases", "sex", "birth_date", "id_number", "ethnicity", "nationality",
            "household_registration", "residence", "phones", "employer", "education")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{2,24}$")


def _check_actor(actor, roles, message) -> None:
    # None is the system (an import, a command); a person acts only with one of ``roles``.
    if actor is not None and getattr(actor, "pk", None) and not actor.has_role(*roles):
        raise Forbidden(message)


def _clean_list(values, field: str, *, phone: bool = False) -> list[str]:
    if isinstance(values, str):
        values = re.split(r"[,，;；\n]", values)
    cleaned = []
    for value in values or ():
        value = str(value).strip()
        if not value or value in cleaned:
            continue
        if phone and not _PHONE.match(value):
            raise ValidationFailed(_("{value} is not a phone number.").format(value=value), field=field)
        cleaned.append(value)
    return cleaned


def _existing_with(number: str, *, exclude: int | None = None) -> Person | None:
    found = Person.objects.filter(id_number=number).exclude(pk=exclude).first()
    while found is not None and found.merged_into_id:
        found = found.merged_into
    return found


def _duplicate(existing: Person) -> Conflict:
    return Conflict(_("{name} is already registered with this ID number.").format(name=existing.name),
                    field="id_number", extra={"person_id": existing.pk, "person_url": existing.get_absolute_url(),
                                              "person_name": existing.name})


def _check_identity(values: dict, *, exclude: int | None = None) -> None:
    """Validate the ID number, derive birth date and sex from it (filling them when not entered) and
    refuse entered values that disagree; refuse a number another entry carries."""
    if not values.get("name", "").strip():
        raise ValidationFailed(_("The name is required."), field="name")
    values["name"] = values["name"].strip()
    if values.get("sex") not in Sex.values:
        raise ValidationFailed(_("Choose male, female or unknown."), field="sex")
    number = idnumber.normalise(values.get("id_number") or "")
    if not number:
        values["id_number"] = None
    else:
        try:
            parsed = idnumber.parse(number)
        except idnumber.InvalidIdNumber as error:
            raise ValidationFailed(str(error), field="id_number") from None
        values["id_number"] = parsed.number
        if values.get("birth_date") and values["birth_date"] != parsed.birth_date:
            raise ValidationFailed(_("The ID number gives the date of birth {date}, not {entered}.").format(
                date=parsed.birth_date.isoformat(), entered=values["birth_date"].isoformat()), field="birth_date")
        if values["sex"] not in (Sex.UNKNOWN, parsed.sex):
            raise ValidationFailed(_("The ID number is that of a {sex}.").format(
                sex=Sex(parsed.sex).label.lower()), field="sex")
        values["birth_date"], values["sex"] = parsed.birth_date, parsed.sex
        existing = _existing_with(parsed.number, exclude=exclude)
        if existing is not None:
            raise _duplicate(existing)
    birth = values.get("birth_date")
    if birth and (birth > local_date(clock.now()) or birth < idnumber.EARLIEST_BIRTH):
        raise ValidationFailed(_("The date of birth must be between 1900 and today."), field="birth_date")
    values["aliases"] = _clean_list(values.get("aliases"), "aliases")
    values["phones"] = _clean_list(values.get("phones"), "phones", phone=True)


def _facts(person: Person) -> dict:
    return {"name": person.name, "id_number": person.id_number,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None, "sex": person.sex}


def _save(person: Person) -> None:
    # The savepoint keeps the caller's transaction usable when two desks enter the same number at once.
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        existing = _existing_with(person.id_number or "", exclude=person.pk)
        if existing is None:
            raise
        raise _duplicate(existing) from None


@records("people.person.created")
@transaction.atomic
def person_create(*, actor, name: str, sex: str = Sex.UNKNOWN, birth_date: dt.date | None = None,
                  id_number: str | None = None, aliases=(), phones=(), ethnicity: str = "",
                  nationality: str = "中国", household_registration: str = "", residence: str = "",
                  employer: str = "", education: str = "", photo=None, request=None) -> Person:
    """Register a person. A number already registered is refused with a Conflict whose ``extra``
    carries ``person_id`` and ``person_url`` of the entry to use instead. A ``photo`` upload is
    checked and stored as :func:`person_set_photo` does; the event carries its hash."""
    _check_actor(actor, WRITERS, _("Only case officers, duty officers and heads may register people."))
    values = {"name": name or "", "sex": sex or Sex.UNKNOWN, "birth_date": birth_date, "id_number": id_number,
              "aliases": aliases, "phones": phones}
    _check_identity(values)
    prepared = photos.prepare(photo) if photo else None
    person = Person(**values, ethnicity=ethnicity, nationality=nationality,
                    household_registration=household_registration, residence=residence, employer=employer,
                    education=education, created_by=actor if getattr(actor, "pk", None) else None)
    person.name_pinyin = names.pinyin_text(person.name)
    if prepared is not None:
        person.photo.name = photos.store(prepared)
    _save(person)
    facts = _facts(person)
    if prepared is not None:
        facts["photo"] = {"sha256": prepared.sha256, "size": prepared.size, "content_type": prepared.content_type}
    record_event(actor=actor, action="people.person.created", subject=person, person=person, data=facts,
                 request=request)
    documents.index_person(person)
    return person


def _live(person: Person, *, locked: bool = True) -> Person:
    queryset = Person.objects.select_for_update() if locked else Person.objects
    person = queryset.get(pk=person.pk)
    if person.merged_into_id:
        raise Conflict(_("This entry was merged into another one; change that one."), field="merged_into")
    return person


@records("people.person.updated")
@transaction.atomic
def person_update(*, actor, person: Person, request=None, **changes) -> Person:
    """Change the identity fields named in ``changes`` (see ``EDITABLE``); the same checks as at
    registration. Records the fields that changed, before and after."""
    _check_actor(actor, WRITERS, _("Only case officers, duty officers and heads may change people."))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: {names}.").format(names=", ".join(sorted(unknown))))
    person = _live(person)
    values = {field: getattr(person, field) for field in EDITABLE}
    values.update(changes)
    if "id_number" in changes and "birth_date" not in changes and idnumber.normalise(changes["id_number"] or ""):
        values["birth_date"] = None   # derived anew from the new number
        values["sex"] = changes.get("sex", Sex.UNKNOWN)
    _check_identity(values, exclude=person.pk)
    before, after = {}, {}
    for field in EDITABLE:
        if getattr(person, field) != values[field]:
            before[field], after[field] = _plain(getattr(person, field)), _plain(values[field])
            setattr(person, field, values[field])
    if not after:
        return person
    person.name_pinyin = names.pinyin_text(person.name)
    _save(person)
    record_event(actor=actor, action="people.person.updated", subject=person, person=person,
                 data={"before": before, "after": after}, request=request)
    documents.index_person(person)
    return person


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


@records("people.document.added")
@transaction.atomic
def person_document_add(*, actor, person: Person, kind: str, number: str, issuing_country: str = "",
                        request=None) -> IdentityDocument:
    """Add an identity document other than the resident ID (a passport); one entry per document."""
    _check_actor(actor, WRITERS, _("Only case officers, duty officers and heads may change people."))
    person = _live(person)
    if kind not in DocumentKind.values:
        raise ValidationFailed(_("Choose the kind of document."), field="kind")
    number = (number or "").strip().upper()
    if not number:
        raise ValidationFailed(_("The document number is required."), field="number")
    existing = IdentityDocument.objects.filter(kind=kind, number=number, issuing_country=issuing_country).first()
    if existing is not None:
        raise Conflict(_("This document is registered to {name}.").format(name=existing.person.name), field="number",
                       extra={"person_id": existing.person_id})
    document = IdentityDocument.objects.create(person=person, kind=kind, number=number,
                                               issuing_country=issuing_country.strip())
    record_event(actor=actor, action="people.document.added", subject=person, person=person,
                 data={"document": document.pk, "kind": kind, "number": number, "issuing_country": issuing_country},
                 request=request)
    documents.index_person(person)
    return document


def _lock_rows_of(person: Person) -> None:
    """Lock the rows that refer to ``person`` before the person's own row. The services of cases
    lock a measure or party before its person (approving a summons checks the person's other
    measures under the person's lock); a merge that took the persons first and then waited on such a
    row while its holder waited on the person would deadlock (PostgreSQL aborts one of the two)."""
    for ref in references.references():
        list(ref.rows_of(person).order_by("pk").select_for_update().values_list("pk", flat=True))


@records("people.person.merged")
@transaction.atomic
def person_merge(*, actor, survivor: Person, merged: Person, reason: str, request=None) -> Person:
    """Merge ``merged`` into ``survivor`` (two entries of one real person): every reference to the
    merged entry moves to the survivor, the merged entry keeps its identity and points at the
    survivor; its name and phones are added to the survivor's aliases and phones. The event lists
    each moved row, so that :func:`person_unmerge` can put them back."""
    _check_actor(actor, MERGERS, _("Only department heads and chiefs may merge people."))
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why these entries are the same person."), field="reason")
    if survivor.pk == merged.pk:
        raise ValidationFailed(_("An entry cannot be merged into itself."), field="survivor")
    _lock_rows_of(merged)
    for pk in sorted([survivor.pk, merged.pk]):   # in id order: two merges never deadlock
        _live(Person(pk=pk))
    survivor, merged = Person.objects.get(pk=survivor.pk), Person.objects.get(pk=merged.pk)
    if survivor.id_number and merged.id_number and survivor.id_number != merged.id_number:
        raise Conflict(_("The two entries carry different ID numbers: they are not the same person."),
                       field="survivor")
    moved = []
    for ref in references.references():
        rows = ref.rows_of(merged)
        pks = [str(pk) for pk in rows.values_list("pk", flat=True)]
        if not pks:
            continue
        try:
            with transaction.atomic():
                rows.update(**{ref.column: ref.value_for(survivor)})
        except IntegrityError:
            raise Conflict(_("Both entries are linked to the same {thing}; remove one link first.").format(
                thing=ref.model._meta.verbose_name)) from None
        moved.append({"model": ref.label, "column": ref.column, "pks": pks})
    added_aliases = [n for n in [merged.name, *merged.aliases] if n != survivor.name and n not in survivor.aliases]
    added_phones = [p for p in merged.phones if p not in survivor.phones]
    survivor.aliases = [*survivor.aliases, *added_aliases]
    survivor.phones = [*survivor.phones, *added_phones]
    survivor.save(update_fields=["aliases", "phones"])
    merged.merged_into, merged.merged_at = survivor, clock.now()
    merged.save(update_fields=["merged_into", "merged_at"])
    record_event(actor=actor, action=MERGED, subject=merged, person=survivor, request=request, data={
        "survivor": survivor.pk, "merged": merged.pk, "survivor_name": survivor.name, "merged_name": merged.name,
        "reason": reason.strip(), "moved": moved, "added_aliases": added_aliases, "added_phones": added_phones})
    documents.index_person(survivor)
    documents.unindex_person(merged)
    return survivor


@records("people.person.unmerged")
@transaction.atomic
def person_unmerge(*, actor, merge_event: Event, reason: str = "", request=None) -> Person:
    """Undo a merge from its event: the rows it moved that still point at the survivor go back to
    the merged entry, the aliases and phones it added are removed, the entry is live again.
    Refused when the survivor was merged away since (undo that merge first)."""
    _check_actor(actor, MERGERS, _("Only department heads and chiefs may undo a merge."))
    if merge_event.action != MERGED:
        raise ValidationFailed(_("This event is not a merge."), field="merge_event")
    facts = merge_event.facts
    survivor = Person.objects.filter(pk=facts["survivor"]).first()
    if survivor is not None:
        _lock_rows_of(survivor)
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[facts["survivor"], facts["merged"]])
              .order_by("pk")}
    survivor, merged = locked.get(facts["survivor"]), locked.get(facts["merged"])
    if survivor is None or merged is None:
        raise NotFound(_("The entries of this merge no longer exist."))
    if merged.merged_into_id != survivor.pk:
        raise Conflict(_("This merge was already undone."), field="merge_event")
    if survivor.merged_into_id:
        raise Conflict(_("{name} was merged into another entry since; undo that merge first.").format(
            name=survivor.name), field="merge_event")
    restored = []
    for entry in facts["moved"]:
        ref = references.find(entry["model"], entry["column"])
        if ref is None:
            continue
        rows = ref.rows_of(survivor).filter(pk__in=entry["pks"])
        pks = [str(pk) for pk in rows.values_list("pk", flat=True)]
        rows.update(**{ref.column: ref.value_for(merged)})
        restored.append({"model": entry["model"], "column": entry["column"], "pks": pks})
    survivor.aliases = [a for a in survivor.aliases if a not in facts["added_aliases"]]
    survivor.phones = [p for p in survivor.phones if p not in facts["added_phones"]]
    survivor.save(update_fields=["aliases", "phones"])
    merged.merged_into, merged.merged_at = None, None
    merged.save(update_fields=["merged_into", "merged_at"])
    record_event(actor=actor, action="people.person.unmerged", subject=merged, person=survivor, request=request,
                 data={"survivor": survivor.pk, "merged": merged.pk, "merge_event": merge_event.pk,
                       "reason": (reason or "").strip(), "restored": restored})
    documents.index_person(survivor)
    documents.index_person(merged)
    return merged


def _photo_facts(name: str | None) -> dict | None:
    return {"sha256": photos.sha256_of(name), "name": name} if name else None


@records("people.person.photo_changed")
@transaction.atomic
def person_set_photo(*, actor, person: Person, upload, request=None) -> Person:
    """Set the person's photo from ``upload``: a JPEG or PNG of at most 5 MB, re-encoded without
    its metadata (see :mod:`.photos`). The previous file stays in storage (the record of it stays
    provable by its hash); the event carries the new image's hash, size and type, never its bytes."""
    _check_actor(actor, WRITERS, _("Only case officers, duty officers and heads may change people."))
    photo = photos.prepare(upload)   # decoded before the row is locked: it may take a moment
    person = _live(person)
    previous = person.photo.name or None
    person.photo.name = photos.store(photo)
    person.save(update_fields=["photo"])
    record_event(actor=actor, action="people.person.photo_changed", subject=person, person=person, request=request,
                 data={"sha256": photo.sha256, "size": photo.size, "content_type": photo.content_type,
                       "width": photo.width, "height": photo.height, "previous": _photo_facts(previous)})
    return person


@records("people.person.photo_removed")
@transaction.atomic
def person_remove_photo(*, actor, person: Person, reason: str, request=None) -> Person:
    """Take the photo off the entry (a photo of someone else, an unusable one), with the reason.
    The file stays in storage: the events that named it must remain provable."""
    _check_actor(actor, WRITERS, _("Only case officers, duty officers and heads may change people."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the photo is removed."), field="reason")
    if len(reason) > 500:
        raise ValidationFailed(_("The reason is longer than 500 characters."), field="reason")
    person = _live(person)
    if not person.photo:
        raise Conflict(_("This entry has no photo."), field="photo")
    previous = person.photo.name
    person.photo = None
    person.save(update_fields=["photo"])
    record_event(actor=actor, action="people.person.photo_removed", subject=person, person=person, request=request,
                 data={"reason": reason, "previous": _photo_facts(previous)})
    return person
