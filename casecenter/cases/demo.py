"""Demo cases for the demonstration installation: reports and cases of 城关派出所 in every state,
with their parties and running measures, all written through the services (so each has its
ledger events and its clocks). Idempotent: nothing is added once the demo cases exist."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from casecenter.core import clock
from casecenter.people import idnumber
from casecenter.people import services as people
from casecenter.people.models import Person

from .models import Case, CaseCause, CaseKind, CaseSource, MeasureKind, PartyRole
from .services import cases, measures, parties

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
    return cases.case_intake(actor=officer, kind=kind, cause=CaseCause.objects.get(name=cause),
                             summary=summary + DEMO_MARK, source=source, received_at=received_at,
                             unit=officer.unit, officers=[officer, users["officer2"]], reporter_name=reporter,
                             report_content=summary)


def _filed(officer, chief, case: Case, at) -> Case:
    case = cases.case_accept(actor=officer, case=case, at=at)
    case = cases.case_file(actor=officer, case=case, decided_by=chief, decided_at=at + timedelta(minutes=30))
    return cases.case_start_investigation(actor=officer, case=case, at=at + timedelta(hours=1))


def _suspect(officer, case: Case, person: Person) -> None:
    parties.party_add(actor=officer, case=case, person=person, role=PartyRole.SUSPECT, reason="经调查确定")


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
