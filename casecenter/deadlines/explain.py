"""The steps of a computation as sentences an officer can check by hand (translated).

:func:`describe` turns one :class:`~.computation.Step` into a sentence in the active language;
the computation itself stores parameters only, so that explaining costs nothing on the hot path.
Times are shown in Asia/Shanghai; an end at midnight (every day count's end) is shown as 24:00 of
the day before ("2026-12-08 24:00"), as on the page's header.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from casecenter.core.display import end_minute, minute

from .computation import Step
from .rules import SHANGHAI, Citation, amount, catalog

ARTICLES = {  # the holiday rule, by procedure
    "cpl 105(4)": Citation("cpl", 105, 4),
    "mps-admin-rules 35": Citation("mps-admin-rules", 35),
}
ROLE_LABELS = {"procuratorate": gettext_lazy("the procuratorate")}


def when(value: datetime) -> str:
    return minute(value, SHANGHAI)


def end(value: datetime) -> str:
    """The end of a period: local midnight reads as 24:00 of the day before ("2026-12-08 24:00"),
    the day an officer counts to, never as 00:00 of the next day."""
    return end_minute(value, SHANGHAI)


def day(value: date) -> str:
    return value.isoformat()


def length(value: timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    if hours:
        return _("{hours} h").format(hours=hours)
    return _("{minutes} min").format(minutes=minutes)


def role_label(role: str) -> str:
    from casecenter.accounts.roles import Role

    if role in ROLE_LABELS:
        return str(ROLE_LABELS[role])
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _start(p, at):
    try:
        rule = catalog().resolve(p["rule"], at)
        event, name = rule.starts_on, rule.name
    except Exception:  # noqa: BLE001 - a rule removed since: the sentence still shows the time
        event, name = "", p["rule"]
    return _("The clock of \"{rule}\" starts at {time} ({event}).").format(rule=name, time=when(at), event=event)


def _version(p, at):
    start = day(p["valid_from"]) if p["valid_from"] else _("the beginning")
    end = day(p["valid_until"]) if p["valid_until"] else _("no end date")
    return _("On {day} the law version in force from {start} until {end} applies.").format(
        day=day(p["day"]), start=start, end=end)


def _unconfirmed(p, at):
    text = _("Unconfirmed, configurable: {note}").format(note=p["note"])
    if p.get("overridden"):
        text += " " + _("Values changed locally by {file}.").format(file=p["overridden"])
    return text


def _period(p, at):
    return _("The law sets {amount} ({citation}).").format(amount=amount(p["amount"], p["unit"]),
                                                          citation=p["citation"])


def _extension(p, at):
    if p["mode"] == "total":
        text = _("Extension \"{tier}\", approved by {role}: the period becomes {total} ({citation}).")
    else:
        text = _("Extension \"{tier}\", approved by {role}: {by} more, {total} in all ({citation}).")
    name = p.get("name_zh") if (get_language() or "").startswith("zh") else p.get("name_en")
    role = role_label(p["role"])
    if p.get("approver_level") == "higher_organ":
        role = _("{role} of the police organ one level up").format(role=role)
    return text.format(tier=name or p["tier"], role=role, by=amount(p["by"], p["unit"]),
                       total=amount(p["amount"], p["unit"]), citation=p["citation"])


def _hours(p, at):
    return _("{amount} from {start}, counted to the minute: {end}. Hour clocks are not moved for holidays "
             "(CPL art. 105).").format(amount=amount(p["amount"], "hours"), start=when(p["start"]), end=end(at))


def _count(p, at):
    text = _("The start day {start} is not counted (CPL art. 105; 行规 art. 35). Day 1 is {first}; "
             "{amount} end with the last day {last}.")
    text = text.format(start=day(p["start_day"]), first=day(p["first"]), amount=amount(p["amount"], p["unit"]),
                       last=day(p["last"]))
    if p["month_end"]:
        text += " " + _("The month has no day {n}: its last day is taken (month-end rule).").format(
            n=p["start_day"].day)
    return text


def _count_extension(p, at):
    text = _("The extension of {amount} is counted from the end of the period before it, {start}: the last day "
             "is now {last} (CPL art. 156–159; 刑规 art. 148–150).")
    text = text.format(amount=amount(p["amount"], p["unit"]), start=day(p["from"]), last=day(p["last"]))
    if p["month_end"]:
        text += " " + _("The month has no day {n}: its last day is taken (month-end rule).").format(n=p["from"].day)
    return text


def _pause(p, at):
    if p["unit"] == "hours":
        return _("Paused from {start} to {end} ({length}): the end moves by the same time.").format(
            start=when(at), end=end(p["end"]), length=length(p["length"]))
    return _("Paused from {start} to {end}: {days} not counted (the day the pause starts is counted), "
             "the last day is now {last}.").format(start=when(at), end=end(p["end"]),
                                                   days=amount(p["days"], "days"), last=day(p["last"]))


def _pause_open(p, at):
    return _("Paused since {start}: {remaining} left when the clock resumes; no due time while paused.").format(
        start=when(at), remaining=length(p["remaining"]))


def _holidays_inside(p, at):
    days = ", ".join(f"{day(d)} {name}".strip() for d, name in p["days"])
    return _("Public holidays inside the period are counted like other days: {days}.").format(days=days)


def _roll(p, at):
    passed = ", ".join(f"{day(d)} {name}".strip() for d, name in p["passed"])
    return _("The last day {last} is a rest day ({passed}): the period ends on the next working day, {to} "
             "({citation}).").format(last=day(p["last"]), passed=passed, to=day(p["to"]),
                                     citation=ARTICLES[p["article"]].label)


def _held(p, at):
    return _("The last day {last} is a rest day, but the period is not extended: the person is held "
             "({citation}).").format(last=day(p["last"]), citation=ARTICLES[p["article"]].label)


def _missing(p, at):
    return _("Warning: the public holidays of {year} are not entered, so the end ({last}) was not moved for "
             "holidays. Check it by hand and ask an administrator to enter the year.").format(
        year=p["year"], last=day(p["last"]))


def _due(p, at):
    # A due time at midnight is 24:00 of the day before, for hour clocks too: the same words as the
    # page's header (core.display.end_minute).
    return _("Due at {time}.").format(time=end(at))


SENTENCES = {
    "start": _start, "version": _version, "unconfirmed": _unconfirmed, "period": _period,
    "extension": _extension, "hours": _hours, "count": _count, "count_extension": _count_extension,
    "pause": _pause, "pause_open": _pause_open,
    "holidays_inside": _holidays_inside, "roll": _roll, "held_no_roll": _held, "calendar_missing": _missing,
    "due": _due,
}


def describe(step: Step) -> str:
    """One step as a sentence in the active language."""
    return SENTENCES[step.kind](step.params, step.at)


def describe_all(steps) -> list[str]:
    return [describe(step) for step in steps]
