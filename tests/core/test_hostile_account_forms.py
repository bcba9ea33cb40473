"""Hostile input to the account forms the general fuzz walk cannot reach (an invitation link,
the administrators' pages): nothing may answer 500 or change anything it should not."""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.projects import invitations
from lider.projects.models import Invitation
from tests.factories import ProjectFactory, member

NASTY = st.one_of(
    st.sampled_from(["\x00", "a\x00b", "x" * 5000, "ｐａｒｔｎｅｒ", "\u202e", "", " ", "9" * 40]),
    st.text(max_size=300),
)
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def verified(client, user):
    device = TOTPDevice.objects.create(user=user, name="tel", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


@pytest.mark.django_db
@EXAMPLES
@given(username=NASTY, password=NASTY, again=NASTY)
def test_accepting_an_invitation_never_fails(username, password, again):
    project = ProjectFactory()
    inviter = member(project, Role.COORDINATOR)
    invitation = Invitation.objects.create(
        project=project,
        email=f"e{Invitation.objects.count()}@example.org",
        first_name="Ewa",
        last_name="Nowak",
        role=Role.TRAINER,
        invited_by=inviter,
        nonce="n",
        sent_at=timezone.now(),
    )
    link = reverse("invitation:accept", args=[invitations.token_for(invitation)])
    users = User.objects.count()
    response = Client(raise_request_exception=False).post(
        link, {"username": username, "password1": password, "password2": again}
    )
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert User.objects.count() == users


@pytest.mark.django_db
@EXAMPLES
@given(token=NASTY)
def test_any_token_is_answered(token):
    client = Client(raise_request_exception=False)
    token = token.replace("/", "")
    if not token.strip():
        return
    response = client.get("/biuro/zaproszenie/" + quote(token, safe="") + "/")
    assert response.status_code in {404, 410}


@pytest.mark.django_db
@EXAMPLES
@given(login=NASTY, address=NASTY, email=NASTY, first=NASTY)
def test_administrators_forms_never_fail(login, address, email, first):
    project = ProjectFactory()
    admin = member(project, Role.ADMINISTRATOR)
    client = Client(raise_request_exception=False)
    verified(client, admin)
    before = AuditEntry.objects.filter(action=AuditEntry.Action.UNLOCK).count()
    lift = client.post(reverse("backoffice:login_lock_lift"), {"login": login, "address": address})
    assert lift.status_code == 302
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNLOCK).count() <= before + 1
    invite = client.post(
        reverse("projects:invitations", kwargs={"slug": project.slug}),
        {
            "first_name": first,
            "last_name": first,
            "email": email,
            "role": login,
            "language": address,
        },
    )
    assert invite.status_code in {200, 302}
    roles = client.post(
        reverse("projects:roles", kwargs={"slug": project.slug}), {"username": login, "role": first}
    )
    assert roles.status_code in {200, 302}
    reset = client.post(reverse("backoffice:password_reset"), {"email": email})
    assert reset.status_code in {200, 302}
