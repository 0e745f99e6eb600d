"""How the ledger's timeline tells the deadline engine's events, in the reader's language."""

from django.utils.translation import gettext_lazy as _

DESCRIPTIONS = {
    "deadlines.deadline.started": _("{actor} started the clock {rule} (due {due_at})"),
    "deadlines.deadline.paused": _("{actor} paused the clock {rule} from {at} ({kind})"),
    "deadlines.deadline.resumed": _("{actor} resumed the clock {rule} at {at} (due {due_at})"),
    "deadlines.deadline.extended": _(
        "{actor} recorded the extension {tier} of {rule}, approval {reference} (due {due_at})"),
    "deadlines.deadline.met": _("{actor} recorded the clock {rule} as done at {at}"),
    "deadlines.deadline.recalculated": _(
        "The clock {rule} was counted again after a change of the calendar or the rules: due {due_at}, was "
        "{previous_due_at}"),
    "deadlines.deadline.cancelled": _("{actor} cancelled the clock {rule}: {reason}"),
    "deadlines.alert.warning_raised": _("Warning raised for the clock {rule}, due {due_at}"),
    "deadlines.alert.breach_raised": _("Breach of the clock {rule}, due {due_at}"),
    "deadlines.alert.read": _("{actor} read an alert of the clock {deadline}"),
    "deadlines.alert.acknowledged": _("{actor} acknowledged an alert: {note}"),
    "deadlines.alert.resolved": _("{actor} resolved an alert: {note}"),
}


#: When each event happened, by the fact that holds it (a pause may be recorded after it began).
OCCURRED = {
    "deadlines.deadline.started": "started_at", "deadlines.deadline.paused": "at",
    "deadlines.deadline.resumed": "at", "deadlines.deadline.met": "at", "deadlines.deadline.extended": "approved_at",
}


def _rule_name(value) -> str:
    from . import rules

    try:
        return rules.catalog().get(str(value)).name
    except rules.RuleError:
        return str(value)  # a rule a later release removed reads as recorded


def _instant(value, show) -> str:
    """An instant recorded as ISO-8601 (UTC), read in Asia/Shanghai to the minute."""
    from datetime import datetime

    try:
        return show(datetime.fromisoformat(str(value)))
    except (TypeError, ValueError):
        return str(value)


def _local_time(value) -> str:
    from casecenter.core.display import minute

    return _instant(value, minute)


def _local_end(value) -> str:
    """A due time: local midnight reads as 24:00 of the day before."""
    from casecenter.core.display import end_minute

    return _instant(value, end_minute)


def register() -> None:
    from casecenter.ledger import describe

    describe.register(DESCRIPTIONS, labels={"rule": _rule_name, "due_at": _local_end,
                                            "previous_due_at": _local_end, "at": _local_time},
                      occurred=OCCURRED)
