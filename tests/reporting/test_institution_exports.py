"""Institutions as participants in a project created through the back office (no demo): the
SL2014 institution block on each institution's own row, its employees who took part shown as
such, and the PEFS 2007 'Instytucje' sheet; headers compared with the layouts stored in the
tests."""

import datetime

import pytest

from lider.delivery.models import Attendance, Enrolment, Group, Session, Venue
from lider.people import paths, services
from lider.people.models import Institution, Person
from lider.people.situations import record_situations
from lider.projects.models import Project, Task
from lider.reporting.exports import monitoring
from lider.territory.queries import unit_by_code
from tests.factories import InstitutionFactory
from tests.projects.test_create import CREATE, administrator, card_data
from tests.reporting.builders import person
from tests.reporting.test_exports import (
    CST2021_HEADER,
    PEFS2007_HEADER,
    PEFS2007_INSTITUTION_HEADER,
    SL2014_HEADER,
    _cst,
    export,
)

pytestmark = pytest.mark.django_db

D = datetime.date


class World:
    def __init__(self, project):
        self.project = project


def _project_with_an_employee(client):
    administrator(client)
    client.post(CREATE, card_data())
    project = Project.objects.get(slug="es-w-powiecie")
    gmina = unit_by_code("2404022")
    course = Task.objects.create(project=project, kind=Task.Kind.TRAINING_CYCLE, title="Cykl")
    group = Group.objects.create(task=course, name="Grupa", county=unit_by_code("2404"))
    venue = Venue.objects.create(project=project, name="Sala", city="Blachownia", gmina=gmina)
    sessions = [
        Session.objects.create(
            task=course,
            group=group,
            title=f"Zajęcia {n}",
            date=D(2024, 3, 1) + datetime.timedelta(days=7 * n),
            start_time=datetime.time(9),
            end_time=datetime.time(12),
            venue=venue,
        )
        for n in range(2)
    ]
    employee = person(1, "K", gmina)
    Person.objects.filter(pk=employee.pk).update(
        education="isced5",
        labour_status="employed",
        labour_detail="public_administration",
        cares_for_dependants=False,
        house_number="5",
        city="Blachownia",
        postal_code="42-290",
        disability="no",
        minority_or_migrant="no",
        homeless="no",
        other_disadvantage="no",
    )
    participant = services.participant_for(project.pk, person=employee, actor=None)
    Enrolment.objects.create(task=course, group=group, participant=participant, status="completed")
    for session in sessions:
        Attendance.objects.create(session=session, participant=participant, status="present")
    office = InstitutionFactory(
        name="Powiatowy Urząd Pracy",
        kind="labour_market",
        nip="5260250274",
        gmina=gmina,
        house_number="10",
        city="Blachownia",
        postal_code="42-290",
    )
    services.participant_for(project.pk, institution=office, actor=None)
    services.add_member(office, employee, "employee", actor=None)
    # Supported, but none of its staff took part yet: its start is the office's to record.
    waiting = InstitutionFactory(
        name="Ośrodek Pomocy Społecznej",
        kind="social_assistance",
        gmina=gmina,
        house_number="3",
        city="Blachownia",
        postal_code="42-290",
    )
    services.participant_for(project.pk, institution=waiting, actor=None)
    paths.refresh(project, actor=None)
    participant.refresh_from_db()
    record_situations(participant, exit_situation="employed", source="office", actor=None)
    return World(project), participant


def test_sl2014_lists_institutions_with_their_employees(client):
    world, participant = _project_with_an_employee(client)
    result, (sheet, check) = export(world, "sl2014")
    assert sheet[0] == SL2014_HEADER
    assert (result.exported, result.institutions) == (1, 1)
    person_row, institution_row = sheet[1], sheet[2]
    assert person_row[31:33] == [
        "Pracownik lub przedstawiciel instytucji",
        "Powiatowy Urząd Pracy",
    ]
    assert person_row[6:30] == [""] * 24  # a person's row leaves the institution block empty
    block = dict(zip(SL2014_HEADER[6:30], institution_row[6:30], strict=True))
    assert block["Nazwa instytucji"] == "Powiatowy Urząd Pracy"
    assert (block["NIP"], block["Brak NIP"]) == ("5260250274", "Nie")
    assert block["Typ instytucji"] == "instytucja rynku pracy"
    assert block["Gmina"] == "Dąbrowa Zielona"
    assert block["Obszar wg stopnia urbanizacji (DEGURBA)"].startswith(("1 – ", "2 – ", "3 – "))
    # Its dates follow its employee's path; its employees were supported.
    assert block["Data rozpoczęcia udziału w projekcie"] == D(2024, 3, 1)
    assert block["Data zakończenia udziału w projekcie"] == D(2024, 3, 8)
    assert block["Czy wsparciem zostali objęci pracownicy instytucji"] == "Tak"
    assert institution_row[:6][:3] == [
        "UDA-FESL.07.07-IZ.01-0001/23-00",
        world.project.applicant.name,
        world.project.title,
    ]
    assert institution_row[30:] == [""] * (len(SL2014_HEADER) - 30)
    # The institution with no start is flagged by its column, not exported.
    assert check[1][1] == "Ośrodek Pomocy Społecznej"
    assert check[1][2] == "Data rozpoczęcia udziału w projekcie"
    assert check[1][3] == "Uczestnicy!X"


def test_pefs_institutions_sheet_for_a_project_made_in_the_back_office(client):
    world, participant = _project_with_an_employee(client)
    result, (sheet, check, _about, part, employees) = export(world, "pefs2007", about=True)
    assert part[0] == PEFS2007_INSTITUTION_HEADER
    rows = {row[0]: dict(zip(part[0], row, strict=True)) for row in part[1:]}
    assert set(rows) == {"Powiatowy Urząd Pracy"}
    office = rows["Powiatowy Urząd Pracy"]
    assert office["Typ instytucji"] == "instytucja rynku pracy"
    assert office["Czy wsparciem zostali objęci pracownicy instytucji"] == "TAK"
    assert office["Data rozpoczęcia udziału w projekcie"] == D(2024, 3, 1)
    assert [row[1] for row in check[1:]] == ["Ośrodek Pomocy Społecznej"]
    # Its employees who took part, with the institution's name before the individual fields.
    assert employees[0] == ["Nazwa instytucji", *PEFS2007_HEADER]
    employee = participant.person
    assert [row[:3] for row in employees[1:]] == [
        ["Powiatowy Urząd Pracy", employee.first_name, employee.last_name]
    ]


def test_cst2021_lists_institutions_after_people_in_the_same_columns(client):
    world, participant = _project_with_an_employee(client)
    result, rows = _cst(world.project, full_sensitive=True)
    assert rows[0] == CST2021_HEADER
    assert (result.exported, result.institutions) == (1, 1)
    person_row = dict(zip(CST2021_HEADER, rows[1], strict=True))
    assert (person_row["Rodzaj uczestnika"], person_row["Nazwa instytucji"]) == (
        "Pracownik lub przedstawiciel instytucji",
        "Powiatowy Urząd Pracy",
    )
    institution_row = rows[2]
    degurba = institution_row[18]
    assert degurba.startswith(("1 – ", "2 – ", "3 – "))
    office = Institution.objects.get(name="Powiatowy Urząd Pracy")
    expected = [""] * 43
    for label, value in {
        "Telefon kontaktowy": office.phone,
        "Adres e-mail": office.email,
        "Numer projektu": "UDA-FESL.07.07-IZ.01-0001/23-00",
        "Rodzaj uczestnika": "Instytucja",
        "Nazwa instytucji": "Powiatowy Urząd Pracy",
        "PESEL/Inny identyfikator": "5260250274",
        "brak PESEL": "Nie",
        "Kraj": "Polska",
        "Województwo": "śląskie",
        "Powiat": "częstochowski",
        "Gmina": "Dąbrowa Zielona",
        "Miejscowość": "Blachownia",
        "Kod pocztowy": "42-290",
        "Obszar według stopnia urbanizacji (DEGURBA)": degurba,
        # Its dates follow its employee's path (the office recorded none).
        "Data rozpoczęcia udziału w projekcie": "2024-03-01",
        "Data zakończenia udziału w projekcie": "2024-03-08",
        "Uwagi": "Typ instytucji: instytucja rynku pracy; "
        "Czy wsparciem zostali objęci pracownicy instytucji: Tak",
    }.items():
        expected[CST2021_HEADER.index(label)] = value
    assert institution_row == expected
    assert len(rows) == 3
    # The institution with no start is left out and named with the value it lacks, in the
    # file's result and in the check the export page shows before download.
    waiting = ("Ośrodek Pomocy Społecznej", ["Data rozpoczęcia udziału w projekcie"])
    assert [(name, problems) for _id, name, problems in result.incomplete] == [waiting]
    listed = monitoring.incomplete_participants(world.project, "cst2021")
    assert [(name, problems) for _id, name, problems in listed] == [waiting]
