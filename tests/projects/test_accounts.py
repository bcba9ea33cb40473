"""Accounts for administrators of the installation: the first administrator, deactivation
(never deletion), resetting a second factor."""

import io

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lider.core import audit
from lider.core.models import AuditEntry
from lider.core.permissions import Role
from tests.factories import ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db
STRONG = "Kasztanowa-aleja-2026"


def login_verified(client, user):
    device = TOTPDevice.objects.create(user=user, name="tel", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def test_createadmin_makes_the_first_administrator_who_must_set_up_a_second_factor(
    client, monkeypatch
):
    monkeypatch.setenv("LIDER_ADMIN_PASSWORD", STRONG)
    out = io.StringIO()
    call_command("createadmin", username="szef", email="szef@example.org", stdout=out)
    user = User.objects.get(username="szef")
    assert user.is_superuser and user.is_active and user.check_password(STRONG)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE)
    assert (entry.actor, entry.note) == (None, "createadmin")

    call_command("createadmin", username="SZEF", email="x@example.org", stdout=out)
    assert User.objects.count() == 1
    assert "already exists" in out.getvalue()

    client.post("/biuro/logowanie/", {"username": "szef", "password": STRONG})
    response = client.get(reverse("projects:list"))
    assert response.url.startswith(reverse("backoffice:second_factor_setup"))


def test_createadmin_refuses_a_weak_password_and_a_look_alike(monkeypatch):
    monkeypatch.setenv("LIDER_ADMIN_PASSWORD", "krotkie")
    with pytest.raises(CommandError):
        call_command("createadmin", username="szef", email="s@example.org", stdout=io.StringIO())
    UserFactory(username="anna")
    monkeypatch.setenv("LIDER_ADMIN_PASSWORD", STRONG)
    with pytest.raises(CommandError):
        call_command(
            "createadmin", username="ＡＮＮＡ", email="a@example.org", stdout=io.StringIO()
        )
    assert not User.objects.filter(is_superuser=True).exists()


@pytest.fixture
def admin(client):
    project = ProjectFactory(title="Lider ekonomii")
    user = member(project, Role.ADMINISTRATOR)
    login_verified(client, user)
    return user


def test_deactivation_asks_first_then_stops_logins_and_keeps_everything(client, admin):
    project = admin.memberships.get().project
    trainer = member(project, Role.TRAINER, UserFactory(username="trener"))
    url = reverse("accounts:deactivate", kwargs={"pk": trainer.pk})
    page = client.get(url).content.decode()
    assert "nie będzie mogła się logować" in page
    assert "trener lub doradca – Lider ekonomii" in page
    trainer.refresh_from_db()
    assert trainer.is_active

    client.post(url)
    trainer.refresh_from_db()
    assert not trainer.is_active
    assert trainer.memberships.count() == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.STATUS)
    assert (entry.actor, entry.changes) == (admin, {"is_active": [True, False]})

    other = client.__class__()
    response = other.post(
        "/biuro/logowanie/", {"username": "trener", "password": "Haslo-testowe-123"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in other.session

    client.post(reverse("accounts:activate", kwargs={"pk": trainer.pk}))
    trainer.refresh_from_db()
    assert trainer.is_active


def test_the_only_active_administrator_of_a_project_cannot_be_deactivated(client, admin):
    other_project = ProjectFactory(title="Drugi projekt")
    sole = member(other_project, Role.ADMINISTRATOR)
    url = reverse("accounts:deactivate", kwargs={"pk": sole.pk})
    assert (
        "jedyny aktywny administrator projektów: Drugi projekt" in client.get(url).content.decode()
    )
    client.post(url)
    sole.refresh_from_db()
    assert sole.is_active
    client.post(reverse("accounts:deactivate", kwargs={"pk": admin.pk}))
    admin.refresh_from_db()
    assert admin.is_active


def test_an_account_with_audit_entries_is_never_deleted(admin):
    audit.record(admin, AuditEntry.Action.UPDATE, admin)
    with pytest.raises(ProtectedError):
        admin.delete()


def test_resetting_a_second_factor_is_audited_and_the_user_told(
    client, admin, django_capture_on_commit_callbacks
):
    user = UserFactory(username="koordynator", email="k@example.org")
    TOTPDevice.objects.create(user=user, name="tel", confirmed=True)
    url = reverse("accounts:reset_second_factor", kwargs={"pk": user.pk})
    assert "Aplikacja uwierzytelniająca" in client.get(url).content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert not TOTPDevice.objects.filter(user=user).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RESET_SECOND_FACTOR)
    assert (entry.actor, entry.object_id) == (admin, str(user.pk))
    [message] = mail.outbox
    assert message.to == ["k@example.org"]
    assert "drugi składnik" in message.subject


@pytest.mark.parametrize("rows", [1, 3])
def test_account_list_queries_constant(client, admin, django_assert_num_queries, rows):
    for _ in range(rows):
        TOTPDevice.objects.create(user=UserFactory(), name="tel", confirmed=True)
    # session, user (read with the administrator check), device (middleware), count, page
    with django_assert_num_queries(5):
        response = client.get(reverse("accounts:list"))
    assert len(response.context["users"]) == rows + 1
