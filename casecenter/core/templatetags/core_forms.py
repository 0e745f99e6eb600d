"""Template helpers of the one field-rendering path (``core/partials/field.html``) and of the
forms the pages render by hand."""

from __future__ import annotations

import json

from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from casecenter.core.forms import widget_css

register = template.Library()


@register.simple_tag
def render_widget(field, size: str = "sm") -> str:
    """The field's input with its classes (``is-invalid`` when it has an error). ``size``: "sm"
    (the forms of the pages), "md" (the sign-in pages) or "lg" (the sign-in code)."""
    widget = field.field.widget
    css = widget.attrs.get("class") or widget_css(widget)
    attrs = {"aria-required": "true"} if is_marked_required(field) else {}
    if size != "sm":
        suffix = "" if size == "md" else f" form-control-{size}"
        css = css.replace(" form-control-sm", suffix).replace(" form-select-sm", suffix.replace("control", "select"))
    if field.errors:
        css = f"{css} is-invalid"
    return field.as_widget(attrs={**attrs, "class": css.strip()})


@register.filter
def is_marked_required(field) -> bool:
    """Required, or required whenever it applies (``Form.required_when_shown``)."""
    return field.field.required or field.name in getattr(field.form, "required_when_shown", ())


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.simple_tag
def show_when_attr(field) -> str:
    """``data-show-when`` of a field that applies only to some choices (``Form.show_when``), for
    web/forms.js, which hides it (and disables its inputs) otherwise."""
    conditions = getattr(field.form, "show_when", {}).get(field.name)
    if not conditions:
        return ""
    prefixed = {field.form[other].html_name: [str(v) for v in values] for other, values in conditions.items()
                if other in field.form.fields}
    return format_html(' data-show-when="{}"', json.dumps(prefixed))


@register.inclusion_tag("core/partials/required_legend.html")
def required_legend(form):
    """The legend of the required marks, under a form that has a required field."""
    return {"shown": any(is_marked_required(field) for field in form if not field.is_hidden),
            "text": _("required")}
