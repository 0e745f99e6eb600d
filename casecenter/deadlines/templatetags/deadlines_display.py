"""``{% load deadlines_display %}``: ``{% clock_outcome deadline now %}`` — where a clock stands, in
words: a finished clock says how it finished and when ("Met at 2026-12-08 14:30, 3 hours before
the due time"; "Breached at 2026-12-08 24:00, overdue by 2 hours"; "Cancelled at …: reason"), a
running one its due time and what is left."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from casecenter.core.display import end_minute, minute, span

from ..models import DeadlineState

register = template.Library()


def _with_note(text: str, deadline) -> str:
    note = deadline.end_text
    return _("{outcome}: {note}").format(outcome=text, note=note) if note else text


def outcome(deadline, now) -> str:
    """One sentence: how the clock ended and when, or where it stands (translated)."""
    due, ended = deadline.due_at, deadline.ended_at
    if deadline.state == DeadlineState.CANCELLED:
        return _with_note(_("Cancelled at {at}").format(at=minute(ended)), deadline)
    if deadline.state == DeadlineState.MET:
        if due is None:
            return _with_note(_("Met at {at}").format(at=minute(ended)), deadline)
        return _with_note(_("Met at {at}, {early} before the due time").format(
            at=minute(ended), early=span(due - ended)), deadline)
    if deadline.state == DeadlineState.BREACHED:
        if ended is not None:  # done, but late: the breach stays on record
            return _with_note(_("Breached at {due}: done at {at}, {late} late").format(
                due=end_minute(due), at=minute(ended), late=span(ended - due)), deadline)
        return _("Breached at {due}: overdue by {late}, not yet done").format(due=end_minute(due),
                                                                              late=span(now - due))
    if deadline.state == DeadlineState.PAUSED or due is None:
        return _("Paused: no due time while paused")
    if due <= now:
        return _("Due at {due}: overdue by {late}").format(due=end_minute(due), late=span(now - due))
    return _("Due at {due}, {left} left").format(due=end_minute(due), left=span(due - now))


@register.simple_tag
def clock_outcome(deadline, now) -> str:
    return outcome(deadline, now)
