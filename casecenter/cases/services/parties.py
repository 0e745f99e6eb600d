"""Parties of a case: persons of the registry in a role, added and removed with reasons."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core import clock
from casecenter.core.errors import Conflict, ValidationFailed
from casecenter.deadlines.verification import check_text
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event

from ..documents import index_case
from ..models import Case, CaseStatus, MeasureStatus, Party, PartyRole
from ..selectors import check_may_write


def _open_case(case: Case) -> Case:
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    if case.status == CaseStatus.ARCHIVED:
        raise Conflict(_("This case is archived: its parties cannot change."), field="case")
    return case


@records("cases.party.added")
@transaction.atomic
def party_add(*, actor, case: Case, person, role: str, reason: str = "", request=None) -> Party:
    """Add ``person`` to ``case`` in ``role``. The same person in the same role once at a time."""
    case = _open_case(case)
    check_may_write(actor, case)
    if role not in PartyRole.values:
        raise ValidationFailed(_("Choose the role of the person in the case."), field="role")
    if person is None or getattr(person, "pk", None) is None:
        raise ValidationFailed(_("Choose a person from the registry."), field="person")
    check_text(reason, field="reason", max_length=500)
    if case.parties.current().filter(person=person, role=role).exists():
        raise Conflict(_("{name} is already a {role} in this case.").format(
            name=str(person), role=PartyRole(role).label.lower()), field="person")
    party = Party.objects.create(case=case, person=person, role=role, reason=reason, added_at=clock.now(),
                                 added_by=actor)
    record_event(actor=actor, action="cases.party.added", subject=party, case=case.pk, person=person.pk,
                 unit=case.unit_id, request=request, data={"role": role, "reason": reason})
    index_case(case)
    return party


@records("cases.party.removed")
@transaction.atomic
def party_remove(*, actor, party: Party, reason: str, request=None) -> Party:
    """Remove a party, with the reason; the row stays. A suspect under a measure in force is not
    removed (end the measure first)."""
    case = _open_case(party.case)
    check_may_write(actor, case)
    party = Party.objects.select_for_update().get(pk=party.pk)
    if party.removed_at is not None:
        raise Conflict(_("This party was already removed."), field="party")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for removing this party."), field="reason")
    check_text(reason, field="reason", max_length=500)
    if party.role == PartyRole.SUSPECT and case.measures.filter(
            person_id=party.person_id, status__in=[MeasureStatus.PENDING, MeasureStatus.ACTIVE]).exists():
        raise Conflict(_("This suspect is under a coercive measure: end it first."), field="party")
    party.removed_at, party.removed_by, party.removal_reason = clock.now(), actor, reason
    party.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    record_event(actor=actor, action="cases.party.removed", subject=party, case=case.pk, person=party.person_id,
                 unit=case.unit_id, request=request, data={"role": party.role, "reason": reason})
    index_case(case)
    return party
