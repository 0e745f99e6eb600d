"""The audit pages speak human: the people, units and records an event is about appear by name,
linked to the events about them, resolved in one query per kind of record whatever the page's
length; event numbers match their links; times are local and to the second."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casecenter.core import clock
from casecenter.ledger import names
from casecenter.ledger.models import Event
from casecenter.ledger.sequencer import sequence
from casecenter.ledger.services import record_event

pytestmark = pytest.mark.django_db

UNIT_MODEL = "accounts.unit"


def _record(actor, *, subject, unit=None, action="test.account.touched", case=None, person=None):
    with transaction.atomic():
        return record_event(actor=actor, action=action, subject=subject, unit=unit, case=case, person=person, data={})


@pytest.fixture
def touched(personas, ledger_key):
    """The security administrator touches officer 王建国's account and his district bureau (东城)."""
    secadmin, officer = personas["secadmin"], personas["officer1"]
    events = [_record(secadmin, subject=officer, unit=officer.unit),
              _record(secadmin, subject=officer.unit.parent, unit=officer.unit.parent)]
    sequence()
    return events


def test_an_event_row_names_its_actor_subject_and_unit_with_links_to_their_events(login_as, touched, personas):
    response = login_as("auditadmin").get(reverse("ledger:events"))
    rows = {row["event"].pk: row for row in response.context["rows"]}
    officer, secadmin = personas["officer1"], personas["secadmin"]
    about_officer = rows[touched[0].pk]
    assert about_officer["subject"]["label"] == str(officer)            # 王建国 (officer1), not "accounts.user #3"
    assert about_officer["subject"]["url"] == names.events_url(subject_type="accounts.user", subject_id=officer.pk)
    assert about_officer["unit"] == {"label": officer.unit.name, "url": names.events_url(unit=officer.unit_id)}
    assert about_officer["actor_url"] == names.events_url(actor=secadmin.pk)
    page = response.content.decode()
    assert officer.unit.name in page and "王建国" in page and "accounts.user #" not in page


def test_following_a_name_lists_the_events_about_it_and_shows_the_filter_by_name(login_as, touched, personas):
    officer = personas["officer1"]
    client = login_as("auditadmin")
    about = client.get(reverse("ledger:events"), {"subject_type": "accounts.user", "subject_id": officer.pk})
    rows = about.context["rows"]
    assert touched[0].pk in [row["event"].pk for row in rows]           # and the account's creation, its roles
    subjects = {(row["event"].subject_type, row["event"].subject_id) for row in rows}
    assert subjects == {("accounts.user", str(officer.pk))}
    assert about.context["chips"][0]["value"] == str(officer)
    by_unit = client.get(reverse("ledger:events"), {"unit": officer.unit.parent_id, "action": "test"})
    assert [row["event"].pk for row in by_unit.context["rows"]] == [touched[1].pk]
    by_actor_id = client.get(reverse("ledger:events"), {"actor": personas["secadmin"].pk, "action": "test"})
    assert {row["event"].pk for row in by_actor_id.context["rows"]} == {e.pk for e in touched}


def test_the_filters_show_the_chosen_person_and_unit_by_name_not_by_number(login_as, touched, personas):
    secadmin, city = personas["secadmin"], personas["secadmin"].unit
    page = login_as("auditadmin").get(reverse("ledger:events"), {"actor": secadmin.pk, "unit": city.pk})
    body = page.content.decode()
    assert f'value="{secadmin.full_name}（{secadmin.username}）"' in body or f'value="{secadmin}"' in body
    assert f'value="{city.name}"' in body
    assert 'data-simple-picker' in body


def test_a_unit_typed_but_not_chosen_is_a_field_error(login_as, touched):
    response = login_as("auditadmin").get(reverse("ledger:events"), {"unit": "", "unit_search": "东城"})
    assert response.status_code == 400 and "unit" in response.context["form"].errors


def test_a_record_that_is_gone_reads_as_its_kind_and_number(personas, ledger_key):
    event = _record(personas["secadmin"], subject=(UNIT_MODEL, 999999))
    links = names.event_links([event])[0]
    assert re.fullmatch(r".+ 999999", links["subject"]["label"])
    assert links["subject"]["kind"] in ("unit", "单位")
    strange = names.event_links([_record(None, subject=("no.such.kind", "x"))])[0]
    assert strange["subject"]["label"] == "no.such.kind x"


def test_the_event_numbers_on_the_list_are_those_of_their_pages(login_as, touched):
    page = login_as("auditadmin").get(reverse("ledger:events")).content.decode()
    for event in touched:
        link = re.search(rf'href="{reverse("ledger:event", args=[event.pk])}"[^>]*>([^<]+)<', page)
        assert link and re.search(rf"(?<!\d){event.pk}(?!\d)", link.group(1)), link
    detail = login_as("auditadmin").get(reverse("ledger:event", args=[touched[0].pk])).content.decode()
    assert re.search(rf'data-testid="event-number">[^<]*(?<!\d){touched[0].pk}(?!\d)[^<]*<', detail)


def test_times_are_local_and_without_microseconds(login_as, personas, ledger_key):
    with clock.frozen(dt.datetime(2026, 12, 31, 16, 30, 5, 123456, tzinfo=dt.UTC)):
        event = _record(personas["secadmin"], subject=personas["officer1"])
    client = login_as("auditadmin")
    detail = client.get(reverse("ledger:event", args=[event.pk])).content.decode()
    # Shown local and to the second; only the recorded bytes (the canonical JSON) keep the microseconds, in UTC.
    assert ">2027-01-01 00:30:05</time>" in detail and "00:30:05.123" not in re.sub(r'"[^"]*"', "", detail)
    listing = client.get(reverse("ledger:events")).content.decode()
    assert ">2027-01-01 00:30:05</time>" in listing


def test_an_event_page_names_what_it_is_about(login_as, touched, personas):
    response = login_as("auditadmin").get(reverse("ledger:event", args=[touched[1].pk]))
    bureau = personas["officer1"].unit.parent
    assert response.context["subject"]["label"] == bureau.name
    assert response.context["unit"]["label"] == bureau.name
    assert 'data-testid="event-unit"><a href="' in response.content.decode()


def test_names_cost_one_query_per_kind_of_record_whatever_the_number_of_rows(login_as, personas, ledger_key):
    client = login_as("auditadmin")
    units = list(personas["officer1"].unit.__class__.objects.all()[:3])

    def write(count):
        for i in range(count):
            _record(personas["secadmin"], subject=list(personas.values())[i % len(personas)], unit=units[i % 3],
                    case=f"C-{i}", person=f"P-{i}")
            _record(personas["secadmin"], subject=units[i % 3], unit=units[i % 3])

    write(2)
    client.get(reverse("ledger:events"))   # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ledger:events"))
    write(20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("ledger:events"))
    assert len(response.context["rows"]) > 40
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert Event.objects.count() > 40
