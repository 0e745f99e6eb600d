"""Helpers for the apps' tests of pages (imported by tests only)."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(client, url: str, **params) -> int:
    """How many queries answering ``GET url`` costs (the page must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def panel_count(response) -> int:
    """The count a home panel's fragment shows (core/partials/home_panel.html ``data-count``)."""
    return int(re.search(r'data-count="(\d+)"', response.content.decode()).group(1))
