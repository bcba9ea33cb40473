"""The session page at any size: its list paginated, places booked through a searchable picker
that lists at most a few people (never every participant of the project)."""

import pytest
from django.utils import timezone

from lider.core.permissions import Role
from lider.delivery import places, services
from lider.delivery.models import SessionBooking
from lider.delivery.views.sessions import ROWS_PER_PAGE
from tests.delivery.conftest import url
from tests.delivery.factories import (
    DeliveryParticipantFactory,
    DeliveryPersonFactory,
    DeliveryTaskFactory,
    GroupFactory,
    SessionFactory,
)
from tests.factories import member

pytestmark = pytest.mark.django_db


def _session(people: int, *, others: int = 0):
    """A group's session with ``people`` enrolled (one marked) and ``others`` participants of
    the project in no group."""
    task = DeliveryTaskFactory()
    office = member(task.project, Role.COORDINATOR)
    group = GroupFactory(task=task, capacity=None)
    session = SessionFactory(task=task, group=group, date=timezone.localdate())
    enrolled = [DeliveryParticipantFactory(project=task.project) for _ in range(people)]
    for person in enrolled:
        places.enrol(task, participant=person, group=group, actor=office)
    services.mark_attendance(session, participant=enrolled[0], status="present", actor=office)
    for _ in range(others):
        DeliveryParticipantFactory(project=task.project)
    return {"project": task.project, "session": session, "office": office, "people": enrolled}


@pytest.mark.parametrize("people", [3, ROWS_PER_PAGE + 5])
def test_the_session_page_takes_the_same_queries_for_a_page_or_two(
    client, people, django_assert_num_queries
):
    setup = _session(people, others=people)
    client.force_login(setup["office"])
    path = url("delivery:session", setup, pk=setup["session"].pk)
    client.get(path)  # sessions and caches warm

    with django_assert_num_queries(QUERIES_OF_A_SESSION_PAGE):
        response = client.get(path)

    assert len(response.context["rows"]) == min(people, ROWS_PER_PAGE)
    assert response.context["counts"]["total"] == people
    assert response.context["counts"]["by_status"]["present"] == 1


# Session, user, project, roles, the session, its trainers, bookings, the marks counted, the
# list counted, the page's ids (along the name index), the page of rows with marks and
# restriction flags joined, …: measured, the same at any size.
QUERIES_OF_A_SESSION_PAGE = 11


def test_the_list_is_paginated_with_accessible_controls(client):
    setup = _session(ROWS_PER_PAGE + 2)
    client.force_login(setup["office"])
    path = url("delivery:session", setup, pk=setup["session"].pk)

    first = client.get(path).content.decode()
    second = client.get(path + "?page=2")
    html = second.content.decode()

    assert 'aria-label="Strony listy"' in first
    assert len(second.context["rows"]) == 2
    assert 'aria-current="page"' in html and "?page=1#attendance" in html
    assert f'start="{ROWS_PER_PAGE + 1}"' in html
    assert "Na liście: 52." in html  # the summary counts the whole list, not the page


def test_the_booking_picker_lists_nobody_until_one_searches_and_then_a_few(client):
    setup = _session(1, others=30)
    project, session = setup["project"], setup["session"]
    wanted = DeliveryParticipantFactory(
        project=project, person=DeliveryPersonFactory(last_name="Zawadzka-Unikat")
    )
    client.force_login(setup["office"])
    page = client.get(url("delivery:session", setup, pk=session.pk)).content.decode()
    assert 'type="radio" name="participant"' not in page

    found = client.post(
        url("delivery:book", setup, pk=session.pk),
        {"participant__q": "Gęślą", "_picker": "participant"},
    )
    assert found.status_code == 200
    assert found.content.decode().count('type="radio" name="participant"') == 20  # the limit
    assert not SessionBooking.objects.filter(session=session).exists()  # filtering saves nothing

    one = client.post(
        url("delivery:book", setup, pk=session.pk),
        {"participant__q": "unikat", "_picker": "participant"},
    ).content.decode()
    assert one.count('type="radio" name="participant"') == 1
    assert f'value="{wanted.pk}"' in one

    client.post(url("delivery:book", setup, pk=session.pk), {"participant": wanted.pk})
    assert SessionBooking.objects.get(session=session).participant == wanted


def test_the_picker_refuses_a_participant_of_another_project(client):
    setup = _session(1)
    stranger = DeliveryParticipantFactory()
    client.force_login(setup["office"])

    client.post(url("delivery:book", setup, pk=setup["session"].pk), {"participant": stranger.pk})

    assert not SessionBooking.objects.exists()


@pytest.mark.parametrize("sorted_whole", [100, 2], ids=["sorted", "walked"])
def test_the_session_and_task_pages_list_people_then_institutions_in_polish_order(
    client, sorted_whole, monkeypatch
):
    """A page is read along the name index (or, for a short list, sorted): across pages the
    people come in Polish order by surname, then the institutions by name, on both pages,
    each once, and nobody who is not on the list."""
    from lider.delivery import queries as delivery_queries
    from lider.delivery.views import sessions as session_views
    from lider.delivery.views import tasks as task_views
    from lider.people.models import Participant
    from tests.factories import InstitutionFactory

    monkeypatch.setattr(delivery_queries, "SORTED_WHOLE", sorted_whole)
    monkeypatch.setattr(session_views, "ROWS_PER_PAGE", 2)
    monkeypatch.setattr(task_views, "ROWS_PER_PAGE", 2)
    task = DeliveryTaskFactory()
    office = member(task.project, Role.COORDINATOR)
    session = SessionFactory(task=task, group=GroupFactory(task=task, capacity=None))
    setup = {"project": task.project}
    for _ in range(2):  # participants of the project on no list
        DeliveryParticipantFactory(project=task.project)
    surnames = ["Żak", "Łoś", "Ąbel", "Lis", "Zych", "Abel"]
    listed = [
        DeliveryParticipantFactory(
            project=task.project, person=DeliveryPersonFactory(last_name=surname)
        )
        for surname in surnames
    ]
    listed += [
        Participant.objects.create(project=task.project, institution=InstitutionFactory(name=name))
        for name in ("Świetlica", "Szkoła")
    ]
    for participant in listed:
        places.enrol(task, participant=participant, group=session.group, actor=office)
    client.force_login(office)
    expected = ["Abel", "Ąbel", "Lis", "Łoś", "Zych", "Żak", "Szkoła", "Świetlica"]

    for path in (
        url("delivery:session", setup, pk=session.pk),
        url("delivery:task", setup, task=task.pk),
    ):
        seen = []
        for number in (1, 2, 3, 4):
            response = client.get(path, {"page": number})
            assert response.context["page"].paginator.count == len(expected)
            seen += [
                row.person.last_name if row.person_id else row.institution.name
                for row in response.context["rows"]
            ]
        assert seen == expected, path


def test_the_picker_lists_people_then_institutions_in_polish_order_and_the_chosen_once(client):
    """What the picker finds comes in the order of the lists (people by surname in the Polish
    alphabet, then institutions); the chosen participant is listed once, above them."""
    from lider.people.models import Participant
    from tests.factories import InstitutionFactory

    setup = _session(1)
    project, session = setup["project"], setup["session"]
    people = {
        surname: DeliveryParticipantFactory(
            project=project, person=DeliveryPersonFactory(last_name=surname, first_name="Ola")
        )
        for surname in ("Żmuda", "Łada", "Ładasz", "Lada", "Adamska")
    }
    school = Participant.objects.create(
        project=project, institution=InstitutionFactory(name="Szkoła Lada")
    )
    client.force_login(setup["office"])

    page = client.post(
        url("delivery:book", setup, pk=session.pk),
        {"participant__q": "ada", "participant": people["Łada"].pk, "_picker": "participant"},
    )

    widget = page.context["booking_form"]["participant"].field.widget
    context = widget.get_context("participant", people["Łada"].pk, {})["widget"]
    assert [o["value"] for o in context["chosen"]] == [str(people["Łada"].pk)]
    assert [o["value"] for o in context["matching"]] == [
        str(p.pk) for p in (people["Adamska"], people["Lada"], people["Ładasz"], school)
    ]
