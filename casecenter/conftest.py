"""Shared fixtures: the demo organisation's personas (Alice-and-Bob style, named by role)."""

from __future__ import annotations

import pytest
from django.test import Client

from casecenter.accounts.demo import build_demo_organisation
from casecenter.accounts.sessions import signed_in_client
from casecenter.ledger import triggers as ledger_triggers


@pytest.fixture
def personas(db):
    """One user per role (see accounts/demo.py): officer1, officer2, duty, reviewer, head, chief,
    custodian, supervisor, analyst, outsider (another district), sysadmin, secadmin, auditadmin,
    lawyer, procurator, judge."""
    return build_demo_organisation(password="correct horse battery staple")


@pytest.fixture
def login_as(personas):
    """``login_as("officer1")`` → a test client with a full (two-factor) session for that persona."""

    def _login(username: str) -> Client:
        return signed_in_client(personas[username])

    return _login


@pytest.fixture
def login_in_english(personas):
    """Like ``login_as``, with pages in English, for tests that read the English messages (the
    shell's default language is Chinese)."""

    def _login(username: str) -> Client:
        client = signed_in_client(personas[username])
        client.cookies["casecenter_language"] = "en"
        return client

    return _login


@pytest.fixture(autouse=True)
def _ledger_flushable(request):
    """A transactional test ends with a flush (DELETE or TRUNCATE of every table), which the ledger's
    triggers refuse: lift them just before the flush; the flush's post_migrate puts them back."""
    marker = request.node.get_closest_marker("django_db")
    marked = marker is not None and (marker.kwargs.get("transaction") or (marker.args[:1] == (True,)))
    if not (marked or {"transactional_db", "live_server"} & set(request.fixturenames)):
        yield
        return
    # Set up first, so that it is torn down (flushed) after this fixture.
    request.getfixturevalue("_django_db_helper" if marked else "transactional_db")
    yield
    from django.db import connection

    ledger_triggers.remove(connection)

