"""``{% load access %}``: ``{% may "cases:intake" "POST" as may_register %}`` — whether the reader's
roles reach an endpoint (the access matrix), so that a page offers only what the reader may do."""

from __future__ import annotations

from django import template

from ..access import is_allowed

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, view_name: str, method: str = "GET") -> bool:
    user = getattr(context.get("request"), "user", None)
    return bool(user is not None and user.is_authenticated and is_allowed(user, view_name, method))
