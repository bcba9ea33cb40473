"""Reading people from a spreadsheet an office keeps (XLSX or CSV, Polish column headers).

`read_table` turns the file into rows of strings (calamine gives floats for numbers: a PESEL
typed as a number loses its leading zeros, so it is padded back to 11 digits); `validate`
checks every cell and returns unsaved `Person` objects with every problem explained in
Polish by row and column. Lookups (gminas, PESELs already taken) are loaded once, so 10,000
rows take a fraction of a second.
"""

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from lider.people.models import Answer, Education, LabourStatus, Person
from lider.territory.models import Unit


def _key(text: str) -> str:
    """Header or value as compared: lower case, no diacritics, single spaces."""
    text = unicodedata.normalize("NFKD", str(text).strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ł", "l")
    return " ".join(re.sub(r"[^a-z0-9@.+]+", " ", text).split())


# Column header (as an office writes it) → Person field.
COLUMNS = {
    "Imię": "first_name",
    "Nazwisko": "last_name",
    "PESEL": "pesel",
    "Rodzaj dokumentu": "other_document_type",
    "Numer dokumentu": "other_document_number",
    "Płeć": "sex",
    "Data urodzenia": "birth_date",
    "Ulica": "street",
    "Nr domu": "house_number",
    "Nr lokalu": "flat_number",
    "Kod pocztowy": "postal_code",
    "Miejscowość": "city",
    "Gmina": "gmina",
    "Telefon": "phone",
    "E-mail": "email",
    "Wykształcenie": "education",
    "Status na rynku pracy": "labour_status",
    "Osoba z niepełnosprawnościami": "disability",
    "Mniejszość lub migrant": "minority_or_migrant",
    "Osoba bezdomna": "homeless",
    "Inna niekorzystna sytuacja": "other_disadvantage",
}
HEADERS = {_key(header): name for header, name in COLUMNS.items()}
HEADERS.update({_key("Adres e-mail"): "email", _key("Nr budynku"): "house_number"})
REQUIRED = ["first_name", "last_name", "gmina"]
LABEL = {name: header for header, name in COLUMNS.items()}

SEXES = {
    _key(v): code
    for code, values in {"K": ("K", "Kobieta"), "M": ("M", "Mężczyzna")}.items()
    for v in values
}
EDUCATION = {
    **{_key(f"ISCED {n}"): code for n, code in enumerate(Education.values[:5])},
    _key("ISCED 0"): Education.BELOW_PRIMARY,
    _key("niższe niż podstawowe"): Education.BELOW_PRIMARY,
    _key("brak"): Education.BELOW_PRIMARY,
    _key("podstawowe"): Education.PRIMARY,
    _key("gimnazjalne"): Education.LOWER_SECONDARY,
    _key("ponadgimnazjalne"): Education.UPPER_SECONDARY,
    _key("średnie"): Education.UPPER_SECONDARY,
    _key("zasadnicze zawodowe"): Education.UPPER_SECONDARY,
    _key("policealne"): Education.POST_SECONDARY,
    _key("pomaturalne"): Education.POST_SECONDARY,
    _key("wyższe"): Education.TERTIARY,
    _key("ISCED 5-8"): Education.TERTIARY,
    **{_key(code): code for code in Education.values},
}
LABOUR = {
    _key("bezrobotny zarejestrowany"): LabourStatus.UNEMPLOYED_REGISTERED,
    _key("osoba bezrobotna zarejestrowana w ewidencji urzędów pracy"): (
        LabourStatus.UNEMPLOYED_REGISTERED
    ),
    _key("bezrobotny niezarejestrowany"): LabourStatus.UNEMPLOYED_UNREGISTERED,
    _key("osoba bezrobotna niezarejestrowana w ewidencji urzędów pracy"): (
        LabourStatus.UNEMPLOYED_UNREGISTERED
    ),
    _key("bierny zawodowo"): LabourStatus.INACTIVE,
    _key("osoba bierna zawodowo"): LabourStatus.INACTIVE,
    _key("pracujący"): LabourStatus.EMPLOYED,
    _key("osoba pracująca"): LabourStatus.EMPLOYED,
    **{_key(code): code for code in LabourStatus.values},
}
ANSWERS = {
    _key("tak"): Answer.YES,
    _key("nie"): Answer.NO,
    _key("odmowa"): Answer.REFUSED,
    _key("odmowa podania informacji"): Answer.REFUSED,
}
POSTAL_CODE = re.compile(r"^\d{2}-\d{3}$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y")
PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
PART_NAMES = {Unit.GminaType.TOWN_PART: "miasto", Unit.GminaType.RURAL_PART: "obszar wiejski"}
CENTURY = {0: 1900, 20: 2000, 40: 2100, 60: 2200, 80: 1800}
_email = EmailValidator()


@dataclass
class Problem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass
class Checked:
    people: list[Person] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # spreadsheet row of each person
    errors: list[Problem] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)
    total: int = 0

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.errors})


class TableError(Exception):
    """The file as a whole cannot be read (format, encoding, headers)."""


def read_table(content: bytes, filename: str) -> list[list[str]]:
    """Every row of the first sheet as strings (header row first)."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    if filename.lower().endswith(".csv"):
        return _read_csv(content)
    raise TableError(_("Upload an XLSX or a CSV file."))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(content: bytes) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises its own errors for broken files
        raise TableError(_("The file cannot be read as an XLSX spreadsheet.")) from error
    return [[_cell(v) for v in row] for row in rows]


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1250")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return [[v.strip() for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _pesel(value: str):
    """(birth date, sex) of a valid PESEL, or the reason it is not valid."""
    if not value.isdigit():
        return _("A PESEL may contain digits only.")
    if len(value) != 11:
        return _("A PESEL has 11 digits.")
    digits = [ord(c) - 48 for c in value]
    if (10 - sum(w * d for w, d in zip(PESEL_WEIGHTS, digits, strict=False)) % 10) % 10 != digits[
        10
    ]:
        return _("This PESEL has a wrong check digit: check for a typing error.")
    month = digits[2] * 10 + digits[3]
    year = CENTURY[month // 20 * 20] + digits[0] * 10 + digits[1]
    try:
        born = datetime.date(year, month % 20, digits[4] * 10 + digits[5])
    except ValueError:
        return _("This PESEL does not encode a real birth date.")
    return born, ("K" if digits[9] % 2 == 0 else "M")


def _date(value: str):
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


CODED = [
    ("education", EDUCATION),
    ("labour_status", LABOUR),
    ("disability", ANSWERS),
    ("minority_or_migrant", ANSWERS),
    ("homeless", ANSWERS),
    ("other_disadvantage", ANSWERS),
]


def _coded_message(name: str) -> str:
    if name == "education":
        return _("Unknown level of education: %(value)s.")
    if name == "labour_status":
        return _("Unknown labour-market status: %(value)s.")
    return _("Write tak, nie or odmowa (not %(value)s).")


def gmina_lookup(gminas) -> tuple[dict, dict]:
    """TERC code → unit and name key → units, from one query's worth of gminas."""
    by_code, by_name = {}, {}
    for unit in gminas:
        by_code[unit.code] = unit
        by_name.setdefault(_key(unit.name), []).append(unit)
        part = PART_NAMES.get(unit.gmina_type)
        if part:
            by_name.setdefault(_key(f"{unit.name} {part}"), []).append(unit)
    return by_code, by_name


def register_gminas():
    """Gminas of the newest register, with their counties, in one query."""
    newest = Unit.objects.order_by("-reference_date").values_list("reference_date", flat=True)[:1]
    return (
        Unit.objects.filter(level=Unit.Level.GMINA, reference_date__in=newest)
        .exclude(gmina_type=Unit.GminaType.URBAN_RURAL)
        .select_related("parent")
    )


def validate(
    table: list[list[str]], *, gminas, county_ids: set[int], taken_pesels: set[str]
) -> Checked:
    """Check every row; people come back unsaved, problems by row and column."""
    result = Checked()
    if not table or not any(table[0]):
        raise TableError(_("The file is empty."))
    header = [HEADERS.get(_key(h)) for h in table[0]]
    missing = [LABEL[name] for name in REQUIRED if name not in header]
    if missing:
        raise TableError(
            _("Columns missing from the first row: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    positions = {name: i for i, name in enumerate(header) if name}
    by_code, by_name = gmina_lookup(gminas)
    seen: dict[str, int] = {}
    errors = result.errors
    for number, raw in enumerate(table[1:], start=2):
        if not any(raw):
            continue
        result.total += 1
        row = {name: (raw[i] if i < len(raw) else "") for name, i in positions.items()}
        before = len(errors)

        def problem(name, message, *, number=number):
            errors.append(Problem(number, LABEL[name], message))

        for name in ("first_name", "last_name"):
            if not row[name]:
                problem(name, _("This cell is required."))
        person = Person(
            first_name=row["first_name"],
            last_name=row["last_name"],
            other_document_type=row.get("other_document_type", ""),
            other_document_number=row.get("other_document_number", ""),
            street=row.get("street", ""),
            house_number=row.get("house_number", ""),
            flat_number=row.get("flat_number", ""),
            city=row.get("city", ""),
            phone=row.get("phone", ""),
            email=row.get("email", ""),
        )
        pesel = row.get("pesel", "")
        if pesel:
            if pesel.isdigit() and len(pesel) < 11:
                pesel = pesel.zfill(11)  # read as a number, it lost its leading zeros
            decoded = _pesel(pesel)
            if isinstance(decoded, tuple):
                person.pesel = pesel
                person.birth_date, person.sex = decoded
            else:
                problem("pesel", decoded)
        elif not (person.other_document_type and person.other_document_number):
            problem(
                "pesel",
                _("Enter a PESEL, or the type and number of another identity document."),
            )
        given_date = row.get("birth_date", "")
        if given_date:
            born = _date(given_date)
            if born is None:
                problem("birth_date", _("Not a date: write it as 2009-12-01 or 01.12.2009."))
            elif person.birth_date and born != person.birth_date:
                problem("birth_date", _("The birth date does not match the PESEL."))
            else:
                person.birth_date = born
        elif not pesel:
            problem("birth_date", _("Without a PESEL this is required."))
        given_sex = row.get("sex", "")
        if given_sex:
            sex = SEXES.get(_key(given_sex))
            if sex is None:
                problem("sex", _("Write K (woman) or M (man)."))
            elif person.sex and sex != person.sex:
                problem("sex", _("The sex does not match the PESEL."))
            else:
                person.sex = sex
        elif not pesel:
            problem("sex", _("Without a PESEL this is required."))

        postal = row.get("postal_code", "")
        if postal:
            if len(postal) == 5 and postal.isdigit():
                postal = f"{postal[:2]}-{postal[2:]}"
            if POSTAL_CODE.match(postal):
                person.postal_code = postal
            else:
                problem("postal_code", _("A postal code is written as 00-000."))
        gmina = row["gmina"]
        if not gmina:
            problem("gmina", _("This cell is required."))
        else:
            unit = by_code.get(gmina) if gmina.isdigit() else None
            candidates = [unit] if unit else by_name.get(_key(gmina), [])
            inside = [u for u in candidates if u.parent_id in county_ids]
            if len(inside) == 1:
                person.gmina = inside[0]
            elif len(inside) > 1:
                problem(
                    "gmina",
                    _(
                        "There are several gminas called %(name)s in the project's area: "
                        "give the TERC code."
                    )
                    % {"name": gmina},
                )
            elif candidates:
                problem(
                    "gmina",
                    _("The gmina %(name)s lies outside the project's area.") % {"name": gmina},
                )
            else:
                problem(
                    "gmina", _("No gmina has this TERC code or name: %(value)s.") % {"value": gmina}
                )
        if person.email:
            try:
                if not EMAIL.match(person.email):
                    _email(person.email)  # the strict check only where the quick one doubts
            except ValidationError:
                problem("email", _("This is not a valid e-mail address."))
        for name, choices in CODED:
            value = row.get(name, "")
            if value:
                code = choices.get(_key(value))
                if code is None:
                    problem(name, _coded_message(name) % {"value": value})
                else:
                    setattr(person, name, code)

        if len(errors) > before:
            continue
        if person.pesel:
            if person.pesel in taken_pesels:
                result.duplicates.append(
                    Problem(
                        number,
                        LABEL["pesel"],
                        _("This PESEL has already applied to or takes part in the project."),
                    )
                )
                continue
            if person.pesel in seen:
                result.duplicates.append(
                    Problem(
                        number,
                        LABEL["pesel"],
                        _("The same PESEL as in row %(row)s.") % {"row": seen[person.pesel]},
                    )
                )
                continue
            seen[person.pesel] = number
        result.people.append(person)
        result.rows.append(number)
    return result
