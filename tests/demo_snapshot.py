"""The demo loaded once per test run and copied into each test that asks for it.

Loading the demo runs every domain's services (seconds on a slow machine) and dozens of tests
ask for it. ``take`` runs the loader once in a transaction that is rolled back, and keeps the
rows it added to each table; ``restore`` writes those same rows into the test's own database
in one statement per table (COPY on PostgreSQL) and moves the id sequences past them. The
rows, ids and codes are the loader's own, so a test sees what ``lider demo`` would have made.

The copy stands only on the database the run started with (migrated, nothing else): when a
test made rows of its own in one of the demo's tables first, or when the loader changed or
removed rows that were already there, the loader runs as before.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

_SKIPPED = {"django_migrations"}


@dataclass
class Snapshot:
    counts_before: dict[str, int]  # rows in each table the loader added to, before it ran
    added: dict[str, tuple[list[str], list]]  # table: (columns, rows the loader added)
    usable: bool  # False when the loader also changed or removed rows (copying can't do that)


def take(load) -> Snapshot:
    """Run ``load()`` in a transaction that is rolled back; the rows it added, per table."""
    with transaction.atomic():
        before = {table: _rows(table) for table in _tables()}
        load()
        after = {table: _rows(table) for table in _tables()}
        transaction.set_rollback(True)
    counts, added, usable = {}, {}, True
    for table, (columns, rows) in after.items():
        old = before.get(table, (columns, []))[1]
        kept = set(old)
        new = [row for row in rows if row not in kept]
        usable &= len(rows) - len(new) == len(old)  # every earlier row still there, unchanged
        if new:
            counts[table], added[table] = len(old), (columns, new)
    return Snapshot(counts, added, usable)


def restore(snapshot: Snapshot) -> bool:
    """Copy the snapshot's rows into the current database; False (nothing written) when the
    database is not the one the snapshot was taken on."""
    if not snapshot.usable or any(
        _count(table) != count for table, count in snapshot.counts_before.items()
    ):
        return False
    with connection.cursor() as cursor:
        for table, (columns, rows) in snapshot.added.items():
            _write(cursor, table, columns, rows)
        models = [m for m in apps.get_models() if m._meta.db_table in snapshot.added]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    return True


def _tables() -> list[str]:
    return [t for t in connection.introspection.table_names() if t not in _SKIPPED]


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


def _rows(table: str) -> tuple[list[str], list[bytes | str]]:
    """A table's columns and rows as the server writes them out: COPY's text lines on
    PostgreSQL, SQL literals from ``quote()`` on SQLite (each value's type kept), compared and
    written back unchanged."""
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {name} WHERE 1 = 0")
        columns = [column[0] for column in cursor.description]
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {name} TO STDOUT") as copy:
                text = b"".join(bytes(block) for block in copy)
            return columns, text.splitlines(keepends=True)
        quoted = ", ".join(f"quote({connection.ops.quote_name(c)})" for c in columns)
        cursor.execute(f"SELECT {quoted} FROM {name}")
        return columns, ["(" + ", ".join(row) + ")" for row in cursor.fetchall()]


def _write(cursor, table: str, columns: list[str], rows: list) -> None:
    name = connection.ops.quote_name(table)
    listed = ", ".join(connection.ops.quote_name(column) for column in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {name} ({listed}) FROM STDIN") as copy:
            copy.write(b"".join(rows))
    else:
        cursor.execute(f"INSERT INTO {name} ({listed}) VALUES {', '.join(rows)}")
