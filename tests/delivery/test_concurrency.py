"""Capacity holds under concurrent bookings and enrolments (needs a real database server)."""

import threading

import pytest
from django.db import connection, connections

from lider.core.permissions import Role
from lider.delivery import places, services
from lider.delivery.models import Attendance, Enrolment, SessionBooking
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
