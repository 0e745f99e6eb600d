"""Forms of the person pages. They parse input; the identity rules (the ID number, the derived
birth date and sex, duplicates) are the services' to enforce, and their refusals come back on the
field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casecenter.core.display import labelled

from .models import DocumentKind, Sex


class _Bootstrap:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            css = "form-select form-select-sm" if select else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def error_summary(self) -> list[str]:
        return [labelled(self.fields[name].label if name in self.fields else "", message)
                for name, messages in self.errors.items() for message in messages]

    def add_service_errors(self, exc) -> None:
        for field, messages in exc.fields.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        if not exc.fields:
            self.add_error(None, exc.message)


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, pinyin, ID number or phone"), max_length=100, required=False)
    page = forms.IntegerField(min_value=1, max_value=500, required=False)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace("，", ",").replace(",", "\n").splitlines() if line.strip()]


class PersonForm(_Bootstrap, forms.Form):
    id_number = forms.CharField(label=_("Resident ID number"), max_length=20, required=False,
                                help_text=_("The date of birth and sex are read from it."))
    name = forms.CharField(label=_("Full name"), max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date = forms.DateField(label=_("Date of birth"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
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


class DocumentForm(_Bootstrap, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    number = forms.CharField(label=_("Number"), max_length=64)
    issuing_country = forms.CharField(label=_("Issuing country"), max_length=64, required=False)


class PhotoForm(_Bootstrap, forms.Form):
    # The type and size are checked again, on the bytes, by the service (people/photos.py).
    photo = forms.FileField(label=_("Photo"), help_text=_("JPEG or PNG, at most 5 MB."),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))


class PhotoRemoveForm(_Bootstrap, forms.Form):
    reason = forms.CharField(label=_("Why the photo is removed"), max_length=500)


class MergeForm(_Bootstrap, forms.Form):
    survivor = forms.IntegerField(label=_("Entry that remains (its number)"), min_value=1)
    reason = forms.CharField(label=_("Why these are the same person"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 2}))


class UnmergeForm(_Bootstrap, forms.Form):
    reason = forms.CharField(label=_("Why the merge is undone"), max_length=500, required=False)
