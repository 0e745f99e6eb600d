"""The local picker: every option in the page, each found by its pinyin too (the keys the search
app registers), escaped, rendered in one pass."""

from __future__ import annotations

import json
import re

import pytest
from django import forms
from django.utils import translation

from casecenter.core.forms import Form
from casecenter.core.pickers import PickerMultiple, PickerSelect


class Choosing(Form):
    unit = forms.ChoiceField(label="Unit", widget=PickerSelect,
                             choices=[("", "—"), ("1", "东城分局"), ("2", '西城<"所">')])
    units = forms.MultipleChoiceField(label="Units", widget=PickerMultiple, required=False,
                                      choices=[("1", "东城分局"), ("2", "西城分局")])


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _options(html: str) -> dict[str, dict]:
    return {value: json.loads(data.replace("&quot;", '"')) for value, data in
            re.findall(r'<option value="(\d+)" data-data="([^"]*)"', html)}


def test_each_option_is_found_by_its_pinyin_and_initials():
    options = _options(str(Choosing()["unit"]))
    assert {"dongchengfenju", "dcfj", "dong"} <= set(options["1"]["search"].split())


def test_labels_are_escaped_and_the_chosen_option_is_selected():
    html = str(Choosing({"unit": "2"})["unit"])
    assert '西城&lt;&quot;所&quot;&gt;' in html and "<\"所\">" not in html
    assert '<option value="2"' in html and re.search(r'<option value="2"[^>]*selected>', html)
    assert 'data-picker="local"' in html and 'data-placeholder="Type to search"' in html


def test_a_multiple_picker_posts_every_choice_and_keeps_them():
    form = Choosing({"unit": "1", "units": ["1", "2"]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["units"] == ["1", "2"]
    html = str(form["units"])
    assert "multiple" in html and len(re.findall(r"selected>", html)) == 2


def test_a_detail_and_data_for_the_script_can_be_given_per_option():
    form = Choosing()
    form.fields["unit"].widget.detail = lambda value: f"No. {value}"
    form.fields["unit"].widget.option_data = lambda value: {"when": ["criminal"]}
    options = _options(str(form["unit"]))
    assert options["1"]["detail"] == "No. 1" and options["2"]["when"] == ["criminal"]
