"""The login throttle: per (normalised login, client address), a ceiling per address, locks an
administrator lifts, and logins that are compared normalised."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lider.core import accounts
from lider.core.models import AuditEntry, LoginFailure
from lider.core.permissions import Role
from tests.factories import ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db
LOGIN = "/biuro/logowanie/"
PASSWORD = "Haslo-testowe-123"
LOCKED = "Zbyt wiele nieudanych prób logowania"


def attempt(client, username, password, address="10.0.0.1", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, username, times, address="10.0.0.1", **headers):
    for _ in range(times):
        response = attempt(client, username, "złe-hasło", address, **headers)
        assert LOCKED not in response.content.decode()


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_lock_stops_only_that_login_from_that_address(client):
    UserFactory(username="anna")
    UserFactory(username="beata")
    fail(client, "anna", 10)
    assert LOCKED in attempt(client, "anna", PASSWORD).content.decode()
    # A colleague behind the same NAT address logs in.
    assert attempt(client, "beata", PASSWORD).status_code == 302
    client.logout()
    # The owner, from her own address, logs in although someone else guessed at her login.
    assert attempt(client, "anna", PASSWORD, address="192.0.2.7").status_code == 302


def test_the_user_is_told_how_long_to_wait(client, settings):
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 3
    UserFactory(username="anna")
    fail(client, "anna", 10)
    body = attempt(client, "anna", PASSWORD).content.decode()
    assert "spróbuj ponownie za 3 minuty" in body


def test_a_differently_written_login_gets_no_fresh_tries(client):
    UserFactory(username="partner")
    fail(client, "partner", 10)
    for spelling in ("ｐａｒｔｎｅｒ", "PARTNER", " Partner "):
        response = attempt(client, spelling, PASSWORD)
        assert LOCKED in response.content.decode(), spelling
        assert not logged_in(client)
    assert LoginFailure.objects.filter(username="partner").count() == 10


def test_a_differently_written_login_reaches_the_same_account(client):
    user = UserFactory(username="partner")
    assert attempt(client, "ＰＡＲＴＮＥＲ", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_one_address_trying_many_logins_is_stopped_at_the_higher_ceiling(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 30
    UserFactory(username="beata")
    for n in range(10):
        fail(client, f"zgadywany{n}", 3)
    # 30 failures from one address, no login locked on its own: the address is.
    assert LOCKED in attempt(client, "beata", PASSWORD).content.decode()
    assert not logged_in(client)
    assert attempt(client, "beata", PASSWORD, address="10.0.0.2").status_code == 302


def test_ten_different_logins_from_one_address_lock_nobody(client):
    UserFactory(username="beata")
    for n in range(10):
        fail(client, f"zgadywany{n}", 1)
    assert attempt(client, "beata", PASSWORD).status_code == 302


def test_a_forwarded_for_header_is_ignored_unless_configured(client):
    UserFactory(username="anna")
    for n in range(10):
        attempt(client, "anna", "złe", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = attempt(client, "anna", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert LOCKED in response.content.decode()


def test_the_trusted_proxy_header_gives_each_client_its_own_address(client, settings):
    settings.LIDER_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    UserFactory(username="anna")
    # Behind the proxy (REMOTE_ADDR is the proxy), one client fails ten times...
    fail(client, "anna", 10, address="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    locked = attempt(client, "anna", PASSWORD, "10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert LOCKED in locked.content.decode()
    # ...and a client that forges the header gets the address our proxy appended, not its own.
    forged = attempt(
        client, "anna", PASSWORD, "10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5"
    )
    assert LOCKED in forged.content.decode()
    other = attempt(client, "anna", PASSWORD, "10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_a_successful_login_forgets_the_pairs_failures(client):
    UserFactory(username="anna")
    fail(client, "anna", 9)
    assert attempt(client, "anna", PASSWORD).status_code == 302
    assert LoginFailure.objects.count() == 0


@pytest.mark.parametrize(
    "username", ["a" * 151, "a" * 100_000, "anna\x00", "\x00", "ａ" * 151], ids=repr
)
def test_hostile_logins_get_a_form_error(client, username):
    UserFactory(username="anna")
    response = attempt(client, username, PASSWORD)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="form-errors"' in body
    assert not logged_in(client)
    assert LoginFailure.objects.count() == 0


def test_look_alike_logins_are_refused_for_new_accounts():
    UserFactory(username="partner")
    for spelling in ("ｐａｒｔｎｅｒ", "Partner", "PARTNER"):
        with pytest.raises(ValidationError) as error:
            accounts.validate_new_login(spelling)
        assert error.value.code == "taken"
    assert accounts.validate_new_login("ｐａｒｔｎｅｒ２") == "partner2"


def verified_admin(client):
    admin = member(ProjectFactory(), Role.ADMINISTRATOR)
    device = TOTPDevice.objects.create(user=admin, name="tel", confirmed=True)
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return admin


def test_an_administrator_sees_and_lifts_a_lock(client):
    UserFactory(username="anna")
    other = client_class_copy(client)
    fail(other, "anna", 10)
    fail(other, "anna", 3, address="10.0.0.2")
    admin = verified_admin(client)

    page = client.get(reverse("backoffice:login_locks"))
    assert page.status_code == 200
    locks = page.context["locks"]
    assert [(lock.login, lock.address, lock.failures) for lock in locks] == [
        ("anna", "10.0.0.1", 10)
    ]
    response = client.post(
        reverse("backoffice:login_lock_lift"), {"login": "anna", "address": "10.0.0.1"}
    )
    assert response.status_code == 302
    assert LoginFailure.objects.filter(ip_address="10.0.0.1").count() == 0
    assert LoginFailure.objects.filter(ip_address="10.0.0.2").count() == 3
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UNLOCK)
    assert entry.actor == admin
    assert entry.changes == {"login": ["anna", None], "address": ["10.0.0.1", None]}
    assert attempt(other, "anna", PASSWORD).status_code == 302
    assert "Zdjęta blokada" not in client.get(reverse("backoffice:login_locks")).content.decode()


def client_class_copy(client):
    from django.test import Client

    return Client()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_see_login_locks(client, role):
    client.force_login(member(ProjectFactory(), role))
    response = client.get(reverse("backoffice:login_locks"))
    assert response.status_code == 403
    post = client.post(
        reverse("backoffice:login_lock_lift"), {"login": "anna", "address": "10.0.0.1"}
    )
    assert post.status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UNLOCK).exists()


def test_old_failures_are_cleared_as_new_ones_come(client):
    import datetime

    from django.utils import timezone

    old = LoginFailure.objects.create(username="x", ip_address="10.0.0.9")
    LoginFailure.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=2))
    fail(client, "anna", 1)
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["anna"]
