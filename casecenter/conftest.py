"""Shared fixtures: the demo organisation's personas (Alice-and-Bob style, named by role)."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from casecenter.accounts.demo import build_demo_organisation


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
        client = Client()
        client.force_login(personas[username])
        session = client.session
        session["last_activity"] = time.time()
        session.save()
        return client

    return _login
