"""An accepted applicant is invited to their own account (/konto/), at the application's address."""

import datetime
import re
import time

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing
from django.urls import reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.people.models import Person
from lider.projects.models import Invitation, Membership
from lider.recruitment import identity, services
from lider.recruitment.models import Application
from tests.factories import PersonFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db
AT = datetime.datetime(2009, 12, 10, 10, 0, tzinfo=datetime.UTC)
STRONG = "Kasztanowa-aleja-2026"
LINK = re.compile(r"https?://[^/\s]+(/biuro/zaproszenie/[^/\s]+/)")


def submit(project, group, language="pl", **person):
    return services.submit_application(
        project,
        person=PersonFactory.build(**person),
        target_group=group,
        consent_texts=services.required_consent_texts(project),
        submitted_at=AT,
        source="online",
        language=language,
    )


@pytest.fixture
def coordinator(project):
    return member(project, Role.COORDINATOR)


def accept_application(application, actor, capture):
    with capture(execute=True):
        services.decide(application, actor=actor, decision="accepted")
    application.refresh_from_db()
    return application


def invitation_mail():
    [message] = [m for m in mail.outbox if LINK.search(m.body)]
    return message


def accept_link(client, link, username="anowak"):
    return client.post(link, {"username": username, "password1": STRONG, "password2": STRONG})


def test_an_accepted_applicant_is_invited_at_the_applications_own_address(
    project, people_group, coordinator, django_capture_on_commit_callbacks
):
    application = submit(project, people_group, email="anna@example.pl")
    mail.outbox.clear()
    accept_application(application, coordinator, django_capture_on_commit_callbacks)

    invitation = application.account_invitation
    assert invitation.role == Role.PARTICIPANT
    assert invitation.email == "anna@example.pl"
    assert invitation.invited_by == coordinator
    assert invitation.language == "pl"
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.pl", "anna@example.pl"]
    message = invitation_mail()
    assert message.subject == f"Zaproszenie do projektu „{project.title}” w systemie Lider"
    assert "Na swoim koncie w systemie Lider zobaczysz swój harmonogram" in message.body
    entry = AuditEntry.objects.for_object(invitation).get(action=AuditEntry.Action.INVITE)
    assert (entry.actor, entry.note, entry.project_id) == (coordinator, "sent", project.pk)


def test_the_link_works_once_gives_only_the_participant_role_and_shows_own_data(
    client, project, people_group, coordinator, django_capture_on_commit_callbacks
):
    other_project = ProjectFactory()
    application = submit(project, people_group, email="anna@example.pl", first_name="Anna")
    other = submit(project, people_group, email="ewa@example.pl", first_name="Ewa")
    accept_application(other, coordinator, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    accept_application(application, coordinator, django_capture_on_commit_callbacks)
    link = LINK.search(invitation_mail().body).group(1)

    form = client.get(link)
    assert form.status_code == 200
    response = accept_link(client, link)
    assert response.status_code == 302
    user = User.objects.get(username="anowak")
    assert user.email == "anna@example.pl"
    assert list(Membership.objects.filter(user=user).values_list("project", "role")) == [
        (project.pk, Role.PARTICIPANT)
    ]
    assert not Membership.objects.filter(user=user, project=other_project).exists()
    person = Person.objects.get(pk=application.person_id)
    assert person.user == user
    link_entry = AuditEntry.objects.for_object(person).get(action="update")
    assert link_entry.actor == user and link_entry.changes == {"user": [None, "anowak"]}

    assert client.get(reverse("website:after_login")).url == "/konto/"
    body = client.get("/konto/").content.decode()
    assert person.full_name in body
    assert project.title in body
    assert "Zgoda: processing" in body or "przetwarzanie danych osobowych" in body
    assert other.person.full_name not in body
    # The back office of the project is closed to a participant.
    assert client.get(reverse("projects:detail", kwargs={"slug": project.slug})).status_code == 403

    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert accept_link(client, link, username="ktos").status_code == 410
    assert not User.objects.filter(username="ktos").exists()


def test_the_link_expires_after_seven_days(
    client, project, people_group, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    application = submit(project, people_group, email="anna@example.pl")
    mail.outbox.clear()
    now = time.time()
    accept_application(application, coordinator, django_capture_on_commit_callbacks)
    link = LINK.search(invitation_mail().body).group(1)
    monkeypatch.setattr(signing.time, "time", lambda: now + 7 * 86400 + 60)
    assert client.get(link).status_code == 410
    assert accept_link(client, link).status_code == 410
    assert not User.objects.filter(username="anowak").exists()
    assert Person.objects.get(pk=application.person_id).user is None


def test_the_invitation_is_in_the_applications_language(
    project, people_group, coordinator, django_capture_on_commit_callbacks
):
    application = submit(project, people_group, language="en", email="anna@example.pl")
    mail.outbox.clear()
    accept_application(application, coordinator, django_capture_on_commit_callbacks)
    message = invitation_mail()
    assert message.subject == f"Invitation to the project “{project.title}” in Lider"
    assert "your schedule, your attendance, your certificates" in message.body


def test_a_linked_record_s_address_is_never_used(
    project, people_group, coordinator, django_capture_on_commit_callbacks
):
    known = PersonFactory(email="stary@example.pl")
    application = submit(project, people_group, pesel=known.pesel, email="nowy@example.pl")
    office = member(project, Role.OFFICE)
    identity.link_applicant(application, actor=office, to=known)
    mail.outbox.clear()
    accept_application(application, coordinator, django_capture_on_commit_callbacks)
    assert application.person == known
    assert application.account_invitation.email == "nowy@example.pl"
    assert {m.to[0] for m in mail.outbox} == {"nowy@example.pl"}


def test_an_address_an_account_uses_gets_no_invitation_and_is_never_linked(
    project, people_group, coordinator, django_capture_on_commit_callbacks
):
    stranger = User.objects.create_user("obcy", email="Anna@Example.pl", password=STRONG)
    application = submit(project, people_group, email="anna@example.pl")
    mail.outbox.clear()
    accept_application(application, coordinator, django_capture_on_commit_callbacks)
    assert application.account_invitation is None
    assert not Invitation.objects.exists()
    assert [m.subject for m in mail.outbox] == [
        f"Twoje zgłoszenie do projektu {project.title} zostało przyjęte"
    ]
    assert Person.objects.get(pk=application.person_id).user is None
    assert not Membership.objects.filter(user=stranger).exists()
    note = AuditEntry.objects.for_object(application).get(action="update")
    assert note.actor == coordinator
    assert "already uses the application's e-mail address" in note.note


def test_a_project_may_invite_nobody(
    project, people_group, coordinator, django_capture_on_commit_callbacks
):
    project.invite_participants = False
    project.save()
    application = submit(project, people_group, email="anna@example.pl")
    mail.outbox.clear()
    accept_application(application, coordinator, django_capture_on_commit_callbacks)
    assert application.account_invitation is None
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 1


def test_taking_an_offered_place_by_the_link_invites_without_an_actor(
    project, people_group, coordinator, django_capture_on_commit_callbacks
):
    application = submit(project, people_group, email="anna@example.pl")
    services.decide(application, actor=coordinator, decision="reserve")
    services.offer_place(project, actor=coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_offer(Application.objects.get(pk=application.pk), actor=None)
    application.refresh_from_db()
    invitation = application.account_invitation
    assert invitation.invited_by is None and invitation.role == Role.PARTICIPANT
    assert invitation_mail().to == ["anna@example.pl"]


def test_withdrawing_the_application_closes_an_open_invitation(
    client, project, people_group, coordinator, django_capture_on_commit_callbacks
):
    application = submit(project, people_group, email="anna@example.pl")
    mail.outbox.clear()
    accept_application(application, coordinator, django_capture_on_commit_callbacks)
    link = LINK.search(invitation_mail().body).group(1)
    services.withdraw(application, actor=coordinator, reason="Rezygnacja")
    assert Invitation.objects.get().revoked_at is not None
    assert client.get(link).status_code == 410


def test_the_setting_is_on_the_project_card_and_its_change_audited(client, demo_card):
    assert demo_card.invite_participants is True  # on by default
    coordinator = demo_card.memberships.get(role=Role.COORDINATOR).user
    client.force_login(coordinator)
    url = reverse("projects:edit", kwargs={"slug": demo_card.slug})
    page = client.get(url)
    assert "Zapraszaj przyjętych uczestników do ich konta" in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None and k != "invite_participants"}
    assert client.post(url, data).status_code == 302
    demo_card.refresh_from_db()
    assert demo_card.invite_participants is False
    entry = AuditEntry.objects.for_object(demo_card).get(action="update")
    assert entry.actor == coordinator
    assert entry.changes == {"invite_participants": [True, False]}
