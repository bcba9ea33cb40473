"""The columns of the people import and the values each takes: one definition for reading a
file (`importing`) and for the template an office downloads (`import_template`).

Headers and values are compared as keys (`key`: lower case, no diacritics, single spaces), so
"Wykształcenie", "wyksztalcenie" and "WYKSZTAŁCENIE " are one header. Besides the headers
below, the labels of the application form (in Polish and in English) are accepted too.
"""

import re
import unicodedata
from functools import cache, lru_cache

from django.utils import translation
from django.utils.translation import gettext as _

from lider.people.models import Answer, Education, LabourDetail, LabourStatus, Person

_NOT_KEPT = re.compile(r"[^a-z0-9@.+]+")


@lru_cache(maxsize=4096)  # a column repeats a handful of values (education, status, gmina)
def key(text: str) -> str:
    """Header or value as compared: lower case, no diacritics, single spaces."""
    text = unicodedata.normalize("NFKD", str(text).strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ł", "l")
    return " ".join(_NOT_KEPT.sub(" ", text).split())


# Column header (as an office writes it) → Person field, in the template's order.
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
    "W tym": "labour_detail",
    "Opieka nad dzieckiem do lat 7 lub osobą zależną": "cares_for_dependants",
    "Osoba z niepełnosprawnościami": "disability",
    "Mniejszość lub migrant": "minority_or_migrant",
    "Osoba bezdomna": "homeless",
    "Inna niekorzystna sytuacja": "other_disadvantage",
}
EXTRA_HEADERS = {"Adres e-mail": "email", "Nr budynku": "house_number"}
REQUIRED = ["first_name", "last_name", "gmina"]
LABEL = {name: header for header, name in COLUMNS.items()}


@cache
def headers() -> dict[str, str]:
    """Every header the import recognises (as a key) → field: ours, and the labels the
    application form gives each field, in Polish and in English."""
    known = {}
    for language in ("en", "pl"):
        with translation.override(language):
            for name in COLUMNS.values():
                known[key(str(Person._meta.get_field(name).verbose_name))] = name
    known[key("Inny dokument tożsamości")] = "other_document_type"  # the form's label
    with translation.override("en"):
        known[key(str(_("Other identity document")))] = "other_document_type"
    for header, name in {**EXTRA_HEADERS, **COLUMNS}.items():
        known[key(header)] = name
    return known


def aliases() -> dict[str, list[str]]:
    """Field → the other headers accepted for it, as the form writes them (for the template)."""
    found: dict[str, list[str]] = {}
    for language in ("pl", "en"):
        with translation.override(language):
            for header, name in COLUMNS.items():
                label = str(Person._meta.get_field(name).verbose_name)
                label = label[:1].upper() + label[1:]
                if key(label) != key(header) and label not in found.get(name, []):
                    found.setdefault(name, []).append(label)
    for header, name in EXTRA_HEADERS.items():
        found.setdefault(name, []).append(header)
    return found


SEXES = {
    key(v): code
    for code, values in {"K": ("K", "Kobieta"), "M": ("M", "Mężczyzna")}.items()
    for v in values
}
EDUCATION = {
    **{key(f"ISCED {n}"): code for n, code in enumerate(Education.values[:5])},
    key("ISCED 0"): Education.BELOW_PRIMARY,
    key("niższe niż podstawowe"): Education.BELOW_PRIMARY,
    key("brak"): Education.BELOW_PRIMARY,
    key("podstawowe"): Education.PRIMARY,
    key("gimnazjalne"): Education.LOWER_SECONDARY,
    key("ponadgimnazjalne"): Education.UPPER_SECONDARY,
    key("średnie"): Education.UPPER_SECONDARY,
    key("zasadnicze zawodowe"): Education.UPPER_SECONDARY,
    key("policealne"): Education.POST_SECONDARY,
    key("pomaturalne"): Education.POST_SECONDARY,
    key("wyższe"): Education.TERTIARY,
    key("ISCED 5-8"): Education.TERTIARY,
    **{key(code): code for code in Education.values},
}
LABOUR = {
    key("bezrobotny zarejestrowany"): LabourStatus.UNEMPLOYED_REGISTERED,
    key("osoba bezrobotna zarejestrowana w ewidencji urzędów pracy"): (
        LabourStatus.UNEMPLOYED_REGISTERED
    ),
    key("bezrobotny niezarejestrowany"): LabourStatus.UNEMPLOYED_UNREGISTERED,
    key("osoba bezrobotna niezarejestrowana w ewidencji urzędów pracy"): (
        LabourStatus.UNEMPLOYED_UNREGISTERED
    ),
    key("bierny zawodowo"): LabourStatus.INACTIVE,
    key("osoba bierna zawodowo"): LabourStatus.INACTIVE,
    key("pracujący"): LabourStatus.EMPLOYED,
    key("osoba pracująca"): LabourStatus.EMPLOYED,
    **{key(code): code for code in LabourStatus.values},
}
LABOUR_DETAIL = {
    key("długotrwale bezrobotny"): LabourDetail.LONG_TERM_UNEMPLOYED,
    key("osoba długotrwale bezrobotna"): LabourDetail.LONG_TERM_UNEMPLOYED,
    key("ucząca się"): LabourDetail.IN_EDUCATION,
    key("osoba ucząca się lub kształcąca"): LabourDetail.IN_EDUCATION,
    key("samozatrudniony"): LabourDetail.SELF_EMPLOYED,
    key("prowadzący działalność na własny rachunek"): LabourDetail.SELF_EMPLOYED,
    key("administracja publiczna"): LabourDetail.PUBLIC_ADMINISTRATION,
    key("organizacja pozarządowa"): LabourDetail.NGO,
    key("MMŚP"): LabourDetail.SME,
    key("mikro, małe lub średnie przedsiębiorstwo"): LabourDetail.SME,
    key("duże przedsiębiorstwo"): LabourDetail.LARGE_ENTERPRISE,
    key("rolnik"): LabourDetail.FARMER,
    key("inne"): LabourDetail.OTHER,
    **{key(code): code for code in LabourDetail.values if code},
}
ANSWERS = {
    key("tak"): Answer.YES,
    key("nie"): Answer.NO,
    key("odmowa"): Answer.REFUSED,
    key("odmowa podania informacji"): Answer.REFUSED,
}
YES_NO = {key("tak"): True, key("nie"): False}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y")

# Columns of coded values: field → accepted keys → stored value.
CODED = [
    ("education", EDUCATION),
    ("labour_status", LABOUR),
    ("labour_detail", LABOUR_DETAIL),
    ("cares_for_dependants", YES_NO),
    ("disability", ANSWERS),
    ("minority_or_migrant", ANSWERS),
    ("homeless", ANSWERS),
    ("other_disadvantage", ANSWERS),
]


def coded_message(name: str) -> str:
    if name == "education":
        return _("Unknown level of education: %(value)s.")
    if name == "labour_status":
        return _("Unknown labour-market status: %(value)s.")
    if name == "labour_detail":
        return _("Unknown 'of which' status: %(value)s (see the sheet of allowed values).")
    if name == "cares_for_dependants":
        return _("Write tak or nie (not %(value)s).")
    return _("Write tak, nie or odmowa (not %(value)s).")
