"""The demonstration organisation: a city bureau, two district bureaus, their stations, the legal
department, the case-handling centre and the property centre, and one persona per role.

Used by ``casecenter demo`` and by the test suite's personas, so that both speak of the same people.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from . import services
from .models import Unit, UnitKind, User
from .roles import Role

DEMO_PASSWORD = "demo-casecenter-2026"

# (code, name, kind, parent code)
UNITS = [
    ("CITY", "示范市公安局", UnitKind.CITY_BUREAU, None),
    ("CITY-LEGAL", "示范市公安局法制支队", UnitKind.LEGAL_DEPARTMENT, "CITY"),
    ("EAST", "东城区公安分局", UnitKind.DISTRICT_BUREAU, "CITY"),
    ("EAST-STATION1", "东城区公安分局城关派出所", UnitKind.POLICE_STATION, "EAST"),
    ("EAST-STATION2", "东城区公安分局河东派出所", UnitKind.POLICE_STATION, "EAST"),
    ("EAST-CID", "东城区公安分局刑事侦查大队", UnitKind.CRIMINAL_BRIGADE, "EAST"),
    ("EAST-LEGAL", "东城区公安分局法制大队", UnitKind.LEGAL_DEPARTMENT, "EAST"),
    ("EAST-CENTRE", "东城区公安分局执法办案管理中心", UnitKind.CASE_CENTRE, "EAST"),
    ("EAST-PROPERTY", "东城区公安分局涉案财物管理中心", UnitKind.PROPERTY_CENTRE, "EAST"),
    ("WEST", "西城区公安分局", UnitKind.DISTRICT_BUREAU, "CITY"),
    ("WEST-STATION1", "西城区公安分局西关派出所", UnitKind.POLICE_STATION, "WEST"),
    ("PROC", "示范市东城区人民检察院", UnitKind.PROCURATORATE, None),
    ("COURT", "示范市东城区人民法院", UnitKind.COURT, None),
    ("LAWFIRM", "示范律师事务所", UnitKind.LAW_FIRM, None),
]
#: The units the legal departments serve (accounts/scopes.py), set as an administrator would: the
#: same as the default (their bureau), written out. The centres keep the default.
SERVES = {"EAST-LEGAL": "EAST", "CITY-LEGAL": "CITY"}


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    unit: str
    roles: tuple[str, ...]
    note: str


PERSONAS = [
    Persona("officer1", "王建国", "EAST-STATION1", (Role.CASE_OFFICER,), "case officer, 城关派出所"),
    Persona("officer2", "李红梅", "EAST-STATION1", (Role.CASE_OFFICER,), "second case officer, same station"),
    Persona("duty", "张卫东", "EAST-CENTRE", (Role.AREA_DUTY_OFFICER,), "area duty officer, 办案中心"),
    Persona("reviewer", "刘静", "EAST-LEGAL", (Role.LEGAL_REVIEWER,), "legal reviewer, 法制大队"),
    Persona("head", "陈志强", "EAST-STATION1", (Role.DEPARTMENT_HEAD,), "department head, 城关派出所"),
    Persona("chief", "赵国庆", "EAST", (Role.COUNTY_CHIEF,), "county-level chief, 东城分局"),
    Persona("custodian", "孙丽", "EAST-PROPERTY", (Role.PROPERTY_CUSTODIAN,), "property custodian"),
    Persona("supervisor", "周明", "CITY-LEGAL", (Role.SUPERVISOR,), "supervisor, city legal department"),
    Persona("analyst", "吴晓峰", "EAST-CID", (Role.ANALYST,), "analyst, 刑侦大队"),
    Persona("outsider", "郑海", "WEST-STATION1", (Role.CASE_OFFICER,), "case officer of another district"),
    Persona("sysadmin", "钱系统", "CITY", (Role.SYSTEM_ADMIN,), "system administrator"),
    Persona("secadmin", "冯安全", "CITY", (Role.SECURITY_ADMIN,), "security administrator"),
    Persona("auditadmin", "何审计", "CITY", (Role.AUDIT_ADMIN,), "audit administrator"),
    Persona("lawyer", "林律师", "LAWFIRM", (Role.LAWYER,), "external lawyer"),
    Persona("procurator", "高检察", "PROC", (Role.PROCURATORATE,), "procuratorate"),
    Persona("judge", "马法官", "COURT", (Role.COURT,), "court"),
]


@transaction.atomic
def build_demo_organisation(password: str = DEMO_PASSWORD) -> dict[str, User]:
    """Create the demo units and personas (idempotent: existing ones are kept). Returns users by name."""
    units: dict[str, Unit] = {}
    for code, name, kind, parent in UNITS:
        unit = Unit.objects.filter(code=code).first()
        units[code] = unit or services.unit_create(actor=None, code=code, name=name, kind=kind,
                                                   parent=units[parent] if parent else None,
                                                   serves=units[SERVES[code]] if code in SERVES else None)
    users: dict[str, User] = {}
    for persona in PERSONAS:
        user = User.objects.filter(username=persona.username).first()
        if user is None:
            user = services.user_create(actor=None, username=persona.username, full_name=persona.full_name,
                                        unit=units[persona.unit], password=password)
            services.user_set_roles(actor=None, user=user, roles=persona.roles)
        users[persona.username] = user
    return users
