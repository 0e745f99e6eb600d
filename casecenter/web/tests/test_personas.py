"""Every demo persona with the demo data (cases/demo.py: its history and a live set, loaded and
scanned at a frozen time): what their home page shows — which panels, each with its count — and what
the case, deadline and alert lists hold for them. The demo's cases are 城关派出所's but one of
西关派出所's: the 东城 bureau's people see the former through the scope of their role
(accounts/scopes.py), 西城's officer the latter, and the city's supervisor both."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from casecenter.accounts.demo import PERSONAS
from casecenter.accounts.models import Unit
from casecenter.cases.demo import load_demo, refresh_demo
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
    "sysadmin": ["accounts:panel_units_without_head", "accounts:panel_accounts_without_role"],
    "secadmin": ["accounts:panel_locked", "accounts:panel_no_authenticator", "accounts:panel_tokens_expiring",
                 "accounts:panel_accounts_without_role"],
    "lawyer": [], "procurator": [], "judge": [],
}
#: The unit whose subtree each content persona sees, written out here (not computed by the code under test).
SCOPE = {"officer1": "EAST-STATION1", "officer2": "EAST-STATION1", "head": "EAST-STATION1", "chief": "EAST",
         "reviewer": "EAST", "duty": "EAST", "custodian": "EAST", "analyst": "EAST", "supervisor": "CITY",
         "outsider": "WEST-STATION1"}
CONTENT = set(SCOPE)


@pytest.fixture
def demo(personas):
    with clock.frozen(NOW):
        load_demo(personas)
        refresh_demo(personas)
        scan(now=NOW)
    with clock.frozen(NOW):
        yield personas


def _path(persona: str) -> str:
    return Unit.objects.get(code=SCOPE[persona]).path


def _expected_count(panel: str, user, persona: str) -> int:
    """What the panel counts, from the demo's rows in the persona's scope."""
    path = _path(persona)
    clocks = Deadline.objects.open().filter(due_at__lt=NOW + DAY)
    working = Case.objects.filter(status__in=WORKING_STATUSES)
    counts = {
        MY_CLOCKS: clocks.filter(officers=user).count(),
        CLOCKS: clocks.filter(unit__path__startswith=path).count(),
        ALERTS: Alert.objects.filter(recipients__user=user, state=AlertState.OPEN).count(),
        MY_CASES: working.filter(officers=user).count(),
        SCOPE_CASES: working.filter(unit__path__startswith=path).count(),
        DECISIONS: Case.objects.filter(status=CaseStatus.ACCEPTED, unit__path__startswith=path).count(),
        BREACHES: Alert.objects.filter(level=AlertLevel.BREACH, deadline__unit__path__startswith=path)
        .exclude(state=AlertState.RESOLVED).values("deadline").distinct().count(),
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
            assert count == _expected_count(panel, user, persona), panel
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
    path = _path(persona)
    assert cases.context["page"].paginator.count == Case.objects.filter(unit__path__startswith=path).count()
    assert clocks.context["page"].paginator.count == Deadline.objects.open().filter(
        unit__path__startswith=path).count()
    assert alerts.context["page"].paginator.count == Alert.objects.filter(recipients__user=user).count()
    units = client.get(reverse("deadlines:alerts"), {"scope": "units"})
    assert units.context["page"].paginator.count == Alert.objects.filter(deadline__unit__path__startswith=path).count()


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
