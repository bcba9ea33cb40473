"""PEFS 2007 (PO KL 2007–2013): the individual part (fields 1–24 of domain.md §1.1), the
institutional part and the employees of supported institutions, with PEFS's dictionaries.
"""

from lider.people.models import Education, LabourDetail, LabourStatus, Sex
from lider.reporting.exports.columns import (
    YES_NO_BOOL,
    Column,
    Profile,
    age_at_start,
    area_pefs,
    constant,
    pesel,
    voivodeship,
)

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
