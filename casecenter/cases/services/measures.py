"""Coercive measures per suspect (DOMAIN.md §1): each with its start, basis and the clocks its rules
start; ended or converted along ``models.MEASURE_CONVERSIONS``, which meets or cancels its clocks.

Measures that need approval are created pending; until the approvals workflow wires them, the
decision of an authorised head is recorded directly (``decided_by``), which puts the measure in
force and starts its clocks.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casecenter.accounts.roles import Role
from casecenter.core import clock
from casecenter.core.errors import Conflict, ValidationFailed
from casecenter.deadlines.models import Deadline, DeadlineState
from casecenter.deadlines.services import deadline_cancel, deadline_meet, deadline_start
from casecenter.deadlines.subjects import Text
from casecenter.deadlines.verification import CLOCK_SKEW, check_text, check_time
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event
from casecenter.people.models import Person
from casecenter.people.selectors import is_minor

from ..describe import MEASURE_CLOCK_TITLE
from ..models import (
    MEASURE_CASE_KINDS,
    MEASURE_CONVERSIONS,
    MEASURE_TRANSITIONS,
    BailForm,
    Case,
    CaseKind,
    CaseStatus,
    Measure,
    MeasureKind,
    MeasureStatus,
    PartyRole,
)
from ..selectors import check_may_write

K = MeasureKind
MEET, DUTY = "meet", "duty"
# The clocks each measure starts, and how each closes when the measure ends or is converted:
# MEET — the measure's own length, met when it ends; DUTY — an act owed while the person is held
# (delivery, family notice, first interrogation), kept open while the person stays held and
# cancelled at a release; a set of kinds — met by a conversion into one of them, else cancelled.
# 行政拘留 has no clock in the rule catalog yet (its term is the decision's, ≤20 days, 治安法 16).
CLOCKS: dict[str, tuple[tuple[str, object], ...]] = {
    K.COMPELLED_APPEARANCE: (("compelled-appearance", MEET),),
    K.CONTINUED_QUESTIONING: (("continued-questioning", MEET),),
    K.CRIMINAL_DETENTION: (("detention-to-detention-house", DUTY), ("detention-family-notice", DUTY),
                           ("interrogation-after-detention", DUTY), ("arrest-request", frozenset({K.ARREST_REQUEST}))),
    K.ARREST_REQUEST: (("procuratorate-decision-detained", MEET),),
    K.ARREST: (("arrest-family-notice", DUTY), ("interrogation-after-arrest", DUTY), ("investigative-custody", MEET)),
    K.BAIL: (("bail", MEET),),
    K.RESIDENTIAL_SURVEILLANCE: (("residential-surveillance", MEET),),
    K.ADMINISTRATIVE_DETENTION: (),
}
SUMMONS_CLOCK = {CaseKind.CRIMINAL: "criminal-summons", CaseKind.ADMINISTRATIVE: "public-order-questioning"}
#: Measures under which the person is held (the DUTY clocks stay open across a conversion into one).
HOLDING = frozenset({K.CRIMINAL_DETENTION, K.ARREST_REQUEST, K.ARREST, K.ADMINISTRATIVE_DETENTION,
                     K.SUMMONS, K.COMPELLED_APPEARANCE, K.CONTINUED_QUESTIONING})
# Who decides (DOMAIN.md §4): 传唤 and 继续盘问 the department head; the rest the county-level chief.
DEPARTMENT_HEAD_DECIDES = frozenset({K.SUMMONS, K.CONTINUED_QUESTIONING})
#: The least bail deposit in yuan (刑规 art. 87): ¥1000, ¥500 for a minor at the time bail starts.
MIN_DEPOSIT = Decimal("1000")
MIN_DEPOSIT_MINOR = Decimal("500")
MEASURE_CASE_STATUSES = (CaseStatus.ACCEPTED, CaseStatus.FILED, CaseStatus.INVESTIGATING)
#: Summonses that may not be chained (CPL art. 119; for an administrative case, the 询问查证 of
#: 治安法 art. 83, modelled as its summons): a new one waits for the rest interval after the last.
SUMMONSES = frozenset({K.SUMMONS, K.COMPELLED_APPEARANCE})


def _local(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _rest_interval() -> timedelta:
    """The least rest between two summonses of one person (settings, unconfirmed: see settings.py)."""
    return timedelta(hours=settings.CASECENTER["SUMMONS_MIN_INTERVAL_HOURS"])


def _check_not_chained(*, person, kind: str, started_at: datetime, exclude: Measure | None = None) -> None:
    """Refuse a summons or compelled appearance that would chain (CPL art. 119: 不得以连续传唤、拘传的
    形式变相拘禁): one that starts while the person is held under any measure, of any case, or less
    than the rest interval before or after any time they were held (a summons, continued
    questioning, a detention). Compared as time spans, so a summons entered late is checked against
    what came after it too."""
    if kind not in SUMMONSES:
        return
    # Two summonses of one person in two cases at once: the person's row serialises them.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    rest = _rest_interval()
    held = (Measure.objects.filter(person=person, kind__in=HOLDING,
                                   status__in=[MeasureStatus.ACTIVE, MeasureStatus.ENDED])
            .exclude(pk=getattr(exclude, "pk", None))
            .filter(started_at__lt=started_at + rest)
            .exclude(ended_at__isnull=False, ended_at__lte=started_at - rest)
            .order_by("-started_at"))
    conflict = held.first()
    if conflict is None:
        return
    measure, new = conflict.get_kind_display().lower(), MeasureKind(kind).label.lower()
    if conflict.ended_at is None or conflict.started_at <= started_at < conflict.ended_at:
        raise Conflict(_("{name} is already held under a {measure} since {start}: a new {new} would chain "
                         "them (CPL art. 119). It is possible {hours} hours after that measure ends.").format(
            name=person.name, measure=measure, start=_local(conflict.started_at), new=new, hours=_hours(rest)),
            field="person")
    if conflict.started_at <= started_at:
        raise Conflict(_("{name}'s last {measure} ended at {end}: a new {new} is possible from {earliest} "
                         "({hours} hours of rest; CPL art. 119 forbids chained summonses).").format(
            name=person.name, measure=measure, end=_local(conflict.ended_at), new=new,
            earliest=_local(conflict.ended_at + rest), hours=_hours(rest)), field="started_at")
    raise Conflict(_("{name} was held under a {measure} from {start}: a {new} at {at} would end less than "
                     "{hours} hours before it (CPL art. 119 forbids chained summonses).").format(
        name=person.name, measure=measure, start=_local(conflict.started_at), new=new, at=_local(started_at),
        hours=_hours(rest)), field="started_at")


def _hours(interval: timedelta) -> str:
    return f"{interval.total_seconds() / 3600:g}"


def _clocks_of(measure: Measure, case: Case):
    if measure.kind == K.SUMMONS:
        return ((SUMMONS_CLOCK[case.kind], MEET),)
    return CLOCKS.get(measure.kind, ())


def _check_decider(decided_by, case: Case, kind: str) -> None:
    roles = (Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF) if kind in DEPARTMENT_HEAD_DECIDES else (Role.COUNTY_CHIEF,)
    if not decided_by.is_active or not decided_by.has_role(*roles) or decided_by.unit is None \
            or not case.unit.path.startswith(decided_by.unit.path):
        raise ValidationFailed(_("{name} cannot decide a {measure} for {unit}: it needs a {role} of that unit or "
                                 "above.").format(name=decided_by.full_name, measure=MeasureKind(kind).label.lower(),
                                                  unit=case.unit.name, role=str(roles[0].label).lower()),
                               field="decided_by")


def _check_bail(kind: str, bail_form: str, deposit_amount, guarantor_name: str, *, person, at):
    if kind != K.BAIL:
        return None
    if bail_form not in BailForm.values:
        raise ValidationFailed(_("Choose a deposit or a guarantor."), field="bail_form")
    if bail_form == BailForm.DEPOSIT:
        try:
            amount = Decimal(str(deposit_amount))
        except (InvalidOperation, TypeError, ValueError):
            raise ValidationFailed(_("Give the deposit in yuan."), field="deposit_amount") from None
        least = MIN_DEPOSIT_MINOR if is_minor(person, at) else MIN_DEPOSIT
        if amount < least:
            raise ValidationFailed(_("The deposit is at least {min} yuan.").format(min=least),
                                   field="deposit_amount")
        return amount
    if not (guarantor_name or "").strip():
        raise ValidationFailed(_("Name the guarantor."), field="guarantor_name")
    check_text(guarantor_name, field="guarantor_name", max_length=100)
    return None


def _start_clocks(*, actor, measure: Measure, case: Case, request) -> None:
    # Said in the reader's language when shown: "张三丰 刑事拘留", "张三丰 Criminal detention".
    label = Text(MEASURE_CLOCK_TITLE, {"person": measure.person.name, "kind": measure.kind})
    held = measure.kind in HOLDING
    for rule_id, _closing in _clocks_of(measure, case):
        deadline_start(actor=actor, rule_id=rule_id, subject=measure, started_at=measure.started_at, unit=case.unit,
                       officers=list(case.officers.all()), held=held, case=case, person=measure.person,
                       label=label, request=request)


def _close_clocks(*, actor, measure: Measure, case: Case, at: datetime, into: str | None, reason: str,
                  request) -> None:
    """Meet or cancel the measure's open clocks as it ends (``into`` None) or is converted. A clock
    no longer owed is cancelled, unless its time has run out: then it ends late, so that the breach
    stays on record (cancelling would hide it, and a breached clock cannot be cancelled)."""
    closing = dict(_clocks_of(measure, case))
    for deadline in Deadline.objects.for_subject(measure).open():
        how = closing.get(deadline.rule_id, MEET)
        if how == DUTY and into in HOLDING:
            continue  # still owed: the person stays held
        ran_out = deadline.state == DeadlineState.BREACHED or (deadline.due_at is not None and deadline.due_at <= at)
        if how == MEET or ran_out or (isinstance(how, frozenset) and into in how):
            deadline_meet(actor=actor, deadline=deadline, at=max(at, deadline.started_at), note=reason,
                          request=request)
        else:
            deadline_cancel(actor=actor, deadline=deadline, reason=reason, request=request)


def _event(action: str, *, actor, measure: Measure, case: Case, request, **extra) -> None:
    record_event(actor=actor, action=action, subject=measure, case=case.pk, person=measure.person_id,
                 unit=case.unit_id, request=request,
                 data={"kind": measure.kind, "status": measure.status, "started_at": measure.started_at.isoformat(),
                       "basis": measure.basis, "decided_by": measure.decided_by_id, **extra})


def _create(*, actor, case: Case, person, kind: str, started_at: datetime, basis: str, decided_by,
            bail_form: str, deposit_amount, guarantor_name: str, converted_from=None) -> Measure:
    if kind not in MeasureKind.values:
        raise ValidationFailed(_("Choose a coercive measure."), field="kind")
    if case.kind not in MEASURE_CASE_KINDS[kind]:
        raise ValidationFailed(_("A {measure} is not a measure of a {kind} case.").format(
            measure=MeasureKind(kind).label.lower(), kind=case.get_kind_display().lower()), field="kind")
    if case.status not in MEASURE_CASE_STATUSES:
        raise Conflict(_("This case is {status}: no coercive measure can start.").format(
            status=case.get_status_display().lower()), field="case")
    if not case.parties.current().filter(person=person, role=PartyRole.SUSPECT).exists():
        raise ValidationFailed(_("Add this person to the case as a suspect first."), field="person")
    busy = case.measures.filter(person=person, status__in=[MeasureStatus.PENDING, MeasureStatus.ACTIVE])
    if converted_from is not None:
        busy = busy.exclude(pk=converted_from.pk)
    if busy.exists():
        raise Conflict(_("This person is already under a measure in this case: convert or end it."), field="kind")
    if not (basis or "").strip():
        raise ValidationFailed(_("Give the legal basis of the measure."), field="basis")
    check_text(basis, field="basis", max_length=500)
    earliest = converted_from.started_at if converted_from is not None else case.received_at
    check_time(started_at, field="started_at", earliest=earliest, latest=clock.now() + CLOCK_SKEW)
    if converted_from is None:  # a conversion (summons → detention) is no new summons
        _check_not_chained(person=person, kind=kind, started_at=started_at)
    amount = _check_bail(kind, bail_form, deposit_amount, guarantor_name, person=person, at=started_at)
    if decided_by is not None:
        _check_decider(decided_by, case, kind)
    status = MeasureStatus.ACTIVE if decided_by is not None else MeasureStatus.PENDING
    return Measure.objects.create(
        case=case, person=person, kind=kind, status=status, basis=basis.strip(), started_at=started_at,
        decided_by=decided_by, decided_at=clock.now() if decided_by is not None else None,
        converted_from=converted_from, bail_form=bail_form if kind == K.BAIL else "", deposit_amount=amount,
        guarantor_name=(guarantor_name or "").strip() if kind == K.BAIL else "", created_by=actor)


def _locked_case(case: Case, actor) -> Case:
    # Only the case's row (OF self): locking its unit too would queue every write of a station. The
    # unit is read as committed (a unit moved meanwhile is checked at its old place, as READ COMMITTED).
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    check_may_write(actor, case)
    return case


@records("cases.measure.started")
@transaction.atomic
def measure_start(*, actor, case: Case, person, kind: str, started_at: datetime, basis: str, decided_by=None,
                  bail_form: str = "", deposit_amount=None, guarantor_name: str = "", request=None) -> Measure:
    """Start a coercive measure on a suspect of the case. With ``decided_by`` (the authorised
    head's decision) it is in force at once and its clocks run from ``started_at``; without it, it
    waits pending for the approval. One measure per person and case at a time: the next one is a
    conversion."""
    case = _locked_case(case, actor)
    measure = _create(actor=actor, case=case, person=person, kind=kind, started_at=started_at, basis=basis,
                      decided_by=decided_by, bail_form=bail_form, deposit_amount=deposit_amount,
                      guarantor_name=guarantor_name)
    _event("cases.measure.started", actor=actor, measure=measure, case=case, request=request)
    if measure.status == MeasureStatus.ACTIVE:
        _start_clocks(actor=actor, measure=measure, case=case, request=request)
    return measure


def _locked_measure(measure: Measure, actor, to: str) -> tuple[Measure, Case]:
    case = _locked_case(measure.case, actor)
    # The measure's row alone, its person read after the lock: a lock taken through a join loses a
    # row whose person a merge changed meanwhile (PostgreSQL rechecks the join against the old person).
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if (measure.status, to) not in MEASURE_TRANSITIONS:
        raise Conflict(_("This measure is {status}: it cannot become {to}.").format(
            status=measure.get_status_display().lower(), to=MeasureStatus(to).label.lower()), field="status")
    return measure, case


@records("cases.measure.approved")
@transaction.atomic
def measure_approve(*, actor, measure: Measure, decided_by, request=None) -> Measure:
    """Record the authorised head's approval of a pending measure: it comes into force and its
    clocks start at its recorded start time."""
    measure, case = _locked_measure(measure, actor, MeasureStatus.ACTIVE)
    if decided_by is None:
        raise ValidationFailed(_("Name the head who decided."), field="decided_by")
    _check_decider(decided_by, case, measure.kind)
    _check_not_chained(person=measure.person, kind=measure.kind, started_at=measure.started_at, exclude=measure)
    measure.status, measure.decided_by, measure.decided_at = MeasureStatus.ACTIVE, decided_by, clock.now()
    measure.save(update_fields=["status", "decided_by", "decided_at"])
    _event("cases.measure.approved", actor=actor, measure=measure, case=case, request=request)
    _start_clocks(actor=actor, measure=measure, case=case, request=request)
    return measure


@records("cases.measure.refused")
@transaction.atomic
def measure_refuse(*, actor, measure: Measure, decided_by, reason: str, request=None) -> Measure:
    """Record the refusal of a pending measure, with its reason."""
    measure, case = _locked_measure(measure, actor, MeasureStatus.REFUSED)
    if decided_by is None:
        raise ValidationFailed(_("Name the head who decided."), field="decided_by")
    _check_decider(decided_by, case, measure.kind)
    reason = _reason(reason)
    measure.status, measure.decided_by, measure.decided_at = MeasureStatus.REFUSED, decided_by, clock.now()
    measure.end_reason = reason
    measure.save(update_fields=["status", "decided_by", "decided_at", "end_reason"])
    _event("cases.measure.refused", actor=actor, measure=measure, case=case, request=request, reason=reason)
    return measure


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason."), field="reason")
    check_text(reason, field="reason", max_length=500)
    return reason


@records("cases.measure.ended")
@transaction.atomic
def measure_end(*, actor, measure: Measure, at: datetime, reason: str, request=None) -> Measure:
    """End a measure in force (release, expiry, the procuratorate's refusal): its own-length clocks
    are met at ``at``, the duties still owed while held are cancelled with the reason."""
    measure, case = _locked_measure(measure, actor, MeasureStatus.ENDED)
    reason = _reason(reason)
    check_time(at, field="at", earliest=measure.started_at, latest=clock.now() + CLOCK_SKEW)
    measure.status, measure.ended_at, measure.end_reason = MeasureStatus.ENDED, at, reason
    measure.save(update_fields=["status", "ended_at", "end_reason"])
    _event("cases.measure.ended", actor=actor, measure=measure, case=case, request=request, at=at.isoformat(),
           reason=reason)
    _close_clocks(actor=actor, measure=measure, case=case, at=at, into=None, reason=reason, request=request)
    return measure


@records("cases.measure.converted", "cases.measure.started")
@transaction.atomic
def measure_convert(*, actor, measure: Measure, kind: str, at: datetime, basis: str, decided_by,
                    bail_form: str = "", deposit_amount=None, guarantor_name: str = "", request=None) -> Measure:
    """Convert a measure in force into the next one (summons → detention → arrest request → arrest,
    or bail, …) along MEASURE_CONVERSIONS; the new one starts at ``at`` by the decision of
    ``decided_by`` (required: the old one ends only when the new one is decided). Returns the new one."""
    measure, case = _locked_measure(measure, actor, MeasureStatus.CONVERTED)
    if kind not in MEASURE_CONVERSIONS.get(measure.kind, ()):
        raise Conflict(_("A {old} cannot be converted into a {new}.").format(
            old=measure.get_kind_display().lower(),
            new=MeasureKind(kind).label.lower() if kind in MeasureKind.values else kind), field="kind")
    if decided_by is None:
        raise ValidationFailed(_("Name the head who decided the new measure."), field="decided_by")
    new = _create(actor=actor, case=case, person=measure.person, kind=kind, started_at=at, basis=basis,
                  decided_by=decided_by, bail_form=bail_form, deposit_amount=deposit_amount,
                  guarantor_name=guarantor_name, converted_from=measure)
    reason = _("Converted into {measure}").format(measure=new.get_kind_display())
    measure.status, measure.ended_at, measure.end_reason = MeasureStatus.CONVERTED, at, reason
    measure.save(update_fields=["status", "ended_at", "end_reason"])
    _event("cases.measure.converted", actor=actor, measure=measure, case=case, request=request, at=at.isoformat(),
           into=new.kind, new_measure=new.pk)
    _close_clocks(actor=actor, measure=measure, case=case, at=at, into=kind, reason=reason, request=request)
    _event("cases.measure.started", actor=actor, measure=new, case=case, request=request,
           converted_from=measure.pk)
    _start_clocks(actor=actor, measure=new, case=case, request=request)
    return new
