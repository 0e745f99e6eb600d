"""The cases' home panels (cases/panels.py): what each counts and shows, the filtered lists they link
to, and that more cases cost no more queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casecenter.cases.services import cases as case_services
from casecenter.core.testing import panel_count, queries_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("panel, username", [("cases:panel_mine", "officer1"), ("cases:panel_scope", "reviewer"),
                                             ("cases:panel_decisions", "chief")])
def test_more_cases_cost_a_panel_no_more_queries(intake, login_as, personas, ago, panel, username):
    client = login_as(username)

    def add(n):
        for _ in range(n):
            case = intake()
            case_services.case_accept(actor=personas["officer1"], case=case, at=ago(minutes=30))

    add(1)
    client.get(reverse(panel))  # the session and caches warm
    one = queries_of(client, reverse(panel))
    add(7)
    assert queries_of(client, reverse(panel)) == one
    response = client.get(reverse(panel))
    assert panel_count(response) == 8 and response.content.decode().count('data-testid="panel-row"') == 5


def test_my_cases_are_counted_by_status_each_linking_to_its_list(intake, login_as, personas, ago):
    accepted = case_services.case_accept(actor=personas["officer1"], case=intake(), at=ago(minutes=30))
    intake()
    intake(officers=[personas["officer2"], personas["head"]])  # not officer1's
    client = login_as("officer1")
    body = client.get(reverse("cases:panel_mine")).content.decode()
    assert 'data-count="2"' in body
    for status in ("accepted", "received"):
        assert f'href="/cases/?officer=me&amp;status={status}"' in body
    listed = client.get(reverse("cases:list"), {"officer": "me", "status": "accepted"})
    assert [row["case"] for row in listed.context["rows"]] == [accepted]
    assert client.get(reverse("cases:list"), {"officer": "me"}).context["page"].paginator.count == 2


def test_the_chief_finds_the_accepted_cases_waiting_with_the_time_their_review_is_due(intake, login_as, personas,
                                                                                      ago):
    waiting = case_services.case_accept(actor=personas["officer1"], case=intake(), at=ago(minutes=30))
    intake()  # received, not accepted yet: not the chief's decision
    body = login_as("chief").get(reverse("cases:panel_decisions")).content.decode()
    assert 'data-count="1"' in body and waiting.number in body
    assert 'data-testid="countdown"' in body and 'href="/cases/?status=accepted"' in body
    assert 'data-count="0"' in login_as("outsider").get(reverse("cases:panel_decisions")).content.decode()


def test_an_empty_panel_says_what_would_appear_there(login_as):
    body = login_as("reviewer").get(reverse("cases:panel_scope"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="panel-empty"' in body and "appear here" in body
    assert "东城区公安分局" in body  # whose cases the reviewer's panel shows
