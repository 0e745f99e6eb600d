"""Forms of the person pages. They parse input; the identity rules (the ID number, the derived
birth date and sex, duplicates) are the services' to enforce, and their refusals come back on the
field they name."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from casecenter.core.forms import Form, LocalDateField
from casecenter.core.pickers import Option, RemotePickerField

from .models import DocumentKind, Person, Sex
from .pickers import person_detail, person_options


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, pinyin, ID number or phone"), max_length=100, required=False)
    page = forms.IntegerField(min_value=1, max_value=500, required=False)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace("，", ",").replace(",", "\n").splitlines() if line.strip()]


class PersonForm(Form):
    # As it is typed, the page shows what the number says and fills the date of birth and sex.
    id_number = forms.CharField(label=_("Resident ID number"), max_length=20, required=False,
                                help_text=_("The date of birth and sex are read from it."),
                                widget=forms.TextInput(attrs={
                                    "class": "form-control form-control-sm font-monospace", "autocomplete": "off",
                                    "autofocus": True, "hx-get": reverse_lazy("people:id_number_check"),
                                    "hx-trigger": "input changed delay:300ms, blur", "hx-target": "#id-number-check",
                                    "hx-swap": "outerHTML"}))
    name = forms.CharField(label=_("Full name"), max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date = LocalDateField(label=_("Date of birth"), required=False,
                                help_text=_("YYYY-MM-DD; filled from the ID number."))
    aliases = forms.CharField(label=_("Former names and aliases"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}), help_text=_("One per line."))
    phones = forms.CharField(label=_("Phone numbers"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("One per line."))
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=32, required=False)
    nationality = forms.CharField(label=_("Nationality"), max_length=64, required=False, initial="中国")
    household_registration = forms.CharField(label=_("Household registration"), max_length=200, required=False)
    residence = forms.CharField(label=_("Residence"), max_length=200, required=False)
    employer = forms.CharField(label=_("Employer"), max_length=200, required=False)
    education = forms.CharField(label=_("Education"), max_length=32, required=False)

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["aliases"] = _lines(data["aliases"])
        data["phones"] = _lines(data["phones"])
        data["id_number"] = data["id_number"] or None
        return data


class PersonCreateForm(PersonForm):
    """Registration may take the photo too; later it is changed on the dossier."""

    photo = forms.FileField(label=_("Photo"), required=False, help_text=_("JPEG or PNG, at most 5 MB."),
                            widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}))

    def service_values(self) -> dict:
        data = super().service_values()
        if not data.get("photo"):
            data.pop("photo", None)
        return data


class DocumentForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    number = forms.CharField(label=_("Number"), max_length=64)
    issuing_country = forms.CharField(label=_("Issuing country"), max_length=64, required=False)


class PhotoForm(Form):
    # The type and size are checked again, on the bytes, by the service (people/photos.py).
    photo = forms.FileField(label=_("Photo"), help_text=_("JPEG or PNG, at most 5 MB."),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))


class PhotoRemoveForm(Form):
    reason = forms.CharField(label=_("Why the photo is removed"), max_length=500)


class MergeForm(Form):
    """The entry that remains, found by name, pinyin or ID number (the likely duplicates offered
    first), and why the two are one person."""

    survivor = forms.Field(label=_("Entry that remains"))
    reason = forms.CharField(label=_("Why these are the same person"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 2}))

    def __init__(self, *args, merged: Person, user, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["survivor"] = RemotePickerField(
            Person.objects.live().exclude(pk=merged.pk), url_name="api:picker-people", label=_("Entry that remains"),
            help_text=_("Type a name, its pinyin (zhangsan, zs) or part of an ID number; the likely duplicates "
                        "are offered first."))
        field.bind(lambda q, limit: [o for o in person_options(q, user=user, limit=limit) if o.value != str(merged.pk)],
                   detail=person_detail)
        field.widget.candidates = [Option(str(p.pk), p.name, person_detail(p)) for p in candidates]


class UnmergeForm(Form):
    reason = forms.CharField(label=_("Why the merge is undone"), max_length=500, required=False)
