import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lider.core.permissions import Role
from lider.outcomes.models import FoundedEntity
from lider.people.models import Participant, Person
from tests.factories import ProjectFactory, member
from tests.outcomes.test_krs import krs_api  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def entities(project, n):
    person = Person.objects.create(
        first_name="Jan", last_name="Kos", pesel="80010112344", birth_date=datetime.date(1980, 1, 1)
    )
    founder = Participant.objects.create(project=project, person=person)
    for i in range(n):
        entity = FoundedEntity.objects.create(
            project=project, name=f"Fundacja {i}", legal_form="foundation", krs=f"{100 + i:010d}"
        )
        entity.founders.add(founder)


@pytest.mark.parametrize("rows", [1, 3])
def test_entity_list_constant_queries(client, rows):
    project = ProjectFactory()
    client.force_login(member(project, Role.OFFICE))
    entities(project, rows)
    url = reverse("outcomes:list", kwargs={"slug": project.slug})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Fundacja ") == rows
    assert len(queries) == 6


def test_entity_verify_view_unavailable_offers_manual_path(client, krs_api):  # noqa: F811
    project = ProjectFactory()
    user = member(project, Role.COORDINATOR)
    client.force_login(user)
    entity = FoundedEntity.objects.create(
        project=project, name="Fundacja", legal_form="foundation", krs="0000345678"
    )
    krs_api.mode = "500"
    response = client.post(
        reverse("outcomes:verify", kwargs={"slug": project.slug, "pk": entity.pk}), follow=True
    )
    assert "Potwierdź podmiot ręcznie" in response.content.decode()
    response = client.post(
        reverse("outcomes:confirm", kwargs={"slug": project.slug, "pk": entity.pk}),
        {"note": "Sprawdzono w ekrs"},
        follow=True,
    )
    entity.refresh_from_db()
    assert entity.verification == "manual"
    assert entity.confirmed_by == user
    assert "wprowadzono ręcznie, potwierdził(a)" in response.content.decode()


def test_entity_create_view(client):
    project = ProjectFactory()
    client.force_login(member(project, Role.OFFICE))
    response = client.post(
        reverse("outcomes:create", kwargs={"slug": project.slug}),
        {"order": 1, "name": "Fundacja Nowa", "legal_form": "foundation", "krs": "KRS 380128"},
    )
    entity = FoundedEntity.objects.get()
    assert response.status_code == 302
    assert entity.krs == "0000380128"


def test_entity_detail_shows_verification_and_founders(client):
    project = ProjectFactory()
    client.force_login(member(project, Role.AUDITOR))
    entities(project, 1)
    entity = FoundedEntity.objects.get()
    entity.verification = "krs"
    entity.verified_on = datetime.date(2011, 4, 1)
    entity.save()
    body = client.get(
        reverse("outcomes:detail", kwargs={"slug": project.slug, "pk": entity.pk})
    ).content.decode()
    assert "sprawdzono w KRS dnia 01.04.2011" in body
    assert "Jan Kos" in body
    assert "Sprawdź w KRS" not in body  # the auditor only reads


# Administrators first set up a second factor; coordinators and auditors stand for the roles
# that may read histories.
@pytest.mark.parametrize(
    "role", [r for r in Role if r not in {Role.PARTICIPANT, Role.ADMINISTRATOR}]
)
def test_entity_history_only_for_roles_that_may_read_histories(client, role):
    from lider.core import audit
    from lider.core.permissions import allows
    from lider.outcomes import services

    project = ProjectFactory()
    office = member(project, Role.OFFICE)
    office.first_name, office.last_name = "Urszula", "Biurowa"
    office.save()
    entity = services.record_entity(project, actor=office, name="Fundacja", legal_form="foundation")
    audit.record(office, audit.Action.UPDATE, entity, note="Sprawdzone przez Urszulę")
    client.force_login(member(project, role))

    response = client.get(
        reverse("outcomes:detail", kwargs={"slug": project.slug, "pk": entity.pk})
    )

    assert response.status_code == 200
    text = response.content.decode()
    shown = allows({role}, "audit.view_object")
    assert ("<h2>Historia</h2>" in text) is shown
    assert ("Sprawdzone przez Urszulę" in text) is shown


def test_entity_drilldown_shows_a_dash_not_none(client):
    from tests.reporting.builders import build, indicator

    world = build(women=1, men=0)
    FoundedEntity.objects.create(project=world.project, name="Spółdzielnia", legal_form="other")
    found = indicator(world, "entities_founded")
    client.force_login(member(world.project, Role.PARTNER))

    response = client.get(
        reverse("reporting:records", kwargs={"slug": world.project.slug, "pk": found.pk})
    )

    text = response.content.decode()
    assert "Spółdzielnia" in text
    assert "None" not in text
    row = text[text.index("Spółdzielnia") :].split("</tr>")[0]
    # KRS, registration date and county unknown: a dash each
    assert row.count("<td>—</td>") == 3


def test_entity_verify_with_invalid_values_from_krs_warns_in_polish(client, krs_api):  # noqa: F811
    from tests.outcomes.test_services import invalid_values_extract

    project = ProjectFactory()
    client.force_login(member(project, Role.COORDINATOR))
    entity = FoundedEntity.objects.create(
        project=project, name="Stowarzyszenie", legal_form="association", krs="0000123456"
    )
    invalid_values_extract(krs_api)

    response = client.post(
        reverse("outcomes:verify", kwargs={"slug": project.slug, "pk": entity.pk}), follow=True
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "KRS podaje NIP jako „PL 573-123-45-61”, co jest nieprawidłowe; pole pozostaje puste."
        in text
    )
    entity.refresh_from_db()
    assert entity.nip == ""
    assert entity.verification == FoundedEntity.Verification.KRS
