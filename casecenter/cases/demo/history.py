"""The demo's history: cases of 城关派出所 that have run their course — not filed, transferred
and handed over, decided and archived, sent for prosecution after detention and arrest, withdrawn
— each with its parties, measures and clocks, written through the services. Loaded once: nothing is
added once they exist. (The cases whose clocks still run are placed by ``live.py``, relative to the
time of each refresh.)"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.db import transaction

from casecenter.core import clock

from ..models import Case, CaseKind, CaseSource, MeasureKind, PartyRole
from ..services import cases, measures, parties
from .build import DEMO_MARK, detain, done, filed, person, report, suspect

#: The robbery's summary: present once the history is loaded.
ANCHOR = "夜间持刀在城关路地下通道抢劫行人手机、现金" + DEMO_MARK


@transaction.atomic
def load_history(users) -> None:
    officer, chief = users["officer1"], users["chief"]
    if Case.objects.filter(summary=ANCHOR).exists():
        return
    now = clock.now()
    crim, admin = CaseKind.CRIMINAL, CaseKind.ADMINISTRATIVE
    partner = users["officer2"]

    # An administrative case decided and archived; a report not filed; one sent to the competent organ
    # and handed over the next morning.
    brawl = filed(officer, chief, report(officer, partner, "殴打他人", admin, "邻里纠纷互殴",
                                         now - timedelta(days=20)), now - timedelta(days=20) + timedelta(hours=1))
    brawl = cases.case_decide(actor=officer, case=brawl, decided_by=chief, decided_at=now - timedelta(days=10))
    cases.case_archive(actor=officer, case=brawl, at=now - timedelta(days=9))
    refused = report(officer, partner, "盗窃罪", crim, "报案人称钱包遗失，经查系本人遗落", now - timedelta(days=6))
    refused = cases.case_accept(actor=officer, case=refused, at=now - timedelta(days=6) + timedelta(hours=1))
    cases.case_refuse_filing(actor=officer, case=refused, decided_by=chief, decided_at=now - timedelta(days=5),
                             reason="没有犯罪事实")
    elsewhere = report(officer, partner, "诈骗罪", crim, "外地发生的合同纠纷", now - timedelta(days=4))
    elsewhere = cases.case_accept(actor=officer, case=elsewhere, at=now - timedelta(days=4) + timedelta(hours=1))
    cases.case_transfer(actor=officer, case=elsewhere, decided_by=chief, decided_at=now - timedelta(days=3),
                        receiving_organ="示范市西城区公安分局", reason="不属于本单位管辖")
    cases.case_transfer_delivered(actor=officer, case=elsewhere, at=now - timedelta(days=3) + timedelta(hours=18),
                                  receipt="西城分局法制大队 刘明 签收")

    # A case just filed, and one for each way an investigation ends; their measures ended first.
    _just_filed(officer, users, now)
    _prosecuted(officer, users, now)
    _withdrawn(officer, users, now)
    _decided(officer, users, now)


def _just_filed(officer, users, now) -> None:
    """Filed by the chief six hours ago; the investigation has not started yet."""
    chief, crim = users["chief"], CaseKind.CRIMINAL
    card = report(officer, users["officer2"], "信用卡诈骗罪", crim, "嫌疑人持他人遗失的信用卡在商场刷卡消费一万二千元",
                  now - timedelta(hours=26), reporter="何静")
    card = cases.case_accept(actor=officer, case=card, at=now - timedelta(hours=25))
    cases.case_file(actor=officer, case=card, decided_by=chief, decided_at=now - timedelta(hours=6))


def _prosecuted(officer, users, now) -> None:
    """A robbery: detention → arrest request → arrest approved by the procuratorate; the arrest ends
    when the case goes to the procuratorate for prosecution (the chief signs 起诉意见书)."""
    chief, crim = users["chief"], CaseKind.CRIMINAL
    start = now - timedelta(days=50)
    reported = report(officer, users["officer2"], "抢劫罪", crim, "夜间持刀在城关路地下通道抢劫行人手机、现金", start,
                      source=CaseSource.CALL_110, reporter="马丽")
    robbery = filed(officer, chief, reported, start + timedelta(hours=1))
    chen = person("陈某", "male", dt.date(1998, 2, 14), region="110106", seq="271")
    ma = person("马丽", "female", dt.date(1992, 9, 3), region="110108", seq="064")
    suspect(officer, robbery, chen)
    parties.party_add(actor=officer, case=robbery, person=ma, role=PartyRole.VICTIM, reason="报案人，被抢手机、现金")
    held = start + timedelta(hours=3)
    detention = detain(officer, chief, robbery, chen, held, {
        "detention-to-detention-house": (5, "已送城关县看守所"), "detention-family-notice": (8, "已电话通知其父"),
        "interrogation-after-detention": (10, "已讯问")})
    arrest_request = measures.measure_convert(actor=officer, measure=detention, kind=MeasureKind.ARREST_REQUEST,
                                              at=held + timedelta(days=3), basis="刑事诉讼法第九十一条",
                                              decided_by=chief)
    arrested = held + timedelta(days=9)
    arrest = measures.measure_convert(actor=officer, measure=arrest_request, kind=MeasureKind.ARREST, at=arrested,
                                      basis="城关县人民检察院批准逮捕决定书", decided_by=chief)
    done(officer, arrest, "arrest-family-notice", arrested + timedelta(hours=6), "已书面通知其父")
    done(officer, arrest, "interrogation-after-arrest", arrested + timedelta(hours=12), "已讯问")
    sent = now - timedelta(days=12)
    measures.measure_end(actor=officer, measure=arrest, at=sent, reason="案件移送审查起诉，犯罪嫌疑人随案移送")
    cases.case_transfer_for_prosecution(actor=officer, case=robbery, decided_by=chief, decided_at=sent,
                                        note="犯罪事实清楚，证据确实、充分，移送城关县人民检察院审查起诉")


def _withdrawn(officer, users, now) -> None:
    """Cars scratched in a car park: the suspect summoned, then on bail; the case is withdrawn
    (刑诉法 163) when the damage assessed stays below the threshold, the bail lifted first."""
    head, chief, crim = users["head"], users["chief"], CaseKind.CRIMINAL
    start = now - timedelta(days=35)
    reported = report(officer, users["officer2"], "故意毁坏财物罪", crim, "小区地下停车场内多辆汽车被划损", start,
                      reporter="物业公司")
    damage = filed(officer, chief, reported, start + timedelta(hours=2))
    wu = person("吴某", "male", dt.date(1979, 12, 30), region="110107", seq="552")
    suspect(officer, damage, wu)
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
    reported = report(officer, users["officer2"], "盗窃", admin, "超市内盗窃洗发水两瓶，价值八十六元", start,
                      source=CaseSource.CALL_110, reporter="超市店长")
    shoplifting = filed(officer, chief, reported, start + timedelta(hours=1))
    zheng = person("郑某", "female", dt.date(1988, 4, 22), region="110109", seq="137")
    suspect(officer, shoplifting, zheng)
    questioning = measures.measure_start(actor=officer, case=shoplifting, person=zheng, kind=MeasureKind.SUMMONS,
                                         started_at=start + timedelta(hours=2), basis="治安管理处罚法第八十三条",
                                         decided_by=head)
    measures.measure_end(actor=officer, measure=questioning, at=start + timedelta(hours=7), reason="询问查证完毕")
    cases.case_decide(actor=officer, case=shoplifting, decided_by=chief, decided_at=now - timedelta(days=5),
                      note="情节较轻，依据治安管理处罚法第四十九条决定罚款五百元")
