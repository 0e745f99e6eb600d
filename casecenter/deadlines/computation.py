"""The due time of a legal clock, with the steps that reach it (for :mod:`.explain`).

How the law counts, as read here:

- **Hours** (CPL art. 105 ¶1–2 "期间以时、日、月计算。期间开始的时和日不算在期间以内。"): a clock
  on a person's liberty runs from the exact recorded minute of arrival or execution (刑规 art. 79,
  199; 检规 art. 83 "拘传的时间从犯罪嫌疑人到案时开始计算"): 09:30 + 12 h is due at 21:30. Not
  rounded to the next full hour (that reading would let a breach pass unseen), and never moved for
  a holiday: the holiday rule speaks of a period's *last day*.
- **Days**: the start day is not counted (CPL art. 105 ¶2; 行规 art. 35 "期间开始之时或者日不计算在
  内"): day 1 is the day after the start, and the period ends at 24:00 of day N — stored as 00:00
  local of the next day, shown as "24:00 of <last day>". "以上/以下/内" include the number itself
  (行规 art. 265), so an act on the last day at 23:59 is in time.
- **Months**: to the same day of the month N months later, or, where that day does not exist, the
  last day of that month (the prevailing reading; ``CASECENTER["DEADLINE_MONTH_END_RULE"]``
  = ``"last_day"`` (default) or ``"next_day"``, the 1st of the following month), ending at 24:00.
- **Holidays**: "期间的最后一日为节假日的，以节假日后的第一日为期满日期，但犯罪嫌疑人、被告人或者
  罪犯在押期间，应当至期满之日为止，不得因节假日而延长" (CPL art. 105 ¶4; 行规 art. 35 likewise,
  "被限制人身自由的期间"). Only for day and month counts, only when the rule allows it, never while
  the person is held. Holidays *inside* the period are counted. A year whose holidays are not
  entered is reported (``missing_years``) and the end is not moved: the earlier time is the safe one.
- **Pauses** (time the law excludes, e.g. 行规 art. 58 ¶2 "约束时间不计算在询问查证时间内"): an
  hour clock is extended by the exact paused time. A day or month clock is extended by the number of
  whole days the pause spans, counted like the period itself (the day it starts is not excluded,
  the day it ends is): a pause from 3 March to 10 March excludes 7 days; one that starts and ends on
  the same day excludes none. Counting the pause's first day as well would give more time than the
  law does; a due time that is too late hides a breach, so the shorter reading is taken.
- **Extensions**, in grant order: ``add`` lengthens the period; ``total`` makes the whole period
  that long (12 h → 24 h), counted from the start. The holiday rule looks only at the final last day.

  - *An added month runs from the end of the period before it.* CPL art. 156 ("侦查羁押期限不得超过
    二个月……可以经上一级人民检察院批准延长一个月"), art. 158 ("在本法第一百五十六条规定的期限届满不能侦查
    终结的……可以延长二个月") and art. 159 ("依照本法第一百五十八条规定延长期限届满……可以再延长二个月")
    extend a period that has run out; 刑规 art. 148–150 have each request sent "在期限届满七日前", and
    art. 149 ("在本规定第一百四十八条规定的期限届满不能侦查终结的") and art. 150 ("依照本规定第一百四十九条
    规定的延长期限届满") attach each extension to the expiry of the one before. So each ``add`` tier in
    months is counted from the previous period's last day, with the month-end rule applied at each
    step: arrested 2025-12-31, 2 months end on 2026-02-28 (no 31 Feb), one more month ends on
    2026-03-28 — not 03-31, which counting 3 months from the start would give. Where the readings
    differ the chained one is the earlier, and an end that is too late hides a breach. (In days the
    two readings agree.) 刑规 art. 151 (另有重要罪行: the custody period is counted again from the
    discovery) is a new clock, not a tier.
  - *A ``total`` tier never shortens the period.* 刑规 art. 129 and 公通字〔2015〕32号 give the
    longer periods as alternatives for graver cases, never as a cut: a ``total`` tier granted after a
    longer period has been reached (立案审查: 30 days for a major case, then 7 days for leads) is
    refused (``RuleError`` on ``tier``) rather than silently ignored, because such a record is a
    mistake the officer must see and correct, and taking the maximum would show an approval that
    changed nothing.
  - *Alternatives exclude each other* both ways (``excludes`` on either tier is enough): 刑规 art. 129
    ¶1 (特殊情况, 1–4 more days) and ¶2 (流窜、多次、结伙, "延长至三十日") are alternative grounds, so
    an arrest request cannot reach 3 + 4 + 30 days.
  - *A rule's ``maximum``* (``Rule.maximum``, e.g. 30 days for the arrest request) is never
    exceeded: a tier that would pass it is refused (``RuleError`` on ``tier``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _

from .calendar import MAX_REST_RUN, Calendar
from .rules import SHANGHAI, Rule, RuleError
from .rules import amount as _text

ONE_DAY = timedelta(days=1)
MIDNIGHT = time(0, 0)


class Step(NamedTuple):
    kind: str
    at: datetime | None
    params: dict


class Computation(NamedTuple):
    due_at: datetime | None
    remaining: timedelta | None
    warnings: tuple[tuple[int, datetime], ...]
    steps: tuple[Step, ...]
    missing_years: tuple[int, ...]
    unconfirmed: str


def _aware(value, field: str, rule: Rule) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise RuleError(_("{field} must be a date and time with its time zone.").format(field=field),
                        field=field, rule=rule.id)
    return value.astimezone(UTC)


def _period(rule: Rule, extensions: Sequence[str], steps: list) -> tuple[int, str, tuple[int, ...]]:
    """The period's total length after the granted extensions, validated in grant order, and the
    segments it is counted in: the base period (or the last ``total`` tier) followed by each ``add``
    tier granted after it, each counted from the previous segment's last day (see the module's
    docstring, "Extensions")."""
    amount, unit = rule.duration.amount, rule.duration.unit
    segments = [amount]
    granted: list[str] = []
    for tier_id in extensions:
        ext = rule.extension(tier_id)
        if tier_id in granted:
            raise RuleError(_("The extension {tier!r} is granted twice.").format(tier=tier_id), field="tier",
                            rule=rule.id)
        missing = [r for r in ext.requires if r not in granted]
        if missing:
            raise RuleError(_("The extension {tier!r} needs {required} to be granted first.").format(
                tier=tier_id, required=", ".join(missing)), field="tier", rule=rule.id)
        # Either side's ``excludes`` is enough: alternatives exclude each other in both orders.
        clash = [x for x in granted if x in ext.excludes or tier_id in rule.extension(x).excludes]
        if clash:
            raise RuleError(_("The extension {tier!r} cannot be granted together with {other}.").format(
                tier=tier_id, other=", ".join(clash)), field="tier", rule=rule.id)
        if ext.mode == "total":
            if _shorter(ext.duration.amount, ext.duration.unit, amount, unit):
                raise RuleError(_("The extension {tier!r} would make the period {total}, shorter than the "
                                  "{current} already granted; an extension never shortens a period.").format(
                    tier=tier_id, total=_text(ext.duration.amount, ext.duration.unit), current=_text(amount, unit)),
                    field="tier", rule=rule.id)
            new_amount, new_unit, new_segments = ext.duration.amount, ext.duration.unit, [ext.duration.amount]
        else:
            new_amount, new_unit, new_segments = amount + ext.duration.amount, unit, segments + [ext.duration.amount]
        if rule.maximum is not None and _shorter(rule.maximum.amount, rule.maximum.unit, new_amount, new_unit):
            raise RuleError(_("The extension {tier!r} would make the period {total}, longer than the {maximum} "
                              "the law allows at most.").format(
                tier=tier_id, total=_text(new_amount, new_unit),
                maximum=_text(rule.maximum.amount, rule.maximum.unit)), field="tier", rule=rule.id)
        granted.append(tier_id)
        amount, unit, segments = new_amount, new_unit, new_segments
        steps.append(Step("extension", None, {"tier": tier_id, "name_zh": ext.name_zh, "name_en": ext.name_en,
                                              "mode": ext.mode, "by": ext.duration.amount,
                                              "unit": unit, "amount": amount, "role": ext.approval_role,
                                              "approver_level": ext.approver_level,
                                              "citation": ext.citation.label if ext.citation else ext.source}))
    return amount, unit, tuple(segments)


# Lengths in hours for comparing a "total" tier with the period reached: a day is 24 hours; a month
# at least 28 days and at most 31 (a tier is "shorter" only when it is shorter in any month).
_SHORTEST_HOURS = {"hours": 1, "days": 24, "months": 28 * 24}
_LONGEST_HOURS = {"hours": 1, "days": 24, "months": 31 * 24}


def _shorter(amount: int, unit: str, than_amount: int, than_unit: str) -> bool:
    if unit == than_unit:
        return amount < than_amount
    return amount * _LONGEST_HOURS[unit] < than_amount * _SHORTEST_HOURS[than_unit]


def add_months(day: date, months: int, rule: str | None = None) -> tuple[date, bool]:
    """The same day ``months`` later, and whether the month-end rule was needed (31 Jan + 1 → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = _last_day_of_month(year, month)
    if day.day <= last:
        return date(year, month, day.day), False
    if (rule or settings.CASECENTER.get("DEADLINE_MONTH_END_RULE", "last_day")) == "next_day":
        return date(year, month, last) + ONE_DAY, True
    return date(year, month, last), True


def _last_day_of_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - ONE_DAY).day


def _check_pauses(rule: Rule, pauses, start: datetime) -> list[tuple[datetime, datetime | None]]:
    if not pauses:
        return []
    if not rule.pauses:
        raise RuleError(_("The rule {rule!r} allows no pause.").format(rule=rule.id), field="pauses", rule=rule.id)
    checked = []
    for begin, end in sorted(pauses, key=lambda p: _aware(p[0], "pauses", rule)):
        begin = _aware(begin, "pauses", rule)
        end = None if end is None else _aware(end, "pauses", rule)
        if begin < start:
            raise RuleError(_("A pause cannot start before the clock starts."), field="pauses", rule=rule.id)
        if end is not None and end <= begin:
            raise RuleError(_("A pause must end after it starts."), field="pauses", rule=rule.id)
        if checked and (checked[-1][1] is None or begin < checked[-1][1]):
            raise RuleError(_("Pauses overlap; only one pause can run at a time."), field="pauses", rule=rule.id)
        checked.append((begin, end))
    return checked


def compute(rule: Rule, *, started_at: datetime, held: bool,
            pauses: Sequence[tuple[datetime, datetime | None]] = (), extensions: Sequence[str] = (),
            calendar: Calendar | None = None, now: datetime | None = None) -> Computation:
    """The due time of ``rule`` started at ``started_at`` (see the module's docstring for the
    counting). ``held``: the person is held while it runs (ignored when the rule says). ``calendar``:
    the rest days (``calendar_cache.current()``), required wherever the holiday rule applies. Raises
    RuleError (naming the field) for naive times, an end before a start, overlapping pauses or pauses
    outside the clock, an extension the rule does not allow, one granted out of order or with an
    alternative, a ``total`` tier that would shorten the period, or a tier beyond the rule's maximum."""
    start = _aware(started_at, "started_at", rule)
    local = start.astimezone(SHANGHAI)
    steps = [Step("start", start, {"rule": rule.id, "local": local})]
    if rule.valid_from is not None or rule.valid_until is not None:
        if not rule.valid_on(local.date()):
            raise RuleError(_("This version of the rule {rule!r} is not in force on {day}.").format(
                rule=rule.id, day=local.date()), field="started_at", rule=rule.id)
        steps.append(Step("version", None, {"valid_from": rule.valid_from, "valid_until": rule.valid_until,
                                            "day": local.date()}))
    if rule.unconfirmed:
        steps.append(Step("unconfirmed", None, {"note": rule.unconfirmed, "overridden": rule.overridden}))
    steps.append(Step("period", None, {"amount": rule.duration.amount, "unit": rule.duration.unit,
                                       "citation": rule.citation_labels}))
    if extensions:
        amount, unit, segments = _period(rule, extensions, steps)
    else:
        amount, unit, segments = rule.duration.amount, rule.duration.unit, (rule.duration.amount,)
    if rule.person_held is not None:
        held = rule.person_held
    paused = _check_pauses(rule, pauses, start)
    if now is not None and paused:
        moment = _aware(now, "now", rule)
        if any(begin > moment or (end is not None and end > moment) for begin, end in paused):
            raise RuleError(_("A pause cannot be recorded in the future."), field="pauses", rule=rule.id)
    if unit == "hours":
        return _hours(rule, start, amount, paused, steps)
    return _days(rule, start, local.date(), amount, unit, segments, held, paused, steps, calendar)


def _result(rule: Rule, due: datetime | None, remaining, steps, missing=()) -> Computation:
    warnings = () if due is None else tuple((seconds, due - delta) for seconds, delta in rule._warning_seconds)
    return Computation(due, remaining, warnings, tuple(steps), tuple(missing), rule.unconfirmed)


def _hours(rule: Rule, start: datetime, amount: int, paused, steps: list) -> Computation:
    due = start + timedelta(hours=amount)
    steps.append(Step("hours", due, {"amount": amount, "start": start}))
    for begin, end in paused:
        if begin >= due:
            raise RuleError(_("A pause cannot start after the clock has run out."), field="pauses", rule=rule.id)
        if end is None:
            steps.append(Step("pause_open", begin, {"remaining": due - begin}))
            return _result(rule, None, due - begin, steps)
        due += end - begin
        steps.append(Step("pause", begin, {"end": end, "length": end - begin, "unit": "hours", "due": due}))
    steps.append(Step("due", due, {"unit": "hours"}))
    return _result(rule, due, None, steps)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, MIDNIGHT, SHANGHAI).astimezone(UTC)


def _days(rule: Rule, start: datetime, start_day: date, amount: int, unit: str, segments: tuple[int, ...],
          held: bool, paused, steps: list, calendar: Calendar | None) -> Computation:
    first = start_day + ONE_DAY
    if unit == "days":
        # Counting each added segment from the previous last day gives the same day as one count.
        last, adjusted = start_day + timedelta(days=amount), False
        steps.append(Step("count", None, {"unit": unit, "amount": amount, "start_day": start_day, "first": first,
                                          "last": last, "month_end": adjusted}))
    else:
        last, adjusted = add_months(start_day, segments[0])
        steps.append(Step("count", None, {"unit": unit, "amount": segments[0], "start_day": start_day,
                                          "first": first, "last": last, "month_end": adjusted}))
        for added in segments[1:]:
            previous = last
            last, adjusted = add_months(previous, added)
            steps.append(Step("count_extension", None, {"unit": unit, "amount": added, "from": previous,
                                                        "last": last, "month_end": adjusted}))
    for begin, end in paused:
        if begin >= _local_midnight(last + ONE_DAY):
            raise RuleError(_("A pause cannot start after the clock has run out."), field="pauses", rule=rule.id)
        if end is None:
            remaining = _local_midnight(last + ONE_DAY) - begin
            steps.append(Step("pause_open", begin, {"remaining": remaining}))
            return _result(rule, None, remaining, steps)
        excluded = (end.astimezone(SHANGHAI).date() - begin.astimezone(SHANGHAI).date()).days
        last += timedelta(days=excluded)
        steps.append(Step("pause", begin, {"end": end, "length": end - begin, "unit": "days", "days": excluded,
                                           "last": last}))
    missing: list[int] = []
    # An hour clock extended into days (受案审查 24 h → 3 days) is then a day period like any other.
    if rule.holiday_roll or rule.duration.unit == "hours":
        if calendar is None:  # the computation reads no database: its callers pass calendar_cache.current()
            raise ValueError("the holiday rule needs the holiday calendar (calendar=...)")
        last = _roll(rule, calendar, first, last, held, steps, missing)
    due = _local_midnight(last + ONE_DAY)
    steps.append(Step("due", due, {"unit": unit, "last": last}))
    return _result(rule, due, None, steps, missing)


def _roll(rule: Rule, calendar: Calendar, first: date, last: date, held: bool, steps: list,
          missing: list) -> date:
    """The holiday rule (CPL art. 105 ¶4; 行规 art. 35) on the period's last day."""
    article = "mps-admin-rules 35" if rule.administrative else "cpl 105(4)"
    inside = calendar.holidays_between(first, last - ONE_DAY)
    if inside:
        steps.append(Step("holidays_inside", None, {"days": inside}))
    if held:
        if calendar.is_known(last.year) and calendar.is_rest_day(last):
            steps.append(Step("held_no_roll", None, {"last": last, "name": calendar.holiday_name(last),
                                                     "article": article}))
        return last
    if not calendar.is_known(last.year):
        missing.append(last.year)
        steps.append(Step("calendar_missing", None, {"year": last.year, "last": last}))
        return last
    if not calendar.is_rest_day(last):
        return last
    rolled = last
    for _step in range(MAX_REST_RUN):
        if not calendar.is_rest_day(rolled):
            break
        following = rolled + ONE_DAY
        if not calendar.is_known(following.year):
            # The end is not moved into a year whose holidays are unknown: the earlier time is safe.
            missing.append(following.year)
            steps.append(Step("calendar_missing", None, {"year": following.year, "last": rolled}))
            break
        rolled = following
    passed = [(d, calendar.holiday_name(d)) for d in _dates(last, rolled - ONE_DAY)] if rolled > last else []
    steps.append(Step("roll", None, {"last": last, "to": rolled, "name": calendar.holiday_name(last),
                                     "passed": passed, "article": article}))
    return rolled


def _dates(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += ONE_DAY
