"""The pre-aggregated measure totals: rebuilt, they equal a fresh computation from the records
for any period; a change marks them stale when it commits and the worker rebuilds them; the
pages read them in a number of queries that does not grow with the records."""

import datetime
import io
import re
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lider.core.permissions import Role
from lider.delivery import aggregates
from lider.delivery import services as delivery
from lider.delivery.models import Attendance, Enrolment, Session
from lider.outcomes.models import FoundedEntity
from lider.people.models import Answer, LabourStatus, Participant
from lider.reporting import measures, totals
from lider.reporting.measures import Period
from lider.reporting.models import Indicator, TotalsState
from lider.reporting.queries import (
    attendance_by_month,
    certificate_counts,
    indicator_values,
    public_results,
)
from lider.reporting.rollup.queries import Filters, rollup
from tests.factories import UserFactory, member
from tests.reporting.builders import DAY, build, certify, indicator, person

pytestmark = pytest.mark.django_db


def every_indicator(world):
    task = {"task": world.task.pk}
    for key, params in [
        ("participants_started", {}),
        ("participants_ended", {}),
        ("participants_in_task", task),
        ("participants_with_valid_certificate", task),
        ("share_certified", task),
        ("sessions_of_kind", {"task_kind": "forum"}),
        ("sessions_of_kind", {"task_kind": "forum", "county": "2409"}),
        ("sessions_of_task", task),
        ("entities_founded", {}),
        ("attendance_hours", {}),
        ("attendance_hours", task),
    ]:
        indicator(world, key, params)


def fresh(project, period):
    return [
        measures.compute(i.get_measure(), project, i.params, period)
        for i in Indicator.objects.filter(goal__project=project).order_by("pk")
    ]


def stored(project, period):
    asked = [
        (i.get_measure(), i.params, period)
        for i in Indicator.objects.filter(goal__project=project).order_by("pk")
    ]
    return totals.figures(project, asked)


days = st.integers(-40, 400).map(lambda n: DAY + datetime.timedelta(days=n))
periods = st.tuples(st.one_of(st.none(), days), st.one_of(st.none(), days)).map(
    lambda ends: Period(*ends)
)
# Each step changes one record: (what, which, a day, a choice).
steps = st.lists(
    st.tuples(st.integers(0, 6), st.integers(0, 9), days, st.integers(0, 3)), max_size=20
)


def _apply(world, step):
    what, which, day, choice = step
    people = world.participants
    p = people[which % len(people)]
    if what == 0:  # a participation starts or ends on another day
        Participant.objects.filter(pk=p.pk).update(start_date=day, end_date=day if choice else None)
    elif what == 1:  # a person moves to the other county or changes sex
        person = p.person
        person.sex = "K" if choice % 2 else "M"
        person.save(update_fields=["sex"])
    elif what == 2:  # a mark changes
        session = world.sessions[which % len(world.sessions)]
        status = ["present", "late", "absent", "excused"][choice]
        Attendance.objects.update_or_create(
            session=session, participant=p, defaults={"status": status}
        )
    elif what == 3:  # a session moves, or gets longer
        session = world.sessions[which % len(world.sessions)]
        Session.objects.filter(pk=session.pk).update(
            date=day, end_time=datetime.time(10 + choice, 15 * (choice % 4))
        )
    elif what == 4:  # a certificate is revoked, or issued on a day
        certificate = p.certificates.filter(status="issued").first()
        if certificate is not None and choice == 0:
            certificate.status, certificate.revoked_at = "revoked", certificate.issued_at
            certificate.save(update_fields=["status", "revoked_at"])
        elif certificate is None:
            certify(world, p, on=day)
    elif what == 5:  # an entity registered on a day, or not yet
        FoundedEntity.objects.create(
            project=world.project,
            name=f"Podmiot {which}",
            legal_form="foundation",
            registration_date=day if choice else None,
        )
    elif what == 6:  # an enrolment leaves the task's count
        status = ["completed", "waiting", "qualified", "dropped"][choice]
        Enrolment.objects.filter(participant=p, task=world.task).update(
            status=status, dropped_on=day if status == "dropped" else None
        )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=steps, asked=st.lists(periods, min_size=1, max_size=4))
def test_rebuilt_totals_equal_a_fresh_computation(db, changes, asked):
    with transaction.atomic():
        world = build(women=3, men=2, certified=3, sessions=3)
        every_indicator(world)
        for step in changes:
            _apply(world, step)
        totals.rebuild(world.project)
        assert totals.stale_rows(world.project) == 0
        for period in [Period(), *asked]:
            assert stored(world.project, period) == fresh(world.project, period), period
        transaction.set_rollback(True)


def _current(project) -> bool:
    return project.pk in totals.current([project.pk])


def test_a_change_marks_the_totals_stale_and_the_worker_rebuilds_them():
    world = build(women=2, men=1)
    hours = indicator(world, "attendance_hours", {"task": world.task.pk})
    call_command("rebuild_aggregates", stdout=io.StringIO())
    assert _current(world.project)
    before = indicator_values(world.project)[0].cumulative.total
    coordinator = member(world.project, Role.COORDINATOR)
    session = world.sessions[0]
    # Marked absent: once the change commits the totals are stale and queued for a rebuild;
    # the (inline) worker has rebuilt them by the time the page is read. The test runs in one
    # transaction that never commits: its pending callbacks are run by hand.
    token = TotalsState.objects.get(project=world.project).changed
    delivery.mark_attendance(
        session, participant=world.participants[0], status="absent", actor=coordinator
    )
    pending = [c for _sids, c, _robust in connection.run_on_commit if hasattr(c, "key")]
    assert ("session", session.pk) in [c.key for c in pending]
    for callback in pending:
        callback()  # marks stale and queues the rebuild (inline here)
    state = TotalsState.objects.get(project=world.project)
    assert state.changed != token and state.built == state.changed
    after = indicator_values(world.project)[0]
    assert after.indicator == hours
    assert after.cumulative == measures.compute(hours.get_measure(), world.project, hours.params)
    assert after.cumulative.total < before


def test_a_stale_project_is_computed_from_the_records(django_capture_on_commit_callbacks):
    world = build(women=2, men=1)
    started = indicator(world, "participants_started")
    totals.rebuild(world.project)
    TotalsState.objects.filter(project=world.project).update(changed=uuid.uuid4())  # unbuilt
    Participant.objects.filter(pk=world.participants[0].pk).update(start_date=None)
    with CaptureQueriesContext(connection) as queries:
        [value] = indicator_values(world.project, until=DAY)
    assert value.indicator == started and value.cumulative.total == 2
    assert '"people_participant"' in " ".join(q["sql"] for q in queries.captured_queries)


def test_a_rolled_back_change_marks_nothing(django_capture_on_commit_callbacks):
    world = build(women=1, men=1)
    indicator(world, "participants_started")
    totals.rebuild(world.project)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        Participant.objects.create(
            project=world.project, person=person(0, "K", None), start_date=DAY
        )
        transaction.set_rollback(True)
    assert callbacks == [] and _current(world.project)


def test_one_callback_per_project_and_transaction():
    world = build(women=1, men=1)

    def marks():
        return [c.key for _s, c, _r in connection.run_on_commit if hasattr(c, "key")]

    before = marks()
    with transaction.atomic():
        for participant in world.participants:
            participant.save()
            participant.save()
    # Already pending from the builder's writes in this (never committed) test transaction.
    assert marks() == before
    other = build(women=1, men=0)
    assert marks().count(("project", other.project.pk)) == 1


def _pages(world):
    slug = world.project.slug
    return [
        reverse("reporting:dashboard", kwargs={"slug": slug}),
        reverse("reporting:dashboard", kwargs={"slug": slug}) + "?start=2010-01-01&end=2010-06-30",
        reverse("website:results", kwargs={"slug": slug}),
    ]


def _publish(world):
    from lider.projects.models import Project

    Project.objects.filter(pk=world.project.pk).update(is_public=True, state=Project.State.RUNNING)


@pytest.mark.parametrize("page", [0, 1, 2])
def test_pages_read_the_totals_in_the_same_queries_at_two_sizes(client, page):
    small, large = build(women=1, men=0, sessions=1), build(women=6, men=5, sessions=4)
    counts, bodies = [], []
    for world in (small, large):
        every_indicator(world)
        totals.rebuild(world.project)
        _publish(world)
        client.force_login(member(world.project, Role.COORDINATOR))
        url = _pages(world)[page]
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        # Figures come from the totals, never from the marks, certificates or enrolments.
        assert "reporting_measuretotal" in sql
        for table in ('"delivery_attendance"', "delivery_enrolment", "certification_certificate"):
            assert table not in sql, table
        counts.append(len(queries.captured_queries))
        bodies.append(response.content.decode())
    assert counts[0] == counts[1]


def _page(client, url) -> str:
    """The page without its CSRF token (new on every request)."""
    return re.sub(
        r'(csrf-token" content|csrfmiddlewaretoken" value)="\w+"',
        "",
        client.get(url).content.decode(),
    )


def test_pages_show_the_same_figures_from_totals_and_from_records(client):
    world = build(women=4, men=3, certified=5, sessions=3)
    certify(world, world.participants[6], status="revoked")
    every_indicator(world)
    _publish(world)
    client.force_login(member(world.project, Role.COORDINATOR))
    live = [_page(client, url) for url in _pages(world)]
    live_values = indicator_values(world.project, period=Period(DAY, DAY))
    live_months, live_results = attendance_by_month(world.project), public_results(world.project)
    live_certificates = certificate_counts(world.project)
    totals.rebuild(world.project)
    assert [_page(client, url) for url in _pages(world)] == live
    read = indicator_values(world.project, period=Period(DAY, DAY))
    assert [(v.cumulative, v.period) for v in read] == [
        (v.cumulative, v.period) for v in live_values
    ]
    assert attendance_by_month(world.project) == live_months
    assert certificate_counts(world.project) == live_certificates == {"issued": 5, "revoked": 1}
    assert public_results(world.project) == live_results


def _summary(data):
    return {
        "rows": {
            row.project.pk: (row.participants, row.women, row.men, row.certificates, row.entities)
            for row in data.rows
        },
        "indicators": {(r.project.pk, i.pk): v for r in data.rows for i, v, _a in r.indicators},
        "split": (data.by_sex, data.by_county, data.by_status, data.disabled),
    }


ROLLUP_FILTERS = [
    Filters(),
    Filters(end=DAY),
    Filters(end=datetime.date(2010, 12, 31)),
    Filters(start=DAY, end=DAY),
    Filters(start=DAY + datetime.timedelta(days=1)),
    Filters(county="2409"),
    Filters(county="2404", end=DAY),
]


def test_roll_up_reads_current_totals_and_counts_the_others():
    current, stale = build(women=2, men=1), build(women=1, men=2, certified=2)
    for world in (current, stale):
        every_indicator(world)
    person = current.participants[0].person
    person.disability, person.labour_status = Answer.YES, LabourStatus.values[0]
    person.save(update_fields=["disability", "labour_status"])
    Participant.objects.filter(pk=current.participants[1].pk).update(
        start_date=DAY + datetime.timedelta(days=3)
    )
    certify(current, current.participants[1], status="revoked")
    aggregates.rebuild()  # the builders write marks directly, past the services that keep it
    user = UserFactory()
    for world in (current, stale):
        member(world.project, Role.COORDINATOR, user=user)
    expected = [_summary(rollup(user, filters)) for filters in ROLLUP_FILTERS]
    assert expected[0]["split"][3] == 1  # the coordinator sees the disabled count
    totals.rebuild(current.project)
    for filters, summary in zip(ROLLUP_FILTERS, expected, strict=True):
        with CaptureQueriesContext(connection) as queries:
            found = _summary(rollup(user, filters))
        assert found == summary, filters
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "reporting_measuretotal" in sql
    # Every project current: no participant, mark or certificate is read for the figures.
    totals.rebuild(stale.project)
    with CaptureQueriesContext(connection) as queries:
        assert _summary(rollup(user, Filters())) == expected[0]
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ('"people_participant"', '"delivery_attendance"', "certification_certificate"):
        assert table not in sql, table
