import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.delivery import places, services
from lider.delivery.models import Attendance, CalendarToken, Session, SessionTotal
from tests.delivery import scan_files
from tests.delivery.conftest import url
from tests.delivery.factories import (
    DeliveryParticipantFactory,
    DeliveryTaskFactory,
    GroupFactory,
    SessionFactory,
    VenueFactory,
)
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_trainer_marks_attendance_on_a_phone_and_the_marks_stay(client, setup):
    session, people, trainer = setup["session"], setup["people"], setup["trainer"]
    client.force_login(trainer)
    mine = client.get(url("delivery:mine", setup), HTTP_USER_AGENT="iPhone")
    assert url("delivery:session", setup, pk=session.pk) in mine.content.decode()

    response = client.post(
        url("delivery:mark", setup, pk=session.pk, participant=people[0].pk),
        {"status": "present"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<li id="p{people[0].pk}" class="attendee mark-present"')
    assert "<html" not in fragment
    # Without JavaScript: a plain form, answered with a redirect back to the row.
    response = client.post(
        url("delivery:mark", setup, pk=session.pk, participant=people[1].pk), {"status": "late"}
    )
    assert response.status_code == 302
    assert response.url.endswith(f"/{session.pk}/#p{people[1].pk}")

    page = client.get(url("delivery:session", setup, pk=session.pk)).content.decode()
    assert f'id="p{people[0].pk}" class="attendee mark-present"' in page
    assert f'id="p{people[1].pk}" class="attendee mark-late"' in page
    assert f'id="p{people[2].pk}" class="attendee mark-none"' in page
    assert dict(Attendance.objects.values_list("participant_id", "marked_by")) == {
        people[0].pk: trainer.pk,
        people[1].pk: trainer.pk,
    }
    entries = AuditEntry.objects.filter(content_type__model="attendance", action="create")
    assert sorted(entries.values_list("actor_id", flat=True)) == [trainer.pk, trainer.pk]


def test_the_same_mark_sent_twice_is_one_change(client, setup):
    session, person = setup["session"], setup["people"][0]
    client.force_login(setup["trainer"])
    mark = url("delivery:mark", setup, pk=session.pk, participant=person.pk)
    for _ in range(2):
        client.post(mark, {"status": "absent"}, HTTP_HX_REQUEST="true")
    assert Attendance.objects.get().status == "absent"
    assert AuditEntry.objects.filter(content_type__model="attendance").count() == 1


def test_all_present_marks_the_unmarked(client, setup):
    session, people = setup["session"], setup["people"]
    services.mark_attendance(
        session, participant=people[0], status="excused", actor=setup["office"]
    )
    client.force_login(setup["trainer"])
    client.post(url("delivery:all_present", setup, pk=session.pk))
    assert sorted(Attendance.objects.values_list("status", flat=True)) == [
        "excused",
        "present",
        "present",
    ]


def test_a_mark_for_someone_off_the_list_is_refused(client, setup):
    stranger = DeliveryParticipantFactory(project=setup["project"])
    client.force_login(setup["trainer"])
    response = client.post(
        url("delivery:mark", setup, pk=setup["session"].pk, participant=stranger.pk),
        {"status": "present"},
    )
    assert response.status_code == 302
    assert not Attendance.objects.exists()


def test_trainer_pages_and_list_show_no_pesel_or_sensitive_data(client, setup):
    session, task = setup["session"], setup["task"]
    person = setup["people"][0]
    client.force_login(setup["trainer"])
    pages = [
        url("delivery:calendar", setup) + f"?miesiac={session.date:%Y-%m}",
        url("delivery:mine", setup),
        url("delivery:session", setup, pk=session.pk),
        url("delivery:task", setup, task=task.pk),
        url("delivery:participant", setup, task=task.pk, participant=person.pk),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        for p in setup["people"]:
            assert p.person.pesel not in html, page
            assert p.person.pesel[:6] + "*****" not in html, page
        assert "niepełnosprawn" not in html.lower(), page
    pdf = client.get(url("delivery:list_pdf", setup, pk=session.pk)).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert person.person.full_name in text
    assert all(p.person.pesel not in text for p in setup["people"])


def test_attendance_list_pdf_lists_everyone_with_polish_letters(client, setup):
    client.force_login(setup["trainer"])
    response = client.get(url("delivery:list_pdf", setup, pk=setup["session"].pk))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for person in setup["people"]:
        assert person.person.full_name in text  # "Zażółć Gęślą-Jaźń n"
    assert "Tomasz Wójcik" in text
    assert setup["project"].number in text


def test_signed_list_upload_and_download_by_an_auditor(client, setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    session = setup["session"]
    client.force_login(setup["office"])
    scan = SimpleUploadedFile("lista.jpg", scan_files.jpeg())
    response = client.post(url("delivery:upload_signed_list", setup, pk=session.pk), {"scan": scan})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.signed_list_uploaded_by == setup["office"]

    auditor = member(setup["project"], Role.AUDITOR)
    client.force_login(auditor)
    download = client.get(url("delivery:signed_list", setup, pk=session.pk))
    assert download["Content-Type"] == "image/jpeg"
    assert b"".join(download.streaming_content).startswith(b"\xff\xd8\xff")
    assert AuditEntry.objects.filter(actor=auditor, action="export").count() == 1

    client.force_login(setup["trainer"])
    assert client.get(url("delivery:signed_list", setup, pk=session.pk)).status_code == 403


def test_series_view_creates_weekly_sessions(client, setup):
    client.force_login(setup["office"])
    response = client.post(
        url("delivery:series", setup),
        {
            "task": setup["task"].pk,
            "group": setup["group"].pk,
            "title": "Dzień szkoleniowy",
            "date": "2010-03-06",
            "start_time": "09:00",
            "end_time": "15:00",
            "venue": setup["session"].venue_id,
            "trainers": [setup["trainer"].pk],
            "count": 10,
            "every_days": 7,
        },
    )
    assert response.status_code == 302
    created = Session.objects.filter(title="Dzień szkoleniowy").order_by("date")
    assert created.count() == 10
    assert created.last().date == datetime.date(2010, 5, 8)


def test_public_feed_is_valid_icalendar(client, setup):
    session = setup["session"]
    session.is_public = True
    session.save()
    SessionFactory(task=setup["task"], title="Szkolenie wewnętrzne")  # not public
    response = client.get(reverse("delivery_public:project_feed", args=[setup["project"].slug]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Zajęcia"]
    start = events[0].decoded("dtstart")
    assert start.date() == session.date and start.hour == 9
    assert str(start.tzinfo) == "Europe/Warsaw"
    assert list(calendar.walk("VTIMEZONE"))


def test_private_feed_needs_the_current_token(client, setup):
    trainer = setup["trainer"]
    client.force_login(trainer)
    client.post(url("delivery:regenerate_feed", setup))
    old = CalendarToken.objects.get(user=trainer).token
    client.logout()
    feed = client.get(reverse("delivery_public:trainer_feed", args=[old]))
    assert [str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")] == [
        "Zajęcia"
    ]

    client.force_login(trainer)
    client.post(url("delivery:regenerate_feed", setup))
    client.logout()
    assert client.get(reverse("delivery_public:trainer_feed", args=[old])).status_code == 404
    new = CalendarToken.objects.get(user=trainer).token
    assert client.get(reverse("delivery_public:trainer_feed", args=[new])).status_code == 200


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _grow(setup, n):
    """n sessions of the group and n people enrolled and marked in each."""
    task, group, office = setup["task"], setup["group"], setup["office"]
    sessions = [setup["session"]] + [
        SessionFactory(task=task, group=group, trainers=[setup["trainer"]]) for _ in range(n - 1)
    ]
    people = list(setup["people"][:1]) + [
        DeliveryParticipantFactory(project=setup["project"]) for _ in range(n - 1)
    ]
    for person in people[1:]:
        places.enrol(task, participant=person, group=group, actor=office)
    for session in sessions:
        for person in people:
            services.mark_attendance(session, participant=person, status="present", actor=office)


@pytest.mark.parametrize(
    "page",
    [
        "delivery:calendar",
        "delivery:mine",
        "delivery:session",
        "delivery:task",
        "delivery:participant",
    ],
)
def test_lists_run_a_constant_number_of_queries(client, page):
    counts = []
    for n in (1, 3):
        task = DeliveryTaskFactory()
        project = task.project
        trainer = member(project, Role.TRAINER)
        office = member(project, Role.OFFICE)
        group = GroupFactory(task=task)
        setup = {
            "project": project,
            "task": task,
            "group": group,
            "office": office,
            "trainer": trainer,
            "session": SessionFactory(task=task, group=group, trainers=[trainer]),
            "people": [DeliveryParticipantFactory(project=project)],
        }
        places.enrol(task, participant=setup["people"][0], group=group, actor=office)
        _grow(setup, n)
        client.force_login(office if page != "delivery:mine" else trainer)
        kwargs = {"pk": setup["session"].pk} if page == "delivery:session" else {}
        if page == "delivery:task":
            kwargs = {"task": task.pk}
        if page == "delivery:participant":
            kwargs = {"task": task.pk, "participant": setup["people"][0].pk}
        path = url(page, setup, **kwargs)
        if page == "delivery:calendar":
            path += f"?miesiac={timezone.localdate():%Y-%m}"
        counts.append(_queries(client, path))
        expected = (
            f"/uczestnicy/{setup['people'][0].pk}/"
            if page == "delivery:task"
            else f"/zajecia/{setup['session'].pk}/"
        )
        if page == "delivery:participant":
            assert client.get(path).content.decode().count("/lista.pdf") == 0
        assert expected in client.get(path).content.decode()
    assert counts[0] == counts[1]


def test_office_adds_a_venue_and_a_group(client, setup):
    from lider.delivery.models import Group, Venue
    from lider.territory.queries import gminas_in, unit_by_code

    client.force_login(setup["office"])
    gmina = gminas_in([unit_by_code("2404")])[0]
    response = client.post(
        url("delivery:venue_create", setup),
        {
            "name": "Świetlica wiejska",
            "city": "Kłomnice",
            "postal_code": "42-270",
            "gmina": gmina.pk,
        },
    )
    assert response.status_code == 302
    assert Venue.objects.filter(name="Świetlica wiejska", gmina=gmina).count() == 1
    response = client.post(
        url("delivery:group_create", setup),
        {
            "task": setup["task"].pk,
            "name": "Grupa II",
            "county": setup["project"].counties.get().pk,
            "capacity": 20,
        },
    )
    assert response.status_code == 302
    assert Group.objects.get(name="Grupa II").capacity == 20
    assert AuditEntry.objects.filter(action="create", content_type__model="venue").count() == 1


def test_public_feed_of_a_private_project_is_not_found(client, setup):
    project = setup["project"]
    project.is_public = False
    project.save()
    response = client.get(reverse("delivery_public:project_feed", args=[project.slug]))
    assert response.status_code == 404


def test_calendar_shows_places_taken_by_the_group_or_by_bookings(client, setup):
    public = SessionFactory(task=setup["task"], capacity=40, title="Forum")
    places.book_session(public, participant=setup["people"][0], actor=setup["office"])
    setup["session"].capacity = 25
    setup["session"].save()
    client.force_login(setup["office"])
    html = client.get(
        url("delivery:calendar", setup) + f"?miesiac={timezone.localdate():%Y-%m}"
    ).content.decode()
    assert "3/25" in html  # three enrolled in the group
    assert "1/40" in html  # one booked place


@pytest.mark.parametrize("people", [1, 4])
def test_the_calendar_reads_the_kept_places_and_takes_the_same_queries(
    client, people, django_assert_num_queries
):
    """The places taken come from each session's kept total (SessionTotal.taken), counted
    when it changes: the page's queries are the same for one session and person as for
    several."""
    task = DeliveryTaskFactory()
    office = member(task.project, Role.OFFICE)
    group = GroupFactory(task=task)
    venue = VenueFactory(project=task.project)
    sessions = [
        services.create_session(
            task,
            actor=office,
            allow_overlap=True,
            group=group if n % 2 else None,
            title=f"Zajęcia {n}",
            venue=venue,
            date=timezone.localdate(),
            start_time=datetime.time(9),
            end_time=datetime.time(11),
            capacity=30,
        )
        for n in range(2 * people)
    ]
    for _ in range(people):
        person = DeliveryParticipantFactory(project=task.project)
        places.enrol(task, participant=person, group=group, actor=office)
        places.book_session(sessions[0], participant=person, actor=office)
    client.force_login(office)
    path = reverse("delivery:calendar", kwargs={"slug": task.project.slug})
    path += f"?miesiac={timezone.localdate():%Y-%m}"
    client.get(path)  # caches warm

    with django_assert_num_queries(QUERIES_OF_THE_CALENDAR):
        response = client.get(path)

    assert {s.pk: s.taken for s in response.context["sessions"]} == {
        s.pk: people if s.group_id or s == sessions[0] else 0 for s in sessions
    }
    assert f"{people}/30" in response.content.decode()
    SessionTotal.objects.filter(session=sessions[0]).update(taken=29)
    assert "29/30" in client.get(path).content.decode()  # the kept figure, not a count


# Measured (session, user, project, roles, counties, tasks, the month's sessions with their
# kept places, their trainers): the same for one session as for eight.
QUERIES_OF_THE_CALENDAR = 8


# A trainer marks attendance only at the sessions they lead


@pytest.fixture
def other_session(setup):
    """A session of the same group led by another trainer."""
    colleague = member(setup["project"], Role.TRAINER)
    return SessionFactory(
        task=setup["task"],
        group=setup["group"],
        date=timezone.localdate(),
        trainers=[colleague],
        title="Zajęcia kolegi",
    )


REFUSAL = "Obecność możesz zaznaczać tylko na zajęciach, które prowadzisz."


def test_a_trainer_is_refused_marking_another_trainers_session(client, setup, other_session):
    person = setup["people"][0]
    client.force_login(setup["trainer"])
    mark = url("delivery:mark", setup, pk=other_session.pk, participant=person.pk)

    page = client.post(mark, {"status": "present"})
    fragment = client.post(mark, {"status": "present"}, HTTP_HX_REQUEST="true")
    everyone = client.post(url("delivery:all_present", setup, pk=other_session.pk))

    assert page.status_code == 403
    assert REFUSAL in page.content.decode()
    assert "Nic nie zostało zapisane." in page.content.decode()
    assert fragment.status_code == 403
    assert fragment.content.decode().lstrip().startswith(f'<li id="p{person.pk}"')
    assert REFUSAL in fragment.content.decode()
    assert 'name="status"' not in fragment.content.decode()
    assert everyone.status_code == 403
    assert not Attendance.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="attendance").exists()


def test_a_trainer_sees_another_trainers_list_without_marking(client, setup, other_session):
    client.force_login(setup["trainer"])

    theirs = client.get(url("delivery:session", setup, pk=other_session.pk)).content.decode()
    mine = client.get(url("delivery:session", setup, pk=setup["session"].pk)).content.decode()

    assert REFUSAL in theirs
    assert "/obecnosc/" not in theirs
    assert setup["people"][0].person.last_name in theirs
    assert REFUSAL not in mine
    # Each of the three rows posts to its mark URL (action and hx-post), and "all present".
    assert mine.count(f"/zajecia/{setup['session'].pk}/obecnosc/") == 3 * 2 + 1


def test_the_calendar_shows_a_trainer_only_their_sessions_as_markable(client, setup, other_session):
    path = url("delivery:calendar", setup) + f"?miesiac={timezone.localdate():%Y-%m}"
    mine = f"/zajecia/{setup['session'].pk}/#attendance"
    theirs = f"/zajecia/{other_session.pk}/#attendance"

    client.force_login(setup["trainer"])
    as_trainer = client.get(path).content.decode()
    client.force_login(member(setup["project"], Role.COORDINATOR))
    as_coordinator = client.get(path).content.decode()

    assert (mine in as_trainer, theirs in as_trainer) == (True, False)
    assert (mine in as_coordinator, theirs in as_coordinator) == (True, True)
    assert "<h2>" not in as_trainer.split("<title>")[1].split("</title>")[0]


def test_a_coordinator_marks_any_session(client, setup, other_session):
    coordinator = member(setup["project"], Role.COORDINATOR)
    person = setup["people"][1]
    client.force_login(coordinator)

    response = client.post(
        url("delivery:mark", setup, pk=other_session.pk, participant=person.pk),
        {"status": "excused"},
    )

    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert (attendance.session, attendance.participant, attendance.status) == (
        other_session,
        person,
        "excused",
    )
    entry = AuditEntry.objects.get(content_type__model="attendance")
    assert (entry.action, entry.actor) == ("create", coordinator)


def test_a_tasks_enrolments_come_in_pages_and_by_group(client, setup):
    from lider.territory.queries import unit_by_code

    task, office = setup["task"], setup["office"]
    other = GroupFactory(task=task, name="Grupa kłobucka", county=unit_by_code("2404"))
    for _ in range(52):
        person = DeliveryParticipantFactory(project=setup["project"])
        places.enrol(task, participant=person, group=setup["group"], actor=office)
    for _ in range(2):
        person = DeliveryParticipantFactory(project=setup["project"])
        places.enrol(task, participant=person, group=other, actor=office)
    client.force_login(office)
    path = url("delivery:task", setup, task=task.pk)

    first = client.get(path)
    second = client.get(path, {"page": 2})
    of_group = client.get(path, {"grupa": other.pk})
    hostile = client.get(path, {"page": str(10**30), "grupa": "1\x00"})

    assert [len(r.context["rows"]) for r in (first, second, of_group)] == [50, 7, 2]
    assert "strona 1 z 2" in first.content.decode()
    assert "?page=2#shares" in first.content.decode()
    assert f"?grupa={other.pk}&amp;page=" not in of_group.content.decode()  # one page
    assert {r.group_id_in_task for r in of_group.context["rows"]} == {other.pk}
    assert (hostile.status_code, len(hostile.context["rows"])) == (200, 7)  # the last page


@pytest.mark.parametrize("rows", [1, 3])
def test_a_tasks_page_of_enrolments_takes_the_same_queries(client, rows, django_assert_num_queries):
    task = DeliveryTaskFactory()
    office = member(task.project, Role.OFFICE)
    group = GroupFactory(task=task)
    for _ in range(rows):
        person = DeliveryParticipantFactory(project=task.project)
        places.enrol(task, participant=person, group=group, actor=office)
    client.force_login(office)
    path = reverse("delivery:task", kwargs={"slug": task.project.slug, "task": task.pk})
    client.get(path)  # sessions and caches warm

    with django_assert_num_queries(QUERIES_OF_A_TASK_PAGE):
        response = client.get(path)

    assert len(response.context["rows"]) == rows


# Measured (session, user, project, roles, task, groups, count, the page's ids (along the name
# index), the page of rows, first date,
# the planned minutes of each group, …; the enrol form lists nobody until one searches): the
# same for one row as for three or fifty.
QUERIES_OF_A_TASK_PAGE = 12
