"""A small training cycle to certify: one group, sessions of 8 training hours, participants."""

import datetime
from dataclasses import dataclass, field

import pytest

from lider.delivery import aggregates
from lider.delivery.models import Attendance, Enrolment
from lider.people.models import Participant
from tests.delivery.factories import (
    DeliveryPersonFactory,
    DeliveryTaskFactory,
    GroupFactory,
    SessionFactory,
    VenueFactory,
)
from tests.factories import ProjectFactory, UserFactory

START = datetime.date(2010, 3, 1)


@dataclass
class Training:
    project: object
    task: object
    group: object
    sessions: list
    participants: list = field(default_factory=list)

    def attend(self, participant, count: int) -> None:
        """Mark the participant present at the first ``count`` sessions, absent at the rest."""
        for n, session in enumerate(self.sessions):
            Attendance.objects.update_or_create(
                session=session,
                participant=participant,
                defaults={
                    "status": Attendance.Status.PRESENT if n < count else Attendance.Status.ABSENT
                },
            )
        # Marks written around the services: the pre-aggregated totals follow them by hand.
        aggregates.refresh(participant_ids=[participant.pk], task_ids=[self.task.pk])

    def add_participant(self, *, attended: int | None = None, **person) -> Participant:
        person.setdefault("email", f"osoba{len(self.participants)}@example.pl")
        participant = Participant.objects.create(
            project=self.project, person=DeliveryPersonFactory(**person), start_date=START
        )
        Enrolment.objects.create(
            task=self.task,
            group=self.group,
            participant=participant,
            status=Enrolment.Status.PARTICIPATING,
        )
        self.attend(participant, len(self.sessions) if attended is None else attended)
        self.participants.append(participant)
        return participant


def make_training(*, people: int = 3, sessions: int = 5, project=None) -> Training:
    project = project or ProjectFactory(number="WND-POKL.07.02.02-24-03408")
    task = DeliveryTaskFactory(project=project, title="Cykl szkoleń „Lider ekonomii społecznej”")
    group = GroupFactory(task=task, name="Grupa Myszków")
    venue = VenueFactory(project=project, city="Myszków")
    titles = ["Ekonomia społeczna", "Ekonomia społeczna", "Zakładanie spółdzielni", "Marketing"]
    rows = [
        SessionFactory(
            task=task,
            group=group,
            venue=venue,
            title=titles[n % len(titles)],
            date=START + datetime.timedelta(days=7 * n),
        )
        for n in range(sessions)
    ]
    training = Training(project=project, task=task, group=group, sessions=rows)
    for _n in range(people):
        training.add_participant()
    return training


@pytest.fixture
def training(db):
    return make_training()


@pytest.fixture
def coordinator(training):
    from tests.factories import member

    return member(training.project, "coordinator", UserFactory(first_name="Katarzyna"))
