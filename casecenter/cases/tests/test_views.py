"""The case pages: list (filters, paging, a flat query count), intake, the case page and its
action forms, and the printable acceptance record."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casecenter.cases.models import Case, CaseStatus, MeasureKind, MeasureStatus, PartyRole
from casecenter.deadlines import rules
from casecenter.deadlines.models import Deadline

pytestmark = pytest.mark.django_db


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def test_the_list_shows_the_units_cases_and_filters_them(intake, login_as, brawl, personas):
    theft_case = intake()
    intake(kind="administrative", cause=brawl, officers=[personas["officer1"]])
    response = login_as("officer1").get(reverse("cases:list"))
    assert response.status_code == 200
    assert theft_case.number in response.content.decode()
    response = login_as("officer1").get(reverse("cases:list"), {"kind": "criminal"})
    assert response.context["page"].paginator.count == 1
    response = login_as("officer1").get(reverse("cases:list"), {"cause": brawl.code, "status": "received"})
    assert response.context["page"].paginator.count == 1
    response = login_as("officer1").get(reverse("cases:list"), {"officer": personas["officer2"].pk})
    assert response.context["page"].paginator.count == 1


def test_another_districts_officer_sees_none_of_them(intake, login_as):
    case = intake()
    assert login_as("outsider").get(reverse("cases:list")).context["page"].paginator.count == 0
    assert login_as("outsider").get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_bad_filter_is_a_400_naming_the_field(login_as):
    response = login_as("officer1").get(reverse("cases:list"), {"received_from": "yesterday"})
    assert response.status_code == 400


def test_adding_rows_adds_no_query_to_the_list(intake, login_as):
    client = login_as("officer1")
    intake()
    client.get(reverse("cases:list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("cases:list"))
    for _ in range(5):
        intake()
    with CaptureQueriesContext(connection) as six:
        response = client.get(reverse("cases:list"))
    assert response.context["page"].paginator.count == 6
    assert len(six) == len(one)


def test_the_list_shows_each_row_and_counts_no_further_than_its_cap(intake, login_as, personas, brawl,
                                                                       monkeypatch):
    from casecenter.cases import views

    cases = [intake(), intake(kind="administrative", cause=brawl, officers=[personas["officer1"]]), intake()]
    client = login_as("officer1")
    page = client.get(reverse("cases:list")).content.decode()
    assert "Page" not in page  # one page: no pager
    row = re.search(rf'<tr>\s*<td class="font-monospace"><a href="{reverse("cases:detail", args=[cases[0].pk])}">'
                    rf'{cases[0].number}</a></td>(.*?)</tr>', page, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == [cases[0].cause.name, "Criminal", _local(cases[0].received_at).replace("T", " "),
                     cases[0].unit.name, f"{personas['officer1'].full_name}、{personas['officer2'].full_name}",
                     "Received"]

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    response = client.get(reverse("cases:list"))
    assert response.context["page"].paginator.count == 3 and not response.context["page"].paginator.capped
    assert "Page 1 of 3 (3 cases)" in response.content.decode()
    monkeypatch.setattr(views, "LIST_COUNT_CAP", 2)
    response = client.get(reverse("cases:list"))
    paginator = response.context["page"].paginator
    assert (paginator.count, paginator.capped, paginator.num_pages) == (2, True, 2)
    assert "Page 1 of more than 2 (more than 2 cases" in response.content.decode()
    assert client.get(reverse("cases:list"), {"kind": "administrative"}).context["page"].paginator.capped is False


def test_intake_through_the_form_registers_the_case(login_as, personas, theft, ago):
    response = login_as("officer1").post(reverse("cases:intake"), {
        "kind": "criminal", "cause": theft.pk, "source": "walk_in", "received_at": _local(ago(minutes=10)),
        "unit": personas["officer1"].unit_id, "officers": [personas["officer1"].pk, personas["officer2"].pk],
        "summary": "电动车被盗", "reporter_name": "张三"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])


def test_intake_with_one_officer_is_refused_on_the_officers_field(login_as, personas, theft, ago):
    response = login_as("officer1").post(reverse("cases:intake"), {
        "kind": "criminal", "cause": theft.pk, "source": "walk_in", "received_at": _local(ago(minutes=10)),
        "unit": personas["officer1"].unit_id, "officers": [personas["officer1"].pk], "summary": "电动车被盗"})
    assert response.status_code == 400
    assert "officers" in response.context["form"].errors


def test_the_case_page_shows_clocks_with_a_countdown_and_the_timeline(intake, login_as):
    case = intake()
    response = login_as("officer1").get(reverse("cases:detail", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert rules.catalog().get("criminal-filing-review").name_en in body and "data-countdown" in body
    assert "data-action=\"cases.case.received\"" in body
    assert "web/shell.js" in body  # which ticks every countdown of the page


def test_the_page_moves_a_case_on_and_refuses_a_missing_chief(intake, login_as, personas, ago):
    case = intake(received_at=ago(hours=2))
    client = login_as("officer1")
    response = client.post(reverse("cases:transition", args=[case.pk, "accepted"]), {"at": _local(ago(hours=1))})
    assert response.status_code == 302
    response = client.post(reverse("cases:transition", args=[case.pk, "filed"]), {"at": _local(ago(minutes=30))})
    assert response.status_code == 400
    assert "decided_by" in response.context["forms"]["transition"].errors
    response = client.post(reverse("cases:transition", args=[case.pk, "filed"]),
                           {"at": _local(ago(minutes=30)), "decided_by": personas["chief"].pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED


def test_parties_and_a_summons_converted_to_detention_through_the_page(filed_case, person, login_as, personas, ago):
    client = login_as("officer1")
    url = reverse("cases:detail", args=[filed_case.pk])
    assert client.post(reverse("cases:party_add", args=[filed_case.pk]),
                       {"person": person.pk, "role": PartyRole.SUSPECT}).status_code == 302
    assert client.post(reverse("cases:measure_start", args=[filed_case.pk]), {
        "person": person.pk, "kind": MeasureKind.SUMMONS, "started_at": _local(ago(hours=2)),
        "basis": "刑事诉讼法第一百一十九条", "decided_by": personas["head"].pk}).status_code == 302
    summons = filed_case.measures.get()
    assert summons.status == MeasureStatus.ACTIVE
    response = client.post(reverse("cases:measure_action", args=[filed_case.pk, summons.pk, "convert"]), {
        "kind": MeasureKind.CRIMINAL_DETENTION, "started_at": _local(ago(hours=1)), "basis": "刑事诉讼法第八十二条",
        "decided_by": personas["chief"].pk})
    assert response.status_code == 302, response.context and response.context["errors"]
    detention = filed_case.measures.get(kind=MeasureKind.CRIMINAL_DETENTION)
    assert Deadline.objects.for_subject(detention).open().count() == 4
    body = client.get(url).content.decode()
    assert rules.catalog().get("detention-family-notice").name_en in body
    assert "data-action=\"cases.measure.converted\"" in body


def test_the_acceptance_record_and_receipt_print(intake, login_as):
    case = intake()
    response = login_as("head").get(reverse("cases:acceptance_record", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert case.acceptance.receipt_number in body and 'class="paper"' in body and "张三" in body


def test_an_analyst_cannot_act_on_a_case(intake, login_as):
    case = intake()
    client = login_as("analyst")
    response = client.post(reverse("cases:transition", args=[case.pk, "accepted"]), {"at": "2026-01-01T00:00"})
    assert response.status_code == 403


def test_a_measure_is_ended_from_its_own_form_which_asks_for_the_reason(filed_case, suspect, login_as, personas,
                                                                        ago):
    from casecenter.cases.services.measures import measure_start

    summons = measure_start(actor=personas["officer1"], case=filed_case, person=suspect, kind=MeasureKind.SUMMONS,
                            started_at=ago(hours=2), basis="刑事诉讼法第一百一十九条", decided_by=personas["head"])
    client = login_as("officer1")
    url = reverse("cases:measure_action", args=[filed_case.pk, summons.pk, "end"])
    response = client.post(url, {"started_at": _local(ago(hours=1)), "reason": ""})
    assert response.status_code == 400
    (measure,) = response.context["measures"]
    ending = next(form for form in measure.forms if form.action == "end")
    assert ending.is_bound and list(ending.errors) == ["reason"]
    assert set(ending.fields) == {"started_at", "reason"}  # only what ending a measure asks
    assert client.post(url, {"started_at": _local(ago(hours=1)), "reason": "询问完毕，放回"}).status_code == 302
    summons.refresh_from_db()
    assert summons.status == MeasureStatus.ENDED and summons.end_reason == "询问完毕，放回"
    body = client.get(reverse("cases:detail", args=[filed_case.pk])).content.decode()
    assert "ended the measure Summons" in body


def test_the_person_panel_lists_the_persons_cases_and_measures_for_those_who_see_them(
        filed_case, suspect, login_as, personas, ago):
    from casecenter.cases.services.measures import measure_start

    measure_start(actor=personas["officer1"], case=filed_case, person=suspect, kind=MeasureKind.SUMMONS,
                  started_at=ago(hours=2), basis="刑事诉讼法第一百一十九条", decided_by=personas["head"])
    url = reverse("cases:person_panel", args=[suspect.pk])
    body = login_as("head").get(url).content.decode()
    assert filed_case.number in body and "Summons" in body
    assert filed_case.number not in login_as("outsider").get(url).content.decode()


def test_the_intake_form_groups_the_causes_by_kind_and_labels_its_times(login_as, theft, brawl):
    from casecenter.core import clock

    response = login_as("officer1").get(reverse("cases:intake"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="Criminal">' in body and '<optgroup label="Administrative">' in body
    # Each cause says its kind; web/forms.js offers only those of the chosen kind (data-follows).
    options = dict(re.findall(r'<option value="(\d+)" data-data="([^"]*)"', body))
    assert "&quot;when&quot;: [&quot;criminal&quot;]" in options[str(theft.pk)]
    assert "&quot;when&quot;: [&quot;administrative&quot;]" in options[str(brawl.pk)]
    assert 'data-follows="kind"' in body
    assert '>Received at<span class="required-mark" aria-hidden="true">*</span></label>' in body
    assert "YYYY-MM-DD HH:MM" in body
    field = response.context["form"]["received_at"]
    assert field.value() is not None
    shown = re.search(r'value="([^"]*)"', str(field)).group(1)
    local = datetime.strptime(shown, "%Y-%m-%d %H:%M")  # the local time, to the minute
    assert abs(timezone.make_aware(local) - clock.now()) < timedelta(minutes=2)
    assert 'aria-describedby="id_received_at_helptext"' in str(field)


def test_intake_through_the_form_refuses_a_cause_of_the_other_kind(login_as, personas, theft, ago):
    response = login_as("officer1").post(reverse("cases:intake"), {
        "kind": "administrative", "cause": theft.pk, "source": "walk_in", "received_at": _local(ago(minutes=10)),
        "unit": personas["officer1"].unit_id, "officers": [personas["officer1"].pk], "summary": "电动车被盗"})
    assert response.status_code == 400
    assert "cause" in response.context["form"].errors
    assert 'aria-invalid="true"' in str(response.context["form"]["cause"])
    assert not Case.objects.exists()


def _transition_fields(response) -> dict[str, list[str]]:
    return {form.to: list(form.fields) for form in response.context["forms"]["transitions"]}


def test_each_next_step_asks_only_for_what_it_needs(intake, login_as, personas, ago):
    from casecenter.cases.services import cases as case_services

    case = intake(received_at=ago(hours=3))
    client = login_as("officer1")
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert _transition_fields(response) == {"accepted": ["at", "note"]}
    case_services.case_accept(actor=personas["officer1"], case=case, at=ago(hours=2))
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert _transition_fields(response) == {
        "filed": ["at", "decided_by", "note"],
        "not_filed": ["at", "decided_by", "reason"],
        "transferred": ["at", "decided_by", "receiving_organ", "reason"]}
    form = response.context["forms"]["transitions"][0]
    assert form.primary and [u.username for u in form.fields["decided_by"].queryset] == ["chief"]
    body = response.content.decode()
    assert 'id="transition_at"' in body and 'id="transition_transferred_receiving_organ"' in body
    assert "Reason for not filing" in body and "<details" in body


def test_an_administrative_case_under_investigation_is_decided_or_withdrawn_never_prosecuted(
        intake, login_as, personas, brawl, ago):
    from casecenter.cases.services import cases as case_services

    officer = personas["officer1"]
    case = intake(kind="administrative", cause=brawl, officers=[officer], received_at=ago(hours=5))
    case = case_services.case_accept(actor=officer, case=case, at=ago(hours=4))
    case = case_services.case_file(actor=officer, case=case, decided_by=personas["chief"], decided_at=ago(hours=3))
    case_services.case_start_investigation(actor=officer, case=case, at=ago(hours=2))
    response = login_as("officer1").get(reverse("cases:detail", args=[case.pk]))
    assert list(_transition_fields(response)) == ["decided", "withdrawn"]


def test_a_refused_alternative_step_comes_back_open_with_its_error(intake, login_as, personas, ago):
    from casecenter.cases.services import cases as case_services

    case = case_services.case_accept(actor=personas["officer1"], case=intake(received_at=ago(hours=3)),
                                     at=ago(hours=2))
    response = login_as("officer1").post(reverse("cases:transition", args=[case.pk, "transferred"]), {
        "at": _local(ago(hours=1)), "decided_by": personas["chief"].pk, "reason": "不属于本局管辖"})
    assert response.status_code == 400
    failed = response.context["forms"]["transition"]
    assert failed.to == "transferred" and "receiving_organ" in failed.errors
    body = response.content.decode()
    assert 'id="transition_transferred_receiving_organ"' in body and 'id="transition_receiving_organ"' not in body
    assert '<details class="border rounded px-2 py-1 mb-2" open data-testid="transition-transferred">' in body


def test_a_transferred_case_shows_its_handover_clock_until_the_handover_is_recorded(intake, login_as, personas,
                                                                                   ago):
    case = intake(received_at=ago(hours=5))
    client = login_as("officer1")
    assert client.post(reverse("cases:transition", args=[case.pk, "accepted"]),
                       {"at": _local(ago(hours=4))}).status_code == 302
    assert client.post(reverse("cases:transition", args=[case.pk, "transferred"]), {
        "at": _local(ago(hours=3)), "decided_by": personas["chief"].pk, "receiving_organ": "西城分局",
        "reason": "不属于本局管辖"}).status_code == 302
    url = reverse("cases:detail", args=[case.pk])
    response = client.get(url)
    body = response.content.decode()
    assert response.context["handover"]["receiving_organ"] == "西城分局"
    assert 'data-testid="handover-form"' in body and "Transferred to 西城分局" in body
    assert response.context["forms"]["transitions"] == []  # archived only once handed over
    due = response.context["handover"]["deadline"].due_at
    assert timezone.localtime(due).strftime("%Y-%m-%d %H:%M") in body
    deliver = reverse("cases:transfer_delivered", args=[case.pk])
    response = client.post(deliver, {"at": _local(ago(hours=1)), "receipt": ""})
    assert response.status_code == 400 and "receipt" in response.context["forms"]["handover"].errors
    assert client.post(deliver, {"at": _local(ago(hours=1)), "receipt": "回执 118"}).status_code == 302
    response = client.get(url)
    assert response.context["handover"] is None
    assert [form.to for form in response.context["forms"]["transitions"]] == ["archived"]
    assert 'data-testid="handover-form"' not in response.content.decode()
    assert 'data-action="cases.case.transfer_delivered"' in response.content.decode()


def test_a_criminal_case_offers_only_the_measures_and_conversions_of_a_criminal_case(filed_case, suspect, login_as,
                                                                                    personas, ago):
    from casecenter.cases.services.measures import measure_start

    measure_start(actor=personas["officer1"], case=filed_case, person=suspect, kind=MeasureKind.SUMMONS,
                  started_at=ago(hours=2), basis="刑事诉讼法第一百一十九条", decided_by=personas["head"])
    response = login_as("officer1").get(reverse("cases:detail", args=[filed_case.pk]))
    kinds = [value for value, _label in response.context["forms"]["measure"].fields["kind"].choices if value]
    assert "summons" in kinds and "administrative_detention" not in kinds
    (summons,) = response.context["measures"]
    converting = next(form for form in summons.forms if form.action == "convert")
    conversions = dict(converting.fields["kind"].choices)
    assert "criminal_detention" in conversions and "administrative_detention" not in conversions


def test_no_measure_form_on_a_case_not_yet_accepted(intake, login_as):
    case = intake()
    response = login_as("officer1").get(reverse("cases:detail", args=[case.pk]))
    assert 'data-testid="measure-form"' not in response.content.decode()


def test_the_timeline_tells_a_measures_start_in_local_time(filed_case, suspect, login_as, personas, ago):
    from casecenter.cases.services.measures import measure_start

    summons = measure_start(actor=personas["officer1"], case=filed_case, person=suspect, kind=MeasureKind.SUMMONS,
                            started_at=ago(hours=2), basis="刑事诉讼法第一百一十九条", decided_by=personas["head"])
    body = login_as("officer1").get(reverse("cases:detail", args=[filed_case.pk])).content.decode()
    local = timezone.localtime(summons.started_at).strftime("%Y-%m-%d %H:%M")
    assert f"recorded the measure Summons from {local}" in body
