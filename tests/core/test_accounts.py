import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lider.core.models import LoginFailure
from lider.core.permissions import Role
from tests.factories import ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db
LOGIN = "/biuro/logowanie/"


def test_ten_wrong_passwords_lock_the_account(client):
    user = UserFactory(username="anna")
    for _ in range(10):
        response = client.post(LOGIN, {"username": "anna", "password": "złe-hasło"})
        assert "Wprowadź poprawne wartości pól" in response.content.decode()
    response = client.post(LOGIN, {"username": "anna", "password": "Haslo-testowe-123"})
    body = response.content.decode()
    assert "Zbyt wiele nieudanych prób logowania" in body
    assert "spróbuj ponownie za 15 minut" in body
    assert "_auth_user_id" not in client.session
    assert user.pk  # the account itself is untouched


def test_lock_expires_after_window(client, settings):
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 0
    UserFactory(username="celina")
    for _ in range(10):
        client.post(LOGIN, {"username": "celina", "password": "x"})
    assert LoginFailure.objects.count() == 10
    response = client.post(LOGIN, {"username": "celina", "password": "Haslo-testowe-123"})
    assert response.status_code == 302
    assert LoginFailure.objects.count() == 0  # a successful login forgets the pair's failures


def test_administrator_without_second_factor_is_asked_to_set_one_up(client):
    project = ProjectFactory()
    admin = member(project, Role.ADMINISTRATOR)
    client.post(LOGIN, {"username": admin.username, "password": "Haslo-testowe-123"})
    response = client.get(reverse("projects:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:second_factor_setup"))
    setup = client.get(response.url)
    assert "Skonfiguruj logowanie dwuskładnikowe" in setup.content.decode()

    assert not TOTPDevice.objects.filter(user=admin).exists()  # a GET stores nothing
    key = bytes.fromhex(client.session["lider_totp_setup_key"])
    code = f"{totp(key):06d}"
    done = client.post(reverse("backoffice:second_factor_setup"), {"token": code})
    assert done.status_code == 302
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed
    assert device.bin_key == key
    assert client.get(reverse("projects:list")).status_code == 200


def test_wrong_code_is_refused_in_polish(client):
    admin = member(ProjectFactory(), Role.ADMINISTRATOR)
    client.force_login(admin)
    client.get(reverse("backoffice:second_factor_setup"))
    response = client.post(reverse("backoffice:second_factor_setup"), {"token": "000000"})
    assert "Kod jest nieprawidłowy" in response.content.decode()
    assert not TOTPDevice.objects.get(user=admin).confirmed


def test_user_with_device_must_enter_code(client):
    coordinator = member(ProjectFactory(), Role.COORDINATOR)
    device = TOTPDevice.objects.create(user=coordinator, name="tel", confirmed=True)
    client.post(LOGIN, {"username": coordinator.username, "password": "Haslo-testowe-123"})
    response = client.get(reverse("projects:list"))
    assert response.url.startswith(reverse("backoffice:second_factor"))
    code = f"{totp(device.bin_key):06d}"
    client.post(reverse("backoffice:second_factor"), {"token": code})
    assert client.get(reverse("projects:list")).status_code == 200


def test_coordinator_without_device_needs_no_code(client):
    coordinator = member(ProjectFactory(), Role.COORDINATOR)
    client.post(LOGIN, {"username": coordinator.username, "password": "Haslo-testowe-123"})
    assert client.get(reverse("projects:list")).status_code == 200


def test_security_headers(client):
    response = client.get(LOGIN)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
