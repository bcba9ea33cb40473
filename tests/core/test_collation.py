"""People and places in Polish alphabetical order, on SQLite and on PostgreSQL alike."""

import re

import pytest
from django.urls import reverse

from lider.core.collation import compare, key_bytes, polish, sort_key
from lider.core.permissions import Role
from lider.people.models import Participant, Person
from lider.territory.models import Unit
from lider.territory.queries import gminas_in, unit_by_code
from tests.factories import (
    ApplicationFactory,
    InstitutionFactory,
    PersonFactory,
    ProjectFactory,
    member,
)

SURNAMES = ["Świątek", "Sowa", "Łukasz", "Lucyna", "Baster", "Bałazy", "Żak", "Zając", "Źródło"]
POLISH_ORDER = ["Bałazy", "Baster", "Lucyna", "Łukasz", "Sowa", "Świątek", "Zając", "Źródło", "Żak"]


def test_sort_key_follows_the_polish_alphabet():
    assert sorted(SURNAMES, key=sort_key) == POLISH_ORDER
    assert sorted(["Ewa", "Émile", "Ęka", "eryk"], key=sort_key) == ["Émile", "eryk", "Ewa", "Ęka"]
    assert sorted(["Nowak", "nowak", "Kowalska-Nowak", "Kowalska Nowak"], key=sort_key) == [
        "Kowalska Nowak",
        "Kowalska-Nowak",
        "nowak",
        "Nowak",
    ]


def test_only_identical_texts_compare_equal():
    assert compare("Sowa", "Sowa") == 0
    assert compare("Sowa", "sowa") > 0 and compare("sowa", "Sowa") < 0
    assert compare("Łukasz", "Lucyna") > 0


@pytest.mark.django_db
def test_people_are_ordered_in_polish_by_the_database():
    for surname in SURNAMES:
        PersonFactory(last_name=surname)
    assert list(Person.objects.values_list("last_name", flat=True)) == POLISH_ORDER
    assert Person.objects.filter(last_name="Sowa").count() == 1  # equality is unchanged
    assert Person.objects.filter(last_name="sowa").count() == 0


@pytest.mark.django_db
def test_people_and_institutions_lists_are_in_polish_order(client):
    project = ProjectFactory()
    for surname in SURNAMES:
        ApplicationFactory(project=project, person=PersonFactory(last_name=surname))
    for name in ["Świetlica", "Stowarzyszenie", "Łączność", "Lokalni"]:
        Participant.objects.create(project=project, institution=InstitutionFactory(name=name))
    client.force_login(member(project, Role.OFFICE))
    people = client.get(reverse("people:list", kwargs={"slug": project.slug})).content.decode()
    listed = re.findall(r"/osoby/\d+/\">(\w+) Anna</a>", people)
    assert listed == POLISH_ORDER
    page = client.get(reverse("people:institutions", kwargs={"slug": project.slug}))
    listed = re.findall(r'/instytucje/\d+/">([^<]+)</a>', page.content.decode())
    assert listed == ["Lokalni", "Łączność", "Stowarzyszenie", "Świetlica"]


@pytest.mark.django_db
def test_gminas_and_venues_are_in_polish_order():
    from lider.delivery.models import Venue

    names = [unit.name for unit in gminas_in([unit_by_code("2404"), unit_by_code("2409")])]
    assert names == sorted(names, key=sort_key)
    units = list(
        Unit.objects.filter(name__in=["Łódź", "Lubliniec", "Lublin", "Śrem", "Sosnowiec"])
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    assert units == ["Lublin", "Lubliniec", "Łódź", "Sosnowiec", "Śrem"]
    project = ProjectFactory()
    gmina = unit_by_code("2404052")
    for name, city in [
        ("Sala", "Żarki"),
        ("Aula", "Zawiercie"),
        ("Sala", "Łódź"),
        ("Dom", "Lubliniec"),
    ]:
        Venue.objects.create(project=project, name=name, city=city, gmina=gmina)
    assert [venue.city for venue in Venue.objects.filter(project=project)] == [
        "Lubliniec",
        "Łódź",
        "Zawiercie",
        "Żarki",
    ]


@pytest.mark.django_db
def test_accounts_on_the_roles_page_and_trainers_to_choose_are_in_polish_order(client):
    from lider.delivery.forms import trainers_choosable
    from tests.factories import UserFactory

    project = ProjectFactory()
    for surname in SURNAMES:
        member(project, Role.TRAINER, user=UserFactory(first_name="Jan", last_name=surname))
    client.force_login(member(project, Role.COORDINATOR, user=UserFactory(last_name="Adamska")))
    page = client.get(reverse("projects:roles", kwargs={"slug": project.slug})).content.decode()
    assert re.findall(r"<td>Jan (\w+) <small>", page) == POLISH_ORDER
    trainers = trainers_choosable(project)
    assert [user.last_name for user in trainers] == POLISH_ORDER


MIXED = [
    "Sowa", "Świątek", "Baster", "Bałazy", "Łukasz", "Lucyna", "Lis", "Zając", "Żak", "Źródło",
    "Zieliński", "Ćwik", "Czarnecki", "Cybulski", "Ólga", "Orzeł", "ołówek", "Nowak", "Ńa",
    "nowak", "Émile", "Eryk", "Ewa", "Ęka", "Kowalska-Nowak", "Kowalski", "Kowalska Nowak",
    "O'Brien", "Obama", "Müller", "Mueller", "Muller",
]  # fmt: skip


@pytest.mark.django_db
def test_the_database_orders_as_the_sort_key_does():
    """On PostgreSQL the order is ICU's: the SQLite function must agree with it."""
    for surname in MIXED:
        PersonFactory(last_name=surname)
    assert list(Person.objects.values_list("last_name", flat=True)) == sorted(MIXED, key=sort_key)


def test_the_key_as_bytes_orders_as_the_key_does():
    """SQLite sorts large lists by lider_pl_key (bytes compared by SQLite itself)."""
    texts = [*MIXED, "", "a", "a ", "Ą", "ﬁ", "İstanbul", "\U0001f600", "\uffff", "\ub0f0x"]
    assert sorted(texts, key=key_bytes) == sorted(texts, key=sort_key)
    assert key_bytes(None) is None


@pytest.mark.django_db
def test_polish_orders_a_list_on_the_database_as_the_sort_key_does():
    for surname in MIXED:
        PersonFactory(last_name=surname)
    ordered = Person.objects.order_by(polish("last_name"), "pk").values_list("last_name", flat=True)
    assert list(ordered) == sorted(MIXED, key=sort_key)
