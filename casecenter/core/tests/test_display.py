"""How times, lengths of time and states read (core/display.py, core/status.py and the
``core_display`` template tags): the same words on every page, in Chinese and in English."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import models
from django.template import Context, Template
from django.utils import translation

from casecenter.core import display, status

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def render(source: str, **context) -> str:
    return Template("{% load core_display %}" + source).render(Context(context))


class TestEnds:
    def test_an_end_at_local_midnight_reads_as_24_00_of_the_day_before(self):
        assert display.end_minute(local(2026, 12, 9, 0, 0)) == "2026-12-08 24:00"

    def test_the_same_instant_given_in_utc_is_read_in_local_time(self):
        assert display.end_minute(datetime(2026, 12, 8, 16, 0, tzinfo=UTC)) == "2026-12-08 24:00"
        assert display.minute(datetime(2026, 12, 8, 16, 0, tzinfo=UTC)) == "2026-12-09 00:00"

    def test_an_end_a_minute_after_midnight_is_of_the_new_day(self):
        assert display.end_minute(local(2026, 12, 9, 0, 1)) == "2026-12-09 00:01"

    def test_the_first_of_a_month_and_of_a_year_end_on_the_last_day_before(self):
        assert display.end_minute(local(2027, 1, 1)) == "2026-12-31 24:00"
        assert display.end_minute(local(2026, 3, 1)) == "2026-02-28 24:00"

    def test_the_filters_say_the_same(self):
        due = local(2026, 12, 9)
        assert render("{{ due|end_minute }} / {{ due|minute }}", due=due) == "2026-12-08 24:00 / 2026-12-09 00:00"
        assert render("{{ missing|end_minute }}") == "—"

    def test_the_short_form_of_a_home_panel_drops_the_year_and_keeps_24_00(self):
        assert render("{{ due|end_short }}", due=local(2027, 1, 1)) == "12-31 24:00"
        assert render("{{ due|end_short }}", due=local(2026, 12, 9, 11, 30)) == "12-09 11:30"


class TestChineseDates:
    def test_a_printed_date_and_time_read_as_the_paper_forms_write_them(self):
        with translation.override("zh-hans"):
            assert display.chinese_date(date(2026, 12, 8)) == "2026年12月8日"
            assert display.chinese_datetime(local(2026, 12, 8, 14, 30)) == "2026年12月8日14时30分"
            assert display.chinese_datetime(local(2026, 1, 5, 9, 5)) == "2026年1月5日9时05分"

    def test_an_instant_is_printed_on_its_local_date(self):
        with translation.override("zh-hans"):
            assert display.chinese_date(datetime(2026, 12, 31, 16, 30, tzinfo=UTC)) == "2027年1月1日"

    def test_in_english_the_month_is_named(self):
        with translation.override("en"):
            assert render("{{ at|cn_date }} · {{ at|cn_datetime }}", at=local(2026, 12, 8, 14, 30)) == (
                "8 Dec 2026 · 8 Dec 2026, 14:30")


class TestLengths:
    @pytest.mark.parametrize(("delta", "zh", "en"), [
        (timedelta(days=2, hours=3, minutes=5), "2天3小时", "2 days 3 hours"),
        (timedelta(hours=1), "1小时", "1 hour"),
        (timedelta(minutes=45, seconds=30), "45分钟", "45 minutes"),
        (timedelta(seconds=20), "0分钟", "0 minutes"),
        (timedelta(days=335, hours=14), "335天14小时", "335 days 14 hours"),
        (-timedelta(hours=2), "2小时", "2 hours"),
    ])
    def test_a_length_of_time_reads_in_its_two_largest_units(self, delta, zh, en):
        with translation.override("zh-hans"):
            assert display.span(delta) == zh
        with translation.override("en"):
            assert display.span(delta) == en

    def test_time_left_is_empty_once_the_due_time_has_passed(self):
        now = local(2026, 12, 8, 10)
        with translation.override("zh-hans"):
            assert render("{{ due|time_left:now }}", due=now + timedelta(hours=26), now=now) == "1天2小时"
            assert render("{{ due|time_left:now }}", due=now - timedelta(minutes=1), now=now) == ""

    def test_no_english_letter_is_left_in_a_chinese_length(self):
        with translation.override("zh-hans"):
            text = display.span(timedelta(days=3, hours=4))
        assert not any("a" <= c.lower() <= "z" for c in text)


class TestErrorSummaries:
    def test_a_field_and_its_message_are_joined_by_the_colon_of_the_language(self):
        with translation.override("zh-hans"):
            assert display.labelled("决定时间", "请填写日期和时间。") == "决定时间：请填写日期和时间。"
        with translation.override("en"):
            assert display.labelled("Decided at", "Give a date and time.") == "Decided at: Give a date and time."
        assert display.labelled("", "Not found.") == "Not found."


class Colour(models.TextChoices):
    NEW = "new", "New"
    OLD = "old", "Old"


class TestBadges:
    def test_a_badge_has_its_family_colour_an_icon_and_its_label(self):
        with translation.override("en"):
            html = render('{% status_badge "clock" "breached" testid="state" %}')
        assert 'class="badge status-badge status-refused"' in html and 'data-family="refused"' in html
        assert '<i class="bi bi-exclamation-octagon" aria-hidden="true"></i> Breached' in html
        assert 'data-testid="state"' in html

    def test_the_label_is_translated_or_given(self):
        with translation.override("zh-hans"):
            assert "已中止" in render('{% status_badge "clock" "paused" %}')
        assert "custom" in render('{% status_badge "case" "received" "custom" %}')

    def test_each_registered_state_has_a_known_family(self):
        for kind in ("case", "measure", "clock", "alert_level", "alert", "job"):
            states = status.status_set(kind)
            for value in states.choices.values:
                assert states.family(value) in status.FAMILIES

    def test_the_same_family_means_the_same_thing_across_kinds(self):
        assert status.status_set("case").family("archived") == "archived"
        assert status.status_set("measure").family("refused") == status.status_set("alert_level").family("breach")
        assert status.status_set("clock").family("met") == status.status_set("alert").family("resolved") == "done"

    def test_a_state_a_release_removed_still_shows_as_recorded(self):
        assert "gone" in render('{% status_badge "case" "gone" %}')

    def test_registering_refuses_a_state_without_a_family_or_an_unknown_family(self):
        with pytest.raises(ValueError, match="without one"):
            status.register("test-colour", Colour, {"new": "waiting"})
        with pytest.raises(ValueError, match="unknown families"):
            status.register("test-colour", Colour, {"new": "waiting", "old": "purple"})

    def test_an_unregistered_kind_is_a_programming_error(self):
        with pytest.raises(LookupError):
            status.status_set("no-such-kind")
