"""Demo cases for the demonstration installation: reports and cases of 城关派出所 in every state
of ``CaseStatus``, with their parties, running and finished measures, all written through the
services (so each has its ledger events and its clocks). Idempotent: nothing is added once the
demo cases exist."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from casecenter.core import clock
from casecenter.deadlines.models import Deadline
from casecenter.deadlines.services import deadline_meet
from casecenter.people import idnumber
from casecenter.people import services as people
from casecenter.people.models import Person

from .models import Case, CaseCause, CaseKind, CaseSource, MeasureKind, PartyRole
from .services import cases, intake, measures, parties

DEMO_MARK = "（演示）"


def _person(name: str, sex: str, birth: dt.date, region: str = "110101", seq: str = "123") -> Person:
    last = int(seq[2]) // 2 * 2 + (1 if sex == "male" else 0)  # the 17th digit: odd for a man, even for a woman
    seq = seq[:2] + str(last)
    first17 = f"{region}{birth:%Y%m%d}{seq}"
    number = first17 + idnumber.check_char(first17)
    existing = Person.objects.filter(id_number=number).first()
    return existing or people.person_create(actor=None, name=name, sex=sex, birth_date=birth, id_number=number)


def _intake(officer, users, cause: str, kind: str, summary: str, received_at, source=CaseSource.WALK_IN,
            reporter: str = "") -> Case:
    return intake.case_intake(actor=officer, kind=kind, cause=CaseCause.objects.get(name=cause),
                             summary=summary + DEMO_MARK, source=source, received_at=received_at,
                             unit=officer.unit, officers=[officer, users["officer2"]], reporter_name=reporter,
                             report_content=summary)


def _filed(officer, chief, case: Case, at) -> Case:
    case = cases.case_accept(actor=officer, case=case, at=at)
    case = cases.case_file(actor=officer, case=case, decided_by=chief, decided_at=at + timedelta(minutes=30))
    return cases.case_start_investigation(actor=officer, case=case, at=at + timedelta(hours=1))


def _suspect(officer, case: Case, person: Person) -> None:
    parties.party_add(actor=officer, case=case, person=person, role=PartyRole.SUSPECT, reason="经调查确定")


def _done(officer, measure, rule_id: str, at, note: str) -> None:
    """A duty of the measure (delivery, family notice, interrogation) done in time at ``at``."""
    deadline = Deadline.objects.for_subject(measure).get(rule_id=rule_id)
    deadline_meet(actor=officer, deadline=deadline, at=at, note=note)


def load_demo(users) -> None:
    officer, head, chief = users["officer1"], users["head"], users["chief"]
    if Case.objects.filter(summary__endswith=DEMO_MARK).exists():
        return
    now = clock.now()
    crim, admin = CaseKind.CRIMINAL, CaseKind.ADMINISTRATIVE

    # A report just registered, and one accepted and waiting for the filing decision.
    _intake(officer, users, "盗窃罪", crim, "报案人称其停放在小区门口的电动自行车被盗", now - timedelta(hours=2),
            reporter="赵丽")
    waiting = _intake(officer, users, "诈骗罪", crim, "报案人称被冒充客服骗走人民币三万元", now - timedelta(days=1),
                      source=CaseSource.CALL_110, reporter="孙强")
    cases.case_accept(actor=officer, case=waiting, at=now - timedelta(hours=20))

    # Under investigation: a suspect summoned three hours ago (the 12 h countdown runs).
    theft = _filed(officer, chief, _intake(officer, users, "盗窃罪", crim, "超市货架商品多次被盗",
                                           now - timedelta(days=3)), now - timedelta(days=3) + timedelta(hours=1))
    li = _person("李某", "male", dt.date(1990, 3, 7))
    _suspect(officer, theft, li)
    measures.measure_start(actor=officer, case=theft, person=li, kind=MeasureKind.SUMMONS,
                           started_at=now - timedelta(hours=3), basis="刑事诉讼法第一百一十九条", decided_by=head)

    # A suspect detained twenty hours ago: delivery, family notice and first interrogation near their end.
    assault = _filed(officer, chief, _intake(officer, users, "故意伤害罪", crim, "酒后纠纷致一人轻伤",
                                             now - timedelta(days=2)), now - timedelta(days=2) + timedelta(hours=1))
    wang = _person("王某", "male", dt.date(1985, 11, 20), region="110105", seq="456")
    _suspect(officer, assault, wang)
    measures.measure_start(actor=officer, case=assault, person=wang, kind=MeasureKind.CRIMINAL_DETENTION,
                           started_at=now - timedelta(hours=20), basis="刑事诉讼法第八十二条", decided_by=chief)

    # On bail: the twelve-month clock.
    fraud = _filed(officer, chief, _intake(officer, users, "诈骗罪", crim, "网络刷单诈骗多名被害人",
                                           now - timedelta(days=40)), now - timedelta(days=40) + timedelta(hours=2))
    zhou = _person("周某", "female", dt.date(1995, 6, 1), region="110102", seq="318")
    _suspect(officer, fraud, zhou)
    measures.measure_start(actor=officer, case=fraud, person=zhou, kind=MeasureKind.BAIL,
                           started_at=now - timedelta(days=30), basis="刑事诉讼法第六十七条", decided_by=chief,
                           bail_form="deposit", deposit_amount=5000)

    # An administrative case decided and archived; a report not filed; one sent to the competent organ.
    brawl = _filed(officer, chief, _intake(officer, users, "殴打他人", admin, "邻里纠纷互殴",
                                           now - timedelta(days=20)), now - timedelta(days=20) + timedelta(hours=1))
    brawl = cases.case_decide(actor=officer, case=brawl, decided_by=chief, decided_at=now - timedelta(days=10))
    cases.case_archive(actor=officer, case=brawl, at=now - timedelta(days=9))
    refused = _intake(officer, users, "盗窃罪", crim, "报案人称钱包遗失，经查系本人遗落", now - timedelta(days=6))
    refused = cases.case_accept(actor=officer, case=refused, at=now - timedelta(days=6) + timedelta(hours=1))
    cases.case_refuse_filing(actor=officer, case=refused, decided_by=chief, decided_at=now - timedelta(days=5),
                             reason="没有犯罪事实")
    elsewhere = _intake(officer, users, "诈骗罪", crim, "外地发生的合同纠纷", now - timedelta(days=4))
    elsewhere = cases.case_accept(actor=officer, case=elsewhere, at=now - timedelta(days=4) + timedelta(hours=1))
    cases.case_transfer(actor=officer, case=elsewhere, decided_by=chief, decided_at=now - timedelta(days=3),
                        receiving_organ="示范市西城区公安分局", reason="不属于本单位管辖")

    # A case just filed, and one for each way an investigation ends; their measures ended first.
    _just_filed(officer, users, now)
    _prosecuted(officer, users, now)
    _withdrawn(officer, users, now)
    _decided(officer, users, now)


def _just_filed(officer, users, now) -> None:
    """Filed by the chief six hours ago; the investigation has not started yet."""
    chief, crim = users["chief"], CaseKind.CRIMINAL
    card = _intake(officer, users, "信用卡诈骗罪", crim, "嫌疑人持他人遗失的信用卡在商场刷卡消费一万二千元",
                   now - timedelta(hours=26), reporter="何静")
    card = cases.case_accept(actor=officer, case=card, at=now - timedelta(hours=25))
    cases.case_file(actor=officer, case=card, decided_by=chief, decided_at=now - timedelta(hours=6))


def _prosecuted(officer, users, now) -> None:
    """A robbery: detention → arrest request → arrest approved by the procuratorate; the arrest ends
    when the case goes to the procuratorate for prosecution (the chief signs 起诉意见书)."""
    chief, crim = users["chief"], CaseKind.CRIMINAL
    start = now - timedelta(days=50)
    report = _intake(officer, users, "抢劫罪", crim, "夜间持刀在城关路地下通道抢劫行人手机、现金", start,
                     source=CaseSource.CALL_110, reporter="马丽")
    robbery = _filed(officer, chief, report, start + timedelta(hours=1))
    chen = _person("陈某", "male", dt.date(1998, 2, 14), region="110106", seq="271")
    ma = _person("马丽", "female", dt.date(1992, 9, 3), region="110108", seq="064")
    _suspect(officer, robbery, chen)
    parties.party_add(actor=officer, case=robbery, person=ma, role=PartyRole.VICTIM, reason="报案人，被抢手机、现金")
    held = start + timedelta(hours=3)
    detention = measures.measure_start(actor=officer, case=robbery, person=chen,
                                       kind=MeasureKind.CRIMINAL_DETENTION, started_at=held,
                                       basis="刑事诉讼法第八十二条", decided_by=chief)
    _done(officer, detention, "detention-to-detention-house", held + timedelta(hours=5), "已送城关县看守所")
    _done(officer, detention, "detention-family-notice", held + timedelta(hours=8), "已电话通知其父")
    _done(officer, detention, "interrogation-after-detention", held + timedelta(hours=10), "已讯问")
    arrest_request = measures.measure_convert(actor=officer, measure=detention, kind=MeasureKind.ARREST_REQUEST,
                                       at=held + timedelta(days=3), basis="刑事诉讼法第九十一条", decided_by=chief)
    arrested = held + timedelta(days=9)
    arrest = measures.measure_convert(actor=officer, measure=arrest_request, kind=MeasureKind.ARREST, at=arrested,
                                      basis="城关县人民检察院批准逮捕决定书", decided_by=chief)
    _done(officer, arrest, "arrest-family-notice", arrested + timedelta(hours=6), "已书面通知其父")
    _done(officer, arrest, "interrogation-after-arrest", arrested + timedelta(hours=12), "已讯问")
    sent = now - timedelta(days=12)
    measures.measure_end(actor=officer, measure=arrest, at=sent, reason="案件移送审查起诉，犯罪嫌疑人随案移送")
    cases.case_transfer_for_prosecution(actor=officer, case=robbery, decided_by=chief, decided_at=sent,
                                        note="犯罪事实清楚，证据确实、充分，移送城关县人民检察院审查起诉")


def _withdrawn(officer, users, now) -> None:
    """Cars scratched in a car park: the suspect summoned, then on bail; the case is withdrawn
    (刑诉法 163) when the damage assessed stays below the threshold, the bail lifted first."""
    head, chief, crim = users["head"], users["chief"], CaseKind.CRIMINAL
    start = now - timedelta(days=35)
    damage = _filed(officer, chief, _intake(officer, users, "故意毁坏财物罪", crim, "小区地下停车场内多辆汽车被划损",
                                            start, reporter="物业公司"), start + timedelta(hours=2))
    wu = _person("吴某", "male", dt.date(1979, 12, 30), region="110107", seq="552")
    _suspect(officer, damage, wu)
    summons = measures.measure_start(actor=officer, case=damage, person=wu, kind=MeasureKind.SUMMONS,
                                     started_at=start + timedelta(days=1), basis="刑事诉讼法第一百一十九条",
                                     decided_by=head)
    bail = measures.measure_convert(actor=officer, measure=summons, kind=MeasureKind.BAIL,
                                    at=start + timedelta(days=1, hours=8), basis="刑事诉讼法第六十七条",
                                    decided_by=chief, bail_form="guarantor", guarantor_name="吴建国")
    withdrawn = now - timedelta(days=7)
    measures.measure_end(actor=officer, measure=bail, at=withdrawn, reason="撤销案件，解除取保候审")
    cases.case_withdraw(actor=officer, case=damage, decided_by=chief, decided_at=withdrawn,
                        reason="经价格认定损失数额未达追诉标准，不应追究刑事责任（刑事诉讼法第一百六十三条）")


def _decided(officer, users, now) -> None:
    """Shoplifting, administrative: the suspect questioned (询问查证) for five hours, then a fine."""
    head, chief, admin = users["head"], users["chief"], CaseKind.ADMINISTRATIVE
    start = now - timedelta(days=8)
    shoplifting = _filed(officer, chief, _intake(officer, users, "盗窃", admin, "超市内盗窃洗发水两瓶，价值八十六元",
                                                 start, source=CaseSource.CALL_110, reporter="超市店长"),
                         start + timedelta(hours=1))
    zheng = _person("郑某", "female", dt.date(1988, 4, 22), region="110109", seq="137")
    _suspect(officer, shoplifting, zheng)
    questioning = measures.measure_start(actor=officer, case=shoplifting, person=zheng, kind=MeasureKind.SUMMONS,
                                         started_at=start + timedelta(hours=2), basis="治安管理处罚法第八十三条",
                                         decided_by=head)
    measures.measure_end(actor=officer, measure=questioning, at=start + timedelta(hours=7), reason="询问查证完毕")
    cases.case_decide(actor=officer, case=shoplifting, decided_by=chief, decided_at=now - timedelta(days=5),
                      note="情节较轻，依据治安管理处罚法第四十九条决定罚款五百元")
