"""The live demo: clocks placed relative to now, so that on any day the worker's first scan gives
officer1 a breach and warnings, supervision the breach, the chief a decision to take; a refresh ends
the earlier set through the services, on record, and rewrites nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from casecenter.accounts.models import User
from casecenter.cases import demo
from casecenter.cases.demo import live
from casecenter.cases.models import Case, CaseStatus, Measure, MeasureStatus
from casecenter.core import clock
from casecenter.deadlines.models import AlertLevel, AlertRecipient, AlertState, Deadline, DeadlineState
from casecenter.deadlines.scan import scan
from casecenter.jobs.schedule import discover, run_due
from casecenter.ledger.models import Event

pytestmark = pytest.mark.django_db

INSTANTS = [
    pytest.param(datetime(2026, 3, 10, 2, 0, tzinfo=UTC), id="a-tuesday-morning"),
    pytest.param(datetime(2026, 10, 3, 4, 0, tzinfo=UTC), id="in-the-national-day-holidays"),
    pytest.param(datetime(2026, 12, 31, 16, 30, tzinfo=UTC), id="half-past-midnight-on-new-years-day-in-beijing"),
]


def _alerts(username: str) -> set[tuple[str, str]]:
    return set(AlertRecipient.objects.filter(user__username=username).values_list(
        "alert__level", "alert__deadline__rule_id"))


def _assert_every_persona_has_work(at: datetime) -> None:
    """officer1: running clocks, one due today, warnings and a breach; supervision: the breach; the
    chief: the warning of an arrest request only the chief may extend; outsider's station (another
    district): a warning."""
    mine = _alerts("officer1")
    assert (AlertLevel.BREACH, "interrogation-after-detention") in mine
    assert {(AlertLevel.WARNING, "criminal-summons"), (AlertLevel.WARNING, "investigative-custody")} <= mine
    officer1 = User.objects.get(username="officer1")
    running = Deadline.objects.filter(officers=officer1, state=DeadlineState.RUNNING)
    assert running.count() >= 6
    assert running.filter(due_at__lte=at + timedelta(hours=24)).exists()   # due today
    assert running.filter(rule_id="criminal-summons", due_at__gt=at).exists()   # warned, not yet run out
    assert (AlertLevel.BREACH, "interrogation-after-detention") in _alerts("supervisor")
    assert (AlertLevel.WARNING, "arrest-request") in _alerts("chief")
    assert (AlertLevel.WARNING, "administrative-acceptance-review") in _alerts("outsider")


@pytest.mark.parametrize("at", INSTANTS)
def test_after_the_first_periodic_run_officer1_has_a_delivered_breach_and_warnings(at, catalogue):
    with clock.frozen(at):
        call_command("demo", stdout=StringIO())
        discover()
        assert "deadlines.scan" in run_due()     # what the worker does each minute
        _assert_every_persona_has_work(at)


@pytest.mark.django_db(transaction=True)
def test_the_worker_once_right_after_the_demo_delivers_the_breach_to_officer1(catalogue):
    at = INSTANTS[0].values[0]
    with clock.frozen(at):
        call_command("demo", stdout=StringIO())
        call_command("worker", "--once")
        _assert_every_persona_has_work(at)


def test_the_chief_reviewer_and_supervisor_find_cases_of_their_scope(catalogue):
    with clock.frozen(INSTANTS[0].values[0]):
        call_command("demo", stdout=StringIO())
    chief, reviewer, supervisor = (User.objects.select_related("unit").get(username=name)
                                   for name in ("chief", "reviewer", "supervisor"))
    waiting = Case.objects.filter(status=CaseStatus.ACCEPTED, unit__path__startswith=chief.unit.path)
    assert waiting.exists()   # accepted: waits for the chief's filing decision
    east = reviewer.unit.parent   # 东城 bureau, served by its legal department
    assert Case.objects.filter(unit__path__startswith=east.path).count() >= 10
    city = supervisor.unit.parent
    assert set(Case.objects.filter(unit__path__startswith=city.path).values_list("unit__code", flat=True)) == {
        "EAST-STATION1", "WEST-STATION1"}


def test_starting_twice_keeps_the_set_and_a_day_later_replaces_it_on_record(personas, catalogue):
    start = datetime(2026, 5, 12, 1, 0, tzinfo=UTC)
    with clock.frozen(start) as moment:
        demo.load_demo(personas)
        assert live.refresh_live(personas).number == 1
        scan()
        first_set = set(Case.objects.values_list("pk", flat=True))
        first_people = set(Measure.objects.values_list("person_id", flat=True))
        moment.advance(hours=2)
        kept = live.refresh_live(personas)
        assert (kept.placed, kept.number, kept.age) == (False, 1, timedelta(hours=2))
        assert set(Case.objects.values_list("pk", flat=True)) == first_set
        recorded = list(Event.objects.order_by("id").values_list("id", "uid", "body"))
        moment.advance(hours=11)
        replaced = live.refresh_live(personas)
    assert (replaced.placed, replaced.number) == (True, 2)
    old = Case.objects.filter(pk__in=first_set)
    # What was recorded stays as it was; the ending of the first set is appended.
    assert list(Event.objects.filter(id__lte=recorded[-1][0]).order_by("id").values_list("id", "uid", "body")) \
        == recorded
    assert not Measure.objects.filter(case__in=old, status=MeasureStatus.ACTIVE).exists()
    assert set(Measure.objects.filter(case__in=old, status=MeasureStatus.ENDED, end_reason=live.REFRESH_REASON)
               .values_list("kind", flat=True)) == {"summons", "criminal_detention", "arrest", "bail"}
    old_clocks = Deadline.objects.filter(case_id__in=[str(pk) for pk in first_set])
    assert not old_clocks.open().exists()
    # The clocks that had run out stay breached; the rest were ended with the refresh's reason.
    breached = set(old_clocks.filter(state=DeadlineState.BREACHED).values_list("rule_id", flat=True))
    assert breached == {"interrogation-after-detention", "criminal-summons", "administrative-acceptance-review",
                        "detention-family-notice"}
    assert not AlertRecipient.objects.filter(alert__deadline__in=old_clocks).exclude(
        alert__state=AlertState.RESOLVED).exists()
    new_people = set(Measure.objects.exclude(case__in=old).values_list("person_id", flat=True))
    assert new_people and not new_people & first_people   # nobody is held twice at once
    assert Deadline.objects.exclude(case_id__in=[str(pk) for pk in first_set]).filter(
        state=DeadlineState.RUNNING).count() >= 9


def test_a_forced_refresh_places_a_new_set_at_once_and_says_so(personas, catalogue):
    with clock.frozen(datetime(2026, 7, 1, 6, 0, tzinfo=UTC)) as moment:
        demo.load_demo(personas)
        assert "1" in demo.refresh_demo(personas)
        moment.advance(minutes=5)
        assert live.refresh_live(personas, force=True).number == 2
        assert Case.objects.filter(summary=live.ANCHOR).count() == 2
