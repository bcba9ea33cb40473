import pytest
from django.urls import reverse

from lider.core.permissions import Role
from lider.people import queries
from lider.people import views as people_views
from lider.people.models import InstitutionMember, Participant
from tests.factories import (
    ApplicationFactory,
    InstitutionFactory,
    PersonFactory,
    ProjectFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sorted_whole", [100, 2], ids=["sorted", "walked"])
@pytest.mark.parametrize("rows", [1, 3])
def test_person_list_queries_constant(
    client, rows, sorted_whole, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(queries, "SORTED_WHOLE", sorted_whole)
    project = ProjectFactory()
    for _ in range(rows):
        ApplicationFactory(project=project)
    client.force_login(member(project, Role.OFFICE))
    # session, user (read with the second-factor facts), project, roles, participants and
    # applicants counted, the page's ids, the page's rows, pending corrections (art. 16) count
    with django_assert_num_queries(9):
        response = client.get(reverse("people:list", kwargs={"slug": project.slug}))
    assert len(response.context["page"]) == rows


@pytest.mark.parametrize("applicants", [True, False], ids=["applicants", "participants only"])
@pytest.mark.parametrize("sorted_whole", [100, 2], ids=["sorted", "walked"])
def test_person_list_pages_in_polish_order(client, sorted_whole, applicants, monkeypatch):
    """Both ways of reading a page (few people sorted whole, many read along the name index)
    give the Polish alphabet across pages: participants and applicants alike, nobody of
    another project, nobody twice."""
    monkeypatch.setattr(queries, "SORTED_WHOLE", sorted_whole)
    monkeypatch.setattr(people_views, "PER_PAGE", 2)
    project = ProjectFactory()
    names = ["Łukasiewicz", "Lis", "Ąbecka", "Żak", "Zawada", "Abramczyk", "Śliwa"]
    for n, name in enumerate(names):
        person = PersonFactory(last_name=name, first_name="Anna")
        if n % 2 and applicants:
            ApplicationFactory(project=project, person=person)
        else:
            Participant.objects.create(project=project, person=person)
            if n == 2:  # a participant who applied too appears once
                ApplicationFactory(project=project, person=person)
    Participant.objects.create(project=ProjectFactory(), person=PersonFactory(last_name="Ba"))
    client.force_login(member(project, Role.OFFICE))
    url = reverse("people:list", kwargs={"slug": project.slug})
    seen = []
    for number in (1, 2, 3, 4):
        response = client.get(url, {"page": number})
        assert response.context["page"].paginator.count == len(names)
        seen += [person.last_name for person in response.context["page"]]
    assert seen == ["Abramczyk", "Ąbecka", "Lis", "Łukasiewicz", "Śliwa", "Zawada", "Żak"]


@pytest.mark.parametrize("rows", [1, 3])
def test_institution_list_queries_constant(client, rows, django_assert_num_queries):
    project = ProjectFactory()
    for _ in range(rows):
        Participant.objects.create(project=project, institution=InstitutionFactory())
    client.force_login(member(project, Role.OFFICE))
    with django_assert_num_queries(6):
        response = client.get(reverse("people:institutions", kwargs={"slug": project.slug}))
    assert len(response.context["page"]) == rows


def test_list_masks_pesel_and_disability(client):
    project = ProjectFactory()
    ApplicationFactory(project=project, person=PersonFactory(pesel="90010112349", disability="yes"))
    client.force_login(member(project, Role.COORDINATOR))
    body = client.get(reverse("people:list", kwargs={"slug": project.slug})).content.decode()
    assert "900101*****" in body and "90010112349" not in body
    assert "(ukryte)" in body


def test_people_of_other_projects_are_not_listed_or_shown(client):
    project, other = ProjectFactory(), ProjectFactory()
    mine = ApplicationFactory(project=project).person
    theirs = ApplicationFactory(project=other).person
    client.force_login(member(project, Role.OFFICE))
    page = client.get(reverse("people:list", kwargs={"slug": project.slug})).context["page"]
    assert list(page) == [mine]
    url = reverse("people:detail", kwargs={"slug": project.slug, "pk": theirs.pk})
    assert client.get(url).status_code == 404


def test_person_page_for_office_shows_everything_masked_until_revealed(client):
    project = ProjectFactory()
    person = PersonFactory(pesel="90010112349", disability="yes", phone="600100200")
    institution = InstitutionFactory(name="Fundacja Jura")
    InstitutionMember.objects.create(institution=institution, person=person, relation="employee")
    ApplicationFactory(project=project, person=person)
    client.force_login(member(project, Role.OFFICE))
    body = client.get(
        reverse("people:detail", kwargs={"slug": project.slug, "pk": person.pk})
    ).content.decode()
    assert "600100200" in body and "Fundacja Jura (pracownik)" in body
    assert "900101*****" in body and "90010112349" not in body


@pytest.mark.parametrize("role", [Role.TRAINER, Role.PARTNER])
def test_trainer_and_partner_have_no_person_page(client, role):
    project = ProjectFactory()
    person = ApplicationFactory(project=project).person
    client.force_login(member(project, role))
    assert (
        client.get(
            reverse("people:detail", kwargs={"slug": project.slug, "pk": person.pk})
        ).status_code
        == 403
    )
    assert client.get(reverse("people:list", kwargs={"slug": project.slug})).status_code == 403


def test_person_search_by_name_or_pesel(client):
    project = ProjectFactory()
    anna = ApplicationFactory(project=project, person=PersonFactory(last_name="Zielińska")).person
    ApplicationFactory(project=project)
    client.force_login(member(project, Role.OFFICE))
    url = reverse("people:list", kwargs={"slug": project.slug})
    assert list(client.get(url, {"q": "Zieli"}).context["page"]) == [anna]
    assert list(client.get(url, {"q": anna.pesel}).context["page"]) == [anna]


@pytest.mark.parametrize("name", ["people:list", "people:institutions"])
@pytest.mark.parametrize("typed", ["ż" * 30000, "Kowal\x00ska"])
def test_list_search_refuses_overlong_or_nul_input_with_a_message(client, name, typed):
    project = ProjectFactory()
    ApplicationFactory(project=project)
    Participant.objects.create(project=project, institution=InstitutionFactory())
    client.force_login(member(project, Role.OFFICE))

    response = client.get(reverse(name, kwargs={"slug": project.slug}), {"q": typed})

    assert response.status_code == 200
    assert response.context["search"] == ""
    assert len(response.context["page"]) == 1
    assert 'aria-invalid="true"' in response.content.decode()


def test_people_count_counts_each_person_once_however_they_came():
    """The list's count (participants, and applicants not among them, checked only where the
    application has no participant of its own) equals the people counted one by one."""
    project = ProjectFactory()
    accepted = PersonFactory()  # accepted: the application made the participant
    ApplicationFactory(
        project=project,
        person=accepted,
        participant=Participant.objects.create(project=project, person=accepted),
        status="accepted",
    )
    both = PersonFactory()  # pending, but already a participant (added by the office)
    Participant.objects.create(project=project, person=both)
    ApplicationFactory(project=project, person=both)
    ApplicationFactory(project=project)  # pending, not a participant
    Participant.objects.create(project=project, person=PersonFactory())  # no application
    ApplicationFactory(project=ProjectFactory(), person=PersonFactory())  # another project

    assert queries.people_list(project).count() == 4
    assert queries.people_in(project).count() == 4
