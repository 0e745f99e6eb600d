"""Refuse UPDATE and DELETE on the ledger tables in the database itself (see ledger/triggers.py)."""

from django.db import migrations

from casecenter.ledger.triggers import migration_install, migration_remove


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(migration_install, migration_remove)]
