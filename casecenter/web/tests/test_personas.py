"""Every demo persona with the demo data (cases/demo.py, loaded and scanned at a frozen time): what
their home page shows — which panels, each with its count — and what the case, deadline and alert
lists hold for them. All the demo's cases are 城关派出所's, so the 东城 bureau's people see all of
them, each through the scope of their role (accounts/scopes.py), and 西城's officer none."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from casecenter.accounts.demo import PERSONAS
from casecenter.cases.demo import load_demo
from casecenter.cases.models import Case, CaseStatus
from casecenter.cases.selectors import WORKING_STATUSES
from casecenter.core import clock
from casecenter.core.testing import panel_count
from casecenter.deadlines.models import Alert, AlertLevel, AlertState, Deadline
from casecenter.deadlines.scan import scan
from casecenter.web.navigation import navigation_for

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DAY = dt.timedelta(hours=24)

MY_CLOCKS, CLOCKS, ALERTS, BREACHES = ("deadlines:panel_my_clocks", "deadlines:panel_clocks",
                                       "deadlines:panel_alerts", "deadlines:panel_breaches")
MY_CASES, SCOPE_CASES, DECISIONS = "cases:panel_mine", "cases:panel_scope", "cases:panel_decisions"

#: The panels of each persona's home page, in order.
HOME = {
    "officer1": [MY_CLOCKS, ALERTS, MY_CASES],
    "officer2": [MY_CLOCKS, ALERTS, MY_CASES],
    "outsider": [MY_CLOCKS, ALERTS, MY_CASES],
    "head": [DECISIONS, CLOCKS, ALERTS, SCOPE_CASES],
    "chief": [DECISIONS, ALERTS, CLOCKS, BREACHES],
    "reviewer": [DECISIONS, CLOCKS, SCOPE_CASES],
    "supervisor": [BREACHES, ALERTS, SCOPE_CASES],
    "duty": [CLOCKS, SCOPE_CASES],
    "custodian": [CLOCKS, SCOPE_CASES],
    "analyst": [SCOPE_CASES],
    "auditadmin": ["ledger:checkpoint_panel"],
    "sysadmin": [], "secadmin": [], "lawyer": [], "procurator": [], "judge": [],
}
#: Those who see the 东城 bureau's records (all the demo's cases); the outsider sees its own district.
EAST = {"officer1", "officer2", "head", "chief", "reviewer", "supervisor", "duty", "custodian", "analyst"}
CONTENT = EAST | {"outsider"}


@pytest.fixture
def demo(personas):
    with clock.frozen(NOW):
        load_demo(personas)
        scan(now=NOW)
    with clock.frozen(NOW):
        yield personas


def _expected_count(panel: str, user, *, east: bool) -> int:
    """What the panel counts, from the demo's rows (all of 城关派出所: in the scope of every 东城 persona)."""
    clocks = Deadline.objects.open().filter(due_at__lt=NOW + DAY)
    working = Case.objects.filter(status__in=WORKING_STATUSES)
    counts = {
        MY_CLOCKS: clocks.filter(officers=user).count(),
        CLOCKS: clocks.count() if east else 0,
        ALERTS: Alert.objects.filter(recipients__user=user, state=AlertState.OPEN).count(),
        MY_CASES: working.filter(officers=user).count(),
        SCOPE_CASES: working.count() if east else 0,
        DECISIONS: Case.objects.filter(status=CaseStatus.ACCEPTED).count() if east else 0,
        BREACHES: Alert.objects.filter(level=AlertLevel.BREACH).exclude(state=AlertState.RESOLVED)
        .values("deadline").distinct().count() if east else 0,
    }
    return counts[panel]


def test_the_demo_gives_each_role_work_to_see(demo):
    """What the personas below are checked against is there at all: running clocks within a day,
    an alert delivered, a decision waiting, a breach, cases in hand."""
    assert Deadline.objects.open().filter(due_at__gt=NOW, due_at__lt=NOW + DAY).exists()
    assert Alert.objects.filter(recipients__user=demo["officer1"]).exists()
    assert Alert.objects.filter(level=AlertLevel.BREACH).exists()
    assert Case.objects.filter(status=CaseStatus.ACCEPTED).exists()
    assert Case.objects.filter(status__in=WORKING_STATUSES, officers=demo["officer1"]).exists()


@pytest.mark.parametrize("persona", [p.username for p in PERSONAS])
def test_each_persona_sees_their_roles_work_at_home_and_their_scope_in_the_lists(demo, login_as, persona):
    client = login_as(persona)
    _home(client, demo[persona], persona)
    _lists(client, demo[persona], persona)
    for item in navigation_for(demo[persona], None):  # and no link of the menu answers 403, 404 or 500
        assert client.get(item["url"]).status_code == 200, item["url"]


def _home(client, user, persona: str) -> None:
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    body = home.content.decode()
    assert re.findall(r'data-panel="([^"]+)"', body) == HOME[persona]
    if not HOME[persona]:
        assert 'data-testid="home-waiting"' in body  # what will appear here, instead of a blank page
    for panel in HOME[persona]:
        fragment = client.get(reverse(panel))
        assert fragment.status_code == 200, panel
        if panel.startswith(("cases:", "deadlines:")):
            text = fragment.content.decode()
            count = panel_count(fragment)
            assert count == _expected_count(panel, user, east=persona in EAST), panel
            if panel != BREACHES:  # (its rows are units)
                assert text.count('data-testid="panel-row"') == min(count, 5), panel
                assert (count == 0) == ('data-testid="panel-empty"' in text), panel


def _lists(client, user, persona: str) -> None:
    cases = client.get(reverse("cases:list"))
    clocks = client.get(reverse("deadlines:list"))
    alerts = client.get(reverse("deadlines:alerts"))
    if persona not in CONTENT:
        assert (cases.status_code, clocks.status_code, alerts.status_code) == (403, 403, 403)
        return
    east = persona in EAST
    assert cases.context["page"].paginator.count == (Case.objects.count() if east else 0)
    assert clocks.context["page"].paginator.count == (Deadline.objects.open().count() if east else 0)
    assert alerts.context["page"].paginator.count == Alert.objects.filter(recipients__user=user).count()
    units = client.get(reverse("deadlines:alerts"), {"scope": "units"})
    assert units.context["page"].paginator.count == (Alert.objects.count() if east else 0)


@pytest.mark.parametrize("persona", ["officer1", "head", "chief", "reviewer", "supervisor"])
def test_the_roles_the_issue_names_see_real_work_at_once(demo, login_as, persona):
    client = login_as(persona)

    def count(panel):
        return panel_count(client.get(reverse(panel)))

    if persona == "officer1":
        assert count(MY_CLOCKS) > 0 and count(ALERTS) > 0 and count(MY_CASES) > 0
    if persona in ("chief", "head", "reviewer"):
        assert count(DECISIONS) > 0
    if persona in ("reviewer", "supervisor"):
        assert count(SCOPE_CASES) > 0
    if persona in ("chief", "supervisor"):
        assert count(BREACHES) > 0
