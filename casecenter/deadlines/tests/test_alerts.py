"""Alerts: read, acknowledged with a note, resolved — each recorded, each refusal clear."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casecenter.core import clock
from casecenter.core.errors import Conflict, ValidationFailed
from casecenter.deadlines import services
from casecenter.deadlines.models import Alert, AlertState
from casecenter.deadlines.scan import scan
from casecenter.deadlines.selectors import alert_list, unread_count
from casecenter.ledger.testing import assert_records, last_event_id

from .conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 11, 20, 9, 30)


@pytest.fixture
def breach(start, hour_rule):
    with clock.frozen(NOW):
        deadline = start(hour_rule, NOW)
    scan(now=deadline.due_at)
    return Alert.objects.get(level="breach")


def test_reading_an_alert_counts_it_read_once_and_records_who_read_it(breach, personas):
    officer = personas["officer1"]
    unread = unread_count(officer)
    mark = last_event_id()
    assert services.alert_mark_read(actor=officer, alert=breach) is True
    assert services.alert_mark_read(actor=officer, alert=breach) is False
    assert unread_count(officer) == unread - 1
    assert_records("deadlines.alert.read", after=mark, count=1, actor=officer, subject=breach)


def test_acknowledge_needs_a_note_and_happens_once(breach, personas):
    officer = personas["officer1"]
    with pytest.raises(ValidationFailed) as no_note:
        services.alert_acknowledge(actor=officer, alert=breach, note=" ")
    assert "note" in no_note.value.fields
    mark = last_event_id()
    alert = services.alert_acknowledge(actor=officer, alert=breach, note="已报告值班领导，正在办理送押")
    assert (alert.state, alert.acknowledged_by) == (AlertState.ACKNOWLEDGED, officer)
    assert_records("deadlines.alert.acknowledged", after=mark, actor=officer, subject=alert,
                   data={"note": "已报告值班领导，正在办理送押"})
    with pytest.raises(Conflict):
        services.alert_acknowledge(actor=personas["head"], alert=breach, note="再次确认")


def test_resolve_closes_the_alert_for_everyone(breach, personas):
    unread = unread_count(personas["officer1"])
    mark = last_event_id()
    alert = services.alert_resolve(actor=personas["head"], alert=breach, note="已送押")
    assert alert.state == AlertState.RESOLVED
    assert unread_count(personas["officer1"]) == unread - 1  # a resolved alert leaves every unread count
    assert_records("deadlines.alert.resolved", after=mark, actor=personas["head"], subject=alert)
    with pytest.raises(Conflict):
        services.alert_resolve(actor=personas["head"], alert=breach, note="again")


def test_the_inbox_lists_what_was_routed_to_me_and_heads_see_their_units(breach, personas):
    every = set(Alert.objects.values_list("pk", flat=True))
    assert breach.pk in every

    def ids(**filters):
        return {a.pk for a in alert_list(**filters)}

    assert ids(user=personas["officer1"]) == every
    assert ids(user=personas["officer2"]) == set()  # same station, not responsible for this clock
    assert ids(user=personas["officer2"], scope="units") == every
    assert ids(user=personas["outsider"], scope="units") == set()
    assert ids(user=personas["officer1"], level="breach") == {breach.pk}
    services.alert_mark_read(actor=personas["officer1"], alert=breach)
    assert ids(user=personas["officer1"], unread=True) == every - {breach.pk}


def test_a_warning_before_the_breach_is_kept_apart_from_it(start, hour_rule, personas):
    with clock.frozen(NOW):
        deadline = start(hour_rule, NOW)
    scan(now=deadline.due_at - min(hour_rule.warnings) + timedelta(seconds=1))
    levels = sorted(Alert.objects.values_list("level", flat=True))
    assert levels == ["warning"] * len(hour_rule.warnings)
