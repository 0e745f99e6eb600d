"""Writes of the deadlines app, each with its ledger event: the clocks (``deadlines``) and their
alerts (``alerts``)."""

from .alerts import alert_acknowledge, alert_mark_read, alert_resolve, may_resolve
from .deadlines import (
    ClockStart,
    ExtensionApproval,
    deadline_cancel,
    deadline_extend,
    deadline_meet,
    deadline_pause,
    deadline_resume,
    deadline_start,
    deadline_start_many,
    deadlines_recompute,
    may_act,
)

__all__ = [
    "ClockStart", "ExtensionApproval", "alert_acknowledge", "alert_mark_read", "alert_resolve", "deadline_cancel",
    "deadline_extend", "deadline_meet", "deadline_pause", "deadline_resume", "deadline_start",
    "deadline_start_many", "deadlines_recompute", "may_act", "may_resolve",
]
