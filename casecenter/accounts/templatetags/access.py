"""``{% load access %}``: the access matrix in templates, so that a page offers a link or a form only
to those the matrix lets through (a button that would answer 403 is never shown).

``{% if user|may_use:"cases:intake" %}`` — may the user open that page (GET)?
``{% if user|may_submit:"people:create" %}`` — may the user post to it?
"""

from django import template

from casecenter.accounts.access import is_allowed

register = template.Library()


@register.filter
def may_use(user, view_name: str) -> bool:
    return is_allowed(user, view_name, "GET")


@register.filter
def may_submit(user, view_name: str) -> bool:
    return is_allowed(user, view_name, "POST")
