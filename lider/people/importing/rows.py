"""The checked rows of a people import and the reading of its table: the values of one person
(`PersonRow`), a problem by row and column (`Problem`), the result of a check (`Checked`), and
which column holds which field (`FIELDS`, `_header`)."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from lider.core import table_reader
from lider.core.table_reader import TableError
from lider.people.import_columns import DATE_FORMATS, LABEL, key
from lider.people.import_columns import headers as known_headers
from lider.people.matching import Match
from lider.people.models import Person
from lider.territory.models import Unit


@dataclass
class Problem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass(slots=True)
class PersonRow:
    """The checked values of one person, named as `Person` names them, not saved."""

    first_name: str
    last_name: str
    pesel: str = ""
    other_document_type: str = ""
    other_document_number: str = ""
    birth_date: datetime.date | None = None
    sex: str = ""
    street: str = ""
    house_number: str = ""
    flat_number: str = ""
    postal_code: str = ""
    city: str = ""
    gmina: Unit | None = None
    phone: str = ""
    email: str = ""
    education: str = ""
    labour_status: str = ""
    labour_detail: str = ""
    cares_for_dependants: bool | None = None
    disability: str = ""
    minority_or_migrant: str = ""
    homeless: str = ""
    other_disadvantage: str = ""
    pk: int | None = None  # set once saved
    # Person fields a spreadsheet does not fill.
    user_id = None

    @property
    def gmina_id(self) -> int | None:
        return self.gmina.pk if self.gmina is not None else None


@dataclass
class Checked:
    people: list[PersonRow] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # spreadsheet row of each person
    errors: list[Problem] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)  # "C: Uwagi": read by nobody
    matches: list[Match] = field(default_factory=list)  # known, not confirmed: not imported
    links: list[Match] = field(default_factory=list)  # known, confirmed: in `people`
    # Known and restricted (GDPR art. 18): reported, never imported nor linked.
    restricted: list[Problem] = field(default_factory=list)
    total: int = 0
    ready: int = 0  # people ready to import (also those handed on and not kept in `people`)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.errors})


def read_table(content: bytes, filename: str) -> list[list[str]]:
    """Every row of the first sheet as strings (header row first), read within the bounds of
    `lider.core.table_reader` (size, rows, columns, cell length, unpacked size, time)."""
    return table_reader.read_table(content, filename)


def _date(value: str):
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


# The columns a row is read into, in this order (absent columns read as ""): the person's
# data fields (lider.people.fields.PERSON_FIELDS, tests/people/test_importing.py checks), in
# the order the check (`checker`) unpacks them.
FIELDS = (
    "first_name", "last_name", "pesel", "other_document_type", "other_document_number",
    "birth_date", "sex", "street", "house_number", "flat_number", "postal_code", "city", "gmina",
    "phone", "email", "education", "labour_status", "labour_detail", "cares_for_dependants",
    "disability", "minority_or_migrant", "homeless", "other_disadvantage",
)  # fmt: skip
# What the office compares before linking a row to a person Lider already holds.
COMPARED = tuple(
    name for name in FIELDS if name not in {"pesel", "other_document_type", "other_document_number"}
)
# Free-text columns (text fields without choices; PESEL and postal code have their own
# checks) and the most characters the database keeps of each.
TEXT_LIMITS = tuple(
    (index, name, field.max_length)
    for index, name in enumerate(FIELDS)
    if isinstance(field := Person._meta.get_field(name), models.CharField)
    and not field.choices
    and name not in {"pesel", "postal_code"}
)


def _header(cells: list[str], result: "Checked") -> list[str | None]:
    """The field of each column; columns nobody reads go to `result.unknown_columns`, and a
    field given by two columns refuses the file (which one is meant?)."""
    known = known_headers()
    header, where = [], {}
    for index, cell in enumerate(cells):
        name = known.get(key(cell)) if cell else None
        column = table_reader.column_name(index)
        if cell and name is None:
            result.unknown_columns.append(f"{column}: {cell}")
        if name in where:
            raise TableError(
                _("Columns %(first)s and %(second)s both mean “%(field)s”: keep one of them.")
                % {"first": where[name], "second": column, "field": LABEL[name]}
            )
        if name:
            where[name] = column
        header.append(name)
    return header
