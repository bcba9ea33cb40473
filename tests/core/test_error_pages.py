"""Error pages: the site's layout, the visitor's language, a way back; 500 without the database."""

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from lider.core.permissions import Role
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_client(settings):
    settings.ROOT_URLCONF = "tests.core.error_urls"
    return Client(raise_request_exception=False)


def assert_in_layout(body: str, lang: str = "pl"):
    assert f'<html lang="{lang}">' in body
    assert 'class="site-header"' in body and 'class="site-footer"' in body
    assert 'href="/"' in body or 'href="/en/"' in body  # the way back home


def test_404_in_polish_and_in_english(client):
    response = client.get("/nie-ma-takiej-strony/")
    body = response.content.decode()
    assert response.status_code == 404
    assert_in_layout(body)
    assert "Nie znaleziono strony" in body
    assert "<h1>Nie znaleziono strony</h1>" in body

    english = client.get("/en/no-such-page/")
    body = english.content.decode()
    assert english.status_code == 404
    assert_in_layout(body, "en")
    assert "<h1>Page not found</h1>" in body


def test_404_does_not_show_the_exception(client):
    body = client.get("/biuro/projekty/nie-ma/").content.decode()
    assert "matches the given query" not in body
    assert "Project" not in body


def test_403_of_a_project_page_says_why(client):
    project = ProjectFactory()
    client.force_login(member(project, Role.TRAINER))
    response = client.get(reverse("projects:roles", kwargs={"slug": project.slug}))
    body = response.content.decode()
    assert response.status_code == 403
    assert_in_layout(body)
    assert "Ta strona jest przeznaczona dla ról: administrator, koordynator, audytor" in body
    assert "Twoje role w tym projekcie (trener lub doradca)" in body


def test_403_without_any_role_in_the_project(client):
    project = ProjectFactory()
    client.force_login(member(ProjectFactory(), Role.COORDINATOR))
    body = client.get(reverse("projects:detail", kwargs={"slug": project.slug})).content.decode()
    assert "Nie masz żadnej roli w tym projekcie" in body
    assert project.title not in body


def test_403_shows_the_message_given_with_the_refusal(failing_client):
    response = failing_client.get("/test/refused/")
    body = response.content.decode()
    assert response.status_code == 403
    assert_in_layout(body)
    assert "Nie prowadzisz tych zajęć." in body


def test_405_for_a_link_to_an_action(client):
    response = client.get(reverse("backoffice:logout"))
    body = response.content.decode()
    assert response.status_code == 405
    assert_in_layout(body)
    assert "Ta czynność wymaga przycisku" in body
    assert response["Allow"]


def test_400_in_the_layout(failing_client):
    response = failing_client.get("/test/suspicious/")
    body = response.content.decode()
    assert response.status_code == 400
    assert_in_layout(body)
    assert "Nieprawidłowe żądanie" in body


def test_a_way_back_to_the_previous_page_of_ours_only(client):
    body = client.get("/nie-ma/", HTTP_REFERER="http://testserver/projekty/").content.decode()
    assert 'href="http://testserver/projekty/"' in body
    body = client.get("/nie-ma/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in body


def test_500_in_the_layout_and_language(failing_client):
    response = failing_client.get("/en/test/boom/")
    assert response.status_code == 404  # test views are not under the language prefix
    response = failing_client.get("/test/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert_in_layout(body)
    assert "<h1>Błąd serwera</h1>" in body


def test_500_needs_no_database(failing_client, monkeypatch):
    def no_database(self, *args, **kwargs):
        raise RuntimeError("the database is down")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", no_database)
    monkeypatch.setattr(BaseDatabaseWrapper, "_cursor", no_database)
    response = failing_client.get("/test/database-down/")
    body = response.content.decode()
    assert response.status_code == 500
    assert_in_layout(body)
    assert "<h1>Błąd serwera</h1>" in body


def test_csrf_failure_is_explained(client):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("backoffice:login"), {"username": "a", "password": "b"})
    body = response.content.decode()
    assert response.status_code == 403
    assert_in_layout(body)
    assert "formularz wygasł" in body
