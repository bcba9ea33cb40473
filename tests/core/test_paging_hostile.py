"""A page number from the address bar is hostile input: negative, huge, not a number, not
ASCII. Every paginated list answers with one of its pages, never a 500."""

import pytest
from django.urls import reverse

from lider.core.permissions import Role
from tests.certification.conftest import make_training
from tests.factories import member
from tests.projects.test_states import login

pytestmark = pytest.mark.django_db

PAGES = ["-1", "0", "9" * 30, "abc", "1" * 5000, "1.5", "1e9", "\x00", "１", "٣", ""]


def _lists(training):
    slug, task = training.project.slug, training.task
    session = training.sessions[0]
    return [
        reverse("people:list", kwargs={"slug": slug}),
        reverse("people:later_due", kwargs={"slug": slug}),
        reverse("people:institutions", kwargs={"slug": slug}),
        reverse("recruitment:list", kwargs={"slug": slug}),
        reverse("projects:audit", kwargs={"slug": slug}),
        reverse("delivery:task", kwargs={"slug": slug, "task": task.pk}),
        reverse("delivery:session", kwargs={"slug": slug, "pk": session.pk}),
        reverse("certification:task", kwargs={"slug": slug, "task_pk": task.pk}),
    ]


def test_every_paginated_list_answers_a_hostile_page_number_with_a_page(client):
    training = make_training(people=3)
    user = member(training.project, Role.COORDINATOR)
    member(training.project, Role.ADMINISTRATOR, user)  # the audit trail is theirs
    login(client, user)
    names = [p.person.last_name for p in training.participants]
    for path in _lists(training):
        for page in PAGES:
            response = client.get(path, {"page": page})
            assert response.status_code == 200, (path, page)
    # the people list shows its (only) page whatever number was asked
    people = reverse("people:list", kwargs={"slug": training.project.slug})
    for page in ("-1", "9" * 30, "abc"):
        content = client.get(people, {"page": page}).content.decode()
        assert all(name in content for name in names), page
