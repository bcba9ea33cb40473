"""Trigram indexes for finding people and institutions by a part of their name (PostgreSQL).

The pickers find a project's participants by words contained in their names (``icontains``,
which Django writes as ``UPPER(column::text) LIKE UPPER('%word%')``): without an index every
person is read and upper-cased for each search (170 ms at 100,000 people). A GIN index of
trigrams on the same expression answers it (14 ms). It needs the ``pg_trgm`` extension (in
PostgreSQL's contrib, "trusted": the database's owner may create it). Where it cannot be
created the migration says so and goes on: searches then read every name, as before. SQLite
has no such index and reads every name.
"""

import sys

from django.db import migrations, transaction

INDEXES = [
    ("person_last_name_trigrams", "people_person", "last_name"),
    ("person_first_name_trigrams", "people_person", "first_name"),
    ("institution_name_trigrams", "people_institution", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # noqa: BLE001 - the index is an optimisation, not a rule
        print(
            f"\n  pg_trgm not available ({error}); name searches read every name.", file=sys.stderr
        )
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("people", "0008_name_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
