"""The roll-up and the dashboard are kept whole for the signed-in user they were made for, and
every change to the user, their roles, their session or the data shown reaches them at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lider.core.permissions import Role
from lider.outcomes import services as outcomes
from lider.projects.models import Membership
from tests.factories import UserFactory, member
from tests.reporting.builders import build

pytestmark = pytest.mark.django_db

ROLLUP = reverse("rollup:page")


@pytest.fixture(autouse=True)
def kept(settings):
    """As with Redis: pages kept, sessions read from the cache (the tests' memory cache)."""
    settings.LIDER_CACHE_BACKOFFICE_PAGES = True
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def world():
    return build(women=2, men=1)


@pytest.fixture
def coordinator(client, world):
    user = member(world.project, Role.COORDINATOR)
    client.force_login(user)
    return user


def dashboard(world) -> str:
    return reverse("reporting:dashboard", kwargs={"slug": world.project.slug})


def queries_of(client, url) -> tuple[int, int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries), response.content.decode()


def warm(client, url) -> str:
    """Two GETs: the first gives the browser its CSRF cookie, the second is kept with it."""
    client.get(url)
    status, _queries, body = queries_of(client, url)
    assert status == 200
    return body


@pytest.mark.parametrize("page", ["dashboard", "rollup"])
def test_a_page_asked_again_is_served_without_a_query(client, world, coordinator, page):
    url = dashboard(world) if page == "dashboard" else ROLLUP
    body = warm(client, url)

    status, queries, again = queries_of(client, url)

    assert (status, queries) == (200, 0)
    assert again == body


def test_a_revoked_role_refuses_the_kept_page_at_once(client, world, coordinator):
    warm(client, dashboard(world))

    Membership.objects.filter(user=coordinator, project=world.project).delete()

    assert client.get(dashboard(world)).status_code == 403


def test_a_deactivated_account_is_sent_to_the_login(client, world, coordinator):
    warm(client, ROLLUP)

    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])

    response = client.get(ROLLUP)
    assert response.status_code == 302 and reverse("backoffice:login") in response.url


def test_a_logged_out_session_gets_nothing_back(client, world, coordinator):
    warm(client, dashboard(world))
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}

    client.post(reverse("backoffice:logout"))
    for name, value in cookies.items():  # the old cookies, replayed
        client.cookies[name] = value

    response = client.get(dashboard(world))
    assert response.status_code == 302 and reverse("backoffice:login") in response.url


def test_another_user_never_gets_the_page(client, world, coordinator):
    warm(client, dashboard(world))
    client.force_login(UserFactory())  # no role in the project

    assert client.get(dashboard(world)).status_code == 403


def test_a_founded_entity_shows_at_once_on_both_pages(client, world, coordinator):
    name = "Spółdzielnia Socjalna Nowa Droga"
    before = {url: warm(client, url) for url in (dashboard(world), ROLLUP)}

    outcomes.record_entity(world.project, actor=None, name=name, legal_form="social_cooperative")

    for url, body in before.items():
        status, queries, after = queries_of(client, url)
        assert status == 200 and queries > 0, url  # made afresh
        assert after != body, url


def test_an_application_shows_at_once_on_the_dashboard(client, world, coordinator):
    from tests.factories import ApplicationFactory

    warm(client, dashboard(world))

    ApplicationFactory(project=world.project)

    assert queries_of(client, dashboard(world))[1] > 0


def test_a_change_in_another_process_is_seen_on_the_next_request(client, world, coordinator):
    """Another worker's change drops the shared token only; this worker checks it every time."""
    from django.core.cache import cache

    from lider.core import kept_pages

    warm(client, dashboard(world))
    cache.delete(kept_pages.project_data_token(world.project.pk))

    assert queries_of(client, dashboard(world))[1] > 0


def test_a_visitor_with_a_message_waiting_is_not_served_from_memory(client, world, coordinator):
    warm(client, dashboard(world))
    client.cookies["messages"] = "anything"  # a message waiting for the next page

    assert queries_of(client, dashboard(world))[1] > 0


def test_a_new_project_granted_shows_on_the_roll_up(client, world, coordinator):
    other = build(women=1, men=0)
    body = warm(client, ROLLUP)
    assert other.project.title not in body

    member(other.project, Role.COORDINATOR, user=coordinator)

    assert other.project.title in client.get(ROLLUP).content.decode()


def test_without_the_setting_every_request_is_rendered(client, world, coordinator, settings):
    settings.LIDER_CACHE_BACKOFFICE_PAGES = False
    warm(client, dashboard(world))

    assert queries_of(client, dashboard(world))[1] > 0
