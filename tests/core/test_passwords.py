"""Password reset and change: Polish, throttled like logging in, no hint whether an e-mail
exists, audited."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lider.core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RESET = "/biuro/haslo/przypomnij/"
LOCKED = "Zbyt wiele nieudanych prób"
NEW = "Kasztanowa-aleja-2026"


def ask(client, email, address="10.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_reset_sends_a_polish_link_that_sets_a_new_password_once(client):
    user = UserFactory(username="anna", email="anna@example.org")
    response = ask(client, "ANNA@example.org")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["anna@example.org"]
    assert "nowego hasła" in message.subject
    link = re.search(r"http://testserver(/biuro/haslo/nowe/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert "Ustaw nowe hasło" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "krotkie", "new_password2": "krotkie"})
    assert weak.status_code == 200
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEntry.objects.get(note="password reset by e-mail").actor == user

    again = Client().get(link, follow=True)
    assert "nie jest prawidłowy" in again.content.decode()


def test_reset_gives_no_hint_whether_the_address_has_an_account(client):
    UserFactory(username="anna", email="anna@example.org")
    known = ask(client, "anna@example.org")
    unknown = ask(client, "nikt@example.org")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mail.outbox) == 1
    done = client.get(known.url).content.decode()
    assert "Jeśli adres należy do konta" in done


def test_reset_is_throttled_like_logging_in(client):
    UserFactory(username="anna", email="anna@example.org")
    for _ in range(10):
        assert ask(client, "anna@example.org").status_code == 302
    locked = ask(client, "anna@example.org")
    assert locked.status_code == 200
    assert LOCKED in locked.content.decode()
    assert len(mail.outbox) == 10
    # The same answer for an address without an account: the lock tells nothing either.
    for _ in range(10):
        ask(client, "nikt@example.org")
    assert LOCKED in ask(client, "nikt@example.org").content.decode()
    # Another address is not locked out.
    assert ask(client, "anna@example.org", address="10.0.0.2").status_code == 302


def test_change_needs_the_current_password_and_is_throttled(client):
    user = UserFactory(username="anna")
    client.force_login(user)
    url = reverse("backoffice:password_change")
    for _ in range(10):
        wrong = client.post(
            url,
            {"old_password": "złe", "new_password1": NEW, "new_password2": NEW},
            REMOTE_ADDR="10.0.0.1",
        )
        assert wrong.status_code == 200
    right = client.post(
        url,
        {"old_password": "Haslo-testowe-123", "new_password1": NEW, "new_password2": NEW},
        REMOTE_ADDR="10.0.0.1",
    )
    assert LOCKED in right.content.decode()
    user.refresh_from_db()
    assert not user.check_password(NEW)

    other = client.post(
        url,
        {"old_password": "Haslo-testowe-123", "new_password1": NEW, "new_password2": NEW},
        REMOTE_ADDR="10.0.0.2",
    )
    assert other.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEntry.objects.get(note="password changed").actor == user
    assert "_auth_user_id" in client.session  # still logged in here


def test_the_pages_are_in_polish(client):
    assert "Nie pamiętasz hasła?" in client.get(reverse("backoffice:login")).content.decode()
    assert "Zapomniane hasło" in client.get(RESET).content.decode()
