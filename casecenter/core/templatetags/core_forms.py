"""Template helpers for forms the pages render by hand."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def select_options(field) -> str:
    """The ``<option>``s of a bound choice field, the current value selected. Built here in one
    pass: a list filter's unit and cause selects hold hundreds of options, and a template loop
    comparing each one cost more than the rest of the list page."""
    current = "" if field.value() is None else str(field.value())
    return format_html_join("", "{}", (
        (format_html('<option value="{}"{}>{}</option>', value, " selected" if str(value) == current else "", label),)
        for value, label in field.field.choices))
