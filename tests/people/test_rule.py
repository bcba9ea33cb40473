"""The participation rule on the project card: the coordinator picks the task kinds (and single
tasks) that make a person a participant; saving recomputes every path and is audited; the
person's page explains the rule."""

import datetime
import re

import pytest
from django.urls import reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.delivery.models import Attendance, Enrolment
from lider.people.models import Participant
from lider.projects.models import Project, Task
from tests.delivery.factories import (
    DeliveryParticipantFactory,
    DeliveryTaskFactory,
    GroupFactory,
    SessionFactory,
)
from tests.factories import ProjectFactory, member
from tests.projects.test_create import CREATE, administrator, card_data
from tests.projects.test_states import login

pytestmark = pytest.mark.django_db

D = datetime.date


def _rule_url(project):
    return reverse("people:rule", kwargs={"slug": project.slug})


def _attended(task, participant, day):
    session = SessionFactory(task=task, date=day)
    Attendance.objects.create(session=session, participant=participant, status="present")
    return session


def test_coordinator_of_a_project_created_in_the_back_office_changes_the_rule(client):
    """A project made through the UI (no demo): a conference attendee becomes a participant
    once the coordinator counts conferences, and stops being one when they no longer count."""
    admin = administrator(client)
    client.post(CREATE, card_data())
    project = Project.objects.get(slug="es-w-powiecie")
    assert project.participation_kinds == ["training_cycle", "group_advisory"]
    conference = DeliveryTaskFactory(project=project, kind=Task.Kind.CONFERENCE, title="Konf")
    course = DeliveryTaskFactory(project=project, kind=Task.Kind.TRAINING_CYCLE)
    group = GroupFactory(task=course)
    attendee = DeliveryParticipantFactory(project=project)
    trainee = DeliveryParticipantFactory(project=project)
    _attended(conference, attendee, D(2024, 2, 1))
    session = SessionFactory(task=course, group=group, date=D(2024, 3, 1))
    Attendance.objects.create(session=session, participant=trainee, status="present")
    Enrolment.objects.create(task=course, group=group, participant=trainee, status="completed")
    coordinator = login(client, member(project, Role.COORDINATOR))
    assert admin != coordinator

    page = client.get(_rule_url(project))
    assert page.status_code == 200
    checked = re.findall(r'value="(\w+)" id="id_kinds_\d+" checked', page.content.decode())
    assert checked == ["training_cycle", "group_advisory"]
    response = client.post(
        _rule_url(project), {"kinds": ["training_cycle", "group_advisory", "conference"]}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.participation_kinds == ["conference", "training_cycle", "group_advisory"]
    attendee.refresh_from_db()
    trainee.refresh_from_db()
    assert (attendee.start_date, attendee.start_source) == (D(2024, 2, 1), "attendance")
    assert trainee.start_date == D(2024, 3, 1)
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.UPDATE,
        content_type__model="project",
        object_id=str(project.pk),
        actor=coordinator,
    )
    assert entry.changes == {
        "participation_kinds": [
            ["training_cycle", "group_advisory"],
            ["conference", "training_cycle", "group_advisory"],
        ]
    }
    assert AuditEntry.objects.filter(
        object_id=str(attendee.pk), content_type__model="participant", actor=coordinator
    ).exists()

    # The person's page explains the rule as it now stands.
    page = client.get(
        reverse("people:detail", kwargs={"slug": project.slug, "pk": attendee.person_id})
    ).content.decode()
    assert "konferencja" in page
    assert "01.02.2024" in page

    # Back to the default: the conference attendee is no longer a participant.
    client.post(_rule_url(project), {"kinds": ["training_cycle", "group_advisory"]})
    attendee.refresh_from_db()
    assert (attendee.start_date, attendee.start_source) == (None, "")


def test_a_single_task_counts_whatever_its_kind(client):
    project = ProjectFactory()
    forum = DeliveryTaskFactory(project=project, kind=Task.Kind.FORUM, title="Forum w Myszkowie")
    other_forum = DeliveryTaskFactory(project=project, kind=Task.Kind.FORUM)
    chosen = DeliveryParticipantFactory(project=project)
    not_chosen = DeliveryParticipantFactory(project=project)
    _attended(forum, chosen, D(2010, 5, 5))
    _attended(other_forum, not_chosen, D(2010, 5, 6))
    login(client, member(project, Role.COORDINATOR))
    response = client.post(
        _rule_url(project), {"kinds": ["training_cycle"], "tasks": [str(forum.pk)]}
    )
    assert response.status_code == 302
    assert list(project.participation_tasks.all()) == [forum]
    assert Participant.objects.get(pk=chosen.pk).start_date == D(2010, 5, 5)
    assert Participant.objects.get(pk=not_chosen.pk).start_date is None
    page = client.get(
        reverse("people:detail", kwargs={"slug": project.slug, "pk": chosen.person_id})
    ).content.decode()
    assert "Forum w Myszkowie" in page


def test_a_task_of_another_project_or_an_empty_rule_is_refused(client):
    project = ProjectFactory()
    foreign = DeliveryTaskFactory(kind=Task.Kind.CONFERENCE)
    login(client, member(project, Role.COORDINATOR))
    response = client.post(_rule_url(project), {"kinds": ["forum"], "tasks": [str(foreign.pk)]})
    assert response.status_code == 400
    response = client.post(_rule_url(project), {"kinds": [], "tasks": []})
    assert response.status_code == 400
    assert "Wybierz co najmniej jeden rodzaj zadania" in response.content.decode()
    response = client.post(_rule_url(project), {"kinds": ["no such kind"]})
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.participation_kinds == ["training_cycle", "group_advisory"]
    assert not project.participation_tasks.exists()
    assert not AuditEntry.objects.filter(content_type__model="project").exists()


@pytest.mark.parametrize("role", [Role.OFFICE, Role.TRAINER, Role.AUDITOR, Role.PARTNER])
def test_only_managers_change_the_rule(client, role):
    project = ProjectFactory()
    login(client, member(project, role))
    assert client.post(_rule_url(project), {"kinds": ["conference"]}).status_code == 403
    project.refresh_from_db()
    assert project.participation_kinds == ["training_cycle", "group_advisory"]


def test_the_card_links_to_the_rule(client):
    project = ProjectFactory()
    login(client, member(project, Role.COORDINATOR))
    page = client.get(reverse("projects:detail", kwargs={"slug": project.slug})).content.decode()
    assert _rule_url(project) in page
