"""Intake: a report registered as a case, with its number, acceptance record (受案登记表), event,
review clock and index document; one report at a time (the intake form, the API) or a batch of
them (a feed from the 110 dispatch system), through the same writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.accounts.access import CASE_WRITERS
from casecenter.accounts.models import Unit
from casecenter.accounts.roles import Role
from casecenter.accounts.scopes import Scope
from casecenter.accounts.selectors import visible_scope
from casecenter.core import clock
from casecenter.core.errors import ValidationFailed
from casecenter.deadlines import rules
from casecenter.deadlines.services import ClockStart, deadline_start_many
from casecenter.deadlines.verification import CLOCK_SKEW, check_text, check_time
from casecenter.ledger.actions import not_a_write, records
from casecenter.ledger.services import record_events

from .. import numbering
from ..documents import index_case
from ..models import AcceptanceRecord, Case, CaseCause, CaseKind, CaseSource

#: The clocks intake starts (公通字〔2015〕32号): the review of the report before the filing decision.
INTAKE_CLOCKS = {
    CaseKind.CRIMINAL: ("criminal-filing-review",),
    CaseKind.ADMINISTRATIVE: ("administrative-acceptance-review",),
}
@dataclass(frozen=True)
class Report:
    """One report to register: what the acceptance record (受案登记表) is made of."""

    kind: str
    cause: CaseCause
    summary: str
    source: str
    received_at: datetime
    unit: Unit
    officers: Sequence = ()
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_address: str = ""
    report_content: str = ""


@not_a_write
def intake_scope(actor) -> Scope:
    """Where ``actor`` may register cases: the scope of their roles that write cases (a reviewer who
    is also an officer registers for the officer's unit, not for every unit the review covers)."""
    return visible_scope(actor, roles=CASE_WRITERS)


def _check_intake(report: Report, *, scope: Scope) -> None:
    kind, cause, unit, officers = report.kind, report.cause, report.unit, list(report.officers)
    if kind not in CaseKind.values:
        raise ValidationFailed(_("Choose criminal or administrative."), field="kind")
    if not isinstance(cause, CaseCause) or not cause.active:
        raise ValidationFailed(_("Choose a case cause from the catalogue."), field="cause")
    if cause.kind != kind:
        raise ValidationFailed(_("{cause} is not a cause of a {kind} case.").format(
            cause=cause.name, kind=CaseKind(kind).label.lower()), field="cause")
    if not (report.summary or "").strip():
        raise ValidationFailed(_("Give a summary of the case."), field="summary")
    check_text(report.summary, field="summary", max_length=5000)
    if report.source not in CaseSource.values:
        raise ValidationFailed(_("Choose how the case came in."), field="source")
    check_time(report.received_at, field="received_at", latest=clock.now() + CLOCK_SKEW)
    for rule_id in INTAKE_CLOCKS[kind]:  # the review clock starts at receipt: its rule must be in force then
        try:
            rules.catalog().resolve(rule_id, report.received_at)
        except rules.RuleError as exc:
            raise ValidationFailed(str(exc), field="received_at") from None
    if unit is None or not scope.contains(unit.path):
        raise ValidationFailed(_("Choose your unit or a unit below it."), field="unit")
    if len(officers) != len({o.pk for o in officers}):
        raise ValidationFailed(_("An officer is named twice."), field="officers")
    needed = 2 if kind == CaseKind.CRIMINAL else 1  # 刑规 art. 202: a criminal case is handled by two
    if len(officers) < needed:
        raise ValidationFailed(_("Name at least {n} handling officers.").format(n=needed), field="officers")
    for officer in officers:
        if not officer.is_active or not officer.has_role(Role.CASE_OFFICER, Role.DEPARTMENT_HEAD) \
                or not officer.unit.path.startswith(unit.path):
            raise ValidationFailed(_("{name} is not a case officer of {unit}.").format(
                name=officer.full_name, unit=unit.name), field="officers")
    for value, field, size in ((report.reporter_name, "reporter_name", 100),
                               (report.reporter_phone, "reporter_phone", 32),
                               (report.reporter_address, "reporter_address", 200),
                               (report.report_content, "report_content", 5000)):
        check_text(value, field=field, max_length=size)


@records("cases.case.received")
@transaction.atomic
def case_intake(*, actor, kind: str, cause: CaseCause, summary: str, source: str, received_at: datetime,
                unit: Unit, officers, reporter_name: str = "", reporter_phone: str = "",
                reporter_address: str = "", report_content: str = "", request=None) -> Case:
    """Register a report: the case with its number, the acceptance record (受案登记表) with the
    reporter's receipt (受案回执, 刑规 170–171), and the review clock of the report started at the
    time it was received."""
    report = Report(kind=kind, cause=cause, summary=summary, source=source, received_at=received_at, unit=unit,
                    officers=list(officers or ()), reporter_name=reporter_name, reporter_phone=reporter_phone,
                    reporter_address=reporter_address, report_content=report_content)
    _check_intake(report, scope=intake_scope(actor))
    return _register(actor, [report], request)[0]


#: The most reports one call registers (a dispatch system's batch); more is refused, not split.
MAX_REPORTS = 100


@records("cases.case.received")
@transaction.atomic
def case_intake_many(*, actor, reports: Sequence[Report], request=None) -> list[Case]:
    """Register several reports at once (a feed from the 110 dispatch system): each checked as
    :func:`case_intake` checks one, then all written with one INSERT per table. All of them or
    none: a refused report names itself in the error's field (``reports.3.cause``)."""
    reports = list(reports)
    if not reports:
        raise ValidationFailed(_("Send at least one report."), field="reports")
    if len(reports) > MAX_REPORTS:
        raise ValidationFailed(_("Send at most {n} reports at once.").format(n=MAX_REPORTS), field="reports")
    scope = intake_scope(actor)
    for n, report in enumerate(reports):
        try:
            _check_intake(report, scope=scope)
        except ValidationFailed as exc:
            raise ValidationFailed(_("Report {n}: {message}").format(n=n + 1, message=exc.message), fields={
                f"reports.{n}.{name}": messages for name, messages in exc.fields.items()}) from None
    return _register(actor, reports, request)


def _register(actor, reports: list[Report], request) -> list[Case]:
    """Write checked reports: cases, their officers, acceptance records, events, review clocks and
    index documents, each table in one statement."""
    numbers = numbering.allocate([numbering.ToNumber(unit_id=r.unit.pk, unit_code=r.unit.code, kind=r.kind,
                                                     received_at=r.received_at) for r in reports])
    cases = Case.objects.bulk_create([
        Case(number=number, kind=r.kind, cause=r.cause, summary=r.summary.strip(), source=r.source,
             received_at=r.received_at, unit=r.unit, created_by=actor)
        for number, r in zip(numbers, reports, strict=True)])
    Case.officers.through.objects.bulk_create(  # new cases: one INSERT, not .set()'s read-then-write
        [Case.officers.through(case_id=case.pk, user_id=o.pk) for case, r in zip(cases, reports, strict=True)
         for o in r.officers])
    AcceptanceRecord.objects.bulk_create([
        AcceptanceRecord(case=case, receipt_number=f"{case.number}-HZ", reporter_name=r.reporter_name,
                         reporter_phone=r.reporter_phone, reporter_address=r.reporter_address,
                         report_content=r.report_content, received_by=actor)
        for case, r in zip(cases, reports, strict=True)])
    record_events([
        {"action": "cases.case.received", "subject": case, "case": case.pk, "unit": r.unit.pk,
         "data": {"number": case.number, "kind": r.kind, "cause": r.cause.code, "source": r.source,
                  "received_at": r.received_at.isoformat(), "officers": sorted(o.pk for o in r.officers)}}
        for case, r in zip(cases, reports, strict=True)], actor=actor, request=request)
    starts = [(case, ClockStart(rule_id=rule_id, subject=case, started_at=r.received_at, unit=r.unit,
                                officers=r.officers, case=case, label=f"{case.number} {r.cause.name}"))
              for case, r in zip(cases, reports, strict=True) for rule_id in INTAKE_CLOCKS[r.kind]]
    deadlines = deadline_start_many(actor=actor, starts=[start for _case, start in starts], request=request)
    for case in cases:
        case.started_deadlines = []
    for (case, _start), deadline in zip(starts, deadlines, strict=True):
        case.started_deadlines.append(deadline)
    for case in cases:
        index_case(case, parties=[])  # a new case has no parties yet
    return cases
