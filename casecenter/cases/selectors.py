"""Reads of the cases app. ``get_case_for_user`` decides access to one case (DESIGN.md §6): a case
belongs to its owning unit and is seen from that unit and the units above it (``visible_units``);
it is changed by its handling officers and by the heads and chiefs above its unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casecenter.accounts.models import User
from casecenter.accounts.roles import Role
from casecenter.core.errors import Forbidden, NotFound
from casecenter.deadlines.models import Deadline
from casecenter.ledger.models import Event

from .models import Case, CaseStatus, Measure, MeasureStatus, Party

HEADS = (Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF)


def may_write(user, case: Case) -> bool:
    """May ``user`` change ``case``? Its officers; heads and chiefs of its unit or a unit above."""
    if user is None or not getattr(user, "pk", None) or not user.is_active:
        return False
    if case.officers.filter(pk=user.pk).exists():
        return True
    return user.has_role(*HEADS) and user.unit is not None and case.unit.path.startswith(user.unit.path)


def check_may_write(user, case: Case) -> None:
    if not may_write(user, case):
        raise Forbidden(_("Only the handling officers of this case and the heads above its unit may change it."))


def case_queryset(user) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related("cause", "unit")


def get_case_for_user(user, pk, *, write: bool = False) -> Case:
    """The case ``pk`` if ``user`` may see it (else NotFound: its existence is not disclosed)."""
    try:
        case = case_queryset(user).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such case.")) from None
    if write:
        check_may_write(user, case)
    return case


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def case_list(*, user, status: str = "", kind: str = "", cause=None, unit=None, officer=None,
              received_from=None, received_to=None, number: str = "") -> QuerySet[Case]:
    """The cases ``user`` sees, filtered; officers prefetched (no query per row) with only what a
    list shows of them (an account's other columns cost their conversion on every row)."""
    officers = User.objects.only("id", "username", "full_name")
    cases = case_queryset(user).prefetch_related(Prefetch("officers", queryset=officers))
    if status:
        cases = cases.filter(status=status)
    if kind:
        cases = cases.filter(kind=kind)
    if cause:
        cases = cases.filter(cause=cause)
    if unit:
        cases = cases.filter(unit=unit)
    if officer:
        cases = cases.filter(officers=officer)
    # Local days as a time range (an indexable comparison, where received_at__date is a function of
    # every row): from the start of ``received_from`` to the end of ``received_to``, Asia/Shanghai.
    if received_from:
        cases = cases.filter(received_at__gte=_local_midnight(received_from))
    if received_to:
        cases = cases.filter(received_at__lt=_local_midnight(received_to + timedelta(days=1)))
    if number:
        cases = cases.filter(number__icontains=number.strip())
    return cases.distinct() if officer else cases


def case_parties(case: Case, *, include_removed: bool = False) -> QuerySet[Party]:
    parties = case.parties.select_related("person")
    return parties if include_removed else parties.current()


def case_measures(case: Case, *, clocks: list[Deadline] | None = None) -> list[Measure]:
    """The case's measures, each with ``deadlines`` (its clocks); ``clocks``: the case's clocks
    (``case_deadlines``) when the caller has them already."""
    measures = list(case.measures.select_related("person", "decided_by"))
    if clocks is None:
        clocks = case_deadlines(case)
    successors = {m.converted_from_id: m for m in measures if m.converted_from_id}
    for measure in measures:
        measure.deadlines = [d for d in clocks if d.subject_type.model == "measure" and d.subject_id == str(measure.pk)]
        measure.end_text = _end_text(measure, successors.get(measure.pk))
    return measures


def _end_text(measure: Measure, successor: Measure | None) -> str:
    """Why the measure ended, in the reader's language: a conversion is said from the measure it
    became (the stored reason is in the language of whoever recorded it); a reason an officer wrote
    stays as written."""
    if measure.status == MeasureStatus.CONVERTED and successor is not None:
        return _("Converted into {measure}").format(measure=successor.get_kind_display())
    return measure.end_reason


def case_deadlines(case: Case) -> list[Deadline]:
    """Every clock of the case (on the case itself and on its measures)."""
    return list(Deadline.objects.filter(case_id=str(case.pk)).select_related("subject_type")
                .order_by("started_at", "id"))


@dataclass
class CaseDetail:
    """What the case's detail output shows besides its own fields."""

    officers: list
    parties: list
    measures: list
    deadlines: list


def case_detail(case: Case) -> CaseDetail:
    """Officers, parties (removed ones too), measures and clocks of ``case``: five queries."""
    deadlines = case_deadlines(case)
    return CaseDetail(officers=list(case.officers.all()), parties=list(case_parties(case, include_removed=True)),
                      measures=case_measures(case, clocks=deadlines), deadlines=deadlines)


def case_events(case: Case, *, limit: int = 200) -> list[dict]:
    """The case's own events from the ledger, each with its sentence, the time it happened (``at``:
    a measure's start, a decision's time) and the time it was recorded (``recorded_at``; ``late``
    when that was a minute or more later): the case page's timeline, latest happening first. (The
    ledger's timeline page is the audit administrator's alone; this shows the case's record to those
    who read the case.)"""
    from casecenter.ledger.describe import describe, occurred_at

    rows = []
    for e in Event.objects.filter(case_id=str(case.pk)).order_by("-id")[:limit]:
        at = occurred_at(e) or e.recorded_at
        rows.append({"at": at, "recorded_at": e.recorded_at, "late": e.recorded_at - at >= timedelta(minutes=1),
                     "action": e.action, "text": describe(e), "id": e.pk})
    rows.sort(key=lambda row: (row["at"], row["id"]), reverse=True)
    return rows


def person_cases(*, user, person_id) -> list[Party]:
    """The parties of ``person_id`` in the cases ``user`` sees, each with its case and its measures in
    that case (``party.person_measures``): the panel of the person dossier. Three queries."""
    parties = list(Party.objects.filter(person_id=person_id, case__in=Case.objects.visible_to(user))
                   .select_related("case__cause").order_by("-case__received_at", "id"))
    measures = Measure.objects.filter(person_id=person_id, case_id__in={p.case_id for p in parties})
    by_case: dict[int, list[Measure]] = {}
    for measure in measures:
        by_case.setdefault(measure.case_id, []).append(measure)
    for party in parties:
        party.person_measures = by_case.get(party.case_id, []) if party.role == "suspect" else []
    return parties


# --- the home page's panels ------------------------------------------------------------------------

#: Statuses of cases still being worked on (the others are decided, sent away or archived).
WORKING_STATUSES = (CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.FILED, CaseStatus.INVESTIGATING)


def status_counts(cases: QuerySet[Case]) -> dict[str, int]:
    """How many of ``cases`` are in each status (statuses with none left out): one grouped query."""
    return dict(cases.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def awaiting_filing_decision(user) -> QuerySet[Case]:
    """The accepted cases ``user`` sees that wait for the filing decision (立案 / 不予立案 / 移送),
    the longest waiting first: the chief's decisions, prepared by the head and the legal review."""
    return case_queryset(user).filter(status=CaseStatus.ACCEPTED).order_by("received_at", "id")


def review_clocks(cases) -> dict[int, Deadline]:
    """The open review clock of each case (``criminal-filing-review`` or the administrative
    acceptance review): when its decision is due. One query."""
    from .services.intake import INTAKE_CLOCKS  # the services read this module: imported when called

    ids = [str(case.pk) for case in cases]
    review_rules = [rule for rules in INTAKE_CLOCKS.values() for rule in rules]
    clocks = (Deadline.objects.open().filter(case_id__in=ids, rule_id__in=review_rules)
              .order_by("due_at").only("id", "case_id", "due_at", "state", "rule_id"))
    out: dict[int, Deadline] = {}
    for clock_ in clocks:
        out.setdefault(int(clock_.case_id), clock_)
    return out
