"""The check of a people import, row by row, streamed over the table's chunks: each cell's
rules, the lookups (gminas, PESELs already taken), duplicates within the file and against the
project, and the records Lider already holds (`validate`, `check_chunks`)."""

import datetime
import re
from collections.abc import Callable, Iterable
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from lider.core import table_reader
from lider.core.table_reader import TableError
from lider.people import matching
from lider.people.identifiers import normalise_postal_code, read_pesel
from lider.people.import_columns import (
    CODED,
    LABEL,
    REQUIRED,
    SEXES,
    coded_message,
    key,
)
from lider.people.import_gminas import Gminas
from lider.people.importing.rows import (
    COMPARED,
    FIELDS,
    TEXT_LIMITS,
    Checked,
    PersonRow,
    Problem,
    _date,
    _header,
)
from lider.territory.models import Unit

EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_email = EmailValidator()


def validate(
    table: list[list[str]],
    *,
    gminas,
    county_ids: set[int],
    taken_pesels: set[str],
    confirmed: frozenset[int] = frozenset(),
) -> Checked:
    """Check every row of a whole table (header row first); people come back unsaved in
    `people`, problems by row and column (`check_chunks` for a table read in chunks)."""
    return check_chunks(
        [table],
        gminas=gminas,
        county_ids=county_ids,
        taken_pesels=taken_pesels,
        confirmed=confirmed,
    )


def check_chunks(
    chunks: Iterable[list[list[str]]],
    *,
    gminas,
    county_ids: set[int],
    taken_pesels: set[str],
    confirmed: frozenset[int] = frozenset(),
    take: Callable[[list[PersonRow], list[int], matching.Held], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Checked:
    """Check every row of a table read in chunks (`table_reader.iter_chunks`: header row
    first), holding one chunk at a time.

    Without `take`, the people ready to import come back in `people` (and their rows in
    `rows`). With it, each chunk's people are handed to `take(people, rows, held)` for as long
    as no row has had an error, and are not kept (`ready` counts them): the caller writes them
    inside one transaction (reusing `held`, the records the check looked up for them), and
    rolls it back if the result has errors at the end. Beyond the
    problems, what is kept is a PESEL and a row number per person (to name a duplicate's first
    row). `progress(rows checked)` is called after each chunk.

    A row whose PESEL Lider already holds is never linked silently: it comes back in
    `matches` (not imported) unless its row number is in `confirmed` — the rows the office
    chose to link, having seen the differences — and the PESEL names one record only.
    """
    result = Checked()
    checker = None
    with table_reader.collection_paused():  # a PersonRow, lists and tuples per row
        for chunk in chunks:
            start = 0
            if checker is None:
                if not chunk or not any(chunk[0]):
                    raise TableError(_("The file is empty."))
                checker = _Checker(chunk[0], result, gminas, county_ids, taken_pesels, confirmed)
                start = 1
            people, rows, held = checker.check(chunk, start)
            result.ready += len(people)
            if take is None:
                result.people += people
                result.rows += rows
            elif people and not result.errors:
                take(people, rows, held)
            if progress is not None:
                progress(checker.number - 1)
    if checker is None:
        raise TableError(_("The file is empty."))
    return result


class _Checker:
    """The checks of one file, kept across its chunks (lookups, values seen, row number)."""

    def __init__(self, header_row, result, gminas, county_ids, taken_pesels, confirmed):
        self.result = result
        header = _header(header_row, result)
        missing = [LABEL[name] for name in REQUIRED if name not in header]
        if missing:
            raise TableError(
                _("Columns missing from the first row: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        positions = {name: i for i, name in enumerate(header) if name}
        self.width = width = len(header)
        # A row is cut or padded to the header's width plus one empty cell, where absent
        # columns point: one itemgetter call then reads every field.
        self.cells_of = itemgetter(*(positions.get(name, width) for name in FIELDS))
        self.padding = [""] * (width + 1)
        self.register = Gminas(gminas)
        self.county_ids, self.taken_pesels, self.confirmed = county_ids, taken_pesels, confirmed
        self.gmina_of: dict[str, tuple] = {}  # the cell as written → (pk, problem)
        self.coded_of: dict[tuple, str | None] = {}  # (column, cell) → code
        self.dates: dict[str, datetime.date | None] = {}
        self.seen: dict[int, int] = {}  # PESEL (as a number: smaller) → its first row
        # Without a PESEL, a document's number (as `matching.document_key` compares it) → its
        # first row: rows without a PESEL are few.
        self.seen_documents: dict[str, int] = {}
        self.units: dict[int, Unit] = {}
        self.today = timezone.localdate()
        self.number = 2  # the spreadsheet's number of the next row

    def check(
        self, table: list[list[str]], start: int
    ) -> tuple[list[PersonRow], list[int], matching.Held]:
        """The people ready to import among `table[start:]`, their rows, and the records Lider
        holds under their PESELs or documents."""
        result = self.result
        cells_of, padding, width = self.cells_of, self.padding, self.width
        register, county_ids, taken_pesels = self.register, self.county_ids, self.taken_pesels
        gmina_of, coded_of, dates, seen = self.gmina_of, self.coded_of, self.dates, self.seen
        seen_documents = self.seen_documents
        errors, duplicates = result.errors, result.duplicates
        people, rows, gmina_ids = [], [], []
        label = LABEL
        today = self.today
        first = self.number
        if start:
            table = table[start:]
        self.number += len(table)
        for number, raw in enumerate(table, start=first):
            if not any(raw):
                continue
            result.total += 1
            cells = raw[:width]
            cells += padding[len(cells) :]
            (
                first_name, last_name, pesel, other_document_type, other_document_number,
                given_date, given_sex, street, house_number, flat_number, postal, city, gmina,
                phone, email, education, labour_status, labour_detail, cares_for_dependants,
                disability, minority_or_migrant, homeless, other_disadvantage,
            ) = values = cells_of(cells)  # fmt: skip
            before = len(errors)
            for index, name, limit in TEXT_LIMITS:
                if len(values[index]) > limit:
                    errors.append(
                        Problem(
                            number,
                            label[name],
                            _("Too long: at most %(limit)s characters.") % {"limit": limit},
                        )
                    )

            if not first_name:
                errors.append(Problem(number, label["first_name"], _("This cell is required.")))
            if not last_name:
                errors.append(Problem(number, label["last_name"], _("This cell is required.")))
            valid_pesel, birth_date, sex = "", None, ""
            if pesel:
                if len(pesel) < 11 and pesel.isascii() and pesel.isdigit():
                    pesel = pesel.zfill(11)  # read as a number, it lost its leading zeros
                try:
                    birth_date, sex = read_pesel(pesel, today=today)
                except ValidationError as error:
                    errors.append(Problem(number, label["pesel"], error.messages[0]))
                else:
                    valid_pesel = pesel
            elif not (other_document_type and other_document_number):
                errors.append(
                    Problem(
                        number,
                        label["pesel"],
                        _("Enter a PESEL, or the type and number of another identity document."),
                    )
                )
            if given_date:
                if given_date in dates:
                    born = dates[given_date]
                else:
                    born = dates[given_date] = _date(given_date)
                if born is None:
                    errors.append(
                        Problem(
                            number,
                            label["birth_date"],
                            _("Not a date: write it as 2009-12-01 or 01.12.2009."),
                        )
                    )
                elif birth_date and born != birth_date:
                    errors.append(
                        Problem(
                            number,
                            label["birth_date"],
                            _("The birth date does not match the PESEL."),
                        )
                    )
                else:
                    birth_date = born
            elif not pesel:
                errors.append(
                    Problem(number, label["birth_date"], _("Without a PESEL this is required."))
                )
            if given_sex:
                written = SEXES.get(key(given_sex))
                if written is None:
                    errors.append(Problem(number, label["sex"], _("Write K (woman) or M (man).")))
                elif sex and written != sex:
                    errors.append(
                        Problem(number, label["sex"], _("The sex does not match the PESEL."))
                    )
                else:
                    sex = written
            elif not pesel:
                errors.append(Problem(number, label["sex"], _("Without a PESEL this is required.")))

            postal_code = ""
            if postal:
                try:
                    postal_code = normalise_postal_code(postal)
                except ValidationError as error:
                    errors.append(Problem(number, label["postal_code"], error.messages[0]))
            gmina_id = None
            if not gmina:
                errors.append(Problem(number, label["gmina"], _("This cell is required.")))
            else:
                found = gmina_of.get(gmina)
                if found is None:
                    found = gmina_of[gmina] = register.find(gmina, county_ids)
                gmina_id, message = found
                if message is not None:
                    errors.append(Problem(number, label["gmina"], message))
            if email:
                try:
                    if not EMAIL.match(email):
                        _email(email)  # the strict check only where the quick one doubts
                except ValidationError:
                    errors.append(
                        Problem(number, label["email"], _("This is not a valid e-mail address."))
                    )
            coded = [education, labour_status, labour_detail, cares_for_dependants, disability]
            coded += (minority_or_migrant, homeless, other_disadvantage)
            for index, (name, choices) in enumerate(CODED):
                value = coded[index]
                if value:
                    cached = (name, value)
                    if cached in coded_of:
                        code = coded_of[cached]
                    else:
                        code = coded_of[cached] = choices.get(key(value))
                    if code is None:
                        errors.append(
                            Problem(number, label[name], coded_message(name) % {"value": value})
                        )
                    coded[index] = code
                else:
                    coded[index] = None if name == "cares_for_dependants" else ""

            if len(errors) > before:
                continue
            if valid_pesel:
                if valid_pesel in taken_pesels:
                    duplicates.append(
                        Problem(
                            number,
                            label["pesel"],
                            _("This PESEL has already applied to or takes part in the project."),
                        )
                    )
                    continue
                as_number = int(valid_pesel)
                if as_number in seen:
                    duplicates.append(
                        Problem(
                            number,
                            label["pesel"],
                            _("The same PESEL as in row %(row)s.") % {"row": seen[as_number]},
                        )
                    )
                    continue
                seen[as_number] = number
            else:
                # The same person twice in one file, named by a document's number: reported
                # like a PESEL given twice (the second would otherwise be written as a second
                # record, or taken for one Lider already holds).
                document = matching.document_key(other_document_number)
                first_row = seen_documents.setdefault(document, number)
                if first_row != number:
                    duplicates.append(
                        Problem(
                            number,
                            label["other_document_number"],
                            _("The same document number as in row %(row)s.") % {"row": first_row},
                        )
                    )
                    continue
            people.append(
                PersonRow(
                    first_name,
                    last_name,
                    valid_pesel,
                    other_document_type,
                    other_document_number,
                    birth_date,
                    sex,
                    street,
                    house_number,
                    flat_number,
                    postal_code,
                    city,
                    None,
                    phone,
                    email,
                    *coded,
                )
            )
            rows.append(number)
            gmina_ids.append(gmina_id)
        # The gminas people live in (a few dozen in a project's area), as units with their
        # counties, for the eligibility check: one query for those not met before.
        units = self.units
        wanted = set(gmina_ids) - units.keys()
        if people and wanted:
            units.update(Unit.objects.select_related("parent").in_bulk(wanted))
        for person, gmina_id in zip(people, gmina_ids, strict=True):
            person.gmina = units[gmina_id]
        return matching.hold_known(
            result,
            people,
            rows,
            self.confirmed,
            compared=COMPARED,
            restricted_message=_restricted_message(),
        )


def _restricted_message() -> Problem:
    return Problem(
        0,
        LABEL["pesel"],
        _(
            "Processing of this person's data is restricted (art. 18 GDPR): the row is "
            "reported and not imported, nor linked to the person's record."
        ),
    )
