"""The audit browser's filter form. Bad input becomes a field error on the page, never a 500."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casecenter.core.display import labelled

from .actions import ACTION_RE


class EventFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor (username)"), max_length=150, required=False)
    action = forms.CharField(label=_("Action"), max_length=100, required=False, help_text=_(
        "A dotted name such as accounts.user.login, or a prefix such as accounts.user"))
    subject_type = forms.CharField(label=_("Subject type"), max_length=64, required=False)
    subject_id = forms.CharField(label=_("Subject id"), max_length=64, required=False)
    case = forms.CharField(label=_("Case"), max_length=64, required=False)
    person = forms.CharField(label=_("Person"), max_length=64, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

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
        return {"actor": data["actor"].strip() or None, "action": data["action"] or None,
                "subject_type": data["subject_type"].strip() or None,
                "subject_id": data["subject_id"].strip() or None, "case_id": data["case"].strip() or None,
                "person_id": data["person"].strip() or None, "since": data["since"], "until": data["until"]}

    def error_summary(self) -> list[str]:
        """Each error with the label of its field, for the message above the table."""
        return [labelled(self.fields[name].label if name in self.fields else "", message)
                for name, messages in self.errors.items() for message in messages]
