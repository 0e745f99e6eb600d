"""Database triggers that make the ledger tables append-only, on SQLite and PostgreSQL.

The models refuse changes too, but only for code that goes through the ORM; the triggers also stop
raw SQL, a database console and a bug in another app. Someone who can drop the triggers can still
rewrite rows, which is why ``ledger verify`` checks everything against the signed checkpoints.

The one permitted UPDATE is the sequencer's: setting ``position`` on an event whose position is
still NULL, with every other column unchanged. A position, once set, never changes.

The SQL lives here (not only in the migration) because a test flush lifts the triggers and
``post_migrate`` puts them back; both paths must create exactly the same triggers.
"""

from __future__ import annotations

TABLES = ("ledger_event", "ledger_treenode", "ledger_checkpoint")

# Every column of ledger_event except position: the sequencer's UPDATE may change none of them.
EVENT_COLUMNS = (
    "id", "uid", "actor_id", "actor_snapshot", "action", "subject_type", "subject_id", "case_id", "person_id",
    "unit_id", "recorded_at", "request_id", "client_address", "data", "body",
)

_SQLITE_MESSAGE = "ledger rows are append-only"


def _sqlite_statements() -> list[str]:
    unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in EVENT_COLUMNS)
    statements = [
        "CREATE TRIGGER IF NOT EXISTS ledger_event_refuse_update BEFORE UPDATE ON ledger_event "
        f"WHEN NOT (OLD.position IS NULL AND NEW.position IS NOT NULL AND {unchanged}) "
        f"BEGIN SELECT RAISE(ABORT, '{_SQLITE_MESSAGE}'); END",
        "CREATE TRIGGER IF NOT EXISTS ledger_event_refuse_delete BEFORE DELETE ON ledger_event "
        f"BEGIN SELECT RAISE(ABORT, '{_SQLITE_MESSAGE}'); END",
    ]
    for table in TABLES[1:]:
        for op in ("update", "delete"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_refuse_{op} BEFORE {op.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{_SQLITE_MESSAGE}'); END"
            )
    return statements


PG_EVENT_GUARD = """CREATE OR REPLACE FUNCTION ledger_event_guard_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    probe ledger_event;
BEGIN
    IF OLD.position IS NULL AND NEW.position IS NOT NULL THEN
        probe := NEW;
        probe.position := NULL;
        IF probe *= OLD THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'UPDATE on ledger_event is refused: only the sequencer sets an unset position'
        USING ERRCODE = 'insufficient_privilege';
END $$"""

_PG_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % is refused: ledger rows are append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$""",
    # NEW with OLD's (NULL) position must be OLD byte for byte: ``*=`` compares the binary images of
    # whole rows, every column including ones added later, without converting the row to JSON
    # (which made the sequencer's UPDATE cost ~60 µs a row).
    PG_EVENT_GUARD,
]


def _pg_triggers() -> list[tuple[str, str, str]]:
    """(trigger name, table, definition after ``CREATE TRIGGER name``)."""
    triggers = [
        ("ledger_event_refuse_update", "ledger_event",
         "BEFORE UPDATE ON ledger_event FOR EACH ROW EXECUTE FUNCTION ledger_event_guard_update()"),
        ("ledger_event_refuse_delete", "ledger_event",
         "BEFORE DELETE ON ledger_event FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"),
    ]
    for table in TABLES[1:]:
        triggers.append((f"{table}_refuse_change", table,
                         f"BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"))
    for table in TABLES:
        triggers.append((f"{table}_refuse_truncate", table,
                         f"BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()"))
    return triggers


def names(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [name for name, _table, _sql in _pg_triggers()]
    return [statement.split()[5] for statement in _sqlite_statements()]


def install(connection) -> None:
    """Create every refusing trigger that is missing (idempotent)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in _PG_FUNCTIONS:
                cursor.execute(statement)
            for name, _table, definition in _pg_triggers():
                cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal", [name])
                if cursor.fetchone() is None:
                    cursor.execute(f"CREATE TRIGGER {name} {definition}")
        elif connection.vendor == "sqlite":
            for statement in _sqlite_statements():
                cursor.execute(statement)
        else:
            raise NotImplementedError(f"no ledger triggers for the {connection.vendor} database")


def remove(connection) -> None:
    """Drop the triggers (tests that simulate an attacker, and the flush of transactional tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name, table, _definition in _pg_triggers():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        else:
            for name in names(connection.vendor):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def installed(connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'ledger_%%' AND NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger_%'")
        return {row[0] for row in cursor.fetchall()}


def reinstall_after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    if set(TABLES) <= set(connection.introspection.table_names()):
        install(connection)


def migration_install(apps, schema_editor) -> None:
    install(schema_editor.connection)


def migration_remove(apps, schema_editor) -> None:
    remove(schema_editor.connection)
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP FUNCTION IF EXISTS ledger_event_guard_update()")
            cursor.execute("DROP FUNCTION IF EXISTS ledger_refuse_change()")
