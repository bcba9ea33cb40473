"""Reading knowledge-test results from an XLSX sheet (or CSV), through the bounded reader of
`lider.core.table_reader` (size, rows, columns, cell length, unpacked size, time).

The first row holds the headers, in Polish or English, in any order: ``PESEL`` or ``Imię`` and
``Nazwisko``, then ``Pre-test`` and ``Post-test``. A result is a percentage (72, 72,5, "72 %")
or points out of a maximum ("18/25"). Every bad row is reported with its row and column, and
nothing is saved unless every row is good.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lider.core import table_reader

HEADERS = {
    "pesel": "pesel",
    "imię": "first_name",
    "imie": "first_name",
    "first name": "first_name",
    "nazwisko": "last_name",
    "last name": "last_name",
    "pre-test": "pre",
    "pretest": "pre",
    "test wstępny": "pre",
    "post-test": "post",
    "posttest": "post",
    "test końcowy": "post",
}
POINTS = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*/\s*(\d+(?:[.,]\d+)?)\s*$")


def read(file, enrolments) -> dict[int, tuple[Decimal | None, Decimal | None]]:
    """{participant id: (pre, post)} from the sheet, or ValidationError listing every error."""
    bounds = table_reader.limits()
    name = str(getattr(file, "name", "") or "")
    try:
        sheet = table_reader.read_table(
            file.read(bounds.file_bytes + 1),
            name if name.lower().endswith(".csv") else "wyniki.xlsx",
            bounds,
        )
    except table_reader.TableError as error:
        raise ValidationError(str(error), code="file") from error
    if not sheet:
        raise ValidationError(_("The sheet is empty."), code="empty")
    columns = {}
    for index, header in enumerate(sheet[0]):
        key = HEADERS.get(str(header).strip().casefold())
        if key:
            columns[key] = index
    by_pesel = "pesel" in columns
    if not (by_pesel or {"first_name", "last_name"} <= columns.keys()) or not (
        {"pre", "post"} & columns.keys()
    ):
        raise ValidationError(
            _("The first row needs the headers PESEL (or Imię and Nazwisko), Pre-test, Post-test."),
            code="headers",
        )
    people = {}
    for enrolment in enrolments:
        person = enrolment.participant.person
        if person is None:
            continue
        key = person.pesel if by_pesel else _name_key(person.first_name, person.last_name)
        people.setdefault(key, []).append(enrolment.participant_id)
    names = {index: str(header).strip() for index, header in enumerate(sheet[0])}
    errors, scores = [], {}
    for number, row in enumerate(sheet[1:], start=2):
        if all(str(cell).strip() == "" for cell in row):
            continue

        def cell(key, row=row):
            return row[columns[key]] if columns[key] < len(row) else ""

        if by_pesel:
            key = _text(cell("pesel"))
            if len(key) < 11 and key.isascii() and key.isdigit():
                key = key.zfill(11)  # typed as a number, it lost its leading zeros
            who_column = columns["pesel"]
        else:
            key = _name_key(_text(cell("first_name")), _text(cell("last_name")))
            who_column = columns["last_name"]
        found = people.get(key, [])
        if len(found) != 1:
            message = (
                _("no participant of this task has this PESEL or name")
                if not found
                else _("more than one participant has this name; use PESEL")
            )
            errors.append(_error(number, names[who_column], message))
            continue
        values = []
        for kind in ("pre", "post"):
            if kind not in columns:
                values.append(None)
                continue
            try:
                values.append(_score(cell(kind)))
            except ValueError:
                errors.append(
                    _error(
                        number,
                        names[columns[kind]],
                        _("expected a percentage from 0 to 100 or points such as 18/25"),
                    )
                )
                values.append(None)
        if found[0] in scores:
            errors.append(_error(number, names[who_column], _("this person is listed twice")))
        scores[found[0]] = tuple(values)
    if errors:
        raise ValidationError(errors, code="rows")
    return scores


def _error(row: int, column: str, message: str) -> ValidationError:
    return ValidationError(
        _("Row %(row)s, column “%(column)s”: %(message)s")
        % {"row": row, "column": column, "message": message},
        code="row",
    )


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _name_key(first: str, last: str) -> str:
    return f"{' '.join(first.split())} {' '.join(last.split())}".casefold()


def _score(value) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = str(value).strip().rstrip("%").strip()
        match = POINTS.match(text)
        try:
            if match:
                got, out_of = (Decimal(part.replace(",", ".")) for part in match.groups())
                if out_of == 0 or got > out_of:
                    raise ValueError(text)
                number = got * 100 / out_of
            else:
                number = Decimal(text.replace(",", "."))
        except InvalidOperation as error:
            raise ValueError(text) from error
    if not Decimal(0) <= number <= Decimal(100):
        raise ValueError(str(value))
    return number.quantize(Decimal("0.01"))
