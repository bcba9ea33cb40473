"""Monitoring export profiles, kept as data: columns with the official labels, where each value
comes from, and dictionaries from Lider's canonical codes to each system's official labels.

A profile is a list of :class:`Column`. ``source`` is either the name of a field fetched for
each participant (see ``FIELDS``) or a function of the row (a ``dict`` of those fields) and
the export context. Adding CST2021 means adding one more :class:`Profile` below.

Labels follow domain.md §1: PEFS 2007 (PO KL, v2.0: individual participants, fields 1–24)
and SL2014 ("Monitorowanie uczestników projektu", the individual block of the XLS with the
project block in front). Spelling, dashes and case matter to the importing systems.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from lider.core.sensitive import mask_pesel
from lider.people.models import Answer, Education, LabourDetail, LabourStatus, Sex, Situation

# Fields fetched for every participant (values_list, one query); keys of the row dict.
FIELDS = {
    "id": "pk",
    "first_name": "person__first_name",
    "last_name": "person__last_name",
    "pesel": "person__pesel",
    "sex": "person__sex",
    "birth_date": "person__birth_date",
    "education": "person__education",
    "cares": "person__cares_for_dependants",
    "street": "person__street",
    "house": "person__house_number",
    "flat": "person__flat_number",
    "city": "person__city",
    "postal_code": "person__postal_code",
    "gmina_type": "person__gmina__gmina_type",
    "gmina": "person__gmina__name",
    "gmina_id": "person__gmina_id",
    "county": "person__gmina__parent__name",
    "voivodeship": "person__gmina__parent__parent__name",
    "phone": "person__phone",
    "email": "person__email",
    "start": "start_date",
    "end": "end_date",
    "labour_status": "person__labour_status",
    "labour_detail": "person__labour_detail",
    "completed": "completed_as_planned",
    "disability": "person__disability",
    "minority": "person__minority_or_migrant",
    "homeless": "person__homeless",
    "disadvantage": "person__other_disadvantage",
    "exit_situation": "exit_situation",
    "later_situation": "later_situation",
    "support": "support_kind",  # annotated: the kind of the participant's first task
    # annotated: the institution taking part in the project that employs the person, if any
    "employer": "employer_name",
}
# Profiles with one row per participant and form of support read these instead of "support":
# annotated on each enrolment in a participation task (see monitoring.support_rows).
SUPPORT_FIELDS = (
    "support",
    "support_start",
    "support_planned_end",
    "support_status",
    "support_dropped_on",
    "employer",
)
PARTICIPANT_FIELDS = {
    key: path for key, path in FIELDS.items() if key not in {"support", "employer"}
}


# Fields fetched for every institution taking part (values_list, one query).
INSTITUTION_FIELDS = {
    "id": "pk",
    "name": "institution__name",
    "nip": "institution__nip",
    "kind": "institution__kind",
    "street": "institution__street",
    "house": "institution__house_number",
    "flat": "institution__flat_number",
    "city": "institution__city",
    "postal_code": "institution__postal_code",
    "gmina_type": "institution__gmina__gmina_type",
    "county": "institution__gmina__parent__name",
    "voivodeship": "institution__gmina__parent__parent__name",
    "gmina": "institution__gmina__name",
    "gmina_id": "institution__gmina_id",
    "phone": "institution__phone",
    "email": "institution__email",
    "website": "institution__website",
    # annotated: as the office recorded them, else from its employees' paths (the first
    # start; the last end once every employee's path has ended)
    "start": "institution_start",
    "end": "institution_end",
    "employees": "employees_supported",  # annotated: any employee is a participant
}


def field_names(profile) -> list[str]:
    if profile.per_support:
        return [*PARTICIPANT_FIELDS, *SUPPORT_FIELDS]
    return list(FIELDS)


@dataclass(frozen=True)
class Context:
    project_number: str  # the application number (WND-…)
    beneficiary: str
    project_title: str
    project_start: datetime.date
    project_end: datetime.date
    # Whole PESEL numbers and special-category answers (the actor holds personal.export);
    # otherwise PESEL keeps only the birth date and special-category cells read "(hidden)".
    full_sensitive: bool
    contract_number: str = ""  # the funding contract's number (UDA-…)
    reporting_period: str = ""
    # {gmina unit id: (DEGURBA class, edition)} for the participants' gminas; a gmina
    # without a class is missing here and reported in the check sheet, never guessed.
    degurba: Mapping[int, tuple[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    label: str
    source: str | Callable[[dict, Context], Any]
    mandatory: bool = False
    dictionary: Mapping[str, str] | None = None
    # Special-category data (health, disability, minority or migrant, homelessness, other
    # disadvantage): exported whole only to roles holding personal.export.
    special: bool = False
    # Mandatory only for some rows (e.g. "completed as planned" once participation ended).
    required_if: Callable[[dict], bool] | None = None


@dataclass(frozen=True)
class Profile:
    key: str
    name: str
    sheet: str
    columns: tuple[Column, ...]
    # One row per participant and form of support (SL2014), or one per participant (PEFS).
    per_support: bool = False
    title: str = ""
    # "xlsx" (data, check and about sheets) or "csv" (`;`, UTF-8 with BOM, data only).
    file_format: str = "xlsx"
    # The institutional part (PEFS 2007): its own sheet, one row per institution.
    institution_sheet: str = ""
    institution_columns: tuple[Column, ...] = ()
    # PEFS 2007 (v2.0): the employees of supported institutions who took part, on a sheet of
    # their own: the institution's name, then the individual part's columns.
    employee_sheet: str = ""


# Value helpers


def age_at_start(row: dict, context: Context) -> int | None:
    born, start = row["birth_date"], row["start"]
    if born is None or start is None or born > start:
        return None  # no age rather than a negative one: the check report lists it as missing
    return start.year - born.year - ((start.month, start.day) < (born.month, born.day))


def pesel(row: dict, context: Context) -> str:
    value = row["pesel"] or ""
    return value if context.full_sensitive else mask_pesel(value)


RURAL_TYPES = {"2", "5"}
URBAN_TYPES = {"1", "4", "8", "9"}


def area_pefs(row: dict, context: Context) -> str | None:
    if row["gmina_type"] in RURAL_TYPES:
        return "wiejski"
    if row["gmina_type"] in URBAN_TYPES:
        return "miejski"
    return None


def voivodeship(row: dict, context: Context) -> str | None:
    """TERC writes voivodeships in capitals; the forms use lower case ("śląskie")."""
    return (row["voivodeship"] or "").lower() or None


def degurba(row: dict, context: Context) -> str | None:
    found = context.degurba.get(row["gmina_id"])
    return found[0] if found else None


def support_end(row: dict, context: Context):
    """The end of one form of support: the day of dropping out of it, or its last planned
    session once the participant's path has ended (never after the path's end)."""
    if row["support_status"] == "dropped":
        return row["support_dropped_on"]
    end = row["end"]
    if end is None:
        return None
    planned = row["support_planned_end"]
    return min(planned, end) if planned else end


def ended(row: dict) -> bool:
    return row["end"] is not None


def constant(value: str) -> Callable[[dict, Context], str]:
    return lambda row, context: value


def from_context(name: str) -> Callable[[dict, Context], Any]:
    return lambda row, context: getattr(context, name)


YES_NO_BOOL = {True: "TAK", False: "NIE"}
TAK_NIE_BOOL = {True: "Tak", False: "Nie"}

# PEFS 2007 dictionaries
PEFS_SEX = {Sex.FEMALE: "K", Sex.MALE: "M"}
PEFS_EDUCATION = {
    Education.BELOW_PRIMARY: "brak",
    Education.PRIMARY: "podstawowe",
    Education.LOWER_SECONDARY: "gimnazjalne",
    Education.UPPER_SECONDARY: "ponadgimnazjalne",
    Education.POST_SECONDARY: "pomaturalne",
    Education.TERTIARY: "wyższe",
}
PEFS_STATUS = {
    LabourStatus.UNEMPLOYED_REGISTERED: "bezrobotny",
    LabourStatus.UNEMPLOYED_UNREGISTERED: "bezrobotny",
    LabourStatus.INACTIVE: "nieaktywny zawodowo",
    LabourStatus.EMPLOYED: "zatrudniony",
}
# Status sub-types (domain.md §1.1, field 22). Lider's "in education" applies to an inactive
# person, the employment sub-types to an employed one; "other" stays "inne".
PEFS_DETAIL = {
    LabourDetail.LONG_TERM_UNEMPLOYED: "długotrwale bezrobotny",
    LabourDetail.IN_EDUCATION: "osoba ucząca się lub kształcąca się",
    LabourDetail.SELF_EMPLOYED: "samozatrudniony",
    LabourDetail.PUBLIC_ADMINISTRATION: "zatrudniony w administracji publicznej",
    LabourDetail.NGO: "zatrudniony w organizacji pozarządowej",
    LabourDetail.SME: "zatrudniony w MMŚP",
    LabourDetail.LARGE_ENTERPRISE: "zatrudniony w dużym przedsiębiorstwie",
    LabourDetail.FARMER: "rolnik",
    LabourDetail.OTHER: "inne",
}
# Institution types (domain.md §1.1 "Dane instytucji"); the wording of each entry is not
# confirmed by an official PEFS 2007 dictionary (see the issue notes).
PEFS_INSTITUTION_KIND = {
    "social_economy": "podmiot ekonomii społecznej",
    "labour_market": "instytucja rynku pracy",
    "social_assistance": "instytucja pomocy i integracji społecznej",
    "public_administration": "administracja publiczna",
    "ngo": "organizacja pozarządowa",
    "enterprise": "przedsiębiorstwo",
    "education": "szkoła lub placówka systemu oświaty",
    "other": "inne",
}
PEFS_SUPPORT = {
    "training_cycle": "szkolenie",
    "group_advisory": "doradztwo",
    "information_meeting": "spotkanie informacyjne",
    "conference": "konferencja",
    "forum": "forum",
    "other": "inne",
}

# SL2014 dictionaries
SL_SEX = {Sex.FEMALE: "Kobieta", Sex.MALE: "Mężczyzna"}
SL_EDUCATION = {
    Education.BELOW_PRIMARY: "niższe niż podstawowe (ISCED 0)",
    Education.PRIMARY: "podstawowe (ISCED 1)",
    Education.LOWER_SECONDARY: "gimnazjalne (ISCED 2)",
    Education.UPPER_SECONDARY: "ponadgimnazjalne (ISCED 3)",
    Education.POST_SECONDARY: "policealne (ISCED 4)",
    Education.TERTIARY: "wyższe (ISCED 5-8)",
}
SL_STATUS = {
    LabourStatus.UNEMPLOYED_REGISTERED: "osoba bezrobotna zarejestrowana w ewidencji urzędów pracy",
    LabourStatus.UNEMPLOYED_UNREGISTERED: (
        "osoba bezrobotna niezarejestrowana w ewidencji urzędów pracy"
    ),
    LabourStatus.INACTIVE: "osoba bierna zawodowo",
    LabourStatus.EMPLOYED: "osoba pracująca",
}
# Lider's codes do not tell government from self-government administration, nor a farmer's
# status, so those go out as "inne" rather than as a guess.
SL_DETAIL = {
    LabourDetail.LONG_TERM_UNEMPLOYED: "osoba długotrwale bezrobotna",
    LabourDetail.IN_EDUCATION: "osoba ucząca się",
    LabourDetail.SELF_EMPLOYED: "osoba prowadząca działalność na własny rachunek",
    LabourDetail.PUBLIC_ADMINISTRATION: "inne",
    LabourDetail.NGO: "osoba pracująca w organizacji pozarządowej",
    LabourDetail.SME: "osoba pracująca w MMŚP",
    LabourDetail.LARGE_ENTERPRISE: "osoba pracująca w dużym przedsiębiorstwie",
    LabourDetail.FARMER: "inne",
    LabourDetail.OTHER: "inne",
}
# SL2014's DEGURBA dictionary. The wording of the three classes is as this code's authors
# know it from SL2014 exports; checked against no official template (see the issue notes).
SL_DEGURBA = {
    "1": "1 – Duże obszary miejskie (o ludności > 50 000 i dużej gęstości zaludnienia)",
    "2": "2 – Małe obszary miejskie (o ludności > 5 000 i średniej gęstości zaludnienia)",
    "3": "3 – Obszary wiejskie (Małe zagęszczenie ludności)",
}
SL_ANSWER = {Answer.YES: "Tak", Answer.NO: "Nie", Answer.REFUSED: "Odmowa podania informacji"}
# The situation when leaving (and four weeks after). domain.md gives no official list: these
# are the ESF common immediate result indicators in the wording of the 2014–2020 monitoring
# guidelines as this code's authors know it, with "inne" and "nie dotyczy" as the published
# SL2014 export routine writes them; confirm against the managing authority's template.
SL_SITUATION = {
    Situation.JOB_SEARCHING: "osoba poszukująca pracy",
    Situation.EDUCATION: "osoba kształcąca się lub szkoląca",
    Situation.QUALIFICATION: "osoba, która uzyskała kwalifikacje",
    Situation.EMPLOYED: "osoba pracująca, łącznie z prowadzącymi działalność na własny rachunek",
    Situation.OTHER: "inne",
    Situation.NOT_APPLICABLE: "nie dotyczy",
}
SL_SUPPORT = {
    "training_cycle": "krajowe szkolenie/kurs",
    "group_advisory": "doradztwo/konsultacje",
    "information_meeting": "inne",
    "conference": "inne",
    "forum": "inne",
    "other": "inne",
}


PEFS2007 = Profile(
    key="pefs2007",
    name="PEFS 2007 (PO KL 2007–2013), uczestnicy indywidualni i instytucje",
    sheet="Uczestnicy indywidualni",
    institution_sheet="Instytucje",
    employee_sheet="Pracownicy instytucji",
    institution_columns=(
        Column("Nazwa instytucji", "name", mandatory=True),
        Column("NIP", "nip"),
        Column("Typ instytucji", "kind", mandatory=True, dictionary=PEFS_INSTITUTION_KIND),
        Column("Ulica", "street"),
        Column("Nr budynku", "house", mandatory=True),
        Column("Nr lokalu", "flat"),
        Column("Miejscowość", "city", mandatory=True),
        Column("Obszar", area_pefs, mandatory=True),
        Column("Kod pocztowy", "postal_code", mandatory=True),
        Column("Województwo", voivodeship, mandatory=True),
        Column("Powiat", "county", mandatory=True),
        Column("Telefon", "phone"),
        Column("Faks", constant("")),
        Column("Adres e-mail", "email"),
        Column("Strona www", "website"),
        Column("Data rozpoczęcia udziału w projekcie", "start", mandatory=True),
        Column("Data zakończenia udziału w projekcie", "end"),
        Column(
            "Czy wsparciem zostali objęci pracownicy instytucji",
            "employees",
            mandatory=True,
            dictionary=YES_NO_BOOL,
        ),
        # Lider does not record a form of support for an institution itself.
        Column("Rodzaj przyznanego wsparcia", constant("")),
    ),
    columns=(
        Column("Imię (imiona)", "first_name", mandatory=True),
        Column("Nazwisko", "last_name", mandatory=True),
        Column("Płeć", "sex", mandatory=True, dictionary=PEFS_SEX),
        Column("Wiek w chwili przystąpienia do projektu", age_at_start, mandatory=True),
        # PEFS 2007 had a "no PESEL" path for foreigners, so an empty PESEL is not a gap.
        Column("PESEL", pesel),
        Column("Wykształcenie", "education", mandatory=True, dictionary=PEFS_EDUCATION),
        Column(
            "Opieka nad dziećmi do lat 7 lub opieka nad osobą zależną",
            "cares",
            mandatory=True,
            dictionary=YES_NO_BOOL,
        ),
        Column("Ulica", "street"),
        Column("Nr domu", "house", mandatory=True),
        Column("Nr lokalu", "flat"),
        Column("Miejscowość", "city", mandatory=True),
        Column("Obszar", area_pefs, mandatory=True),
        Column("Kod pocztowy", "postal_code", mandatory=True),
        Column("Województwo", voivodeship, mandatory=True),
        Column("Powiat", "county", mandatory=True),
        # No "Gmina": the PEFS 2007 form has none (the powiat is its finest unit).
        Column("Telefon stacjonarny", constant("")),
        Column("Telefon komórkowy", "phone"),
        Column("Adres e-mail", "email"),
        Column("Data rozpoczęcia udziału w projekcie", "start", mandatory=True),
        Column("Data zakończenia udziału w projekcie", "end"),
        Column(
            "Status osoby na rynku pracy w chwili przystąpienia do projektu",
            "labour_status",
            mandatory=True,
            dictionary=PEFS_STATUS,
        ),
        # The status sub-type of domain.md §1.1 field 22; its column label is not confirmed
        # by an official template (see the issue notes).
        Column("W tym", "labour_detail", dictionary=PEFS_DETAIL),
        Column(
            "Zakończenie udziału w projekcie zgodnie z zaplanowaną ścieżką uczestnictwa",
            "completed",
            dictionary=YES_NO_BOOL,
        ),
        Column("Rodzaj przyznanego wsparcia", "support", dictionary=PEFS_SUPPORT),
    ),
)


SL2014_TITLE = "Dane uczestników projektów, którzy otrzymują wsparcie w ramach EFS"

# SL2014's institution block: filled on an institution's own row (one per institution taking
# part), empty on a person's row (domain.md §1.2). The type's wording is PEFS 2007's (no
# official SL2014 list is known; see the issue notes). Lider records no form of support for
# an institution itself, so those four cells stay empty.
SL_INSTITUTION_BLOCK = (
    ("Kraj", constant("Polska"), False, None),
    ("Nazwa instytucji", "name", True, None),
    ("NIP", "nip", False, None),
    ("Brak NIP", lambda row, context: "Nie" if row["nip"] else "Tak", False, None),
    ("Typ instytucji", "kind", True, PEFS_INSTITUTION_KIND),
    ("W tym", constant(""), False, None),
    ("Województwo", voivodeship, True, None),
    ("Powiat", "county", True, None),
    ("Gmina", "gmina", True, None),
    ("Miejscowość", "city", True, None),
    ("Ulica", "street", False, None),
    ("Nr budynku", "house", True, None),
    ("Nr lokalu", "flat", False, None),
    ("Kod pocztowy", "postal_code", True, None),
    ("Obszar wg stopnia urbanizacji (DEGURBA)", degurba, True, None),
    ("Telefon kontaktowy", "phone", False, None),
    ("Adres e-mail", "email", False, None),
    ("Data rozpoczęcia udziału w projekcie", "start", True, None),
    ("Data zakończenia udziału w projekcie", "end", False, None),
    (
        "Czy wsparciem zostali objęci pracownicy instytucji",
        "employees",
        True,
        TAK_NIE_BOOL,
    ),
    ("Rodzaj przyznanego wsparcia", constant(""), False, None),
    ("W tym", constant(""), False, None),
    ("Data rozpoczęcia udziału we wsparciu", constant(""), False, None),
    ("Data zakończenia udziału we wsparciu", constant(""), False, None),
)


def _institution_block() -> tuple[Column, ...]:
    """The institution block on a person's row: empty."""
    return tuple(Column(label, constant("")) for label, *_rest in SL_INSTITUTION_BLOCK)


def _institution_row_columns(person_columns: int) -> tuple[Column, ...]:
    """An institution's own row: the project block, the institution block filled (DEGURBA
    with SL2014's labels), the individual block empty."""
    block = tuple(
        Column(
            label,
            source,
            mandatory=mandatory,
            dictionary=SL_DEGURBA if source is degurba else dictionary,
        )
        for label, source, mandatory, dictionary in SL_INSTITUTION_BLOCK
    )
    return (*SL_PROJECT_BLOCK, *block, *(Column("", constant("")),) * person_columns)


def participant_kind(row: dict, context: Context) -> str:
    """An employee of an institution taking part is shown as such, with its name."""
    return "Pracownik lub przedstawiciel instytucji" if row["employer"] else "Indywidualny"


SL_PROJECT_BLOCK = (
    Column("Numer umowy/decyzji/aneksu", from_context("contract_number"), mandatory=True),
    Column("Nazwa beneficjenta", from_context("beneficiary"), mandatory=True),
    Column("Tytuł projektu", from_context("project_title"), mandatory=True),
    Column("Okres realizacji projektu od", from_context("project_start"), mandatory=True),
    Column("Okres realizacji projektu do", from_context("project_end"), mandatory=True),
    Column("Wniosek za okres", from_context("reporting_period")),
)


# The column order of domain.md §1.2 (project block, institution block, individual block),
# one row per participant and form of support.
SL2014 = Profile(
    key="sl2014",
    name="SL2014 – Monitorowanie uczestników projektu (2014–2020)",
    sheet="Uczestnicy",
    title=SL2014_TITLE,
    per_support=True,
    # The institutions taking part, each on its own row after the people (same sheet).
    institution_sheet="Uczestnicy",
    columns=(
        *SL_PROJECT_BLOCK,
        # Institution block
        *_institution_block(),
        # Individual block
        Column("Kraj", constant("Polska")),
        Column("Rodzaj uczestnika", participant_kind),
        Column("Nazwa instytucji", "employer"),
        Column("Imię", "first_name", mandatory=True),
        Column("Nazwisko", "last_name", mandatory=True),
        # Not mandatory: a person without a PESEL (a foreigner) is shown with "Brak PESEL".
        Column("PESEL", pesel),
        Column("Brak PESEL", lambda row, context: "Nie" if row["pesel"] else "Tak"),
        Column("Płeć", "sex", mandatory=True, dictionary=SL_SEX),
        Column("Wiek w chwili przystąpienia do projektu", age_at_start, mandatory=True),
        Column("Wykształcenie", "education", mandatory=True, dictionary=SL_EDUCATION),
        Column("Województwo", voivodeship, mandatory=True),
        Column("Powiat", "county", mandatory=True),
        Column("Gmina", "gmina", mandatory=True),
        Column("Miejscowość", "city", mandatory=True),
        Column("Ulica", "street"),
        Column("Nr budynku", "house", mandatory=True),
        Column("Nr lokalu", "flat"),
        Column("Kod pocztowy", "postal_code", mandatory=True),
        Column(
            "Obszar wg stopnia urbanizacji (DEGURBA)",
            degurba,
            mandatory=True,
            dictionary=SL_DEGURBA,
        ),
        Column("Telefon kontaktowy", "phone"),
        Column("Adres e-mail", "email"),
        Column("Data rozpoczęcia udziału w projekcie", "start", mandatory=True),
        Column("Data zakończenia udziału w projekcie", "end"),
        Column(
            "Status osoby na rynku pracy w chwili przystąpienia do projektu",
            "labour_status",
            mandatory=True,
            dictionary=SL_STATUS,
        ),
        Column("W tym", "labour_detail", dictionary=SL_DETAIL),
        Column("Wykonywany zawód", constant("")),
        Column("Zatrudniony w", constant("")),
        # (1): the situation on the day of leaving, mandatory once the path has ended; (2): the
        # situation four weeks after, when the participant has answered (result data are owed
        # up to four weeks after leaving, domain.md §1.2).
        Column(
            "Sytuacja (1) osoby w momencie zakończenia udziału w projekcie",
            "exit_situation",
            dictionary=SL_SITUATION,
            required_if=ended,
        ),
        Column(
            "Sytuacja (2) osoby w momencie zakończenia udziału w projekcie",
            "later_situation",
            dictionary=SL_SITUATION,
        ),
        Column("Inne rezultaty dotyczące osób młodych (dotyczy IZM)", constant("")),
        Column(
            "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką "
            "uczestnictwa",
            "completed",
            dictionary=TAK_NIE_BOOL,
            required_if=ended,
        ),
        Column("Rodzaj przyznanego wsparcia", "support", mandatory=True, dictionary=SL_SUPPORT),
        Column("W tym", constant("")),
        Column("Data rozpoczęcia udziału we wsparciu", "support_start", mandatory=True),
        Column("Data zakończenia udziału we wsparciu", support_end, required_if=ended),
        Column("Data założenia działalności gospodarczej", constant("")),
        Column("Kwota środków przyznanych na założenie działalności gospodarczej", constant("")),
        Column("PKD założonej działalności gospodarczej", constant("")),
        Column(
            "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego "
            "pochodzenia",
            "minority",
            mandatory=True,
            dictionary=SL_ANSWER,
            special=True,
        ),
        Column(
            "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań",
            "homeless",
            mandatory=True,
            dictionary=SL_ANSWER,
            special=True,
        ),
        Column(
            "Osoba z niepełnosprawnościami",
            "disability",
            mandatory=True,
            dictionary=SL_ANSWER,
            special=True,
        ),
        Column(
            "Osoba w innej niekorzystnej sytuacji społecznej",
            "disadvantage",
            mandatory=True,
            dictionary=SL_ANSWER,
            special=True,
        ),
        Column(
            "Planowana data zakończenia edukacji w placówce edukacyjnej, w której skorzystano "
            "ze wsparcia",
            constant(""),
        ),
    ),
)

# An institution's row is as wide as a person's: its individual block stays empty.
SL2014 = replace(
    SL2014,
    institution_columns=_institution_row_columns(
        len(SL2014.columns) - len(SL_PROJECT_BLOCK) - len(SL_INSTITUTION_BLOCK)
    ),
)

# CST2021 / SM EFS (2021–2027): the 43 columns of the import file domain.md §1.3 gives from
# third-party code (no official template is known); one row per participant and form of
# support; dates yyyy-mm-dd. Values Lider does not keep (citizenship, foreign origin and
# third-country citizenship apart from minority, who added the record in SM EFS) stay empty
# rather than guessed.
CST_EDUCATION = {
    Education.BELOW_PRIMARY: "Niższe niż podstawowe (ISCED 0)",
    Education.PRIMARY: "Podstawowe (ISCED 1) lub gimnazjalne (ISCED 2)",
    Education.LOWER_SECONDARY: "Podstawowe (ISCED 1) lub gimnazjalne (ISCED 2)",
    Education.UPPER_SECONDARY: "Ponadgimnazjalne (ISCED 3) lub policealne (ISCED 4)",
    Education.POST_SECONDARY: "Ponadgimnazjalne (ISCED 3) lub policealne (ISCED 4)",
    Education.TERTIARY: "Wyższe (ISCED 5–8)",
}
CST_STATUS = {
    LabourStatus.UNEMPLOYED_REGISTERED: "Osoba bezrobotna",
    LabourStatus.UNEMPLOYED_UNREGISTERED: "Osoba bezrobotna",
    LabourStatus.INACTIVE: "Osoba bierna zawodowo",
    LabourStatus.EMPLOYED: "Osoba pracująca",
}
CST_FLAG = {Answer.YES: "Tak", Answer.NO: "Nie"}


def cst_notes(row: dict, context: Context) -> str:
    """'Uwagi': the situation four weeks after leaving (the file has one situation column,
    the one at exit), and whether PESEL numbers are masked (CSV has no other sheet)."""
    notes = []
    if row["later_situation"] in SL_SITUATION:
        notes.append(
            "Sytuacja 4 tygodnie po zakończeniu udziału: " + SL_SITUATION[row["later_situation"]]
        )
    if not context.full_sensitive:
        notes.append("PESEL zamaskowany (tylko data urodzenia)")
    return "; ".join(notes)


CST2021 = Profile(
    key="cst2021",
    name="CST2021 – SM EFS (2021–2027), uczestnicy (CSV)",
    sheet="Uczestnicy",
    per_support=True,
    file_format="csv",
    columns=(
        Column("Numer projektu", from_context("contract_number"), mandatory=True),
        Column("Obywatelstwo", constant("")),
        Column("Rodzaj uczestnika", participant_kind),
        Column("Nazwa instytucji", "employer"),
        Column("Imię", "first_name", mandatory=True),
        Column("Nazwisko", "last_name", mandatory=True),
        Column("PESEL/Inny identyfikator", pesel),
        Column("brak PESEL", lambda row, context: "Nie" if row["pesel"] else "Tak"),
        Column("Techniczny identyfikator uczestnika", constant("")),
        Column("Płeć", "sex", mandatory=True, dictionary=SL_SEX),
        Column("Wiek w chwili przystąpienia do projektu", age_at_start, mandatory=True),
        Column("Wykształcenie", "education", mandatory=True, dictionary=CST_EDUCATION),
        Column("Kraj", constant("Polska")),
        Column("Województwo", voivodeship, mandatory=True),
        Column("Powiat", "county", mandatory=True),
        Column("Gmina", "gmina", mandatory=True),
        Column("Miejscowość", "city", mandatory=True),
        Column("Kod pocztowy", "postal_code", mandatory=True),
        Column(
            "Obszar według stopnia urbanizacji (DEGURBA)",
            degurba,
            mandatory=True,
            dictionary=SL_DEGURBA,
        ),
        Column("Telefon kontaktowy", "phone"),
        Column("Adres e-mail", "email"),
        Column("Data rozpoczęcia udziału w projekcie", "start", mandatory=True),
        Column("Data zakończenia udziału w projekcie", "end"),
        Column(
            "Status osoby na rynku pracy w chwili przystąpienia do projektu",
            "labour_status",
            mandatory=True,
            dictionary=CST_STATUS,
        ),
        Column("w tym", constant("")),
        Column("Planowana data zakończenia edukacji", constant("")),
        Column(
            "Sytuacja osoby w momencie zakończenia udziału w projekcie",
            "exit_situation",
            dictionary=SL_SITUATION,
            required_if=ended,
        ),
        Column(
            "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką "
            "uczestnictwa",
            "completed",
            dictionary=TAK_NIE_BOOL,
            required_if=ended,
        ),
        Column("Zakres wsparcia", constant("")),
        Column("Rodzaj przyznanego wsparcia", "support", mandatory=True, dictionary=SL_SUPPORT),
        Column("w tym", constant("")),
        Column("Data rozpoczęcia udziału we wsparciu", "support_start", mandatory=True),
        Column("Data założenia działalności gospodarczej", constant("")),
        Column("Osoba obcego pochodzenia", constant("")),
        Column("Obywatel państwa trzeciego", constant("")),
        Column(
            "Osoba należąca do mniejszości narodowej lub etnicznej (w tym społeczności "
            "marginalizowane)",
            constant(""),
        ),
        Column(
            "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań",
            "homeless",
            mandatory=True,
            dictionary=CST_FLAG,
            special=True,
        ),
        Column(
            "Osoba z niepełnosprawnościami",
            "disability",
            mandatory=True,
            dictionary=CST_FLAG,
            special=True,
        ),
        Column("Data dodania", constant("")),
        Column("Użytkownik, który dodał uczestnika", constant("")),
        Column("Data modyfikacji", constant("")),
        Column("Użytkownik modyfikujący", constant("")),
        Column("Uwagi", cst_notes),
    ),
)

PROFILES = {profile.key: profile for profile in (PEFS2007, SL2014, CST2021)}
