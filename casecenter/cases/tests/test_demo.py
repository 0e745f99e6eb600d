"""The demo's history: every state of the case machine, parties, measures and their clocks. (The
live cases, placed relative to now, are tested in test_demo_live.py.)"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from casecenter.cases import demo
from casecenter.cases.models import Case, CaseStatus, Measure, MeasureKind, MeasureStatus, PartyRole
from casecenter.core import clock
from casecenter.deadlines.models import Deadline, DeadlineState
from casecenter.ledger.models import Event

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 16, 2, 0, tzinfo=UTC)   # 10:00 in Beijing, a Tuesday


def _case(summary: str) -> Case:
    return Case.objects.get(summary=summary + demo.DEMO_MARK)


def _actions(case: Case) -> list[str]:
    return list(Event.objects.filter(case_id=str(case.pk)).order_by("id").values_list("action", flat=True))


def test_the_demo_shows_every_status_running_measures_and_loads_once(personas, catalogue):
    with clock.frozen(NOW):
        demo.load_demo(personas)
        demo.refresh_demo(personas)
        statuses = set(Case.objects.values_list("status", flat=True))
        assert statuses == set(CaseStatus.values)
        running = set(Measure.objects.filter(status=MeasureStatus.ACTIVE).values_list("kind", flat=True))
        assert running == {"summons", "criminal_detention", "arrest", "bail"}
        assert Deadline.objects.filter(state=DeadlineState.RUNNING, rule_id="detention-family-notice").exists()
        assert not Case.objects.filter(received_at__gt=clock.now()).exists()
        count, events = Case.objects.count(), Event.objects.count()
        demo.load_demo(personas)
        demo.refresh_demo(personas)
        assert (Case.objects.count(), Event.objects.count()) == (count, events)


def test_the_transferred_case_was_handed_over_within_its_24_hours(personas, catalogue):
    with clock.frozen(NOW):
        demo.load_demo(personas)
    elsewhere = _case("外地发生的合同纠纷")
    assert elsewhere.status == CaseStatus.TRANSFERRED
    transfer = Deadline.objects.for_subject(elsewhere).get(rule_id="case-transfer")
    assert (transfer.state, transfer.end_note) == (DeadlineState.MET, "西城分局法制大队 刘明 签收")
    assert "cases.case.transfer_delivered" in _actions(elsewhere)


def test_the_robbery_goes_to_prosecution_after_detention_arrest_request_and_arrest(personas, catalogue):
    with clock.frozen(NOW):
        demo.load_demo(personas)
    robbery = _case("夜间持刀在城关路地下通道抢劫行人手机、现金")
    assert robbery.status == CaseStatus.PROSECUTION
    assert robbery.decisions.get(to_status=CaseStatus.PROSECUTION).decided_by == personas["chief"]
    roles = {(p.person.name, p.role) for p in robbery.parties.current().select_related("person")}
    assert roles == {("陈某", PartyRole.SUSPECT), ("马丽", PartyRole.VICTIM)}
    chain = [(m.kind, m.status) for m in robbery.measures.order_by("started_at")]
    assert chain == [(MeasureKind.CRIMINAL_DETENTION, MeasureStatus.CONVERTED),
                     (MeasureKind.ARREST_REQUEST, MeasureStatus.CONVERTED),
                     (MeasureKind.ARREST, MeasureStatus.ENDED)]
    clocks = Deadline.objects.filter(case_id=str(robbery.pk))
    assert not clocks.filter(state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED]).exists()
    assert clocks.filter(rule_id="detention-family-notice", state=DeadlineState.MET).exists()
    assert clocks.filter(rule_id="investigative-custody", state=DeadlineState.MET).exists()
    actions = _actions(robbery)
    assert actions.count("cases.measure.converted") == 2
    assert actions[-1] == "cases.case.prosecution_transferred"


def test_the_withdrawn_case_keeps_no_measure_in_force_and_says_why(personas, catalogue):
    with clock.frozen(NOW):
        demo.load_demo(personas)
    damage = _case("小区地下停车场内多辆汽车被划损")
    assert damage.status == CaseStatus.WITHDRAWN
    assert "刑事诉讼法第一百六十三条" in damage.decisions.get(to_status=CaseStatus.WITHDRAWN).note
    assert damage.parties.current().get().person.name == "吴某"
    kinds = [(m.kind, m.status) for m in damage.measures.order_by("started_at")]
    assert kinds == [(MeasureKind.SUMMONS, MeasureStatus.CONVERTED), (MeasureKind.BAIL, MeasureStatus.ENDED)]
    assert damage.measures.get(kind=MeasureKind.BAIL).guarantor_name == "吴建国"
    assert {"cases.measure.ended", "cases.case.withdrawn"} <= set(_actions(damage))


def test_the_administrative_case_is_decided_after_questioning_that_ended(personas, catalogue):
    with clock.frozen(NOW):
        demo.load_demo(personas)
    shoplifting = _case("超市内盗窃洗发水两瓶，价值八十六元")
    assert shoplifting.status == CaseStatus.DECIDED and shoplifting.kind == "administrative"
    questioning = shoplifting.measures.get()
    assert (questioning.kind, questioning.status, questioning.person.name) == (
        MeasureKind.SUMMONS, MeasureStatus.ENDED, "郑某")
    assert Deadline.objects.for_subject(questioning).get(rule_id="public-order-questioning").state \
        == DeadlineState.MET
    assert _actions(shoplifting)[-1] == "cases.case.decided"


def test_the_case_just_filed_waits_for_its_investigation(personas, catalogue):
    with clock.frozen(NOW):
        demo.load_demo(personas)
    card = _case("嫌疑人持他人遗失的信用卡在商场刷卡消费一万二千元")
    assert card.status == CaseStatus.FILED
    assert [d.to_status for d in card.decisions.all()] == [CaseStatus.ACCEPTED, CaseStatus.FILED]


def test_the_demo_stations_number_their_cases_with_their_organ_codes(personas, catalogue):
    with clock.frozen(NOW):
        demo.load_demo(personas)
        demo.refresh_demo(personas)
    for case in Case.objects.select_related("unit"):
        assert case.number.startswith(f"A{demo.ORGAN_CODES[case.unit.code]}2026"), case.number
    assert len(Case.objects.filter(unit__code="EAST-STATION1").first().number) == 23
