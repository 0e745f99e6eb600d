"""``{% load core_display %}``: how states, times and lengths of time read on every page.

- ``{% status_badge "case" case.status %}``: the state's badge, coloured by its family
  (:mod:`casecenter.core.status`), with an icon and the label (never colour alone).
- ``{{ value|minute }}``: ``2026-12-08 14:30`` (local time); ``{{ due|end_minute }}``: the end of a
  period, midnight as ``2026-12-08 24:00``.
- ``{{ value|cn_date }}``, ``{{ value|cn_datetime }}``: ``2026年12月8日``, ``2026年12月8日14时30分``
  (printed documents).
- ``{{ delta|span }}``, ``{{ due|time_left:now }}``: ``2天3小时``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils.html import format_html

from .. import display, status

register = template.Library()


@register.simple_tag
def status_badge(kind: str, value, label: str = "", testid: str = "") -> str:
    """The badge of state ``value`` of the registered status set ``kind`` (its own label unless
    ``label`` is given): the same colour for the same family on every page."""
    states = status.status_set(kind)
    family = states.family(value)
    return format_html(
        '<span class="badge status-badge status-{family}" data-family="{family}" data-state="{value}"{testid}>'
        '<i class="bi {icon}" aria-hidden="true"></i> {label}</span>',
        family=family, value=value, icon=status.ICONS[family], label=label or states.label(value),
        testid=format_html(' data-testid="{}"', testid) if testid else "")


@register.filter
def minute(value) -> str:
    return display.minute(value) if isinstance(value, datetime) else "—"


@register.filter
def end_minute(value) -> str:
    return display.end_minute(value) if isinstance(value, datetime) else "—"


@register.filter
def end_short(value) -> str:
    """``end_minute`` without the year: ``12-08 24:00``."""
    return display.end_minute(value, short=True) if isinstance(value, datetime) else "—"


@register.filter
def cn_date(value) -> str:
    return display.chinese_date(value)


@register.filter
def cn_datetime(value) -> str:
    return display.chinese_datetime(value)


@register.filter
def span(value) -> str:
    return display.span(value) if isinstance(value, timedelta) else "—"


@register.filter
def time_left(due, now) -> str:
    """How long until ``due`` from ``now`` (``2天3小时``); empty when it has passed."""
    if not isinstance(due, datetime) or not isinstance(now, datetime) or due <= now:
        return ""
    return display.span(due - now)
