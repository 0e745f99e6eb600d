"""Descriptions of recorded actions, and the timeline's order."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation

from casecenter.ledger import selectors
from casecenter.ledger.describe import DESCRIPTIONS, describe
from casecenter.ledger.sequencer import sequence
from casecenter.ledger.services import record_event
from casecenter.ledger.tests.test_completeness import public_services

pytestmark = pytest.mark.django_db


def _record(actor, action, data, subject=("accounts.user", "7"), **kwargs):
    with transaction.atomic():
        return record_event(actor=actor, action=action, subject=subject, data=data, **kwargs)


def test_every_action_the_services_declare_has_a_description():
    declared = {action for _name, func in public_services() for action in getattr(func, "ledger_actions", ())}
    assert not declared - set(DESCRIPTIONS), sorted(declared - set(DESCRIPTIONS))


def test_a_role_change_reads_as_a_sentence_in_both_languages(personas, ledger_key):
    event = _record(personas["secadmin"], "accounts.user.roles_changed",
                    {"username": "officer2", "granted": ["case_officer", "legal_reviewer"], "revoked": [],
                     "roles": ["case_officer"]})
    name = personas["secadmin"].full_name
    with translation.override("en"):
        expected = f"{name} granted roles Case officer, Legal reviewer to officer2 and withdrew —"
        assert describe(event) == expected
    with translation.override("zh-hans"):
        text = describe(event)
    # Role codes are shown by their translated names (lent by accounts), never as codes.
    assert name in text and "办案民警" in text and "case_officer" not in text and "granted" not in text


def test_an_anonymous_failed_sign_in_names_the_username_tried(ledger_key, rf):
    event = _record(None, "accounts.user.login_failed", {"username": "nobody", "factor": "password",
                                                         "reason": "unknown"}, request=rf.get("/"))
    with translation.override("en"):
        assert describe(event) == "Failed sign-in as nobody (password: unknown)"


def test_an_unknown_action_is_shown_by_its_dotted_name(ledger_key):
    assert describe(_record(None, "custody.visit.entered", {})) == "custody.visit.entered"


def test_missing_facts_read_as_a_dash(ledger_key):
    with translation.override("en"):
        assert describe(_record(None, "accounts.token.created", {})) == "the system created the API token “—”"


def test_the_timeline_puts_sequenced_events_in_position_order_and_pending_ones_last(ledger_key):
    first = _record(None, "test.case.step", {"n": 1}, subject=("test.case", "C-1"), case="C-1")
    second = _record(None, "test.case.step", {"n": 2}, subject=("test.case", "C-1"), case="C-1")
    sequence()
    pending = _record(None, "test.case.step", {"n": 3}, subject=("test.case", "C-1"), case="C-1")
    _record(None, "test.case.step", {"n": 4}, subject=("test.case", "C-2"), case="C-2")
    events = list(selectors.timeline(case_id="C-1"))
    assert [e.pk for e in events] == [first.pk, second.pk, pending.pk]
    assert events[0].checkpoint_size == 2 and events[2].checkpoint_size is None
    assert list(selectors.timeline()) == []
    assert [e.pk for e in selectors.timeline(subject=("test.case", "C-1"))] == [first.pk, second.pk, pending.pk]


def test_an_event_says_when_the_thing_happened_from_the_fact_its_app_names(personas, ledger_key):
    from datetime import UTC, datetime

    from casecenter.ledger.describe import occurred_at

    started = _record(personas["officer1"], "cases.measure.started",
                      {"kind": "summons", "started_at": "2026-12-08T02:00:00+00:00"}, subject=("cases.measure", "1"))
    assert occurred_at(started) == datetime(2026, 12, 8, 2, 0, tzinfo=UTC)
    # An action without such a fact happened when it was recorded; so does an older event lacking it.
    assert occurred_at(_record(personas["officer1"], "accounts.user.login", {})) is None
    assert occurred_at(_record(personas["officer1"], "cases.measure.started", {"kind": "summons"},
                               subject=("cases.measure", "2"))) is None
    assert occurred_at(_record(personas["officer1"], "cases.measure.started", {"started_at": "not a time"},
                               subject=("cases.measure", "3"))) is None


def test_a_list_of_codes_is_separated_as_the_readers_language_does(personas, ledger_key):
    event = _record(personas["secadmin"], "accounts.user.roles_changed",
                    {"username": "officer2", "granted": ["case_officer", "legal_reviewer"], "revoked": []})
    with translation.override("zh-hans"):
        assert "办案民警、法制审核员" in describe(event)
    with translation.override("en"):
        assert "Case officer, Legal reviewer" in describe(event)
