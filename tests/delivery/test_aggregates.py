"""The pre-aggregated attendance totals: kept current by the services, rebuilt by the command."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lider.core.permissions import Role
from lider.delivery import aggregates, places, services
from lider.delivery.models import Attendance, AttendanceTotal
from lider.delivery.queries import attendance_shares
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
