"""The attendance list's header names the form of support and the group, and a session
without a trainer (a conference) prints no trainer line and no trainer's signature."""

import io

import pytest
from pypdf import PdfReader

from lider.projects.models import Task
from tests.delivery.conftest import url
from tests.delivery.factories import DeliveryTaskFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _text(client, setup, session) -> str:
    client.force_login(setup["office"])
    response = client.get(url("delivery:list_pdf", setup, pk=session.pk))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_list_names_the_form_of_support_the_group_and_the_trainer(client, setup):
    text = _text(client, setup, setup["session"])
    task, group = setup["task"], setup["group"]
    assert f"Forma wsparcia: cykl szkoleń: {task.title}" in text
    assert f"Grupa: {group.name}" in text
    assert "Trener: Tomasz Wójcik" in text
    assert "Podpis trenera" in text


def test_a_conference_without_a_trainer_prints_no_trainer_line(client, setup):
    conference = DeliveryTaskFactory(
        project=setup["project"], kind=Task.Kind.CONFERENCE, title="Konferencja otwierająca"
    )
    session = SessionFactory(task=conference, title="Otwarcie", trainers=[])
    text = _text(client, setup, session)
    assert "Forma wsparcia: konferencja: Konferencja otwierająca" in text
    assert "Trener" not in text
    assert "Podpis trenera" not in text
    assert "Grupa:" not in text


def test_an_over_long_header_text_is_shortened_in_the_list(client, setup):
    task = setup["task"]
    task.title = "Bardzo długi tytuł zadania " * 11  # 297 characters
    task.save()
    text = _text(client, setup, setup["session"])
    assert "Bardzo długi tytuł zadania" in text
    assert task.title.strip() not in text
    assert "…" in text
