"""A small searchable picker for forms: a text box that asks a JSON endpoint as the user types
and keeps the chosen record's id in a hidden input. Keyboard-friendly (arrows, Enter, Escape),
no library; ``static/core/simple-picker.js`` drives it.

The endpoint answers ``{"results": [{"id": …, "label": …, "detail": …}]}`` for ``?q=…``. A form
never shows or asks for the id itself: the chosen record is shown by its label (``label_for``).
Kept deliberately self-contained so that a richer shared picker can replace it field by field.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.urls import reverse


class SimplePicker(forms.Widget):
    template_name = "core/widgets/simple_picker.html"

    def __init__(self, *, source: str, label_for: Callable[[str], str | None], placeholder: str = "",
                 query: str = "", attrs=None):
        super().__init__(attrs)
        self.source, self.label_for, self.placeholder, self.query = source, label_for, placeholder, query
        self.typed = ""

    def value_from_datadict(self, data, files, name):
        # The words typed but not turned into a choice come back with the form's errors.
        self.typed = (data.get(f"{name}_search") or "")[:200]
        return data.get(name) or None

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = "" if value in (None, "") else str(value)
        label = (self.label_for(value) if value else None) or ""
        source = reverse(self.source) + (f"?{self.query}" if self.query else "")
        attrs = context["widget"]["attrs"]
        context["picker"] = {"value": value if label else "", "label": label or self.typed, "source": source,
                             "placeholder": self.placeholder, "invalid": attrs.get("aria-invalid"),
                             "describedby": attrs.get("aria-describedby"), "required": self.is_required}
        return context
