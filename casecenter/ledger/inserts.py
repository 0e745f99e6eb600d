"""Appending rows to the ledger's tables without the ORM's save, which costs more than the database
does on the paths that run at every write (an event per change, a checkpoint per sequencer run)."""

from __future__ import annotations

ROWS_PER_INSERT = 500  # 14 parameters a row at most: well under every backend's limit on parameters


def insert_returning_ids(connection, model, columns: tuple[str, ...], objects: list, *,
                         unadapted: frozenset[str] = frozenset()) -> None:
    """Insert ``objects`` (unsaved instances of ``model``) with one multi-row INSERT … RETURNING id
    per chunk, and mark them saved with their ids. Values go through the fields' own adapters, as
    the ORM would send them, except the ``unadapted`` columns (text and integers the driver takes
    as they are)."""
    fields = [model._meta.get_field(name) for name in columns]
    adapt = [None if f.name in unadapted else f for f in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    for start in range(0, len(objects), ROWS_PER_INSERT):
        chunk = objects[start:start + ROWS_PER_INSERT]
        params = []
        for obj in chunk:
            for field, adapter in zip(fields, adapt, strict=True):
                value = getattr(obj, field.attname)
                params.append(value if adapter is None else adapter.get_db_prep_save(value, connection))
        sql = (f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES "  # noqa: S608 - no input in it
               f"{', '.join([placeholder] * len(chunk))} RETURNING {quote('id')}")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) != len(chunk):
            raise RuntimeError(f"inserted {len(ids)} of {len(chunk)} {model._meta.verbose_name_plural}")
        # Rows come back in VALUES order on SQLite and PostgreSQL (Django's bulk_create relies on it
        # too); sorting keeps the id order equal to the order of the objects either way.
        for obj, pk in zip(chunk, sorted(ids), strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias
