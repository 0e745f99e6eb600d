"""The holiday calendar: shipped years, the services and their ledger events, the cache, the admin
page, the API (reads for every signed-in account, writes for the system administrator), the command."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from casecenter.core.errors import Conflict, NotFound, ValidationFailed
from casecenter.deadlines import calendar, calendar_cache, loader
from casecenter.deadlines.models import CalendarDay, CalendarYear
from casecenter.deadlines.services import calendar as calendar_services
from casecenter.ledger.testing import assert_records, last_event_id

NOTICE = "国务院办公厅关于2027年部分节假日安排的通知（测试）"
DAYS_2027 = [{"date": date(2027, 10, d), "kind": "holiday", "name": "国庆节"} for d in range(1, 8)] + [
    {"date": date(2027, 9, 26), "kind": "workday", "name": "国庆节调休"}]


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar_cache.invalidate()
    yield
    calendar_cache.invalidate()


class TestShippedYears:
    @pytest.mark.django_db
    def test_migrate_entered_2025_and_2026_exactly_as_the_notices_say(self):
        cal = calendar_cache.current()
        assert cal.years() == [2025, 2026]
        national_day = [date(2026, 10, n) for n in range(1, 8)]
        assert all(cal.is_rest_day(d) and cal.holiday_name(d) == "国庆节" for d in national_day)
        spring = [date(2026, 2, n) for n in range(15, 24)]
        assert all(cal.holiday_name(d) == "春节" for d in spring)
        for worked in (date(2026, 9, 20), date(2026, 10, 10), date(2026, 2, 14), date(2026, 2, 28), date(2026, 1, 4)):
            assert not cal.is_rest_day(worked) and cal.is_workday_swap(worked)
        assert not cal.is_rest_day(date(2026, 10, 8)) and cal.is_rest_day(date(2026, 3, 7))  # Thu; a Saturday
        assert CalendarDay.objects.filter(year__year=2025, kind="holiday").count() == 1 + 8 + 3 + 5 + 3 + 8
        assert CalendarDay.objects.filter(year__year=2026, kind="workday").count() == 6

    def test_next_working_day_and_missing_years(self):
        cal = calendar.Calendar.from_days(loader.shipped_calendar(), weekends=True)
        assert cal.next_working_day(date(2026, 10, 1)) == date(2026, 10, 8)
        assert cal.next_working_day(date(2026, 2, 13)) == date(2026, 2, 14)  # Fri → the worked Saturday
        assert cal.missing_years(date(2025, 6, 1), date(2028, 1, 1)) == [2027, 2028]
        assert not cal.is_known(2027)

    @pytest.mark.django_db
    def test_loading_twice_enters_nothing_the_second_time(self):
        assert calendar_services.load_shipped_calendar() == []


@pytest.mark.django_db
class TestServices:
    def test_entering_a_year_is_recorded(self, personas):
        mark = last_event_id()
        year = calendar_services.calendar_year_save(actor=personas["sysadmin"], year=2027, source=NOTICE,
                                                    days=DAYS_2027)
        event = assert_records("deadlines.calendar.year_entered", after=mark, actor=personas["sysadmin"],
                               subject=year, data={"year": 2027, "workdays": ["2027-09-26"]})
        assert len(event.facts["holidays"]) == 7
        assert calendar_cache.current().holiday_name(date(2027, 10, 1)) == "国庆节"

    def test_replacing_a_year_is_recorded_and_seen_at_once(self, personas):
        assert calendar_cache.current().is_rest_day(date(2026, 10, 7))
        mark = last_event_id()
        days = [{"date": date(2026, 10, 1), "kind": "holiday", "name": "国庆节"}]
        calendar_services.calendar_year_save(actor=personas["sysadmin"], year=2026, source=NOTICE, days=days,
                                             replace=True)
        assert_records("deadlines.calendar.year_replaced", after=mark, data={"year": 2026,
                                                                              "holidays": ["2026-10-01"]})
        assert not calendar_cache.current().is_rest_day(date(2026, 10, 7))  # a Wednesday again

    def test_removing_a_day_is_recorded(self, personas):
        mark = last_event_id()
        calendar_services.calendar_day_remove(actor=personas["sysadmin"], year=2026, day=date(2026, 10, 10))
        assert_records("deadlines.calendar.day_removed", after=mark, data={"date": "2026-10-10", "kind": "workday"})
        assert calendar_cache.current().is_rest_day(date(2026, 10, 10))  # an ordinary Saturday now
        with pytest.raises(NotFound):
            calendar_services.calendar_day_remove(actor=None, year=2026, day=date(2026, 10, 10))

    def test_bad_days_are_refused_naming_the_field(self):
        cases = [
            ([{"date": date(2026, 1, 1), "kind": "holiday", "name": "元旦"}], "days.0.date"),  # not in 2027
            ([{"date": date(2027, 10, 8), "kind": "workday", "name": ""}], "days.0.date"),  # a Friday
            ([{"date": date(2027, 10, 1), "kind": "holiday", "name": ""}], "days.0.name"),
            ([{"date": date(2027, 10, 1), "kind": "party", "name": "x"}], "days.0.kind"),
            ([DAYS_2027[0], DAYS_2027[0]], "days.1.date"),
        ]
        for days, field in cases:
            with pytest.raises(ValidationFailed) as error:
                calendar_services.calendar_year_save(actor=None, year=2027, source=NOTICE, days=days)
            assert field in error.value.fields, (days, error.value.fields)
        with pytest.raises(ValidationFailed) as error:
            calendar_services.calendar_year_save(actor=None, year=2027, source=" ", days=[])
        assert "source" in error.value.fields
        assert not CalendarYear.objects.filter(year=2027).exists()

    def test_a_year_entered_twice_is_a_conflict(self):
        with pytest.raises(Conflict):
            calendar_services.calendar_year_save(actor=None, year=2026, source=NOTICE, days=[])


@pytest.mark.django_db
class TestTheCacheAcrossProcesses:
    def test_a_change_made_elsewhere_is_seen_after_the_recheck(self, settings):
        settings.CASECENTER = {**settings.CASECENTER, "DEADLINE_CALENDAR_RECHECK_SECONDS": 0}
        assert not calendar_cache.current().is_known(2027)
        # Another process's write: the rows change, this process's cache was not told.
        CalendarYear.objects.create(year=2027, source=NOTICE)
        assert calendar_cache.current().is_known(2027)


@pytest.mark.django_db
class TestApi:
    def test_every_signed_in_account_reads_the_calendar(self, login_as):
        response = login_as("officer1").get(reverse("api:calendar-list"), {"year": 2026})
        assert response.status_code == 200
        [year] = response.json()["years"]
        assert year["year"] == 2026 and {"date": "2026-10-10", "kind": "workday", "name": "国庆节调休"} in year["days"]
        assert 2027 in response.json()["missing"] or response.json()["missing"] == []
        detail = login_as("outsider").get(reverse("api:calendar-year", args=[2025]))
        assert detail.status_code == 200 and detail.json()["source"].startswith("国务院办公厅")

    def test_a_year_not_entered_is_not_found(self, login_as):
        response = login_as("officer1").get(reverse("api:calendar-year", args=[2031]))
        assert response.status_code == 404 and "2031" in response.json()["error"]["message"]

    def test_the_system_administrator_enters_replaces_and_removes(self, login_as):
        client = login_as("sysadmin")
        body = {"year": 2027, "source": NOTICE, "days": [{**d, "date": d["date"].isoformat()} for d in DAYS_2027]}
        mark = last_event_id()
        created = client.post(reverse("api:calendar-list"), body, content_type="application/json")
        assert created.status_code == 201 and len(created.json()["days"]) == 8
        assert_records("deadlines.calendar.year_entered", after=mark, actor="sysadmin")
        replaced = client.put(reverse("api:calendar-year", args=[2027]), {"source": NOTICE, "days": []},
                              content_type="application/json")
        assert replaced.status_code == 200 and replaced.json()["days"] == []
        removed = client.delete(reverse("api:calendar-day", args=[2026, "2026-10-10"]))
        assert removed.status_code == 204

    def test_bad_input_names_the_field(self, login_as):
        body = {"year": 2027, "source": NOTICE, "days": [{"date": "2027-10-08", "kind": "workday"}]}
        response = login_as("sysadmin").post(reverse("api:calendar-list"), body, content_type="application/json")
        assert response.status_code == 400 and "days.0.date" in response.json()["error"]["fields"]

    def test_others_cannot_write_and_anonymous_cannot_read(self, login_as, client):
        body = {"year": 2027, "source": NOTICE, "days": []}
        for username in ("officer1", "chief", "secadmin", "auditadmin"):
            response = login_as(username).post(reverse("api:calendar-list"), body, content_type="application/json")
            assert response.status_code == 403, username
        assert login_as("chief").delete(reverse("api:calendar-day", args=[2026, "2026-10-10"])).status_code == 403
        assert client.get(reverse("api:calendar-list")).status_code in (401, 403)
        assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
class TestAdmin:
    def test_the_system_administrator_enters_a_year_with_its_days(self, login_as):
        client = login_as("sysadmin")
        assert client.get(reverse("admin:deadlines_calendaryear_changelist")).status_code == 200
        data = {"year": 2027, "source": NOTICE, "days-TOTAL_FORMS": "2", "days-INITIAL_FORMS": "0",
                "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
                "days-0-date": "2027-10-01", "days-0-kind": "holiday", "days-0-name": "国庆节",
                "days-1-date": "2027-09-26", "days-1-kind": "workday", "days-1-name": "调休"}
        mark = last_event_id()
        response = client.post(reverse("admin:deadlines_calendaryear_add"), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert_records("deadlines.calendar.year_entered", after=mark, actor="sysadmin",
                       data={"holidays": ["2027-10-01"], "workdays": ["2027-09-26"]})

    def test_a_weekday_make_up_day_is_refused_on_the_form(self, login_as):
        data = {"year": 2027, "source": NOTICE, "days-TOTAL_FORMS": "1", "days-INITIAL_FORMS": "0",
                "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
                "days-0-date": "2027-10-08", "days-0-kind": "workday", "days-0-name": ""}
        client = login_as("sysadmin")
        client.cookies["casecenter_language"] = "en"  # the page in English, like the rest of these tests
        response = client.post(reverse("admin:deadlines_calendaryear_add"), data)
        assert response.status_code == 200 and "weekday" in response.content.decode()
        assert not CalendarYear.objects.filter(year=2027).exists()

    def test_the_security_administrator_only_reads(self, login_as):
        client = login_as("secadmin")
        assert client.get(reverse("admin:deadlines_calendaryear_changelist")).status_code == 200
        assert client.get(reverse("admin:deadlines_calendaryear_add")).status_code == 403


@pytest.mark.django_db
class TestCommand:
    def test_calendar_shows_years_and_warns_about_missing_ones(self):
        out, err = StringIO(), StringIO()
        call_command("deadlines", "calendar", "--years", "2025-2027", stdout=out, stderr=err)
        assert "2026: 16 public holidays" in out.getvalue() or "2026:" in out.getvalue()
        assert "WARNING: the public holidays of 2027 are not entered" in err.getvalue()
        with pytest.raises(CommandError, match="2027"):
            call_command("deadlines", "calendar", "--years", "2027", "--strict", stdout=StringIO(), stderr=StringIO())
