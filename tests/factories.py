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
    # Public, with an open application form; tests of drafts and closed projects say so.
    state = Project.State.RUNNING

    @factory.post_generation
    def counties(self, create, extracted, **kwargs):
        if create:
            self.counties.set(extracted or [unit_by_code("2404")])


def member(project, role, user=None):
    """A user holding `role` in `project`."""
    user = user or UserFactory()
    Membership.objects.create(project=project, user=user, role=role)
    return user


# --- people and recruitment -------------------------------------------------------------


def valid_pesel(n: int, *, born=datetime.date(1980, 5, 17), woman=True) -> str:
    """A valid PESEL for a birth date; `n` (0–499) makes it unique."""
    from stdnum.pl import pesel

    month = born.month + {1800: 80, 1900: 0, 2000: 20}[born.year // 100 * 100]
    serial = f"{n % 500:03d}" + str((n % 5) * 2 + (0 if woman else 1))
    body = f"{born.year % 100:02d}{month:02d}{born.day:02d}{serial}"
    return body + pesel.calc_check_digit(body)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Person"

    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Nowak{n}")
    pesel = factory.Sequence(lambda n: valid_pesel(n))
    birth_date = datetime.date(1980, 5, 17)
    sex = "K"
    postal_code = "42-200"
    city = "Częstochowa"
    gmina = factory.LazyFunction(lambda: unit_by_code("2404052"))
    email = factory.Sequence(lambda n: f"osoba{n}@example.pl")
    education = "isced3"
    labour_status = "unemployed_registered"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Institution"

    name = factory.Sequence(lambda n: f"Stowarzyszenie {n}")
    legal_form = "association"
    kind = "ngo"
    gmina = factory.LazyFunction(lambda: unit_by_code("2404052"))
    email = factory.Sequence(lambda n: f"instytucja{n}@example.pl")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recruitment.Application"

    project = factory.SubFactory(ProjectFactory)
    person = factory.SubFactory(PersonFactory)
    institution = None
    # What the application was submitted with (see Application's docstring).
    pesel = factory.LazyAttribute(lambda a: a.person.pesel if a.person else "")
    nip = factory.LazyAttribute(lambda a: a.institution.nip if a.institution else "")
    email = factory.LazyAttribute(lambda a: (a.person or a.institution).email)
    source = "paper"
    submitted_at = factory.LazyFunction(
        lambda: datetime.datetime(2009, 12, 10, 10, 0, tzinfo=datetime.UTC)
    )
    is_eligible = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as the services save one, counted in the project's kept counts."""
        from lider.recruitment import totals

        application = model_class(*args, **kwargs)
        with totals.kept(application):
            application.save()
        return application
