"""The scan: raise each warning threshold and each breach once, routed to the people who must act.

Run every minute by ``casecenter worker`` and once by ``casecenter deadlines scan``. It reads only
the clocks whose ``next_alert_at`` has passed (a partial index), so its cost follows the number of
alerts to raise, not the number of running clocks.

Exactly once, also with several workers scanning at the same time: each batch of clocks is locked
(PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so a second scanner takes other clocks instead of waiting;
SQLite: the write lock every transaction takes at BEGIN), re-read under the lock, and the unique
key (deadline, threshold, due time) of :class:`Alert` refuses a second copy if anything slipped
through — the whole batch then rolls back and nothing is raised twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction

from casecenter.accounts.models import RoleGrant
from casecenter.accounts.roles import Role
from casecenter.accounts.scopes import Scope, bureau_paths, holder_scopes, nearest_bureau
from casecenter.core import clock
from casecenter.ledger.services import record_events

from . import rules
from .models import Alert, AlertLevel, AlertRecipient, Deadline, DeadlineState

log = logging.getLogger(__name__)

BATCH = 1000


@dataclass
class ScanOutcome:
    deadlines: int = 0
    warnings: int = 0
    breaches: int = 0
    alerts: list[int] = field(default_factory=list)

    @property
    def raised(self) -> int:
        return self.warnings + self.breaches


def alert_thresholds(rule: rules.Rule, due_at: datetime) -> list[tuple[int, datetime]]:
    """(seconds before due, instant) of each warning of ``rule``, then the breach (0, due), in
    time order. The one definition the services (next alert after a change) and the scan share."""
    out = [(int(w.total_seconds()), due_at - w) for w in rule.warnings if w.total_seconds() > 0]
    out.append((0, due_at))
    return sorted(out, key=lambda t: t[1])


def pending_thresholds(rule: rules.Rule, due_at: datetime, *, raised_for_due: set[int], raised_before: set[int],
                       alerts_after: datetime | None) -> list[tuple[int, datetime]]:
    """The thresholds of this due time still to raise, in time order.

    Not raised again: one already raised for this due time, and a warning already raised for an
    earlier due time of the clock whose instant has passed by the time the due time moved
    (``alerts_after``: a resume, an extension) — the clock was warned, moving it does not warn
    twice. Always raised: the breach of this due time, and a warning never raised before (late,
    it still says how little time is left).
    """
    return [(seconds, at) for seconds, at in alert_thresholds(rule, due_at)
            if seconds not in raised_for_due
            and not (seconds > 0 and seconds in raised_before and alerts_after is not None and at <= alerts_after)]


class _Routing:
    """Who gets an alert of a clock in a unit: its officers, the department heads of that unit, the
    supervisors whose scope (accounts/scopes.py) holds the unit, and — for a rule whose extensions
    the county-level chief approves — the chiefs of the clock's bureau, who must be able to extend
    it in time or answer for it. Read once per scan."""

    def __init__(self) -> None:
        grants = (RoleGrant.objects.filter(role=Role.DEPARTMENT_HEAD, user__is_active=True)
                  .values_list("user_id", "user__unit_id"))
        self.heads: dict[int, list[int]] = defaultdict(list)
        for user_id, unit_id in grants:
            self.heads[unit_id].append(user_id)
        self.supervisors: list[tuple[Scope, int]] = []
        self.chiefs: dict[str, list[int]] = defaultdict(list)  # by the path of their bureau
        for role, user_id, scope in holder_scopes([Role.SUPERVISOR, Role.COUNTY_CHIEF]):
            if role == Role.SUPERVISOR:
                self.supervisors.append((scope, user_id))
            elif scope.single is not None:
                self.chiefs[scope.single].append(user_id)
        self.bureaus = bureau_paths()

    def recipients(self, deadline: Deadline, officers: list[int], rule: rules.Rule,
                   level: str, unit_path: str) -> list[tuple[int, str]]:
        out: dict[int, str] = {}
        if "officer" in rule.notify:
            for user_id in officers:
                out.setdefault(user_id, AlertRecipient.Reason.OFFICER)
        if "head" in rule.notify:
            for user_id in self.heads.get(deadline.unit_id, ()):
                out.setdefault(user_id, AlertRecipient.Reason.HEAD)
        if any(tier.approval_role == Role.COUNTY_CHIEF for tier in rule.extensions):
            # An extension "经上一级公安机关批准" too: the bureau's chief is the one who asks for it.
            for user_id in self.chiefs.get(nearest_bureau(unit_path, self.bureaus), ()):
                out.setdefault(user_id, AlertRecipient.Reason.APPROVER)
        if "supervision" in rule.notify and level == AlertLevel.BREACH:  # supervision hears of breaches
            for scope, user_id in self.supervisors:
                if scope.contains(unit_path):
                    out.setdefault(user_id, AlertRecipient.Reason.SUPERVISION)
        return sorted(out.items())


def _due_batch(now: datetime, skipped: set[int]) -> list[Deadline]:
    rows = (Deadline.objects.filter(next_alert_at__lte=now, state__in=[DeadlineState.RUNNING, DeadlineState.BREACHED],
                                    ended_at__isnull=True)
            .exclude(pk__in=skipped).select_related("unit").order_by("next_alert_at", "id"))
    if connection.vendor == "postgresql":
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    return list(rows[:BATCH])


def _scan_batch(now: datetime, routing: _Routing, outcome: ScanOutcome, skipped: set[int]) -> int:
    deadlines = _due_batch(now, skipped)
    if not deadlines:
        return 0
    ids = [d.pk for d in deadlines]
    raised: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for deadline_id, seconds, due_at in Alert.objects.filter(deadline_id__in=ids).values_list(
            "deadline_id", "threshold_seconds", "due_at"):
        raised[deadline_id].append((seconds, due_at))
    officers: dict[int, list[int]] = defaultdict(list)
    for deadline_id, user_id in Deadline.officers.through.objects.filter(deadline_id__in=ids).values_list(
            "deadline_id", "user_id"):
        officers[deadline_id].append(user_id)
    catalog = rules.catalog()
    alerts: list[Alert] = []
    changed: list[Deadline] = []
    for deadline in deadlines:
        try:
            rule = catalog.resolve(deadline.rule_id, deadline.started_at)
        except rules.RuleError:
            # A rule a release removed or renamed: this clock needs a person; the others still get
            # their alerts (one bad row must not stop every alert).
            log.exception("deadline %s: its rule %r cannot be resolved; skipped by the scan", deadline.pk,
                          deadline.rule_id)
            skipped.add(deadline.pk)
            continue
        history = raised.get(deadline.pk, [])
        pending = pending_thresholds(rule, deadline.due_at,
                                     raised_for_due={s for s, due in history if due == deadline.due_at},
                                     raised_before={s for s, due in history if due != deadline.due_at},
                                     alerts_after=deadline.alerts_after)
        for seconds, at in pending:
            if at > now:
                break
            level = AlertLevel.BREACH if seconds == 0 else AlertLevel.WARNING
            alert = Alert(deadline=deadline, level=level, severity=rule.severity, threshold_seconds=seconds,
                          due_at=deadline.due_at, raised_at=now)
            alert._route = (rule, level)
            alerts.append(alert)
            if level == AlertLevel.BREACH:
                deadline.state = DeadlineState.BREACHED
        deadline.next_alert_at = next((at for _s, at in pending if at > now), None)
        changed.append(deadline)
    Alert.objects.bulk_create(alerts)
    recipients = []
    for alert in alerts:
        rule, level = alert._route
        for user_id, reason in routing.recipients(alert.deadline, officers.get(alert.deadline_id, []), rule,
                                                  level, alert.deadline.unit.path):
            recipients.append(AlertRecipient(alert=alert, user_id=user_id, reason=reason))
    AlertRecipient.objects.bulk_create(recipients, batch_size=1000)
    Deadline.objects.bulk_update(changed, ["next_alert_at", "state"], batch_size=500)
    record_events(_events(alerts, recipients), actor=None)
    for alert in alerts:
        outcome.alerts.append(alert.pk)
        if alert.level == AlertLevel.BREACH:
            outcome.breaches += 1
        else:
            outcome.warnings += 1
    outcome.deadlines += len(changed)
    return len(deadlines)


def _events(alerts: list[Alert], recipients: list[AlertRecipient]) -> list[dict]:
    routed: dict[int, list[int]] = defaultdict(list)
    for r in recipients:
        routed[r.alert_id].append(r.user_id)
    return [{"action": f"deadlines.alert.{'breach' if a.level == AlertLevel.BREACH else 'warning'}_raised",
             "subject": a, "case": a.deadline.case_id, "person": a.deadline.person_id, "unit": a.deadline.unit_id,
             "data": {"deadline": a.deadline_id, "rule": a.deadline.rule_id, "due_at": a.due_at.isoformat(),
                      "threshold_seconds": a.threshold_seconds, "severity": a.severity,
                      "recipients": routed.get(a.pk, [])}}
            for a in alerts]


def scan(*, now: datetime | None = None) -> ScanOutcome:
    """Raise every alert whose time has come. Each batch commits on its own: a long backlog is
    worked off in pieces, and a batch that fails leaves the others raised."""
    now = now or clock.now()
    outcome = ScanOutcome()
    routing = _Routing()
    skipped: set[int] = set()
    while True:
        with transaction.atomic():
            taken = _scan_batch(now, routing, outcome, skipped)
        if taken < BATCH:
            break
    if outcome.raised:
        log.info("deadline scan: %s warnings, %s breaches", outcome.warnings, outcome.breaches)
    return outcome
