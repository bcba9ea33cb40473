"""The public project and results pages are cached, and a change they show appears at once."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lider.certification import issuing
from lider.certification import services as certification
from lider.certification.models import Certificate
from lider.outcomes import services as outcomes
from lider.projects import services as projects
from lider.projects.models import Project, SpecificGoal
from tests.certification.conftest import make_training

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_public_pages(settings):
    """On as with Redis; the tests' memory cache is shared, all of them run in one process."""
    settings.LIDER_CACHE_PUBLIC_PAGES = True


def text_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def training():
    training = make_training(people=3, sessions=2)
    Project.objects.filter(pk=training.project.pk).update(is_public=True)
    certification.save_completion_rule(training.task, actor=None, conditions={"attendance": 80})
    return training


def results_url(project, language="pl"):
    with translation.override(language):
        return reverse("website:results", kwargs={"slug": project.slug})


def project_url(project, language="pl"):
    with translation.override(language):
        return reverse("website:project", kwargs={"slug": project.slug})


def test_a_second_request_runs_fewer_queries_on_both_pages(client, training):
    for url in (results_url(training.project), project_url(training.project)):
        first = queries_of(client, url)
        second = queries_of(client, url)
        assert second < first, url
        assert second <= 1, url  # the project itself: the content comes from the cache


def test_without_a_shared_cache_pages_are_rendered_every_time(client, training, settings):
    settings.LIDER_CACHE_PUBLIC_PAGES = False
    url = results_url(training.project)

    assert queries_of(client, url) == queries_of(client, url) > 1


def test_each_language_is_cached_apart(client, training):
    assert "Rezultaty projektu" in text_of(client, results_url(training.project))
    english = text_of(client, results_url(training.project, "en"))
    assert "Results of the project" in english
    assert "Rezultaty projektu" not in english
    assert "Rezultaty projektu" in text_of(client, results_url(training.project))


def test_issued_and_revoked_certificates_show_at_once(client, training):
    url = results_url(training.project)
    assert "wykreowano 0 Liderów" in text_of(client, url)

    issuing.issue_certificates(
        training.task, actor=None, issued_on=datetime.date(2010, 12, 20), notify=False
    )
    assert "wykreowano 3 Liderów" in text_of(client, url)

    certificate = Certificate.objects.filter(project=training.project).first()
    issuing.revoke_certificate(certificate, actor=None, reason="Błąd w danych")
    assert "wykreowano 2 Liderów" in text_of(client, url)


def test_a_founded_entity_shows_at_once(client, training):
    url = results_url(training.project)
    assert "Spółdzielnia Socjalna Nowa" not in text_of(client, url)

    entity = outcomes.record_entity(
        training.project,
        actor=None,
        name="Spółdzielnia Socjalna Nowa",
        legal_form="social_cooperative",
    )
    assert "Spółdzielnia Socjalna Nowa" in text_of(client, url)

    outcomes.update_entity(entity, actor=None, name="Spółdzielnia Socjalna Odnowa")
    assert "Spółdzielnia Socjalna Odnowa" in text_of(client, url)


def test_a_project_card_change_shows_at_once_on_both_pages(client, training):
    project = training.project
    for url in (project_url(project), results_url(project)):  # both cached
        text_of(client, url)

    SpecificGoal.objects.create(project=project, text="Nowy cel szczegółowy", order=9)
    assert "Nowy cel szczegółowy" in text_of(client, project_url(project))
    assert "Nowy cel szczegółowy" in text_of(client, results_url(project))

    project.main_goal = "Zmieniony cel główny"
    project.save(update_fields=["main_goal"])
    assert "Zmieniony cel główny" in text_of(client, project_url(project))

    project.applicant.name = "Nowa nazwa wnioskodawcy"
    project.applicant.save()
    assert "Nowa nazwa wnioskodawcy" in text_of(client, project_url(project))


def test_a_state_change_shows_at_once(client, training):
    project = training.project
    apply = reverse("recruitment_public:apply", kwargs={"slug": project.slug})
    assert apply in client.get(project_url(project)).content.decode()

    projects.change_state(project, actor=None, state=Project.State.CLOSED)

    # Closed: the card stays public, but no longer offers the application form.
    response = client.get(project_url(project))
    assert response.status_code == 200
    assert apply not in response.content.decode()


def csrf_tokens_of(body: str) -> list[str]:
    return re.findall(r'name="csrf-token" content="([A-Za-z0-9]+)"', body)


def test_an_anonymous_visitor_gets_the_whole_page_from_memory_without_a_query(client, training):
    for url in (project_url(training.project), results_url(training.project)):
        first = text_of(client, url)

        assert queries_of(client, url) == 0, url
        assert text_of(client, url) == first


def test_a_page_from_memory_has_every_header_the_whole_stack_gave_it(client, training):
    """Kept pages are answered above the session, locale and security-header middleware."""
    for url in (project_url(training.project), results_url(training.project, "en")):
        made = client.get(url)
        assert made.headers["Content-Language"] and made.headers["X-Frame-Options"]

        with CaptureQueriesContext(connection) as queries:
            kept = client.get(url)

        assert len(queries) == 0, url
        assert dict(kept.headers) == dict(made.headers)


def test_a_query_string_or_a_cookie_takes_the_whole_stack(client, training):
    url = project_url(training.project)
    client.get(url)

    assert queries_of(client, url + "?utm_source=x") > 0
    client.cookies["sessionid"] = "not-a-session"
    assert queries_of(client, url) > 0


def test_a_host_not_allowed_is_refused_though_the_page_is_kept(client, training, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    url = project_url(training.project)
    client.get(url)

    assert client.get(url, HTTP_HOST="evil.example").status_code == 400


def test_an_anonymous_page_carries_no_csrf_token_and_sets_no_cookie(training):
    """So its bytes are every visitor's: nobody's token can be served to another."""
    from django.test import Client

    url = project_url(training.project)
    first, second = Client(), Client()
    first.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = second.get(url)

    assert len(queries) == 0  # served from memory
    assert "csrftoken" not in response.cookies
    assert not csrf_tokens_of(response.content.decode())
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_a_signed_in_users_page_carries_their_token(client, training):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(project_url(training.project))

    assert csrf_tokens_of(response.content.decode())


def test_by_default_a_change_made_by_another_process_shows_on_the_next_request(client, training):
    from django.core.cache import cache

    from lider.website import public_cache

    url = project_url(training.project)
    client.get(url)
    assert queries_of(client, url) == 0
    # Another worker's change: the shared token is dropped, this process's memory is not told.
    cache.delete(public_cache._token_key(training.project.pk))

    assert queries_of(client, url) > 0  # the tokens are read on every request: made afresh


def test_a_change_made_by_another_process_shows_once_the_tokens_are_read_again(
    client, training, settings
):
    from django.core.cache import cache

    from lider.website import public_cache

    settings.LIDER_PUBLIC_PAGE_RECHECK = 60
    url = project_url(training.project)
    client.get(url)
    # Another worker's change: the shared token is dropped, this process's memory is not told.
    cache.delete(public_cache._token_key(training.project.pk))

    assert queries_of(client, url) == 0  # within the bound, this worker's copy

    settings.LIDER_PUBLIC_PAGE_RECHECK = 0
    assert queries_of(client, url) > 0  # the tokens read again: made afresh
    assert queries_of(client, url) == 0  # and kept under the new token


def test_a_visitor_with_a_session_gets_a_page_of_their_own(client, training):
    from tests.factories import UserFactory

    url = project_url(training.project)
    client.get(url)  # kept in memory for anonymous visitors
    client.force_login(UserFactory())

    body = client.get(url).content.decode()

    assert reverse("backoffice:logout") in body  # their header, not the anonymous one
    assert reverse("backoffice:login") not in body


def test_a_page_left_private_is_not_served_from_memory(client, training):
    url = project_url(training.project)
    client.get(url)

    project = training.project
    project.is_public = False
    project.save(update_fields=["is_public"])  # the save's signal drops the project's token

    assert client.get(url).status_code == 404
