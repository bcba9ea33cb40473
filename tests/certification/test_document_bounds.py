"""Texts printed on documents are bounded by the form and the model, and a document that cannot
be made is a clear Polish answer (never a 500, never a dead process)."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, connection, transaction
from django.urls import reverse

from lider.certification import issuing, printing, services
from lider.certification.models import Certificate, CertificateSeries
from lider.core import documents
from lider.core.permissions import Role
from lider.projects.forms import ProjectCardForm
from lider.projects.models import COFINANCING_MAX_LENGTH, Project
from tests.factories import member

pytestmark = pytest.mark.django_db

LONG = "ł" * 40_000  # one word of 32,768+ two-byte letters once made typst panic


def _rule(training):
    services.save_completion_rule(
        training.task, actor=None, conditions={"all": [{"attendance": 80}]}
    )


def test_models_bound_the_cofinancing_statement():
    assert Project._meta.get_field("cofinancing_statement").max_length == COFINANCING_MAX_LENGTH
    assert Certificate._meta.get_field("cofinancing").max_length == COFINANCING_MAX_LENGTH
    assert COFINANCING_MAX_LENGTH == 1000


def test_card_form_refuses_an_over_long_statement_with_a_polish_message(client, demo_card):
    coordinator = demo_card.memberships.get(role=Role.COORDINATOR).user
    client.force_login(coordinator)
    url = reverse("projects:edit", kwargs={"slug": demo_card.slug})
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(cofinancing_statement=LONG, start_date="2009-12-01", end_date="2010-12-31")
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "co najwyżej 1000 znaków (obecnie ma 40000)" in response.content.decode()
    demo_card.refresh_from_db()
    assert demo_card.cofinancing_statement != LONG
    assert 'maxlength="1000"' in str(ProjectCardForm(instance=demo_card)["cofinancing_statement"])


def test_model_validation_refuses_an_over_long_statement(training):
    project = training.project
    project.cofinancing_statement = LONG
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "cofinancing_statement" in error.value.message_dict


def test_postgresql_refuses_an_over_long_statement_stored_past_the_form(training):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not enforce a column's length")
    with pytest.raises(DataError), transaction.atomic():
        Project.objects.filter(pk=training.project.pk).update(cofinancing_statement=LONG)


def test_a_renderer_panic_while_issuing_refuses_the_issue_and_gives_the_number_back(
    training, monkeypatch
):
    _rule(training)
    # Past every bound (as if stored before them): typst panics on this statement.
    monkeypatch.setattr(documents, "_check_texts", lambda value, key="": None)
    real = printing.certificate_data
    monkeypatch.setattr(
        printing,
        "certificate_data",
        lambda certificate, **kw: dataclasses.replace(real(certificate, **kw), cofinancing=LONG),
    )
    with pytest.raises(ValidationError) as error:
        issuing.issue_certificate(training.task, training.participants[0], actor=None, notify=False)
    assert error.value.code == "document"
    assert error.value.messages == [
        "Nie udało się przygotować dokumentu. Błąd został zapisany; spróbuj ponownie później "
        "albo powiadom administratora."
    ]
    assert not Certificate.objects.exists()
    assert not CertificateSeries.objects.filter(last_sequence__gt=0).exists()
    monkeypatch.undo()
    # This process is alive and the next issue works.
    certificate = issuing.issue_certificate(
        training.task, training.participants[0], actor=None, notify=False
    )
    assert certificate.sequence == 1


def test_issue_button_answers_a_polish_message(client, training, coordinator, monkeypatch):
    _rule(training)
    monkeypatch.setattr(documents, "MAX_TEXT_LENGTH", 20)
    client.force_login(coordinator)
    url = reverse(
        "certification:issue",
        kwargs={
            "slug": training.project.slug,
            "task_pk": training.task.pk,
            "participant_pk": training.participants[0].pk,
        },
    )
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "jest za długi, by umieścić go w dokumencie" in response.content.decode()
    assert not Certificate.objects.exists()


def test_pdf_that_cannot_be_made_is_a_polish_error_page(client, training, monkeypatch):
    _rule(training)
    certificate = issuing.issue_certificate(
        training.task, training.participants[0], actor=None, notify=False
    )
    staff = member(training.project, Role.OFFICE)
    client.force_login(staff)
    url = reverse("certification:pdf", kwargs={"slug": training.project.slug, "pk": certificate.pk})
    monkeypatch.setattr(documents, "MAX_TEXT_LENGTH", 20)
    response = client.get(url, HTTP_REFERER="https://evil.example/")
    page = response.content.decode()
    assert response.status_code == 422
    assert "<h1>Nie udało się przygotować dokumentu</h1>" in page
    assert "jest za długi, by umieścić go w dokumencie (znaków: " in page
    assert ", najwyżej 20). Skróć go i spróbuj ponownie." in page
    assert 'href="/"' in page and "evil.example" not in page
    monkeypatch.undo()
    assert client.get(url).content.startswith(b"%PDF")
