"""A complete signed-in session for a user without the sign-in pages, for tests and benchmarks."""

from __future__ import annotations

import time

from django.test import Client


def signed_in_client(user, client: Client | None = None) -> Client:
    """Log ``user`` in on ``client`` as if both factors had passed, with activity just now (so the
    idle timeout does not end the session)."""
    client = client or Client()
    client.force_login(user)
    session = client.session
    session["last_activity"] = time.time()
    session.save()
    return client
