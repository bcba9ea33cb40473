"""Factories of the delivery tests (people and sessions in a project)."""

import datetime
import itertools

import factory

from lider.delivery.models import Group, Session, Venue
from lider.people.models import Participant, Person
from lider.projects.models import Task
from lider.territory.queries import gminas_in, unit_by_code
from tests.factories import ProjectFactory

_pesels = itertools.count(1)


def _pesel(n: int) -> str:
    """A valid PESEL of a person born on 1 January 1980 with serial n."""
    digits = f"800101{n:04d}"
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    check = (10 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 10) % 10
    return digits + str(check)


class DeliveryTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    project = factory.SubFactory(ProjectFactory)
    kind = Task.Kind.TRAINING_CYCLE
    title = factory.Sequence(lambda n: f"Cykl szkoleń {n}")


class DeliveryPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = "Zażółć"
    last_name = factory.Sequence(lambda n: f"Gęślą-Jaźń {n}")
    pesel = factory.LazyFunction(lambda: _pesel(next(_pesels)))
    birth_date = datetime.date(1980, 1, 1)
    sex = "M"


class DeliveryParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    project = factory.SubFactory(ProjectFactory)
    person = factory.SubFactory(DeliveryPersonFactory)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    project = factory.SubFactory(ProjectFactory)
    name = "Sala konferencyjna"
    street = "ul. Jasnogórska 1"
    postal_code = "42-200"
    city = "Częstochowa"
    gmina = factory.LazyFunction(lambda: gminas_in([unit_by_code("2404")])[0])


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    task = factory.SubFactory(DeliveryTaskFactory)
    name = factory.Sequence(lambda n: f"Grupa {n}")
    county = factory.LazyFunction(lambda: unit_by_code("2404"))
    capacity = 25


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    task = factory.SubFactory(DeliveryTaskFactory)
    title = "Zajęcia: ekonomia społeczna"
    date = factory.LazyFunction(datetime.date.today)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(15, 0)
    venue = factory.LazyAttribute(lambda o: VenueFactory(project=o.task.project))

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)
