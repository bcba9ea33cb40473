"""The roll-up over many projects: its figures equal each project's own computations, its
queries do not grow with the projects, its filters and "at risk" do what the page says."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from lider.core.permissions import Role
from lider.delivery import aggregates
from lider.projects.models import Task
from lider.reporting import measures
from lider.reporting.measures import Period
from lider.reporting.queries import certificate_counts, indicator_values
from lider.reporting.rollup.indicators import GROUPED
from lider.reporting.rollup.queries import Filters, rollup
from lider.territory.queries import unit_by_code
from tests.factories import ProgrammeNodeFactory, UserFactory, member
from tests.reporting.builders import DAY, build, indicator
from tests.spreadsheets import formula_cells, xlsx_texts

pytestmark = pytest.mark.django_db

PAGE = reverse("rollup:page")


def every_indicator(world):
    """One indicator of each measure, with the parameters each takes."""
    task = {"task": world.task.pk}
    indicator(world, "participants_started", target_total=4)
    indicator(world, "participants_ended")
    indicator(world, "participants_in_task", task)
    indicator(world, "participants_with_valid_certificate", task)
    indicator(world, "share_certified", task, unit="%", target_total=80)
    indicator(world, "sessions_of_kind", {"task_kind": "forum"})
    indicator(world, "sessions_of_kind", {"task_kind": "forum", "county": "2409"})
    indicator(world, "sessions_of_task", task)
    indicator(world, "entities_founded", target_total=1)
    indicator(world, "attendance_hours", target_total=20)
    indicator(world, "attendance_hours", task, target_total=20)


@pytest.fixture
def worlds():
    """Three projects of different sizes, one of them with one certificate fewer."""
    made = [build(women=2, men=1), build(women=1, men=3, certified=2), build(women=0, men=1)]
    for world in made:
        every_indicator(world)
    aggregates.rebuild()  # the builders write marks directly, past the services that keep it
    return made


def viewer(worlds, role=Role.COORDINATOR):
    user = UserFactory()
    for world in worlds:
        member(world.project, role, user=user)
    return user


def test_every_measure_is_rolled_up_by_a_grouped_query():
    assert set(GROUPED) == set(measures.REGISTRY)


@pytest.mark.parametrize(
    "period", [Period(), Period(end=DAY), Period(end=datetime.date(2010, 12, 31))]
)
def test_indicator_values_equal_each_projects_own(worlds, period):
    data = rollup(viewer(worlds), Filters(end=period.end))
    rows = {row.project.pk: row for row in data.rows}
    compared = 0
    for world in worlds:
        own = {v.indicator.pk: v for v in indicator_values(world.project, until=period.end)}
        for indicator_, value, attainment in rows[world.project.pk].indicators:
            assert value == own[indicator_.pk].cumulative.total, indicator_.measure
            assert attainment == own[indicator_.pk].progress
            compared += 1
    assert compared == 3 * 11


def test_hours_are_read_only_for_projects_with_an_hours_indicator():
    with_hours, without = build(women=1, men=1), build(women=2, men=0)
    hours = indicator(with_hours, "attendance_hours", target_total=20)
    aggregates.rebuild()
    with CaptureQueriesContext(connection) as queries:
        data = rollup(viewer([with_hours, without]), Filters())
    # Cumulative hours come from the pre-aggregated table, not from the marks.
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "delivery_attendancetotal" in sql and '"delivery_attendance"' not in sql
    [(found, value, _attainment)] = next(
        row.indicators for row in data.rows if row.project == with_hours.project
    )
    own = indicator_values(with_hours.project)[0].cumulative.total
    assert found == hours and value == own > 0


def test_totals_equal_each_projects_own(worlds):
    data = rollup(viewer(worlds), Filters())
    rows = {row.project.pk: row for row in data.rows}
    started = measures.get("participants_started")
    for world in worlds:
        row, figure = rows[world.project.pk], measures.compute(started, world.project, {})
        assert (row.participants, row.women, row.men) == (figure.total, figure.women, figure.men)
        assert row.certificates == certificate_counts(world.project)["issued"]
        assert row.entities == world.project.founded_entities.count() == 1
    assert data.participants == 3 + 4 + 1
    assert data.by_sex == {"K": 3, "M": 5}
    assert data.by_county == {"2404": 5, "2409": 3}
    assert data.certificates == 3 + 2 + 1
    assert data.disabled == 0  # coordinators see special categories


def test_filters_by_programme_county_and_period(worlds):
    node = ProgrammeNodeFactory(code="7", level="priority")
    child = ProgrammeNodeFactory(code="7.2", parent=node)
    worlds[0].project.classification = child
    worlds[0].project.save(update_fields=["classification"])
    worlds[2].project.counties.set([unit_by_code("2409")])
    user = viewer(worlds)

    by_programme = rollup(user, Filters(programme=node.pk))
    assert [row.project for row in by_programme.rows] == [worlds[0].project]

    by_county = rollup(user, Filters(county="2404"))
    assert {row.project for row in by_county.rows} == {worlds[0].project, worlds[1].project}
    # Only participants living in the county, and entities seated there (none: 2409).
    assert by_county.by_county == {"2404": 4}
    assert by_county.entities == 0

    before = rollup(user, Filters(end=DAY - datetime.timedelta(days=1)))
    assert before.participants == before.certificates == before.entities == 0
    later = rollup(user, Filters(start=datetime.date(2011, 1, 1)))
    assert later.rows == []  # the projects ended in 2010


def test_a_project_behind_its_calendar_is_at_risk():
    on_track, lagging, empty = build(women=2, men=1), build(women=0, men=1), build()
    indicator(on_track, "participants_started", target_total=3)  # 3 of 3: 100 %
    indicator(on_track, "entities_founded", target_total=2)  # 1 of 2: 50 %
    indicator(lagging, "participants_started", target_total=10)  # 1 of 10: 10 %
    user = viewer([on_track, lagging, empty])
    # The projects run 2009-12-01 – 2010-12-31; by mid-2011 all of the period has gone by.
    data = rollup(user, Filters(), today=datetime.date(2011, 6, 1))
    rows = {row.project: row for row in data.rows}
    assert all(row.elapsed == 100 for row in data.rows)
    assert (rows[on_track.project].progress, rows[on_track.project].at_risk) == (75, True)
    assert (rows[lagging.project].progress, rows[lagging.project].behind) == (10, 90)
    assert rows[empty.project].progress is None and not rows[empty.project].at_risk
    # Halfway through (2010-06-16: 197 of 395 days, 50 %): 75 % is ahead, 10 % is 40 behind.
    half = rollup(user, Filters(), today=datetime.date(2010, 6, 16))
    assert [row.project for row in half.at_risk] == [lagging.project]
    # At the start nothing has gone by, so nobody is behind.
    assert rollup(user, Filters(), today=datetime.date(2009, 12, 1)).at_risk == []
    # A period's end is the reference day when it is earlier than today.
    assert rollup(user, Filters(end=datetime.date(2009, 12, 1))).at_risk == []


def test_only_projects_whose_roles_allow_the_roll_up(worlds):
    user = viewer(worlds[:1])
    member(worlds[1].project, Role.TRAINER, user=user)
    assert [row.project for row in rollup(user, Filters()).rows] == [worlds[0].project]
    assert rollup(UserFactory(), Filters()).rows == []


def test_queries_do_not_grow_with_the_projects(client, django_assert_num_queries):
    first = build(women=2, men=1)
    every_indicator(first)
    user = viewer([first])
    client.force_login(user)
    with CaptureQueriesContext(connection) as one:
        assert client.get(PAGE).status_code == 200
    for _n in range(4):
        world = build(women=1, men=2)
        every_indicator(world)
        member(world.project, Role.COORDINATOR, user=user)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(PAGE)
    assert len(response.context["rollup"].rows) == 5


def test_page_shows_figures_and_links_to_each_projects_dashboard(client, worlds):
    client.force_login(viewer(worlds))
    response = client.get(PAGE, {"start": "2010-01-01", "end": "2010-12-31"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-figure="participants">8<' in content
    dashboard = reverse("reporting:dashboard", kwargs={"slug": worlds[0].project.slug})
    assert f'href="{dashboard}?start=2010-01-01&amp;end=2010-12-31"' in content
    assert "Zestawienie projektów" in content  # Polish by default


def test_bad_filters_are_a_form_error_not_a_500(client, worlds):
    client.force_login(viewer(worlds))
    for query in (
        {"programme": "x"},
        {"start": "2011-01-01", "end": "2010-01-01"},
        {"county": "9999"},
        {"start": "\x00"},
    ):
        response = client.get(PAGE, query)
        assert response.status_code == 200
        assert 'class="form-errors"' in response.content.decode()
        assert len(response.context["rollup"].rows) == 3  # the filters fall back to none


def test_xlsx_has_every_project_and_writes_texts_as_text(client, worlds):
    worlds[0].project.title = '=HYPERLINK("http://x","y")'
    worlds[0].project.save(update_fields=["title"])
    client.force_login(viewer(worlds))
    response = client.get(reverse("rollup:xlsx"))
    assert formula_cells(response.content) == []
    assert '=HYPERLINK("http://x","y")' in xlsx_texts(response.content)
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    projects = book.get_sheet_by_index(0).to_python()
    assert len(projects) == 1 + 3
    hostile = next(row for row in projects if row[1] == '=HYPERLINK("http://x","y")')
    assert hostile[6:11] == [3, 2, 1, 3, 1]
    participants = dict(row[:2] for row in book.get_sheet_by_index(1).to_python()[1:])
    assert participants["Uczestnicy"] == 8
    assert participants["z niepełnosprawnościami"] == 0
    assert len(book.get_sheet_by_index(2).to_python()) == 1 + 3 * 11


def test_roll_up_of_a_project_created_through_the_ui_on_an_empty_install(client):
    from tests.projects.test_create import administrator, card_data, empty_structure, management

    administrator(client)
    assert client.post(reverse("projects:create"), card_data()).status_code == 302
    slug = "es-w-powiecie"
    structure = {
        **empty_structure(),
        **management("goals", 1),
        "goals-0-order": "1",
        "goals-0-text": "Rozwój podmiotów",
        **management("tasks", 1),
        "tasks-0-order": "1",
        "tasks-0-kind": Task.Kind.TRAINING_CYCLE,
        "tasks-0-title": "Szkolenia",
        "tasks-0-description": "",
    }
    url = reverse("projects:structure", kwargs={"slug": slug})
    assert client.post(url, structure).status_code == 302
    from lider.projects.models import Project

    project = Project.objects.get(slug=slug)
    goal = project.specific_goals.get()
    created = client.post(
        reverse("reporting:indicator_create", kwargs={"slug": slug}),
        {
            "goal": goal.pk,
            "name": "Podmioty utworzone",
            "kind": "result",
            "unit": "szt.",
            "target_total": "2",
            "measure": "entities_founded",
        },
    )
    assert created.status_code == 302
    response = client.get(PAGE)
    # The administrator's other project (the one making them an installation administrator)
    # shows too; the new one is there with its indicator.
    [row] = [row for row in response.context["rollup"].rows if row.project == project]
    assert row.participants == 0 and row.entities == 0
    [(found, value, attainment)] = row.indicators
    assert found.name == "Podmioty utworzone" and value == Decimal(0) and attainment == 0
    assert row.progress == 0
    assert f'data-project="{slug}"' in response.content.decode()


@pytest.mark.parametrize("kind", ["superuser", "project administrator"])
def test_an_installation_administrator_sees_every_project(client, worlds, kind):
    """A superuser holds no project role, an administrator of one project holds one: both are
    administrators of the installation and see every project's figures; a project where they
    hold no role is listed without a link (its pages stay closed to them)."""
    if kind == "superuser":
        user = UserFactory(is_superuser=True)
    else:
        user = member(worlds[0].project, Role.ADMINISTRATOR)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="tel", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id  # administrators use a second factor
    session.save()
    response = client.get(PAGE)
    data = response.context["rollup"]
    assert {row.project for row in data.rows} == {world.project for world in worlds}
    assert data.participants == 3 + 4 + 1
    assert data.disabled is None  # special categories: not every project's role allows them
    content = response.content.decode()
    closed = reverse("projects:detail", kwargs={"slug": worlds[1].project.slug})
    assert worlds[1].project.title in content and closed not in content
    assert client.get(closed).status_code == 403
    opened = reverse("reporting:dashboard", kwargs={"slug": worlds[0].project.slug})
    assert (f'href="{opened}"' in content) == (kind != "superuser")
    # Anyone else still sees only the projects of their roles.
    assert rollup(UserFactory(), Filters()).rows == []
