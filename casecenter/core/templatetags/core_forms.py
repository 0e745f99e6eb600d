"""Template helpers for forms the pages render by hand."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def select_options(field) -> str:
    """The ``<option>``s of a bound choice field, the current value selected. Built here in one
    pass: a list filter's unit and cause selects hold hundreds of options, and a template loop
    comparing each one cost more than the rest of the list page."""
    current = "" if field.value() is None else str(field.value())
    return mark_safe("".join(  # noqa: S308 - every value and label is escaped here
        f'<option value="{escape(value)}"{" selected" if str(value) == current else ""}>{escape(label)}</option>'
        for value, label in field.field.choices))
