"""Finding the people Lider already holds under an identifier, and how given data differ.

Linking new data to an existing person is a decision of the office, never automatic: these
functions only find the candidates and describe the differences for the office to judge.
"""

import datetime
from dataclasses import dataclass, replace

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Value
from django.db.models.functions import Replace, Upper

from lider.people.models import Person, Restriction


def people_by_pesel(pesels) -> dict[str, list[Person]]:
    """Every person recorded under each of `pesels` (in order of creation).

    Most PESELs of an import are new: they are looked up as plain parameters of a raw query
    (the ORM prepares each value of an `in` lookup, which costs more than the query for
    10,000 of them), and only the people found are loaded as models.
    """
    pesels = sorted({p for p in pesels if p})
    db = connections[DEFAULT_DB_ALIAS]
    size = db.features.max_query_params or len(pesels) or 1
    table, column = db.ops.quote_name(Person._meta.db_table), db.ops.quote_name("pesel")
    held = set()
    with db.cursor() as cursor:
        for start in range(0, len(pesels), size):
            chunk = pesels[start : start + size]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IN ({marks})", chunk)
            held.update(row[0] for row in cursor.fetchall())
    found: dict[str, list[Person]] = {}
    held = sorted(held)
    for start in range(0, len(held), size):
        people = (
            Person.objects.filter(pesel__in=held[start : start + size])
            .select_related("gmina")
            .order_by("pk")
        )
        for person in people:
            found.setdefault(person.pesel, []).append(person)
    return found


def document_key(number: str) -> str:
    """Another identity document's number as compared: without spaces, in capitals."""
    return "".join(number.split()).upper()


def with_document(queryset, number: str, field: str = "other_document_number"):
    """The rows of `queryset` whose document number (`field`) is `number`, compared as
    `document_key` does (the office types them as the document shows them)."""
    key = Upper(Replace(field, Value(" "), Value("")))
    return queryset.alias(document_key=key).filter(document_key=document_key(number))


def people_by_document(numbers) -> dict[str, list[Person]]:
    """Every person without a PESEL recorded under each document number of `numbers`, by
    `document_key` (rows without a PESEL are few: the ORM is fast enough)."""
    keys = sorted({document_key(n) for n in numbers if n.strip()})
    found: dict[str, list[Person]] = {}
    if not keys:
        return found
    key = Upper(Replace("other_document_number", Value(" "), Value("")))
    people = (
        Person.objects.filter(pesel="")
        .alias(document_key=key)
        .filter(document_key__in=keys)
        .select_related("gmina")
        .order_by("pk")
    )
    for person in people:
        found.setdefault(document_key(person.other_document_number), []).append(person)
    return found


def records_of(person, by_pesel: dict, by_document: dict) -> list[Person] | None:
    """The records held under the row's PESEL, or without one its document's number."""
    if person.pesel:
        return by_pesel.get(person.pesel)
    return by_document.get(document_key(person.other_document_number))


@dataclass(frozen=True)
class Difference:
    field: str
    recorded: str  # as shown to the office
    given: str

    @property
    def label(self) -> str:
        return str(Person._meta.get_field(self.field).verbose_name)


def _shown(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.isoformat()
    choices = Person._meta.get_field(name).flatchoices
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def differences(person: Person, given, fields) -> list[Difference]:
    """The fields in which `given` (any object with these attributes) says something other
    than the record; a field `given` leaves empty is not a difference."""
    found = []
    for name in fields:
        value = getattr(given, name)
        if value is None or value == "":
            continue
        recorded = getattr(person, name)
        if name == "gmina":
            same = recorded is not None and recorded.pk == getattr(value, "pk", value)
        elif isinstance(recorded, str) and isinstance(value, str):
            same = " ".join(recorded.split()).casefold() == " ".join(value.split()).casefold()
        else:
            same = recorded == value
        if not same:
            found.append(Difference(name, _shown(name, recorded), _shown(name, value)))
    return found


@dataclass
class Match:
    """A row whose PESEL (or other document's number) Lider already holds (outside the
    project): linking it is the office's decision, made with the differences in view."""

    row: int
    given: object  # the import's PersonRow
    records: list[Person]
    differences: list[Difference]

    @property
    def record(self) -> Person | None:
        """The one record it can be linked to (None when several share the PESEL)."""
        return self.records[0] if len(self.records) == 1 else None


def last_person_id() -> int:
    last = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


@dataclass
class Held:
    """The records a chunk's rows name, as looked up once for the check and the write.

    `after` is the last person's id before the lookup: a person saved after it is found by
    the write's read-back instead (see `lider.people.imports.save_rows`)."""

    after: int
    by_pesel: dict[str, list[Person]]
    by_document: dict[str, list[Person]]


def look_up(people: list) -> Held:
    """The records held under the PESELs, or without one the document numbers, of `people`."""
    after = last_person_id()  # before the lookup
    return Held(
        after,
        people_by_pesel(p.pesel for p in people),
        people_by_document(p.other_document_number for p in people if not p.pesel),
    )


def hold_known(
    result,
    people: list,
    rows: list[int],
    confirmed: frozenset[int],
    *,
    compared,
    restricted_message,
) -> tuple[list, list[int], Held]:
    """The rows of `people` (checked rows, their numbers in `rows`) less those of people Lider
    already holds, unless confirmed: those go to `result.matches` (or `result.links` when
    confirmed, and stay among the people returned); and what the lookup found, for the write.

    A row matching a person whose processing is restricted (art. 18) is reported in
    `result.restricted` (a copy of `restricted_message` with its row) whatever was confirmed.
    """
    held = look_up(people)
    known, documents = held.by_pesel, held.by_document
    if not known and not documents:
        return people, rows, held
    restricted = set(
        Restriction.objects.filter(
            person_id__in=[
                p.pk for held in (known, documents) for records in held.values() for p in records
            ]
        ).values_list("person_id", flat=True)
    )
    kept, kept_rows = [], []
    for person, number in zip(people, rows, strict=True):
        records = records_of(person, known, documents)
        if records is None:
            kept.append(person)
            kept_rows.append(number)
            continue
        if any(record.pk in restricted for record in records):
            result.restricted.append(replace(restricted_message, row=number))
            continue
        match = Match(
            number,
            person,
            records,
            differences(records[0], person, compared) if len(records) == 1 else [],
        )
        if number in confirmed and match.record is not None:
            result.links.append(match)
            kept.append(person)
            kept_rows.append(number)
        else:
            result.matches.append(match)
    return kept, kept_rows, held
