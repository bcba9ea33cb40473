"""The Polish collation that text columns of people and places name (see lider.core.collation).

PostgreSQL creates it from ICU; SQLite gets it as a Python function on each connection.
"""

from django.db import migrations

from lider.core.collation import CREATE_ON_POSTGRESQL, DROP_ON_POSTGRESQL


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_ON_POSTGRESQL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_ON_POSTGRESQL)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_note_values")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
