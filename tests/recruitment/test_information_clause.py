"""The project's information clause (GDPR art. 13): shown on the form, recorded with it."""

import pytest
from django.core.cache import cache
from django.db import IntegrityError

from lider.recruitment.models import Application, InformationClause
from tests.recruitment.test_public import institution_data, person_data, url

pytestmark = pytest.mark.django_db

SECTIONS = {
    "controller": "Administrator: Fundacja Testowa",
    "purposes": "Cel: rekrutacja",
    "legal_bases": "Podstawa: art. 6 ust. 1 lit. c",
    "recipients": "Odbiorcy: instytucja wdrażająca",
    "retention": "Okres: do dnia archiwizacji",
    "rights": "Prawa: dostęp, sprostowanie",
    "dpo_contact": "IOD: iod@fundacja.example.pl",
}


@pytest.fixture(autouse=True)
def clear_rate_limit():
    cache.clear()


@pytest.fixture
def clause(project):
    return InformationClause.objects.create(project=project, version="2024-01", **SECTIONS)


def test_every_form_shows_the_current_clause_with_all_its_parts(client, project, clause):
    for kind in ["", "instytucja/"]:
        body = client.get(url(project, kind)).content.decode()
        assert "Informacja o przetwarzaniu Twoich danych osobowych" in body
        assert "wersja 2024-01" in body
        for text in SECTIONS.values():
            assert text in body
        for heading in ["Administrator", "Cele przetwarzania", "Podstawy prawne", "Odbiorcy"]:
            assert f"<dt>{heading}</dt>" in body
    english = client.get(f"/en/projects/{project.slug}/application/").content.decode()
    assert "Information on the processing of your personal data" in english


def test_application_records_the_exact_version_it_was_submitted_with(client, project, clause):
    assert client.post(url(project), person_data(project)).status_code == 302
    first = Application.objects.get()
    assert first.information_clause == clause

    clause.is_current = False
    clause.save()
    newer = InformationClause.objects.create(
        project=project, version="2025-01", **{**SECTIONS, "retention": "Okres: 10 lat"}
    )
    body = client.get(url(project, "instytucja/")).content.decode()
    assert "Okres: 10 lat" in body and "Okres: do dnia archiwizacji" not in body
    assert client.post(url(project, "instytucja/"), institution_data(project)).status_code == 302
    second = Application.objects.exclude(pk=first.pk).get()
    assert second.information_clause == newer
    first.refresh_from_db()
    assert first.information_clause == clause  # the earlier application keeps its version


def test_a_project_without_a_clause_shows_the_default_and_records_it(client, project, settings):
    settings.LIDER_OPERATOR = {**settings.LIDER_OPERATOR, "dpo_email": "iod@lider.example.pl"}
    body = client.get(url(project)).content.decode()
    assert "Informacja o przetwarzaniu Twoich danych osobowych" in body
    assert "wersja domyślna" in body
    assert project.applicant.name in body  # the controller: the applicant on the card
    assert "iod@lider.example.pl" in body
    assert not InformationClause.objects.exists()  # showing it saves nothing
    assert client.post(url(project), person_data(project)).status_code == 302
    recorded = Application.objects.get().information_clause
    assert recorded.is_current and "iod@lider.example.pl" in recorded.dpo_contact
    assert "Inspektor ochrony danych" in recorded.dpo_contact  # saved in Polish
    assert client.post(url(project, "instytucja/"), institution_data(project)).status_code == 302
    assert InformationClause.objects.count() == 1  # the second one records the same version


def test_one_current_version_per_project(project, clause):
    with pytest.raises(IntegrityError):
        InformationClause.objects.create(project=project, version="2025-01", **SECTIONS)


def test_a_version_in_use_cannot_be_deleted(client, project, clause):
    from django.db.models import ProtectedError

    client.post(url(project), person_data(project))
    with pytest.raises(ProtectedError):
        clause.delete()
