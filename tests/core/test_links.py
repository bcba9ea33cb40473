"""Absolute links: a request's own host for links made for it, SITE_URL for everything else."""

import pytest
from django.core.exceptions import DisallowedHost
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from lider.certification import printing
from lider.core.links import absolute_url
from lider.core.management.commands import serve
from lider.core.permissions import Role
from lider.delivery.models import CalendarToken
from tests.delivery.factories import DeliveryTaskFactory, SessionFactory
from tests.factories import member


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://lider.example.org/"
    settings.ALLOWED_HOSTS = ["lider.example.org", "127.0.0.1", "testserver"]
    return settings


def test_without_a_request_the_site_url(site):
    assert absolute_url("/weryfikacja/AB/") == "https://lider.example.org/weryfikacja/AB/"


def test_with_a_request_its_own_scheme_and_host(site):
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8101")
    assert absolute_url("/biuro/", request) == "http://127.0.0.1:8101/biuro/"


def test_a_host_outside_allowed_hosts_is_refused(site):
    request = RequestFactory().get("/", HTTP_HOST="attacker.example.com")
    with pytest.raises(DisallowedHost):
        absolute_url("/biuro/", request)


def test_only_paths_from_the_root(site):
    with pytest.raises(ValueError):
        absolute_url("https://elsewhere.example.com/")


def test_certificate_qr_points_to_the_site_url(site):
    assert printing.verification_url("K7M4XQ9P2W") == (
        "https://lider.example.org/weryfikacja/K7M4XQ9P2W/"
    )


@pytest.mark.django_db
def test_trainer_feed_links_to_the_host_the_calendar_app_used(client, site):
    task = DeliveryTaskFactory()
    trainer = member(task.project, Role.TRAINER)
    session = SessionFactory(task=task, date=timezone.localdate(), trainers=[trainer])
    client.force_login(trainer)
    mine = reverse("delivery:mine", kwargs={"slug": task.project.slug})
    client.post(reverse("delivery:regenerate_feed", kwargs={"slug": task.project.slug}))
    token = CalendarToken.objects.get(user=trainer).token

    page = client.get(mine, HTTP_HOST="127.0.0.1:8101").content.decode()
    assert f"http://127.0.0.1:8101/kalendarz/trener/{token}.ics" in page

    feed = client.get(f"/kalendarz/trener/{token}.ics", HTTP_HOST="127.0.0.1:8101")
    [event] = Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["url"]) == (
        f"http://127.0.0.1:8101/biuro/projekty/{task.project.slug}/zajecia/{session.pk}/"
    )
    refused = client.get(f"/kalendarz/trener/{token}.ics", HTTP_HOST="attacker.example.com")
    assert refused.status_code == 400


@pytest.mark.parametrize(
    ("address", "url"),
    [
        ("127.0.0.1:8101", "http://127.0.0.1:8101"),
        ("8101", "http://127.0.0.1:8101"),
        ("0.0.0.0:8000", "http://0.0.0.0:8000"),
        ("[::1]:8102", "http://[::1]:8102"),
    ],
)
def test_site_url_of_a_served_address(address, url):
    assert serve.site_url_of(address) == url


@pytest.mark.parametrize("address", ["", "127.0.0.1", "127.0.0.1:port", "127.0.0.1:70000"])
def test_a_bad_address_is_refused(address):
    with pytest.raises(CommandError):
        serve.site_url_of(address)


@pytest.fixture
def served(monkeypatch):
    """Run `lider serve` without starting a server: the addresses gunicorn would bind."""
    calls = []
    monkeypatch.setattr(serve, "run_gunicorn", lambda options: calls.append(options["bind"]))
    return calls


def test_serve_sets_site_url_to_its_address(served, settings, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    settings.SITE_URL = "http://127.0.0.1:8000"
    serve.Command().run_from_argv(["lider", "serve", "127.0.0.1:8101"])
    assert settings.SITE_URL == "http://127.0.0.1:8101"
    assert served == ["127.0.0.1:8101"]
    assert printing.verification_url("K7M4XQ9P2W").startswith("http://127.0.0.1:8101/")


def test_serve_keeps_a_configured_site_url(served, settings, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://lider.example.org")
    settings.SITE_URL = "https://lider.example.org"
    serve.Command().run_from_argv(["lider", "serve", "127.0.0.1:8101"])
    assert settings.SITE_URL == "https://lider.example.org"
