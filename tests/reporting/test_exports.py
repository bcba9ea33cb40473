import datetime
import io

import pytest
from python_calamine import CalamineWorkbook

from lider.core.models import AuditEntry
from lider.people.models import Person
from lider.reporting.exports import monitoring
from lider.reporting.exports.profiles import PEFS2007, SL2014
from tests.factories import UserFactory
from tests.reporting.builders import build

pytestmark = pytest.mark.django_db


def complete(world):
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


def export(world, profile, *, full_sensitive=True):
    buffer = io.BytesIO()
    actor = UserFactory()
    result = monitoring.export_participants(
        world.project, profile, actor=actor, full_sensitive=full_sensitive, target=buffer
    )
    return result, read(buffer.getvalue())


def test_sl2014_export_has_official_headers_and_dictionary_labels():
    world = build(women=1, men=1)
    complete(world)
    result, (sheet, check) = export(world, "sl2014")

    assert sheet[0] == [column.label for column in SL2014.columns]
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
    assert sheet[1][header.index("W tym")] == "osoba długotrwale bezrobotna"
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
    assert row["Numer umowy/decyzji/aneksu"] == world.project.number
    assert check == [["Identyfikator uczestnika", "Imię i nazwisko", "Brakujące dane obowiązkowe"]]


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
        "profile": "PEFS 2007 (PO KL 2007–2013), uczestnicy indywidualni",
        "rows": 1,
        "incomplete": 0,
    }
    assert entry.note_text == (
        "PEFS 2007 (PO KL 2007–2013), uczestnicy indywidualni: wierszy: 1, niekompletnych: 0, "
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
