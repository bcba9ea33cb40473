"""The demo's participant account is one person under one name, wherever it is shown."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lider.core.permissions import Role
from lider.people.models import Person


@pytest.mark.django_db
def test_the_demo_participant_has_one_name(client, demo_project):
    user = User.objects.get(username="uczestnik")
    person = Person.objects.get(user=user)
    assert (user.first_name, user.last_name) == (person.first_name, person.last_name)

    client.force_login(user)
    account = client.get(reverse("website:account")).content.decode()
    assert person.full_name in account

    admin = demo_project.memberships.get(role=Role.ADMINISTRATOR).user
    device = TOTPDevice.objects.create(user=admin, name="tel", confirmed=True)
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    roles = client.get(reverse("projects:roles", kwargs={"slug": demo_project.slug}))
    assert f"{person.full_name} <small>(uczestnik)</small>" in roles.content.decode()
