"""The computation's refusals, pauses, warnings, missing calendar years, and the explanation."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from casecenter.deadlines import computation, explain, loader, rules
from casecenter.deadlines.calendar import Calendar

SHANGHAI = rules.SHANGHAI
CALENDAR = Calendar.from_days(loader.shipped_calendar(), weekends=True)


def t(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def rule(rule_id: str, on: datetime | None = None) -> rules.Rule:
    return rules.catalog().resolve(rule_id, on or t(2026, 3, 1))


def compute(rule_id: str, start: datetime, **kwargs) -> computation.Computation:
    kwargs.setdefault("held", False)
    return computation.compute(rule(rule_id, start), started_at=start, calendar=CALENDAR, **kwargs)


class TestRefusals:
    def test_a_naive_start_is_refused(self):
        with pytest.raises(rules.RuleError) as error:
            computation.compute(rule("criminal-summons"), started_at=datetime(2026, 3, 1, 9), held=True)
        assert error.value.field == "started_at"

    def test_a_pause_that_ends_before_it_starts_is_refused(self):
        with pytest.raises(rules.RuleError) as error:
            compute("public-order-case", t(2026, 3, 1, 10), pauses=[(t(2026, 3, 5), t(2026, 3, 4))])
        assert error.value.field == "pauses" and "end after" in error.value.message

    def test_a_pause_before_the_start_or_after_the_end_is_refused(self):
        with pytest.raises(rules.RuleError, match="before the clock starts"):
            compute("public-order-case", t(2026, 3, 1, 10), pauses=[(t(2026, 2, 27), t(2026, 3, 4))])
        with pytest.raises(rules.RuleError, match="run out"):
            compute("public-order-case", t(2026, 3, 1, 10), pauses=[(t(2026, 4, 1, 0, 1), t(2026, 4, 3))])
        with pytest.raises(rules.RuleError, match="run out"):
            compute("public-order-questioning", t(2026, 3, 1, 10), held=True, pauses=[(t(2026, 3, 1, 18), None)])

    def test_overlapping_pauses_are_refused(self):
        with pytest.raises(rules.RuleError, match="overlap"):
            compute("public-order-case", t(2026, 3, 1, 10),
                    pauses=[(t(2026, 3, 2), t(2026, 3, 5)), (t(2026, 3, 4), t(2026, 3, 6))])

    def test_a_pause_on_a_rule_without_pauses_is_refused(self):
        with pytest.raises(rules.RuleError) as error:
            compute("criminal-summons", t(2026, 3, 1, 10), pauses=[(t(2026, 3, 1, 11), t(2026, 3, 1, 12))])
        assert error.value.field == "pauses"

    def test_a_pause_in_the_future_is_refused(self):
        with pytest.raises(rules.RuleError, match="future"):
            compute("public-order-case", t(2026, 3, 1, 10), pauses=[(t(2026, 3, 2), t(2026, 3, 9))],
                    now=t(2026, 3, 5))

    def test_an_extension_the_rule_does_not_allow_is_refused(self):
        with pytest.raises(rules.RuleError) as error:
            compute("criminal-summons", t(2026, 3, 1, 10), extensions=["identity-unknown"])
        assert error.value.field == "tier" and "identity-unknown" in error.value.message

    def test_a_tier_before_the_one_it_requires_is_refused(self):
        with pytest.raises(rules.RuleError, match="hard-to-verify"):
            compute("continued-questioning", t(2026, 3, 1, 10), extensions=["identity-unknown"])

    def test_a_tier_granted_twice_or_with_its_alternative_is_refused(self):
        with pytest.raises(rules.RuleError, match="twice"):
            compute("arrest-request", t(2026, 3, 1, 10), extensions=["special-1-day", "special-1-day"])
        with pytest.raises(rules.RuleError, match="together"):
            compute("arrest-request", t(2026, 3, 1, 10), extensions=["special-1-day", "special-3-days"])

    @pytest.mark.parametrize("special", ["special-1-day", "special-2-days", "special-3-days", "special-4-days"])
    def test_the_arrest_request_grounds_exclude_each_other_in_both_orders(self, special):
        # 刑规 129 ¶1 (1–4 more days) and ¶2 (流窜、多次、结伙: up to 30 days) are alternatives: never 3 + 4 + 30.
        for order in ([special, "roving-serial-gang"], ["roving-serial-gang", special]):
            with pytest.raises(rules.RuleError, match="together") as error:
                compute("arrest-request", t(2026, 3, 2, 15), held=True, extensions=order)
            assert error.value.field == "tier"

    def test_an_exclusion_declared_on_one_side_binds_both_orders(self):
        base = rule("arrest-request")
        tiers = tuple(dataclasses.replace(e, excludes=()) if e.id.startswith("special") else e
                      for e in base.extensions)
        one_sided = dataclasses.replace(base, extensions=tiers)
        for order in (["special-2-days", "roving-serial-gang"], ["roving-serial-gang", "special-2-days"]):
            with pytest.raises(rules.RuleError, match="together"):
                computation.compute(one_sided, started_at=t(2026, 3, 2, 15), held=True, extensions=order)

    def test_a_total_tier_never_shortens_the_period(self):
        # 30 days for a major case, then 7 days for leads: refused, not 7 days.
        with pytest.raises(rules.RuleError, match="shorter") as error:
            compute("criminal-filing-review", t(2026, 1, 5, 10), extensions=["major-complex", "leads"])
        assert error.value.field == "tier" and "leads" in error.value.message
        longer = compute("criminal-filing-review", t(2026, 1, 5, 10), extensions=["leads", "major-complex"])
        assert longer.due_at.astimezone(SHANGHAI) == t(2026, 2, 5)  # 30 days: 6 Jan .. 4 Feb

    def test_the_rules_maximum_is_never_exceeded(self):
        capped = dataclasses.replace(rule("arrest-request"), maximum=rules.Duration(6, "days"))
        ok = computation.compute(capped, started_at=t(2026, 3, 2, 15), held=True, extensions=["special-3-days"],
                                 calendar=CALENDAR)
        assert ok.due_at.astimezone(SHANGHAI) == t(2026, 3, 9)  # 3 + 3 = 6 days: 3..8 Mar
        for tier in ("special-4-days", "roving-serial-gang"):
            with pytest.raises(rules.RuleError, match="at most") as error:
                computation.compute(capped, started_at=t(2026, 3, 2, 15), held=True, extensions=[tier])
            assert error.value.field == "tier" and tier in error.value.message

    def test_a_maximum_reached_exactly_is_allowed(self):
        capped = dataclasses.replace(rule("arrest-request"), maximum=rules.Duration(30, "days"))
        result = computation.compute(capped, started_at=t(2026, 3, 2, 15), held=True,
                                     extensions=["roving-serial-gang"], calendar=CALENDAR)
        assert result.due_at.astimezone(SHANGHAI) == t(2026, 4, 2)

    def test_the_cap_applies_to_added_months_too(self):
        capped = dataclasses.replace(rule("investigative-custody"), maximum=rules.Duration(3, "months"))
        computation.compute(capped, started_at=t(2026, 1, 5, 10), held=True, extensions=["higher-procuratorate"],
                            calendar=CALENDAR)
        with pytest.raises(rules.RuleError, match="at most"):
            computation.compute(capped, started_at=t(2026, 1, 5, 10), held=True,
                                extensions=["higher-procuratorate", "provincial-procuratorate"], calendar=CALENDAR)

    def test_a_count_in_days_is_refused_without_the_calendar_the_caller_gives(self):
        # The computation reads no database: its callers pass calendar_cache.current().
        with pytest.raises(ValueError, match="holiday calendar"):
            computation.compute(rule("refusal-notice"), started_at=t(2026, 3, 2, 10), held=False)

    def test_a_version_outside_its_validity_is_refused(self):
        old = rules.catalog().versions("public-order-questioning")[0]
        with pytest.raises(rules.RuleError) as error:
            computation.compute(old, started_at=t(2026, 1, 1, 0, 0), held=True)
        assert error.value.field == "started_at"

    def test_the_error_is_a_validation_failure_in_the_api_shape(self):
        from casecenter.core.errors import ValidationFailed

        with pytest.raises(ValidationFailed) as error:
            compute("criminal-summons", t(2026, 3, 1, 10), extensions=["nope"])
        assert error.value.code == "validation" and "tier" in error.value.fields


class TestResults:
    def test_the_due_time_is_utc(self):
        result = compute("criminal-summons", t(2026, 3, 3, 9, 30), held=True)
        assert result.due_at == datetime(2026, 3, 3, 13, 30, tzinfo=UTC)

    def test_warnings_are_instants_before_due_largest_first(self):
        result = compute("criminal-summons", t(2026, 3, 3, 9, 30), held=True)
        assert result.warnings == ((7200, t(2026, 3, 3, 19, 30)), (1800, t(2026, 3, 3, 21, 0)))

    def test_custody_warns_at_t_minus_ten_and_seven_days(self):
        result = compute("investigative-custody", t(2026, 1, 31, 10), held=True)
        assert [(s, w.astimezone(SHANGHAI)) for s, w in result.warnings] == [
            (864000, t(2026, 3, 22)), (604800, t(2026, 3, 25))]

    def test_a_running_pause_leaves_no_due_time_but_the_time_left(self):
        result = compute("public-order-questioning", t(2026, 3, 1, 10), held=True, pauses=[(t(2026, 3, 1, 13), None)])
        assert result.due_at is None and result.remaining == timedelta(hours=5) and result.warnings == ()
        assert result.steps[-1].kind == "pause_open"

    def test_a_running_pause_on_a_day_clock(self):
        result = compute("public-order-case", t(2026, 3, 1, 10), pauses=[(t(2026, 3, 30, 12), None)])
        assert result.remaining == timedelta(days=1, hours=12)  # to 24:00 of 31 March

    def test_a_year_not_entered_is_reported_and_the_end_not_moved(self):
        result = compute("refusal-notice", t(2027, 9, 28, 10))
        assert result.missing_years == (2027,)
        assert result.due_at.astimezone(SHANGHAI) == t(2027, 10, 2)
        assert any(step.kind == "calendar_missing" for step in result.steps)

    def test_a_roll_into_an_unknown_year_stops_at_the_year_end(self):
        result = compute("refusal-notice", t(2026, 12, 27, 10))  # last day Wed 30 Dec: a working day
        assert result.due_at.astimezone(SHANGHAI) == t(2026, 12, 31) and result.missing_years == ()
        cal = Calendar({date(2026, 12, 31): "test"}, [], [2026], weekends=True)
        result = computation.compute(rule("refusal-notice"), started_at=t(2026, 12, 28, 10), held=False, calendar=cal)
        assert result.missing_years == (2027,)
        assert result.due_at.astimezone(SHANGHAI) == t(2027, 1, 1)

    def test_an_hour_clock_needs_no_calendar(self):
        assert compute("detention-to-detention-house", t(2027, 12, 31, 18), held=True).missing_years == ()

    @override_settings(CASECENTER={**settings.CASECENTER, "DEADLINE_MONTH_END_RULE": "next_day"})
    def test_the_month_end_rule_is_a_setting(self):
        result = compute("investigative-custody", t(2026, 11, 30, 10), held=True, extensions=["higher-procuratorate"])
        assert result.due_at.astimezone(SHANGHAI) == t(2027, 3, 2)  # 30 Feb → 1 Mar, 24:00

    def test_an_added_month_is_counted_from_the_end_of_the_period_before_it(self):
        # Arrested 31 Dec 2025: 2 months end 28 Feb 2026 (no 31 Feb); one more month ends 28 Mar, not 31 Mar.
        result = compute("investigative-custody", t(2025, 12, 31, 10), held=True, extensions=["higher-procuratorate"])
        assert result.due_at.astimezone(SHANGHAI) == t(2026, 3, 29)
        counts = [s.params for s in result.steps if s.kind in ("count", "count_extension")]
        assert [(c["amount"], c["last"], c["month_end"]) for c in counts] == [
            (2, date(2026, 2, 28), True), (1, date(2026, 3, 28), False)]
        assert counts[1]["from"] == date(2026, 2, 28)

    def test_added_days_give_the_same_day_as_one_count(self):
        result = compute("public-order-case", t(2025, 3, 1, 10), extensions=["major-complex"])
        assert [s.kind for s in result.steps].count("count_extension") == 0
        assert result.due_at.astimezone(SHANGHAI) == t(2025, 5, 1)

    def test_the_rule_fixes_held_when_it_knows(self):
        free = compute("arrest-request", t(2026, 9, 28, 10), held=False)
        assert free.due_at.astimezone(SHANGHAI) == t(2026, 10, 2)  # detained: never rolled

    def test_weekends_are_a_setting_of_the_calendar(self):
        cal = Calendar.from_days(loader.shipped_calendar(), weekends=False)
        result = computation.compute(rule("refusal-notice"), started_at=t(2026, 3, 4, 10), held=False, calendar=cal)
        assert result.due_at.astimezone(SHANGHAI) == t(2026, 3, 8)  # Sat 7 Mar is not a 节假日 then

    def test_unconfirmed_values_say_so(self):
        result = compute("public-order-questioning", t(2026, 1, 2, 10), held=True)
        assert "could not be read" in result.unconfirmed
        assert [s.kind for s in result.steps][:3] == ["start", "version", "unconfirmed"]


class TestExplanation:
    def sentences(self, result) -> list[str]:
        return [explain.describe(step) for step in result.steps]

    def test_a_rolled_day_count_explained_in_english(self):
        with translation.override("en"):
            text = self.sentences(compute("refusal-notice", t(2026, 9, 28, 10)))
        assert text[0].startswith('The clock of "Notice of a refusal to open a case" starts at 2026-09-28 10:00')
        assert "The start day 2026-09-28 is not counted" in text[2] and "the last day 2026-10-01" in text[2]
        assert "2026-10-01 国庆节" in text[3] and "next working day, 2026-10-08 (刑诉法第一百零五条第四款)" in text[3]
        assert text[-1] == "Due at 2026-10-08 24:00."

    def test_held_pause_extension_and_missing_year_sentences(self):
        with translation.override("en"):
            held = self.sentences(compute("arrest-request", t(2026, 9, 28, 10), held=True))
            assert any("not extended: the person is held (刑诉法第一百零五条第四款)" in s for s in held)
            paused = self.sentences(compute("public-order-questioning", t(2025, 5, 10, 22), held=True,
                                            pauses=[(t(2025, 5, 10, 22, 30), t(2025, 5, 11, 2))]))
            assert any("Paused from 2025-05-10 22:30 to 2025-05-11 02:00 (3 h 30 min)" in s for s in paused)
            extended = self.sentences(compute("continued-questioning", t(2026, 3, 1, 10), held=True,
                                              extensions=["hard-to-verify"]))
            assert any("approved by County-level chief: the period becomes 24 hours" in s for s in extended)
            missing = self.sentences(compute("refusal-notice", t(2027, 9, 28, 10)))
            assert any(s.startswith("Warning: the public holidays of 2027 are not entered") for s in missing)
            admin = self.sentences(compute("administrative-seizure", t(2026, 9, 1, 10)))
            assert any("(行规第三十五条)" in s for s in admin)

    def test_a_chained_month_is_explained(self):
        with translation.override("en"):
            text = self.sentences(compute("investigative-custody", t(2025, 12, 31, 10), held=True,
                                          extensions=["higher-procuratorate"]))
        assert any("The month has no day 31" in s and "the last day 2026-02-28" in s for s in text)
        assert any(s.startswith("The extension of 1 month is counted from the end of the period before it, "
                                "2026-02-28: the last day is now 2026-03-28") for s in text)
        assert text[-1] == "Due at 2026-03-28 24:00."

    def test_an_approval_by_the_higher_organ_is_explained(self):
        base = rule("public-order-case", t(2025, 3, 1))
        higher = dataclasses.replace(base, extensions=tuple(
            dataclasses.replace(e, approver_level="higher_organ") for e in base.extensions))
        result = computation.compute(higher, started_at=t(2025, 3, 1, 10), held=False,
                                     extensions=["major-complex"], calendar=CALENDAR)
        with translation.override("en"):
            text = self.sentences(result)
        assert any("approved by County-level chief of the police organ one level up: 30 days more" in s
                   for s in text), text

    def test_a_sentence_in_chinese(self):
        with translation.override("zh-hans"):
            text = self.sentences(compute("refusal-notice", t(2026, 9, 28, 10)))
        assert "不予立案通知书送达" in text[0]

    def test_every_step_kind_has_a_sentence(self):
        assert set(explain.SENTENCES) >= {"start", "version", "unconfirmed", "period", "extension", "hours", "count",
                                          "count_extension", "pause", "pause_open", "holidays_inside", "roll",
                                          "held_no_roll", "calendar_missing", "due"}
