"""Reads of reports and exports from a read replica of PostgreSQL, when one is configured.

With ``DATABASE_REPLICA_URL`` set, settings add the database alias ``replica`` and this router.
Code that reads much and may read a second-old state (monitoring exports, their check report,
the progress report) runs its queries inside ``reading_replica()``; every other read, and
every write anywhere (the audit entry of an export too), goes to ``default``. Without a replica
the context does nothing, so the same code runs on one database.

The choice is a context variable, not a thread-local: it follows the code that set it and no
other request or task in the same process.
"""

import contextlib
import contextvars

from django.db import connections

REPLICA = "replica"
DEFAULT = "default"

_reading = contextvars.ContextVar("lider_reading_replica", default=False)


def has_replica() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def reading_replica():
    """Route the reads inside to the replica (when there is one)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def read_alias() -> str:
    """The alias reads go to here and now."""
    return REPLICA if _reading.get() and has_replica() else DEFAULT


class ReplicaRouter:
    """Reads inside ``reading_replica()`` go to the replica; writes, migrations and every
    other read to ``default``."""

    def db_for_read(self, model, **hints):
        if _reading.get() and has_replica():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: objects read from either relate.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT, REPLICA, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT
