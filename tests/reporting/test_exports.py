import datetime
import io

import pytest
from python_calamine import CalamineWorkbook

from lider.core.models import AuditEntry
from lider.people.models import Participant, Person
from lider.people.situations import record_situations
from lider.reporting.exports import monitoring
from lider.reporting.exports.profiles import PEFS2007, SL2014
from tests.factories import UserFactory
from tests.reporting.builders import build

pytestmark = pytest.mark.django_db


def complete(world):
    world.project.__class__.objects.filter(pk=world.project.pk).update(
        contract_number="UDA-POKL.07.02.02-24-001/09-00"
    )
    world.project.refresh_from_db()
    for p in world.participants:
        Person.objects.filter(pk=p.person_id).update(
            education="isced3",
            labour_status="unemployed_registered",
            labour_detail="long_term_unemployed",
            cares_for_dependants=False,
            house_number="5",
            city="Dąbrowa Zielona",
            postal_code="42-265",
            disability="no",
            minority_or_migrant="refused",
            homeless="no",
            other_disadvantage="yes",
        )


def read(content: bytes):
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return [book.get_sheet_by_index(i).to_python() for i in range(len(book.sheet_names))]


def export(world, profile, *, full_sensitive=True, about=False):
    """The result, and the data and check sheets (and the sheet about the file if asked)."""
    buffer = io.BytesIO()
    actor = UserFactory()
    result = monitoring.export_participants(
        world.project, profile, actor=actor, full_sensitive=full_sensitive, target=buffer
    )
    sheets = read(buffer.getvalue())
    # data, check, about (and PEFS's institutional part after them)
    assert len(sheets) == (5 if profile == "pefs2007" else 3)
    return result, sheets if about else sheets[:2]


# The SL2014 layout as domain.md §1.2 gives it: project block, institution block, individual
# block (one row per participant and form of support).
SL2014_PROJECT = [
    "Numer umowy/decyzji/aneksu",
    "Nazwa beneficjenta",
    "Tytuł projektu",
    "Okres realizacji projektu od",
    "Okres realizacji projektu do",
    "Wniosek za okres",
]
SL2014_INSTITUTION = [
    "Kraj",
    "Nazwa instytucji",
    "NIP",
    "Brak NIP",
    "Typ instytucji",
    "W tym",
    "Województwo",
    "Powiat",
    "Gmina",
    "Miejscowość",
    "Ulica",
    "Nr budynku",
    "Nr lokalu",
    "Kod pocztowy",
    "Obszar wg stopnia urbanizacji (DEGURBA)",
    "Telefon kontaktowy",
    "Adres e-mail",
    "Data rozpoczęcia udziału w projekcie",
    "Data zakończenia udziału w projekcie",
    "Czy wsparciem zostali objęci pracownicy instytucji",
    "Rodzaj przyznanego wsparcia",
    "W tym",
    "Data rozpoczęcia udziału we wsparciu",
    "Data zakończenia udziału we wsparciu",
]
SL2014_PERSON = [
    "Kraj",
    "Rodzaj uczestnika",
    "Nazwa instytucji",
    "Imię",
    "Nazwisko",
    "PESEL",
    "Brak PESEL",
    "Płeć",
    "Wiek w chwili przystąpienia do projektu",
    "Wykształcenie",
    "Województwo",
    "Powiat",
    "Gmina",
    "Miejscowość",
    "Ulica",
    "Nr budynku",
    "Nr lokalu",
    "Kod pocztowy",
    "Obszar wg stopnia urbanizacji (DEGURBA)",
    "Telefon kontaktowy",
    "Adres e-mail",
    "Data rozpoczęcia udziału w projekcie",
    "Data zakończenia udziału w projekcie",
    "Status osoby na rynku pracy w chwili przystąpienia do projektu",
    "W tym",
    "Wykonywany zawód",
    "Zatrudniony w",
    "Sytuacja (1) osoby w momencie zakończenia udziału w projekcie",
    "Sytuacja (2) osoby w momencie zakończenia udziału w projekcie",
    "Inne rezultaty dotyczące osób młodych (dotyczy IZM)",
    "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką uczestnictwa",
    "Rodzaj przyznanego wsparcia",
    "W tym",
    "Data rozpoczęcia udziału we wsparciu",
    "Data zakończenia udziału we wsparciu",
    "Data założenia działalności gospodarczej",
    "Kwota środków przyznanych na założenie działalności gospodarczej",
    "PKD założonej działalności gospodarczej",
    "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego pochodzenia",
    "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań",
    "Osoba z niepełnosprawnościami",
    "Osoba w innej niekorzystnej sytuacji społecznej",
    "Planowana data zakończenia edukacji w placówce edukacyjnej, w której skorzystano ze wsparcia",
]
SL2014_HEADER = SL2014_PROJECT + SL2014_INSTITUTION + SL2014_PERSON


def test_sl2014_export_has_official_headers_and_dictionary_labels():
    world = build(women=1, men=1)
    complete(world)
    result, (sheet, check) = export(world, "sl2014")

    assert sheet[0] == SL2014_HEADER
    assert [column.label for column in SL2014.columns] == SL2014_HEADER
    assert result.exported == 2
    assert result.incomplete == []
    header = sheet[0]
    row = dict(zip(header, sheet[1], strict=False))
    person = world.participants[0].person
    assert row["PESEL"] == person.pesel
    assert row["Płeć"] == "Kobieta"
    assert row["Wykształcenie"] == "ponadgimnazjalne (ISCED 3)"
    assert row["Status osoby na rynku pracy w chwili przystąpienia do projektu"] == (
        "osoba bezrobotna zarejestrowana w ewidencji urzędów pracy"
    )
    status = header.index("Status osoby na rynku pracy w chwili przystąpienia do projektu")
    assert sheet[1][status + 1] == "osoba długotrwale bezrobotna"
    # The institution block is empty for an individual participant.
    assert sheet[1][6:30] == [""] * 24
    assert row["Województwo"] == "śląskie"
    assert row["Powiat"] == "częstochowski"
    assert (
        row[
            "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego "
            "pochodzenia"
        ]
        == "Odmowa podania informacji"
    )
    assert row["Data rozpoczęcia udziału w projekcie"] == datetime.date(2010, 3, 1)
    assert row["Wiek w chwili przystąpienia do projektu"] == 30.0
    assert row["Rodzaj przyznanego wsparcia"] == "krajowe szkolenie/kurs"
    assert row["Numer umowy/decyzji/aneksu"] == "UDA-POKL.07.02.02-24-001/09-00"
    assert check == [
        ["Identyfikator uczestnika", "Imię i nazwisko", "Brakujące dane obowiązkowe", "Kolumny"]
    ]


def test_pefs_export_masks_pesel_without_permission_and_is_audited():
    world = build(women=1, men=0)
    complete(world)
    result, (sheet, _check) = export(world, "pefs2007", full_sensitive=False)

    assert sheet[0] == [column.label for column in PEFS2007.columns]
    row = dict(zip(sheet[0], sheet[1], strict=True))
    pesel = world.participants[0].person.pesel
    assert row["PESEL"] == pesel[:6] + "*****"
    assert row["Płeć"] == "K"
    assert row["Wykształcenie"] == "ponadgimnazjalne"
    assert row["Obszar"] == "wiejski"
    assert row["Opieka nad dziećmi do lat 7 lub opieka nad osobą zależną"] == "NIE"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.project_id == world.project.pk
    assert entry.note == (
        "%(profile)s: %(rows)s rows, %(incomplete)s incomplete, PESEL and special categories masked"
    )
    assert entry.note_values == {
        "profile": "PEFS 2007 (PO KL 2007–2013), uczestnicy indywidualni i instytucje",
        "rows": 1,
        "incomplete": 0,
    }
    assert entry.note_text == (
        "PEFS 2007 (PO KL 2007–2013), uczestnicy indywidualni i instytucje: wierszy: 1, "
        "niekompletnych: 0, "
        "PESEL i dane szczególnych kategorii zamaskowane"
    )


def test_incomplete_rows_go_to_the_check_report_not_the_export():
    world = build(women=2, men=1)
    complete(world)
    Person.objects.filter(pk=world.participants[1].person_id).update(education="", city="")
    result, (sheet, check) = export(world, "sl2014")

    assert result.exported == 2
    assert len(sheet) == 3
    assert [r[0] for r in check[1:]] == [float(world.participants[1].pk)]
    assert check[1][2] == "Wykształcenie; Miejscowość"
    assert check[1][3] == "AN; AR"  # the individual block's columns, as a spreadsheet names them
    listed = monitoring.incomplete_participants(world.project, "sl2014")
    assert [(i, gaps) for i, _name, gaps in listed] == [
        (world.participants[1].pk, ["Wykształcenie", "Miejscowość"])
    ]


def test_text_that_looks_like_a_formula_stays_text():
    world = build(women=1, men=0)
    complete(world)
    Person.objects.filter(pk=world.participants[0].person_id).update(first_name="=1+1")
    _result, (sheet, _check) = export(world, "sl2014")
    assert sheet[1][sheet[0].index("Imię")] == "=1+1"


SPECIAL_COLUMNS = [
    "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego pochodzenia",
    "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań",
    "Osoba z niepełnosprawnościami",
    "Osoba w innej niekorzystnej sytuacji społecznej",
]


def test_sl2014_masks_special_categories_without_permission():
    world = build(women=2, men=0)
    complete(world)
    Person.objects.filter(pk=world.participants[1].person_id).update(homeless="")
    result, (sheet, check) = export(world, "sl2014", full_sensitive=False)

    row = dict(zip(sheet[0], sheet[1], strict=True))
    assert [row[column] for column in SPECIAL_COLUMNS] == ["(ukryte)"] * 4
    # Masking keeps the check of mandatory data: an unanswered question is still a gap.
    assert result.exported == 1
    assert check[1][2] == "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań"
    assert AuditEntry.objects.get().note_text.endswith(
        "PESEL i dane szczególnych kategorii zamaskowane"
    )


def test_sl2014_gives_special_categories_whole_with_permission():
    world = build(women=1, men=0)
    complete(world)
    _result, (sheet, _check) = export(world, "sl2014", full_sensitive=True)

    row = dict(zip(sheet[0], sheet[1], strict=True))
    assert [row[column] for column in SPECIAL_COLUMNS] == [
        "Odmowa podania informacji",
        "Nie",
        "Nie",
        "Tak",
    ]


def _row_of(sheet, n):
    """Row n as a dict keyed by the individual block's labels (the institution block, whose
    labels repeat, left out)."""
    return dict(zip(SL2014_PERSON, sheet[n][30:], strict=True))


def test_sl2014_rows_per_form_of_support_filled_from_the_path():
    world = build(women=1, men=1)
    complete(world)
    from lider.delivery.models import Attendance, Enrolment, Group, Session
    from lider.people import paths
    from lider.projects.models import Task

    advisory = Task.objects.create(
        project=world.project, kind=Task.Kind.GROUP_ADVISORY, title="Doradztwo"
    )
    group = Group.objects.create(task=advisory, name="Doradcza", county=world.counties["2404"])
    day = Session.objects.create(
        task=advisory,
        group=group,
        title="Doradztwo 1",
        date=datetime.date(2010, 6, 1),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        venue=world.sessions[0].venue,
    )
    first, second = world.participants
    Enrolment.objects.create(task=advisory, group=group, participant=first, status="completed")
    Attendance.objects.create(session=day, participant=first, status="present")
    Enrolment.objects.create(
        task=advisory,
        group=group,
        participant=second,
        status="dropped",
        dropped_on=datetime.date(2010, 5, 20),
    )
    # Someone who came to the forum only is not a participant.
    from tests.reporting.builders import person

    forum_only = Participant.objects.create(
        project=world.project, person=person(9, "K", first.person.gmina)
    )
    Attendance.objects.create(
        session=world.forum.sessions.first(), participant=forum_only, status="present"
    )
    Participant.objects.filter(project=world.project).update(start_date=None)
    paths.refresh(world.project, actor=None)

    # Ended without a situation at exit: flagged in the check report by its column, left out.
    result, (sheet, check, about) = export(world, "sl2014", full_sensitive=False, about=True)
    situation_1 = "Sytuacja (1) osoby w momencie zakończenia udziału w projekcie"
    assert {problems[0] for _id, _name, problems in result.incomplete} == {situation_1}
    assert result.exported == 0
    assert check[1][3] == "BF"
    first.refresh_from_db()
    second.refresh_from_db()
    record_situations(
        first,
        exit_situation="employed",
        later_situation="qualification",
        source="office",
        actor=None,
    )
    record_situations(second, exit_situation="job_searching", source="office", actor=None)

    result, (sheet, check, about) = export(world, "sl2014", full_sensitive=False, about=True)
    assert result.incomplete == []
    # First: training and advisory; second: training only (never came to advisory).
    assert result.exported == 3
    rows = [_row_of(sheet, n) for n in range(1, 4)]
    by_person = {}
    for row in rows:
        by_person.setdefault(row["Nazwisko"], []).append(row)
    assert forum_only.person.last_name not in by_person
    a, b = by_person[first.person.last_name], by_person[second.person.last_name]
    assert [r["Rodzaj przyznanego wsparcia"] for r in a] == [
        "krajowe szkolenie/kurs",
        "doradztwo/konsultacje",
    ]
    # First: started on the first training day, ended on the advisory day, completed.
    assert {r["Data rozpoczęcia udziału w projekcie"] for r in a} == {datetime.date(2010, 3, 1)}
    assert {r["Data zakończenia udziału w projekcie"] for r in a} == {datetime.date(2010, 6, 1)}
    assert [r["Data rozpoczęcia udziału we wsparciu"] for r in a] == [
        datetime.date(2010, 3, 1),
        datetime.date(2010, 6, 1),
    ]
    assert [r["Data zakończenia udziału we wsparciu"] for r in a] == [
        datetime.date(2010, 3, 31),
        datetime.date(2010, 6, 1),
    ]
    key = (
        "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką uczestnictwa"
    )
    assert {r[key] for r in a} == {"Tak"}
    # Second dropped out of advisory before it began: ended that day, not as planned.
    assert {r[key] for r in b} == {"Nie"}
    # The situation at exit in (1), four weeks after in (2), in SL2014's words.
    situation_2 = "Sytuacja (2) osoby w momencie zakończenia udziału w projekcie"
    assert {(r[situation_1], r[situation_2]) for r in a} == {
        (
            "osoba pracująca, łącznie z prowadzącymi działalność na własny rachunek",
            "osoba, która uzyskała kwalifikacje",
        )
    }
    assert {(r[situation_1], r[situation_2]) for r in b} == {("osoba poszukująca pracy", "")}
    assert {r["Data zakończenia udziału w projekcie"] for r in b} == {datetime.date(2010, 5, 20)}
    assert [r["Rodzaj przyznanego wsparcia"] for r in b] == ["krajowe szkolenie/kurs"]
    # Age on the start day; DEGURBA of the person's gmina from the bundled editions.
    born = first.person.birth_date
    assert a[0]["Wiek w chwili przystąpienia do projektu"] == float(
        2010 - born.year - ((born.month, born.day) > (3, 1))
    )
    assert a[0]["Obszar wg stopnia urbanizacji (DEGURBA)"].startswith(("1 – ", "2 – ", "3 – "))
    assert about[0] == ["Dane uczestników projektów, którzy otrzymują wsparcie w ramach EFS"]
    assert any("PESEL są zamaskowane" in line[0] for line in about)
    assert any(line[0].startswith("DEGURBA: klasyfikacja Eurostatu, wydanie") for line in about)


def test_sl2014_check_names_values_not_in_the_dictionary_and_unclassified_gminas():
    world = build(women=1, men=1)
    complete(world)
    from lider.territory.models import Urbanisation
    from lider.territory.urbanisation import key_of_unit

    Person.objects.filter(pk=world.participants[0].person_id).update(education="isced9")
    gmina = world.participants[1].person.gmina
    Urbanisation.objects.filter(gmina_code=key_of_unit(gmina.code, gmina.gmina_type)).delete()
    result, (sheet, check) = export(world, "sl2014")
    assert result.exported == 0
    problems = {row[0]: (row[2], row[3]) for row in check[1:]}
    assert problems[float(world.participants[0].pk)] == (
        "Wykształcenie: wartość spoza słownika (isced9)",
        "AN",
    )
    assert problems[float(world.participants[1].pk)] == (
        f"Obszar wg stopnia urbanizacji (DEGURBA): gmina {gmina.name} nie ma klasy w tabeli "
        "DEGURBA",
        "AW",
    )


def test_sl2014_demo_has_no_empty_mandatory_cell(demo_project):
    listed = monitoring.incomplete_participants(demo_project, "sl2014")
    assert listed == []
    buffer = io.BytesIO()
    result = monitoring.export_participants(
        demo_project, "sl2014", actor=None, full_sensitive=True, target=buffer
    )
    # 99 trainees in training and advisory, the one who dropped out in training only.
    assert result.exported == 199
    sheet, rows = read(buffer.getvalue())[0], None
    rows, institution_rows = sheet[1:200], sheet[200:]
    people = {tuple(row[33:35]) for row in rows}
    assert len(people) == 100
    # Then the institutions taking part, each on its own row: institution block filled,
    # individual block empty.
    institutions = Participant.objects.filter(project=demo_project, institution__isnull=False)
    assert result.institutions == len(institution_rows) == institutions.count() > 0
    assert sorted(row[7] for row in institution_rows) == sorted(
        institutions.values_list("institution__name", flat=True)
    )
    assert all(row[30:] == [""] * 43 for row in institution_rows)
    sheet = [None, *rows]
    completed = SL2014_HEADER.index(
        "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką uczestnictwa",
        30,
    )
    by_person = {tuple(row[33:35]): row[completed] for row in sheet[1:]}
    assert sorted(by_person.values()).count("Tak") == 99
    assert sorted(by_person.values()).count("Nie") == 1


# PEFS 2007, individual participants (domain.md §1.1, fields 1–24): no gmina; the status
# sub-type after the status.
PEFS2007_HEADER = [
    "Imię (imiona)",
    "Nazwisko",
    "Płeć",
    "Wiek w chwili przystąpienia do projektu",
    "PESEL",
    "Wykształcenie",
    "Opieka nad dziećmi do lat 7 lub opieka nad osobą zależną",
    "Ulica",
    "Nr domu",
    "Nr lokalu",
    "Miejscowość",
    "Obszar",
    "Kod pocztowy",
    "Województwo",
    "Powiat",
    "Telefon stacjonarny",
    "Telefon komórkowy",
    "Adres e-mail",
    "Data rozpoczęcia udziału w projekcie",
    "Data zakończenia udziału w projekcie",
    "Status osoby na rynku pracy w chwili przystąpienia do projektu",
    "W tym",
    "Zakończenie udziału w projekcie zgodnie z zaplanowaną ścieżką uczestnictwa",
    "Rodzaj przyznanego wsparcia",
]


def test_pefs_header_has_no_gmina_and_fills_the_status_subtype():
    world = build(women=1, men=0)
    complete(world)
    Participant.objects.filter(project=world.project).update(start_date=None)
    from lider.people import paths

    paths.refresh(world.project, actor=None)
    _result, (sheet, _check) = export(world, "pefs2007")
    assert sheet[0] == PEFS2007_HEADER
    row = dict(zip(sheet[0], sheet[1], strict=True))
    assert row["W tym"] == "długotrwale bezrobotny"
    assert row["Data zakończenia udziału w projekcie"] == datetime.date(2010, 3, 31)
    assert row["Zakończenie udziału w projekcie zgodnie z zaplanowaną ścieżką uczestnictwa"] == (
        "TAK"
    )


PEFS2007_INSTITUTION_HEADER = [
    "Nazwa instytucji",
    "NIP",
    "Typ instytucji",
    "Ulica",
    "Nr budynku",
    "Nr lokalu",
    "Miejscowość",
    "Obszar",
    "Kod pocztowy",
    "Województwo",
    "Powiat",
    "Telefon",
    "Faks",
    "Adres e-mail",
    "Strona www",
    "Data rozpoczęcia udziału w projekcie",
    "Data zakończenia udziału w projekcie",
    "Czy wsparciem zostali objęci pracownicy instytucji",
    "Rodzaj przyznanego wsparcia",
]


def test_pefs_institutional_part_with_employees_supported():
    from lider.people.models import InstitutionMember
    from tests.factories import InstitutionFactory

    world = build(women=1, men=0)
    complete(world)
    gmina = world.participants[0].person.gmina
    supported = InstitutionFactory(
        name="Spółdzielnia Socjalna A",
        kind="social_economy",
        gmina=gmina,
        house_number="1",
        city="Myszków",
        postal_code="42-300",
    )
    other = InstitutionFactory(
        name="Stowarzyszenie B",
        kind="ngo",
        gmina=gmina,
        house_number="2",
        city="Myszków",
        postal_code="42-300",
    )
    incomplete = InstitutionFactory(name="Fundacja C", kind="ngo", gmina=gmina)
    for institution in (supported, other, incomplete):
        Participant.objects.create(
            project=world.project, institution=institution, start_date=datetime.date(2010, 2, 1)
        )
    InstitutionMember.objects.create(
        institution=supported, person=world.participants[0].person, relation="employee"
    )
    result, (sheet, check, _about, part, _employees) = export(world, "pefs2007", about=True)
    assert part[0] == PEFS2007_INSTITUTION_HEADER
    rows = {row[0]: dict(zip(part[0], row, strict=True)) for row in part[1:]}
    assert set(rows) == {"Spółdzielnia Socjalna A", "Stowarzyszenie B"}
    assert rows["Spółdzielnia Socjalna A"]["Typ instytucji"] == "podmiot ekonomii społecznej"
    assert (
        rows["Spółdzielnia Socjalna A"]["Czy wsparciem zostali objęci pracownicy instytucji"]
        == "TAK"
    )
    assert rows["Stowarzyszenie B"]["Czy wsparciem zostali objęci pracownicy instytucji"] == "NIE"
    assert result.institutions == 2
    assert check[1][1] == "Fundacja C"
    assert check[1][2] == "Nr budynku; Miejscowość; Kod pocztowy"
    assert check[1][3] == "Instytucje!E; Instytucje!G; Instytucje!I"


def test_pefs_demo_has_no_empty_mandatory_cell(demo_project):
    assert monitoring.incomplete_participants(demo_project, "pefs2007") == []
    buffer = io.BytesIO()
    result = monitoring.export_participants(
        demo_project, "pefs2007", actor=None, full_sensitive=True, target=buffer
    )
    assert (result.exported, result.institutions) == (100, 30)


# CST2021 / SM EFS import file (domain.md §1.3): 43 columns.
CST2021_HEADER = [
    "Numer projektu",
    "Obywatelstwo",
    "Rodzaj uczestnika",
    "Nazwa instytucji",
    "Imię",
    "Nazwisko",
    "PESEL/Inny identyfikator",
    "brak PESEL",
    "Techniczny identyfikator uczestnika",
    "Płeć",
    "Wiek w chwili przystąpienia do projektu",
    "Wykształcenie",
    "Kraj",
    "Województwo",
    "Powiat",
    "Gmina",
    "Miejscowość",
    "Kod pocztowy",
    "Obszar według stopnia urbanizacji (DEGURBA)",
    "Telefon kontaktowy",
    "Adres e-mail",
    "Data rozpoczęcia udziału w projekcie",
    "Data zakończenia udziału w projekcie",
    "Status osoby na rynku pracy w chwili przystąpienia do projektu",
    "w tym",
    "Planowana data zakończenia edukacji",
    "Sytuacja osoby w momencie zakończenia udziału w projekcie",
    "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką uczestnictwa",
    "Zakres wsparcia",
    "Rodzaj przyznanego wsparcia",
    "w tym",
    "Data rozpoczęcia udziału we wsparciu",
    "Data założenia działalności gospodarczej",
    "Osoba obcego pochodzenia",
    "Obywatel państwa trzeciego",
    "Osoba należąca do mniejszości narodowej lub etnicznej (w tym społeczności marginalizowane)",
    "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań",
    "Osoba z niepełnosprawnościami",
    "Data dodania",
    "Użytkownik, który dodał uczestnika",
    "Data modyfikacji",
    "Użytkownik modyfikujący",
    "Uwagi",
]


def _cst(project, *, full_sensitive):
    import csv

    buffer = io.BytesIO()
    result = monitoring.export_participants(
        project, "cst2021", actor=None, full_sensitive=full_sensitive, target=buffer
    )
    content = buffer.getvalue()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    return result, rows


def test_cst2021_csv_layout_and_masking():
    world = build(women=1, men=0)
    complete(world)
    Participant.objects.filter(project=world.project).update(start_date=None)
    from lider.people import paths

    paths.refresh(world.project, actor=None)
    assert len(CST2021_HEADER) == 43
    situation = "Sytuacja osoby w momencie zakończenia udziału w projekcie"
    result, rows = _cst(world.project, full_sensitive=False)
    assert [problems for _id, _name, problems in result.incomplete] == [[situation]]
    participant = Participant.objects.get(pk=world.participants[0].pk)
    record_situations(
        participant, exit_situation="qualification", later_situation="employed",
        source="office", actor=None,
    )  # fmt: skip
    result, rows = _cst(world.project, full_sensitive=False)
    assert rows[0] == CST2021_HEADER
    assert result.exported == 1
    row = dict(zip(CST2021_HEADER, rows[1], strict=True))
    assert row["Numer projektu"] == "UDA-POKL.07.02.02-24-001/09-00"
    assert row["Płeć"] == "Kobieta"
    assert row["Wykształcenie"] == "Ponadgimnazjalne (ISCED 3) lub policealne (ISCED 4)"
    assert row["Status osoby na rynku pracy w chwili przystąpienia do projektu"] == (
        "Osoba bezrobotna"
    )
    assert row["Data rozpoczęcia udziału w projekcie"] == "2010-03-01"
    assert row["Data zakończenia udziału w projekcie"] == "2010-03-31"
    assert row["Rodzaj przyznanego wsparcia"] == "krajowe szkolenie/kurs"
    pesel = world.participants[0].person.pesel
    assert row["PESEL/Inny identyfikator"] == pesel[:6] + "*****"
    # The situation at exit in its column; four weeks after in "Uwagi" (the file has one).
    assert row[situation] == "osoba, która uzyskała kwalifikacje"
    later = (
        "Sytuacja 4 tygodnie po zakończeniu udziału: osoba pracująca, łącznie z prowadzącymi "
        "działalność na własny rachunek"
    )
    assert row["Uwagi"] == later + "; PESEL zamaskowany (tylko data urodzenia)"
    assert row["Osoba z niepełnosprawnościami"] == "(ukryte)"
    _result, rows = _cst(world.project, full_sensitive=True)
    row = dict(zip(CST2021_HEADER, rows[1], strict=True))
    assert (row["PESEL/Inny identyfikator"], row["Uwagi"]) == (pesel, later)
    assert row["Osoba z niepełnosprawnościami"] == "Nie"


def test_cst2021_demo_refused_answers_are_listed_not_exported(demo_project):
    """CST2021's flags are Tak/Nie only: a refused answer is not in its dictionary."""
    result, rows = _cst(demo_project, full_sensitive=True)
    assert rows[0] == CST2021_HEADER
    assert result.exported + sum(1 for _ in result.incomplete) == 199
    # The demo's institutions supported by partnership activities, after the people.
    assert result.institutions == 30
    assert [row[2] for row in rows[1 + result.exported :]] == ["Instytucja"] * 30
    assert all(
        all(": wartość spoza słownika (refused)" in problem for problem in problems)
        for _id, _name, problems in result.incomplete
    )
