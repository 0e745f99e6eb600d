"""The deadlines' home panels (deadlines/panels.py): clocks due within a day with their live
countdowns, the alerts not acknowledged, supervision's breaches by unit; the filtered lists they
link to; and that more rows cost no more queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from casecenter.accounts.models import Unit
from casecenter.core import clock
from casecenter.core.testing import panel_count, queries_of
from casecenter.deadlines import services
from casecenter.deadlines.scan import scan

from .conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 11, 20, 9, 30)


@pytest.fixture
def clocks(start, hour_rule, personas):
    """``clocks(n, at=…, unit=…)``: n clocks of the hour rule started at ``at``, officer1 responsible."""
    def _clocks(n, *, at=NOW, unit=None):
        made = []
        with clock.frozen(at):
            for i in range(n):
                if unit is None:
                    made.append(start(hour_rule, at, label=f"王某{i} 询问"))
                else:
                    made.append(services.deadline_start(
                        actor=personas["officer1"], rule_id=hour_rule.id, subject=unit, started_at=at, unit=unit,
                        officers=[personas["officer1"]], label=f"李某{i} 询问", held=True))
        return made
    return _clocks


@pytest.mark.parametrize("panel, username", [("deadlines:panel_my_clocks", "officer1"),
                                             ("deadlines:panel_clocks", "chief"),
                                             ("deadlines:panel_alerts", "officer1"),
                                             ("deadlines:panel_breaches", "supervisor")])
def test_more_clocks_and_alerts_cost_a_panel_no_more_queries(clocks, login_as, hour_rule, panel, username):
    client = login_as(username)
    station2 = Unit.objects.get(code="EAST-STATION2")
    first = clocks(1)
    late = first[0].due_at + timedelta(minutes=5)
    with clock.frozen(late):
        scan(now=late)
        client.get(reverse(panel))
        one = queries_of(client, reverse(panel))
    more = clocks(6) + clocks(3, unit=station2)
    with clock.frozen(late):
        scan(now=late)
        assert queries_of(client, reverse(panel)) == one
        response = client.get(reverse(panel))
    assert panel_count(response) > 1 and 'data-testid="panel-empty"' not in response.content.decode()
    assert len(more) == 9


def test_my_clocks_show_the_soonest_with_live_countdowns_and_link_to_the_filtered_list(clocks, login_as, hour_rule,
                                                                                       personas):
    soon = clocks(2)
    later = clocks(1, at=NOW + timedelta(days=3))  # due in more than a day
    client = login_as("officer1")
    with clock.frozen(NOW + timedelta(hours=1)):
        body = client.get(reverse("deadlines:panel_my_clocks")).content.decode()
        listed = client.get(reverse("deadlines:list"), {"due": "24h", "officer": "me"})
    assert 'data-count="2"' in body and body.count('data-testid="countdown"') == 2
    assert 'data-days="{n}天"' in body or 'data-days="{n} days"' in body  # days in the reader's words, no "d"
    assert 'href="/deadlines/?due=24h&amp;officer=me"' in body
    assert [d.pk for d in listed.context["page"].object_list] == [d.pk for d in soon]
    assert later[0].pk not in [d.pk for d in listed.context["page"].object_list]
    assert 'data-count="0"' in login_as("outsider").get(reverse("deadlines:panel_clocks")).content.decode()


def test_overdue_clocks_are_counted_apart_and_listed_by_their_own_filter(clocks, login_as):
    overdue = clocks(1)[0]
    clocks(1, at=overdue.due_at - timedelta(hours=2))
    client = login_as("head")
    with clock.frozen(overdue.due_at + timedelta(minutes=1)):
        body = client.get(reverse("deadlines:panel_clocks")).content.decode()
        listed = client.get(reverse("deadlines:list"), {"due": "overdue"})
    assert 'data-count="2"' in body and 'data-testid="panel-overdue"' in body
    assert 'href="/deadlines/?due=overdue"' in body
    assert [d.pk for d in listed.context["page"].object_list] == [overdue.pk]


def test_unacknowledged_alerts_wait_on_the_home_page_until_acknowledged(clocks, login_as):
    deadline = clocks(1)[0]
    scan(now=deadline.due_at)
    client = login_as("officer1")
    body = client.get(reverse("deadlines:panel_alerts")).content.decode()
    count = panel_count(client.get(reverse("deadlines:panel_alerts")))
    assert count >= 2 and 'href="/deadlines/alerts/?state=open"' in body  # the warnings and the breach
    alert = deadline.alerts.order_by("-raised_at", "-id").first()
    client.post(reverse("deadlines:alert_note", args=[alert.pk, "acknowledge"]), {"note": "正在处理"})
    assert panel_count(client.get(reverse("deadlines:panel_alerts"))) == count - 1


def test_supervision_sees_breaches_and_warnings_by_unit_each_linking_to_its_alerts(clocks, login_as, hour_rule):
    station1 = clocks(2)
    station2 = clocks(1, unit=Unit.objects.get(code="EAST-STATION2"))
    scan(now=station1[0].due_at)  # station 1's two clocks breached; station 2's started at the same time too
    # Due after the scan by half its first warning: warned only, in station 1.
    warned = clocks(1, at=NOW + max(hour_rule.warnings) / 2)
    scan(now=station1[0].due_at)
    client = login_as("supervisor")
    response = client.get(reverse("deadlines:panel_breaches"))
    units = response.context["units"]
    assert [(u["name"], u["breaches"], u["warnings"]) for u in units] == [
        ("东城区公安分局城关派出所", 2, 1), ("东城区公安分局河东派出所", 1, 0)]
    station1_id = Unit.objects.get(code="EAST-STATION1").pk
    listed = client.get(reverse("deadlines:alerts"), {"scope": "units", "unit": station1_id, "level": "breach",
                                                      "state": "unresolved"})
    assert {a.deadline_id for a in listed.context["page"].object_list} == {d.pk for d in station1}
    assert len(station2) == 1 and len(warned) == 1
    assert 'data-count="0"' in login_as("outsider").get(reverse("deadlines:panel_breaches")).content.decode()
