"""The second-factor gate reads what it needs with the request's user (no query of its own)
and sees each change to devices and roles on the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lider.core.permissions import Role
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db
LOGIN = "/biuro/logowanie/"
PASSWORD = "Haslo-testowe-123"


def statements_reading(table: str, queries) -> list[str]:
    """Queries reading ``table`` on their own (not as a subquery of the user's row)."""
    return [
        q["sql"]
        for q in queries
        if f'FROM "{table}"' in q["sql"] and not q["sql"].startswith('SELECT "auth_user"')
    ]


def log_in(client, user):
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_a_back_office_page_asks_no_query_for_the_second_factor(client):
    coordinator = member(ProjectFactory(), Role.COORDINATOR)
    log_in(client, coordinator)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("projects:list")).status_code == 200

    assert statements_reading("otp_totp_totpdevice", queries) == []
    administrator_checks = [
        sql
        for sql in statements_reading("projects_membership", queries)
        if "'administrator'" in sql
    ]
    assert administrator_checks == []


def test_a_device_confirmed_elsewhere_asks_for_the_code_on_the_next_request(client):
    coordinator = member(ProjectFactory(), Role.COORDINATOR)
    log_in(client, coordinator)
    assert client.get(reverse("projects:list")).status_code == 200

    TOTPDevice.objects.create(user=coordinator, name="tel", confirmed=True)

    response = client.get(reverse("projects:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:second_factor"))


def test_an_administrator_role_granted_asks_for_a_device_on_the_next_request(client):
    project = ProjectFactory()
    coordinator = member(project, Role.COORDINATOR)
    log_in(client, coordinator)
    assert client.get(reverse("projects:list")).status_code == 200

    member(ProjectFactory(), Role.ADMINISTRATOR, user=coordinator)

    response = client.get(reverse("projects:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:second_factor_setup"))


def test_a_removed_device_revokes_the_verified_session(client):
    administrator = member(ProjectFactory(), Role.ADMINISTRATOR)
    device = TOTPDevice.objects.create(user=administrator, name="tel", confirmed=True)
    log_in(client, administrator)
    client.post(reverse("backoffice:second_factor"), {"token": f"{totp(device.bin_key):06d}"})
    assert client.get(reverse("projects:list")).status_code == 200

    device.delete()

    response = client.get(reverse("projects:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:second_factor_setup"))
