"""The project lifecycle: the transition table, the audited service, the back-office page and
what the public site shows in each state."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.projects import services
from lider.projects.models import STATE_TRANSITIONS, Project
from lider.recruitment.models import Application
from tests.factories import ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def login(client, user):
    """Log in as the user with a confirmed second factor (administrators need one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="tel", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return user


State = Project.State

PUBLIC_URLS = [
    ("website:project", {}),
    ("website:results", {}),
    ("recruitment_public:apply", {}),
    ("recruitment_public:apply_institution", {}),
    ("recruitment_public:sent", {}),
    ("delivery_public:project_calendar", {}),
    ("delivery_public:project_feed", {}),
]


def test_transition_table_is_the_documented_lifecycle():
    expected = {
        State.DRAFT: {State.RECRUITING, State.RUNNING},
        State.RECRUITING: {State.RUNNING, State.CLOSED},
        State.RUNNING: {State.CLOSED},
        State.CLOSED: {State.RUNNING, State.ARCHIVED},
        State.ARCHIVED: set(),
    }
    assert dict(STATE_TRANSITIONS.items()) == expected
    assert set(STATE_TRANSITIONS) == set(State)


def test_a_new_project_is_a_draft():
    assert Project._meta.get_field("state").default == State.DRAFT


def test_change_state_moves_and_audits():
    project = ProjectFactory(state=State.DRAFT)
    actor = UserFactory()
    services.change_state(project, actor=actor, state=State.RECRUITING, note="start")
    project.refresh_from_db()
    assert project.state == State.RECRUITING
    entry = AuditEntry.objects.get(action=AuditEntry.Action.STATUS, object_id=project.pk)
    assert entry.actor == actor
    assert entry.changes == {"state": ["draft", "recruiting"]}
    assert entry.note == "start"
    assert entry.project_id == project.pk


@pytest.mark.parametrize(
    "current, new",
    [
        (State.DRAFT, State.CLOSED),
        (State.DRAFT, State.ARCHIVED),
        (State.RUNNING, State.DRAFT),
        (State.CLOSED, State.DRAFT),
        (State.ARCHIVED, State.CLOSED),
        (State.RUNNING, State.RUNNING),
        (State.RUNNING, "nonsense"),
    ],
)
def test_change_state_refuses_moves_outside_the_table(current, new):
    project = ProjectFactory(state=current)
    with pytest.raises(ValidationError) as caught:
        services.change_state(project, actor=UserFactory(), state=new)
    assert caught.value.code == "transition"
    project.refresh_from_db()
    assert project.state == current
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.STATUS).exists()


def test_change_state_checks_the_stored_state_not_a_stale_copy():
    project = ProjectFactory(state=State.RUNNING)
    stale = Project.objects.get(pk=project.pk)
    services.change_state(project, actor=UserFactory(), state=State.CLOSED)
    services.change_state(project, actor=UserFactory(), state=State.ARCHIVED)
    # The stale copy still says "running"; running → closed must be refused now.
    with pytest.raises(ValidationError):
        services.change_state(stale, actor=UserFactory(), state=State.CLOSED)
    assert Project.objects.get(pk=project.pk).state == State.ARCHIVED


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.COORDINATOR])
def test_manager_moves_the_state_on_the_state_page(client, role):
    project = ProjectFactory(state=State.DRAFT)
    user = login(client, member(project, role))
    url = reverse("projects:state", kwargs={"slug": project.slug})
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Stan projektu" in body
    assert [value for value, _ in page.context["form"].fields["state"].choices] == [
        State.RECRUITING,
        State.RUNNING,
    ]
    response = client.post(url, {"state": "recruiting", "note": "rusza nabór"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.state == State.RECRUITING
    assert AuditEntry.objects.get(action=AuditEntry.Action.STATUS).actor == user


@pytest.mark.parametrize(
    "data",
    [
        {"state": "archived"},  # not allowed from a draft
        {"state": "draft"},
        {"state": "x" * 10_000},
        {"state": "recruiting\x00"},
        {"state": "recruiting", "note": "n" * 501},
        {"state": "recruiting", "note": "a\x00b"},
        {},
    ],
)
def test_state_page_refuses_bad_input_with_a_message(client, data):
    project = ProjectFactory(state=State.DRAFT)
    client.force_login(member(project, Role.COORDINATOR))
    response = client.post(reverse("projects:state", kwargs={"slug": project.slug}), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    project.refresh_from_db()
    assert project.state == State.DRAFT
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.STATUS).exists()


def test_archived_project_offers_no_next_state(client):
    project = ProjectFactory(state=State.ARCHIVED)
    login(client, member(project, Role.ADMINISTRATOR))
    body = client.get(reverse("projects:state", kwargs={"slug": project.slug})).content.decode()
    assert "Zmień stan" not in body
    assert "na stałe" in body


@pytest.mark.parametrize("name, extra", PUBLIC_URLS)
def test_a_draft_is_not_public_at_all(client, name, extra):
    project = ProjectFactory(state=State.DRAFT)
    assert client.get(reverse(name, kwargs={"slug": project.slug})).status_code == 404
    assert project.title not in client.get(reverse("website:home")).content.decode()


@pytest.mark.parametrize("state", [State.RECRUITING, State.RUNNING, State.CLOSED, State.ARCHIVED])
@pytest.mark.parametrize("name, extra", PUBLIC_URLS)
def test_other_states_are_public(client, state, name, extra):
    project = ProjectFactory(state=state)
    assert client.get(reverse(name, kwargs={"slug": project.slug})).status_code == 200
    assert project.title in client.get(reverse("website:home")).content.decode()


@pytest.mark.parametrize("state", [State.CLOSED, State.ARCHIVED])
@pytest.mark.parametrize(
    "name", ["recruitment_public:apply", "recruitment_public:apply_institution"]
)
def test_closed_project_form_is_closed_politely(client, state, name):
    project = ProjectFactory(state=state)
    url = reverse(name, kwargs={"slug": project.slug})
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Nabór zakończony" in body
    assert "<form" not in body.split("<main", 1)[-1]
    response = client.post(url, {"s-first_name": "Anna", "a-consent": "on"})
    assert response.status_code == 200
    assert "Nabór zakończony" in response.content.decode()
    assert not Application.objects.exists()
    public = client.get(reverse("website:project", kwargs={"slug": project.slug}))
    assert reverse("recruitment_public:apply", kwargs={"slug": project.slug}) not in (
        public.content.decode()
    )


@pytest.mark.parametrize("state", [State.RECRUITING, State.RUNNING])
def test_open_project_links_its_form(client, state):
    project = ProjectFactory(state=state)
    body = client.get(reverse("website:project", kwargs={"slug": project.slug})).content.decode()
    assert reverse("recruitment_public:apply", kwargs={"slug": project.slug}) in body
    form = client.get(reverse("recruitment_public:apply", kwargs={"slug": project.slug}))
    assert "Nabór zakończony" not in form.content.decode()


def test_detail_page_shows_state_link_to_managers_only(client):
    project = ProjectFactory()
    client.force_login(member(project, Role.TRAINER))
    url = reverse("projects:detail", kwargs={"slug": project.slug})
    state_url = reverse("projects:state", kwargs={"slug": project.slug})
    assert state_url not in client.get(url).content.decode()
    client.force_login(member(project, Role.COORDINATOR))
    assert state_url in client.get(url).content.decode()


def test_demo_project_is_running_with_its_form_open(demo_card):
    assert demo_card.state == State.RUNNING
    assert demo_card.accepts_applications


def test_migration_closes_ended_projects_and_runs_the_others(db):
    import datetime
    import importlib

    from django.apps import apps as global_apps

    module = importlib.import_module("lider.projects.migrations.0004_project_state")
    ended = ProjectFactory(state=State.DRAFT)
    ongoing = ProjectFactory(
        state=State.DRAFT,
        start_date=datetime.date.today(),
        end_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    module.existing_projects_keep_their_public_life(global_apps, None)
    ended.refresh_from_db()
    ongoing.refresh_from_db()
    assert (ended.state, ongoing.state) == (State.CLOSED, State.RUNNING)


def test_my_projects_list_shows_each_state_in_polish(client):
    draft, closed = ProjectFactory(state=State.DRAFT), ProjectFactory(state=State.CLOSED)
    user = member(draft, Role.COORDINATOR)
    member(closed, Role.COORDINATOR, user=user)
    client.force_login(user)
    rows = client.get(reverse("projects:list")).content.decode().split("<tr>")
    assert any(draft.title in row and "<td>szkic</td>" in row for row in rows)
    assert any(closed.title in row and "<td>zakończony</td>" in row for row in rows)
