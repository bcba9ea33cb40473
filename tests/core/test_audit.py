import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db


def card_data(client, project):
    form = client.get(reverse("projects:edit", kwargs={"slug": project.slug})).context["form"]
    data = {name: form[name].value() for name in form.fields}
    return {k: v for k, v in data.items() if v is not None}


def test_card_edit_creates_one_entry_with_old_and_new(client, demo_card):
    coordinator = demo_card.memberships.get(role=Role.COORDINATOR).user
    client.force_login(coordinator)
    data = card_data(client, demo_card)
    data.update(title="Lider – edycja", end_date="2011-01-31")
    client.post(reverse("projects:edit", kwargs={"slug": demo_card.slug}), data)

    entries = list(AuditEntry.objects.filter(project_id=demo_card.pk))
    assert len(entries) == 1
    entry = entries[0]
    assert entry.actor == coordinator
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {
        "title": ["Lider na Rynku Ekonomii Społecznej", "Lider – edycja"],
        "end_date": ["2010-12-31", "2011-01-31"],
    }


def test_saving_unchanged_card_records_nothing(client, demo_card):
    client.force_login(demo_card.memberships.get(role=Role.COORDINATOR).user)
    client.post(
        reverse("projects:edit", kwargs={"slug": demo_card.slug}),
        card_data(client, demo_card),
    )
    assert AuditEntry.objects.count() == 0


def test_auditor_reads_entry_and_other_coordinator_sees_nothing(client, demo_card):
    coordinator = demo_card.memberships.get(role=Role.COORDINATOR).user
    client.force_login(coordinator)
    data = card_data(client, demo_card)
    data["title"] = "Tytuł po zmianie"
    client.post(reverse("projects:edit", kwargs={"slug": demo_card.slug}), data)

    client.force_login(demo_card.memberships.get(role=Role.AUDITOR).user)
    body = client.get(reverse("projects:audit", kwargs={"slug": demo_card.slug})).content
    body = body.decode()
    assert "Tytuł po zmianie" in body
    assert "Lider na Rynku Ekonomii Społecznej" in body
    assert "koordynator" in body

    stranger = member(ProjectFactory(), Role.COORDINATOR)
    client.force_login(stranger)
    for name in ("projects:audit", "projects:history", "projects:detail"):
        url = reverse(name, kwargs={"slug": demo_card.slug})
        assert client.get(url).status_code == 403


def test_entries_cannot_be_changed_or_deleted(demo_card):
    from lider.core import audit

    entry = audit.record(None, AuditEntry.Action.UPDATE, demo_card, changes={"a": [1, 2]})
    entry.note = "poprawka"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.update(note="x")
    assert AuditEntry.objects.get().note == ""


def test_admin_cannot_change_audit_entries(admin_client, admin_user, demo_card):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lider.core import audit

    device = TOTPDevice.objects.create(user=admin_user, name="tel", confirmed=True)
    session = admin_client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    entry = audit.record(None, AuditEntry.Action.UPDATE, demo_card)
    url = reverse("admin:core_auditentry_delete", args=[entry.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_grant_and_revoke_are_audited(client, demo_card):
    coordinator = demo_card.memberships.get(role=Role.COORDINATOR).user
    client.force_login(coordinator)
    url = reverse("projects:roles", kwargs={"slug": demo_card.slug})
    response = client.post(url, {"username": "trener", "role": Role.OFFICE})
    assert response.status_code == 302
    membership = demo_card.memberships.get(user__username="trener", role=Role.OFFICE)
    revoke = reverse("projects:revoke", kwargs={"slug": demo_card.slug, "pk": membership.pk})
    client.post(revoke)

    actions = list(
        AuditEntry.objects.filter(project_id=demo_card.pk)
        .order_by("pk")
        .values_list("action", "actor__username", "changes")
    )
    assert actions == [
        ("grant", "koordynator", {"user": [None, "trener"], "role": [None, "pracownik biura"]}),
        ("revoke", "koordynator", {"user": ["trener", None], "role": ["pracownik biura", None]}),
    ]


def test_grant_to_unknown_user_is_refused_in_polish(client, demo_card):
    client.force_login(demo_card.memberships.get(role=Role.COORDINATOR).user)
    url = reverse("projects:roles", kwargs={"slug": demo_card.slug})
    body = client.post(url, {"username": "nikt", "role": Role.OFFICE}).content.decode()
    assert "Nie ma aktywnego użytkownika o loginie nikt." in body
    assert AuditEntry.objects.count() == 0


def test_coordinator_cannot_revoke_own_role(client, demo_card):
    membership = demo_card.memberships.get(role=Role.COORDINATOR)
    client.force_login(membership.user)
    client.post(reverse("projects:revoke", kwargs={"slug": demo_card.slug, "pk": membership.pk}))
    assert demo_card.memberships.filter(pk=membership.pk).exists()
