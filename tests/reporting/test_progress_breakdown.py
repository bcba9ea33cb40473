"""The progress report's breakdowns for a payment claim: participants who started in the period
by sex and labour-market status, age on the start day (15–24, 55–64), education (ISCED groups)
and disadvantaged groups (special-category: only for roles that may see them); institutions by
type; founded entities in the period they were registered; percentages with a % sign."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from lider.core.permissions import Role
from lider.outcomes.models import FoundedEntity
from lider.people.models import Institution, Participant
from lider.reporting.exports import progress
from tests.factories import member
from tests.reporting.builders import DAY, build, indicator

pytestmark = pytest.mark.django_db

MARCH = (datetime.date(2010, 3, 1), datetime.date(2010, 3, 31))


def world_with_people():
    """Three trainees starting on 1 March 2010: a woman of 19 (her birthday the next day),
    a woman turning 25 that day, a man of 59; one institution; an association registered in
    March beside the builder's foundation registered in September."""
    world = build(women=2, men=1)
    young, twenty_five, older = (p.person for p in world.participants)
    young.birth_date, twenty_five.birth_date = datetime.date(1990, 3, 2), datetime.date(1985, 3, 1)
    older.birth_date = datetime.date(1950, 6, 1)
    young.labour_status, young.education = "unemployed_registered", "isced3"
    young.disability = "yes"
    twenty_five.labour_status, twenty_five.education = "inactive", "isced5"
    older.labour_status = "employed"
    for person in (young, twenty_five, older):
        person.save()
    institution = Institution.objects.create(
        name="Powiatowy Urząd Pracy", legal_form="public_unit", kind="labour_market"
    )
    Participant.objects.create(project=world.project, institution=institution, start_date=DAY)
    FoundedEntity.objects.create(
        project=world.project,
        name="Stowarzyszenie",
        legal_form="association",
        registration_date=datetime.date(2010, 3, 15),
    )
    indicator(world, "share_certified", {"task": world.task.pk}, unit="%", target_total=95)
    return world


def sheet(book, name):
    return {row[0]: row[1:] for row in book.get_sheet_by_name(name).to_python()[4:]}


def test_breakdown_counts_by_status_age_education_groups_institutions_and_entities():
    world = world_with_people()
    data = progress.progress_data(world.project, *MARCH, sensitive=True)
    book = CalamineWorkbook.from_filelike(io.BytesIO(progress.render_xlsx(data)))

    labour = sheet(book, "Status na rynku pracy")
    #                                                          period: all, K, M; cumulative
    assert labour["osoba bezrobotna zarejestrowana w ewidencji urzędów pracy"] == [1, 1, 0, 1, 1, 0]
    assert labour["osoba bierna zawodowo"] == [1, 1, 0, 1, 1, 0]
    assert labour["osoba pracująca"] == [1, 0, 1, 1, 0, 1]
    age = sheet(book, "Wiek")
    assert age["w wieku 15–24 lat"] == [1, 1, 0, 1, 1, 0]  # 19; the woman turning 25 is not
    assert age["w wieku 55–64 lat"] == [1, 0, 1, 1, 0, 1]
    education = sheet(book, "Wykształcenie")
    assert education["ponadgimnazjalne (ISCED 3)"] == [1, 1, 0, 1, 1, 0]
    assert education["wyższe (ISCED 5–8)"] == [1, 1, 0, 1, 1, 0]
    assert education["nie podano"] == [1, 0, 1, 1, 0, 1]
    groups = sheet(book, "Grupy w niekorzystnej sytuacji")
    assert groups["osoby z niepełnosprawnościami"] == [1, 1, 0, 1, 1, 0]
    assert groups["osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań"] == [0] * 6
    institutions = sheet(book, "Instytucje")
    assert institutions["instytucja rynku pracy"] == [1, 1]
    entities = sheet(book, "Założone podmioty")
    assert entities["stowarzyszenie"] == [1, 1]
    assert entities["fundacja"] == [0, 0]  # registered in September

    # the share of the target: a number formatted as a percentage in the XLSX…
    indicators = book.get_sheet_by_name("Wskaźniki").to_python()
    assert indicators[4][8] == 1.05  # all three certified against a target of 95
    # …and printed with a % sign in the PDF, the breakdown's tables with it
    pdf = progress.render_pdf(data)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "105%" in text
    assert "Podział na potrzeby wniosku o płatność" in text
    assert "osoby z niepełnosprawnościami" in text


def test_a_role_without_special_categories_gets_no_disadvantaged_figures(client):
    world = world_with_people()
    url = reverse("reporting:progress", kwargs={"slug": world.project.slug})
    query = {"start": "2010-03-01", "end": "2010-03-31", "format": "xlsx"}

    client.force_login(member(world.project, Role.PARTNER))
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get(url, query).content))
    groups = sheet(book, "Grupy w niekorzystnej sytuacji")
    assert list(groups) == ["ukryte: dane szczególnych kategorii, których Twoja rola nie widzi"]
    assert groups[list(groups)[0]] == ["", "", "", "", "", ""]
    pdf = client.get(url, {**query, "format": "pdf"}).content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "niepełnosprawnościami" not in text
    page = client.get(url, {"start": "2010-03-01", "end": "2010-03-31"}).content.decode()
    assert "niepełnosprawnościami" not in page
    assert "w wieku 15–24 lat" in page

    client.force_login(member(world.project, Role.COORDINATOR))
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get(url, query).content))
    groups = sheet(book, "Grupy w niekorzystnej sytuacji")
    assert groups["osoby z niepełnosprawnościami"] == [1, 1, 0, 1, 1, 0]
