"""Releasing a person after a duty's time ran out (the first interrogation not recorded within 24
hours): the measure ends, and the breach stays on record instead of being cancelled away."""

from __future__ import annotations

import pytest

from casecenter.cases.models import MeasureKind, MeasureStatus, PartyRole
from casecenter.cases.services import cases as case_services
from casecenter.cases.services import measures as services
from casecenter.cases.services import parties as party_services
from casecenter.core import clock
from casecenter.deadlines.models import Deadline, DeadlineState
from casecenter.deadlines.scan import scan
from casecenter.deadlines.services import deadline_meet

pytestmark = pytest.mark.django_db


@pytest.fixture
def detention_of_26_hours(intake, person, personas, ago):
    """A detention executed 26 hours ago: delivered and the family told in time, no interrogation."""
    officer = personas["officer1"]
    case = case_services.case_accept(actor=officer, case=intake(received_at=ago(days=2)), at=ago(hours=40))
    case = case_services.case_file(actor=officer, case=case, decided_by=personas["chief"], decided_at=ago(hours=39))
    party_services.party_add(actor=officer, case=case, person=person, role=PartyRole.SUSPECT)
    detention = services.measure_start(actor=officer, case=case, person=person,
                                       kind=MeasureKind.CRIMINAL_DETENTION, started_at=ago(hours=26),
                                       basis="刑事诉讼法第八十二条", decided_by=personas["chief"])
    for rule_id, hours in (("detention-to-detention-house", 22), ("detention-family-notice", 20)):
        deadline_meet(actor=officer, deadline=Deadline.objects.for_subject(detention).get(rule_id=rule_id),
                      at=ago(hours=hours), note="按时完成")
    return detention


def _states(measure) -> dict[str, tuple[str, bool]]:
    return {d.rule_id: (d.state, d.ended_at is not None) for d in Deadline.objects.for_subject(measure)}


@pytest.mark.parametrize("scanned", [True, False], ids=["after-the-scan-marked-it", "before-any-scan"])
def test_a_release_after_a_duty_ran_out_keeps_the_breach_and_ends_the_rest(detention_of_26_hours, personas,
                                                                           scanned):
    if scanned:
        scan()
    ended = services.measure_end(actor=personas["officer1"], measure=detention_of_26_hours, at=clock.now(),
                                 reason="经审查不需要逮捕，予以释放")
    assert ended.status == MeasureStatus.ENDED
    assert _states(ended) == {
        "detention-to-detention-house": (DeadlineState.MET, True),
        "detention-family-notice": (DeadlineState.MET, True),
        "interrogation-after-detention": (DeadlineState.BREACHED, True),   # ran out: stays a breach
        "arrest-request": (DeadlineState.CANCELLED, True),                  # still in time: no longer owed
    }
