"""The pre-aggregated attendance and session totals: kept current by the services, rebuilt by
the command."""

import contextlib
import datetime
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lider.core.permissions import Role
from lider.delivery import aggregates, places, services
from lider.delivery.models import (
    Attendance,
    AttendanceTotal,
    Enrolment,
    SessionBooking,
    SessionTotal,
)
from lider.delivery.queries import attendance_shares, on_list, sessions_of, sheet_counts
from tests.delivery.factories import (
    DeliveryParticipantFactory,
    DeliveryTaskFactory,
    GroupFactory,
    SessionFactory,
    VenueFactory,
)
from tests.factories import member

pytestmark = pytest.mark.django_db(transaction=False)

STATUSES = list(Attendance.Status.values)
# One step: (participant index, session index, status index), or a session's new end hour.
marks = st.lists(
    st.one_of(
        st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 3)),
        st.tuples(st.integers(0, 4), st.integers(12, 17)),
    ),
    max_size=25,
)


def _course():
    task = DeliveryTaskFactory()
    office = member(task.project, Role.COORDINATOR)
    groups = [GroupFactory(task=task, name=name) for name in ("A", "B")]
    venue = VenueFactory(project=task.project)
    sessions = [
        SessionFactory(
            task=task,
            group=groups[n % 2] if n < 4 else None,
            venue=venue,
            date=datetime.date(2010, 3, 1) + datetime.timedelta(days=n),
            start_time=datetime.time(9),
            end_time=datetime.time(11 + n),
        )
        for n in range(5)
    ]
    people = []
    for n in range(4):
        person = DeliveryParticipantFactory(project=task.project)
        places.enrol(task, participant=person, group=groups[n % 2], actor=office)
        places.book_session(sessions[4], participant=person, actor=office)
        people.append(person)
    return task, office, sessions, people


def _fresh(task) -> dict:
    """Each participant's attended minutes summed straight from the marks."""
    minutes = {}
    for mark in Attendance.objects.filter(session__task=task, status__in=Attendance.ATTENDED):
        minutes[mark.participant_id] = (
            minutes.get(mark.participant_id, 0) + mark.session.clock_minutes
        )
    return minutes


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=marks)
def test_the_totals_equal_a_fresh_computation_after_random_marks(db, steps):
    with transaction.atomic():
        task, office, sessions, people = _course()
        for step in steps:
            if len(step) == 2:
                session = sessions[step[0]]
                services.update_session(session, actor=office, end_time=datetime.time(step[1]))
                continue
            person, session, status = people[step[0]], sessions[step[1]], STATUSES[step[2]]
            on_list = session.group_id is None or session.group_id == (
                person.enrolments.get(task=task).group_id
            )
            if on_list:
                services.mark_attendance(session, participant=person, status=status, actor=office)

        fresh = _fresh(task)
        assert aggregates.stale(task.project) == 0
        shares = {row.pk: row.minutes_attended for row in attendance_shares(task)}
        assert shares == {p.pk: fresh.get(p.pk, 0) for p in people}

        kept = aggregates.stored(task.project)
        AttendanceTotal.objects.all().delete()
        aggregates.rebuild(task.project)
        assert aggregates.stored(task.project) == kept
        transaction.set_rollback(True)


def test_the_command_rebuilds_totals_written_around_the_services(db):
    task, office, sessions, people = _course()
    Attendance.objects.create(session=sessions[4], participant=people[0], status="present")
    out = io.StringIO()

    call_command("rebuild_aggregates", "--dry-run", stdout=out)
    assert aggregates.stale(task.project) == 1  # the dry run changed nothing
    call_command("rebuild_aggregates", "--project", task.project.slug, stdout=out)

    assert aggregates.stale(task.project) == 0
    row = attendance_shares(task).get(pk=people[0].pk)
    assert (row.minutes_attended, row.sessions_attended) == (sessions[4].clock_minutes, 1)
    assert row.sessions_total == 3  # two of the group's sessions and the one of no group
    assert "1" in out.getvalue()


# Who is on each session's list and how many places are taken: SessionTotal, kept by the
# places and session services.


def _taken(session) -> int:
    """The places taken of a session read straight from the rows, as the calendar showed them
    before they were kept: the group's enrolments holding a place, else the bookings."""
    if session.group_id:
        return sum(
            1
            for enrolment in Enrolment.objects.filter(group_id=session.group_id)
            if enrolment.status in Enrolment.TAKES_PLACE
        )
    return sum(
        1
        for booking in SessionBooking.objects.filter(session=session)
        if booking.status == SessionBooking.Status.BOOKED
    )


def _kept(project) -> dict:
    return {
        session_id: (listed, taken)
        for session_id, listed, taken in SessionTotal.objects.filter(
            session__task__project=project
        ).values_list("session_id", "listed", "taken")
    }


# One step: (operation, participant index, argument).
list_changes = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 9)), max_size=30
)


def _change(step, *, task, office, groups, sessions, people):
    operation, person, argument = step
    person, session = people[person], sessions[argument % len(sessions)]
    enrolment = Enrolment.objects.filter(task=task, participant=person).first()
    if operation == 0 and enrolment is None:
        places.enrol(task, participant=person, group=groups[argument % 2], actor=office)
    elif operation == 1 and enrolment is not None:
        targets = sorted(Enrolment.TRANSITIONS[enrolment.status])
        if targets:
            places.change_enrolment_status(
                enrolment,
                status=targets[argument % len(targets)],
                actor=office,
                dropped_on=datetime.date(2010, 3, 1) + datetime.timedelta(days=argument % 6),
                reason="przeprowadzka",
            )
    elif operation == 2:
        places.book_session(session, participant=person, actor=office)
    elif operation == 3:
        booking = SessionBooking.objects.filter(session=session, participant=person).first()
        if booking is not None:
            places.cancel_booking(booking, actor=office)
    elif operation == 4:
        services.mark_attendance(session, participant=person, status="present", actor=office)
    elif operation == 5:
        services.update_session(
            session,
            actor=office,
            allow_overlap=True,
            date=datetime.date(2010, 3, 1) + datetime.timedelta(days=argument % 6),
            group=groups[argument % 2] if argument % 3 else None,
        )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=list_changes)
def test_the_session_totals_equal_the_lists_counted_again(db, steps):
    with transaction.atomic():
        task = DeliveryTaskFactory()
        office = member(task.project, Role.COORDINATOR)
        groups = [GroupFactory(task=task, name=name, capacity=2) for name in ("A", "B")]
        venue = VenueFactory(project=task.project)
        sessions = [
            services.create_session(
                task,
                actor=office,
                allow_overlap=True,
                group=groups[n % 2] if n < 3 else None,
                title=f"Zajęcia {n}",
                venue=venue,
                date=datetime.date(2010, 3, 1) + datetime.timedelta(days=n),
                start_time=datetime.time(9),
                end_time=datetime.time(11),
                capacity=1 if n == 3 else None,
            )
            for n in range(4)
        ]
        people = [DeliveryParticipantFactory(project=task.project) for _ in range(6)]
        for step in steps:
            # A refusal (full, not on the list, a duplicate) changes nothing.
            with contextlib.suppress(ValidationError):
                _change(
                    step, task=task, office=office, groups=groups, sessions=sessions, people=people
                )
            for session in sessions:
                session.refresh_from_db()

        for session in sessions:
            total = SessionTotal.objects.get(session=session)
            assert (total.listed, total.taken) == (on_list(session).count(), _taken(session))
            assert sheet_counts(session)["total"] == on_list(session).count()
        taken = {s.pk: s.taken for s in sessions_of(task.project)}
        assert taken == {session.pk: _taken(session) for session in sessions}
        assert aggregates.stale(task.project) == 0
        kept = _kept(task.project)
        SessionTotal.objects.all().delete()
        aggregates.rebuild(task.project)
        assert _kept(task.project) == kept
        transaction.set_rollback(True)


def test_a_session_without_a_kept_total_is_counted(db):
    task, office, sessions, people = _course()
    SessionTotal.objects.filter(session=sessions[0]).delete()

    assert sheet_counts(sessions[0])["total"] == 2  # group A: people 0 and 2
    assert sheet_counts(sessions[4])["total"] == 4  # every booking, no kept total either


def test_the_command_counts_a_stale_session_total(db):
    task, office, sessions, people = _course()
    aggregates.rebuild(task.project)
    SessionTotal.objects.filter(session=sessions[4]).update(listed=99)

    assert aggregates.stale(task.project) == 1
    call_command("rebuild_aggregates", "--project", task.project.slug, stdout=io.StringIO())

    assert SessionTotal.objects.get(session=sessions[4]).listed == 4
    assert aggregates.stale(task.project) == 0


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite takes no row locks (one writer at a time)"
)
def test_each_change_of_a_list_locks_the_session_totals_before_reading_the_list(db):
    task, office, sessions, people = _course()
    aggregates.rebuild(task.project)
    total = SessionTotal._meta.db_table
    enrolment = Enrolment.objects.get(participant=people[0])

    def locks(change) -> list:
        with CaptureQueriesContext(connection) as queries:
            change()
        sql = [query["sql"] for query in queries.captured_queries]
        locked = [n for n, text in enumerate(sql) if "FOR UPDATE" in text and f'"{total}"' in text]
        moved = [n for n, text in enumerate(sql) if text.startswith(f'UPDATE "{total}"')]
        assert locked and moved and locked[0] < moved[0]
        return locked

    locks(
        lambda: places.change_enrolment_status(
            enrolment,
            status=Enrolment.Status.DROPPED,
            actor=office,
            dropped_on=datetime.date(2010, 2, 1),
            reason="przeprowadzka",
        )
    )
    newcomer = DeliveryParticipantFactory(project=task.project)
    locks(lambda: places.book_session(sessions[4], participant=newcomer, actor=office))
    booking = SessionBooking.objects.get(session=sessions[4], participant=newcomer)
    locks(lambda: places.cancel_booking(booking, actor=office))


def _fill_migration():
    return importlib.import_module("lider.delivery.migrations.0009_fill_session_totals")


def test_the_migration_gives_existing_sessions_the_total_of_their_list(db):
    task, office, sessions, people = _course()
    # Session 0 (group A, 1 March) keeps person 0, dropped on 2 March; session 2 (3 March)
    # does not. Person 1's booking of session 4 is cancelled; person 3 is marked on session 1.
    places.change_enrolment_status(
        Enrolment.objects.get(participant=people[0]),
        status=Enrolment.Status.DROPPED,
        actor=office,
        dropped_on=datetime.date(2010, 3, 2),
        reason="przeprowadzka",
    )
    places.cancel_booking(
        SessionBooking.objects.get(session=sessions[4], participant=people[1]), actor=office
    )
    services.mark_attendance(sessions[1], participant=people[3], status="present", actor=office)
    expected = {session.pk: on_list(session).count() for session in sessions}
    assert expected == {
        sessions[0].pk: 2,
        sessions[1].pk: 2,
        sessions[2].pk: 1,
        sessions[3].pk: 2,
        sessions[4].pk: 3,
    }
    SessionTotal.objects.all().delete()
    SessionTotal.objects.create(session=sessions[3], listed=7)  # one already kept stays

    _fill_migration().fill_session_totals(django_apps, connection.schema_editor())

    assert dict(SessionTotal.objects.values_list("session_id", "listed")) == {
        **expected,
        sessions[3].pk: 7,
    }
    aggregates.rebuild(task.project)
    assert dict(SessionTotal.objects.values_list("session_id", "listed")) == expected


def test_the_migration_gives_a_session_of_an_empty_list_a_total_of_nought(db):
    task, office, sessions, people = _course()
    empty = SessionFactory(task=task, group=None, venue=sessions[0].venue)
    SessionTotal.objects.all().delete()

    _fill_migration().fill_session_totals(django_apps, connection.schema_editor())

    assert SessionTotal.objects.get(session=empty).listed == 0
    assert SessionTotal.objects.get(session=sessions[4]).listed == 4


def test_the_command_counts_stale_places_taken(db):
    task, office, sessions, people = _course()
    aggregates.rebuild(task.project)
    SessionTotal.objects.filter(session=sessions[0]).update(taken=9)

    assert aggregates.stale(task.project) == 1
    call_command("rebuild_aggregates", "--project", task.project.slug, stdout=io.StringIO())

    assert SessionTotal.objects.get(session=sessions[0]).taken == 2  # group A: people 0 and 2
    assert aggregates.stale(task.project) == 0


def test_the_calendar_reads_the_kept_places_taken_and_counts_them_without_a_total(db):
    task, office, sessions, people = _course()
    aggregates.rebuild(task.project)
    SessionTotal.objects.filter(session=sessions[4]).update(taken=17)  # read, not counted
    SessionTotal.objects.filter(session=sessions[1]).delete()  # counted: group B, two

    taken = {s.pk: s.taken for s in sessions_of(task.project)}

    assert taken == {
        sessions[0].pk: 2,
        sessions[1].pk: 2,
        sessions[2].pk: 2,
        sessions[3].pk: 2,
        sessions[4].pk: 17,
    }


def _places_migration():
    return importlib.import_module("lider.delivery.migrations.0010_session_total_taken")


def test_the_migration_gives_kept_totals_their_places_taken(db):
    task, office, sessions, people = _course()
    # Person 0 drops out of group A (still on session 0's list, no longer holding a place);
    # person 1's booking of session 4 is cancelled; a session of no group with no booking.
    places.change_enrolment_status(
        Enrolment.objects.get(participant=people[0]),
        status=Enrolment.Status.DROPPED,
        actor=office,
        dropped_on=datetime.date(2010, 3, 2),
        reason="przeprowadzka",
    )
    places.cancel_booking(
        SessionBooking.objects.get(session=sessions[4], participant=people[1]), actor=office
    )
    empty = SessionFactory(task=task, group=None, venue=sessions[0].venue)
    aggregates.rebuild(task.project)
    expected = _kept(task.project)
    assert {session_id: taken for session_id, (_, taken) in expected.items()} == {
        sessions[0].pk: 1,
        sessions[1].pk: 2,
        sessions[2].pk: 1,
        sessions[3].pk: 2,
        sessions[4].pk: 3,
        empty.pk: 0,
    }
    SessionTotal.objects.update(taken=5)

    _places_migration().fill_places_taken(django_apps, connection.schema_editor())

    assert _kept(task.project) == expected
