"""How a clock reads: its title and end note said in the reader's language from codes
(subjects.py), a finished clock's outcome with its time, and a due time at midnight read as 24:00 of
the day before — on the page's header and in the explanation alike. At frozen instants."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import translation

from casecenter.core import clock
from casecenter.deadlines import computation, explain, rules, subjects
from casecenter.deadlines.calendar_cache import current
from casecenter.deadlines.models import Deadline, DeadlineState
from casecenter.deadlines.templatetags.deadlines_display import outcome

from .conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 12, 8, 10, 0)
DUE = local(2026, 12, 9)  # midnight: 24:00 of 8 December


def clock_of(state, *, due=DUE, ended=None, note="", note_code="", note_params=None) -> Deadline:
    return Deadline(rule_id="r", state=state, due_at=due, ended_at=ended, end_note=note, end_note_code=note_code,
                    end_note_params=note_params or {})


class TestOutcome:
    def test_a_clock_met_in_time_says_when_and_how_early(self):
        text = outcome(clock_of(DeadlineState.MET, ended=local(2026, 12, 8, 14, 30), note="已送看守所"), NOW)
        assert text == "Met at 2026-12-08 14:30, 9 hours 30 minutes before the due time: 已送看守所"

    def test_a_clock_done_late_says_it_was_breached_and_by_how_much(self):
        text = outcome(clock_of(DeadlineState.BREACHED, ended=local(2026, 12, 9, 2, 15)), NOW)
        assert text == "Breached at 2026-12-08 24:00: done at 2026-12-09 02:15, 2 hours 15 minutes late"

    def test_a_breach_not_yet_done_counts_the_time_overdue_until_now(self):
        text = outcome(clock_of(DeadlineState.BREACHED), local(2026, 12, 10, 3, 0))
        assert text == "Breached at 2026-12-08 24:00: overdue by 1 day 3 hours, not yet done"

    def test_a_cancelled_clock_says_when_and_why(self):
        text = outcome(clock_of(DeadlineState.CANCELLED, ended=local(2026, 12, 8, 9, 0), note="措施变更"), NOW)
        assert text == "Cancelled at 2026-12-08 09:00: 措施变更"

    def test_a_running_clock_says_its_due_time_and_what_is_left(self):
        assert outcome(clock_of(DeadlineState.RUNNING), NOW) == "Due at 2026-12-08 24:00, 14 hours left"
        assert outcome(clock_of(DeadlineState.PAUSED, due=None), NOW) == "Paused: no due time while paused"

    def test_the_outcome_reads_in_chinese_without_english_letters(self):
        with translation.override("zh-hans"):
            text = outcome(clock_of(DeadlineState.BREACHED), local(2026, 12, 10, 3, 0))
        assert text == "2026-12-08 24:00 到期未办结，已超期1天3小时"


class TestMidnight:
    def test_a_day_count_ends_at_24_00_of_its_last_day_in_both_languages(self):
        # 不予立案通知 within 3 days of 28 September, rolled past the National Day holidays.
        started = local(2026, 9, 28, 10)
        result = computation.compute(rules.catalog().resolve("refusal-notice", started), started_at=started,
                                     held=False, calendar=current(), now=NOW)
        assert result.due_at == local(2026, 10, 9)
        with translation.override("en"):
            assert explain.describe(result.steps[-1]) == "Due at 2026-10-08 24:00."
        with translation.override("zh-hans"):
            assert explain.describe(result.steps[-1]) == "于 2026-10-08 24:00 届满。"

    def test_an_hour_clock_due_at_midnight_reads_24_00_on_the_header_and_in_the_explanation(
            self, start, hour_rule, login_in_english):
        started = DUE - timedelta(hours=hour_rule.duration.amount)
        with clock.frozen(started + timedelta(minutes=5)):
            deadline = start(hour_rule, started)
            body = login_in_english("officer1").get(deadline.get_absolute_url()).content.decode()
        assert deadline.due_at == DUE
        assert re.search(r'data-testid="due-at">\s*2026-12-08 24:00\s*<', body)
        assert "counted to the minute: 2026-12-08 24:00." in body and "Due at 2026-12-08 24:00." in body
        assert "2026-12-09 00:00" not in body

    def test_the_list_shows_the_due_time_at_midnight_the_same_way(self, start, hour_rule, login_in_english):
        started = DUE - timedelta(hours=hour_rule.duration.amount)
        with clock.frozen(started + timedelta(minutes=5)):
            start(hour_rule, started)
            body = login_in_english("officer1").get("/deadlines/").content.decode()
        assert "2026-12-08 24:00" in body and "2026-12-09 00:00" not in body


class TestTextsFromCodes:
    @pytest.fixture
    def measure_words(self, monkeypatch):
        """A title said from its code, as the cases app says a measure's clock."""
        words = {"zh-hans": "刑事拘留", "en": "Criminal detention"}
        monkeypatch.setitem(subjects._TEXTS, "test.measure",
                            lambda p: f"{p['person']} {words[translation.get_language()]}")
        monkeypatch.setitem(subjects._TEXTS, "test.note", lambda p: {"zh-hans": "已立案", "en": "Filed"}[
            translation.get_language()])

    def test_a_title_is_stored_as_a_code_and_said_in_the_readers_language(self, start, hour_rule, measure_words):
        with clock.frozen(NOW):
            deadline = start(hour_rule, NOW, label=subjects.Text("test.measure", {"person": "张三丰"}))
        deadline.refresh_from_db()
        assert deadline.label == "张三丰 刑事拘留"  # the copy in the installation's language
        assert (deadline.label_code, deadline.label_params) == ("test.measure", {"person": "张三丰"})
        with translation.override("en"):
            assert str(deadline) == "张三丰 Criminal detention"
        with translation.override("zh-hans"):
            assert str(deadline) == "张三丰 刑事拘留"

    def test_an_end_note_written_by_the_system_is_said_in_the_readers_language(self, start, hour_rule,
                                                                               measure_words, personas):
        from casecenter.deadlines import services

        with clock.frozen(NOW) as frozen:
            deadline = start(hour_rule, NOW)
            frozen.advance(hours=1)
            services.deadline_meet(actor=personas["officer1"], deadline=deadline, at=NOW + timedelta(hours=1),
                                   note=subjects.Text("test.note"))
        deadline.refresh_from_db()
        assert deadline.end_note == "已立案"
        with translation.override("en"):
            assert deadline.end_text == "Filed"
            assert outcome(deadline, NOW).endswith(": Filed")

    def test_a_clock_recorded_before_codes_existed_keeps_its_stored_title(self, start, hour_rule):
        with clock.frozen(NOW):
            deadline = start(hour_rule, NOW, label="王某某 询问")
        with translation.override("en"):
            assert str(deadline) == "王某某 询问" and deadline.end_text == ""

    def test_a_code_no_app_says_any_more_falls_back_to_the_stored_copy(self):
        deadline = Deadline(rule_id="r", label="李四 传唤", label_code="gone.code", label_params={"x": 1})
        assert str(deadline) == "李四 传唤"

    def test_parameters_of_an_older_release_fall_back_to_the_stored_copy(self, measure_words):
        deadline = Deadline(rule_id="r", label="李四 传唤", label_code="test.measure", label_params={})
        assert str(deadline) == "李四 传唤"
