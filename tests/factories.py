"""Factories shared by the tests of every app."""

import datetime

import factory
from django.contrib.auth.models import User

from lider.projects.models import Membership, Organisation, ProgrammeNode, Project
from lider.territory.queries import unit_by_code


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Haslo-testowe-123")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organizacja {n}")


class ProgrammeNodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeNode

    level = ProgrammeNode.Level.SUBMEASURE
    code = factory.Sequence(lambda n: f"9.{n}")
    name = "Poddziałanie testowe"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"projekt-{n}")
    number = factory.Sequence(lambda n: f"WND-TEST-{n:05d}")
    title = factory.Sequence(lambda n: f"Projekt testowy {n}")
    cofinancing_statement = "Projekt współfinansowany ze środków Unii Europejskiej"
    classification = factory.SubFactory(ProgrammeNodeFactory)
    institution = factory.SubFactory(OrganisationFactory)
    applicant = factory.SubFactory(OrganisationFactory)
    start_date = datetime.date(2009, 12, 1)
    end_date = datetime.date(2010, 12, 31)
    main_goal = "Cel główny"

    @factory.post_generation
    def counties(self, create, extracted, **kwargs):
        if create:
            self.counties.set(extracted or [unit_by_code("2404")])


def member(project, role, user=None):
    """A user holding `role` in `project`."""
    user = user or UserFactory()
    Membership.objects.create(project=project, user=user, role=role)
    return user
