"""The deadline pages and API: what each persona sees, refusals with the field named, query counts
that do not grow with the number of rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.core import clock
from casecenter.deadlines import rules
from casecenter.deadlines.models import Alert, DeadlineState
from casecenter.deadlines.scan import scan

from .conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 11, 20, 9, 30)


@pytest.fixture
def deadline(start, hour_rule):
    with clock.frozen(NOW):
        return start(hour_rule, NOW)


def test_the_list_and_the_explanation_are_shown_to_the_station(deadline, login_as, hour_rule):
    client = login_as("officer1")
    listing = client.get(reverse("deadlines:list"))
    assert listing.status_code == 200 and "王某某 询问" in listing.content.decode()
    page = client.get(deadline.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="explanation"' in body and hour_rule.citations[0].label in body


def test_another_district_gets_not_found(deadline, login_as):
    client = login_as("outsider")
    assert client.get(deadline.get_absolute_url()).status_code == 404
    assert "王某某" not in client.get(reverse("deadlines:list")).content.decode()


def test_supervision_opens_the_clocks_it_serves_and_the_breaches_it_was_sent(start, login_as, personas):
    from casecenter.accounts import services as accounts
    from casecenter.accounts.models import Unit

    rule = next(r for r in rules.catalog().rules() if "supervision" in r.notify and r.duration.unit == "hours")
    with clock.frozen(NOW):
        deadline = start(rule, NOW)
    client = login_as("supervisor")
    assert client.get(deadline.get_absolute_url()).status_code == 200  # the city's legal department serves the city
    scan(now=deadline.due_at)
    alert = Alert.objects.get(level="breach")
    assert alert.recipients.filter(user__username="supervisor").exists()
    with clock.frozen(deadline.due_at):
        quiet = start(rule, deadline.due_at, label="李某某 询问")  # no alert yet
    # Serving only its own department now, it no longer sees the station's clocks, except the one
    # whose breach it was sent.
    legal = Unit.objects.get(code="CITY-LEGAL")
    accounts.unit_update(actor=personas["sysadmin"], unit=legal, serves=legal)
    assert client.get(quiet.get_absolute_url()).status_code == 404
    assert client.get(deadline.get_absolute_url()).status_code == 200
    assert client.get(alert.get_absolute_url()).status_code == 200


def test_the_system_administrator_reads_no_deadline(deadline, login_as):
    assert login_as("sysadmin").get(reverse("deadlines:list")).status_code == 403


def test_a_bad_pause_is_refused_on_the_page_with_the_field_named(deadline, login_as):
    client = login_as("officer1")
    with clock.frozen(NOW + timedelta(hours=1)):
        response = client.post(reverse("deadlines:action", args=[deadline.pk, "pause"]),
                               {"kind": deadline.rule_id and "no-such-pause", "at": "2026-11-20T10:00"})
    assert response.status_code == 400
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.RUNNING and not deadline.pauses.exists()


def test_cancelling_from_the_page_records_and_redirects(deadline, login_as):
    client = login_as("officer1")
    missing = client.post(reverse("deadlines:action", args=[deadline.pk, "cancel"]), {"reason": ""})
    assert missing.status_code == 400
    done = client.post(reverse("deadlines:action", args=[deadline.pk, "cancel"]), {"reason": "立案后改为拘留"})
    assert done.status_code == 302
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.CANCELLED


def test_the_inbox_the_badge_and_acknowledging(deadline, login_as):
    scan(now=deadline.due_at)
    alert = Alert.objects.get(level="breach")
    client = login_as("officer1")
    badge = client.get(reverse("deadlines:unread_badge"))
    assert 'data-testid="unread-count"' in badge.content.decode()
    inbox = client.get(reverse("deadlines:alerts"))
    assert inbox.status_code == 200 and alert.get_absolute_url() in inbox.content.decode()
    assert client.get(alert.get_absolute_url()).status_code == 200
    refused = client.post(reverse("deadlines:alert_note", args=[alert.pk, "acknowledge"]), {"note": ""})
    assert refused.status_code == 400
    done = client.post(reverse("deadlines:alert_note", args=[alert.pk, "acknowledge"]), {"note": "正在处理"})
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.state == "acknowledged"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_cost_the_same_queries_for_one_row_and_for_many(start, hour_rule, login_as):
    client = login_as("officer1")
    with clock.frozen(NOW):
        first = start(hour_rule, NOW)
    scan(now=first.due_at)
    one = (_queries(client, reverse("deadlines:list")), _queries(client, reverse("deadlines:alerts")),
           _queries(client, reverse("api:deadline-list")), _queries(client, reverse("api:alert-list")))
    with clock.frozen(NOW + timedelta(minutes=10)):
        for i in range(8):
            start(hour_rule, NOW + timedelta(minutes=i))
    scan(now=first.due_at + timedelta(hours=1))
    many = (_queries(client, reverse("deadlines:list")), _queries(client, reverse("deadlines:alerts")),
            _queries(client, reverse("api:deadline-list")), _queries(client, reverse("api:alert-list")))
    assert many == one


def test_the_api_explains_the_due_time_and_refuses_a_missing_approval(deadline, login_as, extendable_rule):
    client = login_as("officer1")
    detail = client.get(reverse("api:deadline-detail", args=[deadline.pk])).json()
    assert detail["explanation"]["steps"] and detail["explanation"]["citations"][0]["label"]
    tier = next(iter(extendable_rule.extensions)).id
    refused = client.post(reverse("api:deadline-action", args=[deadline.pk, "extend"]),
                          {"tier": tier, "approved_at": "2026-11-20T10:00:00+08:00"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]


def test_the_api_inbox_and_acknowledge(deadline, login_as):
    scan(now=deadline.due_at)
    alert = Alert.objects.get(level="breach")
    client = login_as("officer1")
    assert client.get(reverse("api:alert-unread")).json()["unread"] >= 1
    listed = client.get(reverse("api:alert-list")).json()
    assert alert.pk in [row["id"] for row in listed["results"]]
    bad = client.post(reverse("api:alert-action", args=[alert.pk, "resolve"]), {}, content_type="application/json")
    assert bad.status_code == 400 and "note" in bad.json()["error"]["fields"]
    officer_resolves = client.post(reverse("api:alert-action", args=[alert.pk, "resolve"]), {"note": "已送押"},
                                   content_type="application/json")
    assert officer_resolves.status_code == 403  # a breach is closed by a head or supervision
    ok = client.post(reverse("api:alert-action", args=[alert.pk, "acknowledge"]), {"note": "正在送押"},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "acknowledged"
    resolved = login_as("head").post(reverse("api:alert-action", args=[alert.pk, "resolve"]), {"note": "已送押"},
                                     content_type="application/json")
    assert resolved.status_code == 200 and resolved.json()["state"] == "resolved"


@pytest.mark.parametrize("username", ["reviewer", "supervisor", "analyst"])
def test_those_who_read_the_bureaus_clocks_are_offered_no_action_on_them(deadline, login_as, username):
    client = login_as(username)
    page = client.get(deadline.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="form-meet"' not in page.content.decode()
    refused = client.post(reverse("deadlines:action", args=[deadline.pk, "meet"]), {"at": "2026-11-20 10:00"})
    assert refused.status_code == 403
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.RUNNING


def test_the_centres_duty_officer_records_what_the_clock_offers(deadline, login_as):
    client = login_as("duty")
    assert 'data-testid="form-meet"' in client.get(deadline.get_absolute_url()).content.decode()
    with clock.frozen(NOW + timedelta(hours=1)):
        done = client.post(reverse("deadlines:action", args=[deadline.pk, "meet"]), {"at": "2026-11-20 10:00"})
    assert done.status_code == 302
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET


def test_a_breach_offers_its_resolution_only_to_those_who_may_close_it(deadline, login_as):
    scan(now=deadline.due_at)
    breach = Alert.objects.get(level="breach")
    officer = login_as("officer1").get(breach.get_absolute_url()).content.decode()
    assert 'data-testid="acknowledge"' in officer and 'data-testid="resolve"' not in officer
    head = login_as("head").get(breach.get_absolute_url()).content.decode()
    assert 'data-testid="acknowledge"' in head and 'data-testid="resolve"' in head
    analyst = login_as("analyst")
    assert 'data-testid="alert-note-form"' not in analyst.get(breach.get_absolute_url()).content.decode()
    assert analyst.post(reverse("deadlines:alert_note", args=[breach.pk, "acknowledge"]),
                        {"note": "看到了"}).status_code == 403
