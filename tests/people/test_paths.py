"""A participant's path: start from the first attended session of a participation task, end
and "completed as planned" from enrolments; the office's override; the command."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from lider.core.audit import AuditEntry
from lider.core.permissions import Role
from lider.delivery import places, services
from lider.delivery.models import Attendance, Enrolment
from lider.people import paths
from lider.people.models import Participant
from lider.projects.models import Task
from tests.delivery.factories import (
    DeliveryParticipantFactory,
    DeliveryTaskFactory,
    GroupFactory,
    SessionFactory,
)
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The explanations are compared in English (the page test reads the Polish page)."""
    with translation.override("en"):
        yield


D = datetime.date
TODAY = D(2030, 1, 1)


COURSE_DAYS = (D(2010, 3, 1), D(2010, 3, 8), D(2010, 3, 15))
MEETING_DAY = D(2010, 2, 1)


def _course(project, *, days=COURSE_DAYS):
    task = DeliveryTaskFactory(project=project, kind=Task.Kind.TRAINING_CYCLE)
    group = GroupFactory(task=task)
    sessions = [SessionFactory(task=task, group=group, date=day) for day in days]
    return task, group, sessions


def _meeting(project, day=MEETING_DAY):
    task = DeliveryTaskFactory(project=project, kind=Task.Kind.INFORMATION_MEETING)
    return SessionFactory(task=task, date=day)


def _attend(session, participant, status=Attendance.Status.PRESENT):
    Attendance.objects.create(session=session, participant=participant, status=status)


def test_statuses_mirror_delivery():
    assert set(paths.ATTENDED) == set(Attendance.ATTENDED)
    assert set(paths.PLANNED) == set(Enrolment.Status.values) - {Enrolment.Status.WAITING}
    assert paths.COMPLETED == Enrolment.Status.COMPLETED
    assert paths.DROPPED == Enrolment.Status.DROPPED


def test_default_rule_is_training_and_advisory():
    project = ProjectFactory()
    assert project.participation_kinds == ["training_cycle", "group_advisory"]
    project.participation_kinds = ["conference", "no such kind"]
    with pytest.raises(ValidationError) as error:
        project.clean()
    assert "participation_kinds" in error.value.message_dict


def test_meeting_only_is_not_a_participant():
    project = ProjectFactory()
    participant = DeliveryParticipantFactory(project=project)
    _attend(_meeting(project), participant)
    paths.refresh(project, actor=None, today=TODAY)
    participant.refresh_from_db()
    assert (participant.start_date, participant.start_source) == (None, "")
    assert participant.completed_as_planned is None
    path = paths.path_of(participant, TODAY)
    assert path.why == "Not a participant: no attended session of a participation task."


def test_start_is_first_attended_session_and_completion_from_enrolments():
    project = ProjectFactory()
    task, group, sessions = _course(project)
    participant = DeliveryParticipantFactory(project=project)
    _attend(_meeting(project), participant)  # earlier, but promotional
    Enrolment.objects.create(task=task, group=group, participant=participant, status="completed")
    _attend(sessions[0], participant, Attendance.Status.ABSENT)
    _attend(sessions[1], participant, Attendance.Status.LATE)
    assert paths.refresh(project, actor=None, today=TODAY) == 1
    participant.refresh_from_db()
    assert participant.start_date == D(2010, 3, 8)
    assert participant.start_source == Participant.StartSource.ATTENDANCE
    assert participant.end_date == D(2010, 3, 15)  # the last planned session
    assert participant.completed_as_planned is True
    assert participant.exit_reason == Participant.ExitReason.COMPLETED
    entry = AuditEntry.objects.get(object_id=str(participant.pk), action="update")
    assert entry.changes["start_date"] == [None, "2010-03-08"]
    # Nothing changed: nothing stored, nothing audited.
    assert paths.refresh(project, actor=None, today=TODAY) == 0


def test_path_continuing_and_unfinished():
    project = ProjectFactory()
    task, group, sessions = _course(project)
    participant = DeliveryParticipantFactory(project=project)
    Enrolment.objects.create(
        task=task, group=group, participant=participant, status="participating"
    )
    _attend(sessions[0], participant)
    path = paths.path_of(participant, D(2010, 3, 10))
    assert (path.end_date, path.completed) == (None, None)
    assert path.why == "The path continues until 15.03.2010."
    path = paths.path_of(participant, TODAY)
    assert (path.end_date, path.completed) == (D(2010, 3, 15), False)
    assert "1 of 1 planned tasks not marked as completed" in path.why


def test_other_groups_sessions_are_not_planned():
    project = ProjectFactory()
    task, group, sessions = _course(project)
    SessionFactory(task=task, group=GroupFactory(task=task), date=D(2010, 6, 1))
    participant = DeliveryParticipantFactory(project=project)
    Enrolment.objects.create(task=task, group=group, participant=participant, status="completed")
    _attend(sessions[0], participant)
    assert paths.path_of(participant, TODAY).end_date == D(2010, 3, 15)


def test_dropping_out_through_delivery_ends_the_path():
    project = ProjectFactory()
    task, group, sessions = _course(project)
    participant = DeliveryParticipantFactory(project=project)
    office = member(project, Role.OFFICE)
    enrolment = Enrolment.objects.create(
        task=task, group=group, participant=participant, status="participating"
    )
    services.mark_attendance(sessions[0], participant=participant, status="present", actor=office)
    participant.refresh_from_db()
    assert participant.start_date == D(2010, 3, 1)  # set when attendance is marked
    places.change_enrolment_status(
        enrolment, status="dropped", actor=office, dropped_on=D(2010, 3, 5), reason="Praca"
    )
    participant.refresh_from_db()
    assert participant.end_date == D(2010, 3, 5)
    assert participant.completed_as_planned is False
    assert participant.exit_reason == Participant.ExitReason.OTHER
    paths.record_exit(
        participant, reason=Participant.ExitReason.EMPLOYMENT, on=D(2010, 3, 4), actor=office
    )
    assert (participant.end_date, participant.exit_reason) == (D(2010, 3, 4), "employment")
    assert paths.path_of(participant, TODAY).why == (
        "Dropped out on 04.03.2010 (took up employment)."
    )
    with pytest.raises(ValidationError):
        paths.record_exit(participant, reason="completed", on=D(2010, 3, 4), actor=office)


def test_override_needs_a_note_and_is_audited(client):
    project = ProjectFactory()
    task, group, sessions = _course(project)
    participant = DeliveryParticipantFactory(project=project)
    Enrolment.objects.create(
        task=task, group=group, participant=participant, status="participating"
    )
    _attend(sessions[0], participant)
    paths.refresh(project, actor=None)
    participant.refresh_from_db()
    assert participant.completed_as_planned is False
    office = member(project, Role.OFFICE)
    client.force_login(office)
    url = reverse("people:completion", kwargs={"slug": project.slug, "pk": participant.person_id})
    response = client.post(url, {"decision": "yes", "note": ""})
    assert response.status_code == 400
    assert "Give the reason for the decision." in response.content.decode()
    participant.refresh_from_db()
    assert participant.completed_override is None
    response = client.post(url, {"decision": "yes", "note": "Zaświadczenie lekarskie"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.completed_override, participant.completed_as_planned) == (True, True)
    entries = AuditEntry.objects.filter(object_id=str(participant.pk), actor=office)
    assert [e.changes for e in entries if "completed_override" in e.changes] == [
        {"completed_override": [None, True], "completed_note": ["", "Zaświadczenie lekarskie"]}
    ]
    assert [e.changes for e in entries if "completed_as_planned" in e.changes] == [
        {"completed_as_planned": [False, True]}
    ]
    page = client.get(
        reverse("people:detail", kwargs={"slug": project.slug, "pk": participant.person_id})
    ).content.decode()
    assert "Zaświadczenie lekarskie" in page
    assert "01.03.2010" in page
    client.post(url, {"decision": "", "note": ""})
    participant.refresh_from_db()
    assert (participant.completed_override, participant.completed_as_planned) == (None, False)


def test_trainer_may_not_override(client):
    project = ProjectFactory()
    participant = DeliveryParticipantFactory(project=project)
    client.force_login(member(project, Role.TRAINER))
    url = reverse("people:completion", kwargs={"slug": project.slug, "pk": participant.person_id})
    assert client.post(url, {"decision": "no", "note": "x"}).status_code == 403


def test_command_recomputes(django_assert_max_num_queries):
    project = ProjectFactory()
    task, group, sessions = _course(project)
    participants = [DeliveryParticipantFactory(project=project) for _ in range(3)]
    for participant in participants:
        Enrolment.objects.create(
            task=task, group=group, participant=participant, status="completed"
        )
        _attend(sessions[2], participant)
    out = io.StringIO()
    call_command("recompute_paths", project=project.slug, stdout=out)
    assert f"{project.slug}: 3" in out.getvalue()
    assert set(
        Participant.objects.filter(project=project).values_list("start_date", "end_date")
    ) == {(D(2010, 3, 15), D(2010, 3, 15))}
    # Constant queries whatever the number of participants when nothing changes (one of them
    # reads the single tasks of the project's rule).
    with django_assert_max_num_queries(7):
        assert paths.refresh(project, actor=None) == 0


def test_office_records_a_drop_out_with_a_reason_from_the_list(client):
    project = ProjectFactory()
    task, group, sessions = _course(project)
    participant = DeliveryParticipantFactory(project=project)
    Enrolment.objects.create(
        task=task, group=group, participant=participant, status="participating"
    )
    _attend(sessions[0], participant)
    paths.refresh(project, actor=None)
    office = member(project, Role.OFFICE)
    client.force_login(office)
    url = reverse("people:exit", kwargs={"slug": project.slug, "pk": participant.person_id})
    # A reason outside the list, or a day outside the project: refused, nothing changes.
    for data in (
        {"reason": "completed", "on": project.start_date.isoformat()},
        {"reason": "illness", "on": "1900-01-01"},
    ):
        assert client.post(url, data).status_code == 400
        participant.refresh_from_db()
        assert participant.exit_reason == ""
    on = project.start_date
    assert client.post(url, {"reason": "illness", "on": on.isoformat()}).status_code == 302
    participant.refresh_from_db()
    assert (participant.exit_reason, participant.end_date) == ("illness", on)
    assert participant.completed_as_planned is False
    assert [
        entry.changes["exit_reason"]
        for entry in AuditEntry.objects.filter(object_id=str(participant.pk), actor=office)
        if "exit_reason" in entry.changes
    ] == [["", "illness"]]
    client.force_login(member(project, Role.AUDITOR))
    assert client.post(url, {"reason": "illness", "on": on.isoformat()}).status_code == 403
