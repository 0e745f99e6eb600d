"""What every administration form shares: Bootstrap classes and error marks on the widgets, and the
unit and account pickers (never a typed id)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casecenter.core.simple_picker import SimplePicker

from ..models import Unit, User


class PageForm(forms.Form):
    """Gives each widget its Bootstrap class, and each field with an error ``is-invalid`` and the
    ARIA attributes that tie the message to it (rendered by ``accounts/_form_field.html``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select) and not isinstance(widget, SimplePicker):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-help"

    def full_clean(self):
        super().full_clean()
        self._mark_errors()

    def add_service_error(self, error) -> None:
        """Put an ApplicationError's messages at the fields it names (the rest above the form)."""
        placed = False
        for name, messages in error.fields.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)
        self._mark_errors()

    def _mark_errors(self) -> None:
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}-error"


def _unit_label(value: str) -> str | None:
    return Unit.objects.filter(pk=value).values_list("name", flat=True).first() if value.isdigit() else None


def _user_label(value: str) -> str | None:
    row = User.objects.filter(pk=value).values_list("full_name", "username").first() if value.isdigit() else None
    return f"{row[0]}（{row[1]}）" if row else None


class _PickerField(forms.ModelChoiceField):
    def clean(self, value):
        if value in self.empty_values and self.widget.typed.strip():
            # Words typed without choosing a match: say so, rather than "this field is required".
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().clean(value)


class UnitPickerField(_PickerField):
    """A unit chosen by name or code; ``active_only`` offers (and accepts) active units only."""

    default_error_messages = {"invalid_choice": _("Choose a unit from the list: type part of its name or code.")}

    def __init__(self, *, active_only: bool = True, **kwargs):
        queryset = Unit.objects.filter(is_active=True) if active_only else Unit.objects.all()
        widget = SimplePicker(source="accounts:unit_picker", label_for=_unit_label,
                              query="active=1" if active_only else "", placeholder=_("Type part of the name or code"))
        super().__init__(queryset=queryset, widget=widget, **kwargs)


class UserPickerField(_PickerField):
    default_error_messages = {
        "invalid_choice": _("Choose an account from the list: type part of the name or username.")}

    def __init__(self, **kwargs):
        widget = SimplePicker(source="accounts:user_picker", label_for=_user_label,
                              placeholder=_("Type part of the name or username"))
        super().__init__(queryset=User.objects.all(), widget=widget, **kwargs)
