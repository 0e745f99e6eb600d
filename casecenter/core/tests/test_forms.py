"""The building blocks of every form: the one date-time input (YYYY-MM-DD HH:MM, Beijing time,
whatever the time zone of the server or the request), fields that apply only to some choices,
required marks, and errors named after their fields."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation

from casecenter.core.errors import ValidationFailed
from casecenter.core.forms import Form, LocalDateField, LocalDateTimeField

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Report(Form):
    received_at = LocalDateTimeField(label="Received at")
    on = LocalDateField(label="Day", required=False)
    summary = forms.CharField(label="Summary")


class Bail(Form):
    kind = forms.ChoiceField(label="Measure", choices=[("summons", "Summons"), ("bail", "Bail")])
    bail_form = forms.ChoiceField(label="Bail form", required=False,
                                  choices=[("", "—"), ("deposit", "Deposit"), ("guarantor", "Guarantor")])
    deposit_amount = forms.DecimalField(label="Deposit", required=False)
    guarantor_name = forms.CharField(label="Guarantor", required=False)

    show_when = {"bail_form": {"kind": ["bail"]}, "deposit_amount": {"bail_form": ["deposit"]},
                 "guarantor_name": {"bail_form": ["guarantor"]}}
    required_when_shown = frozenset({"bail_form", "deposit_amount", "guarantor_name"})


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("typed, expected", [
    ("2026-12-08 09:30", dt.datetime(2026, 12, 8, 9, 30, tzinfo=SHANGHAI)),
    ("2026-12-08 09:30:15", dt.datetime(2026, 12, 8, 9, 30, 15, tzinfo=SHANGHAI)),
    ("  2026-12-08   23:59 ", dt.datetime(2026, 12, 8, 23, 59, tzinfo=SHANGHAI)),
    ("２０２６-１２-３１ ２３：５９", dt.datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI)),  # a Chinese input method's
])
def test_a_time_is_read_as_typed_in_beijing_time(typed, expected):
    form = Report({"received_at": typed, "summary": "x"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["received_at"] == expected


def test_the_time_zone_of_the_request_changes_nothing():
    with timezone.override(ZoneInfo("America/New_York")):
        form = Report({"received_at": "2026-12-31 16:30", "summary": "x"})
        assert form.is_valid()
        assert form.cleaned_data["received_at"] == dt.datetime(2026, 12, 31, 8, 30, tzinfo=dt.UTC)
        shown = Report(initial={"received_at": dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC)})
        assert 'value="2027-01-01 00:30"' in str(shown["received_at"])  # Beijing's new year, to the minute


@pytest.mark.parametrize("typed", [
    "2026-12-08T09:30",        # datetime-local's form
    "2026/12/08 09:30",
    "12/08/2026 09:30 AM",     # an American browser's
    "2026-12-8 9:30",
    "2026-12-08",
    "tomorrow morning",
])
def test_any_other_form_of_time_is_refused_with_the_format_to_use(typed):
    form = Report({"received_at": typed, "summary": "x"})
    assert not form.is_valid()
    assert form.errors["received_at"] == [
        "Enter the date and time as YYYY-MM-DD HH:MM (24-hour clock), e.g. 2026-12-08 09:30."]


def test_a_date_that_is_not_on_the_calendar_is_named():
    form = Report({"received_at": "2026-02-30 10:00", "on": "2026-13-01", "summary": "x"})
    assert not form.is_valid()
    assert form.errors["received_at"] == ["2026-02-30 10:00 is not a real date and time."]
    assert form.errors["on"] == ["2026-13-01 is not a real date."]


def test_a_day_is_read_as_yyyy_mm_dd_and_shown_so():
    form = Report({"received_at": "2026-12-08 09:30", "on": "2026-02-28", "summary": "x"})
    assert form.is_valid()
    assert form.cleaned_data["on"] == dt.date(2026, 2, 28)
    assert 'value="2026-02-28"' in str(Report(initial={"on": dt.date(2026, 2, 28)})["on"])
    assert Report({"received_at": "2026-12-08 09:30", "on": "28.02.2026", "summary": "x"}).errors["on"] == [
        "Enter the date as YYYY-MM-DD, e.g. 2026-12-08."]


def test_the_time_input_is_a_text_input_never_the_browsers_datetime_local():
    html = str(Report()["received_at"])
    assert 'type="text"' in html and "datetime-local" not in html
    assert 'data-datetime="datetime"' in html and 'placeholder="YYYY-MM-DD HH:MM"' in html
    assert "data-datetime-button" in html  # the calendar's button, shown by web/forms.js


def test_every_error_shows_at_once_each_named_after_its_field_in_chinese_too():
    form = Report({"received_at": "明天", "on": "", "summary": ""})
    assert not form.is_valid()
    assert len(form.error_summary()) == 2
    assert form.error_summary()[1] == "Summary: This field is required."
    with translation.override("zh-hans"):
        form = Report({"received_at": "明天", "summary": "x"})
        form.fields["received_at"].label = "接报时间"
        assert form.error_summary() == [
            "接报时间：请按 YYYY-MM-DD HH:MM（24 小时制）格式填写日期和时间，如 2026-12-08 09:30。"]


def test_fields_that_do_not_apply_keep_no_value_and_no_error():
    form = Bail({"kind": "summons", "bail_form": "deposit", "deposit_amount": "not a number", "guarantor_name": "张三"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["bail_form"] is None and form.cleaned_data["deposit_amount"] is None
    assert form.cleaned_data["guarantor_name"] is None


def test_fields_required_when_they_apply_are_asked_for_all_at_once():
    form = Bail({"kind": "bail"})
    assert not form.is_valid()
    assert list(form.errors) == ["bail_form"]
    form = Bail({"kind": "bail", "bail_form": "deposit", "guarantor_name": "张三"})
    assert not form.is_valid()
    assert list(form.errors) == ["deposit_amount"]
    form = Bail({"kind": "bail", "bail_form": "guarantor", "guarantor_name": "张三", "deposit_amount": "9"})
    assert form.is_valid()
    assert form.cleaned_data["deposit_amount"] is None and form.cleaned_data["guarantor_name"] == "张三"


def _render(form) -> str:
    return Template('{% load core_forms %}{% include "core/partials/fields.html" %}{% required_legend form %}').render(
        Context({"form": form}))


def test_the_shared_field_marks_required_fields_and_says_when_a_field_applies():
    html = _render(Bail())
    assert html.count('class="required-mark"') == 5  # kind, and the three bail fields; the legend
    assert 'aria-required="true"' in html and "required" in html.split("form-legend")[1]
    assert 'data-show-when="{&quot;bail_form&quot;: [&quot;deposit&quot;]}"' in html


def test_an_error_is_shown_at_its_field_with_the_typed_value_kept():
    form = Report({"received_at": "2026-12-8 9点", "summary": ""})
    form.is_valid()
    html = _render(form)
    assert 'value="2026-12-8 9点"' in html
    assert 'aria-invalid="true"' in html and "is-invalid" in html
    assert 'id="id_received_at_error"' in html
    assert 'aria-describedby="id_received_at_helptext id_received_at_error"' in html


def test_a_services_refusal_lands_on_the_field_it_names_even_under_another_name():
    class Ending(Form):
        started_at = LocalDateTimeField(label="Ended at")
        error_aliases = {"at": "started_at"}

    form = Ending({"started_at": "2026-12-08 09:30"})
    assert form.is_valid()
    assert form.add_service_error(ValidationFailed("Too early.", field="at")) == ["Ended at: Too early."]
    form = Ending({"started_at": "2026-12-08 09:30"})
    form.is_valid()
    assert form.add_service_error(ValidationFailed("The case is closed.", field="case")) == ["The case is closed."]
