"""The demo cases: every state of the case machine, parties and running measures with their clocks."""

from __future__ import annotations

import pytest

from casecenter.cases import demo
from casecenter.cases.models import Case, CaseStatus, Measure, MeasureStatus
from casecenter.deadlines.models import Deadline, DeadlineState

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_living_centre_and_loads_once(personas, catalogue):
    demo.load_demo(personas)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.INVESTIGATING, CaseStatus.ARCHIVED,
            CaseStatus.NOT_FILED, CaseStatus.TRANSFERRED} <= statuses
    running = set(Measure.objects.filter(status=MeasureStatus.ACTIVE).values_list("kind", flat=True))
    assert {"summons", "criminal_detention", "bail"} <= running
    assert Deadline.objects.filter(state=DeadlineState.RUNNING, rule_id="detention-family-notice").exists()
    count = Case.objects.count()
    demo.load_demo(personas)
    assert Case.objects.count() == count
