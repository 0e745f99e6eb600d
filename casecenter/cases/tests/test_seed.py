"""``casecenter seed --scale small``: the counts, valid ID numbers, statuses that agree with their
history, numbers that follow the units' pattern, and a second run refused without --force."""

from __future__ import annotations

from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

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
from casecenter.deadlines.models import Deadline
from casecenter.ledger.models import Event
from casecenter.people import idnumber
from casecenter.people.models import Person

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def seeded_small():
    events = Event.objects.count()
    deadlines = Deadline.objects.count()
    out, err = StringIO(), StringIO()
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
        assert case.number.startswith(case.unit.case_number_pattern.prefix + ("X" if case.kind == "criminal" else "Z"))
    closed = statuses[CaseStatus.ARCHIVED] + statuses[CaseStatus.DECIDED] + statuses[CaseStatus.PROSECUTION]
    assert closed > len(cases) / 2
    assert 0 < statuses[CaseStatus.INVESTIGATING] < len(cases) / 3
    for sequence in CaseSequence.objects.filter(unit__code__startswith=seeding.MARK):
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
