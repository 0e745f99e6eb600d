"""Scale data (``casecenter seed``): a large city's year of cases, written in bulk.

``--scale city-year`` writes 100,000 cases and 300,000 persons with their parties, acceptance
records, decisions (the status history) and coercive measures, spread over the 365 days before now
and over 10 district bureaus × 6 police stations created under the demo city bureau (``CITY``);
``--scale small`` writes 1,000 cases and 3,000 persons (for tests). The generator is deterministic:
the same ``seed`` gives the same rows.

Scale data is not a record of real acts: the rows are written with ``bulk_create`` (never through the
services, one call per row), so NO ledger events are recorded for them, and NO deadline clocks are
started, neither for the seeded cases nor for their measures (closed or running). The units and the
officers are created through the accounts services (with their ledger events; the officers' passwords
are made unusable). Cases and persons are indexed in the search app in bulk (``index_many`` with the
kinds' own document builders). Resident ID numbers are valid (region, birth date, sex digit and
check character), ``name_pinyin`` is filled as the people services fill it, and case numbers follow
the unit's numbering pattern, with the ``CaseSequence`` rows set to match.

Seeded data is recognised by its units (codes starting with ``SEED-``): a second run into the same
database is refused unless forced.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from casecenter.core import clock
from casecenter.core.errors import Conflict
from casecenter.people import idnumber, names
from casecenter.people.models import Person, Sex

from . import numbering
from .models import (
    AcceptanceRecord,
    BailForm,
    Case,
    CaseCause,
    CaseDecision,
    CaseKind,
    CaseNumberPattern,
    CaseSource,
    CaseStatus,
    Measure,
    MeasureKind,
    MeasureStatus,
    Party,
    PartyRole,
)
from .numbering import DEFAULT_PATTERN

MARK = "SEED-"
PASSWORD = "seed-scale-data-not-a-login-2026!"
BATCH = 2000
DEFAULT_SEED = 20261127


@dataclass(frozen=True)
class Scale:
    cases: int
    persons: int
    districts: int = 10
    stations: int = 6
    officers: int = 3  # case officers per station (plus one department head)


SCALES = {
    "city-year": Scale(cases=100_000, persons=300_000),
    "small": Scale(cases=1_000, persons=3_000, districts=2, stations=3),
}

DISTRICTS = ["东湖", "西山", "南岭", "北塘", "中山", "江滨", "龙华", "新城", "高新", "临港", "青云", "白沙"]
STATIONS = ["城关", "河东", "河西", "新桥", "东风", "向阳", "红旗", "光明", "长安", "解放"]
STREETS = ["人民路", "解放路", "建设路", "和平街", "中山路", "文化路", "胜利街", "新华路", "滨江路", "朝阳路"]
PLACES = ["小区", "超市", "菜市场", "网吧", "停车场", "公交站", "学校门口", "酒吧", "工地", "快递驿站"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = (
    "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红建国文斌宇浩凯鹏辉志新海波峰鑫晨雪梅琳婷颖倩佳欣怡子豪俊杰博涛宏亮春燕凤丹晓东")
#: Region codes (first six digits) of the city's districts, and of provinces migrants come from.
LOCAL_REGIONS = ["110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111", "110112",
                 "110113"]
OTHER_REGIONS = ["130102", "140105", "210102", "320102", "340102", "370102", "410102", "420102", "430102",
                 "510104", "360102", "500101"]
ETHNICITIES = ["汉族"] * 18 + ["回族", "满族"]
EDUCATION = ["小学", "初中", "初中", "高中", "高中", "中专", "大专", "本科", "本科", "研究生"]


# Where cases come from, and how a case ends.
SOURCES = [(CaseSource.CALL_110, 50), (CaseSource.WALK_IN, 30), (CaseSource.PATROL, 12),
           (CaseSource.TRANSFER, 5), (CaseSource.SELF_SURRENDER, 3)]
ENDS = {
    CaseKind.CRIMINAL: [(CaseStatus.PROSECUTION, 50), (CaseStatus.WITHDRAWN, 10), (CaseStatus.NOT_FILED, 25),
                        (CaseStatus.TRANSFERRED, 10), (CaseStatus.DECIDED, 5)],
    CaseKind.ADMINISTRATIVE: [(CaseStatus.DECIDED, 80), (CaseStatus.NOT_FILED, 10), (CaseStatus.TRANSFERRED, 10)],
}
CHIEF = {CaseStatus.FILED, CaseStatus.NOT_FILED, CaseStatus.TRANSFERRED, CaseStatus.PROSECUTION,
         CaseStatus.WITHDRAWN, CaseStatus.DECIDED}
#: (kind, weight, legal basis, who decides: "head" or "chief") per case kind.
MEASURES = {
    CaseKind.CRIMINAL: [(MeasureKind.SUMMONS, 55, "刑事诉讼法第一百一十九条", "head"),
                        (MeasureKind.CRIMINAL_DETENTION, 28, "刑事诉讼法第八十二条", "chief"),
                        (MeasureKind.BAIL, 17, "刑事诉讼法第六十七条", "chief")],
    CaseKind.ADMINISTRATIVE: [(MeasureKind.SUMMONS, 85, "治安管理处罚法第八十二条", "head"),
                              (MeasureKind.ADMINISTRATIVE_DETENTION, 15, "治安管理处罚法第十条", "chief")],
}


class AlreadySeeded(Conflict):
    pass


def seeded(using_units=None) -> bool:
    from casecenter.accounts.models import Unit

    return Case.objects.filter(unit__code__startswith=MARK).exists() or Unit.objects.filter(
        code__startswith=MARK).exists()


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


@functools.lru_cache(maxsize=200_000)
def _pinyin(name: str) -> str:
    return names.pinyin_text(name)


# --- organisation -------------------------------------------------------------------------------

@dataclass
class Station:
    unit: object
    officers: list
    head: object
    chief: object
    weight: float


def build_organisation(scale: Scale, rng: random.Random) -> tuple[list[Station], object]:
    """The seeded districts and stations under CITY, their officers, and a case officer of the city
    bureau (``seed-city``, who sees every unit), all through the accounts services (idempotent)."""
    from casecenter.accounts.demo import build_demo_organisation
    from casecenter.accounts.models import Unit, UnitKind, User
    from casecenter.accounts.roles import Role
    from casecenter.accounts.services import unit_create, user_create, user_set_roles

    if not Unit.objects.filter(code="CITY").exists():
        build_demo_organisation()
    city = Unit.objects.get(code="CITY")

    def unit(code, name, kind, parent):
        return Unit.objects.filter(code=code).first() or unit_create(actor=None, code=code, name=name, kind=kind,
                                                                     parent=parent)

    def user(username, full_name, at, roles):
        found = User.objects.filter(username=username).first()
        if found is None:
            found = user_create(actor=None, username=username, full_name=full_name, unit=at, password=PASSWORD)
            user_set_roles(actor=None, user=found, roles=roles)
            found.set_unusable_password()
            found.save(update_fields=["password"])
        return found

    stations: list[Station] = []
    # The seeded accounts get an unusable password right away: hash the throwaway one cheaply.
    cheap = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with transaction.atomic(), cheap:
        city_officer = user("seed-city", "市局民警", city, [Role.CASE_OFFICER])
        for d in range(scale.districts):
            district = DISTRICTS[d % len(DISTRICTS)]
            bureau = unit(f"{MARK}D{d:02d}", f"{district}区公安分局", UnitKind.DISTRICT_BUREAU, city)
            chief = user(f"seed-d{d:02d}-chief", f"{district}局长", bureau, [Role.COUNTY_CHIEF])
            for s in range(scale.stations):
                code = f"{MARK}D{d:02d}-S{s}"
                station = unit(code, f"{district}区公安分局{STATIONS[s % len(STATIONS)]}派出所",
                               UnitKind.POLICE_STATION, bureau)
                # A 12-digit organ code per station (region 11, district, station), numbered by the default pattern.
                CaseNumberPattern.objects.get_or_create(
                    unit=station, defaults={"prefix": f"11{d + 1:04d}5{s:02d}000", "pattern": DEFAULT_PATTERN})
                officers = [user(f"seed-d{d:02d}-s{s}-o{o}", _name(rng)[0], station, [Role.CASE_OFFICER])
                            for o in range(scale.officers)]
                head = user(f"seed-d{d:02d}-s{s}-head", _name(rng)[0], station, [Role.DEPARTMENT_HEAD])
                # Busy stations and quiet ones: a log-normal spread of the case load.
                stations.append(Station(station, officers, head, chief, rng.lognormvariate(0, 0.5)))
    return stations, city_officer


# --- persons ------------------------------------------------------------------------------------

def _name(rng: random.Random) -> tuple[str, str]:
    sex = Sex.MALE if rng.random() < 0.72 else Sex.FEMALE  # most people in cases are men
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES[:30] if rng.random() < 0.7 else SURNAMES) + given, sex


def _id_number(rng: random.Random, region: str, birth: dt.date, sex: str, taken: set) -> str:
    while True:
        seq = rng.randrange(1, 500) * 2 + (1 if sex == Sex.MALE else 0)  # the 17th digit: odd for a man
        if seq >= 1000:
            continue
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        number = first17 + idnumber.check_char(first17)
        if number not in taken:
            taken.add(number)
            return number


def make_persons(n: int, rng: random.Random, start: dt.datetime, end: dt.datetime, taken: set) -> list[Person]:
    today = timezone.localdate(end)
    span = (end - start).total_seconds()
    persons = []
    for _ in range(n):
        name, sex = _name(rng)
        age = min(85, max(16, int(rng.gauss(36, 13))))
        birth = today - timedelta(days=age * 365 + rng.randrange(365))
        local = rng.random() < 0.7
        region = rng.choice(LOCAL_REGIONS if local else OTHER_REGIONS)
        with_id = rng.random() < 0.97
        district = rng.choice(DISTRICTS)
        persons.append(Person(
            name=name, name_pinyin=_pinyin(name), sex=sex, birth_date=birth,
            id_number=_id_number(rng, region, birth, sex, taken) if with_id else None,
            ethnicity=rng.choice(ETHNICITIES), education=rng.choice(EDUCATION),
            household_registration=f"示范市{district}区{rng.choice(STREETS)}{rng.randrange(1, 300)}号" if local else "",
            residence=f"示范市{district}区{rng.choice(STREETS)}{rng.randrange(1, 300)}号",
            phones=[f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"] if rng.random() < 0.8 else [],
            created_at=start + timedelta(seconds=rng.random() * span)))
    return persons


# --- cases --------------------------------------------------------------------------------------

def _received_at(rng: random.Random, start: dt.datetime, days: int) -> dt.datetime:
    """A time in the year: more in summer, more in the afternoon and evening than at night.
    ``start`` is a local midnight, so the hours drawn are local hours."""
    while True:
        day = rng.randrange(days)
        if rng.random() < 0.85 + 0.15 * math.sin(math.pi * day / days):
            break
    hour = _weighted(rng, [(h, 1 if h < 7 else 3 if h < 12 else 5) for h in range(24)])
    return start + timedelta(days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))


def _path(rng: random.Random, kind: str, received: dt.datetime, now: dt.datetime) -> list[tuple[str, dt.datetime]]:
    """The statuses the case went through (after ``received``) with their times, cut at ``now``; a few
    cases stall on the way (a report not yet accepted, a case not yet decided)."""
    end = _weighted(rng, ENDS[kind])
    at = received + timedelta(minutes=rng.randrange(20, 600))
    steps = [(CaseStatus.ACCEPTED, at)]
    if end in (CaseStatus.NOT_FILED, CaseStatus.TRANSFERRED):
        steps.append((end, at + timedelta(hours=rng.uniform(12, 24 * 7))))
    else:
        filed = at + timedelta(hours=rng.uniform(1, 72))
        started = filed + timedelta(minutes=rng.randrange(5, 240))
        steps += [(CaseStatus.FILED, filed), (CaseStatus.INVESTIGATING, started)]
        median = 45 if kind == CaseKind.CRIMINAL else 8  # days to the outcome
        steps.append((end, steps[-1][1] + timedelta(days=rng.lognormvariate(math.log(median), 0.6))))
    steps.append((CaseStatus.ARCHIVED, steps[-1][1] + timedelta(days=rng.lognormvariate(math.log(10), 0.7))))
    stall = rng.random()
    if stall < 0.01:
        steps = []
    elif stall < 0.03:
        steps = steps[:1]
    elif stall < 0.06:
        steps = steps[:-1]  # decided but not yet archived
    return [(status, time) for status, time in steps if time < now]


@dataclass
class Plan:
    case: Case
    station: Station
    path: list
    officers: list


def seed(*, scale: str | Scale = "city-year", seed: int = DEFAULT_SEED, force: bool = False,
         progress: Callable[[str, int, int | None], None] | None = None, index: bool = True) -> dict[str, int]:
    """Write the scale data; returns the counts written. Refuses (AlreadySeeded) a database that
    already has seeded units unless ``force``: a forced run adds another lot (new persons, new cases
    numbered after the existing ones)."""
    from .loader import load_shipped_causes

    if isinstance(scale, str):
        scale = SCALES[scale]
    if seeded() and not force:
        raise AlreadySeeded("This database already holds seeded data (units SEED-…); use --force to add more.")
    report = progress or (lambda kind, done, total: None)
    rng = random.Random(seed)  # noqa: S311 - scale data, not secrets
    now = clock.now().replace(microsecond=0)
    days = 365
    # The year's days start at local midnight: the hours of the day are weighted as people live them
    # (Asia/Shanghai), and the numbers, summaries and statistics speak of local days.
    start = dt.datetime.combine(timezone.localdate(now) - timedelta(days=days - 1), dt.time(0),
                                tzinfo=timezone.get_current_timezone())
    if not CaseCause.objects.filter(active=True).exists():
        load_shipped_causes()
    causes = {kind: list(CaseCause.objects.filter(kind=kind, active=True).order_by("code")) for kind in CaseKind}
    # A few causes make most cases (theft, fraud, fights): Zipf-like weights over the catalogue.
    cause_weights = {kind: [1 / (i + 1) ** 1.1 for i in range(len(c))] for kind, c in causes.items()}
    rng.shuffle(causes[CaseKind.CRIMINAL])
    rng.shuffle(causes[CaseKind.ADMINISTRATIVE])

    report("organisation", 0, None)
    stations, _city = build_organisation(scale, rng)
    counts: dict[str, int] = {}

    # Persons.
    taken = set(Person.objects.exclude(id_number=None).values_list("id_number", flat=True))
    persons: list[Person] = []
    report("persons", 0, scale.persons)
    with transaction.atomic():
        for done in range(0, scale.persons, BATCH):
            batch = make_persons(min(BATCH, scale.persons - done), rng, start, now, taken)
            persons += Person.objects.bulk_create(batch, batch_size=BATCH)
            report("persons", len(persons), scale.persons)
    counts["persons"] = len(persons)

    # Cases: received times, units, kinds, causes; numbered per unit and year in the order received.
    weights = [s.weight for s in stations]
    plans: list[Plan] = []
    for _ in range(scale.cases):
        station = rng.choices(stations, weights)[0]
        kind = CaseKind.CRIMINAL if rng.random() < 0.42 else CaseKind.ADMINISTRATIVE
        cause = rng.choices(causes[kind], cause_weights[kind])[0]
        received = _received_at(rng, start, days)
        if received >= now:
            received = now - timedelta(minutes=rng.randrange(1, 600))
        place = f"{rng.choice(STREETS)}{rng.randrange(1, 300)}号{rng.choice(PLACES)}"
        local = timezone.localtime(received)
        summary = (f"{local.month}月{local.day}日{local.hour}时许，报案人称在{place}发生{cause.name}相关情况，"
                   "现场已初步勘查。")
        officers = rng.sample(station.officers, 2 if kind == CaseKind.CRIMINAL or rng.random() < 0.6 else 1)
        path = _path(rng, kind, received, now)
        status, changed = path[-1] if path else (CaseStatus.RECEIVED, received)
        case = Case(kind=kind, cause=cause, summary=summary, source=_weighted(rng, SOURCES), received_at=received,
                    unit=station.unit, status=status, status_changed_at=changed, created_by=officers[0],
                    created_at=received + timedelta(minutes=rng.randrange(1, 30)))
        plans.append(Plan(case, station, path, officers))
    plans.sort(key=lambda p: (p.case.received_at, p.station.unit.pk))

    report("cases", 0, len(plans))
    with transaction.atomic():
        # Numbered as intake numbers them (one counter per unit and local year, taken under its lock).
        numbers = numbering.allocate([numbering.ToNumber(unit_id=p.station.unit.pk, unit_code=p.station.unit.code,
                                                         kind=p.case.kind, received_at=p.case.received_at)
                                      for p in plans])
        for plan, number in zip(plans, numbers, strict=True):
            plan.case.number = number
        for done in range(0, len(plans), BATCH):
            Case.objects.bulk_create([p.case for p in plans[done:done + BATCH]], batch_size=BATCH)
            report("cases", done + min(BATCH, len(plans) - done), len(plans))
        _write_details(plans, persons, rng, now, report, counts)
    counts["cases"] = len(plans)

    if index:
        _index([p.case.pk for p in plans], persons, report)
    return counts


def _write_details(plans: list[Plan], persons: list[Person], rng: random.Random, now, report, counts) -> None:
    """Officers, acceptance records, decisions, parties and measures of the planned cases."""
    through = Case.officers.through
    officers, records, decisions, parties, measures = [], [], [], [], []
    # Repeat offenders: a tenth of the suspects come from a small pool of persons.
    regulars = persons[: max(1, len(persons) // 100)]
    cursor = iter(rng.sample(range(len(persons)), len(persons)))
    total = len(plans)

    def fresh() -> Person:
        try:
            return persons[next(cursor)]
        except StopIteration:
            return rng.choice(persons)

    def flush(final: bool = False) -> None:
        for model, rows in ((through, officers), (AcceptanceRecord, records), (CaseDecision, decisions),
                            (Party, parties), (Measure, measures)):
            if rows and (final or len(rows) >= BATCH):
                model.objects.bulk_create(rows, batch_size=BATCH)
                counts[model._meta.model_name] = counts.get(model._meta.model_name, 0) + len(rows)
                rows.clear()

    for n, plan in enumerate(plans, 1):
        case, station = plan.case, plan.station
        officers += [through(case_id=case.pk, user_id=o.pk) for o in plan.officers]
        reporter, _ = _name(rng)
        records.append(AcceptanceRecord(case=case, receipt_number=f"{case.number}-HZ", reporter_name=reporter,
                                        reporter_phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                                        report_content=case.summary, received_by=plan.officers[0]))
        previous = CaseStatus.RECEIVED
        for status, at in plan.path:
            decisions.append(CaseDecision(case=case, from_status=previous, to_status=status, decided_at=at,
                                          decided_by=station.chief if status in CHIEF else None,
                                          recorded_by=plan.officers[0]))
            previous = status
        reached = dict(plan.path)
        investigating = reached.get(CaseStatus.INVESTIGATING)
        closed_at = next((at for status, at in plan.path if status in CHIEF and status != CaseStatus.FILED), None)
        # 1-3 parties: suspects once the case is investigated (or a suspect named in the report).
        count = rng.choices((1, 2, 3), (45, 35, 20))[0]
        roles = [PartyRole.VICTIM]
        if investigating or rng.random() < 0.3:
            roles = [PartyRole.SUSPECT, PartyRole.VICTIM]
        others = (PartyRole.SUSPECT, PartyRole.VICTIM, PartyRole.WITNESS)
        roles += [rng.choice(others) for _ in range(count - len(roles))]
        roles = roles[:count]
        chosen: set[int] = set()
        for role in roles:
            person = rng.choice(regulars) if role == PartyRole.SUSPECT and rng.random() < 0.1 else fresh()
            if person.pk in chosen:
                continue
            chosen.add(person.pk)
            added = case.received_at + timedelta(hours=rng.uniform(0.2, 6))
            if role == PartyRole.SUSPECT and investigating:
                added = investigating + timedelta(hours=rng.uniform(0.1, 48))
            added = min(added, now)
            parties.append(Party(case=case, person=person, role=role, added_at=added, added_by=plan.officers[0]))
            if role == PartyRole.SUSPECT and investigating and rng.random() < 0.65:
                measures.append(_measure(rng, case, person, station, plan, added, closed_at, now))
        if n % BATCH == 0 or n == total:
            flush(final=n == total)
            report("case details", n, total)


def _measure(rng, case: Case, person: Person, station: Station, plan: Plan, after, closed_at, now) -> Measure:
    kind, _, basis, decider = _weighted(rng, [((k, w, b, d), w) for k, w, b, d in MEASURES[case.kind]])
    started = after + timedelta(hours=rng.uniform(0.5, 24))
    length = {MeasureKind.SUMMONS: timedelta(hours=rng.uniform(2, 12)),
              MeasureKind.CRIMINAL_DETENTION: timedelta(days=rng.uniform(3, 30)),
              MeasureKind.ADMINISTRATIVE_DETENTION: timedelta(days=rng.randrange(1, 16)),
              MeasureKind.BAIL: timedelta(days=rng.uniform(30, 365))}[kind]
    ended = started + length
    if closed_at is not None:
        ended = min(ended, max(closed_at, started + timedelta(hours=1)))
    if started >= now:
        started = now - timedelta(minutes=rng.randrange(10, 120))
    running = ended >= now and closed_at is None
    bail = {}
    if kind == MeasureKind.BAIL:
        if rng.random() < 0.7:
            bail = {"bail_form": BailForm.DEPOSIT, "deposit_amount": rng.choice((2000, 5000, 10000, 20000, 50000))}
        else:
            bail = {"bail_form": BailForm.GUARANTOR, "guarantor_name": _name(rng)[0]}
    return Measure(case=case, person=person, kind=kind, basis=basis, started_at=started,
                   status=MeasureStatus.ACTIVE if running else MeasureStatus.ENDED,
                   decided_by=station.chief if decider == "chief" else station.head,
                   decided_at=started - timedelta(minutes=rng.randrange(5, 60)),
                   ended_at=None if running else ended, end_reason="" if running else "依法解除",
                   created_by=plan.officers[0], created_at=started, **bail)


def _index(case_ids: list[int], persons: list[Person], report) -> None:
    """Index the seeded cases and persons in bulk through the kinds' document builders."""
    from casecenter.people.documents import person_doc
    from casecenter.search.indexing import index_many
    from casecenter.search.preparing import default_jobs

    from .documents import case_doc

    jobs = default_jobs()
    report("index persons", 0, len(persons))
    index_many((person_doc(p, document_numbers=[]) for p in persons), batch_size=1000, jobs=jobs,
               progress=lambda done: report("index persons", done, len(persons)))

    # The documents are built here, in this thread: the worker pool reads its input from another
    # thread, which must not query the database (its connection would not see this transaction).
    report("index cases", 0, len(case_ids))
    written = 0
    for start in range(0, len(case_ids), 400):  # SQLite: the prefetch's IN lists stay small
        chunk = case_ids[start:start + 400]
        cases = (Case.objects.filter(pk__range=(min(chunk), max(chunk)), unit__code__startswith=MARK)
                 .select_related("cause").prefetch_related("parties__person").order_by("pk"))
        written += index_many([case_doc(case) for case in cases], batch_size=1000, jobs=jobs)
        report("index cases", written, len(case_ids))
