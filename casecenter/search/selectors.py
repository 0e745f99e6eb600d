"""``search``: one query across every kind of document the user may see.

Visibility is part of the SQL (documents without a unit, or of a unit in ``visible_units(user)``),
so the counts and the pages are those of what the user may see; nothing is dropped afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection

from casecenter.accounts.roles import Role
from casecenter.accounts.selectors import visible_units

from . import highlight
from . import kinds as kind_registry
from .backends import backend_for
from .backends.common import Visibility
from .query import QueryError, parse
from .results import Hit, SearchResult

MAX_LIMIT = 100
MAX_OFFSET = 10_000
ADMINISTRATORS = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


def visibility_for(user) -> Visibility:
    """What ``user`` may see, as SQL; kept on the user object (one per request) for its next search."""
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionError("search needs a signed-in user")
    cached = getattr(user, "_search_visibility", None)
    if cached is None:
        cached = user._search_visibility = _visibility(user)
    return cached


def _visibility(user) -> Visibility:
    hidden = tuple(k.name for k in kind_registry.all_kinds() if k.roles is not None and not user.has_role(*k.roles))
    if user.has_role(*ADMINISTRATORS):
        # Separation of duties: the three administrators manage the system, they do not read cases.
        return Visibility(all_units=False, hidden_kinds=hidden)
    units = visible_units(user)
    if units.query.is_empty():
        return Visibility(all_units=False, hidden_kinds=hidden)
    if not units.query.where:           # the whole tree
        return Visibility(all_units=True, hidden_kinds=hidden)
    sql, params = units.values("id").query.sql_with_params()
    return Visibility(all_units=False, units_sql=sql, units_params=tuple(params), hidden_kinds=hidden)


def search(query: str | None, *, user, kinds: Sequence[str] | None = None, ref_prefix: str | None = None,
           limit: int = 20, offset: int = 0) -> SearchResult:
    """Ranked hits of ``query`` among what ``user`` may see, ``limit`` from ``offset``.

    A query that cannot be run (empty, too long, nothing searchable in it) gives a result with
    ``error`` set to a translated message and no hits, never an exception.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    result = SearchResult(query=(query or "").strip(), limit=limit, offset=offset)
    try:
        plan = parse(query)
    except QueryError as error:
        result.error = str(error)
        return result
    result.terms = list(plan.terms)
    rows, counts, capped = backend_for(connection).search(
        connection, plan, visibility_for(user), list(kinds or ()), ref_prefix, limit, offset)
    result.counts = counts
    result.total = sum(counts.values())
    result.capped = capped
    result.by_relevance = not capped
    result.hits = [_hit(row, plan.terms) for row in rows]
    return result


def _hit(row, terms) -> Hit:
    _id, kind, ref, title, body, url, unit_id, extra, score = row
    if isinstance(extra, str):
        extra = json.loads(extra or "{}")
    return Hit(kind=kind, ref=ref, title=highlight.mark(title, terms), snippet=highlight.snippet(body, terms),
               url=url, unit_id=unit_id, score=float(score or 0.0), extra=extra or {})
