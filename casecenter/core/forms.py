"""What every form of the application is built from, so that all of them behave alike.

- :class:`Form`: the base of every form. ``core/partials/field.html`` draws each field with
  Bootstrap's classes, the required mark (``aria-required`` too) and its legend; the form has
  fields shown only when another field has a given value (``show_when``), every error listed with
  its field's label (``error_summary``) and a service's refusal put on the fields it names
  (``add_service_error``). Pages render each field with ``core/partials/field.html`` and post with
  ``novalidate``: the server checks everything at once and answers every error at its field, the
  typed values kept.
- :class:`LocalDateTimeField` and :class:`LocalDateField`: the one input for a time or a date.
  It shows and accepts ``YYYY-MM-DD HH:MM`` (24-hour clock; seconds may be typed) in Asia/Shanghai
  whatever the browser's language: a text input, never ``type=datetime-local`` or ``type=date``,
  whose display follows the browser's locale. ``web/static/web/forms.js`` adds the calendar.

The searchable pickers (people, officers, units, causes) are in :mod:`casecenter.core.pickers`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .display import labelled

#: The time zone every typed time is read in and every shown time is written in.
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
DATETIME_FORMAT = "%Y-%m-%d %H:%M"
DATE_FORMAT = "%Y-%m-%d"
DATETIME_PLACEHOLDER = "YYYY-MM-DD HH:MM"
DATE_PLACEHOLDER = "YYYY-MM-DD"
_DATETIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$")
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
#: An example in the error messages, fixed so that a message never depends on today.
DATETIME_EXAMPLE = "2026-12-08 09:30"
DATE_EXAMPLE = "2026-12-08"


def _typed(value) -> str:
    """What was typed, with full-width digits and colons (a Chinese input method's) made ASCII and
    runs of spaces made one."""
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


class LocalDateTimeInput(forms.TextInput):
    """The text input of a time, with a calendar button (``core/widgets/datetime.html``):
    ``data-datetime`` asks web/forms.js for the calendar. Typing stays the input's own: the
    calendar only writes the time picked in it."""

    template_name = "core/widgets/datetime.html"
    kind = "datetime"
    placeholder = DATETIME_PLACEHOLDER
    calendar_label = _("Choose the date and time in a calendar")

    def __init__(self, attrs=None):
        defaults = {"data-datetime": self.kind, "data-done": _("Done"), "placeholder": self.placeholder,
                    "autocomplete": "off", "spellcheck": "false"}
        super().__init__(attrs={**defaults, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["calendar_label"] = self.calendar_label
        return context

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(LOCAL_ZONE)
            return value.strftime(DATETIME_FORMAT)
        return super().format_value(value)


class LocalDateInput(LocalDateTimeInput):
    kind = "date"
    placeholder = DATE_PLACEHOLDER
    calendar_label = _("Choose the date in a calendar")

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            value = value.astimezone(LOCAL_ZONE).date() if value.tzinfo is not None else value.date()
        if isinstance(value, dt.date):
            return value.strftime(DATE_FORMAT)
        return super().format_value(value)


class LocalDateTimeField(forms.Field):
    """A moment typed as ``YYYY-MM-DD HH:MM`` (``:SS`` optional), Asia/Shanghai; an aware datetime."""

    widget = LocalDateTimeInput
    default_help_text = _("YYYY-MM-DD HH:MM, 24-hour clock, Beijing time.")

    def __init__(self, *, help_text=None, **kwargs):
        super().__init__(help_text=self.default_help_text if help_text is None else help_text, **kwargs)

    def prepare_value(self, value):
        return value  # the widget formats it (in Asia/Shanghai, to the minute)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value if value.tzinfo is not None else value.replace(tzinfo=LOCAL_ZONE)
        text = _typed(value)
        match = _DATETIME_RE.match(text)
        if not match:
            message = gettext("Enter the date and time as YYYY-MM-DD HH:MM (24-hour clock), e.g. {example}.")
            raise ValidationError(message.format(example=DATETIME_EXAMPLE), code="invalid")
        year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
        try:
            return dt.datetime(year, month, day, hour, minute, second, tzinfo=LOCAL_ZONE)
        except ValueError:
            raise ValidationError(gettext("{value} is not a real date and time.").format(value=text),
                                  code="invalid") from None


class LocalDateField(forms.Field):
    """A day typed as ``YYYY-MM-DD``; a ``datetime.date``."""

    widget = LocalDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        text = _typed(value)
        match = _DATE_RE.match(text)
        if not match:
            raise ValidationError(gettext("Enter the date as YYYY-MM-DD, e.g. {example}.").format(example=DATE_EXAMPLE),
                                  code="invalid")
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ValidationError(gettext("{value} is not a real date.").format(value=text), code="invalid") from None


def widget_css(widget) -> str:
    """Bootstrap's classes of a widget (``core/partials/field.html`` adds them when it renders)."""
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select form-select-sm"
    return "form-control form-control-sm"


class Form(forms.Form):
    """The base of every form; see the module's docstring.

    ``show_when = {"deposit_amount": {"bail_form": ["deposit"]}}``: the field applies only while
    another field holds one of those values. The page hides it (web/forms.js); the form ignores
    what it holds otherwise, so a value left in a hidden field is never saved.
    ``required_when_shown``: fields that must be filled while they apply (marked like required ones).
    """

    show_when: dict[str, dict[str, list[str]]] = {}
    required_when_shown: frozenset[str] = frozenset()
    #: A service's field name → this form's (a service says "at" where the form asks "started_at").
    error_aliases: dict[str, str] = {}

    # --- fields that apply only to some choices --------------------------------------------------

    def applies(self, name: str) -> bool:
        """Does the field ``name`` apply to what was chosen (its ``show_when`` conditions hold)?"""
        for other, values in self.show_when.get(name, {}).items():
            if other in self.fields and not self.applies(other):
                return False
            chosen = self.cleaned_data.get(other) if hasattr(self, "cleaned_data") else None
            chosen = getattr(chosen, "pk", chosen)
            if str(chosen if chosen is not None else "") not in {str(v) for v in values}:
                return False
        return True

    def clean(self):
        data = super().clean()
        for name in self.show_when:
            if name in self.fields and not self.applies(name):
                # A field that does not apply keeps no value and no error: a deposit typed before
                # the guarantor was chosen is not saved, and its format is no reason to refuse.
                field = self.fields[name]
                data[name] = [] if isinstance(field, forms.MultipleChoiceField) else None
                self._errors.pop(name, None)
        for name in self.required_when_shown:
            if name in self.fields and self.applies(name) and name not in self._errors \
                    and data.get(name) in self.fields[name].empty_values:
                self.add_error(name, self.fields[name].error_messages["required"])
        return data

    # --- errors ------------------------------------------------------------------------------------

    def error_summary(self) -> list[str]:
        """Every error, each after its field's label ("Received at: …"), for the summary at the top."""
        lines = []
        for name, messages in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for message in messages:
                lines.append(labelled(label, message))
        return lines

    def add_service_error(self, exc) -> list[str]:
        """Put a service's refusal (an ``ApplicationError``) on the fields it names; the summary
        to show (the refusal's own message when it names no field of this form)."""
        named = [field for field in exc.fields if self.error_aliases.get(field, field) in self.fields]
        for field in named:
            for message in exc.fields[field]:
                self.add_error(self.error_aliases.get(field, field), message)
        if not named:
            self.add_error(None, exc.message)
        return self.error_summary()
