"""How the pages show what cases record: clock titles and notes said in the reader's language,
clocks linked to their case and person (through the deadlines app's registry), the case timeline by
the time things happened, empty lists, and the acceptance record as the paper forms print it. At
frozen instants."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from casecenter.cases import selectors
from casecenter.cases.models import MeasureKind
from casecenter.cases.services import cases as case_services
from casecenter.cases.services import measures
from casecenter.core import clock
from casecenter.deadlines import subjects
from casecenter.deadlines.models import Deadline
from casecenter.deadlines.scan import scan
from casecenter.deadlines.services import deadline_start
from casecenter.people.services import person_create

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 8, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen():
    with clock.frozen(NOW) as frozen_clock:
        yield frozen_clock


@pytest.fixture
def detained(frozen, filed_case, suspect, personas):
    """李四, detained at 10:00 and recorded at 14:30 (the officer entered it afterwards)."""
    return measures.measure_start(actor=personas["officer1"], case=filed_case, person=suspect,
                                  kind=MeasureKind.CRIMINAL_DETENTION, started_at=NOW - timedelta(hours=4, minutes=30),
                                  basis="刑事诉讼法第八十二条", decided_by=personas["chief"])


class TestClockWords:
    def test_a_measures_clock_is_titled_in_the_readers_language(self, detained):
        deadline = Deadline.objects.for_subject(detained).first()
        assert deadline.label == "李四 刑事拘留"
        with translation.override("en"):
            assert str(deadline) == "李四 Criminal detention"
        with translation.override("zh-hans"):
            assert str(deadline) == "李四 刑事拘留"

    def test_the_english_pages_show_no_chinese_measure_name(self, detained, login_as):
        body = login_as("officer1").get(reverse("deadlines:list")).content.decode()
        assert "李四 Criminal detention" in body and "刑事拘留" not in body

    def test_the_api_gives_the_title_in_the_callers_language_beside_the_stored_copy(self, detained, login_as):
        body = login_as("officer1").get(reverse("api:deadline-list")).json()
        rows = body["results"] if isinstance(body, dict) else body
        row = next(r for r in rows if r["person_id"] == str(detained.person_id))
        assert (row["title"], row["label"]) == ("李四 Criminal detention", "李四 刑事拘留")

    def test_a_clock_met_by_a_case_decision_says_the_decision_in_the_readers_language(self, frozen, filed_case):
        review = Deadline.objects.for_subject(filed_case).get(state="met")
        assert (review.end_note, review.end_note_code) == ("已立案", "cases.decision")
        with translation.override("en"):
            assert review.end_text == "Filed"
        with translation.override("zh-hans"):
            assert review.end_text == "已立案"


    def test_a_converted_measure_says_what_it_became_in_the_readers_language(self, frozen, filed_case, suspect,
                                                                              personas):
        summons = measures.measure_start(actor=personas["officer1"], case=filed_case, person=suspect,
                                         kind=MeasureKind.SUMMONS, started_at=NOW - timedelta(hours=2),
                                         basis="刑事诉讼法第一百一十九条", decided_by=personas["head"])
        with translation.override("zh-hans"):  # recorded by an officer reading Chinese
            measures.measure_convert(actor=personas["officer1"], measure=summons, kind=MeasureKind.CRIMINAL_DETENTION,
                                     at=NOW - timedelta(hours=1), basis="刑事诉讼法第八十二条",
                                     decided_by=personas["chief"])
        with translation.override("en"):
            shown = {m.kind: m.end_text for m in selectors.case_measures(filed_case)}
        assert shown["summons"] == "Converted into Criminal detention"


class TestClockLinks:
    def test_the_lists_and_pages_of_clocks_link_to_their_case_and_person(self, detained, filed_case, suspect,
                                                                      login_as):
        client = login_as("officer1")
        case_url = reverse("cases:detail", args=[filed_case.pk])
        person_url = reverse("people:detail", args=[suspect.pk])
        listing = client.get(reverse("deadlines:list")).content.decode()
        assert f'href="{case_url}" data-testid="clock-case-link">{filed_case.number}<' in listing
        assert f'href="{person_url}" data-testid="clock-person-link">' in listing
        page = client.get(Deadline.objects.for_subject(detained).first().get_absolute_url()).content.decode()
        assert case_url in page and person_url in page

    def test_an_alert_links_to_its_case_and_person_and_names_its_rule(self, detained, filed_case, suspect,
                                                                   login_as, frozen):
        frozen.advance(days=2)  # every clock of the detention has run out
        assert scan().raised
        client = login_as("officer1")
        inbox = client.get(reverse("deadlines:alerts")).content.decode()
        assert reverse("cases:detail", args=[filed_case.pk]) in inbox
        breach = Deadline.objects.for_subject(detained).first().alerts.get(level="breach")
        page = client.get(breach.get_absolute_url()).content.decode()
        assert reverse("people:detail", args=[suspect.pk]) in page
        assert 'data-testid="clock-rule"' in page and "Breached at" in page

    def test_links_cost_one_query_per_kind_whatever_the_number_of_rows(self, frozen, intake, personas, login_as):
        def queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("deadlines:list")).status_code == 200
            return len(ctx.captured_queries)

        def clock_on_a_case_and_a_person(name: str) -> None:
            case = intake()
            person = person_create(actor=personas["officer1"], name=name)
            review = Deadline.objects.for_subject(case).first()
            deadline_start(actor=personas["officer1"], rule_id=review.rule_id, subject=case, case=case, person=person,
                           started_at=NOW - timedelta(minutes=5), unit=case.unit, officers=[personas["officer1"]],
                           held=False, label=name)

        client = login_as("officer1")
        clock_on_a_case_and_a_person("王五")
        one = queries()
        for name in ("赵六", "钱七", "孙八"):
            clock_on_a_case_and_a_person(name)
        assert queries() == one

    def test_a_clock_whose_case_is_gone_shows_no_link(self):
        deadline = Deadline(rule_id="r", case_id="999999", person_id="not-a-number")
        subjects.attach_links([deadline])
        assert deadline.case_link is None and deadline.person_link is None


class TestTimeline:
    def test_an_event_shows_when_it_happened_and_when_it_was_recorded_if_later(self, detained, filed_case):
        events = selectors.case_events(filed_case)
        started = next(e for e in events if e["action"] == "cases.measure.started")
        assert started["at"] == NOW - timedelta(hours=4, minutes=30)
        assert started["recorded_at"] == NOW and started["late"]
        party = next(e for e in events if e["action"] == "cases.party.added")
        assert party["at"] == party["recorded_at"] and not party["late"]

    def test_the_timeline_is_in_the_order_things_happened(self, detained, filed_case):
        times = [e["at"] for e in selectors.case_events(filed_case)]
        assert times == sorted(times, reverse=True)
        actions = [e["action"] for e in selectors.case_events(filed_case)]
        # Recorded last, the detention happened before the suspect was added: it comes after it.
        assert actions.index("cases.party.added") < actions.index("cases.measure.started")

    def test_the_case_page_shows_the_event_time_and_the_recording_time(self, detained, filed_case, login_as):
        body = login_as("officer1").get(reverse("cases:detail", args=[filed_case.pk])).content.decode()
        assert re.search(r'<time class="fw-semibold" datetime="[^"]+">2026-12-08 10:00</time>', body)
        assert "recorded 2026-12-08 14:30" in body


class TestEmptyLists:
    def test_an_officer_without_cases_is_told_what_will_appear_and_how_to_register_the_first(self, login_as):
        body = login_as("officer1").get(reverse("cases:list")).content.decode()
        assert 'data-testid="case-empty"' in body and "No case yet." in body
        assert f'href="{reverse("cases:intake")}" data-testid="case-empty-intake"' in body

    def test_a_reader_who_cannot_register_is_not_offered_to(self, login_as):
        body = login_as("reviewer").get(reverse("cases:list")).content.decode()
        assert "No case yet." in body and 'data-testid="case-empty-intake"' not in body

    def test_filters_that_match_nothing_say_so(self, intake, login_as):
        intake()
        body = login_as("officer1").get(reverse("cases:list"), {"status": "archived"}).content.decode()
        assert "No case matches these filters." in body and 'data-testid="case-empty-intake"' not in body

    def test_a_case_without_parties_measures_or_clocks_says_what_to_add(self, frozen, intake, login_as):
        case = intake()
        body = login_as("officer1").get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert "No party yet: add the suspects" in body


class TestAcceptanceRecord:
    def test_the_record_and_receipt_print_chinese_dates_and_the_lines_to_sign_and_seal(self, frozen, intake,
                                                                                      login_as):
        case = intake(received_at=NOW - timedelta(hours=1), reporter_name="张三")
        client = login_as("officer1")
        client.cookies["casecenter_language"] = "zh-hans"
        body = client.get(reverse("cases:acceptance_record", args=[case.pk])).content.decode()
        assert '<td colspan="3" data-testid="paper-received">2026年12月8日13时30分</td>' in body
        assert "你（单位）于2026年12月8日13时30分报称的盗窃罪一案，我单位已受理。" in body
        assert "受案民警：" in body and "受案部门负责人：" in body and "报案人签收：" in body
        assert "城关派出所（印）" in body and ">2026年12月8日</div>" in body
        assert "☑报案" in body  # a walk-in report, ticked in the form's own words
        assert "☐属本单位管辖的刑事案件" in body  # not accepted yet: the opinion is left to write

    def test_an_accepted_criminal_case_ticks_its_opinion(self, frozen, intake, login_as, personas):
        case = case_services.case_accept(actor=personas["officer1"], case=intake(), at=NOW - timedelta(minutes=10))
        client = login_as("officer1")
        client.cookies["casecenter_language"] = "zh-hans"
        body = client.get(reverse("cases:acceptance_record", args=[case.pk])).content.decode()
        assert "☑属本单位管辖的刑事案件，建议及时立案侦查" in body
        assert "东城区公安分局" in body  # the police organ the form is issued in the name of
