"""The case API: intake, list with filters, detail, transitions, parties and measures; refusals in
the one error shape, naming the field."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.cases.models import Case

pytestmark = pytest.mark.django_db


def _intake_body(personas, station, received_at, **overrides):
    body = {"kind": "criminal", "cause": "X005", "summary": "电动车被盗", "source": "call_110",
            "received_at": received_at.isoformat(), "unit": station.pk, "officers": ["officer1", "officer2"],
            "reporter_name": "张三"}
    body.update(overrides)
    return body


def test_intake_returns_the_case_with_its_review_clock(login_as, personas, station, ago, catalogue):
    response = login_as("officer1").post(reverse("api:case-list"), _intake_body(personas, station, ago(hours=1)),
                                         content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "received" and data["officers"] == ["officer1", "officer2"]
    assert [d["rule_id"] for d in data["deadlines"]] == ["criminal-filing-review"]


def test_the_intake_answer_is_the_case_as_read_back(login_as, personas, station, ago, catalogue):
    """The 201 body is built from what the service wrote, not read back: it must equal the detail."""
    client = login_as("officer1")
    body = _intake_body(personas, station, ago(hours=1), officers=["officer2", "officer1"])
    created = client.post(reverse("api:case-list"), body, content_type="application/json").json()
    assert created == client.get(reverse("api:case-detail", args=[created["id"]])).json()


def test_an_unknown_or_inactive_officer_is_named(login_as, personas, station, ago, catalogue):
    officer2 = personas["officer2"]
    officer2.is_active = False
    officer2.save(update_fields=["is_active"])
    body = _intake_body(personas, station, ago(hours=1), officers=["officer1", "nobody", "officer2"])
    response = login_as("officer1").post(reverse("api:case-list"), body, content_type="application/json")
    assert response.status_code == 400
    [message] = response.json()["error"]["fields"]["officers"]
    assert "nobody" in message and "officer2" in message
    assert not Case.objects.exists()


def test_intake_with_one_officer_names_the_field(login_as, personas, station, ago, catalogue):
    response = login_as("officer1").post(reverse("api:case-list"),
                                         _intake_body(personas, station, ago(hours=1), officers=["officer1"]),
                                         content_type="application/json")
    assert response.status_code == 400
    assert "officers" in response.json()["error"]["fields"]


def test_the_list_filters_and_its_query_count_does_not_grow(intake, login_as, brawl, personas):
    client = login_as("officer1")
    intake()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("api:case-list"))
    for _ in range(4):
        intake()
    intake(kind="administrative", cause=brawl, officers=[personas["officer1"]])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("api:case-list"))
    assert len(many) == len(one)
    assert response.json()["count"] == 6
    assert client.get(reverse("api:case-list"), {"kind": "administrative"}).json()["count"] == 1
    assert client.get(reverse("api:case-list"), {"status": "bogus"}).status_code == 400


def test_a_case_runs_through_the_api_to_a_detention(intake, login_as, personas, ago):
    from casecenter.people.services import person_create

    case = intake(received_at=ago(hours=5))
    client = login_as("officer1")

    def post(url, body):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code in (200, 201), response.json()
        return response.json()

    post(reverse("api:case-transition", args=[case.pk, "accepted"]), {"at": ago(hours=4).isoformat()})
    data = post(reverse("api:case-transition", args=[case.pk, "filed"]),
                {"at": ago(hours=3).isoformat(), "decided_by": "chief"})
    assert data["status"] == "filed"
    person = person_create(actor=personas["officer1"], name="李四")
    party = post(reverse("api:case-party-add", args=[case.pk]), {"person": person.pk, "role": "suspect"})
    summons = post(reverse("api:case-measure-start", args=[case.pk]), {
        "person": person.pk, "kind": "summons", "started_at": ago(hours=2).isoformat(), "basis": "CPL 119",
        "decided_by": "head"})
    assert summons["status"] == "active"
    detention = post(reverse("api:case-measure-action", args=[case.pk, summons["id"], "convert"]), {
        "kind": "criminal_detention", "started_at": ago(hours=1).isoformat(), "basis": "CPL 82",
        "decided_by": "chief"})
    assert detention["converted_from"] == summons["id"]
    detail = client.get(reverse("api:case-detail", args=[case.pk])).json()
    assert len([m for m in detail["measures"] if m["status"] == "active"]) == 1
    assert {d["rule_id"] for d in detail["deadlines"]} >= {"detention-family-notice", "criminal-summons"}
    response = client.post(reverse("api:case-party-remove", args=[case.pk, party["id"]]), {"reason": ""},
                           content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]


def test_an_illegal_transition_is_a_409(intake, login_as, ago):
    case = intake()
    response = login_as("officer1").post(reverse("api:case-transition", args=[case.pk, "archived"]),
                                         {"at": ago(minutes=5).isoformat()}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == {"status": [response.json()["error"]["message"]]}


def test_another_district_gets_404(intake, login_as):
    case = intake()
    assert login_as("outsider").get(reverse("api:case-detail", args=[case.pk])).status_code == 404
    assert Case.objects.count() == 1


def test_the_cause_catalogue_is_listed(login_as, catalogue):
    data = login_as("officer1").get(reverse("api:case-cause-list")).json()
    assert data["count"] >= 50


def test_a_transferred_case_is_handed_over_through_the_api(intake, login_as, ago):
    from casecenter.deadlines.models import Deadline

    case = intake(received_at=ago(hours=5))
    client = login_as("officer1")
    client.post(reverse("api:case-transition", args=[case.pk, "accepted"]), {"at": ago(hours=4).isoformat()},
                content_type="application/json")
    data = client.post(reverse("api:case-transition", args=[case.pk, "transferred"]),
                       {"at": ago(hours=3).isoformat(), "decided_by": "chief", "receiving_organ": "西城分局",
                        "reason": "不属于本局管辖"}, content_type="application/json").json()
    (transfer,) = [d for d in data["deadlines"] if d["rule_id"] == "case-transfer"]
    assert transfer["state"] == "running"
    url = reverse("api:case-transfer-delivered", args=[case.pk])
    response = client.post(url, {"at": ago(hours=1).isoformat(), "receipt": ""}, content_type="application/json")
    assert response.status_code == 400 and "receipt" in response.json()["error"]["fields"]
    response = client.post(url, {"at": ago(hours=1).isoformat(), "receipt": "回执 118", "note": "卷宗三册"},
                           content_type="application/json")
    assert response.status_code == 200, response.json()
    (transfer,) = [d for d in response.json()["deadlines"] if d["rule_id"] == "case-transfer"]
    assert transfer["state"] == "met"
    assert Deadline.objects.for_subject(case).get(rule_id="case-transfer").end_note == "回执 118"
    again = client.post(url, {"at": ago(minutes=30).isoformat(), "receipt": "回执 118"},
                        content_type="application/json")
    assert again.status_code == 409 and "status" in again.json()["error"]["fields"]


def test_the_handover_of_a_case_not_transferred_is_a_409_and_another_district_gets_404(intake, login_as, ago):
    case = intake()
    url = reverse("api:case-transfer-delivered", args=[case.pk])
    body = {"at": ago(minutes=5).isoformat(), "receipt": "回执"}
    response = login_as("officer1").post(url, body, content_type="application/json")
    assert response.status_code == 409 and "status" in response.json()["error"]["fields"]
    assert login_as("outsider").post(url, body, content_type="application/json").status_code == 404
