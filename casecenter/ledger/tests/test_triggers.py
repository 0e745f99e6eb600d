"""The ledger tables refuse UPDATE and DELETE in the database (raw SQL) and in the ORM."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from casecenter.ledger import triggers
from casecenter.ledger.models import AppendOnlyError, Checkpoint, Event, TreeNode
from casecenter.ledger.services import record_event


def _refused(sql: str, params=()) -> bool:
    """Run raw SQL in a savepoint; True when the database refuses it."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


@pytest.mark.django_db
class TestTriggers:
    def test_the_triggers_are_installed_by_the_migration(self):
        assert set(triggers.names(connection.vendor)) <= triggers.installed(connection)

    @pytest.mark.parametrize("sql", [
        "UPDATE ledger_event SET data = '{}'",
        "UPDATE ledger_event SET position = position + 100",
        "UPDATE ledger_event SET recorded_at = recorded_at",
        "DELETE FROM ledger_event",
        "UPDATE ledger_treenode SET hash = hash",
        "DELETE FROM ledger_treenode",
        "UPDATE ledger_checkpoint SET root_hash = 'x'",
        "DELETE FROM ledger_checkpoint",
    ])
    def test_raw_sql_cannot_change_or_remove_a_sequenced_record(self, write_events, sql):
        write_events(3)
        assert _refused(sql), sql
        assert Event.objects.count() == 3 and TreeNode.objects.count() == 4 and Checkpoint.objects.count() == 3

    def test_emptying_a_table_whole_is_refused(self, write_events):
        # PostgreSQL's TRUNCATE fires no row trigger, so it has its own statement trigger; SQLite's
        # "truncate optimisation" of an unqualified DELETE is disabled by the presence of a trigger.
        write_events(1)
        for table in triggers.TABLES:
            sql = f"TRUNCATE {table} CASCADE" if connection.vendor == "postgresql" else f"DELETE FROM {table}"
            assert _refused(sql), table
        assert Event.objects.count() == 1 and Checkpoint.objects.count() == 1

    def test_the_sequencer_may_set_a_position_once_and_nothing_else(self, write_events):
        write_events(1)
        with transaction.atomic():
            event = record_event(actor=None, action="test.thing.done", subject=("test.thing", 1), data={})
        assert _refused("UPDATE ledger_event SET position = 7, data = '{\"x\":1}' WHERE id = %s", [event.pk])
        assert _refused("UPDATE ledger_event SET position = 7, id = id + 1000 WHERE id = %s", [event.pk])
        assert _refused("UPDATE ledger_event SET data = '{\"x\":1}' WHERE id = %s", [event.pk])
        assert not _refused("UPDATE ledger_event SET position = 7 WHERE id = %s", [event.pk])
        assert _refused("UPDATE ledger_event SET position = 8 WHERE id = %s", [event.pk])
        assert _refused("UPDATE ledger_event SET position = NULL WHERE id = %s", [event.pk])

    def test_with_the_triggers_dropped_raw_sql_goes_through(self, write_events):
        # What an intruder with the owner's rights can do; `ledger verify` must catch it (test_verify).
        write_events(2)
        triggers.remove(connection)
        assert not _refused("UPDATE ledger_event SET data = '{}' WHERE position = 0")
        triggers.install(connection)
        assert _refused("UPDATE ledger_event SET data = '{}' WHERE position = 1")


@pytest.mark.django_db
class TestModels:
    def test_a_saved_event_cannot_be_saved_again(self, write_events):
        event = write_events(1)[0]
        event.data = "{}"
        with pytest.raises(AppendOnlyError):
            event.save()

    def test_rows_cannot_be_deleted_through_the_orm(self, write_events):
        event = write_events(1)[0]
        with pytest.raises(AppendOnlyError):
            event.delete()
        for model in (Event, TreeNode, Checkpoint):
            with pytest.raises(AppendOnlyError):
                model.objects.all().delete()
            with pytest.raises(AppendOnlyError):
                model.objects.filter(pk__gt=0).update(pk=1)
        with pytest.raises(AppendOnlyError):
            Event.objects.bulk_update([event], ["data"])


def test_the_update_trigger_guards_every_column_but_position():
    # A column added to Event without updating triggers.EVENT_COLUMNS would be editable on SQLite.
    columns = {f.column for f in Event._meta.concrete_fields} - {"position"}
    assert set(triggers.EVENT_COLUMNS) == columns
