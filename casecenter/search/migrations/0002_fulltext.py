"""The full-text structures of the vendor in use (see casecenter/search/ddl.py)."""

from django.db import migrations

from casecenter.search import ddl


def create(apps, schema_editor):
    for sql in ddl.statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in ddl.statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
