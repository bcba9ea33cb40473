"""The XLSX template of the people import: every column, and the values each accepts.

Sheet 1 has the headers (and nothing else to delete); sheet 2 lists, column by column, what
the import accepts: whether it is required, the format, every accepted value with its meaning,
and the other headers accepted for the column (those of the application form). Everything is
written through the shared writer, as text.
"""

import io

from django.utils.translation import gettext as _

from lider.core.spreadsheets import Workbook
from lider.people.import_columns import (
    ANSWERS,
    COLUMNS,
    EDUCATION,
    LABOUR,
    LABOUR_DETAIL,
    REQUIRED,
    YES_NO,
    aliases,
    key,
)
from lider.people.models import Answer, Education, LabourDetail, LabourStatus


def _values(name: str) -> list[tuple[str, str]]:
    """(value as written in the file, its meaning) for a coded column."""
    if name == "sex":
        woman, man = _("woman"), _("man")
        return [("K", woman), ("M", man), ("Kobieta", woman), ("Mężczyzna", man)]
    table, labels = {
        "education": (EDUCATION, dict(Education.choices)),
        "labour_status": (LABOUR, dict(LabourStatus.choices)),
        "labour_detail": (LABOUR_DETAIL, dict(LabourDetail.choices)),
        "cares_for_dependants": (YES_NO, {True: _("yes"), False: _("no")}),
        "disability": (ANSWERS, dict(Answer.choices)),
        "minority_or_migrant": (ANSWERS, dict(Answer.choices)),
        "homeless": (ANSWERS, dict(Answer.choices)),
        "other_disadvantage": (ANSWERS, dict(Answer.choices)),
    }.get(name, (None, None))
    if table is None:
        return []
    spelled = _SPELLINGS[name]
    return [(written, str(labels[table[key]])) for written, key in spelled]


def _rules() -> dict[str, str]:
    return {
        "first_name": _("Required."),
        "last_name": _("Required."),
        "pesel": _(
            "11 digits (0-9). Without a PESEL, fill in Rodzaj dokumentu and Numer dokumentu, "
            "Data urodzenia and Płeć."
        ),
        "other_document_type": _("Only without a PESEL, e.g. paszport."),
        "other_document_number": _("Only without a PESEL."),
        "sex": _("Only without a PESEL (the PESEL gives it)."),
        "birth_date": _(
            "Only without a PESEL (the PESEL gives it): 2009-12-01, 01.12.2009 or 01/12/2009."
        ),
        "postal_code": _("00-000 (digits 0-9)."),
        "gmina": _(
            "Required: the gmina's 7-digit TERC code or its name; it must lie in the project's "
            "area."
        ),
        "email": _("An e-mail address."),
    }


def _spellings() -> dict[str, list[tuple[str, str]]]:
    """The spellings shown in the template (the import accepts more: any case, without
    diacritics, the codes), each with the key it is read as."""

    def shown(*written):
        return [(w, key(w)) for w in written]

    return {
        "education": shown(
            "niższe niż podstawowe", "podstawowe", "gimnazjalne", "ponadgimnazjalne", "średnie",
            "zasadnicze zawodowe", "policealne", "pomaturalne", "wyższe", "ISCED 0", "ISCED 1",
            "ISCED 2", "ISCED 3", "ISCED 4", "ISCED 5-8",
        ),
        "labour_status": shown(
            "bezrobotny zarejestrowany", "bezrobotny niezarejestrowany", "bierny zawodowo",
            "pracujący",
        ),
        "labour_detail": shown(
            "długotrwale bezrobotny", "ucząca się", "samozatrudniony", "administracja publiczna",
            "organizacja pozarządowa", "MMŚP", "duże przedsiębiorstwo", "rolnik", "inne",
        ),
        "cares_for_dependants": shown("tak", "nie"),
        **{
            name: shown("tak", "nie", "odmowa")
            for name in ("disability", "minority_or_migrant", "homeless", "other_disadvantage")
        },
    }  # fmt: skip


_SPELLINGS = _spellings()


def template_xlsx() -> bytes:
    buffer = io.BytesIO()
    with Workbook(buffer, constant_memory=False) as book:
        people = book.add_sheet(_("People"))
        people.write_header(0, list(COLUMNS))
        people.set_column(0, len(COLUMNS) - 1, 18)
        people.freeze_panes(1, 0)

        allowed = book.add_sheet(_("Allowed values"))
        allowed.write_header(
            0, [_("Column"), _("Value or format"), _("Meaning"), _("Also accepted as header")]
        )
        allowed.set_column(0, 0, 28)
        allowed.set_column(1, 1, 40)
        allowed.set_column(2, 2, 60)
        allowed.set_column(3, 3, 50)
        rules, other_headers = _rules(), aliases()
        row = 1
        for header, name in COLUMNS.items():
            rule = rules.get(name, "")
            if name in REQUIRED and not rule:
                rule = _("Required.")
            allowed.write_row(
                row, [header, "", rule or _("Optional."), ", ".join(other_headers.get(name, []))]
            )
            row += 1
            for written, meaning in _values(name):
                allowed.write_row(row, [header, written, meaning])
                row += 1
        allowed.freeze_panes(1, 0)
    return buffer.getvalue()
