import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lider.core import audit
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
    data = card_data(client, demo_card)
    before = AuditEntry.objects.count()  # the loader's own entries (the programme's logo strip)
    client.post(reverse("projects:edit", kwargs={"slug": demo_card.slug}), data)
    assert AuditEntry.objects.count() == before


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
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


@pytest.mark.parametrize("url", ["/admin/", "/en/admin/", "/admin/core/auditentry/"])
def test_there_is_no_django_admin_to_bypass_the_audit_trail(admin_client, url):
    """Writes through Django's admin would skip the services and the audit trail: it is gone."""
    from django.conf import settings

    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"post": "yes"}).status_code == 404


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
        ("grant", "koordynator", {"user": [None, "trener"], "role": [None, "office"]}),
        ("revoke", "koordynator", {"user": ["trener", None], "role": ["office", None]}),
    ]


def test_grant_to_unknown_user_is_refused_in_polish(client, demo_card):
    client.force_login(demo_card.memberships.get(role=Role.COORDINATOR).user)
    url = reverse("projects:roles", kwargs={"slug": demo_card.slug})
    before = AuditEntry.objects.count()
    body = client.post(url, {"username": "nikt", "role": Role.OFFICE}).content.decode()
    assert "Nie ma aktywnego użytkownika o loginie nikt." in body
    assert AuditEntry.objects.count() == before


def test_coordinator_cannot_revoke_own_role(client, demo_card):
    membership = demo_card.memberships.get(role=Role.COORDINATOR)
    client.force_login(membership.user)
    client.post(reverse("projects:revoke", kwargs={"slug": demo_card.slug, "pk": membership.pk}))
    assert demo_card.memberships.filter(pk=membership.pk).exists()


# --- stored raw, translated when read -------------------------------------------------------


def _application_with_history():
    from lider.recruitment import services
    from tests.factories import ApplicationFactory

    application = ApplicationFactory(status="submitted")
    audit.created(application, actor=None, note=application.Source(application.source).label)
    coordinator = member(application.project, Role.COORDINATOR)
    services.decide(application, actor=coordinator, decision="rejected", reason="Poza obszarem")
    return application, coordinator


def test_changes_keep_choice_values_and_the_page_shows_them_in_the_readers_language(client):
    from django.utils import translation

    application, coordinator = _application_with_history()
    with translation.override("en"):  # the language of the actor does not matter
        audit.status_changed(application, actor=coordinator, old="rejected", new="reserve", note="")
    entries = AuditEntry.objects.for_object(application).order_by("pk")
    assert [e.changes.get("status") for e in entries] == [
        [None, "submitted"],
        ["submitted", "rejected"],
        ["rejected", "reserve"],
    ]
    assert entries[0].note == "paper form entered by the office"
    assert entries[0].note_values == {}

    client.force_login(coordinator)
    url = reverse(
        "recruitment:detail", kwargs={"slug": application.project.slug, "pk": application.pk}
    )
    page = client.get(url).content.decode()
    history = page[page.index("<h2>Historia</h2>") :]
    assert "złożone → odrzucone" in history
    assert "odrzucone → lista rezerwowa" in history
    assert "(formularz papierowy wprowadzony przez biuro)" in history
    assert "None" not in history and "submitted" not in history

    page = client.get("/en" + url).content.decode()
    history = page[page.index("<h2>History</h2>") :]
    assert "submitted → rejected" in history
    assert "(paper form entered by the office)" in history


def test_a_note_with_values_is_stored_in_english_and_read_in_polish(demo_card):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    with translation.override("pl"):
        entry = audit.record(
            None,
            AuditEntry.Action.EXPORT,
            demo_card,
            note=audit.Note(
                gettext_lazy("register of certificates, %(count)s rows"),
                count=3,
            ),
        )
    entry.refresh_from_db()
    assert entry.note == "register of certificates, %(count)s rows"
    assert entry.note_values == {"count": 3}
    assert entry.note_text == "rejestr zaświadczeń, wierszy: 3"
    with translation.override("en"):
        assert entry.note_text == "register of certificates, 3 rows"


def test_a_note_typed_by_a_person_is_kept_as_written(demo_card):
    entry = audit.record(None, AuditEntry.Action.UPDATE, demo_card, note="%(count)s rows")
    entry.refresh_from_db()
    assert entry.note_values is None
    assert entry.note_text == "%(count)s rows"


def test_audit_trail_shows_field_labels_choice_labels_and_no_raw_values(client, demo_card):
    from lider.projects.services import grant_role
    from tests.factories import UserFactory

    administrator = demo_card.memberships.get(role=Role.ADMINISTRATOR).user
    grant_role(demo_card, actor=administrator, user=UserFactory(username="ewa"), role="trainer")
    audit.record(
        administrator,
        AuditEntry.Action.UPDATE,
        demo_card,
        changes={"end_date": ["2010-12-31", None], "is_public": [False, True]},
    )
    client.force_login(demo_card.memberships.get(role=Role.AUDITOR).user)
    page = client.get(reverse("projects:audit", kwargs={"slug": demo_card.slug})).content
    page = page.decode()
    assert "<strong>rola</strong>: trener lub doradca" in page
    assert "31.12.2010 → —" in page
    assert "nie → tak" in page
    for raw in ("None", "True", "False", "trainer<", "2010-12-31"):
        assert raw not in page


def test_entries_written_with_labels_before_are_still_shown(client, demo_card):
    application, coordinator = _application_with_history()
    AuditEntry.objects.create(
        action=AuditEntry.Action.STATUS,
        content_type=AuditEntry.objects.for_object(application).first().content_type,
        object_id=str(application.pk),
        changes={"status": ["odrzucone", "lista rezerwowa"]},
    )
    client.force_login(coordinator)
    url = reverse(
        "recruitment:detail", kwargs={"slug": application.project.slug, "pk": application.pk}
    )
    assert "odrzucone → lista rezerwowa" in client.get(url).content.decode()


def test_audit_trail_never_shows_a_sensitive_value_and_masks_in_the_readers_language(
    client, demo_card
):
    """A Person's special-category answers and PESEL are masked on the audit trail, also in an
    entry that holds them whole (written before masking, or by a path that stored them)."""

    import datetime

    from lider.people.models import Person

    person = Person.objects.create(
        first_name="Anna",
        last_name="Nowak",
        pesel="90010112349",
        birth_date=datetime.date(1990, 1, 1),
        disability="yes",
    )
    stored = audit.snapshot(person)
    assert stored["disability"] == "(ukryte)"
    assert stored["pesel"] == "900101*****"
    audit.record(
        None,
        AuditEntry.Action.CREATE,
        person,
        changes={"disability": [None, stored["disability"]]},
        project_id=demo_card.pk,
    )
    audit.record(
        None,
        AuditEntry.Action.UPDATE,
        person,
        changes={
            "disability": ["no", "yes"],
            "homeless": [None, "yes"],
            "pesel": ["", "90010112349"],
        },
        project_id=demo_card.pk,
    )
    client.force_login(demo_card.memberships.get(role=Role.AUDITOR).user)
    url = reverse("projects:audit", kwargs={"slug": demo_card.slug})

    page = client.get(url).content.decode()
    english = client.get("/en" + url).content.decode()

    assert "90010112349" not in page
    assert "900101*****" in page
    assert "<strong>osoba z niepełnosprawnościami</strong>: (ukryte) → (ukryte)" in page
    assert "<strong>osoba z niepełnosprawnościami</strong>: (ukryte)</li>" in page
    for answer in (">tak<", "→ tak", "nie →"):
        assert answer not in page
    assert "(ukryte)" not in english
    assert "(hidden)" in english


@pytest.mark.parametrize("rows", [1, 3])
def test_the_projects_audit_trail_takes_the_same_queries_at_any_size(
    client, rows, django_assert_num_queries
):
    """The trail is read newest first along its (project, time) index, a page at a time."""
    project = ProjectFactory()
    auditor = member(project, Role.AUDITOR)
    for n in range(rows):
        audit.record(auditor, AuditEntry.Action.CREATE, project, project_id=project.pk, note=str(n))
    other = ProjectFactory()
    audit.record(auditor, AuditEntry.Action.CREATE, other, project_id=other.pk, note="elsewhere")
    client.force_login(auditor)
    url = reverse("projects:audit", kwargs={"slug": project.slug})
    client.get(url)

    with django_assert_num_queries(6):
        response = client.get(url)

    assert [e.note for e in response.context["page"]] == [str(n) for n in reversed(range(rows))]
