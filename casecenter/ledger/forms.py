"""The audit browser's filter form. Bad input becomes a field error on the page, never a 500.

People and units are chosen with pickers (the searches that ``names.PICKERS`` lends), never typed
as ids; a case, a person or a record is chosen by following its link in the list, and shows as a
filter that can be removed.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casecenter.core.display import labelled
from casecenter.core.forms import LocalDateField, LocalDateInput
from casecenter.core.simple_picker import SimplePicker

from . import names
from .actions import ACTION_RE

#: The filters set by following a link, shown as removable labels instead of inputs.
LINKED = ("subject_type", "subject_id", "case", "person")


def _label(kind: str):
    """The picker's label for a chosen id: the name the ledger's name lookup finds."""
    def resolve(value: str) -> str | None:
        found = names.Names()
        found.want(kind, value)
        return found.resolve().get(kind, value)

    return resolve


class EventFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who acted"), max_length=150, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    action = forms.CharField(label=_("Action"), max_length=100, required=False, help_text=_(
        "A dotted name such as accounts.user.login, or a prefix such as accounts.user"))
    # The one date input (core/forms.py): YYYY-MM-DD whatever the browser's language, with its calendar.
    since = LocalDateField(label=_("From"), required=False,
                           widget=LocalDateInput(attrs={"class": "form-control form-control-sm"}))
    until = LocalDateField(label=_("To"), required=False,
                           widget=LocalDateInput(attrs={"class": "form-control form-control-sm"}))
    subject_type = forms.CharField(label=_("Kind of record"), max_length=64, required=False, widget=forms.HiddenInput)
    subject_id = forms.CharField(label=_("Concerning"), max_length=64, required=False, widget=forms.HiddenInput)
    case = forms.CharField(label=_("Case"), max_length=64, required=False, widget=forms.HiddenInput)
    person = forms.CharField(label=_("Person"), max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind, placeholder in (("actor", names.USER_TYPE, _("Type part of a name or username")),
                                        ("unit", names.UNIT_TYPE, _("Type part of a unit's name or code"))):
            source = names.PICKERS.get(name)
            if source:
                self.fields[name].widget = SimplePicker(source=source, label_for=_label(kind),
                                                        placeholder=placeholder)

    def _typed_without_choice(self, name: str) -> bool:
        widget = self.fields[name].widget
        return isinstance(widget, SimplePicker) and bool(widget.typed.strip())

    def clean_actor(self) -> str:
        # An id from the picker, or a username (links and scripts written before the picker).
        actor = self.cleaned_data["actor"].strip()
        if not actor and self._typed_without_choice("actor"):
            raise forms.ValidationError(_("Choose an account from the list: type part of the name or username."))
        return actor

    def clean_unit(self) -> str:
        unit = self.cleaned_data["unit"].strip()
        if (unit and not unit.isdigit()) or (not unit and self._typed_without_choice("unit")):
            raise forms.ValidationError(_("Choose a unit from the list: type part of its name or code."))
        return unit

    def clean_action(self) -> str:
        action = self.cleaned_data["action"].strip()
        prefix = action.rstrip(".")
        # A full name, or a prefix of one ("accounts" or "accounts.user").
        if action and not any(ACTION_RE.match(prefix + tail) for tail in ("", ".x", ".x.y")):
            raise forms.ValidationError(_("Enter a dotted action name such as accounts.user.login."))
        return action

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned

    def selector_filters(self) -> dict:
        """The valid input as keyword arguments of ``selectors.event_list``."""
        data = self.cleaned_data
        actor = data["actor"]
        return {"actor": int(actor) if actor.isdigit() else (actor or None), "action": data["action"] or None,
                "unit_id": int(data["unit"]) if data["unit"] else None,
                "subject_type": data["subject_type"].strip() or None,
                "subject_id": data["subject_id"].strip() or None, "case_id": data["case"].strip() or None,
                "person_id": data["person"].strip() or None, "since": data["since"], "until": data["until"]}

    def linked_filters(self) -> list[dict]:
        """The filters set by a link, each by name with the address that removes it."""
        if not self.is_bound or not self.is_valid():
            return []
        data, found = self.cleaned_data, names.Names()
        found.want(data["subject_type"], data["subject_id"])
        found.want(names.CASE_TYPE, data["case"])
        found.want(names.PERSON_TYPE, data["person"])
        found.resolve()
        chips = []
        if data["subject_type"]:
            label = (found.label(data["subject_type"], data["subject_id"]) if data["subject_id"]
                     else names.type_label(data["subject_type"]))
            chips.append({"label": _("Concerning"), "value": label, "drop": ("subject_type", "subject_id")})
        if data["case"]:
            chips.append({"label": _("Case"), "value": found.label(names.CASE_TYPE, data["case"]), "drop": ("case",)})
        if data["person"]:
            chips.append({"label": _("Person"), "value": found.label(names.PERSON_TYPE, data["person"]),
                          "drop": ("person",)})
        return chips

    def error_summary(self) -> list[str]:
        """Each error with the label of its field, for the message above the table."""
        return [labelled(self.fields[name].label if name in self.fields else "", message)
                for name, messages in self.errors.items() for message in messages]
