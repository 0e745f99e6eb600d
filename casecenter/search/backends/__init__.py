"""The full-text backends, one per database vendor, with the same operations:

``upsert_rows(connection, rows)``, ``delete(connection, keys)``, ``optimize(connection)`` and
``search(connection, plan, visibility, kinds, ref_prefix, limit, offset)``.
"""

from __future__ import annotations

from types import ModuleType


def backend_for(connection) -> ModuleType:
    if connection.vendor == "sqlite":
        from . import sqlite

        return sqlite
    if connection.vendor == "postgresql":
        from . import postgres

        return postgres
    raise NotImplementedError(f"full-text search is not available on {connection.vendor}")
