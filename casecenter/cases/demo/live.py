"""The demo's live cases: clocks placed relative to the time of each refresh, so that on any day the
demonstration shows a station's working day — clocks running, one in its warning window, one run
out — and the first scan of ``casecenter worker`` turns them into alerts.

A set, placed at the time T of the refresh (城关派出所, officer1 and officer2; the chief decides):

- a theft reported two hours before T (the filing review runs);
- a fraud accepted 20 hours before T, waiting for the chief's filing decision;
- a shop theft whose suspect was summoned 10 h 30 min before T: the 12-hour summons is in its
  2-hour warning;
- an assault with two detainees: one detained 26 hours before T and not interrogated (the 24-hour
  clock has run out: a breach, also told to supervision), one detained 20 hours before T whose
  family is still to be told (due in 4 hours);
- a burglary whose suspect was detained three days before T, every 24-hour duty done: the request
  for arrest approval (3 days, extended only by the county-level chief) is due at 24:00 of T's day,
  inside its one-day warning, which goes to the chief as well;
- an online fraud ring: the principal arrested 53 days before T (the two months of investigative
  custody end 6 to 10 days after T, whatever the months' lengths: inside the 10-day warning), an
  accomplice on bail for 30 days;
- in 西关派出所 (outsider's station, another district): a disturbance reported 23 hours before T and
  not accepted yet (the 24-hour acceptance review is in its 2-hour warning).

A refresh never rewrites what is recorded. It ends what the earlier sets left open, through the
services, with REFRESH_REASON: a clock past its due time is ended late (it stays breached, on
record); a measure in force is ended (its own clock met, the duties still owed cancelled); the
clocks still open are cancelled; the alerts of the ended clocks are resolved. Then it places a new
set, each story with a new person of the registry (nobody is held twice at once). The earlier
sets' cases stay, in the status they had reached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q

from casecenter.core import clock
from casecenter.deadlines.models import Alert, AlertState, Deadline, DeadlineState
from casecenter.deadlines.services import alert_resolve, deadline_cancel, deadline_meet

from ..models import Case, CaseKind, CaseSource, Measure, MeasureKind, MeasureStatus
from ..services import cases, measures
from .build import DEMO_MARK, detain, done, filed, person, report, suspect

#: A set older than this is replaced when ``casecenter demo`` runs (``make run`` runs it at each start):
#: restarts within a working day keep their set, the next day's start gets a new one.
REFRESH_AFTER = timedelta(hours=12)
REFRESH_REASON = "演示数据刷新：上一组演示到此结束，新的一组按当前时间生成"
#: The first story of every set: how many sets there are, and when the newest was placed.
ANCHOR_SUMMARY = "报案人称其停放在小区门口的电动自行车被盗"
ANCHOR = ANCHOR_SUMMARY + DEMO_MARK

# Each story's suspect: the names a set takes in turn, sex, birth date and region of the ID number.
SUSPECTS = {
    "summoned": (("李某", "胡某", "郭某", "何某", "高某", "罗某"), "male", dt.date(1990, 3, 7), "110101"),
    "unquestioned": (("王某", "梁某", "宋某", "唐某", "韩某", "冯某"), "male", dt.date(1985, 11, 20), "110105"),
    "detained": (("张某", "邓某", "曹某", "彭某", "曾某", "谢某"), "male", dt.date(1993, 7, 15), "110104"),
    "awaiting_request": (("刘某", "许某", "沈某", "陆某", "钟某", "姜某"), "male", dt.date(1982, 5, 18), "110106"),
    "arrested": (("孙某", "田某", "董某", "袁某", "潘某", "蒋某"), "male", dt.date(1987, 1, 9), "110103"),
    "on_bail": (("周某", "蔡某", "余某", "杜某", "叶某", "程某"), "female", dt.date(1995, 6, 1), "110102"),
}


@dataclass(frozen=True)
class Refresh:
    placed: bool            # a new set was placed
    number: int             # the number of the newest set (1 for the first)
    age: timedelta          # how old the newest set is (zero when just placed)
    ended: int = 0          # clocks and measures of the earlier sets that the refresh ended


def newest_set_age(now: dt.datetime) -> tuple[int, timedelta | None]:
    """How many sets were placed, and how long ago the newest was (None: never)."""
    placed = Case.objects.filter(summary=ANCHOR).order_by("-created_at").values_list("created_at", flat=True)
    count = placed.count()
    return count, (now - placed[0]) if count else None


def refresh_live(users, *, force: bool = False) -> Refresh:
    """Place a new set when there is none, when the newest is REFRESH_AFTER old, or when ``force``."""
    now = clock.now()
    count, age = newest_set_age(now)
    if age is not None and age < REFRESH_AFTER and not force:
        return Refresh(placed=False, number=count, age=age)
    with transaction.atomic():
        ended = end_open_demo_work(now)
        _place(users, now, count + 1)
    return Refresh(placed=True, number=count + 1, age=timedelta(0), ended=ended)


def end_open_demo_work(now: dt.datetime) -> int:
    """End, with REFRESH_REASON, every clock and measure of the demo cases still open; resolve their
    alerts. Answers how many clocks and measures were ended."""
    demo_cases = Case.objects.filter(summary__endswith=DEMO_MARK)
    case_ids = [str(pk) for pk in demo_cases.values_list("pk", flat=True)]
    clocks = Deadline.objects.filter(case_id__in=case_ids)
    ended = 0
    # Past due (breached, or not yet seen by a scan): met late, so the breach stays on record — a
    # cancelled clock would hide it, and a breached one cannot be cancelled.
    for deadline in clocks.open().filter(Q(state=DeadlineState.BREACHED) | Q(due_at__lte=now)).order_by("pk"):
        deadline_meet(actor=None, deadline=deadline, at=now, note=REFRESH_REASON)
        ended += 1
    for measure in Measure.objects.filter(case__in=demo_cases, status=MeasureStatus.ACTIVE).order_by("pk"):
        officer = measure.case.officers.order_by("pk").first()   # the service wants one of its officers
        measures.measure_end(actor=officer, measure=measure, at=now, reason=REFRESH_REASON)
        ended += 1
    for deadline in clocks.open().order_by("pk"):
        deadline_cancel(actor=None, deadline=deadline, reason=REFRESH_REASON)
        ended += 1
    for alert in Alert.objects.filter(deadline__case_id__in=case_ids, deadline__ended_at__isnull=False).exclude(
            state=AlertState.RESOLVED).order_by("pk"):
        alert_resolve(actor=None, alert=alert, note=REFRESH_REASON)
    return ended


def _suspect_for(story: str, number: int):
    """The suspect of ``story`` in set ``number``: a name in turn, an ID number of their own."""
    names, sex, birth, region = SUSPECTS[story]
    return person(names[(number - 1) % len(names)], sex, birth, region=region, seq=f"{number % 100:02d}0")


def _place(users, now: dt.datetime, number: int) -> None:
    officer, partner, chief = users["officer1"], users["officer2"], users["chief"]
    crim = CaseKind.CRIMINAL
    report(officer, partner, "盗窃罪", crim, ANCHOR_SUMMARY, now - timedelta(hours=2), reporter="赵丽")
    waiting = report(officer, partner, "诈骗罪", crim, "报案人称被冒充客服骗走人民币三万元", now - timedelta(days=1),
                     source=CaseSource.CALL_110, reporter="孙强")
    cases.case_accept(actor=officer, case=waiting, at=now - timedelta(hours=20))

    theft = filed(officer, chief, report(officer, partner, "盗窃罪", crim, "超市货架商品多次被盗",
                                         now - timedelta(days=3)), now - timedelta(days=3) + timedelta(hours=1))
    summoned = _suspect_for("summoned", number)
    suspect(officer, theft, summoned)
    measures.measure_start(actor=officer, case=theft, person=summoned, kind=MeasureKind.SUMMONS,
                           started_at=now - timedelta(hours=10, minutes=30), basis="刑事诉讼法第一百一十九条",
                           decided_by=users["head"])
    _assault(users, now, number)
    _burglary(users, now, number)
    _fraud_ring(users, now, number)
    outsider = users["outsider"]
    report(outsider, None, "扰乱公共场所秩序", CaseKind.ADMINISTRATIVE, "商场内有人酒后滋事、辱骂保安",
           now - timedelta(hours=23), source=CaseSource.CALL_110, reporter="商场保安")


def _assault(users, now: dt.datetime, number: int) -> None:
    """Two detainees of one fight: the first never interrogated, the second's family not yet told."""
    officer, chief = users["officer1"], users["chief"]
    start = now - timedelta(days=2)
    assault = filed(officer, chief, report(officer, users["officer2"], "故意伤害罪", CaseKind.CRIMINAL,
                                           "酒后纠纷致一人轻伤", start, source=CaseSource.CALL_110),
                    start + timedelta(hours=1))
    first, second = _suspect_for("unquestioned", number), _suspect_for("detained", number)
    suspect(officer, assault, first)
    suspect(officer, assault, second)
    # The first: delivered and his family told, but no interrogation recorded within the 24 hours.
    detain(officer, chief, assault, first, now - timedelta(hours=26), {
        "detention-to-detention-house": (4, "已送东城区看守所"), "detention-family-notice": (6, "已电话通知其妻")})
    # The second: delivered and interrogated; his family is still to be told, within four hours.
    detain(officer, chief, assault, second, now - timedelta(hours=20), {
        "detention-to-detention-house": (3, "已送东城区看守所"), "interrogation-after-detention": (5, "已讯问")})


def _burglary(users, now: dt.datetime, number: int) -> None:
    """Detained three days ago, the duties done: the arrest request is due tonight at 24:00."""
    officer, chief = users["officer1"], users["chief"]
    start = now - timedelta(days=3, hours=6)
    reported = report(officer, users["officer2"], "盗窃罪", CaseKind.CRIMINAL, "夜间入户盗窃现金、首饰", start,
                      source=CaseSource.CALL_110, reporter="林某")
    burglary = filed(officer, chief, reported, start + timedelta(hours=1))
    held = _suspect_for("awaiting_request", number)
    suspect(officer, burglary, held)
    detain(officer, chief, burglary, held, now - timedelta(days=3), {
        "detention-to-detention-house": (5, "已送东城区看守所"), "detention-family-notice": (7, "已电话通知其妻"),
        "interrogation-after-detention": (9, "已讯问")})


def _fraud_ring(users, now: dt.datetime, number: int) -> None:
    """The principal detained, the arrest requested and approved; an accomplice on bail."""
    officer, chief = users["officer1"], users["chief"]
    start = now - timedelta(days=62)
    reported = report(officer, users["officer2"], "诈骗罪", CaseKind.CRIMINAL, "网络刷单诈骗多名被害人", start,
                      reporter="钱芳")
    ring = filed(officer, chief, reported, start + timedelta(hours=2))
    principal, accomplice = _suspect_for("arrested", number), _suspect_for("on_bail", number)
    suspect(officer, ring, principal)
    suspect(officer, ring, accomplice)
    held = now - timedelta(days=60)
    detention = detain(officer, chief, ring, principal, held, {
        "detention-to-detention-house": (4, "已送东城区看守所"), "detention-family-notice": (6, "已电话通知其母"),
        "interrogation-after-detention": (8, "已讯问")})
    request = measures.measure_convert(actor=officer, measure=detention, kind=MeasureKind.ARREST_REQUEST,
                                       at=held + timedelta(days=3), basis="刑事诉讼法第九十一条", decided_by=chief)
    arrested = now - timedelta(days=53)
    arrest = measures.measure_convert(actor=officer, measure=request, kind=MeasureKind.ARREST, at=arrested,
                                      basis="东城区人民检察院批准逮捕决定书", decided_by=chief)
    done(officer, arrest, "arrest-family-notice", arrested + timedelta(hours=6), "已书面通知其母")
    done(officer, arrest, "interrogation-after-arrest", arrested + timedelta(hours=10), "已讯问")
    measures.measure_start(actor=officer, case=ring, person=accomplice, kind=MeasureKind.BAIL,
                           started_at=now - timedelta(days=30), basis="刑事诉讼法第六十七条", decided_by=chief,
                           bail_form="deposit", deposit_amount=5000)
