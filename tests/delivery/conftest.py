"""Fixtures of the delivery tests: a task with a group, its session, a trainer and people."""

import pytest
from django.urls import reverse
from django.utils import timezone

from lider.core.permissions import Role
from lider.delivery import places
from tests.delivery.factories import (
    DeliveryParticipantFactory,
    DeliveryTaskFactory,
    GroupFactory,
    SessionFactory,
)
from tests.factories import member


@pytest.fixture
def setup():
    """Today's session of a group of three, led by a trainer."""
    task = DeliveryTaskFactory()
    project = task.project
    office = member(project, Role.OFFICE)
    trainer = member(project, Role.TRAINER)
    trainer.first_name, trainer.last_name = "Tomasz", "Wójcik"
    trainer.save()
    group = GroupFactory(task=task)
    session = SessionFactory(
        task=task, group=group, date=timezone.localdate(), trainers=[trainer], title="Zajęcia"
    )
    people = [DeliveryParticipantFactory(project=project) for _ in range(3)]
    people[0].person.disability = "yes"
    people[0].person.save()
    for person in people:
        places.enrol(task, participant=person, group=group, actor=office)
    return {
        "project": project,
        "task": task,
        "group": group,
        "session": session,
        "trainer": trainer,
        "office": office,
        "people": people,
    }


def url(name, setup, **kwargs):
    return reverse(name, kwargs={"slug": setup["project"].slug, **kwargs})
