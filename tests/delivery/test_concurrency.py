"""Capacity holds under concurrent bookings and enrolments (needs a real database server)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from lider.core.permissions import Role
from lider.delivery import aggregates, places, services
from lider.delivery.models import Attendance, Enrolment, SessionBooking, SessionTotal
from lider.delivery.queries import on_list
from tests.delivery.factories import (
    DeliveryParticipantFactory,
    DeliveryTaskFactory,
    GroupFactory,
    SessionFactory,
)
from tests.factories import member

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="The in-memory SQLite test database is shared between threads through a "
        "shared cache, whose table locks fail at once instead of waiting, so 50 threads "
        "cannot write to it; run with DATABASE_URL=postgres://… to test row locks.",
    ),
]

THREADS = 50


def run_at_once(function, items):
    """Call `function(item)` in one thread per item, all released together."""
    barrier = threading.Barrier(len(items))
    errors = []

    def worker(item):
        try:
            barrier.wait()
            function(item)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_fifty_concurrent_bookings_fill_thirty_places():
    session = SessionFactory(capacity=30)
    actor = member(session.task.project, Role.OFFICE)
    people = [DeliveryParticipantFactory(project=session.task.project) for _ in range(THREADS)]

    run_at_once(
        lambda person: places.book_session(session, participant=person, actor=actor), people
    )

    statuses = list(SessionBooking.objects.values_list("status", flat=True))
    assert statuses.count("booked") == 30
    assert statuses.count("waiting") == 20


def test_fifty_concurrent_enrolments_fill_thirty_places_of_a_group():
    task = DeliveryTaskFactory()
    group = GroupFactory(task=task, capacity=30)
    actor = member(task.project, Role.OFFICE)
    people = [DeliveryParticipantFactory(project=task.project) for _ in range(THREADS)]

    run_at_once(
        lambda person: places.enrol(task, participant=person, group=group, actor=actor), people
    )

    statuses = list(Enrolment.objects.values_list("status", flat=True))
    assert statuses.count("qualified") == 30
    assert statuses.count("waiting") == 20


def test_many_marks_of_one_session_at_once_are_all_kept():
    task = DeliveryTaskFactory()
    group = GroupFactory(task=task, capacity=25)
    trainer = member(task.project, Role.TRAINER)
    session = SessionFactory(task=task, group=group, trainers=[trainer])
    people = [DeliveryParticipantFactory(project=task.project) for _ in range(25)]
    for person in people:
        places.enrol(task, participant=person, group=group, actor=trainer)

    run_at_once(
        lambda person: services.mark_attendance(
            session, participant=person, status="present", actor=trainer
        ),
        people,
    )

    assert Attendance.objects.filter(session=session, status="present").count() == 25


def test_an_enrolment_and_a_booking_of_one_person_at_once_move_the_list_total_once():
    """The status change locks the group, the booking the session: both would read the person
    as not yet on the session's list and both add one, but for the lock on its kept total."""
    task = DeliveryTaskFactory()
    group = GroupFactory(task=task, capacity=None)
    session = SessionFactory(task=task, group=group)
    aggregates.count_list(session)
    actor = member(task.project, Role.OFFICE)
    people = [DeliveryParticipantFactory(project=task.project) for _ in range(10)]
    enrolments = {
        person.pk: Enrolment.objects.create(
            task=task,
            group=group,
            participant=person,
            status=Enrolment.Status.WAITING,
            enrolled_at=timezone.now(),
        )
        for person in people
    }

    def act(item):
        kind, person = item
        if kind == "qualify":
            places.change_enrolment_status(
                enrolments[person.pk], status=Enrolment.Status.QUALIFIED, actor=actor
            )
        else:
            places.book_session(session, participant=person, actor=actor)

    run_at_once(act, [(kind, person) for person in people for kind in ("qualify", "book")])

    assert on_list(session).count() == 10
    assert SessionTotal.objects.get(session=session).listed == 10
