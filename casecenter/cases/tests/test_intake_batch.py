"""Intake of several reports at once (a dispatch system's feed): the service and
``POST /api/v1/cases/batch``. All of them or none; a refused report names itself."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casecenter.cases.models import AcceptanceRecord, Case, CaseKind, CaseSource, CaseStatus
from casecenter.cases.services import intake as intake_services
from casecenter.cases.services.intake import MAX_REPORTS, Report
from casecenter.core.errors import ValidationFailed
from casecenter.deadlines.models import Deadline
from casecenter.ledger.models import Event
from casecenter.ledger.testing import assert_records, last_event_id
from casecenter.search.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(personas, station, theft, ago):
    """``report(**overrides)`` → a criminal 110 report received an hour ago, officer1 and officer2."""
    def _report(**overrides) -> Report:
        values = {"kind": CaseKind.CRIMINAL, "cause": theft, "summary": "报案人称其电动车在小区门口被盗。",
                  "source": CaseSource.CALL_110, "received_at": ago(hours=1), "unit": station,
                  "officers": [personas["officer1"], personas["officer2"]], "reporter_name": "张三"}
        values.update(overrides)
        return Report(**values)
    return _report


def test_a_batch_registers_every_report_with_its_record_clock_events_and_index(report, personas, station, brawl,
                                                                                django_capture_on_commit_callbacks):
    mark = last_event_id()
    reports = [report(), report(kind=CaseKind.ADMINISTRATIVE, cause=brawl, officers=[personas["officer2"]]),
               report(reporter_name="李四")]
    with django_capture_on_commit_callbacks(execute=True):
        cases = intake_services.case_intake_many(actor=personas["officer1"], reports=reports)
    year = timezone.localtime(reports[0].received_at).year
    assert [c.number for c in cases] == [f"A{station.code}{year}00000{n}" for n in (1, 2, 3)]
    for case, sent in zip(cases, reports, strict=True):
        stored = Case.objects.get(pk=case.pk)
        assert stored.status == CaseStatus.RECEIVED and stored.cause == sent.cause
        assert list(stored.officers.order_by("username")) == sorted(sent.officers, key=lambda o: o.username)
        assert AcceptanceRecord.objects.get(case=case).reporter_name == sent.reporter_name
        assert [d.rule_id for d in Deadline.objects.for_subject(case).open()] == [
            d.rule_id for d in case.started_deadlines]
        assert Document.objects.filter(kind="cases.case", ref=str(case.pk)).exists()
    assert [d.rule_id for c in cases for d in c.started_deadlines] == [
        "criminal-filing-review", "administrative-acceptance-review", "criminal-filing-review"]
    received = Event.objects.filter(action="cases.case.received", id__gt=mark).order_by("id")
    assert [(e.subject_id, e.case_id, e.facts["number"], e.facts["kind"]) for e in received] == [
        (str(c.pk), str(c.pk), c.number, c.kind) for c in cases]
    assert_records("cases.case.received", after=mark, count=3, subject=cases[-1], case=cases[-1], unit=station,
                   actor=personas["officer1"], data={"number": cases[-1].number, "source": "call_110"})
    assert_records("deadlines.deadline.started", after=mark, count=3, actor=personas["officer1"],
                   data={"rule": "criminal-filing-review"})


def test_one_refused_report_refuses_the_batch_and_names_itself(report, personas, brawl):
    mark = last_event_id()
    reports = [report(), report(), report(cause=brawl), report(summary=" ")]
    with pytest.raises(ValidationFailed) as exc:
        intake_services.case_intake_many(actor=personas["officer1"], reports=reports)
    assert list(exc.value.fields) == ["reports.2.cause"]
    assert exc.value.message.startswith("Report 3: ")
    assert not Case.objects.exists() and not Event.objects.filter(id__gt=mark).exists()


def test_a_report_before_its_review_rule_was_in_force_names_itself(report, personas, monkeypatch):
    """The shipped review rules have no start date; an installation's override may give one."""
    from datetime import datetime

    from casecenter.cases.tests.conftest import SHANGHAI
    from casecenter.deadlines import rules

    resolve = rules.Catalog.resolve
    first_day = datetime(2020, 1, 1, tzinfo=SHANGHAI)

    def resolve_from_2020(self, rule_id, on):
        if on < first_day:
            raise rules.RuleError(f"The rule {rule_id!r} has no version in force on {on:%Y-%m-%d}.",
                                  field="started_at", rule=rule_id)
        return resolve(self, rule_id, on)

    monkeypatch.setattr(rules.Catalog, "resolve", resolve_from_2020)
    long_ago = datetime(2019, 5, 1, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(ValidationFailed) as exc:
        intake_services.case_intake_many(actor=personas["officer1"], reports=[report(), report(received_at=long_ago)])
    assert list(exc.value.fields) == ["reports.1.received_at"] and "2019-05-01" in exc.value.message
    assert not Case.objects.exists()


@pytest.mark.parametrize("count", [0, MAX_REPORTS + 1])
def test_an_empty_or_oversized_batch_is_refused(report, personas, count):
    with pytest.raises(ValidationFailed) as exc:
        intake_services.case_intake_many(actor=personas["officer1"], reports=[report() for _ in range(count)])
    assert list(exc.value.fields) == ["reports"]
    assert not Case.objects.exists()


def _body(station, at, **overrides) -> dict:
    body = {"kind": "criminal", "cause": "X005", "summary": "电动车被盗", "source": "call_110",
            "received_at": at.isoformat(), "unit": station.pk, "officers": ["officer1", "officer2"]}
    body.update(overrides)
    return body


def test_the_batch_api_answers_each_case_with_its_clocks(login_as, station, ago, catalogue):
    client = login_as("officer1")
    response = client.post(reverse("api:case-batch-intake"), {"reports": [
        _body(station, ago(hours=2)), _body(station, ago(hours=1), kind="administrative", cause="Z001",
                                            officers=["officer2"])]}, content_type="application/json")
    assert response.status_code == 201, response.json()
    cases = response.json()["cases"]
    assert [c["number"] for c in cases] == list(Case.objects.order_by("pk").values_list("number", flat=True))
    assert [c["status"] for c in cases] == ["received", "received"]
    assert [[d["rule_id"] for d in c["deadlines"]] for c in cases] == [
        ["criminal-filing-review"], ["administrative-acceptance-review"]]
    detail = client.get(reverse("api:case-detail", args=[cases[1]["id"]])).json()
    assert detail["deadlines"] == cases[1]["deadlines"]


def test_the_batch_api_reads_the_catalogue_once_however_many_reports(login_as, station, ago, catalogue):
    client = login_as("officer1")

    def post(n: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("api:case-batch-intake"),
                                   {"reports": [_body(station, ago(hours=1)) for _ in range(n)]},
                                   content_type="application/json")
        assert response.status_code == 201, response.json()
        return len(queries)

    post(1)  # caches of the first request (content types, the rule catalogue)
    assert post(2) == post(10)


@pytest.mark.parametrize(("reports", "field"), [
    ([{}, {"cause": "X999"}], "reports.1.cause"),
    ([{"officers": ["officer1", "nobody"]}], "reports.0.officers"),
    ([{}, {}, {"unit": 999999}], "reports.2.unit"),
    ([{}, {"summary": ""}], "reports.1.summary"),
    ([{"received_at": "yesterday"}], "reports.0.received_at"),
    ([{}, {"officers": ["officer1"]}], "reports.1.officers"),  # a criminal case needs two (the service)
])
def test_the_batch_api_names_the_report_and_field_and_saves_nothing(login_as, station, ago, catalogue,
                                                                     reports, field):
    body = {"reports": [_body(station, ago(hours=1), **overrides) for overrides in reports]}
    response = login_as("officer1").post(reverse("api:case-batch-intake"), body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"], response.json()
    assert not Case.objects.exists()


@pytest.mark.parametrize("reports", [[], "not a list", None])
def test_the_batch_api_refuses_no_reports(login_as, catalogue, reports):
    response = login_as("officer1").post(reverse("api:case-batch-intake"), {"reports": reports},
                                         content_type="application/json")
    assert response.status_code == 400 and "reports" in response.json()["error"]["fields"]


def test_the_batch_api_refuses_more_than_the_limit(login_as, station, ago, catalogue):
    body = {"reports": [_body(station, ago(hours=1)) for _ in range(MAX_REPORTS + 1)]}
    response = login_as("officer1").post(reverse("api:case-batch-intake"), body, content_type="application/json")
    assert response.status_code == 400 and "reports" in response.json()["error"]["fields"]
    assert not Case.objects.exists()


def test_the_batch_api_is_for_case_writers(login_as, station, ago, catalogue):
    body = {"reports": [_body(station, ago(hours=1))]}
    response = login_as("supervisor").post(reverse("api:case-batch-intake"), body, content_type="application/json")
    assert response.status_code == 403
    assert not Case.objects.exists()
