"""Invitations by e-mail: signed, single-use, expiring links; no role beyond the inviter's own."""

import re
import time

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.projects import invitations
from lider.projects.models import Invitation, Membership
from tests.factories import ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db
STRONG = "Kasztanowa-aleja-2026"
LINK = re.compile(r"http://testserver(/biuro/zaproszenie/[^/\s]+/)")


@pytest.fixture(autouse=True)
def mail_on_commit(django_capture_on_commit_callbacks):
    """Invitations are mailed after the commit; the helpers below run those callbacks."""
    global capture
    capture = django_capture_on_commit_callbacks
    yield


def post(client, url, data=None):
    with capture(execute=True):
        return client.post(url, data or {})


@pytest.fixture
def project():
    return ProjectFactory(title="Lider ekonomii")


@pytest.fixture
def coordinator(project):
    return member(project, Role.COORDINATOR, UserFactory(first_name="Katarzyna", last_name="Nowak"))


def invite(client, project, role=Role.TRAINER, email="tomasz@example.org"):
    return post(
        client,
        reverse("projects:invitations", kwargs={"slug": project.slug}),
        {
            "first_name": "Tomasz",
            "last_name": "Wójcik",
            "email": email,
            "role": role,
            "language": "pl",
        },
    )


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def accept(client, link, username="twojcik", password=STRONG):
    return client.post(link, {"username": username, "password1": password, "password2": password})


def test_an_invited_trainer_sets_up_the_account(client, project, coordinator):
    client.force_login(coordinator)
    response = invite(client, project)
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["tomasz@example.org"]
    assert "Lider ekonomii" in message.subject
    assert "trener lub doradca" in message.body
    invitation = Invitation.objects.get()
    assert AuditEntry.objects.get(action=AuditEntry.Action.INVITE).actor == coordinator

    client.logout()
    link = link_in(message)
    page = client.get(link)
    assert page.status_code == 200
    assert "Tomasz" in page.content.decode()
    response = accept(client, link)
    assert response.status_code == 302

    user = User.objects.get(username="twojcik")
    assert (user.email, user.first_name, user.last_name) == (
        "tomasz@example.org",
        "Tomasz",
        "Wójcik",
    )
    assert user.check_password(STRONG)
    assert list(Membership.objects.filter(user=user).values_list("project", "role")) == [
        (project.pk, Role.TRAINER)
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.user == user
    grant = AuditEntry.objects.get(action=AuditEntry.Action.GRANT)
    assert grant.actor == coordinator and grant.project_id == project.pk
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, actor=user).exists()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_link_cannot_be_used_twice(client, project, coordinator):
    client.force_login(coordinator)
    invite(client, project)
    link = link_in(mail.outbox[0])
    client.logout()
    accept(client, link)
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "zaproszenie zostało już wykorzystane" in again.content.decode()
    accept(client, link, username="ktos-inny")
    assert not User.objects.filter(username="ktos-inny").exists()
    assert Membership.objects.filter(role=Role.TRAINER).count() == 1


def test_a_link_expires_after_seven_days(client, project, coordinator, monkeypatch):
    client.force_login(coordinator)
    invite(client, project)
    link = link_in(mail.outbox[0])
    client.logout()
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 6 * 86400)
    assert client.get(link).status_code == 200
    monkeypatch.setattr(signing.time, "time", lambda: now + 7 * 86400 + 2)
    expired = client.get(link)
    assert expired.status_code == 410
    assert "Zaproszenie wygasło" in expired.content.decode()
    accept(client, link)
    assert not User.objects.filter(username="twojcik").exists()


def test_a_tampered_link_is_refused(client, project, coordinator):
    client.force_login(coordinator)
    invite(client, project)
    link = link_in(mail.outbox[0])
    client.logout()
    assert client.get(link.replace(":", ":x", 1)).status_code == 410
    assert client.get("/biuro/zaproszenie/" + "A" * 5000 + "/").status_code == 410


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
def test_nobody_grants_a_role_that_allows_more_than_their_own(client, project, coordinator, role):
    client.force_login(coordinator)
    response = invite(client, project, role=role)
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    with pytest.raises(ValidationError) as error:
        invitations.invite(
            project,
            actor=coordinator,
            email="x@example.org",
            first_name="X",
            last_name="Y",
            role=role,
            language="pl",
            link_base="http://testserver/biuro/zaproszenie/",
        )
    assert error.value.code == "not_yours"
    # ...nor on the roles page.
    other = UserFactory(username="ewa")
    client.post(
        reverse("projects:roles", kwargs={"slug": project.slug}), {"username": "ewa", "role": role}
    )
    assert not Membership.objects.filter(user=other).exists()


def test_grantable_roles_follow_the_permission_table(project, coordinator):
    roles = {value for value, _label in invitations.grantable_roles(project, actor=coordinator)}
    assert roles == {Role.COORDINATOR, Role.OFFICE, Role.TRAINER, Role.PARTNER, Role.PARTICIPANT}
    office = member(project, Role.OFFICE)
    assert invitations.grantable_roles(project, actor=office) == []
    admin = member(project, Role.ADMINISTRATOR)
    assert len(invitations.grantable_roles(project, actor=admin)) == len(Role)


def test_sending_again_replaces_the_link_and_withdrawing_closes_it(client, project, coordinator):
    client.force_login(coordinator)
    invite(client, project)
    invitation = Invitation.objects.get()
    first = link_in(mail.outbox[0])
    post(
        client,
        reverse("projects:invitation_resend", kwargs={"slug": project.slug, "pk": invitation.pk}),
    )
    second = link_in(mail.outbox[1])
    assert first != second
    client.logout()
    assert "nowsze zaproszenie" in client.get(first).content.decode()
    assert client.get(second).status_code == 200

    client.force_login(coordinator)
    client.post(
        reverse("projects:invitation_revoke", kwargs={"slug": project.slug, "pk": invitation.pk})
    )
    client.logout()
    assert client.get(second).status_code == 410
    notes = list(
        AuditEntry.objects.filter(action=AuditEntry.Action.INVITE)
        .order_by("pk")
        .values_list("note", flat=True)
    )
    assert notes == ["sent", "resent", "revoked"]


def test_the_password_must_pass_the_validators(client, project, coordinator):
    client.force_login(coordinator)
    invite(client, project)
    link = link_in(mail.outbox[0])
    client.logout()
    for weak in ("krotkie", "12345678901234", "tomasz@example.org", "password1234"):
        response = accept(client, link, password=weak)
        assert response.status_code == 200
        assert "has-error" in response.content.decode()
    assert not User.objects.filter(username="twojcik").exists()


def test_a_look_alike_login_is_refused(client, project, coordinator):
    UserFactory(username="tomek")
    client.force_login(coordinator)
    invite(client, project)
    link = link_in(mail.outbox[0])
    client.logout()
    response = accept(client, link, username="ＴＯＭＥＫ")
    assert "już istnieje" in response.content.decode()
    assert User.objects.filter(username__iexact="tomek").count() == 1


def test_an_existing_account_is_given_the_role_on_the_roles_page(client, project, coordinator):
    UserFactory(username="tomek", email="Tomasz@Example.org")
    client.force_login(coordinator)
    response = invite(client, project, email="tomasz@example.org")
    assert "Konto z tym adresem e-mail już istnieje" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_invited_administrator_must_set_up_a_second_factor(client, project):
    admin = member(project, Role.ADMINISTRATOR)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=admin, name="tel", confirmed=True)
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    invite(client, project, role=Role.ADMINISTRATOR)
    link = link_in(mail.outbox[0])
    client.logout()
    assert "aplikacji uwierzytelniającej" in client.get(link).content.decode()
    accept(client, link)
    response = client.get(reverse("projects:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:second_factor_setup"))


def test_an_invitation_dies_with_the_inviters_power(client, project, coordinator):
    client.force_login(coordinator)
    invite(client, project)
    link = link_in(mail.outbox[0])
    Membership.objects.filter(user=coordinator).delete()
    client.logout()
    assert client.get(link).status_code == 410
    response = accept(client, link)
    assert "zostało wycofane" in response.content.decode()
    assert not User.objects.filter(username="twojcik").exists()


def test_the_seven_days_count_from_the_latest_sending(client, project, coordinator, monkeypatch):
    client.force_login(coordinator)
    invite(client, project)
    invitation = Invitation.objects.get()
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 6 * 86400)
    post(
        client,
        reverse("projects:invitation_resend", kwargs={"slug": project.slug, "pk": invitation.pk}),
    )
    link = link_in(mail.outbox[1])
    client.logout()
    monkeypatch.setattr(signing.time, "time", lambda: now + 12 * 86400)
    assert client.get(link).status_code == 200
    monkeypatch.setattr(signing.time, "time", lambda: now + 13 * 86400 + 2)
    assert "Zaproszenie wygasło" in client.get(link).content.decode()
    accept(client, link)
    assert not User.objects.filter(username="twojcik").exists()


def test_a_coordinator_cannot_send_again_a_role_they_could_not_give(client, project, coordinator):
    """Resending makes a new link: it is a new grant, checked against the resender's roles."""
    admin = member(project, Role.ADMINISTRATOR)
    invitation = invitations.invite(
        project,
        actor=admin,
        email="audytor@example.org",
        first_name="Adam",
        last_name="Kowal",
        role=Role.AUDITOR,
        language="pl",
        link_base="http://testserver/biuro/zaproszenie/",
    )
    nonce = invitation.nonce
    mail.outbox.clear()
    client.force_login(coordinator)
    post(
        client,
        reverse("projects:invitation_resend", kwargs={"slug": project.slug, "pk": invitation.pk}),
    )
    invitation.refresh_from_db()
    assert invitation.nonce == nonce
    assert mail.outbox == []


def test_a_role_in_one_project_gives_nothing_to_invite_in_another(client, project, coordinator):
    other = ProjectFactory(title="Inny projekt")
    client.force_login(coordinator)
    response = invite(client, other)
    assert response.status_code == 403
    assert not Invitation.objects.exists() and mail.outbox == []


def test_the_office_invites_nobody(client, project):
    client.force_login(member(project, Role.OFFICE))
    assert invite(client, project).status_code == 403
    assert invitations.grantable_roles(project, actor=member(project, Role.PARTNER)) == []
    assert not Invitation.objects.exists() and mail.outbox == []
