"""Replace the PostgreSQL function that checks the sequencer's UPDATE of ledger_event with one that
compares whole rows by binary image instead of converting both to JSON (same rule, ~10x cheaper).
SQLite's triggers are unchanged; installing them again is a no-op there."""

from django.db import migrations

from casecenter.ledger.triggers import PG_EVENT_GUARD

# The function of 0002, for unapplying this migration.
PREVIOUS_GUARD = """CREATE OR REPLACE FUNCTION ledger_event_guard_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.position IS NULL AND NEW.position IS NOT NULL
       AND (to_jsonb(NEW) - 'position') = (to_jsonb(OLD) - 'position') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'UPDATE on ledger_event is refused: only the sequencer sets an unset position'
        USING ERRCODE = 'insufficient_privilege';
END $$"""


def _replace(sql):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(sql)
        else:
            from casecenter.ledger.triggers import install

            install(connection)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only_triggers")]

    operations = [migrations.RunPython(_replace(PG_EVENT_GUARD), _replace(PREVIOUS_GUARD))]
