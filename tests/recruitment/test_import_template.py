"""The import's XLSX template (issue 10): every column, the allowed values, the form's labels
as headers, and columns the import does not know reported in the preview."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from python_calamine import CalamineWorkbook

from lider.core.permissions import Role
from lider.people.import_columns import COLUMNS
from lider.people.importing import FIELDS, TableError
from lider.recruitment.models import Application
from tests.factories import member
from tests.people.test_importing import GOOD, HEADER
from tests.recruitment.test_import import confirm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def download(client, project) -> bytes:
    client.force_login(member(project, Role.OFFICE))
    response = client.get(reverse("recruitment:import_template", kwargs={"slug": project.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "wzor-importu-osob.xlsx" in response["Content-Disposition"]
    return response.content


def test_template_has_every_column_and_a_sheet_of_allowed_values(client, project):
    content = download(client, project)
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert book.sheet_names == ["Osoby", "Dozwolone wartości"]
    [header] = book.get_sheet_by_index(0).to_python()
    assert header == list(COLUMNS)
    assert set(COLUMNS.values()) == set(FIELDS)  # every column the import reads
    allowed = book.get_sheet_by_index(1).to_python()
    assert allowed[0] == ["Kolumna", "Wartość lub format", "Znaczenie", "Nagłówek może też brzmieć"]
    rows = {(r[0], r[1]): r[2] for r in allowed[1:]}
    assert rows[("Wykształcenie", "ponadgimnazjalne")] == "ponadgimnazjalne (ISCED 3)"
    assert rows[("Osoba z niepełnosprawnościami", "odmowa")] == "odmowa podania informacji"
    assert rows[("Gmina", "")].startswith("Wymagane: 7-cyfrowy kod TERC gminy albo jej nazwa")
    assert {r[0] for r in allowed[1:]} == set(COLUMNS)
    # Every value the template offers is one the import accepts.
    without_pesel = {
        "PESEL": "", "Rodzaj dokumentu": "paszport", "Numer dokumentu": "X1",
        "Data urodzenia": "1990-01-01",
    }  # fmt: skip
    for column, value in rows:
        if value:
            changes = {column: value, **(without_pesel if column == "Płeć" else {})}
            result = check_with(changes)
            assert result.errors == [], (column, value, result.errors)
    # Written as text: no cell of either sheet is a formula.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)


def dict_row(changes):
    values = dict(zip(HEADER, GOOD, strict=True))
    header = HEADER + [c for c in changes if c not in HEADER]
    values.update(changes)
    return [values.get(h, "") for h in header], header


def check_with(changes):
    cells, header = dict_row(changes)
    from lider.people.importing import register_gminas, validate
    from lider.territory.queries import unit_by_code

    counties = {unit_by_code("2404").pk, unit_by_code("2409").pk}
    return validate(
        [header, cells], gminas=register_gminas(), county_ids=counties, taken_pesels=set()
    )


def test_the_template_read_back_is_a_file_with_no_rows(client, project):
    from lider.people.importing import read_table, register_gminas, validate

    table = read_table(download(client, project), "wzor.xlsx")
    result = validate(table, gminas=register_gminas(), county_ids=set(), taken_pesels=set())
    assert (result.total, result.errors, result.unknown_columns) == (0, [], [])


def test_the_form_labels_are_accepted_as_headers():
    header = [
        "First name", "Last name", "PESEL", "Adres e-mail", "gmina", "Labour-market status",
        "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego pochodzenia",
        "W tym", "opieka nad dziećmi do lat 7 lub osobą zależną",
    ]  # fmt: skip
    cells = [
        "Anna", "Nowak", "90010112349", "anna@example.pl", "2404052", "bierny zawodowo", "nie",
        "ucząca się", "tak",
    ]  # fmt: skip
    from lider.people.importing import register_gminas, validate
    from lider.territory.queries import unit_by_code

    result = validate(
        [header, cells],
        gminas=register_gminas(),
        county_ids={unit_by_code("2404").pk},
        taken_pesels=set(),
    )
    assert result.errors == [] and result.unknown_columns == []
    person = result.people[0]
    assert (person.email, person.labour_status, person.minority_or_migrant) == (
        "anna@example.pl",
        "inactive",
        "no",
    )
    assert (person.labour_detail, person.cares_for_dependants) == ("in_education", True)


def test_two_columns_meaning_the_same_refuse_the_file():
    from lider.people.importing import validate

    with pytest.raises(TableError) as error:
        validate(
            [["Imię", "Nazwisko", "Gmina", "E-mail", "Adres e-mail"]],
            gminas=[],
            county_ids=set(),
            taken_pesels=set(),
        )
    assert str(error.value) == "Kolumny D i E oznaczają to samo („E-mail”): zostaw jedną z nich."


def test_an_unknown_column_is_reported_in_the_preview_not_ignored(client, project):
    client.force_login(member(project, Role.OFFICE))
    header = HEADER + ["Uwagi", "Nr telefonu komórkowego"]
    text = "\n".join(";".join(r) for r in [header, GOOD + ["VIP", "600"]])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the check job runs inline
        response = client.post(
            reverse("recruitment:import", kwargs={"slug": project.slug}),
            {"file": SimpleUploadedFile("osoby.csv", text.encode(), "text/csv")},
        )
    page = client.get(response.url).content.decode()
    assert "Import nie zna tych kolumn i ich nie odczytał" in page
    assert "<li>P: Uwagi</li>" in page and "<li>Q: Nr telefonu komórkowego</li>" in page
    confirm(client, response.url, {"consents_signed": "on"})
    assert Application.objects.filter(project=project).count() == 1


def test_bad_labour_detail_and_care_values_are_explained():
    result = check_with({"W tym": "emeryt", "Opieka nad dzieckiem do lat 7 lub osobą zależną": "x"})
    assert [(p.column, p.message) for p in result.errors] == [
        ("W tym", "Nieznany status „w tym”: emeryt (zobacz arkusz dozwolonych wartości)."),
        ("Opieka nad dzieckiem do lat 7 lub osobą zależną", "Wpisz tak lub nie (nie x)."),
    ]


def test_template_is_for_the_import_roles_only(client, project):
    client.force_login(member(project, Role.TRAINER))
    url = reverse("recruitment:import_template", kwargs={"slug": project.slug})
    assert client.get(url).status_code == 403
