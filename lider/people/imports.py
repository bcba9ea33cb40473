"""Saving the people of an imported file: thousands of rows in a handful of statements.

Rows are the checked `PersonRow`s of `lider.people.importing` (plain objects named as the
model names its fields): new people go to the database through `lider.core.bulk` as raw
tuples, people already held under the same PESEL are reused, as the office confirmed in the
preview. Only `people` writes people; recruitment calls `save_rows` for its import.
"""

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections

from lider.core import bulk
from lider.people import matching
from lider.people.fields import PERSON_FIELDS
from lider.people.models import Person


def chunks(values: list) -> list[list]:
    """`values` in lists short enough for one query's parameters."""
    size = connections[DEFAULT_DB_ALIAS].features.max_query_params or len(values) or 1
    return [values[start : start + size] for start in range(0, len(values), size)]


def ids_after(after: int, pesels: set[str]) -> list[tuple[str, int]]:
    """(PESEL, id) of the people saved with an id above `after` under one of `pesels`: the
    rows just inserted, read back by the primary key's range (a list of thousands of PESELs
    as parameters costs PostgreSQL more to plan than the rows to read)."""
    db = connections[DEFAULT_DB_ALIAS]
    table, column = db.ops.quote_name(Person._meta.db_table), db.ops.quote_name("pesel")
    with db.cursor() as cursor:
        cursor.execute(f"SELECT {column}, id FROM {table} WHERE id > %s", [after])
        return [(pesel, pk) for pesel, pk in cursor.fetchall() if pesel in pesels]


def save_rows(rows: list, held: matching.Held | None = None) -> tuple[list, list[bool], int]:
    """Save the rows' new people, all or nothing (call it inside a transaction).

    `held` is what the check looked up for these rows (`matching.hold_known`), not looked up
    again; without it the rows are looked up here. Returns the record of each row (a row
    itself, its `pk` set, when it was new; the person held under its PESEL, or its document's
    number, when known), whether each was known, and how many were new. The caller records
    the audit entry naming the file and the actor.
    """
    # The last id is taken before the lookup: a person saved under one of these PESELs after
    # it is read back beside the new ones, and refuses the import below.
    held = held or matching.look_up(rows)
    after, known = held.after, held.by_pesel
    new = [p for p in rows if p.pesel and p.pesel not in known]
    bulk.insert_rows(Person, new)
    saved = ids_after(after, {p.pesel for p in new}) if new else []
    ids = dict(saved)
    if len(saved) != len(new):
        # A PESEL may be held by several records (see recruitment's Application), so one
        # saved meanwhile (a form, another import) would make the ids read back ambiguous:
        # the whole import is refused and the caller checks the file again.
        raise IntegrityError("A person with one of these PESELs was saved meanwhile.")
    for person in new:
        person.pk = ids[person.pesel]
    # Without a PESEL, a row whose document number Lider holds (the office confirmed the link
    # in the preview) is that record; the others are new, with no key to read them back by:
    # the ORM gives them ids (they are few, if any).
    subjects, is_known, without_pesel = [], [], []
    for p in rows:
        record = known.get(p.pesel) if p.pesel else matching.records_of(p, {}, held.by_document)
        if isinstance(record, list):
            record = record[0]
        if record is None and not p.pesel:
            record = Person(**{name: getattr(p, name) for name in PERSON_FIELDS})
            without_pesel.append(record)
            is_known.append(False)
        else:
            is_known.append(record is not None)
        subjects.append(record or p)
    Person.objects.bulk_create(without_pesel)
    return subjects, is_known, len(new) + len(without_pesel)
