"""Demo clocks for the demonstration installation: a few running clocks of 城关派出所 so that the
deadline list, an explanation and the alerts inbox have something to show. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from casecenter.core import clock

from . import services
from .models import Deadline
from .scan import scan

# (rule, started how long ago, held, label)
DEMO_CLOCKS = [
    ("criminal-summons", timedelta(hours=10, minutes=50), True, "王某某 刑事传唤（演示）"),
    ("detention-to-detention-house", timedelta(hours=3), True, "李某 拘留后送看守所（演示）"),
    ("arrest-request", timedelta(days=2), True, "李某 提请批准逮捕（演示）"),
    ("public-order-case", timedelta(days=12), False, "张某 殴打他人案 治安案件办理（演示）"),
]


def load_demo(users) -> None:
    officer = users["officer1"]
    unit = officer.unit
    if Deadline.objects.filter(label__endswith="（演示）").exists():
        return
    now = clock.now()
    for rule_id, ago, held, label in DEMO_CLOCKS:
        services.deadline_start(actor=officer, rule_id=rule_id, subject=unit, started_at=now - ago, unit=unit,
                                officers=[officer, users["officer2"]], held=held, label=label)
    scan(now=now)
