"""The case forms as the server sees them: each measure form with only its own fields, the bail
fields only for bail (a deposit's amount only for a deposit), the deciders offered for the kind
chosen, every error at once; a person, an officer and a unit chosen with pickers, never by number
or account name — and without script by a typed name the server resolves."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from casecenter.cases.forms import CaseFilterForm, IntakeForm, MeasureForm, PartyForm, TransitionForm
from casecenter.cases.models import MeasureKind, MeasureStatus, Party

pytestmark = pytest.mark.django_db


def _local(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_each_measure_action_asks_only_for_what_it_needs(filed_case, suspect, personas, ago):
    from casecenter.cases.services.measures import measure_start

    summons = measure_start(actor=personas["officer1"], case=filed_case, person=suspect, kind=MeasureKind.SUMMONS,
                            started_at=ago(hours=2), basis="刑事诉讼法第一百一十九条", decided_by=personas["head"])
    fields = {action: list(MeasureForm(case=filed_case, action=action, measure=summons).fields)
              for action in ("convert", "end", "approve", "refuse")}
    assert fields == {
        "convert": ["kind", "started_at", "basis", "decided_by", "bail_form", "deposit_amount", "guarantor_name"],
        "end": ["started_at", "reason"], "approve": ["decided_by"], "refuse": ["decided_by", "reason"]}
    assert list(MeasureForm(case=filed_case).fields) == [
        "person", "kind", "started_at", "basis", "decided_by", "bail_form", "deposit_amount", "guarantor_name"]


def test_a_bail_asks_for_its_form_then_the_deposit_or_the_guarantor(filed_case, suspect, ago):
    base = {"person": suspect.pk, "kind": MeasureKind.BAIL, "started_at": _local(ago(hours=1)),
            "basis": "刑事诉讼法第六十七条"}
    form = MeasureForm(base, case=filed_case)
    assert not form.is_valid() and list(form.errors) == ["bail_form"]
    form = MeasureForm({**base, "bail_form": "deposit", "guarantor_name": "张大山"}, case=filed_case)
    assert not form.is_valid() and list(form.errors) == ["deposit_amount"]
    form = MeasureForm({**base, "bail_form": "guarantor", "guarantor_name": "张大山", "deposit_amount": "3000"},
                       case=filed_case)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["guarantor_name"], form.cleaned_data["deposit_amount"]) == ("张大山", None)


def test_bail_fields_sent_with_another_measure_are_ignored(filed_case, suspect, ago):
    form = MeasureForm({"person": suspect.pk, "kind": MeasureKind.SUMMONS, "started_at": _local(ago(hours=1)),
                        "basis": "刑事诉讼法第一百一十九条", "bail_form": "deposit", "deposit_amount": "abc"},
                       case=filed_case)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["bail_form"] is None and form.cleaned_data["deposit_amount"] is None


def test_a_measure_form_with_three_mistakes_names_all_three(filed_case, suspect):
    form = MeasureForm({"person": suspect.pk, "kind": MeasureKind.BAIL, "started_at": "明天上午"}, case=filed_case)
    assert not form.is_valid()
    assert sorted(form.errors) == ["bail_form", "basis", "started_at"]
    assert len(form.error_summary()) == 3


def test_the_deciders_offered_follow_the_kind_of_measure(filed_case, personas):
    html = str(MeasureForm(case=filed_case)["decided_by"])
    options = dict(re.findall(r'<option value="(\d+)" data-data="([^"]*)"', html))
    head, chief = options[str(personas["head"].pk)], options[str(personas["chief"].pk)]
    assert "&quot;summons&quot;" in head and "&quot;bail&quot;" not in head  # a department head: summonses
    assert "&quot;bail&quot;" in chief and "&quot;summons&quot;" in chief
    assert 'data-follows="kind"' in html


def test_a_chiefs_decision_offers_only_the_chiefs_above_the_case(filed_case, personas):
    form = TransitionForm(case=filed_case, to="investigating")
    assert "decided_by" not in form.fields
    form = TransitionForm(case=filed_case, to="prosecution")
    assert list(form.fields["decided_by"].queryset) == [personas["chief"]]


def test_no_case_form_asks_for_a_number_or_an_account_name(filed_case, personas):
    forms = [IntakeForm(user=personas["officer1"]), PartyForm(user=personas["officer1"]), MeasureForm(case=filed_case),
             CaseFilterForm(user=personas["officer1"])]
    for form in forms:
        for name, field in form.fields.items():
            assert not re.search(r"number|account|username|№", str(field.label), re.I), (form, name)
    filters = CaseFilterForm(user=personas["officer1"])
    assert filters.fields["officer"].widget.attrs["data-picker"] == "remote"
    assert filters.fields["unit"].widget.attrs["data-picker"] == "local"


def test_the_list_filters_by_the_officer_chosen_in_the_picker(intake, login_as, personas, brawl):
    intake(officers=[personas["officer1"]], kind="administrative", cause=brawl)
    intake()
    client = login_as("officer1")
    response = client.get(reverse("cases:list"), {"officer": personas["officer2"].pk})
    assert response.context["page"].paginator.count == 1
    assert f'<option value="{personas["officer2"].pk}" ' in response.content.decode()  # shown as chosen
    # An account outside the user's units is no choice at all.
    assert client.get(reverse("cases:list"), {"officer": personas["outsider"].pk}).status_code == 400


def test_a_suspect_is_added_without_script_by_typing_the_name_in_pinyin(filed_case, login_as, personas,
                                                                       django_capture_on_commit_callbacks):
    from casecenter.people.services import person_create

    with django_capture_on_commit_callbacks(execute=True):
        zhang = person_create(actor=personas["officer1"], name="张三丰")
        person_create(actor=personas["officer1"], name="张三峰")
    url = reverse("cases:party_add", args=[filed_case.pk])
    client = login_as("officer1")
    response = client.post(url, {"person__q": "zhangsanfeng", "role": "suspect"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Several match “zhangsanfeng”: choose one in the list." in page
    assert f'<option value="{zhang.pk}"' in page and 'value="zhangsanfeng"' in page
    assert client.post(url, {"person__q": "张三丰", "role": "suspect"}).status_code == 302
    assert Party.objects.get(case=filed_case).person == zhang


def test_a_measure_is_approved_from_its_own_form(filed_case, suspect, login_as, personas, ago):
    from casecenter.cases.services.measures import measure_start

    pending = measure_start(actor=personas["officer1"], case=filed_case, person=suspect,
                            kind=MeasureKind.CRIMINAL_DETENTION, started_at=ago(hours=1), basis="刑事诉讼法第八十二条")
    client = login_as("officer1")
    page = client.get(reverse("cases:detail", args=[filed_case.pk])).content.decode()
    assert 'data-testid="measure-approve"' in page and 'data-testid="measure-refuse"' in page
    assert 'data-testid="measure-convert"' not in page  # a pending measure is approved or refused, not converted
    url = reverse("cases:measure_action", args=[filed_case.pk, pending.pk, "approve"])
    assert client.post(url, {"decided_by": personas["chief"].pk}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == MeasureStatus.ACTIVE
