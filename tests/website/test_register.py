"""The register of processing activities (art. 30) of a project, as PDF and XLSX."""

import datetime
import io

import pytest
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from lider.core.permissions import Role
from lider.people.models import Participant
from lider.recruitment.models import InformationClause
from tests.factories import ApplicationFactory, PersonFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    project = ProjectFactory(archiving_date=datetime.date(2030, 12, 31))
    InformationClause.objects.create(
        project=project,
        version="1",
        controller="Fundacja Rejestrowa, ul. Długa 1",
        purposes="Realizacja projektu",
        legal_bases="Art. 6 ust. 1 lit. c RODO",
        recipients="Instytucja Pośrednicząca",
        retention="Do daty archiwizacji",
        rights="Dostęp",
        dpo_contact="iod@rejestr.example.pl",
    )
    for _ in range(2):
        Participant.objects.create(project=project, person=PersonFactory())
    ApplicationFactory(project=project, person=PersonFactory())
    return project


def test_register_xlsx_lists_what_lider_knows(client, project):
    client.force_login(member(project, Role.COORDINATOR))
    response = client.get(f"/biuro/projekty/{project.slug}/rejestr.xlsx")
    assert response.status_code == 200
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    register = {row[0]: row[1] for row in rows[1:]}
    assert register["Administrator"] == "Fundacja Rejestrowa, ul. Długa 1"
    assert register["Inspektor ochrony danych"] == "iod@rejestr.example.pl"
    assert "uczestnicy (2)" in register["Kategorie osób, których dane dotyczą"]
    assert "(1)" in register["Kategorie osób, których dane dotyczą"]
    assert "PESEL" in register["Kategorie danych osobowych"]
    assert "niepełnosprawnościami" in register["Szczególne kategorie danych (art. 9)"]
    assert register["Planowane terminy usunięcia danych"] == "Do daty archiwizacji (31.12.2030)"


def test_register_pdf_and_refusals(client, project):
    client.force_login(member(project, Role.OFFICE))
    response = client.get(f"/biuro/projekty/{project.slug}/rejestr.pdf")
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Rejestr czynności przetwarzania" in text and "Fundacja Rejestrowa" in text
    assert client.get(f"/biuro/projekty/{project.slug}/rejestr.doc").status_code == 404
    client.force_login(member(project, Role.TRAINER))
    assert client.get(f"/biuro/projekty/{project.slug}/rejestr.pdf").status_code == 403
