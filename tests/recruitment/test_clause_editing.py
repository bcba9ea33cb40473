"""The information clause edited in the back office: versions, audit, set-up, warnings."""

import pytest
from django.urls import reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.recruitment.models import Application, InformationClause
from tests.factories import ProjectFactory, member
from tests.projects.test_create import CREATE, administrator, card_data
from tests.projects.test_states import login
from tests.recruitment.test_information_clause import SECTIONS
from tests.recruitment.test_public import person_data, url

pytestmark = pytest.mark.django_db


def clause_url(project):
    return reverse("recruitment:clause", kwargs={"slug": project.slug})


def test_coordinator_publishes_versions_and_old_ones_stay(client, project):
    coordinator = login(client, member(project, Role.COORDINATOR))
    page = client.get(clause_url(project)).content.decode()
    assert "nie ma jeszcze klauzuli informacyjnej" in page  # the default is shown, not saved
    assert client.post(clause_url(project), SECTIONS).status_code == 302
    first = InformationClause.objects.get(project=project)
    assert first.is_current and first.controller == SECTIONS["controller"]
    client.post(url(project), person_data(project))
    assert Application.objects.get().information_clause == first

    changed = {**SECTIONS, "retention": "Okres: 10 lat od zakończenia"}
    assert client.post(clause_url(project), changed).status_code == 302
    second = InformationClause.objects.get(project=project, is_current=True)
    first.refresh_from_db()
    assert second != first and not first.is_current
    assert first.retention == SECTIONS["retention"]  # the version applications point at is kept
    assert Application.objects.get().information_clause == first
    entry = AuditEntry.objects.filter(object_id=str(second.pk)).get()
    assert entry.actor == coordinator and entry.project_id == project.pk
    assert entry.changes["retention"] == [SECTIONS["retention"], changed["retention"]]
    assert "controller" not in entry.changes  # only what changed, old → new
    assert entry.changes["version"] == [first.version, second.version]

    # Saving the same text again publishes nothing.
    client.post(clause_url(project), changed)
    assert InformationClause.objects.filter(project=project).count() == 2
    page = client.get(clause_url(project)).content.decode()
    assert first.version in page and second.version in page


@pytest.mark.parametrize("role", [Role.OFFICE, Role.TRAINER, Role.AUDITOR, Role.PARTNER])
def test_only_managers_edit_it(client, project, role):
    login(client, member(project, role))
    assert client.post(clause_url(project), SECTIONS).status_code == 403
    assert not InformationClause.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"controller": ""},
        {"purposes": "x" * 5001},
        {"rights": "a\x00b"},
        {"dpo_contact": "   "},
    ],
)
def test_hostile_input_is_a_form_error(client, project, bad):
    login(client, member(project, Role.COORDINATOR))
    response = client.post(clause_url(project), {**SECTIONS, **bad})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not InformationClause.objects.exists()


def test_a_project_created_in_the_back_office_gets_its_clause(client, settings):
    settings.LIDER_OPERATOR = {**settings.LIDER_OPERATOR, "dpo_email": "iod@operator.example.pl"}
    admin = administrator(client)
    client.post(CREATE, card_data())
    clause = InformationClause.objects.get(project__slug="es-w-powiecie")
    assert clause.is_current
    assert clause.controller == clause.project.applicant.name
    assert "iod@operator.example.pl" in clause.dpo_contact
    entry = AuditEntry.objects.get(
        object_id=str(clause.pk), content_type__model="informationclause"
    )
    assert entry.actor == admin
    card = client.get(reverse("projects:detail", kwargs={"slug": "es-w-powiecie"}))
    assert "nie ma jeszcze klauzuli" not in card.content.decode()


def test_a_template_passes_its_clause_on(client):
    administrator(client)
    client.post(CREATE, card_data(slug="wzor"))
    template = InformationClause.objects.get(project__slug="wzor")
    template.is_current = False
    template.save()
    InformationClause.objects.create(project=template.project, version="wzor-2", **SECTIONS)
    response = client.post(CREATE, card_data(slug="z-wzoru", template=template.project.pk))
    assert response.status_code == 302, response.context["form"].errors
    copied = InformationClause.objects.get(project__slug="z-wzoru")
    assert copied.version == "wzor-2" and copied.controller == SECTIONS["controller"]


def test_a_project_without_a_clause_warns_on_its_card(client):
    project = ProjectFactory()
    login(client, member(project, Role.COORDINATOR))
    card = client.get(reverse("projects:detail", kwargs={"slug": project.slug})).content.decode()
    assert "Ten projekt nie ma jeszcze klauzuli informacyjnej" in card
    assert clause_url(project) in card
    InformationClause.objects.create(project=project, version="1", **SECTIONS)
    card = client.get(reverse("projects:detail", kwargs={"slug": project.slug})).content.decode()
    assert "nie ma jeszcze klauzuli informacyjnej" not in card
