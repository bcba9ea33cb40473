"""The funder role: granted per project by an administrator (an audited invitation), it reads
the roll-up and the granted projects' card, indicators and entities, never special-category
data, and every POST it sends to a project is refused."""

import io

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from python_calamine import CalamineWorkbook

from lider.core.models import AuditEntry
from lider.core.permissions import PERMISSIONS, READ_ONLY, Role, allows_request
from lider.people.models import Answer
from lider.projects.models import Invitation, Membership
from tests.factories import member
from tests.projects.test_invitations import accept, invite, link_in
from tests.projects.test_states import login
from tests.reporting.builders import build, indicator

pytestmark = pytest.mark.django_db

ROLLUP = reverse("rollup:page")


@pytest.fixture(autouse=True)
def mail_on_commit(django_capture_on_commit_callbacks):
    import tests.projects.test_invitations as invitations_tests

    invitations_tests.capture = django_capture_on_commit_callbacks
    yield


@pytest.fixture
def worlds():
    granted, other = build(women=2, men=1), build(women=1, men=1)
    for world in (granted, other):
        indicator(world, "participants_started", target_total=3)
    person = granted.participants[0].person
    person.disability = Answer.YES
    person.save(update_fields=["disability"])
    return granted, other


def test_the_role_reads_and_never_writes():
    assert {Role.FUNDER} == READ_ONLY
    readable = {name for name, roles in PERMISSIONS.items() if Role.FUNDER in roles}
    assert readable == {"project.view", "reporting.view", "outcomes.view", "rollup.view"}
    assert allows_request({Role.FUNDER}, "project.view", "GET")
    assert not allows_request({Role.FUNDER}, "project.view", "POST")
    # Another role held beside it still writes what that role may.
    assert allows_request({Role.FUNDER, Role.COORDINATOR}, "project.view", "POST")


def test_an_administrator_invites_a_funder_and_the_grant_is_audited(client, worlds):
    project = worlds[0].project
    admin = login(client, member(project, Role.ADMINISTRATOR))
    assert invite(client, project, role=Role.FUNDER, email="ip@example.org").status_code == 302
    invitation = Invitation.objects.get(role=Role.FUNDER)
    assert AuditEntry.objects.get(action=AuditEntry.Action.INVITE).actor == admin
    client.logout()
    assert accept(client, link_in(mail.outbox[-1]), username="ip-slask").status_code == 302
    funder = User.objects.get(username="ip-slask")
    assert list(Membership.objects.filter(user=funder).values_list("project", "role")) == [
        (project.pk, Role.FUNDER)
    ]
    grant = AuditEntry.objects.get(action=AuditEntry.Action.GRANT)
    assert (grant.actor, grant.project_id) == (admin, project.pk)
    invitation.refresh_from_db()
    assert invitation.user == funder


def test_a_coordinator_cannot_give_the_funder_role(client, worlds):
    project = worlds[0].project
    client.force_login(member(project, Role.COORDINATOR))
    response = invite(client, project, role=Role.FUNDER, email="ip@example.org")
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    assert "Wybierz poprawną wartość" in response.content.decode()


def test_the_funder_sees_only_granted_projects_with_special_categories_hidden(client, worlds):
    granted, other = worlds
    funder = member(granted.project, Role.FUNDER)
    client.force_login(funder)
    response = client.get(ROLLUP)
    assert [row.project for row in response.context["rollup"].rows] == [granted.project]
    content = response.content.decode()
    assert 'data-figure="participants">3<' in content
    assert 'data-figure="disabled">(ukryte)<' in content
    assert response.context["rollup"].disabled is None
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get(reverse("rollup:xlsx")).content))
    participants = dict(row[:2] for row in book.get_sheet_by_index(1).to_python()[1:])
    assert participants["z niepełnosprawnościami"] == "(ukryte)"
    # The drill-down opens the granted project's dashboard; the other project stays closed.
    dashboard = reverse("reporting:dashboard", kwargs={"slug": granted.project.slug})
    assert f'href="{dashboard}"' in content
    assert client.get(dashboard).status_code == 200
    closed = reverse("reporting:dashboard", kwargs={"slug": other.project.slug})
    assert client.get(closed).status_code == 403
    # A coordinator of the same project sees the count.
    client.force_login(member(granted.project, Role.COORDINATOR))
    assert client.get(ROLLUP).context["rollup"].disabled == 1


def test_every_post_of_the_funder_is_refused(client, worlds):
    project = worlds[0].project
    client.force_login(member(project, Role.FUNDER))
    slug = {"slug": project.slug}
    for name in ("projects:detail", "reporting:dashboard", "outcomes:list"):
        assert client.get(reverse(name, kwargs=slug)).status_code == 200
        response = client.post(reverse(name, kwargs=slug))
        assert response.status_code == 403, name
        assert "tylko na odczyt" in response.content.decode()
    for name in ("people:list", "delivery:calendar", "certification:overview", "projects:roles"):
        assert client.get(reverse(name, kwargs=slug)).status_code == 403, name
    assert client.post(ROLLUP).status_code == 405
