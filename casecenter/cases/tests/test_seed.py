"""``casecenter seed --scale small``: the counts, valid ID numbers, statuses that agree with their
history, numbers that follow the units' pattern, and a second run refused without --force.

The seed places a year of cases before *now*: every test freezes the clock, at the instant where
the local (Asia/Shanghai) and UTC years differ, and at others, so that no result depends on the day
the suite runs."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from casecenter.accounts.models import User
from casecenter.accounts.roles import Role
from casecenter.cases import seed as seeding
from casecenter.cases.models import (
    CASE_TRANSITIONS,
    Case,
    CaseDecision,
    CaseSequence,
    CaseStatus,
    Measure,
    MeasureStatus,
    Party,
    PartyRole,
)
from casecenter.cases.numbering import format_number
from casecenter.cases.services import intake
from casecenter.core import clock
from casecenter.deadlines.models import Deadline
from casecenter.ledger.models import Event
from casecenter.people import idnumber
from casecenter.people.models import Person

pytestmark = pytest.mark.django_db(transaction=False)


#: 2027-01-01 00:30 in Beijing, still 2026 in UTC: a case received now is numbered in 2027.
NEW_YEAR_IN_BEIJING = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)


@pytest.fixture
def seeded_small():
    events = Event.objects.count()
    deadlines = Deadline.objects.count()
    out, err = StringIO(), StringIO()
    with clock.frozen(NEW_YEAR_IN_BEIJING):
        call_command("seed", "--scale", "small", "--seed", "7", stdout=out, stderr=err)
    return {"out": out.getvalue(), "events": events, "deadlines": deadlines}


def test_the_small_scale_writes_the_expected_counts(seeded_small):
    scale = seeding.SCALES["small"]
    cases = Case.objects.filter(unit__code__startswith=seeding.MARK)
    assert cases.count() == scale.cases
    assert Person.objects.count() >= scale.persons
    assert cases.values("unit").distinct().count() == scale.districts * scale.stations
    parties = Counter(Party.objects.filter(case__in=cases).values_list("case", flat=True))
    assert len(parties) == scale.cases and set(parties.values()) <= {1, 2, 3}
    kinds = Counter(Measure.objects.filter(case__in=cases).values_list("kind", flat=True))
    assert kinds.most_common(1)[0][0] == "summons"
    assert "Seeded in" in seeded_small["out"]


def test_seeded_persons_have_valid_id_numbers_and_pinyin(seeded_small):
    for person in Person.objects.exclude(id_number=None).iterator():
        parsed = idnumber.parse(person.id_number)
        assert parsed.birth_date == person.birth_date and parsed.sex == person.sex
        assert person.name_pinyin


def test_statuses_agree_with_their_history_and_numbers_with_the_sequences(seeded_small):
    cases = Case.objects.filter(unit__code__startswith=seeding.MARK).select_related("unit__case_number_pattern")
    history = defaultdict(list)
    for decision in CaseDecision.objects.filter(case__in=cases).order_by("decided_at", "id"):
        history[decision.case_id].append(decision)
    statuses = Counter()
    for case in cases:
        current = CaseStatus.RECEIVED
        for decision in history[case.pk]:
            assert decision.from_status == current and (current, decision.to_status) in CASE_TRANSITIONS
            current = decision.to_status
        assert current == case.status
        statuses[case.status] += 1
        pattern = case.unit.case_number_pattern
        assert case.number.startswith(f"A{pattern.prefix}{timezone.localtime(case.received_at).year}")
    closed = statuses[CaseStatus.ARCHIVED] + statuses[CaseStatus.DECIDED] + statuses[CaseStatus.PROSECUTION]
    assert closed > len(cases) / 2
    assert 0 < statuses[CaseStatus.INVESTIGATING] < len(cases) / 3
    for sequence in CaseSequence.objects.filter(unit__code__startswith=seeding.MARK):
        # ``__year`` is the local year (the time zone of the installation), as the numbers are.
        assert sequence.last == cases.filter(unit=sequence.unit, received_at__year=sequence.year).count()
    # Measures run only on open cases; suspects only.
    for measure in Measure.objects.filter(case__in=cases).select_related("case"):
        assert Party.objects.filter(case=measure.case, person=measure.person, role=PartyRole.SUSPECT).exists()
        if measure.status == MeasureStatus.ACTIVE:
            assert measure.case.status in (CaseStatus.INVESTIGATING, CaseStatus.FILED)


def test_no_ledger_events_or_clocks_for_seeded_rows_but_the_rows_are_searchable(seeded_small):
    from casecenter.search.models import Document

    assert not Event.objects.filter(action__startswith="cases.").exists()
    assert Deadline.objects.count() == seeded_small["deadlines"]
    assert Document.objects.filter(kind="cases.case").count() == seeding.SCALES["small"].cases


def test_a_second_run_is_refused_without_force(seeded_small):
    with pytest.raises(CommandError, match="--force"):
        call_command("seed", "--scale", "small", stdout=StringIO(), stderr=StringIO())
    before = Case.objects.count()
    call_command("seed", "--scale", "small", "--force", "--no-index", stdout=StringIO(), stderr=StringIO())
    assert Case.objects.count() == before + seeding.SCALES["small"].cases
    assert Case.objects.values("number").distinct().count() == Case.objects.count()


def test_reports_come_in_the_local_afternoon_and_evening_more_than_at_night(seeded_small):
    hours = Counter(timezone.localtime(t).hour for t in Case.objects.filter(
        unit__code__startswith=seeding.MARK).values_list("received_at", flat=True))
    night = sum(hours[h] for h in range(7))
    assert night < 0.15 * sum(hours.values())     # weights 1 at night against 3 and 5 by day
    assert hours[18] > hours[3]


SUMMARY_TIME = re.compile(r"^(\d+)月(\d+)日(\d+)时许")


@pytest.mark.parametrize("instant", [
    NEW_YEAR_IN_BEIJING,
    datetime(2026, 12, 31, 15, 59, tzinfo=UTC),   # 23:59 in Beijing: still 2026 there
    datetime(2027, 1, 1, 0, 30, tzinfo=UTC),      # 08:30 in Beijing
    datetime(2026, 6, 15, 4, 0, tzinfo=UTC),
    datetime(2028, 2, 29, 17, 0, tzinfo=UTC),     # 1 March in Beijing, a leap year
], ids=lambda t: t.strftime("%Y-%m-%dT%H:%MZ"))
def test_seed_and_intake_number_cases_alike_at_any_instant(instant, theft):
    """The seed numbers its cases as intake does (one counter per unit and local year), writes local
    times into its summaries, and an intake afterwards continues the same counter."""
    tiny = seeding.Scale(cases=80, persons=120, districts=1, stations=2, officers=2)
    with clock.frozen(instant):
        seeding.seed(scale=tiny, seed=11, index=False)
        cases = list(Case.objects.filter(unit__code__startswith=seeding.MARK).select_related(
            "unit__case_number_pattern").order_by("received_at", "id"))
        per_year = Counter()
        for case in cases:
            local = timezone.localtime(case.received_at)
            pattern = case.unit.case_number_pattern
            per_year[case.unit_id, local.year] += 1
            assert case.number == format_number(pattern=pattern.pattern, prefix=pattern.prefix, kind=case.kind,
                                                year=local.year, seq=per_year[case.unit_id, local.year])
            month, day, hour = map(int, SUMMARY_TIME.match(case.summary).groups())
            assert (month, day, hour) == (local.month, local.day, local.hour)
        assert {(s.unit_id, s.year): s.last for s in CaseSequence.objects.filter(
            unit__code__startswith=seeding.MARK)} == dict(per_year)

        station = cases[-1].unit
        officers = User.load_roles(User.objects.filter(unit=station, role_grants__role=Role.CASE_OFFICER))
        case = intake.case_intake(actor=officers[0], kind=theft.kind, cause=theft, summary="报案人称手机被盗",
                                  source="walk_in", received_at=instant, unit=station, officers=officers[:2])
    year = timezone.localtime(instant).year
    pattern = station.case_number_pattern
    assert case.number == format_number(pattern=pattern.pattern, prefix=pattern.prefix, kind=case.kind, year=year,
                                        seq=per_year[station.pk, year] + 1)


def test_cases_received_just_after_local_midnight_on_new_years_eve_are_numbered_in_the_new_year(
        monkeypatch, catalogue):
    """Reports received in the hour around Beijing's midnight (15:30–16:29 UTC): those after it are
    cases of 2027 although UTC still says 2026."""
    monkeypatch.setattr(seeding, "_received_at",
                        lambda rng, start, days: NEW_YEAR_IN_BEIJING - timedelta(minutes=rng.randrange(1, 60)))
    with clock.frozen(NEW_YEAR_IN_BEIJING):
        seeding.seed(scale=seeding.Scale(cases=40, persons=60, districts=1, stations=1, officers=2), seed=3,
                     index=False)
    cases = Case.objects.filter(unit__code__startswith=seeding.MARK)
    years = Counter(case.number[13:17] for case in cases)   # "A" + 12-digit organ code + year
    local_new_year = datetime(2027, 1, 1, tzinfo=timezone.get_current_timezone())
    assert years == {"2026": cases.filter(received_at__lt=local_new_year).count(),
                     "2027": cases.filter(received_at__gte=local_new_year).count()}
    assert years["2026"] and years["2027"]
    assert sorted(CaseSequence.objects.filter(unit__code__startswith=seeding.MARK).values_list("year", "last")) == [
        (2026, years["2026"]), (2027, years["2027"])]
