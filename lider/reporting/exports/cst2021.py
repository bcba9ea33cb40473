"""CST2021 / SM EFS (2021–2027): the CSV import file of domain.md §1.3."""

from dataclasses import replace

from lider.people.models import Answer, Education, LabourStatus
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
    voivodeship,
)
from lider.reporting.exports.pefs2007 import PEFS_INSTITUTION_KIND
from lider.reporting.exports.sl2014 import (
    SL_DEGURBA,
    SL_SEX,
    SL_SITUATION,
    SL_SUPPORT,
    participant_kind,
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


# The institutions taking part, each on a row of its own after the people's, in the same 43
# columns. domain.md gives no institution part for SM EFS, so the SL2014 institution block is
# followed (its mandatory values, PEFS 2007's type wording): a value the file has a column
# for goes there, NIP is the institution's "Inny identyfikator", and the type and whether its
# employees were supported (no column of their own) are written in "Uwagi". An institution
# attends nothing itself, so its form-of-support cells stay empty, as in SL2014. A gap's
# label names the SL2014 value it stands for, for the check report.
INSTITUTION_KIND = "Instytucja"


def institution_notes(row: dict, context: Context) -> str | None:
    kind = PEFS_INSTITUTION_KIND.get(row["kind"])
    if kind is None:
        return None  # no type, or one outside the dictionary: the check report lists it
    employees = TAK_NIE_BOOL[bool(row["employees"])]
    return (
        f"Typ instytucji: {kind}; Czy wsparciem zostali objęci pracownicy instytucji: {employees}"
    )


INSTITUTION_CELLS = {
    "Numer projektu": Column("Numer projektu", from_context("contract_number"), mandatory=True),
    "Rodzaj uczestnika": Column("Rodzaj uczestnika", constant(INSTITUTION_KIND)),
    "Nazwa instytucji": Column("Nazwa instytucji", "name", mandatory=True),
    "PESEL/Inny identyfikator": Column("PESEL/Inny identyfikator (NIP)", "nip"),
    "brak PESEL": Column(
        "brak PESEL (Brak NIP)", lambda row, context: "Nie" if row["nip"] else "Tak"
    ),
    "Kraj": Column("Kraj", constant("Polska")),
    "Województwo": Column("Województwo", voivodeship, mandatory=True),
    "Powiat": Column("Powiat", "county", mandatory=True),
    "Gmina": Column("Gmina", "gmina", mandatory=True),
    "Miejscowość": Column("Miejscowość", "city", mandatory=True),
    "Kod pocztowy": Column("Kod pocztowy", "postal_code", mandatory=True),
    "Obszar według stopnia urbanizacji (DEGURBA)": Column(
        "Obszar według stopnia urbanizacji (DEGURBA)",
        degurba,
        mandatory=True,
        dictionary=SL_DEGURBA,
    ),
    "Telefon kontaktowy": Column("Telefon kontaktowy", "phone"),
    "Adres e-mail": Column("Adres e-mail", "email"),
    "Data rozpoczęcia udziału w projekcie": Column(
        "Data rozpoczęcia udziału w projekcie", "start", mandatory=True
    ),
    "Data zakończenia udziału w projekcie": Column("Data zakończenia udziału w projekcie", "end"),
    "Uwagi": Column(
        "Uwagi (Typ instytucji; Czy wsparciem zostali objęci pracownicy instytucji)",
        institution_notes,
        mandatory=True,
    ),
}

CST2021 = replace(
    CST2021,
    institution_sheet=CST2021.sheet,  # the same file, after the people
    institution_columns=tuple(
        INSTITUTION_CELLS.get(column.label, Column(column.label, constant("")))
        for column in CST2021.columns
    ),
)
