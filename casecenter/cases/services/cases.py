"""The case's status machine (``models.CASE_TRANSITIONS``): one service per transition, each
locking the row, checking the transition and recording it with its ledger event. Intake is in
``intake``."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.accounts.roles import Role
from casecenter.core import clock
from casecenter.core.errors import Conflict, ValidationFailed
from casecenter.deadlines.models import OPEN_STATES, Deadline
from casecenter.deadlines.services import deadline_meet, deadline_start
from casecenter.deadlines.subjects import Text
from casecenter.deadlines.verification import CLOCK_SKEW, check_text, check_time
from casecenter.ledger.actions import not_a_write, records
from casecenter.ledger.models import Event
from casecenter.ledger.services import record_event

from ..describe import CASE_DECISION_NOTE
from ..documents import index_case
from ..models import (
    CASE_TRANSITIONS,
    CHIEF_DECISIONS,
    Case,
    CaseDecision,
    CaseKind,
    CaseStatus,
)
from ..selectors import check_may_write
from .intake import INTAKE_CLOCKS

#: The clocks acceptance meets (an administrative report accepted as a case: 受案).
ACCEPTANCE_CLOCKS = ("administrative-acceptance-review",)
#: The clock the transfer decision starts and the handover meets: within 24 hours (刑规 175 for a
#: criminal case, 行规 61 for an administrative one).
TRANSFER_CLOCKS = {CaseKind.CRIMINAL: "case-transfer", CaseKind.ADMINISTRATIVE: "administrative-case-transfer"}


def _check_decider(decided_by, case: Case, to: str) -> None:
    if to not in CHIEF_DECISIONS:
        return
    if decided_by is None:
        raise ValidationFailed(_("Name the county-level chief who decided."), field="decided_by")
    if not decided_by.is_active or not decided_by.has_role(Role.COUNTY_CHIEF) \
            or not case.unit.path.startswith(decided_by.unit.path):
        raise ValidationFailed(_("{name} is not a county-level chief above {unit}.").format(
            name=decided_by.full_name, unit=case.unit.name), field="decided_by")


def _transition(*, actor, case: Case, to: str, at: datetime, note: str = "", decided_by=None, request=None,
                data: dict | None = None) -> Case:
    """Lock the case, check the move is in CASE_TRANSITIONS and allowed to ``actor``, apply it and
    record ``cases.case.<verb>``."""
    case = Case.objects.select_for_update(of=("self",)).select_related("unit", "cause").get(pk=case.pk)
    check_may_write(actor, case)
    verb = CASE_TRANSITIONS.get((case.status, to))
    if verb is None:
        raise Conflict(_("This case is {status}: it cannot become {to}.").format(
            status=case.get_status_display().lower(), to=CaseStatus(to).label.lower()), field="status")
    if to == CaseStatus.PROSECUTION and case.kind != CaseKind.CRIMINAL:
        raise ValidationFailed(_("Only a criminal case is transferred for prosecution."), field="status")
    if to == CaseStatus.DECIDED and case.kind != CaseKind.ADMINISTRATIVE:
        raise ValidationFailed(_("Only an administrative case ends with a decision."), field="status")
    _check_decider(decided_by, case, to)
    check_time(at, field="at", earliest=case.received_at, latest=clock.now() + CLOCK_SKEW)
    check_text(note, field="note", max_length=500)
    previous = case.status
    case.status, case.status_changed_at = to, at
    case.save(update_fields=["status", "status_changed_at"])
    CaseDecision.objects.create(case=case, from_status=previous, to_status=to, decided_at=at,
                                decided_by=decided_by, recorded_by=actor if getattr(actor, "pk", None) else None,
                                note=note)
    record_event(actor=actor, action=f"cases.case.{verb}", subject=case, case=case.pk, unit=case.unit_id,
                 request=request, data={"from": previous, "to": to, "at": at.isoformat(), "note": note,
                                        "decided_by": decided_by.pk if decided_by else None, **(data or {})})
    index_case(case)
    return case


def _meet_case_clocks(*, actor, case: Case, at: datetime, rule_ids, note: Text, request) -> None:
    for deadline in Deadline.objects.for_subject(case).open().filter(rule_id__in=list(rule_ids)):
        deadline_meet(actor=actor, deadline=deadline, at=at, note=note, request=request)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason."), field="reason")
    return reason


@records("cases.case.accepted")
@transaction.atomic
def case_accept(*, actor, case: Case, at: datetime, note: str = "", request=None) -> Case:
    """受案: the report is accepted as a case. Meets the administrative acceptance-review clock."""
    case = _transition(actor=actor, case=case, to=CaseStatus.ACCEPTED, at=at, note=note, request=request)
    _meet_case_clocks(actor=actor, case=case, at=at, rule_ids=ACCEPTANCE_CLOCKS,
                      note=Text(CASE_DECISION_NOTE, {"status": str(CaseStatus.ACCEPTED)}), request=request)
    return case


def _filing_decision(*, actor, case, to, decided_by, decided_at, note, request, data=None) -> Case:
    case = _transition(actor=actor, case=case, to=to, at=decided_at, note=note, decided_by=decided_by,
                       request=request, data=data)
    rule_ids = {rule for rules in INTAKE_CLOCKS.values() for rule in rules}
    _meet_case_clocks(actor=actor, case=case, at=decided_at, rule_ids=rule_ids,
                      note=Text(CASE_DECISION_NOTE, {"status": str(to)}), request=request)
    return case


@records("cases.case.filed")
@transaction.atomic
def case_file(*, actor, case: Case, decided_by, decided_at: datetime, note: str = "", request=None) -> Case:
    """立案 (刑规 178: the county-level chief decides). Meets the review clocks."""
    return _filing_decision(actor=actor, case=case, to=CaseStatus.FILED, decided_by=decided_by,
                            decided_at=decided_at, note=note, request=request)


@records("cases.case.not_filed")
@transaction.atomic
def case_refuse_filing(*, actor, case: Case, decided_by, decided_at: datetime, reason: str,
                       request=None) -> Case:
    """不予立案 (刑规 178), with its reason. Meets the review clocks."""
    return _filing_decision(actor=actor, case=case, to=CaseStatus.NOT_FILED, decided_by=decided_by,
                            decided_at=decided_at, note=_reason(reason), request=request)


@records("cases.case.transferred")
@transaction.atomic
def case_transfer(*, actor, case: Case, decided_by, decided_at: datetime, receiving_organ: str, reason: str,
                  request=None) -> Case:
    """移送 to the competent organ (刑规 175: not our jurisdiction). Meets the review clocks and
    starts the 24-hour transfer clock at the decision, which the handover meets
    (``case_transfer_delivered``); its alerts go to the case's officers."""
    receiving_organ = (receiving_organ or "").strip()
    if not receiving_organ:
        raise ValidationFailed(_("Name the organ that receives the case."), field="receiving_organ")
    check_text(receiving_organ, field="receiving_organ", max_length=200)
    case = _filing_decision(actor=actor, case=case, to=CaseStatus.TRANSFERRED, decided_by=decided_by,
                            decided_at=decided_at, note=_reason(reason), request=request,
                            data={"receiving_organ": receiving_organ})
    deadline_start(actor=actor, rule_id=TRANSFER_CLOCKS[case.kind], subject=case, started_at=decided_at,
                   unit=case.unit, officers=list(case.officers.all()), case=case,
                   label=f"{case.number} → {receiving_organ}"[:200], request=request)
    return case


def _open_transfer_clock(case: Case) -> Deadline | None:
    return Deadline.objects.for_subject(case).open().filter(rule_id__in=TRANSFER_CLOCKS.values()).first()


@records("cases.case.transfer_delivered")
@transaction.atomic
def case_transfer_delivered(*, actor, case: Case, at: datetime, receipt: str, note: str = "",
                            request=None) -> Case:
    """The transferred case was handed over to the receiving organ at ``at``, against its receipt
    (回执: its number, or who signed for it). Meets the 24-hour transfer clock (刑规 175); a handover
    after the due time ends it as breached, on record."""
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    check_may_write(actor, case)
    if case.status != CaseStatus.TRANSFERRED:
        raise Conflict(_("This case is {status}: only a transferred case is handed over.").format(
            status=case.get_status_display().lower()), field="status")
    transfer_clock = _open_transfer_clock(case)
    if transfer_clock is None:
        raise Conflict(_("The handover of this case is already recorded, or no transfer clock runs for it."),
                       field="status")
    receipt = (receipt or "").strip()
    if not receipt:
        raise ValidationFailed(_("Give the receiving organ's receipt: its number or who signed for the case."),
                               field="receipt")
    check_text(receipt, field="receipt", max_length=200)
    check_text(note, field="note", max_length=500)
    check_time(at, field="at", earliest=transfer_clock.started_at, latest=clock.now() + CLOCK_SKEW)
    record_event(actor=actor, action="cases.case.transfer_delivered", subject=case, case=case.pk,
                 unit=case.unit_id, request=request,
                 data={"at": at.isoformat(), "receipt": receipt, "note": note, "deadline": transfer_clock.pk,
                       "late": transfer_clock.due_at is not None and at > transfer_clock.due_at})
    deadline_meet(actor=actor, deadline=transfer_clock, at=at, note=receipt, request=request)
    return case


@not_a_write
def pending_handover(case: Case, deadlines=None) -> dict | None:
    """The transfer of ``case`` still to be handed over: its open 24-hour clock and the receiving
    organ (None when the case is not transferred or the handover is recorded). From the case's
    clocks when the caller has them."""
    if case.status != CaseStatus.TRANSFERRED:
        return None
    clocks = deadlines if deadlines is not None else Deadline.objects.for_subject(case)
    transfer_clock = next((d for d in clocks if d.rule_id in TRANSFER_CLOCKS.values() and d.ended_at is None
                           and d.state in OPEN_STATES), None)
    if transfer_clock is None:
        return None
    event = (Event.objects.filter(case_id=str(case.pk), action="cases.case.transferred").order_by("-id")
             .only("data").first())
    return {"deadline": transfer_clock, "receiving_organ": event.facts.get("receiving_organ", "") if event else ""}


@records("cases.case.investigation_started")
@transaction.atomic
def case_start_investigation(*, actor, case: Case, at: datetime, note: str = "", request=None) -> Case:
    """A filed case goes under investigation."""
    return _transition(actor=actor, case=case, to=CaseStatus.INVESTIGATING, at=at, note=note, request=request)


def _check_no_measure_in_force(case: Case) -> None:
    from ..models import MeasureStatus

    if case.measures.filter(status__in=[MeasureStatus.PENDING, MeasureStatus.ACTIVE]).exists():
        raise Conflict(_("End or convert the coercive measures of this case first."), field="status")


@records("cases.case.prosecution_transferred")
@transaction.atomic
def case_transfer_for_prosecution(*, actor, case: Case, decided_by, decided_at: datetime, note: str = "",
                                  request=None) -> Case:
    """移送审查起诉 (刑规 289: 起诉意见书 signed by the county-level chief)."""
    return _transition(actor=actor, case=case, to=CaseStatus.PROSECUTION, at=decided_at, note=note,
                       decided_by=decided_by, request=request)


@records("cases.case.withdrawn")
@transaction.atomic
def case_withdraw(*, actor, case: Case, decided_by, decided_at: datetime, reason: str, request=None) -> Case:
    """撤销案件 (刑规 187), with its reason. No measure may still be in force."""
    _check_no_measure_in_force(case)
    return _transition(actor=actor, case=case, to=CaseStatus.WITHDRAWN, at=decided_at, note=_reason(reason),
                       decided_by=decided_by, request=request)


@records("cases.case.decided")
@transaction.atomic
def case_decide(*, actor, case: Case, decided_by, decided_at: datetime, note: str = "", request=None) -> Case:
    """The administrative decision (处罚 or 不予处罚) closes an administrative case."""
    return _transition(actor=actor, case=case, to=CaseStatus.DECIDED, at=decided_at, note=note,
                       decided_by=decided_by, request=request)


@records("cases.case.archived")
@transaction.atomic
def case_archive(*, actor, case: Case, at: datetime, note: str = "", request=None) -> Case:
    """A closed case is archived; no measure may still be in force, and a transferred case is first
    handed over (its 24-hour clock would otherwise run on unseen)."""
    _check_no_measure_in_force(case)
    if _open_transfer_clock(case) is not None:
        raise Conflict(_("Record the handover to the receiving organ before archiving the case."), field="status")
    return _transition(actor=actor, case=case, to=CaseStatus.ARCHIVED, at=at, note=note, request=request)


@not_a_write
def transition_service(to: str):
    """The service that moves a case to ``to`` (for the views and the API)."""
    return {
        CaseStatus.ACCEPTED: case_accept, CaseStatus.FILED: case_file, CaseStatus.NOT_FILED: case_refuse_filing,
        CaseStatus.TRANSFERRED: case_transfer, CaseStatus.INVESTIGATING: case_start_investigation,
        CaseStatus.PROSECUTION: case_transfer_for_prosecution, CaseStatus.WITHDRAWN: case_withdraw,
        CaseStatus.DECIDED: case_decide, CaseStatus.ARCHIVED: case_archive,
    }.get(to)

