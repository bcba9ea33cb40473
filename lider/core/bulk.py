"""Fast inserts for imports: a few statements per table instead of the ORM's per-value work.

`bulk_create` prepares every value of every object through its field (≈ 30 µs an object for a
person); an import of 10,000 people with their applications and consents spends seconds there.
Here rows are plain tuples of raw values (`insert_values`), or are read from objects in one
`attrgetter` call each (`insert_rows`); only the columns that need it (dates, times, JSON) are
converted, values repeated across rows are converted once, `auto_now` columns get one "now",
and the rows go to the database as multi-row INSERTs (COPY on PostgreSQL). Nothing gets an
id: read them back.
"""

import datetime
import json
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from operator import attrgetter

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

from lider.core.table_reader import collection_paused


def insert_rows(model, objs) -> None:
    """Insert objects: model instances, or any objects with the same attribute names."""
    names = [f.attname for f in _columns(model) if not _automatic(f)]
    read = attrgetter(*names)
    insert_values(model, names, [read(obj) for obj in objs])


def insert_values(model, names: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert rows of raw values given in the order of `names` (attribute names, `x_id` for a
    foreign key); every other column must be an `auto_now` one, filled with the time now."""
    with collection_paused():  # the transposes below make a tuple per row, twice
        _insert_values(model, names, rows)


def _insert_values(model, names: Sequence[str], rows: Iterable[Sequence]) -> None:
    db = connections[DEFAULT_DB_ALIAS]  # not the proxy: each attribute of that is a lookup
    by_name = {f.attname: f for f in _columns(model)}
    fields = [by_name[name] for name in names]
    automatic = [f for f in _columns(model) if _automatic(f) and f.attname not in names]
    missing = set(by_name) - set(names) - {f.attname for f in automatic}
    if missing:
        raise ValueError(f"No values for {', '.join(sorted(missing))}.")
    rows = list(rows)
    if not rows:
        return
    converted = [
        index
        for index, field in enumerate(fields)
        if isinstance(field, models.DateField | models.JSONField | models.DecimalField)
    ]
    if converted or automatic:  # column by column: most columns are taken as they are
        columns = list(zip(*rows, strict=True))
        for index in converted:
            columns[index] = _converted(fields[index], db, columns[index])
        now = timezone.now()
        for field in automatic:
            columns.append(repeat(field.get_db_prep_save(now, db), len(rows)))
        rows = list(zip(*columns, strict=True))
    _write(db, model, [*fields, *automatic], rows)


def _columns(model) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _automatic(field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _converted(field, db, values) -> list:
    """The field's own conversion of each value, once per distinct value (for JSON: once per
    list of the same objects; rule verdicts are lists of shared dicts)."""
    prepare = field.get_db_prep_save
    if isinstance(field, models.JSONField) and db.vendor == "postgresql":
        # As text, once per value: psycopg would serialise its Jsonb wrapper again every row.
        def prepare(value, db, encoder=field.encoder):
            return None if value is None else json.dumps(value, cls=encoder)

    first = values[0]
    if all(value is first for value in values):  # one value down the column (a time, None)
        return repeat(prepare(first, db), len(values))
    date_only = type(field) is models.DateField
    adapt_date = db.ops.adapt_datefield_value
    cache = {}
    out = []
    for value in values:
        if date_only and value.__class__ is datetime.date:  # the field's last step only
            out.append(adapt_date(value))
            continue
        key = ("list", *map(id, value)) if value.__class__ is list else (value.__class__, value)
        try:
            out.append(cache[key][1])
        except KeyError:
            converted = prepare(value, db)
            cache[key] = (value, converted)  # holding the value keeps its ids unique
            out.append(converted)
        except TypeError:  # unhashable
            out.append(prepare(value, db))
    return out


def _write(db, model, fields: list, rows: list[tuple]) -> None:
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":  # COPY: one stream instead of a row at a time
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # Many rows to a statement, as many as the parameter limit allows: each statement
        # executed costs more than the rows it carries.
        size = max(1, min(500, (db.features.max_query_params or 999) // len(fields)))
        one = "({})".format(", ".join(["%s"] * len(fields)))
        sql = f"INSERT INTO {table} ({columns}) VALUES "
        whole = len(rows) - len(rows) % size
        if whole:
            cursor.executemany(
                sql + ", ".join([one] * size),
                [list(chain.from_iterable(rows[i : i + size])) for i in range(0, whole, size)],
            )
        if whole < len(rows):
            rest = rows[whole:]
            cursor.execute(sql + ", ".join([one] * len(rest)), list(chain.from_iterable(rest)))
