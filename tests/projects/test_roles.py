"""Revoking a role: a page that says what will happen, the POST that does it, and a project that
always keeps an administrator."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.projects.models import Membership
from tests.factories import ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def login_verified(client, user):
    device = TOTPDevice.objects.create(user=user, name="tel", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


@pytest.fixture
def project():
    return ProjectFactory(title="Lider ekonomii")


def revoke_url(membership):
    return reverse("projects:revoke", kwargs={"slug": membership.project.slug, "pk": membership.pk})


def test_revoking_asks_first_and_says_what_will_happen(client, project):
    coordinator = member(project, Role.COORDINATOR)
    trainer = member(project, Role.TRAINER, UserFactory(first_name="Tomasz", last_name="Wójcik"))
    membership = Membership.objects.get(user=trainer)
    client.force_login(coordinator)

    roles_page = client.get(reverse("projects:roles", kwargs={"slug": project.slug}))
    assert f'href="{revoke_url(membership)}"' in roles_page.content.decode()

    page = client.get(revoke_url(membership))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Tomasz Wójcik" in body
    assert "nie będzie już mieć roli „trener lub doradca”" in body
    assert "To jego jedyna rola w tym projekcie" in body
    assert Membership.objects.filter(pk=membership.pk).exists()  # the GET changed nothing
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVOKE).exists()

    response = client.post(revoke_url(membership))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVOKE)
    assert entry.actor == coordinator
    assert entry.project_id == project.pk


def test_the_last_administrator_of_a_project_cannot_be_removed(client, project):
    admin = member(project, Role.ADMINISTRATOR)
    coordinator = member(project, Role.COORDINATOR)
    membership = Membership.objects.get(user=admin)
    client.force_login(coordinator)

    page = client.get(revoke_url(membership)).content.decode()
    assert "To ostatni administrator projektu" in page
    assert '<form method="post">' not in page

    client.post(revoke_url(membership))
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVOKE).exists()


def test_one_of_two_administrators_can_be_removed(client, project):
    first = member(project, Role.ADMINISTRATOR)
    second = member(project, Role.ADMINISTRATOR)
    login_verified(client, first)
    membership = Membership.objects.get(user=second)
    client.post(revoke_url(membership))
    assert list(Membership.objects.filter(project=project).values_list("user", flat=True)) == [
        first.pk
    ]
    # ...and then the remaining one cannot remove themselves, nor anyone them.
    client.post(revoke_url(Membership.objects.get(user=first)))
    assert Membership.objects.filter(user=first, role=Role.ADMINISTRATOR).exists()


def test_administrator_of_another_project_does_not_count(client, project):
    admin = member(project, Role.ADMINISTRATOR)
    member(ProjectFactory(), Role.ADMINISTRATOR)
    coordinator = member(project, Role.COORDINATOR)
    client.force_login(coordinator)
    client.post(revoke_url(Membership.objects.get(user=admin)))
    assert Membership.objects.filter(user=admin).exists()


@pytest.mark.parametrize("name", ["projects:audit", "projects:history", "projects:roles"])
def test_scrolling_tables_are_reachable_by_keyboard(client, project, name):
    """axe: scrollable-region-focusable: the scrolling wrapper takes focus and has a name."""
    admin = member(project, Role.ADMINISTRATOR)
    login_verified(client, admin)
    body = client.get(reverse(name, kwargs={"slug": project.slug})).content.decode()
    wrappers = re.findall(r'<div class="table-wrap"[^>]*>', body)
    assert wrappers
    for wrapper in wrappers:
        assert 'tabindex="0"' in wrapper
        assert 'role="region"' in wrapper
        label = re.search(r'aria-labelledby="([^"]+)"', wrapper).group(1)
        assert f'id="{label}"' in body
