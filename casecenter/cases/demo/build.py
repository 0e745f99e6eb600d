"""The building blocks of the demo cases: a person of the registry, a report, a filed case, a suspect,
a duty done — each through the services, so that every demo record has its ledger events and clocks."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from casecenter.deadlines.models import Deadline
from casecenter.deadlines.services import deadline_meet
from casecenter.people import idnumber
from casecenter.people import services as people
from casecenter.people.models import Person

from ..models import Case, CaseCause, CaseSource, Measure, MeasureKind, PartyRole
from ..services import cases, intake, measures, parties

#: Ends the summary of every demo case: how the demo finds its own cases among the users' ones.
DEMO_MARK = "（演示）"


def person(name: str, sex: str, birth: dt.date, region: str = "110101", seq: str = "123") -> Person:
    """The registry's entry of this ID number, registered first if new."""
    last = int(seq[2]) // 2 * 2 + (1 if sex == "male" else 0)  # the 17th digit: odd for a man, even for a woman
    seq = seq[:2] + str(last)
    first17 = f"{region}{birth:%Y%m%d}{seq}"
    number = first17 + idnumber.check_char(first17)
    existing = Person.objects.filter(id_number=number).first()
    return existing or people.person_create(actor=None, name=name, sex=sex, birth_date=birth, id_number=number)


def report(officer, partner, cause: str, kind: str, summary: str, received_at, source=CaseSource.WALK_IN,
           reporter: str = "") -> Case:
    """A report registered by ``officer`` for their unit, handled by both officers."""
    return intake.case_intake(actor=officer, kind=kind, cause=CaseCause.objects.get(name=cause),
                              summary=summary + DEMO_MARK, source=source, received_at=received_at,
                              unit=officer.unit, officers=[officer, partner] if partner else [officer],
                              reporter_name=reporter, report_content=summary)


def filed(officer, chief, case: Case, at) -> Case:
    """Accepted at ``at``, filed by the chief half an hour later, under investigation an hour after."""
    case = cases.case_accept(actor=officer, case=case, at=at)
    case = cases.case_file(actor=officer, case=case, decided_by=chief, decided_at=at + timedelta(minutes=30))
    return cases.case_start_investigation(actor=officer, case=case, at=at + timedelta(hours=1))


def suspect(officer, case: Case, who: Person) -> None:
    parties.party_add(actor=officer, case=case, person=who, role=PartyRole.SUSPECT, reason="经调查确定")


def done(officer, measure, rule_id: str, at, note: str) -> None:
    """A duty of the measure (delivery, family notice, interrogation) done in time at ``at``."""
    deadline = Deadline.objects.for_subject(measure).get(rule_id=rule_id)
    deadline_meet(actor=officer, deadline=deadline, at=at, note=note)


def detain(officer, chief, case: Case, who: Person, at, duties: dict[str, tuple[float, str]]) -> Measure:
    """A criminal detention the chief decided, executed at ``at``; each duty (rule id → hours after
    ``at``, note) done in time. A duty not named stays owed: its clock runs."""
    detention = measures.measure_start(actor=officer, case=case, person=who, kind=MeasureKind.CRIMINAL_DETENTION,
                                       started_at=at, basis="刑事诉讼法第八十二条", decided_by=chief)
    for rule_id, (hours, note) in duties.items():
        done(officer, detention, rule_id, at + timedelta(hours=hours), note)
    return detention
