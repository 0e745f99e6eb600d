"""Fingerprints of a record as a form showed it, so that two administrators editing the same
unit or account at once end in one clear result: the second save is refused with a conflict
instead of silently undoing the first (optimistic concurrency; the service compares under a row lock)."""

from __future__ import annotations

import hashlib
import json


def fingerprint(facts: dict) -> str:
    """A short stable digest of ``facts`` (JSON-able values)."""
    text = json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
