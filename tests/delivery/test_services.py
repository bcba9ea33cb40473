import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.delivery import places, services
from lider.delivery.models import Attendance, Enrolment, SessionBooking
from lider.delivery.queries import attendance_shares, roster
from lider.projects.models import Membership
from tests.delivery import scan_files
from tests.delivery.factories import (
    DeliveryParticipantFactory,
    DeliveryTaskFactory,
    GroupFactory,
    SessionFactory,
    VenueFactory,
)
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def task():
    return DeliveryTaskFactory()


@pytest.fixture
def coordinator(task):
    return member(task.project, Role.COORDINATOR)


def participants(project, n):
    return [DeliveryParticipantFactory(project=project) for _ in range(n)]


def test_create_session_series_makes_weekly_sessions_with_audit(task, coordinator):
    trainer = member(task.project, Role.TRAINER)
    venue = VenueFactory(project=task.project)

    sessions = services.create_session_series(
        task,
        actor=coordinator,
        first_date=datetime.date(2010, 3, 6),
        count=10,
        every_days=7,
        trainers=[trainer],
        title="Dzień szkoleniowy",
        start_time=datetime.time(9, 0),
        end_time=datetime.time(15, 0),
        venue=venue,
    )

    assert [s.date for s in sessions] == [
        datetime.date(2010, 3, 6) + datetime.timedelta(weeks=n) for n in range(10)
    ]
    assert all(s.date.weekday() == 5 for s in sessions)
    assert sessions[0].clock_hours == 6 and sessions[0].hours_in("teaching") == 8
    assert [list(s.trainers.all()) for s in sessions] == [[trainer]] * 10
    assert AuditEntry.objects.filter(action="create", project_id=task.project_id).count() == 10


def test_update_session_keeps_a_former_trainer_but_adds_only_trainers(task, coordinator):
    former = member(task.project, Role.TRAINER)
    session = SessionFactory(task=task, trainers=[former])
    Membership.objects.filter(user=former).delete()
    outsider = member(task.project, Role.OFFICE)

    services.update_session(session, actor=coordinator, trainers=[former], capacity=12)
    with pytest.raises(ValidationError) as error:
        services.update_session(session, actor=coordinator, trainers=[former, outsider])

    assert error.value.code == "trainer"
    assert list(session.trainers.all()) == [former]
    assert session.capacity == 12


def test_create_session_refuses_a_trainer_without_the_role(task, coordinator):
    outsider = member(task.project, Role.OFFICE)
    with pytest.raises(ValidationError) as error:
        services.create_session(
            task,
            actor=coordinator,
            trainers=[outsider],
            title="X",
            date=datetime.date(2010, 3, 6),
            start_time=datetime.time(9),
            end_time=datetime.time(10),
            venue=VenueFactory(project=task.project),
        )
    assert error.value.code == "trainer"


def test_enrol_fills_places_then_waiting_list(task, coordinator):
    group = GroupFactory(task=task, capacity=2)
    people = participants(task.project, 3)

    statuses = [
        places.enrol(task, participant=p, group=group, actor=coordinator).status for p in people
    ]

    assert statuses == ["qualified", "qualified", "waiting"]


def test_dropping_out_promotes_the_first_waiting(task, coordinator):
    group = GroupFactory(task=task, capacity=1)
    first, second, third = (
        places.enrol(task, participant=p, group=group, actor=coordinator)
        for p in participants(task.project, 3)
    )

    places.change_enrolment_status(
        first,
        status=Enrolment.Status.DROPPED,
        actor=coordinator,
        dropped_on=datetime.date(2010, 4, 1),
        reason="Podjęcie pracy",
    )

    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert (first.status, second.status, third.status) == ("dropped", "qualified", "waiting")
    assert first.dropped_on == datetime.date(2010, 4, 1)
    assert first.drop_reason == "Podjęcie pracy"
    entries = list(AuditEntry.objects.filter(action="status").order_by("pk"))
    notes = [(entry.object_id, entry.note_text) for entry in entries]
    assert notes == [(str(first.pk), "Podjęcie pracy"), (str(second.pk), "zwolniło się miejsce")]
    assert [entry.changes for entry in entries] == [
        {"status": ["qualified", "dropped"]},
        {"status": ["waiting", "qualified"]},
    ]


def test_invalid_transition_raises_polish_message(task, coordinator):
    enrolment = places.enrol(task, participant=participants(task.project, 1)[0], actor=coordinator)
    with pytest.raises(ValidationError) as error:
        places.change_enrolment_status(
            enrolment, status=Enrolment.Status.COMPLETED, actor=coordinator
        )
    assert error.value.code == "transition"
    assert error.value.messages == [
        "Nie można zmienić statusu zapisu z „zakwalifikowany” na „ukończył”."
    ]


def test_dropping_out_needs_a_reason(task, coordinator):
    enrolment = places.enrol(task, participant=participants(task.project, 1)[0], actor=coordinator)
    with pytest.raises(ValidationError) as error:
        places.change_enrolment_status(
            enrolment, status=Enrolment.Status.DROPPED, actor=coordinator
        )
    assert error.value.code == "drop_reason"


def test_cancelled_booking_promotes_the_waiting(task, coordinator):
    session = SessionFactory(task=task, capacity=1)
    one, two = participants(task.project, 2)
    first = places.book_session(session, participant=one, actor=coordinator)
    second = places.book_session(session, participant=two, actor=coordinator)
    assert (first.status, second.status) == ("booked", "waiting")

    places.cancel_booking(first, actor=coordinator)

    second.refresh_from_db()
    assert second.status == SessionBooking.Status.BOOKED
    assert list(roster(session)) == [two]


def test_mark_attendance_sets_status_idempotently_and_audits(task, coordinator):
    trainer = member(task.project, Role.TRAINER)
    group = GroupFactory(task=task)
    session = SessionFactory(task=task, group=group, trainers=[trainer])
    person = participants(task.project, 1)[0]
    places.enrol(task, participant=person, group=group, actor=coordinator)

    services.mark_attendance(session, participant=person, status="present", actor=trainer)
    services.mark_attendance(session, participant=person, status="present", actor=trainer)
    services.mark_attendance(session, participant=person, status="late", actor=trainer)

    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.marked_by) == ("late", trainer)
    entries = AuditEntry.objects.filter(
        content_type__model="attendance", object_id=str(attendance.pk)
    ).order_by("pk")
    assert [(e.action, e.actor) for e in entries] == [("create", trainer), ("status", trainer)]


def test_mark_attendance_refuses_someone_not_on_the_list(task, coordinator):
    session = SessionFactory(task=task, group=GroupFactory(task=task))
    stranger = participants(task.project, 1)[0]
    with pytest.raises(ValidationError) as error:
        services.mark_attendance(session, participant=stranger, status="present", actor=None)
    assert error.value.code == "not_on_list"


def test_mark_all_present_leaves_existing_marks(task, coordinator):
    group = GroupFactory(task=task)
    session = SessionFactory(task=task, group=group)
    people = participants(task.project, 3)
    for person in people:
        places.enrol(task, participant=person, group=group, actor=coordinator)
    services.mark_attendance(session, participant=people[0], status="absent", actor=coordinator)

    assert services.mark_all_present(session, actor=coordinator) == 2

    assert dict(Attendance.objects.values_list("participant_id", "status")) == {
        people[0].pk: "absent",
        people[1].pk: "present",
        people[2].pk: "present",
    }


def test_attendance_shares_counts_training_hours_of_the_group(task, coordinator):
    group, other_group = GroupFactory(task=task), GroupFactory(task=task)
    times = {"start_time": datetime.time(9), "end_time": datetime.time(15)}  # 8 training hours
    sessions = [SessionFactory(task=task, group=group, **times) for _ in range(5)]
    SessionFactory(task=task, group=other_group, **times)  # not theirs
    SessionFactory(  # the whole task's: 3 clock hours = 4 training hours
        task=task, start_time=datetime.time(10), end_time=datetime.time(13)
    )
    keen, idle = participants(task.project, 2)
    for person in (keen, idle):
        places.enrol(task, participant=person, group=group, actor=coordinator)
    for session in sessions[:4]:
        services.mark_attendance(session, participant=keen, status="present", actor=coordinator)
    services.mark_attendance(sessions[4], participant=keen, status="excused", actor=coordinator)
    services.mark_attendance(sessions[0], participant=idle, status="late", actor=coordinator)

    rows = {p.pk: p for p in attendance_shares(task)}

    assert rows[keen.pk].hours_total == 44
    assert rows[keen.pk].hours_attended == 32
    assert rows[keen.pk].share == pytest.approx(32 / 44)
    assert rows[idle.pk].hours_attended == 8
    assert list(attendance_shares(task).filter(share__gte=0.7)) == [keen]


def test_upload_signed_list_checks_magic_bytes_and_audits(task, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    session = SessionFactory(task=task)
    fake = SimpleUploadedFile("lista.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.upload_signed_list(session, upload=fake, actor=coordinator)
    assert error.value.code == "file_type"

    scan = SimpleUploadedFile("skan.bin", scan_files.png())
    services.upload_signed_list(session, upload=scan, actor=coordinator)

    session.refresh_from_db()
    assert session.signed_list.name.endswith(".png")
    assert session.signed_list_uploaded_by == coordinator
    entry = AuditEntry.objects.get(action="update", content_type__model="session")
    assert entry.actor == coordinator and "signed_list" in entry.changes


def test_upload_signed_list_refuses_large_files(task, coordinator):
    session = SessionFactory(task=task)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.upload_signed_list(session, upload=big, actor=coordinator)
    assert error.value.code == "too_large"


def test_regenerating_the_calendar_token_revokes_the_old(task):
    trainer = member(task.project, Role.TRAINER)
    old = services.regenerate_calendar_token(trainer, actor=trainer).token
    new = services.regenerate_calendar_token(trainer, actor=trainer).token
    assert old != new and len(new) >= 40


# Who marks attendance: a trainer at the sessions they lead, staff at any


def enrolled_session(task, coordinator, *, trainers=()):
    group = GroupFactory(task=task)
    session = SessionFactory(task=task, group=group, trainers=list(trainers))
    person = participants(task.project, 1)[0]
    places.enrol(task, participant=person, group=group, actor=coordinator)
    return session, person


def attendance_entries():
    return AuditEntry.objects.filter(content_type__model="attendance")


def test_a_trainer_marks_attendance_at_their_own_session(task, coordinator):
    trainer = member(task.project, Role.TRAINER)
    session, person = enrolled_session(task, coordinator, trainers=[trainer])

    services.mark_attendance(session, participant=person, status="present", actor=trainer)

    attendance = Attendance.objects.get()
    assert (attendance.session, attendance.status, attendance.marked_by) == (
        session,
        "present",
        trainer,
    )
    assert [(e.action, e.actor) for e in attendance_entries()] == [("create", trainer)]


def test_a_trainer_cannot_mark_attendance_at_another_trainers_session(task, coordinator):
    trainer, other = member(task.project, Role.TRAINER), member(task.project, Role.TRAINER)
    session, person = enrolled_session(task, coordinator, trainers=[other])

    with pytest.raises(PermissionDenied) as error:
        services.mark_attendance(session, participant=person, status="present", actor=trainer)
    with pytest.raises(PermissionDenied):
        services.mark_all_present(session, actor=trainer)

    assert str(error.value) == "Obecność możesz zaznaczać tylko na zajęciach, które prowadzisz."
    assert not Attendance.objects.exists()
    assert not attendance_entries().exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OFFICE, Role.ADMINISTRATOR])
def test_staff_mark_attendance_at_any_session(task, coordinator, role):
    trainer = member(task.project, Role.TRAINER)
    staff = member(task.project, role)
    session, person = enrolled_session(task, coordinator, trainers=[trainer])

    services.mark_attendance(session, participant=person, status="late", actor=staff)

    assert Attendance.objects.get().marked_by == staff
    assert [(e.action, e.actor) for e in attendance_entries()] == [("create", staff)]


def test_a_trainer_who_is_also_office_staff_marks_any_session(task, coordinator):
    both = member(task.project, Role.TRAINER)
    member(task.project, Role.OFFICE, user=both)
    session, person = enrolled_session(task, coordinator)

    assert services.mark_all_present(session, actor=both) == 1
    assert Attendance.objects.get().marked_by == both


def test_a_trainer_of_the_session_in_another_project_only_is_refused(task, coordinator):
    """Leading the session is not enough without the trainer role in its project."""
    outsider = member(DeliveryTaskFactory().project, Role.TRAINER)
    session, person = enrolled_session(task, coordinator)
    session.trainers.add(outsider)

    with pytest.raises(PermissionDenied):
        services.mark_attendance(session, participant=person, status="present", actor=outsider)
    assert not Attendance.objects.exists()
