"""The scan: each threshold once, routed to officer, head and supervision, recorded; also with two
scanners at once on PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, connections

from casecenter.core import clock
from casecenter.deadlines import services
from casecenter.deadlines.models import Alert, AlertLevel, AlertRecipient, DeadlineState
from casecenter.deadlines.scan import scan
from casecenter.deadlines.selectors import unread_count
from casecenter.ledger.testing import assert_records, last_event_id

from .conftest import local

NOW = local(2026, 11, 20, 9, 30)


def _due(deadline):
    deadline.refresh_from_db()
    return deadline.due_at


@pytest.mark.django_db
def test_a_warning_is_raised_once_at_its_threshold_and_goes_to_the_officer(start, hour_rule, personas):
    with clock.frozen(NOW):
        deadline = start(hour_rule, NOW)
    first_warning = max(hour_rule.warnings)
    before = deadline.due_at - first_warning - timedelta(seconds=1)
    assert scan(now=before).raised == 0
    mark = last_event_id()
    outcome = scan(now=deadline.due_at - first_warning)
    assert (outcome.warnings, outcome.breaches) == (1, 0)
    assert scan(now=deadline.due_at - first_warning + timedelta(seconds=30)).raised == 0  # once
    alert = Alert.objects.get()
    assert (alert.level, alert.threshold_seconds) == (AlertLevel.WARNING, int(first_warning.total_seconds()))
    assert personas["officer1"].pk in set(alert.recipients.values_list("user_id", flat=True))
    assert unread_count(personas["officer1"]) == 1 and unread_count(personas["outsider"]) == 0
    assert_records("deadlines.alert.warning_raised", after=mark, actor=None, subject=alert,
                   data={"deadline": deadline.pk, "threshold_seconds": alert.threshold_seconds})


@pytest.mark.django_db
def test_a_breach_marks_the_clock_breached_and_reaches_the_head_and_supervision(start, hour_rule, personas):
    with clock.frozen(NOW):
        deadline = start(hour_rule, NOW)
    mark = last_event_id()
    outcome = scan(now=deadline.due_at + timedelta(minutes=1))  # a late scan raises every passed threshold
    assert outcome.breaches == 1 and outcome.warnings == len(hour_rule.warnings)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.BREACHED and deadline.next_alert_at is None
    breach = Alert.objects.get(level=AlertLevel.BREACH)
    routed = dict(breach.recipients.values_list("user__username", "reason"))
    expected = {"officer1": AlertRecipient.Reason.OFFICER}
    if "head" in hour_rule.notify:
        expected["head"] = AlertRecipient.Reason.HEAD
    if "supervision" in hour_rule.notify:
        expected["supervisor"] = AlertRecipient.Reason.SUPERVISION
    if any(tier.approval_role == "county_chief" for tier in hour_rule.extensions):
        expected["chief"] = AlertRecipient.Reason.APPROVER
    assert routed == expected
    assert "outsider" not in routed
    assert_records("deadlines.alert.breach_raised", after=mark, subject=breach, data={"deadline": deadline.pk})
    assert scan(now=deadline.due_at + timedelta(hours=1)).raised == 0


@pytest.mark.django_db
def test_an_extension_gets_thresholds_of_its_own(start, extendable_rule, personas):
    tier = next(e for e in extendable_rule.extensions if not e.requires)
    approver = next(u for u in personas.values() if u.has_role(tier.approval_role)
                    and u.unit.path in personas["officer1"].unit.path)
    with clock.frozen(NOW):
        deadline = start(extendable_rule, NOW)
    due = deadline.due_at
    scan(now=due - timedelta(seconds=1))
    raised = Alert.objects.count()
    with clock.frozen(due - timedelta(seconds=1)):
        services.deadline_extend(actor=personas["officer1"], deadline=deadline, tier=tier.id,
                                 approval=services.ExtensionApproval(approver=approver, approved_at=due - timedelta(
                                     minutes=5), reference="延-1"))
    new_due = _due(deadline)
    assert new_due > due
    assert scan(now=due + timedelta(minutes=1)).breaches == 0  # the old due time is not a breach any more
    assert scan(now=new_due).breaches == 1
    assert Alert.objects.count() > raised + 1


@pytest.mark.django_db
def test_a_paused_clock_raises_nothing(start, hour_rule, personas):
    with clock.frozen(NOW + timedelta(minutes=10)):
        deadline = start(hour_rule, NOW)
        services.deadline_pause(actor=personas["officer1"], deadline=deadline, kind=hour_rule.pauses[0].id,
                                at=NOW + timedelta(minutes=5))
    assert scan(now=NOW + timedelta(days=30)).raised == 0


def _scan_in_thread(now, results, barrier):
    try:
        barrier.wait(timeout=10)
        for _attempt in range(400):
            try:
                results.append(scan(now=now).raised)
                return
            except OperationalError as exc:
                # SQLite's in-memory test database answers "table is locked" at once where a real
                # database file waits for the lock (busy_timeout): wait here instead.
                if "locked" not in str(exc):
                    raise
                time.sleep(0.02)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_scanners_at_once_raise_each_alert_once(start, hour_rule, personas):
    """Two workers scan the same minute over the same clocks at the same moment (threads with their
    own connections): every threshold is raised by exactly one of them."""
    with clock.frozen(NOW):
        deadlines = [start(hour_rule, NOW + timedelta(seconds=i)) for i in range(60)]
    later = max(d.due_at for d in deadlines) + timedelta(minutes=1)
    results: list[int] = []
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=_scan_in_thread, args=(later, results, barrier)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    expected = len(deadlines) * (len(hour_rule.warnings) + 1)
    assert sum(results) == expected, (connection.vendor, results)
    assert Alert.objects.count() == expected
    assert Alert.objects.filter(level=AlertLevel.BREACH).count() == len(deadlines)


@pytest.mark.django_db
def test_a_pause_and_resume_do_not_raise_a_warning_twice(start, hour_rule, personas):
    with clock.frozen(NOW):
        deadline = start(hour_rule, NOW)
    first_warning = max(hour_rule.warnings)
    warned_at = deadline.due_at - first_warning
    assert scan(now=warned_at).warnings == 1
    with clock.frozen(warned_at + timedelta(minutes=20)):
        services.deadline_pause(actor=personas["officer1"], deadline=deadline, kind=hour_rule.pauses[0].id,
                                at=warned_at + timedelta(minutes=5))
        services.deadline_resume(actor=personas["officer1"], deadline=deadline, at=warned_at + timedelta(minutes=15))
    new_due = _due(deadline)
    assert new_due == NOW + timedelta(hours=hour_rule.duration.amount, minutes=10)
    assert scan(now=warned_at + timedelta(minutes=21)).raised == 0  # the same warning, not again
    assert scan(now=new_due).breaches == 1
    assert Alert.objects.filter(threshold_seconds=int(first_warning.total_seconds())).count() == 1


@pytest.mark.django_db
def test_a_clock_whose_rule_is_gone_is_skipped_and_the_others_are_scanned(start, hour_rule, caplog):
    with clock.frozen(NOW):
        broken = start(hour_rule, NOW)
        healthy = start(hour_rule, NOW + timedelta(minutes=1))
    type(broken).objects.filter(pk=broken.pk).update(rule_id="removed-in-a-release")
    outcome = scan(now=healthy.due_at)
    assert outcome.breaches == 1 and Alert.objects.filter(deadline=healthy, level=AlertLevel.BREACH).exists()
    assert not Alert.objects.filter(deadline=broken).exists()
    assert "removed-in-a-release" in caplog.text


@pytest.fixture
def west_chief(personas):
    from casecenter.accounts import services as accounts
    from casecenter.accounts.models import Unit
    from casecenter.accounts.roles import Role

    user = accounts.user_create(actor=None, username="westchief", full_name="钱局长", password="correct horse battery",
                                unit=Unit.objects.get(code="WEST"))
    accounts.user_set_roles(actor=None, user=user, roles=[Role.COUNTY_CHIEF])
    return user


def _with_chief_tier(rule) -> bool:
    return any(tier.approval_role == "county_chief" for tier in rule.extensions)


@pytest.mark.django_db
def test_the_bureaus_chief_is_told_of_a_clock_whose_extension_is_theirs_to_approve(start, personas, west_chief):
    from .conftest import _pick

    rule = _pick(lambda r: _with_chief_tier(r) and r.warnings and r.valid_until is None
                 and (r.valid_from is None or r.valid_from <= NOW.date()))
    with clock.frozen(NOW):
        deadline = start(rule, NOW)
    scan(now=deadline.due_at - max(rule.warnings))  # the first warning: time enough to extend
    warning = Alert.objects.get()
    routed = dict(warning.recipients.values_list("user__username", "reason"))
    assert routed["chief"] == AlertRecipient.Reason.APPROVER and "westchief" not in routed
    assert unread_count(personas["chief"]) == 1 and unread_count(west_chief) == 0


@pytest.mark.django_db
def test_the_chief_is_not_told_of_a_clock_the_head_extends(start, personas):
    from .conftest import _pick

    rule = _pick(lambda r: not _with_chief_tier(r) and "head" in r.notify and r.warnings and r.valid_until is None
                 and (r.valid_from is None or r.valid_from <= NOW.date()))
    with clock.frozen(NOW):
        deadline = start(rule, NOW)
    scan(now=deadline.due_at)
    assert Alert.objects.exists()
    assert not AlertRecipient.objects.filter(user=personas["chief"]).exists()
    assert AlertRecipient.objects.filter(user=personas["head"]).exists()
