"""Creating a project in the back office: the card (step 1), organisations (from the KRS via the
hook), and the target groups, goals and tasks (step 2, editable later)."""

import pytest
from django.urls import reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.projects import hooks
from lider.projects.models import Membership, Organisation, ProgrammeNode, Project, Task
from lider.territory.queries import unit_by_code
from tests.factories import OrganisationFactory, ProgrammeNodeFactory, ProjectFactory, member
from tests.projects.test_states import login

pytestmark = pytest.mark.django_db

CREATE = reverse("projects:create")
ORGANISATION = reverse("projects:organisation_create")


def administrator(client):
    """An administrator of the installation (of another project), logged in with TOTP."""
    return login(client, member(ProjectFactory(), Role.ADMINISTRATOR))


def card_data(**overrides):
    node = ProgrammeNodeFactory(code="4.1")
    applicant, institution, partner = OrganisationFactory.create_batch(3)
    data = {
        "title": "Ekonomia społeczna w powiecie",
        "slug": "es-w-powiecie",
        "classification": node.pk,
        "institution": institution.pk,
        "number": "WND-FESL.07.07-IZ.01-0001/23",
        "contract_number": "UDA-FESL.07.07-IZ.01-0001/23-00",
        "applicant": applicant.pk,
        "partners": [partner.pk],
        "start_date": "2024-01-01",
        "end_date": "2025-12-31",
        "counties": [unit_by_code("2404").pk, unit_by_code("2464").pk],
        "cofinancing_statement": "Projekt współfinansowany ze środków Unii Europejskiej",
        "main_goal": "Wzmocnienie ekonomii społecznej.",
    }
    data.update(overrides)
    return data


def test_installation_administrator_creates_a_draft_and_administers_it(client):
    admin = administrator(client)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, card_data())
    project = Project.objects.get(slug="es-w-powiecie")
    assert response.status_code == 302
    assert response.url == reverse("projects:structure", kwargs={"slug": project.slug})
    assert project.state == Project.State.DRAFT
    assert project.contract_number == "UDA-FESL.07.07-IZ.01-0001/23-00"
    assert project.number == "WND-FESL.07.07-IZ.01-0001/23"
    assert sorted(project.counties.values_list("code", flat=True)) == ["2404", "2464"]
    assert project.partners.count() == 1
    assert list(Membership.objects.filter(project=project).values_list("user", "role")) == [
        (admin.pk, Role.ADMINISTRATOR)
    ]
    created = AuditEntry.objects.get(
        action=AuditEntry.Action.CREATE, project_id=project.pk, object_repr=str(project)
    )
    assert created.actor == admin
    assert created.changes["contract_number"] == [None, "UDA-FESL.07.07-IZ.01-0001/23-00"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.GRANT, project_id=project.pk).count()
    # A draft: its public page does not exist.
    assert client.get(reverse("website:project", kwargs={"slug": project.slug})).status_code == 404


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OFFICE, Role.TRAINER, Role.AUDITOR])
def test_other_roles_may_not_create(client, role):
    login(client, member(ProjectFactory(), role))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, card_data()).status_code == 403
    assert not Project.objects.filter(slug="es-w-powiecie").exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"slug": "nowy"}, "slug"),
        ({"slug": "zła adres"}, "slug"),
        ({"title": "T" * 301}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"number": "WND" + "9" * 100}, "number"),
        ({"contract_number": "U" * 61}, "contract_number"),
        ({"main_goal": "x" * 5001}, "main_goal"),
        ({"classification": "99999999999999999999999"}, "classification"),
        ({"applicant": "-1"}, "applicant"),
        ({"counties": ["1e9999"]}, "counties"),
        ({"start_date": "99999-01-01"}, "start_date"),
        ({"end_date": "2023-01-01"}, "end_date"),
        ({"cofinancing_statement": "c" * 1001}, "cofinancing_statement"),
    ],
)
def test_bad_card_is_a_form_error_and_changes_nothing(client, overrides, field):
    administrator(client)
    before = Project.objects.count()
    response = client.post(CREATE, card_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Project.objects.count() == before


def test_organisation_is_added_with_checked_identifiers(client):
    admin = administrator(client)
    response = client.post(
        ORGANISATION, {"name": "Fundacja Nowa", "krs": "377518", "nip": "", "regon": ""}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Fundacja Nowa")
    assert organisation.krs == "0000377518"
    assert AuditEntry.objects.get(action=AuditEntry.Action.CREATE).actor == admin
    bad = client.post(ORGANISATION, {"name": "Zła", "nip": "1234567890", "krs": "x\x00"})
    assert bad.status_code == 200
    assert {"nip", "krs"} <= set(bad.context["form"].errors)
    assert not Organisation.objects.filter(name="Zła").exists()


@pytest.fixture
def fake_krs(monkeypatch):
    asked = []

    def lookup(number):
        asked.append(number)
        if number == "0000000404":
            raise hooks.LookupFailed("Nie znaleziono podmiotu w KRS.")
        return hooks.OrganisationDetails(
            name="STOWARZYSZENIE TESTOWE",
            nip="5260250274",
            regon="012345678",
            krs=number,
            city="Częstochowa",
        )

    monkeypatch.setattr(hooks, "organisation_lookup", lookup)
    return asked


def test_krs_prefills_the_organisation_form_without_saving(client, fake_krs):
    administrator(client)
    before = Organisation.objects.count()
    response = client.post(ORGANISATION, {"_krs": "1", "krs": "KRS 377518", "name": ""})
    assert response.status_code == 200
    assert fake_krs == ["0000377518"]
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["name"] == "STOWARZYSZENIE TESTOWE"
    assert form.initial["nip"] == "5260250274"
    assert Organisation.objects.count() == before


@pytest.mark.parametrize("krs", ["0000000404", "abc", "9" * 500, "1\x00"])
def test_krs_failure_is_a_message(client, fake_krs, krs):
    administrator(client)
    before = Organisation.objects.count()
    response = client.post(ORGANISATION, {"_krs": "1", "krs": krs})
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]
    assert Organisation.objects.count() == before


def test_the_website_registers_the_krs_client_as_the_lookup():
    from lider.website.apps import organisation_from_krs

    assert hooks.organisation_lookup is organisation_from_krs


# --- step 2: target groups, goals and tasks -----------------------------------------------


def structure_url(project):
    return reverse("projects:structure", kwargs={"slug": project.slug})


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }


def empty_structure():
    return {**management("groups", 0), **management("goals", 0), **management("tasks", 0)}


def test_coordinator_adds_changes_and_deletes_groups_goals_and_tasks(client):
    project = ProjectFactory(counties=[unit_by_code("2404"), unit_by_code("2464")])
    user = login(client, member(project, Role.COORDINATOR))
    county = unit_by_code("2464")
    data = {
        **management("groups", 1),
        "groups-0-order": "1",
        "groups-0-description": "Osoby bezrobotne",
        **management("goals", 1),
        "goals-0-order": "1",
        "goals-0-text": "Podniesienie kompetencji",
        **management("tasks", 1),
        "tasks-0-order": "1",
        "tasks-0-kind": Task.Kind.TRAINING_CYCLE,
        "tasks-0-title": "Szkolenia",
        "tasks-0-description": "",
        "tasks-0-task_counties": [str(county.pk)],
    }
    response = client.post(structure_url(project), data)
    assert response.status_code == 302, response.context and [
        f.errors for fs in ("groups", "goals", "tasks") for f in response.context[fs]
    ]
    task = project.tasks.get()
    assert list(task.counties.values_list("code", flat=True)) == ["2464"]
    assert project.target_groups.get().description == "Osoby bezrobotne"
    assert project.specific_goals.get().text == "Podniesienie kompetencji"
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.CREATE, project_id=project.pk, actor=user
        ).count()
        == 3
    )

    group = project.target_groups.get()
    goal = project.specific_goals.get()
    change = {
        **management("groups", 1, 1),
        "groups-0-id": str(group.pk),
        "groups-0-order": "1",
        "groups-0-description": "Osoby bierne zawodowo",
        **management("goals", 1, 1),
        "goals-0-id": str(goal.pk),
        "goals-0-order": "1",
        "goals-0-text": "Podniesienie kompetencji",
        "goals-0-DELETE": "on",
        **management("tasks", 1, 1),
        "tasks-0-id": str(task.pk),
        "tasks-0-order": "1",
        "tasks-0-kind": Task.Kind.TRAINING_CYCLE,
        "tasks-0-title": "Szkolenia",
        "tasks-0-task_counties": [str(county.pk), str(unit_by_code("2404").pk)],
    }
    assert client.post(structure_url(project), change).status_code == 302
    group.refresh_from_db()
    assert group.description == "Osoby bierne zawodowo"
    assert not project.specific_goals.exists()
    assert sorted(task.counties.values_list("code", flat=True)) == ["2404", "2464"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).count() == 2
    card = client.get(reverse("projects:detail", kwargs={"slug": project.slug}))
    assert "Osoby bierne zawodowo" in card.content.decode()


def test_a_task_cannot_take_a_county_outside_the_project(client):
    project = ProjectFactory(counties=[unit_by_code("2404")])
    login(client, member(project, Role.COORDINATOR))
    data = {
        **empty_structure(),
        **management("tasks", 1),
        "tasks-0-order": "1",
        "tasks-0-kind": Task.Kind.FORUM,
        "tasks-0-title": "Forum",
        "tasks-0-task_counties": [str(unit_by_code("2464").pk)],
    }
    response = client.post(structure_url(project), data)
    assert response.status_code == 200
    assert "task_counties" in response.context["tasks"].forms[0].errors
    assert not project.tasks.exists()


def test_another_projects_row_cannot_be_edited_through_this_one(client):
    project, other = ProjectFactory(), ProjectFactory()
    foreign = other.target_groups.create(order=1, description="Cudza grupa")
    login(client, member(project, Role.COORDINATOR))
    data = {
        **empty_structure(),
        **management("groups", 1, 1),
        "groups-0-id": str(foreign.pk),
        "groups-0-order": "1",
        "groups-0-description": "Przejęta",
    }
    assert client.post(structure_url(project), data).status_code in {200, 302}
    foreign.refresh_from_db()
    assert (foreign.project, foreign.description) == (other, "Cudza grupa")
    assert foreign.pk not in set(project.target_groups.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "extra",
    [
        {"groups-0-order": "9" * 30, "groups-0-description": "x"},
        {"groups-0-order": "1", "groups-0-description": "x" * 5001},
        {"groups-0-order": "1", "groups-0-description": "a\x00b"},
        {"groups-0-order": "-1", "groups-0-description": "x"},
    ],
)
def test_hostile_structure_input_is_a_form_error(client, extra):
    project = ProjectFactory()
    login(client, member(project, Role.COORDINATOR))
    data = {**empty_structure(), **management("groups", 1), **extra}
    response = client.post(structure_url(project), data)
    assert response.status_code == 200
    assert response.context["groups"].forms[0].errors
    assert not project.target_groups.exists()


@pytest.mark.parametrize("total", ["100000", "-5", "abc", "9" * 40])
def test_hostile_form_counts_are_refused_without_500(client, total):
    project = ProjectFactory()
    login(client, member(project, Role.COORDINATOR))
    data = {**empty_structure(), "groups-TOTAL_FORMS": total}
    response = client.post(structure_url(project), data)
    # A refusal with a message, or (a negative count) nothing to save: never a 500.
    assert response.status_code == (302 if total == "-5" else 200)
    assert not project.target_groups.exists()


@pytest.mark.parametrize("rows", [1, 3])
def test_structure_page_queries_constant(client, django_assert_num_queries, rows):
    project = ProjectFactory(counties=[unit_by_code("2404"), unit_by_code("2464")])
    for n in range(rows):
        project.target_groups.create(order=n, description=f"Grupa {n}")
        project.specific_goals.create(order=n, text=f"Cel {n}")
        task = project.tasks.create(order=n, kind=Task.Kind.FORUM, title=f"Zadanie {n}")
        task.counties.set([unit_by_code("2404")])
    login(client, member(project, Role.COORDINATOR))
    url = structure_url(project)
    client.get(url)  # warm caches (content types, translations)
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200


QUERIES = 10


def test_coordinator_adds_a_partner_while_editing_the_card(client):
    project = ProjectFactory()
    user = login(client, member(project, Role.COORDINATOR))
    url = reverse("projects:project_organisation_create", kwargs={"slug": project.slug})
    edit = client.get(reverse("projects:edit", kwargs={"slug": project.slug}))
    assert url in edit.content.decode()
    response = client.post(url, {"name": "Partner Nowy", "nip": "5260250274"})
    assert response.status_code == 302
    assert response.url == reverse("projects:edit", kwargs={"slug": project.slug})
    organisation = Organisation.objects.get(name="Partner Nowy")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, object_id=str(organisation.pk))
    assert (entry.actor, entry.project_id) == (user, project.pk)


@pytest.mark.parametrize("role", [Role.OFFICE, Role.TRAINER, Role.PARTNER, Role.AUDITOR])
def test_other_roles_cannot_add_organisations_to_a_card(client, role):
    project = ProjectFactory()
    login(client, member(project, role))
    url = reverse("projects:project_organisation_create", kwargs={"slug": project.slug})
    assert client.post(url, {"name": "Nie wolno"}).status_code == 403
    assert not Organisation.objects.filter(name="Nie wolno").exists()


def test_a_project_is_created_under_an_fe_sl_2021_2027_measure(client):
    """The shipped FE SL tree has measures (priority 6): a project of today is classified to
    its measure through the create form, shown with its whole lineage."""
    administrator(client)
    measure = ProgrammeNode.objects.get(code="6.2", parent__code="VI", parent__parent__code="FE SL")
    assert (measure.level, measure.name) == ("measure", "Kształcenie ogólne")
    assert "FE SL › VI" in client.get(CREATE).content.decode()
    response = client.post(CREATE, card_data(classification=measure.pk, slug="szkoly-fesl"))
    assert response.status_code == 302
    project = Project.objects.get(slug="szkoly-fesl")
    assert [node.code for node in project.classification.lineage()] == ["FE SL", "VI", "6.2"]
