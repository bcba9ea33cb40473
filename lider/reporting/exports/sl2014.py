"""SL2014 ("Dane uczestników projektów, którzy otrzymują wsparcie w ramach EFS"): project,
institution and person blocks in the order of domain.md §1.2, with SL2014's dictionaries.
"""

from dataclasses import replace

from lider.people.models import Answer, Education, LabourDetail, LabourStatus, Sex, Situation
from lider.reporting.exports.columns import (
    TAK_NIE_BOOL,
    Column,
    Context,
    Profile,
    age_at_start,
    constant,
    degurba,
    ended,
    from_context,
    pesel,
    support_end,
    voivodeship,
)
from lider.reporting.exports.pefs2007 import PEFS_INSTITUTION_KIND

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
